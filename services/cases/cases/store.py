"""SQL of the cases service's own records; every function works inside the caller's
transaction (or, for reads, on the `self.db` session, which has the same fetch methods).

A referral is the family's case in the network: its id is the case id.
"""

import secrets

from psycopg.types.json import Jsonb

# Kept for the walking skeleton's callers; projections.py has the full version.
from cases.projections import upsert_offer  # noqa: F401

REFERRAL_COLUMNS = (
    "r.id, r.network_id, r.family_id, r.offer_id, r.source_sector, r.concern, r.question,"
    " r.consent, r.status, r.received_at, r.requested_offer_ids, r.mandated_body,"
    " r.life_domains, r.urgency, r.referrer_id, r.referrer_organisation_id, r.case_pseudonym,"
    " r.family_pseudonym, r.age_bands, r.triage, r.triaged_at, r.started_at,"
    " f.household, f.contact, f.municipality, f.legal_hold, f.legal_hold_reason,"
    " f.anonymised_at, f.erased_at"
)
ENTRY_COLUMNS = (
    "e.id, e.network_id, e.referral_id, e.offer_id, e.waiting_since, e.added_on, e.concern,"
    " e.concern_level, e.urgency, e.urgency_level, e.domains, e.rank_key, e.status,"
    " e.last_contact_on, e.next_contact_due, e.removed_on, e.removal_reason, e.removal_note"
)
TRAJECTORY_COLUMNS = (
    "id, network_id, referral_id, offer_id, case_manager_id, status, started_on, closed_on,"
    " outcome, flow_to, closing_note, created_at"
)


def offer_in_network(tx, offer_id, network_id) -> dict | None:
    return tx.fetchone(
        "SELECT id, status FROM offers WHERE id = %s AND network_id = %s", (offer_id, network_id)
    )


def network_key(tx, network_id) -> bytes:
    """The network's pseudonym key, created on first use (concurrent creators agree)."""
    tx.execute(
        "INSERT INTO network_keys (network_id, pseudonym_key) VALUES (%s, %s)"
        " ON CONFLICT DO NOTHING",
        (network_id, secrets.token_bytes(32)),
    )
    row = tx.fetchone("SELECT pseudonym_key FROM network_keys WHERE network_id = %s", (network_id,))
    return bytes(row["pseudonym_key"])


def insert_family(tx, family: dict) -> None:
    tx.execute(
        "INSERT INTO families (id, network_id, household, municipality, contact)"
        " VALUES (%(id)s, %(network_id)s, %(household)s, %(municipality)s, %(contact)s)",
        {
            **family,
            "household": Jsonb(family["household"]),
            "contact": Jsonb(family.get("contact") or {}),
        },
    )


def insert_children(tx, family_id, network_id, keys: list[str]) -> None:
    for key in set(keys):
        tx.execute(
            "INSERT INTO children (family_id, network_id, child_key) VALUES (%s, %s, %s)"
            " ON CONFLICT DO NOTHING",
            (family_id, network_id, key),
        )


def insert_referral(tx, referral: dict) -> dict:
    params = {
        "requested_offer_ids": [],
        "mandated_body": False,
        "life_domains": [],
        "urgency": "normal",
        "referrer_id": None,
        "referrer_organisation_id": None,
        "case_pseudonym": None,
        "family_pseudonym": None,
        "age_bands": [],
        # A referral taken over from an earlier waiting list keeps the day it was made.
        "received_at": None,
        **referral,
    }
    params["consent"] = Jsonb(params["consent"])
    return tx.fetchone(
        "INSERT INTO referrals (id, network_id, family_id, offer_id, source_sector, concern,"
        " question, consent, requested_offer_ids, mandated_body, life_domains, urgency,"
        " referrer_id, referrer_organisation_id, case_pseudonym, family_pseudonym, age_bands,"
        " received_at)"
        " VALUES (%(id)s, %(network_id)s, %(family_id)s, %(offer_id)s, %(source_sector)s,"
        " %(concern)s, %(question)s, %(consent)s, %(requested_offer_ids)s, %(mandated_body)s,"
        " %(life_domains)s, %(urgency)s, %(referrer_id)s, %(referrer_organisation_id)s,"
        " %(case_pseudonym)s, %(family_pseudonym)s, %(age_bands)s,"
        " COALESCE(%(received_at)s, now()))"
        " RETURNING id AS referral_id, id AS case_id, network_id, offer_id, status, received_at,"
        " urgency",
        params,
    )


def known_child_keys(db, network_id, keys: list[str]) -> set[str]:
    """Which of these children (`child_key`s) the network knows already."""
    rows = db.fetchall(
        "SELECT child_key FROM children WHERE network_id = %s AND child_key = ANY(%s)",
        (network_id, keys),
    )
    return {r["child_key"] for r in rows}


def existing_network_key(db, network_id) -> bytes | None:
    """The network's pseudonym key if it has one (a check must not create it)."""
    row = db.fetchone("SELECT pseudonym_key FROM network_keys WHERE network_id = %s", (network_id,))
    return bytes(row["pseudonym_key"]) if row else None


