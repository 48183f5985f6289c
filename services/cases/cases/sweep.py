"""The sweep of notices that time passing raises (issue 14): which warm contacts, one-month
clocks and plan actions are nearing or past their due date (the rules: cases.domain.due),
each raised once as an event through the outbox.

Safe with two replicas sweeping at once: a transaction-scoped advisory lock lets one sweep at
a time (the other skips its round), and the primary key of `due_notices` would still let only
one of two concurrent inserts through, so a notice is emitted once even without the lock.
Closed and anonymised cases are never swept.
"""

import datetime as dt
import zlib

from cases.domain import clock, due

# One advisory lock key for the sweep (a stable number derived from its name).
LOCK_KEY = zlib.crc32(b"cases.due_notices")

# Referrals whose help has ended or never will: nothing of them is due any more.
ENDED_STATUSES = ["closed", "declined", "referred_on", "left_list"]


def warm_contacts(tx, horizon: dt.date) -> list:
    """Families waiting on a warm list whose next contact is due on or before `horizon`."""
    return tx.fetchall(
        "SELECT e.id AS entry_id, e.network_id, e.referral_id, e.offer_id, o.organisation_id,"
        " e.next_contact_due FROM waiting_entries e"
        " JOIN offers o ON o.id = e.offer_id JOIN referrals r ON r.id = e.referral_id"
        " JOIN families f ON f.id = r.family_id"
        " WHERE e.status = 'waiting' AND e.next_contact_due <= %s"
        " AND f.anonymised_at IS NULL AND NOT (r.status = ANY(%s))",
        (horizon, ENDED_STATUSES),
    )


def open_referrals(tx) -> list:
    """Referrals not yet picked up (as on the clocks board), with their network's guideline."""
    return tx.fetchall(
        "SELECT r.id, r.network_id, r.received_at,"
        " COALESCE(n.pickup_guideline_days, %s) AS guideline_days"
        " FROM referrals r JOIN families f ON f.id = r.family_id"
        " LEFT JOIN networks n ON n.id = r.network_id"
        " WHERE r.status IN ('received', 'waiting') AND f.anonymised_at IS NULL",
        (clock.DEFAULT_GUIDELINE_DAYS,),
    )


def open_plans(tx) -> list:
    """The current plan of each family with a case still open, and one such case (the
    notice's link)."""
    return tx.fetchall(
        "SELECT DISTINCT ON (v.family_id) v.family_id, v.plan, r.id AS referral_id,"
        " r.network_id FROM plan_versions v JOIN referrals r ON r.family_id = v.family_id"
        " JOIN families f ON f.id = v.family_id"
        " WHERE f.anonymised_at IS NULL AND NOT (r.status = ANY(%s))"
        " ORDER BY v.family_id, v.version DESC, r.received_at DESC",
        (ENDED_STATUSES,),
    )


def _raise(tx, kind, subject, stage, due_on, network_id, referral_id) -> bool:
    """Record a notice; False when it was raised before (by this or another replica)."""
    cur = tx.execute(
        "INSERT INTO due_notices (kind, subject, stage, due_on, network_id, referral_id)"
        " VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
        (kind, str(subject), stage, due_on, network_id, referral_id),
    )
    return cur.rowcount == 1


def first_sweeper(tx) -> bool:
    """Whether no other instance is sweeping now; if so, this transaction sweeps (the lock is
    released with it)."""
    return tx.fetchone("SELECT pg_try_advisory_xact_lock(%s) AS got", (LOCK_KEY,))["got"]


def sweep(tx, today: dt.date) -> dict | None:
    """Raise every notice due today that was not raised before, in `tx` (the events go to
    the outbox with the rows that remember them). Answers how many of each kind, or None when
    another replica is sweeping right now."""
    if not first_sweeper(tx):
        return None
    raised = {"warm_contact": 0, "pickup_guideline": 0, "plan_action": 0}
    horizon = today + dt.timedelta(days=due.NOTICE_LEAD_DAYS)
    for e in warm_contacts(tx, horizon):
        stage = due.stage(e["next_contact_due"], today)
        if stage and _raise(
            tx,
            "warm_contact",
            e["entry_id"],
            stage,
            e["next_contact_due"],
            e["network_id"],
            e["referral_id"],
        ):
            tx.emit(
                "warm_contact_due",
                e["network_id"],
                {
                    "entry_id": e["entry_id"],
                    "referral_id": e["referral_id"],
                    "offer_id": e["offer_id"],
                    "organisation_id": e["organisation_id"],
                    "due_on": e["next_contact_due"].isoformat(),
                    "stage": stage,
                },
            )
            raised["warm_contact"] += 1
    for r in open_referrals(tx):
        received_on = r["received_at"].date()
        stage = due.pickup_stage(received_on, r["guideline_days"], today)
        due_on = received_on + dt.timedelta(days=r["guideline_days"])
        if stage and _raise(
            tx, "pickup_guideline", r["id"], stage, due_on, r["network_id"], r["id"]
        ):
            tx.emit(
                "pickup_guideline_due",
                r["network_id"],
                {
                    "referral_id": r["id"],
                    "received_on": received_on.isoformat(),
                    "due_on": due_on.isoformat(),
                    "stage": stage,
                },
            )
            raised["pickup_guideline"] += 1
    for p in open_plans(tx):
        for action in due.plan_actions_due(p["plan"], today):
            subject = f"{p['family_id']}.{action.subject}"
            if _raise(
                tx,
                "plan_action",
                subject,
                action.stage,
                action.due_on,
                p["network_id"],
                p["referral_id"],
            ):
                tx.emit(
                    "plan_action_due",
                    p["network_id"],
                    {
                        "referral_id": p["referral_id"],
                        "organisation_id": action.organisation_id,
                        "due_on": action.due_on.isoformat(),
                        "stage": action.stage,
                    },
                )
                raised["plan_action"] += 1
    return raised
