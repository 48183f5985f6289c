"""SQL of reporting's reads: the aggregates of a period for one or more networks (from the
pre-aggregated month rows and the small per-item tables), the actor's roles, and reports.

`aggregates` answers for many networks at once with the same few statements, so a region's
or the whole platform's quarter costs what one network's does.
"""

import datetime as dt
import uuid
from collections import defaultdict

from psycopg.types.json import Jsonb

from reporting.domain import rules
from reporting.domain.access import Principal
from reporting.domain.periods import Period

AGREEMENT_SOURCES = ("mandated_body", "crisis_point")


# -- who is acting ------------------------------------------------------------------------------


def principal(db, person_id) -> Principal:
    rows = db.fetchall(
        "SELECT r.network_id, r.role, n.region FROM role_holders r"
        " LEFT JOIN networks n ON n.id = r.network_id WHERE r.person_id = %s AND r.granted",
        (person_id,),
    )
    roles: dict = defaultdict(set)
    regions = {}
    for r in rows:
        roles[str(r["network_id"])].add(r["role"])
        if r["region"]:
            regions[str(r["network_id"])] = r["region"]
    return Principal(str(person_id), {k: frozenset(v) for k, v in roles.items()}, regions)


def person_name(db, person_id) -> str | None:
    row = db.fetchone("SELECT name FROM people WHERE person_id = %s", (person_id,))
    return row["name"] if row else None


def network(db, network_id) -> dict | None:
    return db.fetchone(
        "SELECT id, name, kind, region, targets, warm_contact_interval_days FROM networks"
        " WHERE id = %s",
        (network_id,),
    )


def networks_of_region(db, region) -> list[dict]:
    return db.fetchall(
        "SELECT id, name, region FROM networks WHERE region = %s ORDER BY name", (region,)
    )


# -- aggregates of a period ---------------------------------------------------------------------


def _ids(network_ids) -> list[str]:
    return [str(n) for n in network_ids]


def aggregates(db, network_ids, period: Period) -> dict[str, dict]:
    """network id -> aggregates (`reporting.domain.indicators`) of `period`."""
    ids = _ids(network_ids)
    out = {n: {"indicators": {}, "labels": {}, "signals": []} for n in ids}
    if not ids:
        return out
    end = period.end
    networks = {
        str(r["id"]): r
        for r in db.fetchall(
            "SELECT id, targets, warm_contact_interval_days FROM networks"
            " WHERE id = ANY(%s::uuid[])",
            (ids,),
        )
    }
    offer_kinds = {
        str(r["id"]): r["kind"]
        for r in db.fetchall(
            "SELECT id, kind FROM offers WHERE network_id = ANY(%s::uuid[])", (ids,)
        )
    }

    # Pre-aggregated monthly counts: the period's months, and the year so far for targets.
    counts: dict = defaultdict(lambda: defaultdict(lambda: defaultdict(lambda: defaultdict(int))))
    year_new: dict = defaultdict(int)
    for r in db.fetchall(
        "SELECT network_id, month, measure, dimension, key, n FROM month_counts"
        " WHERE network_id = ANY(%s::uuid[]) AND month BETWEEN %s AND %s",
        (ids, min(period.year_start, period.start), end),
    ):
        n_id = str(r["network_id"])
        if r["measure"] == "new_guidances":
            year_new[n_id] += r["n"] if r["month"] >= period.year_start else 0
        if r["month"] < period.start:
            continue
        dims = counts[n_id][r["measure"]]
        if r["dimension"] == "":
            dims["month"][r["month"].strftime("%Y-%m")] += r["n"]
            dims[""][""] += r["n"]
        elif r["dimension"] == "offer":
            dims["offer_kind"][offer_kinds.get(r["key"], "none")] += r["n"]
        else:
            dims[r["dimension"]][r["key"]] += r["n"]

    hists: dict = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
    for r in db.fetchall(
        "SELECT network_id, measure, days, sum(n)::int AS n FROM month_days"
        " WHERE network_id = ANY(%s::uuid[]) AND month BETWEEN %s AND %s"
        " GROUP BY network_id, measure, days",
        (ids, period.start, end),
    ):
        hists[str(r["network_id"])][r["measure"]][r["days"]] += r["n"]

    months = period.kind != "month"

    def count_of(n_id, measure, *dims):
        c = counts[n_id][measure]
        total = c[""][""]
        breakdowns = {d: dict(c[d]) for d in dims if d != "month"}
        if months and "month" in dims:
            breakdowns["month"] = {
                m.strftime("%Y-%m"): c["month"].get(m.strftime("%Y-%m"), 0) for m in period.months
            }
        return {"total": total, "breakdowns": breakdowns, "target": None}

    for n_id in ids:
        ind = out[n_id]["indicators"]
        referrals = count_of(
            n_id, "referrals", "source_sector", "municipality", "offer_kind", "concern", "month"
        )
        ind["referrals"] = referrals
        total_referrals = referrals["total"]
        ind["answered_within_month"] = {
            "numerator": counts[n_id]["answered_within_month"][""][""],
            "denominator": total_referrals,
        }
        ind["concern_share"] = {
            "numerator": counts[n_id]["referrals"]["concern"].get("serious", 0),
            "denominator": total_referrals,
        }
        ind["multiproblem_share"] = {
            "numerator": counts[n_id]["first_answers"]["multiproblem"].get("yes", 0),
            "denominator": counts[n_id]["first_answers"][""][""],
        }
        first = dict(hists[n_id]["days_to_first_answer"])
        ind["days_to_first_answer_median"] = {"hist": first}
        ind["days_to_first_answer_p90"] = {"hist": first}
        ind["trajectories_started"] = count_of(n_id, "trajectories_started", "offer_kind", "month")
        ind["trajectories_closed"] = count_of(n_id, "trajectories_closed", "outcome", "month")
        ind["bottlenecks_raised"] = count_of(n_id, "bottlenecks_raised", "reason", "month")
        ind["bottlenecks_resolved"] = count_of(n_id, "bottlenecks_resolved", "month")
        ind["signals_raised"] = count_of(n_id, "signals", "kind", "month")
        settings = networks.get(n_id) or {}
        ind["family_guidances"] = {
            "total": year_new[n_id],
            "breakdowns": {},
            "target": rules.target_of(settings.get("targets") or []),
        }
        out[n_id]["used_by_kind"] = {
            kind: counts[n_id]["referrals"]["source_sector"].get(kind, 0)
            for kind in AGREEMENT_SOURCES
        }

    _agreements(db, ids, period, out)
    _waiting(db, ids, period, networks, offer_kinds, out)
    _trajectories_active(db, ids, end, offer_kinds, out)
    _meetings(db, ids, period, out)
    _actions(db, ids, end, out)
    _signals(db, ids, period, out)
    for n_id in ids:
        out[n_id].pop("used_by_kind", None)
    return out


