"""SQL of the partners service. Functions taking `tx` work inside the caller's transaction;
those taking `db` may also be given a transaction (both have fetchone/fetchall)."""

from psycopg.types.json import Jsonb

NETWORK_COLUMNS = "id, name, kind, region, municipalities, settings, created_at"
ORGANISATION_COLUMNS = (
    "id, name, kbo, sector, municipalities, contact, profile, created_at, updated_at"
)
PERSON_COLUMNS = "id, name, email, organisation_id, platform_admin, created_at"
OFFER_COLUMNS = (
    "o.id, o.network_id, o.organisation_id, o.title, o.description, o.kind, o.rtj,"
    " o.min_age, o.max_age, o.situations, o.municipalities, o.capacity, o.free_places,"
    " o.can_start_from, o.status, o.warm_waiting_list, o.flanking_offer_ids, o.created_at,"
    " o.updated_at, g.name AS organisation_name, o.address, o.opening_hours, o.contact_phone,"
    " o.contact_email, o.languages, o.cost, o.referral"
)
AGREEMENT_COLUMNS = (
    "id, network_id, title, kind, parties, starts_on, ends_on, agreed_number, used_number,"
    " unit, status, notes, next_follow_up_on, created_at, updated_at"
)
TASK_GROUP_COLUMNS = (
    "id, network_id, name, theme, mandate, members, organisations, created_at, updated_at"
)


# -- networks -------------------------------------------------------------------------------


def insert_network(tx, network: dict) -> dict | None:
    return tx.fetchone(
        "INSERT INTO networks (id, name, kind, region, municipalities, settings)"
        " VALUES (%(id)s, %(name)s, %(kind)s, %(region)s, %(municipalities)s, %(settings)s)"
        f" ON CONFLICT DO NOTHING RETURNING {NETWORK_COLUMNS}",
        {**network, "settings": Jsonb(network["settings"])},
    )


def get_network(db, network_id) -> dict | None:
    return db.fetchone(f"SELECT {NETWORK_COLUMNS} FROM networks WHERE id = %s", (network_id,))


def lock_network(tx, network_id) -> dict | None:
    return tx.fetchone(
        f"SELECT {NETWORK_COLUMNS} FROM networks WHERE id = %s FOR UPDATE", (network_id,)
    )


def list_networks(db, ids=None) -> list[dict]:
    if ids is None:
        return db.fetchall(f"SELECT {NETWORK_COLUMNS} FROM networks ORDER BY name")
    return db.fetchall(
        f"SELECT {NETWORK_COLUMNS} FROM networks WHERE id = ANY(%s) ORDER BY name", (list(ids),)
    )


def update_network_settings(tx, network_id, municipalities, settings) -> dict:
    return tx.fetchone(
        "UPDATE networks SET municipalities = %s, settings = %s WHERE id = %s"
        f" RETURNING {NETWORK_COLUMNS}",
        (municipalities, Jsonb(settings), network_id),
    )


# -- organisations and memberships ----------------------------------------------------------


def insert_organisation(tx, org: dict) -> dict | None:
    return tx.fetchone(
        "INSERT INTO organisations"
        " (id, name, kbo, sector, municipalities, contact, profile, registered_by_network)"
        " VALUES (%(id)s, %(name)s, %(kbo)s, %(sector)s, %(municipalities)s, %(contact)s,"
        f" %(profile)s, %(registered_by_network)s) ON CONFLICT DO NOTHING"
        f" RETURNING {ORGANISATION_COLUMNS}",
        {"registered_by_network": None, **org, "contact": Jsonb(org["contact"])},
    )


def get_organisation(db, organisation_id, lock: bool = False) -> dict | None:
    return db.fetchone(
        f"SELECT {ORGANISATION_COLUMNS} FROM organisations WHERE id = %s"
        + (" FOR UPDATE" if lock else ""),
        (organisation_id,),
    )


def organisation_by_kbo(db, kbo: str) -> dict | None:
    return db.fetchone(f"SELECT {ORGANISATION_COLUMNS} FROM organisations WHERE kbo = %s", (kbo,))


def update_organisation(tx, organisation_id, changes: dict) -> dict:
    if "contact" in changes:
        changes = {**changes, "contact": Jsonb(changes["contact"])}
    sets = ", ".join(f"{column} = %({column})s" for column in changes)
    return tx.fetchone(
        f"UPDATE organisations SET {sets}, updated_at = now() WHERE id = %(id)s"
        f" RETURNING {ORGANISATION_COLUMNS}",
        {**changes, "id": organisation_id},
    )


def memberships_of(db, organisation_id) -> list[dict]:
    return db.fetchall(
        "SELECT network_id, organisation_id, role, starts_on, ends_on FROM memberships"
        " WHERE organisation_id = %s ORDER BY starts_on",
        (organisation_id,),
    )


def membership(db, network_id, organisation_id) -> dict | None:
    return db.fetchone(
        "SELECT network_id, organisation_id, role, starts_on, ends_on FROM memberships"
        " WHERE network_id = %s AND organisation_id = %s",
        (network_id, organisation_id),
    )


