"""SQL of merging two records of one family, inside the caller's transaction.

A merge moves every row that points to the merged record (referrals, and with them the
journal, lists, trajectories and answers; children's fingerprints; plan versions) to the kept
record, and writes down in `family_merges.moved` exactly what it moved, so that an undo puts
every row back as it was. Tables that point to a family: referrals, children, plan_versions
(and family_merges itself); everything else hangs off a referral.
"""

import datetime as dt

from psycopg.types.json import Jsonb

from cases.domain import child_key, families, pseudonym
from cases.domain import plan as plans


def family(tx, family_id) -> dict | None:
    """A family record, locked (the caller locks both records in id order)."""
    return tx.fetchone(
        "SELECT id, network_id, household, contact, municipality, legal_hold,"
        " legal_hold_reason, anonymised_at, merged_into FROM families WHERE id = %s FOR UPDATE",
        (family_id,),
    )


def open_merge_keeping(db, family_id) -> dict | None:
    """An open merge into this record, if any."""
    return db.fetchone(
        "SELECT id FROM family_merges WHERE keep_family_id = %s AND status = 'open' LIMIT 1",
        (family_id,),
    )


def open_merge_of(db, family_id) -> dict | None:
    """An open merge this record takes part in, on either side."""
    return db.fetchone(
        "SELECT id FROM family_merges WHERE status = 'open'"
        " AND (keep_family_id = %s OR merge_family_id = %s) LIMIT 1",
        (family_id, family_id),
    )


def merge(db, merge_id, lock: bool = False) -> dict | None:
    if lock:
        return db.fetchone(
            "SELECT"
            " id, network_id, keep_family_id, merge_family_id, reason, status, proposed_by,"
            " proposed_at, decided_by, decided_at, moved FROM family_merges WHERE id = %s"
            " FOR UPDATE",
            (merge_id,),
        )
    return db.fetchone(
        "SELECT"
        " id, network_id, keep_family_id, merge_family_id, reason, status, proposed_by,"
        " proposed_at, decided_by, decided_at, moved FROM family_merges WHERE id = %s",
        (merge_id,),
    )


def open_merges(db, network_id) -> list:
    return db.fetchall(
        "SELECT"
        " id, network_id, keep_family_id, merge_family_id, reason, status, proposed_by,"
        " proposed_at, decided_by, decided_at, moved FROM family_merges"
        " WHERE network_id = %s AND status = 'open' ORDER BY proposed_at, id",
        (network_id,),
    )


def record_of(db, family_id) -> dict:
    """A record as the coordinator's lists show it (see CasesService._family_record)."""
    return db.fetchone(
        "SELECT f.id AS family_id, f.municipality, f.household,"
        " ARRAY(SELECT r.id FROM referrals r WHERE r.family_id = f.id"
        "   ORDER BY r.received_at, r.id) AS case_ids"
        " FROM families f WHERE f.id = %s",
        (family_id,),
    )


def _key_of(key: bytes):
    return lambda c: child_key(key, c["first_name"], dt.date.fromisoformat(str(c["birth_date"])))


def move(tx, key: bytes, keep: dict, merged: dict, author_id) -> dict:
    """Move everything of `merged` to `keep`; returns what moved (`family_merges.moved`)."""
    keep_id, merged_id = keep["id"], merged["id"]
    referrals = tx.fetchall(
        "SELECT id, family_pseudonym FROM referrals WHERE family_id = %s"
        " ORDER BY received_at, id FOR UPDATE",
        (merged_id,),
    )
    # Later events of the moved cases speak of the kept family.
    tx.execute(
        "UPDATE referrals SET family_id = %s, family_pseudonym = %s WHERE family_id = %s",
        (keep_id, pseudonym(key, keep_id), merged_id),
    )
    held = [
        r["child_key"]
        for r in tx.fetchall("SELECT child_key FROM children WHERE family_id = %s", (keep_id,))
    ]
    moved_keys = [
        r["child_key"]
        for r in tx.fetchall(
            "UPDATE children SET family_id = %s WHERE family_id = %s"
            " AND NOT (child_key = ANY(%s::text[])) RETURNING child_key",
            (keep_id, merged_id, held),
        )
    ]
    # A fingerprint both records hold stays the kept record's (the key is the primary key).
    dropped_keys = [
        r["child_key"]
        for r in tx.fetchall(
            "DELETE FROM children WHERE family_id = %s RETURNING child_key", (merged_id,)
        )
    ]
    versions = _move_plan(tx, keep_id, merged_id, author_id)
    household, added_children, added_carers = families.merged_records(
        keep["household"], merged["household"], _key_of(key)
    )
    # The kept record's contact data stays; the other's fills what it lacks.
    contact = families.merged_contact(merged["contact"], keep["contact"])
    tx.execute(
        "UPDATE families SET household = %s, contact = %s, legal_hold = %s,"
        " legal_hold_reason = %s WHERE id = %s",
        (
            Jsonb(household),
            Jsonb(contact),
            keep["legal_hold"] or merged["legal_hold"],
            keep["legal_hold_reason"] if keep["legal_hold"] else merged["legal_hold_reason"],
            keep_id,
        ),
    )
    tx.execute("UPDATE families SET merged_into = %s WHERE id = %s", (keep_id, merged_id))
    return {
        "referrals": [
            {"id": str(r["id"]), "family_pseudonym": r["family_pseudonym"]} for r in referrals
        ],
        "moved_keys": moved_keys,
        "dropped_keys": dropped_keys,
        **versions,
        "added_children": added_children,
        "added_carers": added_carers,
        "keep_contact": keep["contact"],
        "merged_contact": contact,
        "keep_legal_hold": [keep["legal_hold"], keep["legal_hold_reason"]],
    }