def referral(db, referral_id, lock: bool = False) -> dict | None:
    query = (
        "SELECT " + REFERRAL_COLUMNS + " FROM referrals r JOIN families f ON f.id = r.family_id"
        " WHERE r.id = %s"
    )
    if lock:
        # The family's row too: its one plan is written through any of its referrals.
        query += " FOR UPDATE OF r, f"
    return db.fetchone(query, (referral_id,))


def referral_by_case_pseudonym(db, network_id, case_pseudonym) -> dict | None:
    return db.fetchone(
        "SELECT r.id, r.network_id, f.anonymised_at FROM referrals r"
        " JOIN families f ON f.id = r.family_id"
        " WHERE r.network_id = %s AND r.case_pseudonym = %s",
        (network_id, case_pseudonym),
    )


def set_status(tx, referral_id, status: str) -> None:
    tx.execute("UPDATE referrals SET status = %s WHERE id = %s", (status, referral_id))


def record_triage(tx, referral_id, status: str, triage: dict) -> None:
    tx.execute(
        "UPDATE referrals SET status = %s, triage = %s, triaged_at = now() WHERE id = %s",
        (status, Jsonb(triage), referral_id),
    )


# Who is involved in a case: its referrer, its contact points, and the organisations of its
# offers (waiting list, trajectory), its plan's current actions, its bridging support and its
# contact points. One row per referral in `ids`.
CASE_FACTS = (
    "SELECT r.id, r.referrer_id,"
    " ARRAY(SELECT t.case_manager_id FROM trajectories t WHERE t.referral_id = r.id)"
    "   AS contact_points,"
    " ARRAY("
    # The organisation of the offer the family was referred to, until it declines.
    "   SELECT o.organisation_id FROM offers o WHERE o.id = r.offer_id"
    "    AND o.organisation_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM referral_answers a"
    "    WHERE a.referral_id = r.id AND a.offer_id = o.id AND a.answer = 'declined')"
    "   UNION SELECT o.organisation_id FROM waiting_entries e JOIN offers o ON o.id = e.offer_id"
    "    WHERE e.referral_id = r.id AND o.organisation_id IS NOT NULL"
    "   UNION SELECT o.organisation_id FROM trajectories t JOIN offers o ON o.id = t.offer_id"
    "    WHERE t.referral_id = r.id AND o.organisation_id IS NOT NULL"
    "   UNION SELECT b.organisation_id FROM bridging_support b"
    "    WHERE b.referral_id = r.id AND b.organisation_id IS NOT NULL"
    "   UNION SELECT h.organisation_id FROM trajectories t JOIN role_holders h"
    "    ON h.person_id = t.case_manager_id AND h.network_id = t.network_id"
    "    WHERE t.referral_id = r.id AND h.organisation_id IS NOT NULL"
    "   UNION SELECT (a ->> 'responsible_organisation_id')::uuid FROM ("
    "     SELECT plan FROM plan_versions v WHERE v.family_id = r.family_id"
    "     ORDER BY version DESC LIMIT 1) p,"
    "     jsonb_array_elements(p.plan -> 'goals') g, jsonb_array_elements(g -> 'actions') a"
    " ) AS organisations"
    " FROM referrals r WHERE r.id = ANY(%s::uuid[])"
)


def case_facts(db, referral_id) -> dict:
    """Who is involved in one case (see CASE_FACTS)."""
    return db.fetchone(CASE_FACTS, ([referral_id],))


def case_facts_of(db, referral_ids: list) -> dict:
    """Who is involved in each of several cases, by referral id: one query for a list."""
    if not referral_ids:
        return {}
    return {row["id"]: row for row in db.fetchall(CASE_FACTS, (list(referral_ids),))}


def list_cases(
    db, network_id, person_id, organisation_id, everything: bool, status, mine: bool = False
) -> list:
    return db.fetchall(
        "SELECT r.id, r.status, r.concern, r.urgency, r.received_at, r.age_bands,"
        " f.municipality, f.household -> 'carers' -> 0 ->> 'name' AS family_name,"
        " (SELECT count(*) FROM waiting_entries e WHERE e.referral_id = r.id"
        "   AND e.status = 'waiting') AS waiting_on,"
        " (SELECT a.reason FROM referral_answers a WHERE a.referral_id = r.id"
        "   AND a.answer = 'declined' ORDER BY a.answered_at DESC LIMIT 1) AS declined_reason"
        " FROM referrals r JOIN families f ON f.id = r.family_id"
        " WHERE r.network_id = %(network)s AND (%(status)s::text IS NULL OR r.status = %(status)s)"
        " AND (NOT %(mine)s OR r.referrer_id = %(person)s)"
        " AND (%(all)s OR r.referrer_id = %(person)s"
        "  OR EXISTS (SELECT 1 FROM trajectories t WHERE t.referral_id = r.id"
        "             AND t.case_manager_id = %(person)s)"
        "  OR (%(org)s::uuid IS NOT NULL AND ("
        "   EXISTS (SELECT 1 FROM offers o WHERE o.id = r.offer_id"
        "           AND o.organisation_id = %(org)s)"
        "   OR EXISTS (SELECT 1 FROM waiting_entries e JOIN offers o ON o.id = e.offer_id"
        "           WHERE e.referral_id = r.id AND o.organisation_id = %(org)s)"
        "   OR EXISTS (SELECT 1 FROM trajectories t JOIN offers o ON o.id = t.offer_id"
        "           WHERE t.referral_id = r.id AND o.organisation_id = %(org)s)"
        "   OR EXISTS (SELECT 1 FROM bridging_support b WHERE b.referral_id = r.id"
        "           AND b.organisation_id = %(org)s)"
        "   OR EXISTS (SELECT 1 FROM plan_versions v WHERE v.family_id = r.family_id"
        "           AND jsonb_path_exists(v.plan,"
        "           '$.goals[*].actions[*] ? (@.responsible_organisation_id == $org)',"
        "           jsonb_build_object('org', %(org)s::text))))))"
        " ORDER BY r.received_at DESC LIMIT 500",
        {
            "network": network_id,
            "status": status,
            "all": everything,
            "person": person_id,
            "org": organisation_id,
            "mine": mine,
        },
    )


