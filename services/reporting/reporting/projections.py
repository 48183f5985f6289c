"""Projections: how each consumed event changes reporting's tables.

The same functions serve live consumption and a rebuild from `event_log`, so a rebuild
gives exactly what incremental updates gave.
"""

from psycopg.types.json import Jsonb

from verband_common.contracts import event_json


def record(tx, events: list[dict]) -> None:
    """Append events to the log that every projection can be rebuilt from: one statement
    for the whole batch, since round trips to the database are what a consumer waits on."""
    if not events:
        return
    tx.execute(
        "INSERT INTO event_log (event_id, source, event_type, network_id, occurred_at, body)"
        " SELECT (b->>'event_id')::uuid, b->>'source', b->>'event_type',"
        " (b->>'network_id')::uuid, (b->>'occurred_at')::timestamptz, b"
        " FROM jsonb_array_elements(%s) AS b ON CONFLICT (event_id) DO NOTHING",
        (Jsonb([event_json(e) for e in events]),),
    )


def apply_referrals_received(tx, events: list[dict]) -> None:
    """Count referrals per network in one upsert, in network order, so that two batches
    updating the same networks lock them in the same order and never deadlock."""
    per_network: dict = {}
    for e in events:
        count, last = per_network.get(e["network_id"], (0, e["occurred_at"]))
        per_network[e["network_id"]] = (count + 1, max(last, e["occurred_at"]))
    if not per_network:
        return
    ordered = sorted(per_network.items(), key=lambda item: str(item[0]))
    tx.execute(
        "INSERT INTO referral_counts (network_id, referrals, last_event_at)"
        " SELECT * FROM unnest(%s::uuid[], %s::int[], %s::timestamptz[])"
        " ON CONFLICT (network_id) DO UPDATE"
        " SET referrals = referral_counts.referrals + EXCLUDED.referrals,"
        " last_event_at = greatest(referral_counts.last_event_at, EXCLUDED.last_event_at)",
        (
            [n for n, _ in ordered],
            [c for _, (c, _) in ordered],
            [last for _, (_, last) in ordered],
        ),
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