def _agreements(db, ids, period, out) -> None:
    agreed: dict = defaultdict(lambda: defaultdict(int))
    for r in db.fetchall(
        "SELECT network_id, kind, sum(agreed_number)::int AS agreed FROM agreements"
        " WHERE network_id = ANY(%s::uuid[]) AND status = 'active' AND starts_on <= %s"
        " AND (ends_on IS NULL OR ends_on >= %s) GROUP BY network_id, kind",
        (ids, period.end, period.start),
    ):
        agreed[str(r["network_id"])][r["kind"]] = r["agreed"]
    for n_id in ids:
        used = {k: out[n_id]["used_by_kind"][k] for k in agreed[n_id]}
        out[n_id]["indicators"]["agreements_used"] = {
            "numerator": sum(used.values()),
            "denominator": sum(agreed[n_id].values()),
            "breakdowns": {"kind": used} if used else {},
        }


def _waiting(db, ids, period, networks, offer_kinds, out) -> None:
    end = period.end
    rows = db.fetchall(
        "SELECT w.network_id, w.offer_id, w.municipality, w.concern, w.waiting_since,"
        " w.added_on, (SELECT max(c.next_due) FROM warm_contacts c WHERE c.entry_id = w.entry_id"
        "   AND c.contacted_on <= %(end)s) AS last_due"
        " FROM waiting_entries w WHERE w.added_on IS NOT NULL"
        " AND span(w.added_on, w.removed_on) @> %(end)s::date"
        " AND w.network_id = ANY(%(ids)s::uuid[])",
        {"end": end, "ids": ids},
    )
    per: dict = {n: [] for n in ids}
    for r in rows:
        per[str(r["network_id"])].append(r)
    for n_id, entries in per.items():
        ind = out[n_id]["indicators"]
        size = len(entries)
        breakdowns: dict = {
            "offer_kind": defaultdict(int),
            "municipality": defaultdict(int),
            "concern": defaultdict(int),
        }
        hist: dict = defaultdict(int)
        on_time = 0
        interval = (networks.get(n_id) or {}).get("warm_contact_interval_days")
        for e in entries:
            breakdowns["offer_kind"][offer_kinds.get(str(e["offer_id"]), "none")] += 1
            breakdowns["municipality"][e["municipality"] or "none"] += 1
            breakdowns["concern"][e["concern"] or "none"] += 1
            hist[rules.days_between(e["waiting_since"] or e["added_on"], end)] += 1
            on_time += rules.warm_contact_on_time(end, e["added_on"], e["last_due"], interval)
        ind["waiting_list_size"] = {
            "total": size,
            "breakdowns": {d: dict(c) for d, c in breakdowns.items()},
            "target": None,
        }
        for key in ("waiting_days_median", "waiting_days_p90", "waiting_days_longest"):
            ind[key] = {"hist": dict(hist)}
        ind["warm_contacts_on_time"] = {"numerator": on_time, "denominator": size}