# -- drafts and consultations -----------------------------------------------------------------


def save_draft(tx, draft_id, network_id, author_id, payload) -> dict | None:
    return tx.fetchone(
        "INSERT INTO referral_drafts (id, network_id, author_id, payload) VALUES (%s, %s, %s, %s)"
        " ON CONFLICT (id) DO UPDATE SET payload = EXCLUDED.payload, updated_at = now()"
        " WHERE referral_drafts.author_id = EXCLUDED.author_id"
        " AND referral_drafts.network_id = EXCLUDED.network_id"
        " RETURNING id, network_id, payload, updated_at",
        (draft_id, network_id, author_id, Jsonb(payload)),
    )


def draft(db, draft_id, author_id) -> dict | None:
    return db.fetchone(
        "SELECT id, network_id, payload, updated_at FROM referral_drafts"
        " WHERE id = %s AND author_id = %s",
        (draft_id, author_id),
    )


def drafts(db, network_id, author_id) -> list:
    return db.fetchall(
        "SELECT id, network_id, payload, updated_at FROM referral_drafts"
        " WHERE network_id = %s AND author_id = %s ORDER BY updated_at DESC",
        (network_id, author_id),
    )


def delete_draft(tx, draft_id) -> None:
    tx.execute("DELETE FROM referral_drafts WHERE id = %s", (draft_id,))


def insert_consultation(tx, c: dict) -> dict:
    return tx.fetchone(
        "INSERT INTO consultations (id, network_id, municipality, concern, age_bands,"
        " life_domains, advice, registered_by) VALUES (%(id)s, %(network_id)s, %(municipality)s,"
        " %(concern)s, %(age_bands)s, %(life_domains)s, %(advice)s, %(registered_by)s)"
        " RETURNING id, network_id, municipality, concern, age_bands, life_domains,"
        " registered_at",
        c,
    )


# -- the warm waiting list ------------------------------------------------------------------


def insert_entry(tx, e: dict) -> dict:
    return tx.fetchone(
        "INSERT INTO waiting_entries (id, network_id, referral_id, offer_id, waiting_since,"
        " added_on, concern, concern_level, urgency, urgency_level, domains, rank_key,"
        " next_contact_due, added_by) VALUES (%(id)s, %(network_id)s, %(referral_id)s,"
        " %(offer_id)s, %(waiting_since)s, %(added_on)s, %(concern)s, %(concern_level)s,"
        " %(urgency)s, %(urgency_level)s, %(domains)s, %(rank_key)s, %(next_contact_due)s,"
        " %(added_by)s) ON CONFLICT DO NOTHING RETURNING id",
        e,
    )


def entry(db, entry_id, lock: bool = False) -> dict | None:
    query = "SELECT " + ENTRY_COLUMNS + " FROM waiting_entries e WHERE e.id = %s"
    if lock:
        query += " FOR UPDATE"
    return db.fetchone(query, (entry_id,))


def entries_of(db, referral_id) -> list:
    return db.fetchall(
        "SELECT " + ENTRY_COLUMNS + ", o.title AS offer_title, o.organisation_id,"
        " o.can_start_from FROM waiting_entries e JOIN offers o ON o.id = e.offer_id"
        " WHERE e.referral_id = %s ORDER BY e.added_on, e.id",
        (referral_id,),
    )


def waiting_entries_of_network(db, network_id) -> list:
    return db.fetchall(
        "SELECT id, waiting_since, concern, urgency, domains FROM waiting_entries"
        " WHERE network_id = %s AND status = 'waiting'",
        (network_id,),
    )


def set_rank_keys(tx, pairs: list[tuple]) -> None:
    if not pairs:
        return
    tx.execute(
        "UPDATE waiting_entries e SET rank_key = v.k FROM unnest(%s::uuid[], %s::float8[])"
        " AS v(id, k) WHERE e.id = v.id",
        ([p[0] for p in pairs], [p[1] for p in pairs]),
    )