def _move_plan(tx, keep_id, merged_id, author_id) -> dict:
    """The merged record's plan versions follow as history, numbered after the kept record's;
    the kept plan stays the current one (a new version restating it, when both had a plan)."""
    top = tx.fetchone(
        "SELECT referral_id, version, plan FROM plan_versions WHERE family_id = %s"
        " ORDER BY version DESC LIMIT 1",
        (keep_id,),
    )
    offset = top["version"] if top else 0
    theirs = tx.fetchall(
        "SELECT referral_id, version, plan FROM plan_versions WHERE family_id = %s"
        " ORDER BY version",
        (merged_id,),
    )
    # Through negative numbers: the primary key (referral_id, version) is checked row by row,
    # and a plain shift would meet a version of the same referral not moved yet.
    tx.execute("UPDATE plan_versions SET version = -version WHERE family_id = %s", (merged_id,))
    tx.execute(
        "UPDATE plan_versions SET family_id = %s, version = -version + %s WHERE family_id = %s",
        (keep_id, offset, merged_id),
    )
    restated = None
    if top and theirs:
        restated = offset + theirs[-1]["version"] + 1
        tx.execute(
            "INSERT INTO plan_versions (referral_id, family_id, version, plan, changes,"
            " author_id) VALUES (%s, %s, %s, %s, %s, %s)",
            (
                top["referral_id"],
                keep_id,
                restated,
                Jsonb(top["plan"]),
                Jsonb(plans.changes(theirs[-1]["plan"], top["plan"])),
                author_id,
            ),
        )
    return {
        "plan_versions": [
            {
                "referral_id": str(v["referral_id"]),
                "from": v["version"],
                "to": v["version"] + offset,
            }
            for v in theirs
        ],
        "restated": {"referral_id": str(top["referral_id"]), "version": restated}
        if restated
        else None,
    }


def undo(tx, keep: dict, merged: dict, moved: dict) -> None:
    """Put back every row `move` moved; what the kept record got since stays with it."""
    keep_id, merged_id = keep["id"], merged["id"]
    for r in moved["referrals"]:
        tx.execute(
            "UPDATE referrals SET family_id = %s, family_pseudonym = %s WHERE id = %s",
            (merged_id, r["family_pseudonym"], r["id"]),
        )
    tx.execute(
        "UPDATE children SET family_id = %s WHERE family_id = %s AND child_key = ANY(%s::text[])",
        (merged_id, keep_id, moved["moved_keys"]),
    )
    for k in moved["dropped_keys"]:
        tx.execute(
            "INSERT INTO children (family_id, network_id, child_key) VALUES (%s, %s, %s)",
            (merged_id, merged["network_id"], k),
        )
    if moved["restated"]:
        tx.execute(
            "DELETE FROM plan_versions WHERE family_id = %s AND referral_id = %s AND version = %s",
            (keep_id, moved["restated"]["referral_id"], moved["restated"]["version"]),
        )
    for v in moved["plan_versions"]:
        tx.execute(
            "UPDATE plan_versions SET family_id = %s, version = %s"
            " WHERE family_id = %s AND referral_id = %s AND version = %s",
            (merged_id, -v["from"], keep_id, v["referral_id"], v["to"]),
        )
    tx.execute(
        "UPDATE plan_versions SET version = -version WHERE family_id = %s AND version < 0",
        (merged_id,),
    )
    household = families.unmerged_household(
        keep["household"], moved["added_children"], moved["added_carers"]
    )
    # The contact data goes back unless a new referral changed it since.
    contact = (
        moved["keep_contact"] if keep["contact"] == moved["merged_contact"] else keep["contact"]
    )
    hold, reason = moved["keep_legal_hold"]
    tx.execute(
        "UPDATE families SET household = %s, contact = %s, legal_hold = %s,"
        " legal_hold_reason = %s WHERE id = %s",
        (Jsonb(household), Jsonb(contact), hold, reason, keep_id),
    )
    tx.execute("UPDATE families SET merged_into = NULL WHERE id = %s", (merged_id,))


def insert_merge(tx, m: dict) -> dict:
    return tx.fetchone(
        "INSERT INTO family_merges (id, network_id, keep_family_id, merge_family_id, reason,"
        " proposed_by, moved) VALUES (%(id)s, %(network_id)s, %(keep_family_id)s,"
        " %(merge_family_id)s, %(reason)s, %(proposed_by)s, %(moved)s)"
        " RETURNING id, network_id, keep_family_id, merge_family_id, reason, status,"
        " proposed_by, proposed_at, decided_by, decided_at, moved",
        {**m, "moved": Jsonb(m["moved"])},
    )


def decide(tx, merge_id, status: str, person_id) -> dict:
    """Confirmed or undone: final either way, and the record of what moved is no longer
    needed (it holds names of the family)."""
    return tx.fetchone(
        "UPDATE family_merges SET status = %s, decided_by = %s, decided_at = now(),"
        " moved = NULL WHERE id = %s RETURNING id, network_id, keep_family_id,"
        " merge_family_id, reason, status, proposed_by, proposed_at, decided_by, decided_at,"
        " moved",
        (status, person_id, merge_id),
    )


def empty_merged(tx, family_id, household: dict) -> None:
    """A confirmed merge leaves the merged record an empty shell: its data lives on in the
    kept record, and erasing that one must erase all of it."""
    tx.execute(
        "UPDATE families SET household = %s, contact = '{}' WHERE id = %s",
        (Jsonb(household), family_id),
    )


def forget_reasons(tx, family_id) -> None:
    """Erasure: a merge's reason is free text about the family."""
    tx.execute(
        "UPDATE family_merges SET reason = '' WHERE keep_family_id = %s OR merge_family_id = %s",
        (family_id, family_id),
    )