def active_member_ids(db, network_id, organisation_ids) -> set:
    rows = db.fetchall(
        "SELECT organisation_id FROM memberships WHERE network_id = %s"
        " AND organisation_id = ANY(%s) AND starts_on <= current_date"
        " AND (ends_on IS NULL OR ends_on >= current_date)",
        (network_id, list(organisation_ids)),
    )
    return {r["organisation_id"] for r in rows}


def upsert_membership(tx, m: dict) -> dict:
    return tx.fetchone(
        "INSERT INTO memberships (network_id, organisation_id, role, starts_on, ends_on)"
        " VALUES (%(network_id)s, %(organisation_id)s, %(role)s, %(starts_on)s, %(ends_on)s)"
        " ON CONFLICT (network_id, organisation_id) DO UPDATE SET role = EXCLUDED.role,"
        " starts_on = EXCLUDED.starts_on, ends_on = EXCLUDED.ends_on, updated_at = now()"
        " RETURNING network_id, organisation_id, role, starts_on, ends_on",
        m,
    )


def end_membership(tx, network_id, organisation_id, ends_on) -> dict:
    return tx.fetchone(
        "UPDATE memberships SET ends_on = %s, updated_at = now()"
        " WHERE network_id = %s AND organisation_id = %s"
        " RETURNING network_id, organisation_id, role, starts_on, ends_on",
        (ends_on, network_id, organisation_id),
    )


def list_organisations(db, network_id) -> list[dict]:
    return db.fetchall(
        f"SELECT {', '.join('g.' + c.strip() for c in ORGANISATION_COLUMNS.split(','))},"
        " m.role AS membership_role, m.starts_on, m.ends_on"
        " FROM organisations g JOIN memberships m ON m.organisation_id = g.id"
        " WHERE m.network_id = %s ORDER BY g.name",
        (network_id,),
    )


# -- an organisation's keepers: who registered it, who uses it, its admins, link requests ----


def organisation_keepers(db, organisation_id) -> dict:
    """{registered_by, users}: the network that registered it and the networks with a
    current (or coming) membership of it."""
    row = db.fetchone(
        "SELECT g.registered_by_network,"
        " coalesce((SELECT array_agg(m.network_id) FROM memberships m"
        "   WHERE m.organisation_id = g.id AND (m.ends_on IS NULL OR m.ends_on >= current_date)),"
        "  '{}') AS users"
        " FROM organisations g WHERE g.id = %s",
        (organisation_id,),
    )
    if row is None:
        return {"registered_by": None, "users": set()}
    return {"registered_by": row["registered_by_network"], "users": set(row["users"])}


def administered_by(db, person_id) -> frozenset:
    rows = db.fetchall(
        "SELECT organisation_id FROM organisation_admins WHERE person_id = %s", (person_id,)
    )
    return frozenset(r["organisation_id"] for r in rows)


def organisation_admins(db, organisation_id) -> list[dict]:
    return db.fetchall(
        "SELECT a.organisation_id, a.person_id, p.name, p.email, a.granted_at"
        " FROM organisation_admins a JOIN people p ON p.id = a.person_id"
        " WHERE a.organisation_id = %s ORDER BY p.name",
        (organisation_id,),
    )


def grant_organisation_admin(tx, organisation_id, person_id, granted_by: str) -> bool:
    cur = tx.execute(
        "INSERT INTO organisation_admins (organisation_id, person_id, granted_by)"
        " VALUES (%s, %s, %s) ON CONFLICT DO NOTHING",
        (organisation_id, person_id, granted_by),
    )
    return cur.rowcount == 1


def revoke_organisation_admin(tx, organisation_id, person_id) -> bool:
    cur = tx.execute(
        "DELETE FROM organisation_admins WHERE organisation_id = %s AND person_id = %s",
        (organisation_id, person_id),
    )
    return cur.rowcount == 1


LINK_COLUMNS = (
    "l.id, l.organisation_id, g.name AS organisation_name, g.kbo, l.network_id,"
    " n.name AS network_name, l.role, l.starts_on, l.ends_on, l.message, l.status,"
    " l.requested_by, l.requested_at, l.decided_by, l.decided_at"
)
LINK_FROM = (
    "organisation_link_requests l JOIN organisations g ON g.id = l.organisation_id"
    " JOIN networks n ON n.id = l.network_id"
)


def insert_link_request(tx, request: dict) -> dict | None:
    """The new pending request; None when one is pending for this organisation and network."""
    row = tx.fetchone(
        "INSERT INTO organisation_link_requests"
        " (id, organisation_id, network_id, role, starts_on, ends_on, message, requested_by)"
        " VALUES (%(id)s, %(organisation_id)s, %(network_id)s, %(role)s, %(starts_on)s,"
        " %(ends_on)s, %(message)s, %(requested_by)s) ON CONFLICT DO NOTHING RETURNING id",
        request,
    )
    return None if row is None else link_request(tx, row["id"])


