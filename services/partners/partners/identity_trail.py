"""The identity audit trail: one row per invitation, role grant or revocation, password
change or reset, sign-in or failed sign-in, API token issue or revocation.

`record` writes inside the caller's transaction, so an event is in the trail exactly when
the change it tells of committed. Readers: the network admin of a network (events in that
network, and the person-level events - sign-in, password - of the people who accepted that
network's invitation) and the platform admin (everything).
"""

import datetime as dt

from psycopg.types.json import Jsonb

from verband_common.schemas.partners import IDENTITY_EVENT_KINDS

# Spelled out in each query (no string splicing into SQL).


def record(
    tx,
    kind: str,
    *,
    actor: str,
    network_id=None,
    target_person_id=None,
    target: str | None = None,
    ip: str | None = None,
    details: dict | None = None,
    at: dt.datetime | None = None,
) -> None:
    """Add one event to the trail, in `tx` (the transaction of the change itself).

    `kind` is one of IDENTITY_EVENT_KINDS; `actor` is the principal's reference
    (`principal.actor`: "person:<id>" or "token:<id>") or "anonymous"; `details` holds no
    password, token or reset token, only ids, roles and labels.
    """
    if kind not in IDENTITY_EVENT_KINDS:
        raise ValueError(f"unknown identity event kind: {kind}")
    tx.execute(
        "INSERT INTO identity_events"
        " (occurred_at, kind, actor, target_person_id, target, network_id, ip, details)"
        " VALUES (COALESCE(%s, now()), %s, %s, %s, %s, %s, %s, %s)",
        (at, kind, actor, target_person_id, target, network_id, ip, Jsonb(details or {})),
    )


def for_network(db, network_id, *, before_id=None, limit: int = 100) -> list[dict]:
    """The network's events and the person-level events of the people who accepted its
    invitation, newest first; `before_id` pages on."""
    return db.fetchall(
        "SELECT e.id, e.occurred_at, e.kind, e.actor, e.target_person_id, e.target,"
        " e.network_id, e.ip, e.details FROM identity_events e"
        " WHERE (e.network_id = %(n)s OR (e.network_id IS NULL AND e.target_person_id IN"
        "        (SELECT person_id FROM network_people WHERE network_id = %(n)s)))"
        "   AND (%(before)s::bigint IS NULL OR e.id < %(before)s)"
        " ORDER BY e.id DESC LIMIT %(limit)s",
        {"n": network_id, "before": before_id, "limit": limit},
    )


def everything(db, *, before_id=None, limit: int = 100) -> list[dict]:
    """The whole trail, newest first: the platform admin's view."""
    return db.fetchall(
        "SELECT id, occurred_at, kind, actor, target_person_id, target, network_id, ip,"
        " details FROM identity_events"
        " WHERE (%(before)s::bigint IS NULL OR id < %(before)s)"
        " ORDER BY id DESC LIMIT %(limit)s",
        {"before": before_id, "limit": limit},
    )