def _trajectories_active(db, ids, end, offer_kinds, out) -> None:
    per: dict = {n: defaultdict(int) for n in ids}
    for r in db.fetchall(
        "SELECT network_id, offer_id, count(*)::int AS n FROM trajectories"
        " WHERE span(started_on, closed_on) @> %s::date AND network_id = ANY(%s::uuid[])"
        " GROUP BY network_id, offer_id",
        (end, ids),
    ):
        per[str(r["network_id"])][offer_kinds.get(str(r["offer_id"]), "none")] += r["n"]
    for n_id, kinds in per.items():
        out[n_id]["indicators"]["trajectories_active"] = {
            "total": sum(kinds.values()),
            "breakdowns": {"offer_kind": dict(kinds)},
            "target": None,
        }


def _meetings(db, ids, period, out) -> None:
    planned = defaultdict(int)
    held: dict = {n: defaultdict(int) for n in ids}
    for r in db.fetchall(
        "SELECT network_id, body_kind,"
        " count(*) FILTER (WHERE starts_on BETWEEN %(start)s AND %(end)s"
        "   AND status IS DISTINCT FROM 'cancelled')::int AS planned,"
        " count(*) FILTER (WHERE held_on BETWEEN %(start)s AND %(end)s)::int AS held"
        " FROM meetings WHERE network_id = ANY(%(ids)s::uuid[])"
        " AND (starts_on BETWEEN %(start)s AND %(end)s OR held_on BETWEEN %(start)s AND %(end)s)"
        " GROUP BY network_id, body_kind",
        {"start": period.start, "end": period.end, "ids": ids},
    ):
        n_id = str(r["network_id"])
        planned[n_id] += r["planned"]
        if r["held"]:
            held[n_id][r["body_kind"]] += r["held"]
    due = defaultdict(int)
    on_time = defaultdict(int)
    for r in db.fetchall(
        "SELECT m.network_id, nxt.held_on AS next_held_on, mi.approved_on"
        " FROM meetings m"
        " CROSS JOIN LATERAL (SELECT min(o.held_on) AS held_on FROM meetings o"
        "   WHERE o.body_id = m.body_id AND o.held_on > m.held_on) nxt"
        " LEFT JOIN minutes mi ON mi.meeting_id = m.meeting_id"
        " WHERE m.network_id = ANY(%(ids)s::uuid[]) AND m.held_on BETWEEN %(start)s AND %(end)s"
        " AND nxt.held_on <= %(end)s",
        {"start": period.start, "end": period.end, "ids": ids},
    ):
        n_id = str(r["network_id"])
        due[n_id] += 1
        on_time[n_id] += rules.minutes_on_time(r["next_held_on"], r["approved_on"])
    for n_id in ids:
        ind = out[n_id]["indicators"]
        ind["meetings_held"] = {
            "numerator": sum(held[n_id].values()),
            "denominator": planned[n_id],
            "breakdowns": {"body_kind": dict(held[n_id])},
        }
        ind["minutes_on_time"] = {"numerator": on_time[n_id], "denominator": due[n_id]}


def _actions(db, ids, end, out) -> None:
    per: dict = {n: defaultdict(int) for n in ids}
    for r in db.fetchall(
        "SELECT network_id, coalesce(body_kind, 'none') AS body_kind, count(*)::int AS n"
        " FROM actions WHERE network_id = ANY(%s::uuid[]) AND due_on < %s"
        " AND (done_on IS NULL OR done_on > %s) GROUP BY 1, 2",
        (ids, end, end),
    ):
        per[str(r["network_id"])][r["body_kind"]] += r["n"]
    for n_id, kinds in per.items():
        out[n_id]["indicators"]["actions_overdue"] = {
            "total": sum(kinds.values()),
            "breakdowns": {"body_kind": dict(kinds)},
            "target": None,
        }