def link_request(db, request_id, lock: bool = False) -> dict | None:
    return db.fetchone(
        f"SELECT {LINK_COLUMNS} FROM {LINK_FROM} WHERE l.id = %s"
        + (" FOR UPDATE OF l" if lock else ""),
        (request_id,),
    )


def link_requests_of_network(db, network_id) -> list[dict]:
    return db.fetchall(
        f"SELECT {LINK_COLUMNS} FROM {LINK_FROM} WHERE l.network_id = %s"
        " ORDER BY l.status = 'pending' DESC, l.requested_at DESC",
        (network_id,),
    )


def link_requests_to(db, organisation_ids=None) -> list[dict]:
    """Requests to these organisations (every organisation when None), pending first."""
    return db.fetchall(
        f"SELECT {LINK_COLUMNS} FROM {LINK_FROM}"
        " WHERE (%(all)s OR l.organisation_id = ANY(%(ids)s))"
        " ORDER BY l.status = 'pending' DESC, l.requested_at DESC LIMIT 500",
        {"all": organisation_ids is None, "ids": list(organisation_ids or [])},
    )


def decide_link_request(tx, request_id, status: str, decided_by: str) -> bool:
    cur = tx.execute(
        "UPDATE organisation_link_requests SET status = %s, decided_by = %s, decided_at = now()"
        " WHERE id = %s AND status = 'pending'",
        (status, decided_by, request_id),
    )
    return cur.rowcount == 1


# -- people and roles -----------------------------------------------------------------------


def insert_person(tx, person: dict) -> dict | None:
    return tx.fetchone(
        "INSERT INTO people (id, name, email, organisation_id, password_hash, platform_admin)"
        " VALUES (%(id)s, %(name)s, %(email)s, %(organisation_id)s, %(password_hash)s,"
        f" %(platform_admin)s) ON CONFLICT DO NOTHING RETURNING {PERSON_COLUMNS}",
        person,
    )


def get_person(db, person_id) -> dict | None:
    return db.fetchone(f"SELECT {PERSON_COLUMNS} FROM people WHERE id = %s", (person_id,))


def person_by_email(db, email: str) -> dict | None:
    return db.fetchone(
        f"SELECT {PERSON_COLUMNS}, password_hash FROM people WHERE lower(email) = lower(%s)",
        (email,),
    )


def any_platform_admin(db) -> bool:
    return db.fetchone("SELECT 1 AS one FROM people WHERE platform_admin LIMIT 1") is not None


def password_hash(db, person_id) -> str | None:
    row = db.fetchone("SELECT password_hash FROM people WHERE id = %s", (person_id,))
    return row["password_hash"] if row else None


def set_person_organisation(tx, person_id, organisation_id) -> None:
    tx.execute(
        "UPDATE people SET organisation_id = %s WHERE id = %s AND organisation_id IS NULL",
        (organisation_id, person_id),
    )


def set_password_hash(tx, person_id, password_hash: str) -> None:
    tx.execute("UPDATE people SET password_hash = %s WHERE id = %s", (password_hash, person_id))
    # A new password ends every session opened with the old one.
    tx.execute("DELETE FROM sessions WHERE person_id = %s", (person_id,))


def register_in_network(tx, network_id, person_id, invitation_id) -> None:
    """The person accepted the network's invitation: from now on it may grant them roles."""
    tx.execute(
        "INSERT INTO network_people (network_id, person_id, invitation_id) VALUES (%s, %s, %s)"
        " ON CONFLICT DO NOTHING",
        (network_id, person_id, invitation_id),
    )


def registered(db, network_id, person_id) -> bool:
    return (
        db.fetchone(
            "SELECT 1 AS one FROM network_people WHERE network_id = %s AND person_id = %s",
            (network_id, person_id),
        )
        is not None
    )


INVITATION_COLUMNS = (
    "id, network_id, name, email, organisation_id, roles, invited_by, created_at, expires_at,"
    " accepted_at, accepted_by, withdrawn_at"
)


def insert_invitation(tx, invitation: dict) -> dict:
    return tx.fetchone(
        "INSERT INTO invitations (id, network_id, name, email, organisation_id, roles,"
        " token_hash, invited_by, expires_at) VALUES (%(id)s, %(network_id)s, %(name)s,"
        " %(email)s, %(organisation_id)s, %(roles)s, %(token_hash)s, %(invited_by)s,"
        f" %(expires_at)s) RETURNING {INVITATION_COLUMNS}",
        invitation,
    )


def invitation_by_token(tx, token_hash: bytes, lock: bool = False) -> dict | None:
    return tx.fetchone(
        f"SELECT {INVITATION_COLUMNS} FROM invitations WHERE token_hash = %s"
        + (" FOR UPDATE" if lock else ""),
        (token_hash,),
    )


def get_invitation(tx, invitation_id, lock: bool = False) -> dict | None:
    return tx.fetchone(
        f"SELECT {INVITATION_COLUMNS} FROM invitations WHERE id = %s"
        + (" FOR UPDATE" if lock else ""),
        (invitation_id,),
    )