def offer_list_page(db, offer_id, limit: int, offset: int) -> list:
    """One page of an offer's waiting list in priority order (served by its index)."""
    return db.fetchall(
        "SELECT " + ENTRY_COLUMNS + ", r.received_at, r.age_bands, r.family_id,"
        " f.household -> 'carers' -> 0 ->> 'name' AS family_name, f.municipality"
        " FROM waiting_entries e JOIN referrals r ON r.id = e.referral_id"
        " JOIN families f ON f.id = r.family_id"
        " WHERE e.offer_id = %s AND e.status = 'waiting'"
        " ORDER BY e.rank_key DESC, e.waiting_since, e.concern_level DESC, e.domains DESC,"
        " e.urgency_level DESC, e.id LIMIT %s OFFSET %s",
        (offer_id, limit, offset),
    )


def waiting_count(db, offer_id) -> int:
    return db.fetchone(
        "SELECT count(*) AS n FROM waiting_entries WHERE offer_id = %s AND status = 'waiting'",
        (offer_id,),
    )["n"]


def position_of(db, e: dict) -> int:
    """1 + how many entries of the same offer come before `e` in priority order."""
    row = db.fetchone(
        "SELECT count(*) AS n FROM waiting_entries WHERE offer_id = %s AND status = 'waiting'"
        " AND (-rank_key, waiting_since, -concern_level, -domains, -urgency_level, id)"
        "   < (%s, %s, %s, %s, %s, %s)",
        (
            e["offer_id"],
            -e["rank_key"],
            e["waiting_since"],
            -e["concern_level"],
            -e["domains"],
            -e["urgency_level"],
            e["id"],
        ),
    )
    return row["n"] + 1


def also_waiting(db, referral_ids: list, network_id) -> dict:
    """Per referral: other waiting entries of the same family or of a family with the same
    child (by keyed fingerprint), on any list of the network."""
    if not referral_ids:
        return {}
    rows = db.fetchall(
        "SELECT DISTINCT r.id AS referral_id, e.id AS entry_id, e.offer_id, o.title,"
        " e.referral_id AS other_referral"
        " FROM referrals r JOIN children c ON c.family_id = r.family_id"
        " JOIN children c2 ON c2.network_id = c.network_id AND c2.child_key = c.child_key"
        " JOIN referrals r2 ON r2.family_id = c2.family_id"
        " JOIN waiting_entries e ON e.referral_id = r2.id AND e.status = 'waiting'"
        " JOIN offers o ON o.id = e.offer_id"
        " WHERE r.id = ANY(%s) AND c.network_id = %s",
        (referral_ids, network_id),
    )
    found: dict = {}
    for r in rows:
        found.setdefault(r["referral_id"], []).append(r)
    return found


def other_lists(db, referral_ids: list, network_id, offer_id) -> dict:
    """Per referral on `offer_id`'s list: the other offers on whose list the same family, or
    a family with the same child (by keyed fingerprint), waits; each offer once.

    One row per referral and offer, not per pair of entries: a child referred many times
    would otherwise multiply the rows by every other referral of that child."""
    if not referral_ids:
        return {}
    rows = db.fetchall(
        "SELECT DISTINCT r.id AS referral_id, e.offer_id, o.title"
        " FROM referrals r JOIN children c ON c.family_id = r.family_id"
        " JOIN children c2 ON c2.network_id = c.network_id AND c2.child_key = c.child_key"
        " JOIN referrals r2 ON r2.family_id = c2.family_id"
        " JOIN waiting_entries e ON e.referral_id = r2.id AND e.status = 'waiting'"
        " JOIN offers o ON o.id = e.offer_id"
        " WHERE r.id = ANY(%s) AND c.network_id = %s AND e.offer_id <> %s"
        " ORDER BY r.id, o.title, e.offer_id",
        (referral_ids, network_id, offer_id),
    )
    found: dict = {}
    for r in rows:
        found.setdefault(r["referral_id"], []).append(r)
    return found


def remove_entry(tx, entry_id, removed_on, reason, note) -> None:
    tx.execute(
        "UPDATE waiting_entries SET status = 'removed', removed_on = %s, removal_reason = %s,"
        " removal_note = %s WHERE id = %s",
        (removed_on, reason, note, entry_id),
    )


def waiting_left(db, referral_id) -> int:
    return db.fetchone(
        "SELECT count(*) AS n FROM waiting_entries WHERE referral_id = %s AND status = 'waiting'",
        (referral_id,),
    )["n"]


def insert_contact(tx, c: dict) -> dict:
    return tx.fetchone(
        "INSERT INTO warm_contacts (id, entry_id, contact_on, by_person, channel, note)"
        " VALUES (%(id)s, %(entry_id)s, %(contact_on)s, %(by_person)s, %(channel)s, %(note)s)"
        " RETURNING id, entry_id, contact_on, by_person, channel, note, created_at",
        c,
    )


