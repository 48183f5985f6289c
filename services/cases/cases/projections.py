"""SQL of cases' own copy of partners' facts: networks and their settings, who holds which
role, partner organisations, offers and free places, crisis-point agreements and the
mandated bodies' volume agreements. Every function works inside the caller's transaction
(or on the `self.db` session for reads)."""

from psycopg.types.json import Jsonb

from cases.domain.access import Principal
from verband_common.roles import CONTACT_POINTS


def upsert_network(tx, event: dict) -> None:
    tx.execute(
        "INSERT INTO networks (id, name, kind, region) VALUES (%s, %s, %s, %s)"
        " ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind,"
        " region = EXCLUDED.region",
        (event["network_id"], event["name"], event["kind"], event["region"]),
    )


def apply_settings(tx, event: dict) -> bool:
    """Overwrite the settings unless a later copy is already applied; True if applied."""
    cur = tx.execute(
        "INSERT INTO networks (id, municipalities, waiting_weights, warm_contact_interval_days,"
        " pickup_guideline_days, settings_at) VALUES (%s, %s, %s, %s, %s, %s)"
        " ON CONFLICT (id) DO UPDATE SET municipalities = EXCLUDED.municipalities,"
        " waiting_weights = EXCLUDED.waiting_weights,"
        " warm_contact_interval_days = EXCLUDED.warm_contact_interval_days,"
        " pickup_guideline_days = EXCLUDED.pickup_guideline_days,"
        " settings_at = EXCLUDED.settings_at"
        " WHERE networks.settings_at IS NULL OR networks.settings_at <= EXCLUDED.settings_at",
        (
            event["network_id"],
            event["municipalities"],
            Jsonb(event["waiting_weights"]),
            event["warm_contact_interval_days"],
            event["pickup_guideline_days"],
            event["occurred_at"],
        ),
    )
    return cur.rowcount == 1


def network(db, network_id) -> dict | None:
    return db.fetchone(
        "SELECT id, name, region, municipalities, waiting_weights, warm_contact_interval_days,"
        " pickup_guideline_days, settings_at FROM networks WHERE id = %s",
        (network_id,),
    )


def regions(db, network_ids) -> dict:
    rows = db.fetchall(
        "SELECT id, region FROM networks WHERE id = ANY(%s::uuid[])",
        ([str(n) for n in network_ids],),
    )
    return {str(r["id"]): r["region"] for r in rows if r["region"]}


def grant_role(tx, network_id, person_id, role, organisation_id) -> None:
    tx.execute(
        "INSERT INTO role_holders (network_id, person_id, role, organisation_id)"
        " VALUES (%s, %s, %s, %s) ON CONFLICT (network_id, person_id, role)"
        " DO UPDATE SET organisation_id = EXCLUDED.organisation_id",
        (network_id, person_id, role, organisation_id),
    )


def revoke_role(tx, network_id, person_id, role) -> None:
    tx.execute(
        "DELETE FROM role_holders WHERE network_id = %s AND person_id = %s AND role = %s",
        (network_id, person_id, role),
    )


def principal(db, person_id) -> Principal:
    rows = db.fetchall(
        "SELECT network_id, role, organisation_id FROM role_holders WHERE person_id = %s",
        (person_id,),
    )
    roles: dict = {}
    orgs: dict = {}
    for r in rows:
        key = str(r["network_id"])
        roles.setdefault(key, set()).add(r["role"])
        if r["organisation_id"] is not None:
            orgs[key] = str(r["organisation_id"])
    return Principal(str(person_id), {k: frozenset(v) for k, v in roles.items()}, orgs)


def contact_point_candidates(db, network_id) -> set:
    rows = db.fetchall(
        "SELECT DISTINCT person_id FROM role_holders WHERE network_id = %s AND role = ANY(%s)",
        (network_id, list(CONTACT_POINTS)),
    )
    return {r["person_id"] for r in rows}


def organisation_of(db, network_id, person_id):
    row = db.fetchone(
        "SELECT organisation_id FROM role_holders WHERE network_id = %s AND person_id = %s"
        " AND organisation_id IS NOT NULL LIMIT 1",
        (network_id, person_id),
    )
    return row["organisation_id"] if row else None


def partner_joined(tx, event: dict) -> None:
    tx.execute(
        "INSERT INTO network_partners (network_id, organisation_id, name, ends_on)"
        " VALUES (%s, %s, %s, %s) ON CONFLICT (network_id, organisation_id)"
        " DO UPDATE SET name = EXCLUDED.name, ends_on = EXCLUDED.ends_on",
        (event["network_id"], event["organisation_id"], event["name"], event["ends_on"]),
    )


def partner_left(tx, event: dict) -> None:
    tx.execute(
        "UPDATE network_partners SET ends_on = %s WHERE network_id = %s AND organisation_id = %s",
        (event["ends_on"], event["network_id"], event["organisation_id"]),
    )


def active_partners(db, network_id, on) -> set:
    rows = db.fetchall(
        "SELECT organisation_id FROM network_partners WHERE network_id = %s"
        " AND (ends_on IS NULL OR ends_on >= %s)",
        (network_id, on),
    )
    return {r["organisation_id"] for r in rows}


def partner_names(db, network_id) -> dict:
    rows = db.fetchall(
        "SELECT organisation_id, name FROM network_partners WHERE network_id = %s", (network_id,)
    )
    return {r["organisation_id"]: r["name"] for r in rows}