def list_invitations(db, network_id) -> list[dict]:
    return db.fetchall(
        f"SELECT {INVITATION_COLUMNS} FROM invitations WHERE network_id = %s"
        " ORDER BY created_at DESC",
        (network_id,),
    )


def accept_invitation(tx, invitation_id, person_id, at) -> None:
    tx.execute(
        "UPDATE invitations SET accepted_at = %s, accepted_by = %s WHERE id = %s",
        (at, person_id, invitation_id),
    )


def withdraw_invitation(tx, invitation_id, at) -> dict:
    return tx.fetchone(
        f"UPDATE invitations SET withdrawn_at = %s WHERE id = %s RETURNING {INVITATION_COLUMNS}",
        (at, invitation_id),
    )


def person_networks(db, person_id) -> set:
    rows = db.fetchall(
        "SELECT network_id FROM network_people WHERE person_id = %s"
        " UNION SELECT network_id FROM roles WHERE person_id = %s",
        (person_id, person_id),
    )
    return {r["network_id"] for r in rows}


def list_people(db, network_id) -> list[dict]:
    return db.fetchall(
        f"SELECT {', '.join('p.' + c.strip() for c in PERSON_COLUMNS.split(','))},"
        " coalesce(array_agg(r.role ORDER BY r.role) FILTER (WHERE r.role IS NOT NULL), '{}')"
        " AS roles FROM people p"
        " JOIN network_people n ON n.person_id = p.id AND n.network_id = %s"
        " LEFT JOIN roles r ON r.person_id = p.id AND r.network_id = n.network_id"
        " GROUP BY p.id ORDER BY p.name",
        (network_id,),
    )


def roles_in(db, network_id, person_id) -> list[str]:
    rows = db.fetchall(
        "SELECT role FROM roles WHERE network_id = %s AND person_id = %s ORDER BY role",
        (network_id, person_id),
    )
    return [r["role"] for r in rows]


def grant_role(tx, network_id, person_id, role) -> bool:
    cur = tx.execute(
        "INSERT INTO roles (network_id, person_id, role) VALUES (%s, %s, %s)"
        " ON CONFLICT DO NOTHING",
        (network_id, person_id, role),
    )
    return cur.rowcount == 1


def revoke_role(tx, network_id, person_id, role) -> bool:
    cur = tx.execute(
        "DELETE FROM roles WHERE network_id = %s AND person_id = %s AND role = %s",
        (network_id, person_id, role),
    )
    return cur.rowcount == 1


def next_role_version(tx) -> int:
    """The version of a role change, for its role_granted / role_revoked event.

    Drawn from the outbox's id sequence: it only grows, for the service's whole life, and it
    is drawn after grant_role / revoke_role changed the role's row, whose lock a competing
    change of the same role waits for. So of two changes of one role, the one that commits
    later carries the higher number, and consumers can tell an old change from a new one
    whatever order the broker delivers them in (verband_common.roles).
    """
    return tx.fetchone("SELECT nextval(pg_get_serial_sequence('outbox', 'id')) AS version")[
        "version"
    ]


def person_roles(db, person_id) -> list[dict]:
    """Every role of a person with its network's name and region."""
    return db.fetchall(
        "SELECT r.network_id, r.role, n.name AS network_name, n.region"
        " FROM roles r JOIN networks n ON n.id = r.network_id WHERE r.person_id = %s"
        " ORDER BY n.name, r.role",
        (person_id,),
    )


# -- sign-in --------------------------------------------------------------------------------


def failure_counts(tx, email: str, ip: str | None, since) -> dict:
    """Recent failed sign-ins as (number, latest): for this address and account together,
    for this address, for this account."""
    row = tx.fetchone(
        "SELECT"
        " count(*) FILTER (WHERE lower(email) = lower(%(e)s) AND ip IS NOT DISTINCT FROM %(ip)s)"
        "   AS pair_n,"
        " max(at) FILTER (WHERE lower(email) = lower(%(e)s) AND ip IS NOT DISTINCT FROM %(ip)s)"
        "   AS pair_at,"
        " count(*) FILTER (WHERE %(ip)s::text IS NOT NULL AND ip = %(ip)s) AS address_n,"
        " max(at) FILTER (WHERE %(ip)s::text IS NOT NULL AND ip = %(ip)s) AS address_at,"
        " count(*) FILTER (WHERE lower(email) = lower(%(e)s)) AS account_n,"
        " max(at) FILTER (WHERE lower(email) = lower(%(e)s)) AS account_at"
        " FROM login_failures"
        " WHERE at > %(since)s AND (lower(email) = lower(%(e)s) OR ip = %(ip)s)",
        {"e": email, "ip": ip, "since": since},
    )
    return {
        "pair": (row["pair_n"], row["pair_at"]),
        "address": (row["address_n"], row["address_at"]),
        "account": (row["account_n"], row["account_at"]),
    }


