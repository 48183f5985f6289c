"""Projections: how each consumed event changes reporting's tables.

The same functions serve live consumption and a rebuild from `event_log`, so a rebuild
gives exactly what incremental updates gave.
"""

from psycopg.types.json import Jsonb

from verband_common.contracts import event_json


def record(tx, event: dict) -> None:
    tx.execute(
        "INSERT INTO event_log (event_id, source, event_type, network_id, occurred_at, body)"
        " VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (event_id) DO NOTHING",
        (
            event["event_id"],
            event["source"],
            event["event_type"],
            event["network_id"],
            event["occurred_at"],
            Jsonb(event_json(event)),
        ),
    )


def apply_referral_received(tx, event: dict) -> None:
    tx.execute(
        "INSERT INTO referral_counts (network_id, referrals, last_event_at) VALUES (%s, 1, %s)"
        " ON CONFLICT (network_id) DO UPDATE SET referrals = referral_counts.referrals + 1,"
        " last_event_at = greatest(referral_counts.last_event_at, EXCLUDED.last_event_at)",
        (event["network_id"], event["occurred_at"]),
    )


def rebuild(tx) -> int:
    """Recompute every projection from the event log; returns the events replayed."""
    tx.execute("DELETE FROM referral_counts")
    tx.execute(
        "INSERT INTO referral_counts (network_id, referrals, last_event_at)"
        " SELECT network_id, count(*), max(occurred_at) FROM event_log"
        " WHERE source = 'cases' AND event_type = 'referral_received' GROUP BY network_id"
    )
    return tx.fetchone("SELECT count(*) AS n FROM event_log")["n"]