def contact_done(tx, entry_id, last_contact_on, next_due) -> None:
    tx.execute(
        "UPDATE waiting_entries SET last_contact_on = %s, next_contact_due = %s WHERE id = %s",
        (last_contact_on, next_due, entry_id),
    )


def contacts_of(db, referral_id) -> list:
    return db.fetchall(
        "SELECT c.id, c.entry_id, c.contact_on, c.by_person, c.channel, c.note"
        " FROM warm_contacts c JOIN waiting_entries e ON e.id = c.entry_id"
        " WHERE e.referral_id = %s ORDER BY c.contact_on, c.created_at",
        (referral_id,),
    )


def overdue(db, network_id, today, organisation_id, everything: bool) -> list:
    return db.fetchall(
        "SELECT e.id AS entry_id, e.referral_id, e.offer_id, o.title AS offer_title,"
        " e.next_contact_due, e.last_contact_on, e.waiting_since,"
        " f.household -> 'carers' -> 0 ->> 'name' AS family_name"
        " FROM waiting_entries e JOIN offers o ON o.id = e.offer_id"
        " JOIN referrals r ON r.id = e.referral_id JOIN families f ON f.id = r.family_id"
        " WHERE e.network_id = %s AND e.status = 'waiting' AND e.next_contact_due < %s"
        " AND (%s OR o.organisation_id = %s) ORDER BY e.next_contact_due, e.id",
        (network_id, today, everything, organisation_id),
    )


def open_referrals(db, network_id) -> list:
    return db.fetchall(
        "SELECT r.id, r.status, r.received_at, r.urgency, r.concern,"
        " f.household -> 'carers' -> 0 ->> 'name' AS family_name"
        " FROM referrals r JOIN families f ON f.id = r.family_id"
        " WHERE r.network_id = %s AND r.status IN ('received', 'waiting')"
        " AND f.erased_at IS NULL ORDER BY r.received_at",
        (network_id,),
    )


def insert_bridging(tx, b: dict) -> dict:
    return tx.fetchone(
        "INSERT INTO bridging_support (id, referral_id, kind, organisation_id, starts_on, note,"
        " recorded_by) VALUES (%(id)s, %(referral_id)s, %(kind)s, %(organisation_id)s,"
        " %(starts_on)s, %(note)s, %(recorded_by)s)"
        " RETURNING id, referral_id, kind, organisation_id, starts_on, note, recorded_by",
        b,
    )


def bridging_of(db, referral_id) -> list:
    return db.fetchall(
        "SELECT id, kind, organisation_id, starts_on, note, recorded_by FROM bridging_support"
        " WHERE referral_id = %s ORDER BY starts_on, created_at",
        (referral_id,),
    )


# -- trajectories -----------------------------------------------------------------------------


def insert_trajectory(tx, t: dict) -> dict:
    return tx.fetchone(
        "INSERT INTO trajectories (id, network_id, referral_id, offer_id, case_manager_id,"
        " started_on) VALUES (%(id)s, %(network_id)s, %(referral_id)s, %(offer_id)s,"
        " %(case_manager_id)s, %(started_on)s) RETURNING " + TRAJECTORY_COLUMNS,
        t,
    )


def trajectory(db, trajectory_id, lock: bool = False) -> dict | None:
    query = "SELECT " + TRAJECTORY_COLUMNS + " FROM trajectories WHERE id = %s"
    if lock:
        query += " FOR UPDATE"
    return db.fetchone(query, (trajectory_id,))


def trajectories_of(db, referral_id) -> list:
    return db.fetchall(
        "SELECT " + TRAJECTORY_COLUMNS + " FROM trajectories WHERE referral_id = %s"
        " ORDER BY started_on, created_at",
        (referral_id,),
    )


def update_trajectory(tx, trajectory_id, **changes) -> dict:
    allowed = ("case_manager_id", "status", "closed_on", "outcome", "flow_to", "closing_note")
    sets = [k for k in changes if k in allowed]
    assignments = ", ".join(f"{k} = %({k})s" for k in sets)
    return tx.fetchone(
        "UPDATE trajectories SET "
        + assignments
        + " WHERE id = %(id)s RETURNING "  # noqa: S608 - column names from the fixed list above
        + TRAJECTORY_COLUMNS,
        {**{k: changes[k] for k in sets}, "id": trajectory_id},
    )


def add_history(tx, trajectory_id, change: str, detail: dict, by_person) -> None:
    tx.execute(
        "INSERT INTO trajectory_history (trajectory_id, change, detail, by_person)"
        " VALUES (%s, %s, %s, %s)",
        (trajectory_id, change, Jsonb(detail), by_person),
    )


def history_of(db, trajectory_id) -> list:
    return db.fetchall(
        "SELECT change, detail, by_person, at FROM trajectory_history WHERE trajectory_id = %s"
        " ORDER BY id",
        (trajectory_id,),
    )


# -- the plan ---------------------------------------------------------------------------------


# The family of a case: the one plan is the family's, whichever of its referrals is open.
FAMILY_OF = "SELECT family_id FROM referrals WHERE id = %s"