def signed_in_from(tx, person_id, ip: str | None, since) -> bool:
    """Whether the person signed in successfully from this address since then."""
    if person_id is None or not ip:
        return False
    return (
        tx.fetchone(
            "SELECT 1 AS one FROM identity_events WHERE target_person_id = %s"
            " AND kind = 'signed_in' AND ip = %s AND occurred_at > %s LIMIT 1",
            (person_id, ip, since),
        )
        is not None
    )


def record_failure(tx, email: str, ip: str | None, at) -> None:
    tx.execute(
        "INSERT INTO login_failures (email, ip, at) VALUES (lower(%s), %s, %s)", (email, ip, at)
    )


def clear_failures(tx, email: str, ip: str | None) -> None:
    """A good sign-in forgets this address's failures for the account (others' stay)."""
    tx.execute(
        "DELETE FROM login_failures WHERE lower(email) = lower(%s) AND ip IS NOT DISTINCT FROM %s",
        (email, ip),
    )


def identity_person(tx, issuer: str, subject: str):
    """The person bound to this identity at this provider, or None."""
    row = tx.fetchone(
        "SELECT person_id FROM person_identities WHERE issuer = %s AND subject = %s",
        (issuer, subject),
    )
    return row["person_id"] if row else None


def identity_of(tx, person_id, issuer: str) -> str | None:
    """The subject this person is bound to at this provider, or None."""
    row = tx.fetchone(
        "SELECT subject FROM person_identities WHERE person_id = %s AND issuer = %s",
        (person_id, issuer),
    )
    return row["subject"] if row else None


def bind_identity(tx, issuer: str, subject: str, person_id, at) -> bool:
    """Binds the identity to the person; False when either was bound meanwhile."""
    row = tx.fetchone(
        "INSERT INTO person_identities (issuer, subject, person_id, bound_at)"
        " VALUES (%s, %s, %s, %s) ON CONFLICT DO NOTHING RETURNING person_id",
        (issuer, subject, person_id, at),
    )
    return row is not None


def insert_session(tx, token_hash: bytes, person_id, client: dict, now) -> dict:
    return tx.fetchone(
        "INSERT INTO sessions (token_hash, person_id, client, created_at, last_seen_at)"
        " VALUES (%s, %s, %s, %s, %s) RETURNING created_at, last_seen_at",
        (token_hash, person_id, Jsonb(client), now, now),
    )


def get_session(tx, token_hash: bytes) -> dict | None:
    return tx.fetchone(
        "SELECT person_id, created_at, last_seen_at FROM sessions WHERE token_hash = %s",
        (token_hash,),
    )


def touch_session(tx, token_hash: bytes, now) -> None:
    tx.execute("UPDATE sessions SET last_seen_at = %s WHERE token_hash = %s", (now, token_hash))


def delete_session(tx, token_hash: bytes) -> None:
    tx.execute("DELETE FROM sessions WHERE token_hash = %s", (token_hash,))


def insert_reset(tx, token_hash: bytes, person_id, expires_at) -> None:
    tx.execute(
        "INSERT INTO password_resets (token_hash, person_id, expires_at) VALUES (%s, %s, %s)",
        (token_hash, person_id, expires_at),
    )


def use_reset(tx, token_hash: bytes, now):
    """Mark an unused, unexpired reset token used; returns its person id or None."""
    row = tx.fetchone(
        "UPDATE password_resets SET used_at = %s WHERE token_hash = %s AND used_at IS NULL"
        " AND expires_at > %s RETURNING person_id",
        (now, token_hash, now),
    )
    return row["person_id"] if row else None


ISSUED_COLUMNS = (
    "t.id, t.network_id, t.role, t.label, t.created_at, t.expires_at, t.revoked_at,"
    " t.created_by AS issued_by, p.name AS issued_by_name,"
    " n.name AS network_name, n.region,"
    " p.id IS NOT NULL AS issuer_exists,"
    " coalesce(p.platform_admin, false) AS issuer_platform_admin,"
    # The issuer's roles in the token's network held since before the token was issued: a
    # role revoked (and perhaps granted again) since then backs it no more.
    " coalesce((SELECT array_agg(r.role) FROM roles r WHERE r.network_id = t.network_id"
    "   AND r.person_id = t.created_by AND r.granted_at <= t.created_at), '{}') AS issuer_roles"
)
ISSUED_FROM = (
    "api_tokens t JOIN networks n ON n.id = t.network_id LEFT JOIN people p ON p.id = t.created_by"
)


def insert_api_token(tx, token: dict) -> dict:
    tx.execute(
        "INSERT INTO api_tokens"
        " (id, network_id, role, label, token_hash, created_by, expires_at)"
        " VALUES (%(id)s, %(network_id)s, %(role)s, %(label)s, %(token_hash)s, %(created_by)s,"
        " %(expires_at)s)",
        token,
    )
    return api_token(tx, token_id=token["id"])


