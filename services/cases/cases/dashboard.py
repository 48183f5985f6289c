"""SQL aggregates for the coordinator's dashboard: counts and waiting days per offer and for
the network, never a family's name or any other personal data. A handful of queries per
call, whatever the number of offers or families."""

import datetime as dt

from cases import store
from cases.domain import clock as clocks


def waiting_per_offer(db, network_id, today: dt.date, guideline_days: int) -> list[dict]:
    """Per offer of the network (active, or with families waiting): how many wait, the
    median and longest waiting days, and how many wait longer than the guideline."""
    return db.fetchall(
        "SELECT o.id AS offer_id, o.title, o.kind, o.status, o.organisation_id,"
        " o.capacity, o.free_places, o.warm_waiting_list, count(e.id) AS waiting,"
        " percentile_cont(0.5) WITHIN GROUP (ORDER BY (%(today)s::date - e.waiting_since))"
        "   AS median_days,"
        " max(%(today)s::date - e.waiting_since) AS longest_days,"
        " count(e.id) FILTER (WHERE %(today)s::date - e.waiting_since > %(guideline)s)"
        "   AS past_guideline,"
        " count(e.id) FILTER (WHERE e.next_contact_due < %(today)s::date) AS contacts_overdue"
        " FROM offers o LEFT JOIN waiting_entries e"
        "   ON e.offer_id = o.id AND e.status = 'waiting'"
        " WHERE o.network_id = %(network)s"
        " GROUP BY o.id HAVING o.status = 'active' OR count(e.id) > 0"
        " ORDER BY count(e.id) DESC, o.title, o.id",
        {"network": network_id, "today": today, "guideline": guideline_days},
    )


def trajectory_counts(db, network_id, year_start: dt.date) -> dict:
    row = db.fetchone(
        "SELECT count(*) FILTER (WHERE status = 'active') AS active,"
        " count(*) FILTER (WHERE status = 'paused') AS paused,"
        " count(*) FILTER (WHERE status = 'closed') AS closed,"
        " count(*) FILTER (WHERE started_on >= %(year)s) AS started_this_year,"
        " count(*) FILTER (WHERE status = 'closed' AND closed_on >= %(year)s)"
        "   AS closed_this_year"
        " FROM trajectories WHERE network_id = %(network)s",
        {"network": network_id, "year": year_start},
    )
    return dict(row)


def bottleneck_counts(db, network_id) -> dict:
    row = db.fetchone(
        "SELECT count(*) FILTER (WHERE decision IS NULL) AS open,"
        " count(*) FILTER (WHERE decision IS NOT NULL) AS decided"
        " FROM bottlenecks WHERE network_id = %s",
        (network_id,),
    )
    return dict(row)


def referrals_this_year(db, network_id, year_start: dt.date) -> int:
    row = db.fetchone(
        "SELECT count(*) AS n FROM referrals WHERE network_id = %s AND received_at >= %s",
        (network_id, dt.datetime.combine(year_start, dt.time(), dt.UTC)),
    )
    return row["n"]


def pickup_counts(db, network_id, today: dt.date, guideline_days: int) -> dict:
    """Referrals not picked up yet, by the state of their one-month clock."""
    counts = {"open": 0, "running": 0, "warning": 0, "escalated": 0, "longest_days": 0}
    for r in store.open_referrals(db, network_id):
        clock = clocks.pickup_clock(r["received_at"].date(), guideline_days, today)
        counts["open"] += 1
        counts[clock.state] += 1
        counts["longest_days"] = max(counts["longest_days"], clock.days)
    return counts


def offer_health(row: dict) -> dict:
    waiting = row["waiting"]
    median = row["median_days"]
    return {
        "offer_id": row["offer_id"],
        "title": row["title"],
        "kind": row["kind"],
        "status": row["status"],
        "organisation_id": row["organisation_id"],
        "capacity": row["capacity"],
        "free_places": row["free_places"],
        "warm_waiting_list": row["warm_waiting_list"],
        "waiting": waiting,
        "median_days": None if median is None else round(float(median), 1),
        "longest_days": row["longest_days"],
        "past_guideline": row["past_guideline"],
        "share_past_guideline": round(row["past_guideline"] / waiting, 3) if waiting else None,
        "contacts_overdue": row["contacts_overdue"],
    }