def current_plan(db, referral_id) -> dict | None:
    return db.fetchone(
        "SELECT version, plan, changes, author_id, created_at FROM plan_versions"
        " WHERE family_id = (" + FAMILY_OF + ") ORDER BY version DESC LIMIT 1",
        (referral_id,),
    )


def plan_version(db, referral_id, version) -> dict | None:
    return db.fetchone(
        "SELECT version, plan, changes, author_id, created_at FROM plan_versions"
        " WHERE family_id = (" + FAMILY_OF + ") AND version = %s",
        (referral_id, version),
    )


def plan_versions(db, referral_id) -> list:
    return db.fetchall(
        "SELECT version, plan, changes, author_id, created_at FROM plan_versions"
        " WHERE family_id = (" + FAMILY_OF + ") ORDER BY version",
        (referral_id,),
    )


def insert_plan(tx, referral_id, version, plan, changes, author_id) -> dict | None:
    return tx.fetchone(
        "INSERT INTO plan_versions (referral_id, family_id, version, plan, changes, author_id)"
        " VALUES (%s, (" + FAMILY_OF + "), %s, %s, %s, %s) ON CONFLICT DO NOTHING"
        " RETURNING version, plan, changes, author_id, created_at",
        (referral_id, referral_id, version, Jsonb(plan), Jsonb(changes), author_id),
    )


# -- answers of the receiving organisations (closed loop) ------------------------------------


def insert_answer(tx, a: dict) -> dict | None:
    """None when this offer's organisation already answered for this case."""
    return tx.fetchone(
        "INSERT INTO referral_answers (id, network_id, referral_id, offer_id, entry_id, answer,"
        " reason, starts_on, answered_by, answered_on) VALUES (%(id)s, %(network_id)s,"
        " %(referral_id)s, %(offer_id)s, %(entry_id)s, %(answer)s, %(reason)s, %(starts_on)s,"
        " %(answered_by)s, %(answered_on)s) ON CONFLICT DO NOTHING RETURNING id",
        a,
    )


def answers_of(db, referral_id) -> list:
    return db.fetchall(
        "SELECT a.offer_id, o.title AS offer_title, o.organisation_id, a.answer, a.reason,"
        " a.starts_on, a.answered_on FROM referral_answers a JOIN offers o ON o.id = a.offer_id"
        " WHERE a.referral_id = %s ORDER BY a.answered_at, a.id",
        (referral_id,),
    )


def running_trajectories(db, referral_id) -> int:
    return db.fetchone(
        "SELECT count(*) AS n FROM trajectories WHERE referral_id = %s AND status <> 'closed'",
        (referral_id,),
    )["n"]


# -- bottlenecks ------------------------------------------------------------------------------


def insert_bottleneck(tx, b: dict) -> dict:
    return tx.fetchone(
        "INSERT INTO bottlenecks (id, network_id, referral_id, reason_category, note,"
        " flagged_on, flagged_by) VALUES (%(id)s, %(network_id)s, %(referral_id)s,"
        " %(reason_category)s, %(note)s, %(flagged_on)s, %(flagged_by)s)"
        " RETURNING id, reason_category, note, flagged_on, flagged_by, decision",
        b,
    )


def bottlenecks_of(db, referral_id) -> list:
    return db.fetchall(
        "SELECT id, reason_category, note, flagged_on, flagged_by, decision FROM bottlenecks"
        " WHERE referral_id = %s ORDER BY flagged_on, id",
        (referral_id,),
    )


def record_decision(tx, referral_id, decision: dict) -> int:
    """The decision goes to the case's open bottlenecks (all of them: one agenda item)."""
    return tx.execute(
        "UPDATE bottlenecks SET decision = %s WHERE referral_id = %s AND decision IS NULL",
        (Jsonb(decision), referral_id),
    ).rowcount


# -- privacy ----------------------------------------------------------------------------------


def set_legal_hold(tx, family_id, on: bool, reason: str) -> None:
    tx.execute(
        "UPDATE families SET legal_hold = %s, legal_hold_reason = %s WHERE id = %s",
        (on, reason if on else None, family_id),
    )