def api_token(db, token_id=None, token_hash=None) -> dict | None:
    """A token with its network and its issuer's standing (see domain.tokens.state)."""
    column, value = ("id", token_id) if token_id is not None else ("token_hash", token_hash)
    return db.fetchone(
        f"SELECT {ISSUED_COLUMNS} FROM {ISSUED_FROM} WHERE t.{column} = %s", (value,)
    )


def list_api_tokens(db, network_id, issued_by=None) -> list[dict]:
    """The network's tokens, newest first; only those of one issuer when `issued_by` is given."""
    return db.fetchall(
        f"SELECT {ISSUED_COLUMNS} FROM {ISSUED_FROM} WHERE t.network_id = %s"
        " AND (%s::uuid IS NULL OR t.created_by = %s) ORDER BY t.created_at DESC",
        (network_id, issued_by, issued_by),
    )


def revoke_api_token(tx, token_id, revoked_by: str) -> bool:
    """Revoke it; False when it was revoked already."""
    cur = tx.execute(
        "UPDATE api_tokens SET revoked_at = now(), revoked_by = %s"
        " WHERE id = %s AND revoked_at IS NULL",
        (revoked_by, token_id),
    )
    return cur.rowcount == 1


# -- offer ----------------------------------------------------------------------------------


PUBLIC_DEFAULTS = {
    "address": None,
    "opening_hours": "",
    "contact_phone": None,
    "contact_email": None,
    "languages": ["nl"],
    "cost": "",
    "referral": "",
}


def _offer_row(offer: dict) -> dict:
    ages = offer.get("target_ages", {"min": 0, "max": 24})
    row = {**PUBLIC_DEFAULTS, **offer, "min_age": ages["min"], "max_age": ages["max"]}
    row["address"] = Jsonb(row["address"]) if row["address"] is not None else None
    return row


def insert_offer(tx, offer: dict) -> dict:
    tx.execute(
        "INSERT INTO offers (id, network_id, organisation_id, title, description, kind, rtj,"
        " min_age, max_age, situations, municipalities, capacity, free_places, can_start_from,"
        " status, warm_waiting_list, flanking_offer_ids, address, opening_hours, contact_phone,"
        " contact_email, languages, cost, referral) VALUES (%(id)s, %(network_id)s,"
        " %(organisation_id)s, %(title)s, %(description)s, %(kind)s, %(rtj)s, %(min_age)s,"
        " %(max_age)s, %(situations)s, %(municipalities)s, %(capacity)s, %(free_places)s,"
        " %(can_start_from)s, %(status)s, %(warm_waiting_list)s, %(flanking_offer_ids)s,"
        " %(address)s, %(opening_hours)s, %(contact_phone)s, %(contact_email)s, %(languages)s,"
        " %(cost)s, %(referral)s)",
        _offer_row(offer),
    )
    return get_offer(tx, offer["id"])


OFFER_UPDATABLE = (
    "title",
    "description",
    "kind",
    "rtj",
    "min_age",
    "max_age",
    "situations",
    "municipalities",
    "capacity",
    "free_places",
    "can_start_from",
    "status",
    "warm_waiting_list",
    "flanking_offer_ids",
    *PUBLIC_DEFAULTS,
)


def update_offer(tx, offer_id, offer: dict) -> dict:
    row = _offer_row(offer)
    sets = ", ".join(f"{c} = %({c})s" for c in OFFER_UPDATABLE)
    tx.execute(
        f"UPDATE offers SET {sets}, updated_at = now() WHERE id = %(id)s", {**row, "id": offer_id}
    )
    return get_offer(tx, offer_id)


def get_offer(db, offer_id, lock: bool = False) -> dict | None:
    return _offer(
        db.fetchone(
            f"SELECT {OFFER_COLUMNS}, n.region FROM offers o"
            " JOIN networks n ON n.id = o.network_id"
            " LEFT JOIN organisations g ON g.id = o.organisation_id WHERE o.id = %s"
            + (" FOR UPDATE OF o" if lock else ""),
            (offer_id,),
        )
    )


def _offer(row):
    if row is None:
        return None
    row["target_ages"] = {"min": row.pop("min_age"), "max": row.pop("max_age")}
    return row


def offers_in(db, network_ids, filters: dict | None = None) -> list[dict]:
    filters = filters or {}
    where, params = ["o.network_id = ANY(%(networks)s)"], {"networks": list(network_ids)}
    if "municipality" in filters:
        where.append("%(municipality)s = ANY(o.municipalities)")
    if "age" in filters:
        where.append("o.min_age <= %(age)s AND %(age)s <= o.max_age")
    if "kind" in filters:
        where.append("o.kind = %(kind)s")
    if "status" in filters:
        where.append("o.status = %(status)s")
    if "has_free_places" in filters:
        where.append("(o.free_places > 0) = %(has_free_places)s")
    params.update(filters)
    rows = db.fetchall(
        f"SELECT {OFFER_COLUMNS} FROM offers o"
        " LEFT JOIN organisations g ON g.id = o.organisation_id"
        f" WHERE {' AND '.join(where)} ORDER BY o.title, o.id",
        params,
    )
    return [_offer(r) for r in rows]