def _signals(db, ids, period, out) -> None:
    for r in db.fetchall(
        "SELECT network_id, raised_on, body_kind, kind, title FROM signals"
        " WHERE network_id = ANY(%s::uuid[]) AND raised_on BETWEEN %s AND %s"
        " ORDER BY raised_on, title",
        (ids, period.start, period.end),
    ):
        out[str(r["network_id"])]["signals"].append(
            {
                "raised_at": r["raised_on"].isoformat(),
                "body_kind": r["body_kind"],
                "kind": r["kind"],
                "title": r["title"],
            }
        )


# -- reports -------------------------------------------------------------------------------------

REPORT_COLUMNS = (
    "id, network_id, network_name, region, period_kind, period_start, period_end, version,"
    " status, content, generated_at, approved_by, approved_by_body, approved_on, approved_at,"
    " published_at, correction_of, correction_reason"
)


def report(db, report_id, lock: bool = False) -> dict | None:
    return db.fetchone(
        f"SELECT {REPORT_COLUMNS}, aggregates FROM reports WHERE id = %s"
        + (" FOR UPDATE" if lock else ""),
        (report_id,),
    )


def versions(db, network_id, period: Period, lock: bool = False) -> list[dict]:
    return db.fetchall(
        f"SELECT {REPORT_COLUMNS} FROM reports WHERE network_id = %s AND period_kind = %s"
        " AND period_start = %s ORDER BY version" + (" FOR UPDATE" if lock else ""),
        (network_id, period.kind, period.start),
    )


def insert_report(tx, row: dict) -> dict:
    row = {**row, "id": row.get("id") or uuid.uuid4()}
    return tx.fetchone(
        "INSERT INTO reports (id, network_id, network_name, region, period_kind, period_start,"
        " period_end, version, status, content, aggregates, generated_by, correction_of,"
        " correction_reason) VALUES (%(id)s, %(network_id)s, %(network_name)s, %(region)s,"
        " %(period_kind)s, %(period_start)s, %(period_end)s, %(version)s, 'draft', %(content)s,"
        " %(aggregates)s, %(generated_by)s, %(correction_of)s, %(correction_reason)s)"
        f" RETURNING {REPORT_COLUMNS}",
        {**row, "content": Jsonb(row["content"]), "aggregates": Jsonb(row["aggregates"])},
    )


def regenerate_report(tx, report_id, content, aggregates, person_id) -> dict:
    return tx.fetchone(
        "UPDATE reports SET content = %s, aggregates = %s, generated_at = now(),"
        f" generated_by = %s WHERE id = %s RETURNING {REPORT_COLUMNS}",
        (Jsonb(content), Jsonb(aggregates), person_id, report_id),
    )


def approve(tx, report_id, person_id, name, body_name, decided_on) -> dict:
    return tx.fetchone(
        "UPDATE reports SET status = 'approved', approved_by_person = %s, approved_by = %s,"
        " approved_by_body = %s, approved_on = %s, approved_at = now() WHERE id = %s"
        f" RETURNING {REPORT_COLUMNS}",
        (person_id, name, body_name, decided_on, report_id),
    )


def publish(tx, report: dict) -> dict:
    tx.execute(
        "UPDATE reports SET status = 'superseded' WHERE network_id = %s AND period_kind = %s"
        " AND period_start = %s AND status = 'published' AND version < %s",
        (report["network_id"], report["period_kind"], report["period_start"], report["version"]),
    )
    return tx.fetchone(
        "UPDATE reports SET status = 'published', published_at = now() WHERE id = %s"
        f" RETURNING {REPORT_COLUMNS}",
        (report["id"],),
    )


def list_reports(db, network_ids, regions, filters: dict) -> list[dict]:
    """Reports of `network_ids` (any status) or published ones of `regions`, filtered."""
    clauses = [
        "(network_id = ANY(%(networks)s::uuid[])"
        " OR (region = ANY(%(regions)s) AND status = 'published'))"
    ]
    params: dict = {"networks": _ids(network_ids), "regions": list(regions)}
    for key in ("network_id", "region", "status"):
        if key in filters:
            clauses.append(f"{key} = %({key})s")
            params[key] = filters[key]
    return db.fetchall(
        f"SELECT {REPORT_COLUMNS} FROM reports WHERE "
        + " AND ".join(clauses)
        + " ORDER BY period_start DESC, network_name, period_kind, version DESC",
        params,
    )


def published_of_region(db, region, period: Period) -> list[dict]:
    """The latest published version of each network's report of the region and period."""
    return db.fetchall(
        "SELECT DISTINCT ON (network_id) id, network_id, network_name, version, aggregates,"
        " content FROM reports WHERE region = %s AND period_kind = %s AND period_start = %s"
        " AND status = 'published' ORDER BY network_id, version DESC",
        (region, period.kind, period.start),
    )


def today() -> dt.date:
    return dt.date.today()