def anonymise(tx, referral_id, family_id, household: dict, erased: bool) -> None:
    """Remove every piece of personal data of a case; ids, codes, dates and counts stay."""
    tx.execute(
        "UPDATE families SET household = %s, contact = '{}', anonymised_at = now(),"
        " erased_at = CASE WHEN %s THEN now() ELSE erased_at END WHERE id = %s",
        (Jsonb(household), erased, family_id),
    )
    tx.execute("DELETE FROM children WHERE family_id = %s", (family_id,))
    tx.execute(
        "UPDATE referrals SET question = '[geanonimiseerd]', consent = '{}',"
        " triage = CASE WHEN triage IS NULL THEN NULL"
        "   ELSE triage - 'reason' - 'refer_to_detail' END WHERE id = %s",
        (referral_id,),
    )
    tx.execute(
        "UPDATE warm_contacts SET note = '' WHERE entry_id IN"
        " (SELECT id FROM waiting_entries WHERE referral_id = %s)",
        (referral_id,),
    )
    tx.execute(
        "UPDATE waiting_entries SET removal_note = NULL WHERE referral_id = %s", (referral_id,)
    )
    tx.execute("UPDATE bridging_support SET note = '' WHERE referral_id = %s", (referral_id,))
    tx.execute("UPDATE journal_entries SET text = '' WHERE referral_id = %s", (referral_id,))
    # A decline keeps a (neutral) reason: the table requires one for every decline.
    tx.execute(
        "UPDATE referral_answers SET reason = CASE WHEN answer = 'declined'"
        " THEN '[geanonimiseerd]' ELSE '' END WHERE referral_id = %s",
        (referral_id,),
    )
    # The decision that came back from a table is free text about the family too.
    tx.execute(
        "UPDATE bottlenecks SET note = '',"
        " decision = CASE WHEN decision IS NULL THEN NULL ELSE decision - 'text' END"
        " WHERE referral_id = %s",
        (referral_id,),
    )
    tx.execute("UPDATE trajectories SET closing_note = NULL WHERE referral_id = %s", (referral_id,))
    tx.execute(
        "UPDATE trajectory_history SET detail = detail - 'reason' WHERE trajectory_id IN"
        " (SELECT id FROM trajectories WHERE referral_id = %s)",
        (referral_id,),
    )
    tx.execute(
        "UPDATE plan_versions SET plan = jsonb_build_object('anonymised', true)"
        " WHERE family_id = %s",
        (family_id,),
    )


def purge_drafts(tx, older_than) -> int:
    """Drafts of referrals not touched since `older_than` (a datetime)."""
    return tx.execute("DELETE FROM referral_drafts WHERE updated_at < %s", (older_than,)).rowcount


def purge_audit_log(tx, older_than) -> int:
    return tx.execute("DELETE FROM audit_log WHERE at < %s", (older_than,)).rowcount


def retention_candidates(db, network_id, older_than) -> list:
    """Closed cases, closed on or before `older_than`, not yet anonymised, not on hold."""
    return db.fetchall(
        "SELECT r.id, r.network_id, r.family_id, f.household FROM referrals r"
        " JOIN families f ON f.id = r.family_id"
        " WHERE (%s::uuid IS NULL OR r.network_id = %s) AND f.anonymised_at IS NULL"
        " AND NOT f.legal_hold AND r.status IN ('closed', 'declined', 'referred_on', 'left_list')"
        " AND NOT EXISTS (SELECT 1 FROM trajectories t WHERE t.referral_id = r.id"
        "                 AND t.status <> 'closed')"
        " AND COALESCE((SELECT max(t.closed_on) FROM trajectories t WHERE t.referral_id = r.id),"
        "              r.triaged_at::date, r.received_at::date) <= %s"
        # The family's record is one: it waits until every case of the family has expired.
        " AND NOT EXISTS (SELECT 1 FROM referrals o WHERE o.family_id = r.family_id"
        "   AND o.id <> r.id AND (o.status NOT IN ('closed', 'declined', 'referred_on',"
        "   'left_list') OR EXISTS (SELECT 1 FROM trajectories t WHERE t.referral_id = o.id"
        "   AND t.status <> 'closed') OR COALESCE((SELECT max(t.closed_on) FROM trajectories t"
        "   WHERE t.referral_id = o.id), o.triaged_at::date, o.received_at::date) > %s))",
        (network_id, network_id, older_than, older_than),
    )


def cases_of_family(db, family_id) -> list:
    """The ids of every referral (case) of one family record, oldest first."""
    rows = db.fetchall(
        "SELECT id FROM referrals WHERE family_id = %s ORDER BY received_at, id", (family_id,)
    )
    return [r["id"] for r in rows]


# -- the case journal -------------------------------------------------------------------------

JOURNAL_COLUMNS = (
    "j.id, j.referral_id AS case_id, j.occurred_at, j.kind, j.text, j.corrects_id,"
    " j.author_id, j.written_at"
)


def insert_journal_entry(tx, entry: dict) -> dict:
    return tx.fetchone(
        "INSERT INTO journal_entries AS j (id, network_id, referral_id, occurred_at, kind, text,"
        " corrects_id, author_id) VALUES (%(id)s, %(network_id)s, %(referral_id)s,"
        " %(occurred_at)s, %(kind)s, %(text)s, %(corrects_id)s, %(author_id)s)"
        " RETURNING " + JOURNAL_COLUMNS + ", NULL::uuid AS corrected_by",
        entry,
    )


def journal_entry_of(db, referral_id, entry_id) -> dict | None:
    return db.fetchone(
        "SELECT id FROM journal_entries WHERE id = %s AND referral_id = %s",
        (entry_id, referral_id),
    )