PUBLIC_COLUMNS = (
    "o.id, o.title, o.description, o.kind, o.rtj, o.min_age, o.max_age, o.situations,"
    " o.municipalities, o.free_places, o.can_start_from, o.address, o.opening_hours,"
    " o.contact_phone, o.contact_email, o.languages, o.cost, o.referral, o.updated_at,"
    " g.name AS organisation_name,"
    " w.open_entries, w.waiting_since"
)


def public_offers(db, filters: dict, limit: int, offer_id=None) -> list[dict]:
    """Active offers with what the guide needs to derive a wait band: the open entries on
    the offer's waiting list and since when the longest has waited. The caller turns these
    into a band; they never leave the service."""
    where, params = ["o.status = 'active'"], {"limit": limit}
    if offer_id is not None:
        where.append("o.id = %(offer_id)s")
        params["offer_id"] = offer_id
    if "municipality" in filters:
        where.append("%(municipality)s = ANY(o.municipalities)")
        params["municipality"] = filters["municipality"]
    if "age" in filters:
        where.append("o.min_age <= %(age)s AND %(age)s <= o.max_age")
        params["age"] = filters["age"]
    if "kind" in filters:
        where.append("o.kind = %(kind)s")
        params["kind"] = filters["kind"]
    if "concern" in filters:
        # strpos, not ILIKE: a resident's % or _ is text, not a pattern.
        where.append(
            "strpos(lower(o.title || ' ' || o.description || ' '"
            " || array_to_string(o.situations, ' ')), lower(%(concern)s)) > 0"
        )
        params["concern"] = filters["concern"]
    rows = db.fetchall(
        f"SELECT {PUBLIC_COLUMNS} FROM offers o"
        " LEFT JOIN organisations g ON g.id = o.organisation_id"
        " CROSS JOIN LATERAL (SELECT count(*) AS open_entries, min(added_on) AS waiting_since"
        " FROM waiting_entries e WHERE e.offer_id = o.id AND e.removed_on IS NULL) w"
        f" WHERE {' AND '.join(where)} ORDER BY o.title, o.id LIMIT %(limit)s",
        params,
    )
    return [_offer(r) for r in rows]


def offer_ids_in_network(db, network_id, ids) -> set:
    rows = db.fetchall(
        "SELECT id FROM offers WHERE network_id = %s AND id = ANY(%s)", (network_id, list(ids))
    )
    return {r["id"] for r in rows}


def organisations_by_id(db, ids) -> dict:
    rows = db.fetchall(
        f"SELECT {ORGANISATION_COLUMNS} FROM organisations WHERE id = ANY(%s)", (list(ids),)
    )
    return {r["id"]: r for r in rows}


def networks_in_regions(db, regions) -> list[dict]:
    return db.fetchall(
        f"SELECT {NETWORK_COLUMNS} FROM networks WHERE region = ANY(%s)", (list(regions),)
    )


# -- agreements -----------------------------------------------------------------------------


def insert_agreement(tx, a: dict) -> dict:
    return tx.fetchone(
        "INSERT INTO agreements (id, network_id, title, kind, parties, starts_on, ends_on,"
        " agreed_number, used_number, unit, status, notes, next_follow_up_on) VALUES"
        " (%(id)s, %(network_id)s, %(title)s, %(kind)s, %(parties)s, %(starts_on)s,"
        " %(ends_on)s, %(agreed_number)s, %(used_number)s, %(unit)s, %(status)s, %(notes)s,"
        f" %(next_follow_up_on)s) RETURNING {AGREEMENT_COLUMNS}",
        {**a, "parties": Jsonb(a["parties"])},
    )


def get_agreement(db, agreement_id, lock: bool = False) -> dict | None:
    return db.fetchone(
        f"SELECT {AGREEMENT_COLUMNS} FROM agreements WHERE id = %s"
        + (" FOR UPDATE" if lock else ""),
        (agreement_id,),
    )


def update_agreement(tx, agreement_id, changes: dict) -> dict:
    if "parties" in changes:
        changes = {**changes, "parties": Jsonb(changes["parties"])}
    sets = ", ".join(f"{c} = %({c})s" for c in changes)
    return tx.fetchone(
        f"UPDATE agreements SET {sets}, updated_at = now() WHERE id = %(id)s"
        f" RETURNING {AGREEMENT_COLUMNS}",
        {**changes, "id": agreement_id},
    )


def list_agreements(db, network_id) -> list[dict]:
    return db.fetchall(
        f"SELECT {AGREEMENT_COLUMNS} FROM agreements WHERE network_id = %s"
        " ORDER BY starts_on DESC, title",
        (network_id,),
    )


def insert_follow_up(tx, f: dict) -> dict:
    return tx.fetchone(
        "INSERT INTO agreement_follow_ups (id, agreement_id, held_on, notes, used_number,"
        " next_follow_up_on) VALUES (%(id)s, %(agreement_id)s, %(held_on)s, %(notes)s,"
        " %(used_number)s, %(next_follow_up_on)s) RETURNING id, agreement_id, held_on, notes,"
        " used_number, next_follow_up_on, created_at",
        f,
    )