def upsert_offer(tx, network_id, event: dict) -> None:
    """offer_published and offer_changed carry the whole offer; the latest copy wins."""
    tx.execute(
        "INSERT INTO offers (id, network_id, title, kind, capacity, free_places, status,"
        " warm_waiting_list, municipalities, organisation_id, can_start_from, updated_at)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
        " ON CONFLICT (id) DO UPDATE SET title = EXCLUDED.title, kind = EXCLUDED.kind,"
        " capacity = EXCLUDED.capacity, free_places = EXCLUDED.free_places,"
        " status = EXCLUDED.status, warm_waiting_list = EXCLUDED.warm_waiting_list,"
        " municipalities = EXCLUDED.municipalities,"
        " organisation_id = COALESCE(EXCLUDED.organisation_id, offers.organisation_id),"
        " can_start_from = COALESCE(EXCLUDED.can_start_from, offers.can_start_from),"
        " updated_at = EXCLUDED.updated_at WHERE offers.updated_at <= EXCLUDED.updated_at",
        (
            event["offer_id"],
            network_id,
            event["title"],
            event["kind"],
            event["capacity"],
            event["free_places"],
            event["status"],
            event["warm_waiting_list"],
            event.get("municipalities") or [],
            event.get("organisation_id"),
            event.get("can_start_from"),
            event["occurred_at"],
        ),
    )
    if event.get("organisation_id"):
        # Who provides an offer never changes, so it is taken whatever the order: a
        # capacity_changed applied before this event must not hide the provider.
        tx.execute(
            "UPDATE offers SET organisation_id = %s WHERE id = %s AND organisation_id IS NULL",
            (event["organisation_id"], event["offer_id"]),
        )


def apply_capacity(tx, event: dict) -> None:
    tx.execute(
        "UPDATE offers SET capacity = %s, free_places = %s, status = %s,"
        " can_start_from = %s, updated_at = %s"
        " WHERE id = %s AND network_id = %s AND updated_at <= %s",
        (
            event["capacity"],
            event["free_places"],
            event["status"],
            event["can_start_from"],
            event["occurred_at"],
            event["offer_id"],
            event["network_id"],
            event["occurred_at"],
        ),
    )


def offer(db, offer_id) -> dict | None:
    return db.fetchone(
        "SELECT id, network_id, title, kind, capacity, free_places, status, warm_waiting_list,"
        " organisation_id, can_start_from FROM offers WHERE id = %s",
        (offer_id,),
    )


def offer_statuses(db, network_id) -> dict:
    rows = db.fetchall("SELECT id, status FROM offers WHERE network_id = %s", (network_id,))
    return {r["id"]: r["status"] for r in rows}


def record_agreement(tx, event: dict) -> None:
    if event["kind"] != "crisis_point":
        return
    tx.execute(
        "INSERT INTO crisis_agreements (id, network_id, organisation_ids, starts_on, ends_on,"
        " status) VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (id) DO UPDATE SET"
        " organisation_ids = EXCLUDED.organisation_ids, starts_on = EXCLUDED.starts_on,"
        " ends_on = EXCLUDED.ends_on, status = EXCLUDED.status",
        (
            event["agreement_id"],
            event["network_id"],
            event["organisation_ids"],
            event["starts_on"],
            event["ends_on"],
            event["status"],
        ),
    )


def crisis_agreements(db, network_id, on) -> list[dict]:
    rows = db.fetchall(
        "SELECT a.id, a.starts_on, a.ends_on, a.organisation_ids,"
        " ARRAY(SELECT p.name FROM network_partners p WHERE p.network_id = a.network_id"
        "       AND p.organisation_id = ANY(a.organisation_ids) ORDER BY p.name) AS parties"
        " FROM crisis_agreements a WHERE a.network_id = %s AND a.status = 'active'"
        " AND a.starts_on <= %s AND (a.ends_on IS NULL OR a.ends_on >= %s) ORDER BY a.starts_on",
        (network_id, on, on),
    )
    return [
        {
            "agreement_id": str(r["id"]),
            "starts_on": r["starts_on"].isoformat(),
            "ends_on": r["ends_on"].isoformat() if r["ends_on"] else None,
            "parties": list(r["parties"]),
        }
        for r in rows
    ]


def record_mandated_agreement(tx, event: dict) -> None:
    """The volume agreement with the mandated bodies, latest copy first; an agreement whose
    kind changed away from it stops counting."""
    tx.execute(
        "INSERT INTO mandated_agreements (id, network_id, starts_on, ends_on, agreed_number,"
        " status, mandated, recorded_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"
        " ON CONFLICT (id) DO UPDATE SET starts_on = EXCLUDED.starts_on,"
        " ends_on = EXCLUDED.ends_on, agreed_number = EXCLUDED.agreed_number,"
        " status = EXCLUDED.status, mandated = EXCLUDED.mandated,"
        " recorded_at = EXCLUDED.recorded_at"
        " WHERE mandated_agreements.network_id = EXCLUDED.network_id"
        " AND mandated_agreements.recorded_at <= EXCLUDED.recorded_at",
        (
            event["agreement_id"],
            event["network_id"],
            event["starts_on"],
            event["ends_on"],
            event["agreed_number"],
            event["status"],
            event["kind"] == "mandated_body",
            event["occurred_at"],
        ),
    )


def mandated_agreements(db, network_id, lock: bool = False) -> list[dict]:
    """The network's volume agreements with the mandated bodies. `lock`: held until the
    caller's transaction ends, so two triages cannot both take the last place."""
    query = (
        "SELECT id, agreed_number, starts_on, ends_on, status FROM mandated_agreements"
        " WHERE network_id = %s AND mandated ORDER BY starts_on, id"
    )
    if lock:
        query += " FOR UPDATE"
    return db.fetchall(query, (network_id,))