def journal_of(db, referral_id) -> list:
    """The case's journal, newest contact first; a corrected line names its newest
    correction."""
    return db.fetchall(
        "SELECT " + JOURNAL_COLUMNS + ","
        " (SELECT c.id FROM journal_entries c WHERE c.corrects_id = j.id"
        "   ORDER BY c.written_at DESC, c.id LIMIT 1) AS corrected_by"
        " FROM journal_entries j WHERE j.referral_id = %s"
        " ORDER BY j.occurred_at DESC, j.written_at DESC, j.id",
        (referral_id,),
    )


# -- one family, one record ---------------------------------------------------------------


def known_family(tx, network_id, keys: list[str]) -> dict | None:
    """The network's record of a family that holds one of these children (`child_key`s),
    locked; the oldest if several do. A record that was anonymised is no family to join.
    Referrals of the same child are made one at a time (a lock per fingerprint), so two at
    once do not both make a new record."""
    for key in sorted(set(keys)):
        tx.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", (f"{network_id}:{key}",)
        )
    return tx.fetchone(
        "SELECT f.id, f.household, f.contact, f.municipality FROM families f"
        " WHERE f.network_id = %s AND f.anonymised_at IS NULL AND EXISTS ("
        "   SELECT 1 FROM children c WHERE c.family_id = f.id AND c.network_id = %s"
        "   AND c.child_key = ANY(%s))"
        " ORDER BY f.created_at, f.id LIMIT 1 FOR UPDATE OF f",
        (network_id, network_id, list(keys)),
    )


def update_family(tx, family_id, household: dict, contact: dict, municipality: str) -> None:
    tx.execute(
        "UPDATE families SET household = %s, contact = %s, municipality = %s WHERE id = %s",
        (Jsonb(household), Jsonb(contact), municipality, family_id),
    )


def search_families(db, network_id, f: dict, limit: int) -> list:
    """The network's family records by a name (a carer's or a child's, in part), a child's
    birth date and the municipality; each with its cases."""
    name = f.get("name")
    pattern = None
    if name:
        pattern = "%" + name.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return db.fetchall(
        "SELECT f.id AS family_id, f.municipality, f.household, f.created_at,"
        " ARRAY(SELECT r.id FROM referrals r WHERE r.family_id = f.id"
        "   ORDER BY r.received_at) AS case_ids"
        " FROM families f WHERE f.network_id = %(network)s AND f.anonymised_at IS NULL"
        " AND f.merged_into IS NULL"
        " AND (%(pattern)s::text IS NULL"
        "   OR EXISTS (SELECT 1 FROM jsonb_array_elements(f.household -> 'carers') c"
        "     WHERE c ->> 'name' ILIKE %(pattern)s)"
        "   OR EXISTS (SELECT 1 FROM jsonb_array_elements(f.household -> 'children') k"
        "     WHERE k ->> 'first_name' ILIKE %(pattern)s))"
        " AND (%(born)s::text IS NULL"
        "   OR EXISTS (SELECT 1 FROM jsonb_array_elements(f.household -> 'children') k"
        "     WHERE k ->> 'birth_date' = %(born)s::text))"
        " AND (%(municipality)s::text IS NULL OR f.municipality = %(municipality)s)"
        " ORDER BY f.created_at DESC, f.id LIMIT %(limit)s",
        {
            "network": network_id,
            "pattern": pattern,
            "born": f["birth_date"].isoformat() if f.get("birth_date") else None,
            "municipality": f.get("municipality"),
            "limit": limit,
        },
    )


def families_of(db, network_id) -> list:
    """Every family record of the network that still holds names (for likely duplicates)."""
    return db.fetchall(
        "SELECT f.id, f.household, f.municipality,"
        " ARRAY(SELECT r.id FROM referrals r WHERE r.family_id = f.id"
        "   ORDER BY r.received_at) AS case_ids"
        " FROM families f WHERE f.network_id = %s AND f.anonymised_at IS NULL"
        " AND f.merged_into IS NULL",
        (network_id,),
    )


# -- the volume agreement with the mandated bodies ------------------------------------------


def mandated_places_used(db, network_id, starts_on, ends_on, takes_a_place) -> int:
    """A mandated body's referrals of the network (`volume.mandated_referral`, kept in step
    with it here) taken into help within the period: triaged
    onto a list or into a start (`takes_a_place`), or accepted by an offer's organisation.
    Each referral counts once, however often it was answered."""
    row = db.fetchone(
        "SELECT count(*) AS n FROM referrals r WHERE r.network_id = %(network)s"
        " AND (r.mandated_body OR r.source_sector = 'mandated_body') AND ("
        "   (r.triage ->> 'decision' = ANY(%(takes)s)"
        "    AND r.triaged_at::date BETWEEN %(start)s AND coalesce(%(end)s, 'infinity'::date))"
        "   OR EXISTS (SELECT 1 FROM referral_answers a WHERE a.referral_id = r.id"
        "     AND a.answer = 'accepted'"
        "     AND a.answered_on BETWEEN %(start)s AND coalesce(%(end)s, 'infinity'::date)))",
        {
            "network": network_id,
            "takes": list(takes_a_place),
            "start": starts_on,
            "end": ends_on,
        },
    )
    return row["n"]