def follow_ups(db, agreement_ids) -> dict:
    rows = db.fetchall(
        "SELECT id, agreement_id, held_on, notes, used_number, next_follow_up_on, created_at"
        " FROM agreement_follow_ups WHERE agreement_id = ANY(%s) ORDER BY held_on, created_at",
        (list(agreement_ids),),
    )
    grouped: dict = {}
    for r in rows:
        grouped.setdefault(r.pop("agreement_id"), []).append(r)
    return grouped


# -- task groups ----------------------------------------------------------------------------


def insert_task_group(tx, g: dict) -> dict:
    return tx.fetchone(
        "INSERT INTO task_groups (id, network_id, name, theme, mandate, members, organisations)"
        " VALUES (%(id)s, %(network_id)s, %(name)s, %(theme)s, %(mandate)s, %(members)s,"
        f" %(organisations)s) RETURNING {TASK_GROUP_COLUMNS}",
        g,
    )


def get_task_group(db, task_group_id, lock: bool = False) -> dict | None:
    return db.fetchone(
        f"SELECT {TASK_GROUP_COLUMNS} FROM task_groups WHERE id = %s"
        + (" FOR UPDATE" if lock else ""),
        (task_group_id,),
    )


def update_task_group(tx, task_group_id, changes: dict) -> dict:
    sets = ", ".join(f"{c} = %({c})s" for c in changes)
    return tx.fetchone(
        f"UPDATE task_groups SET {sets}, updated_at = now() WHERE id = %(id)s"
        f" RETURNING {TASK_GROUP_COLUMNS}",
        {**changes, "id": task_group_id},
    )


def list_task_groups(db, network_id) -> list[dict]:
    return db.fetchall(
        f"SELECT {TASK_GROUP_COLUMNS} FROM task_groups WHERE network_id = %s ORDER BY name",
        (network_id,),
    )


def registered_people(db, network_id, person_ids) -> set:
    rows = db.fetchall(
        "SELECT person_id FROM network_people WHERE network_id = %s AND person_id = ANY(%s)",
        (network_id, list(person_ids)),
    )
    return {r["person_id"] for r in rows}


# -- waiting counts (from cases' events) ----------------------------------------------------


def waiting_entry_added(tx, event: dict) -> None:
    # A removal that overtook its addition already holds the row; the addition fills in
    # the date and leaves the removal standing.
    tx.execute(
        "INSERT INTO waiting_entries (entry_id, offer_id, network_id, added_on)"
        " VALUES (%s, %s, %s, %s)"
        " ON CONFLICT (entry_id) DO UPDATE SET added_on = EXCLUDED.added_on",
        (event["entry_id"], event["offer_id"], event["network_id"], event["added_on"]),
    )


def waiting_entry_removed(tx, event: dict) -> None:
    tx.execute(
        "INSERT INTO waiting_entries (entry_id, offer_id, network_id, removed_on)"
        " VALUES (%s, %s, %s, %s)"
        " ON CONFLICT (entry_id) DO UPDATE SET removed_on = EXCLUDED.removed_on",
        (event["entry_id"], event["offer_id"], event["network_id"], event["removed_on"]),
    )


def waiting_counts(db, network_id) -> dict:
    """Offer id -> families on its waiting list now."""
    rows = db.fetchall(
        "SELECT offer_id, count(*) AS n FROM waiting_entries"
        " WHERE network_id = %s AND removed_on IS NULL GROUP BY offer_id",
        (network_id,),
    )
    return {r["offer_id"]: r["n"] for r in rows}


# -- referrals counted against agreements (from cases' events) -------------------------------

# Which referrals count against which kind of agreement.
AGREEMENT_SOURCES = {"mandated_body": "mandated_body", "crisis_point": "crisis_point"}


def record_agreement_referral(tx, event: dict) -> None:
    tx.execute(
        "INSERT INTO agreement_referrals (referral_id, network_id, source_sector, received_on)"
        " VALUES (%s, %s, %s, %s) ON CONFLICT (referral_id) DO NOTHING",
        (event["referral_id"], event["network_id"], event["source_sector"], event["received_on"]),
    )


def referrals_counted(db, agreements: list[dict]) -> dict:
    """Agreement id -> referrals from its kind of party within its period."""
    counted = {}
    for a in agreements:
        row = db.fetchone(
            "SELECT count(*) AS n FROM agreement_referrals WHERE network_id = %s"
            " AND source_sector = %s AND received_on >= %s"
            " AND (%s::date IS NULL OR received_on <= %s::date)",
            (
                a["network_id"],
                AGREEMENT_SOURCES.get(a["kind"], a["kind"]),
                a["starts_on"],
                a["ends_on"],
                a["ends_on"],
            ),
        )
        counted[a["id"]] = row["n"]
    return counted
