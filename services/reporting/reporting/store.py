"""SQL of reporting's reads: the aggregates of a period for one or more networks (from the
pre-aggregated month rows and the small per-item tables), the actor's roles, and reports.

`aggregates` answers for many networks at once with the same few statements, so a region's
or the whole platform's quarter costs what one network's does.
"""

import datetime as dt
import json
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


def networks_of(db, network_ids) -> dict[str, dict]:
    """network id -> {id, name, region} of those reporting knows."""
    rows = db.fetchall(
        "SELECT id, name, region FROM networks WHERE id = ANY(%s::uuid[])", (_ids(network_ids),)
    )
    return {str(r["id"]): r for r in rows}


def networks_of_region(db, region) -> list[dict]:
    return db.fetchall(
        "SELECT id, name, region FROM networks WHERE region = %s ORDER BY name", (region,)
    )


# -- aggregates of a period ---------------------------------------------------------------------


def _ids(network_ids) -> list[str]:
    return [str(n) for n in network_ids]


# Everything a period's indicators need, for any number of networks, in one statement: a
# report is one round trip. Each part is tagged; the columns are shared (k1..k3, d1..d3, n).
AGGREGATES = """
WITH ids AS (SELECT unnest(%(ids)s::uuid[]) AS id)
SELECT 'network' AS part, n.id AS network_id, n.targets::text AS k1, NULL AS k2, NULL AS k3,
       NULL::date AS d1, NULL::date AS d2, NULL::date AS d3,
       n.warm_contact_interval_days::bigint AS n
  FROM networks n JOIN ids ON ids.id = n.id
UNION ALL
SELECT 'offer', o.network_id, o.id::text, o.kind, NULL, NULL, NULL, NULL, NULL
  FROM offers o JOIN ids ON ids.id = o.network_id
UNION ALL
SELECT 'count', c.network_id, c.measure, c.dimension, c.key, c.month, NULL, NULL, c.n
  FROM month_counts c JOIN ids ON ids.id = c.network_id
  WHERE c.month <= %(end)s
    AND (c.month >= %(start)s OR (c.month >= %(from)s AND c.measure = 'new_guidances'))
UNION ALL
SELECT 'days', d.network_id, d.measure, d.days::text, NULL, NULL, NULL, NULL, sum(d.n)
  FROM month_days d JOIN ids ON ids.id = d.network_id
  WHERE d.month BETWEEN %(start)s AND %(end)s GROUP BY d.network_id, d.measure, d.days
UNION ALL
SELECT 'agreed', a.network_id, a.kind, NULL, NULL, NULL, NULL, NULL, sum(a.agreed_number)
  FROM agreements a JOIN ids ON ids.id = a.network_id
  WHERE a.status = 'active' AND a.starts_on <= %(end)s
    AND (a.ends_on IS NULL OR a.ends_on >= %(start)s)
  GROUP BY a.network_id, a.kind
UNION ALL
SELECT 'waiting', w.network_id, w.offer_id::text, w.municipality, w.concern,
       w.waiting_since, w.added_on,
       (SELECT c.next_due FROM warm_contacts c
         WHERE c.entry_id = w.entry_id AND c.contacted_on <= %(end)s
         ORDER BY c.next_due DESC LIMIT 1), NULL
  FROM waiting_entries w JOIN ids ON ids.id = w.network_id
  WHERE w.added_on IS NOT NULL AND w.added_on <= %(end)s
    AND coalesce(w.removed_on, 'infinity'::date) > %(end)s
UNION ALL
SELECT 'active', t.network_id, t.offer_id::text, NULL, NULL, NULL, NULL, NULL, count(*)
  FROM trajectories t JOIN ids ON ids.id = t.network_id
  WHERE t.started_on <= %(end)s AND coalesce(t.closed_on, 'infinity'::date) > %(end)s
  GROUP BY t.network_id, t.offer_id
UNION ALL
SELECT 'planned', m.network_id, m.body_kind, NULL, NULL, NULL, NULL, NULL, count(*)
  FROM meetings m JOIN ids ON ids.id = m.network_id
  WHERE m.starts_on BETWEEN %(start)s AND %(end)s AND m.status IS DISTINCT FROM 'cancelled'
  GROUP BY m.network_id, m.body_kind
UNION ALL
SELECT 'held', m.network_id, m.body_kind, NULL, NULL, NULL, NULL, NULL, count(*)
  FROM meetings m JOIN ids ON ids.id = m.network_id
  WHERE m.held_on BETWEEN %(start)s AND %(end)s
  GROUP BY m.network_id, m.body_kind
UNION ALL
SELECT 'minutes', m.network_id, NULL, NULL, NULL, nxt.held_on, mi.approved_on, NULL, NULL
  FROM meetings m JOIN ids ON ids.id = m.network_id
  CROSS JOIN LATERAL (SELECT min(o.held_on) AS held_on FROM meetings o
                      WHERE o.body_id = m.body_id AND o.held_on > m.held_on) nxt
  LEFT JOIN minutes mi ON mi.meeting_id = m.meeting_id
  WHERE m.held_on BETWEEN %(start)s AND %(end)s AND nxt.held_on <= %(end)s
UNION ALL
SELECT 'overdue', a.network_id, coalesce(a.body_kind, 'none'), NULL, NULL, NULL, NULL, NULL,
       count(*)
  FROM actions a JOIN ids ON ids.id = a.network_id
  WHERE a.due_on < %(end)s AND (a.done_on IS NULL OR a.done_on > %(end)s)
  GROUP BY a.network_id, coalesce(a.body_kind, 'none')
UNION ALL
SELECT 'signal', s.network_id, s.body_kind, s.kind, s.title, s.raised_on, NULL, NULL, NULL
  FROM signals s JOIN ids ON ids.id = s.network_id
  WHERE s.raised_on BETWEEN %(start)s AND %(end)s
"""


def nested_counter():
    return defaultdict(lambda: defaultdict(lambda: defaultdict(int)))


def aggregates(db, network_ids, period: Period) -> dict[str, dict]:
    """network id -> aggregates (`reporting.domain.indicators`) of `period`."""
    ids = _ids(network_ids)
    out = {n: {"indicators": {}, "labels": {}, "signals": []} for n in ids}
    if not ids:
        return out
    end = period.end
    rows = db.fetchall(
        AGGREGATES,
        {
            "ids": ids,
            "start": period.start,
            "end": end,
            "from": min(period.year_start, period.start),
        },
    )
    parts: dict = defaultdict(list)
    for r in rows:
        parts[r["part"]].append(r)
    networks = {str(r["network_id"]): r for r in parts["network"]}
    offer_kinds = {r["k1"]: r["k2"] for r in parts["offer"]}

    # Pre-aggregated monthly counts: the period's months, and the year so far for targets.
    counts: dict = defaultdict(nested_counter)
    year_new: dict = defaultdict(int)
    for r in parts["count"]:
        n_id, measure, dimension, key, month = (
            str(r["network_id"]),
            r["k1"],
            r["k2"],
            r["k3"],
            r["d1"],
        )
        if measure == "new_guidances" and month >= period.year_start:
            year_new[n_id] += r["n"]
        if month < period.start:
            continue
        dims = counts[n_id][measure]
        if dimension == "":
            dims["month"][month.strftime("%Y-%m")] += r["n"]
            dims[""][""] += r["n"]
        elif dimension == "offer":
            dims["offer_kind"][offer_kinds.get(key, "none")] += r["n"]
        else:
            dims[dimension][key] += r["n"]
    hists: dict = nested_counter()
    for r in parts["days"]:
        hists[str(r["network_id"])][r["k1"]][int(r["k2"])] += int(r["n"])
    months = period.kind != "month"

    def count_of(n_id, measure, *dims):
        c = counts[n_id][measure]
        breakdowns = {d: dict(c[d]) for d in dims if d != "month"}
        if months and "month" in dims:
            breakdowns["month"] = {
                m.strftime("%Y-%m"): c["month"].get(m.strftime("%Y-%m"), 0) for m in period.months
            }
        return {"total": c[""][""], "breakdowns": breakdowns, "target": None}

    agreed: dict = defaultdict(dict)
    for r in parts["agreed"]:
        agreed[str(r["network_id"])][r["k1"]] = int(r["n"])
    active: dict = nested_counter()
    for r in parts["active"]:
        active[str(r["network_id"])]["offer_kind"][offer_kinds.get(r["k1"], "none")] += r["n"]
    planned: dict = defaultdict(int)
    for r in parts["planned"]:
        planned[str(r["network_id"])] += r["n"]
    held: dict = nested_counter()
    for r in parts["held"]:
        held[str(r["network_id"])]["body_kind"][r["k1"]] += r["n"]
    minutes_due: dict = defaultdict(int)
    minutes_on_time: dict = defaultdict(int)
    for r in parts["minutes"]:
        minutes_due[str(r["network_id"])] += 1
        minutes_on_time[str(r["network_id"])] += rules.minutes_on_time(r["d1"], r["d2"])
    overdue: dict = nested_counter()
    for r in parts["overdue"]:
        overdue[str(r["network_id"])]["body_kind"][r["k1"]] += r["n"]
    waiting: dict = defaultdict(list)
    for r in parts["waiting"]:
        waiting[str(r["network_id"])].append(r)
    for r in sorted(parts["signal"], key=lambda r: (r["d1"], r["k3"])):
        out[str(r["network_id"])]["signals"].append(
            {
                "raised_at": r["d1"].isoformat(),
                "body_kind": r["k1"],
                "kind": r["k2"],
                "title": r["k3"],
            }
        )

    for n_id in ids:
        ind = out[n_id]["indicators"]
        c = counts[n_id]
        referrals = count_of(
            n_id, "referrals", "source_sector", "municipality", "offer_kind", "concern", "month"
        )
        ind["referrals"] = referrals
        ind["answered_within_month"] = {
            "numerator": c["answered_within_month"][""][""],
            "denominator": referrals["total"],
        }
        ind["concern_share"] = {
            "numerator": c["referrals"]["concern"].get("serious", 0),
            "denominator": referrals["total"],
        }
        ind["multiproblem_share"] = {
            "numerator": c["first_answers"]["multiproblem"].get("yes", 0),
            "denominator": c["first_answers"][""][""],
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
        targets = json.loads(settings["k1"]) if settings.get("k1") else []
        ind["family_guidances"] = {
            "total": year_new[n_id],
            "breakdowns": {},
            "target": rules.target_of(targets),
        }
        used = {
            k: c["referrals"]["source_sector"].get(k, 0)
            for k in agreed[n_id]
            if k in AGREEMENT_SOURCES
        }
        ind["agreements_used"] = {
            "numerator": sum(used.values()),
            "denominator": sum(agreed[n_id].values()),
            "breakdowns": {"kind": used} if used else {},
        }
        _waiting(ind, waiting[n_id], end, settings.get("n"), offer_kinds)
        ind["trajectories_active"] = {
            "total": sum(active[n_id]["offer_kind"].values()),
            "breakdowns": {"offer_kind": dict(active[n_id]["offer_kind"])},
            "target": None,
        }
        ind["meetings_held"] = {
            "numerator": sum(held[n_id]["body_kind"].values()),
            "denominator": planned[n_id],
            "breakdowns": {"body_kind": dict(held[n_id]["body_kind"])},
        }
        ind["minutes_on_time"] = {
            "numerator": minutes_on_time[n_id],
            "denominator": minutes_due[n_id],
        }
        ind["actions_overdue"] = {
            "total": sum(overdue[n_id]["body_kind"].values()),
            "breakdowns": {"body_kind": dict(overdue[n_id]["body_kind"])},
            "target": None,
        }
    return out


def _waiting(ind, entries, end, interval, offer_kinds) -> None:
    breakdowns: dict = {"offer_kind": {}, "municipality": {}, "concern": {}}
    hist: dict = defaultdict(int)
    on_time = 0
    for e in entries:
        for dim, key in (
            ("offer_kind", offer_kinds.get(e["k1"], "none")),
            ("municipality", e["k2"] or "none"),
            ("concern", e["k3"] or "none"),
        ):
            breakdowns[dim][key] = breakdowns[dim].get(key, 0) + 1
        hist[rules.days_between(e["d1"] or e["d2"], end)] += 1
        on_time += rules.warm_contact_on_time(end, e["d2"], e["d3"], interval)
    ind["waiting_list_size"] = {"total": len(entries), "breakdowns": breakdowns, "target": None}
    for key in ("waiting_days_median", "waiting_days_p90", "waiting_days_longest"):
        ind[key] = {"hist": dict(hist)}
    ind["warm_contacts_on_time"] = {"numerator": on_time, "denominator": len(entries)}


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


def versions_of(db, network_ids, period: Period, lock: bool = False) -> dict[str, list[dict]]:
    """network id -> its reports of `period`, oldest version first (one statement)."""
    rows = db.fetchall(
        f"SELECT {REPORT_COLUMNS} FROM reports WHERE network_id = ANY(%s::uuid[])"
        " AND period_kind = %s AND period_start = %s ORDER BY network_id, version"
        + (" FOR UPDATE" if lock else ""),
        (_ids(network_ids), period.kind, period.start),
    )
    out: dict = {n: [] for n in _ids(network_ids)}
    for r in rows:
        out[str(r["network_id"])].append(r)
    return out


# Drafts of many networks in one statement: a row with `replaces` regenerates that draft,
# one without is inserted as version 1.
WRITE_DRAFTS = f"""
WITH d AS (
  SELECT * FROM unnest(%(ids)s::uuid[], %(replaces)s::uuid[], %(network_ids)s::uuid[],
                       %(names)s::text[], %(regions)s::text[], %(contents)s::jsonb[],
                       %(aggregates)s::jsonb[])
    AS d(id, replaces, network_id, network_name, region, content, aggregates)
), updated AS (
  UPDATE reports r SET content = d.content, aggregates = d.aggregates, generated_at = now(),
         generated_by = %(person)s
    FROM d WHERE d.replaces IS NOT NULL AND r.id = d.replaces
  RETURNING {", ".join("r." + c.strip() for c in REPORT_COLUMNS.split(","))}
), inserted AS (
  INSERT INTO reports (id, network_id, network_name, region, period_kind, period_start,
                       period_end, version, status, content, aggregates, generated_by)
  SELECT d.id, d.network_id, d.network_name, d.region, %(kind)s, %(start)s, %(end)s, 1,
         'draft', d.content, d.aggregates, %(person)s
    FROM d WHERE d.replaces IS NULL
  RETURNING {REPORT_COLUMNS}
)
SELECT * FROM updated UNION ALL SELECT * FROM inserted
"""


def write_drafts(tx, period: Period, drafts: list[dict], person_id) -> dict[str, dict]:
    """Each of `drafts` ({network_id, network_name, region, content, aggregates, replaces})
    written as the period's draft; network id -> the stored row."""
    rows = tx.fetchall(
        WRITE_DRAFTS,
        {
            "ids": [uuid.uuid4() for _ in drafts],
            "replaces": [d["replaces"] for d in drafts],
            "network_ids": [d["network_id"] for d in drafts],
            "names": [d["network_name"] for d in drafts],
            "regions": [d["region"] for d in drafts],
            "contents": [Jsonb(d["content"]) for d in drafts],
            "aggregates": [Jsonb(d["aggregates"]) for d in drafts],
            "person": person_id,
            "kind": period.kind,
            "start": period.start,
            "end": period.end,
        },
    )
    return {str(r["network_id"]): r for r in rows}


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


def published_periods(db, network_id) -> list[Period]:
    """The periods of a network's reports that IROJ can read now (status published)."""
    rows = db.fetchall(
        "SELECT DISTINCT period_kind, period_start FROM reports"
        " WHERE network_id = %s AND status = 'published'",
        (network_id,),
    )
    return [Period(r["period_kind"], r["period_start"]) for r in rows]


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


# -- the IROJ feed: a cell sends its published reports, the IROJ hub receives them --------------


def published_report_payload(tx, report_id) -> dict:
    """The `report_published` payload of a report just published (contracts/reporting.py):
    IROJ's view of it, with the aggregates a region roll-up sums; no person named."""
    row = tx.fetchone(
        "SELECT id, network_name, region, period_kind, period_start, period_end, version,"
        " approved_by_body, approved_on, published_at, content, aggregates"
        " FROM reports WHERE id = %s",
        (report_id,),
    )
    return {
        "report_id": str(row["id"]),
        "network_name": row["network_name"],
        "region": row["region"],
        "period_kind": row["period_kind"],
        "period_start": row["period_start"].isoformat(),
        "period_end": row["period_end"].isoformat(),
        "report_version": row["version"],
        "approved_by_body": row["approved_by_body"],
        "approved_on": row["approved_on"].isoformat() if row["approved_on"] else None,
        "published_at": row["published_at"].isoformat(),
        "content": row["content"],
        "aggregates": row["aggregates"],
    }


def receive_published(tx, event: dict) -> bool:
    """Keep a report a cell published (the IROJ hub). The same report twice, or an older
    version after a newer one, changes nothing; a newer version supersedes the older.
    In the cell that published it the report is already there, so this is a no-op."""
    exists = tx.fetchone(
        "SELECT 1 FROM reports WHERE id = %s OR (network_id = %s AND period_kind = %s"
        " AND period_start = %s AND version >= %s) LIMIT 1",
        (
            event["report_id"],
            event["network_id"],
            event["period_kind"],
            event["period_start"],
            event["report_version"],
        ),
    )
    if exists:
        return False
    tx.execute(
        "UPDATE reports SET status = 'superseded' WHERE network_id = %s AND period_kind = %s"
        " AND period_start = %s AND status = 'published' AND version < %s",
        (event["network_id"], event["period_kind"], event["period_start"], event["report_version"]),
    )
    tx.execute(
        "INSERT INTO reports (id, network_id, network_name, region, period_kind, period_start,"
        " period_end, version, status, content, aggregates, approved_by_body, approved_on,"
        " published_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, 'published', %s, %s, %s, %s, %s)"
        " ON CONFLICT DO NOTHING",
        (
            event["report_id"],
            event["network_id"],
            event["network_name"],
            event["region"],
            event["period_kind"],
            event["period_start"],
            event["period_end"],
            event["report_version"],
            Jsonb(event["content"]),
            Jsonb(event["aggregates"]),
            event["approved_by_body"],
            event["approved_on"],
            event["published_at"],
        ),
    )
    return True


# -- report-back to IROJ ------------------------------------------------------------------------


def report_backs(db, network_ids, limit: int) -> list[dict]:
    """The newest report-backs of these networks, each signal with IROJ's answer if any."""
    return db.fetchall(
        "SELECT b.meeting_id, b.network_id, n.name AS network_name, n.region, b.body_id,"
        " b.body_kind, b.body_name, b.held_on, b.reporter_person_id,"
        " p.name AS reporter_name, b.decisions, b.signals, b.recorded_at,"
        " COALESCE((SELECT jsonb_object_agg(a.signal_id::text, jsonb_build_object("
        "   'answer', a.answer, 'answered_at', a.answered_at))"
        "   FROM signal_answers a WHERE a.meeting_id = b.meeting_id), '{}'::jsonb) AS answers"
        " FROM report_backs b LEFT JOIN networks n ON n.id = b.network_id"
        " LEFT JOIN people p ON p.person_id = b.reporter_person_id"
        " WHERE b.network_id = ANY(%s::uuid[])"
        " ORDER BY b.held_on DESC, b.recorded_at DESC, b.meeting_id LIMIT %s",
        (_ids(network_ids), limit),
    )


def reported_signal(db, signal_id) -> dict | None:
    """The report-back a signal went to IROJ in, with the signal and its network's region."""
    return db.fetchone(
        "SELECT b.meeting_id, b.network_id, b.body_id, n.region, s AS signal"
        " FROM report_backs b LEFT JOIN networks n ON n.id = b.network_id,"
        " jsonb_array_elements(b.signals) AS s WHERE s->>'signal_id' = %s",
        (str(signal_id),),
    )


def signal_answer(db, signal_id, lock: bool = False) -> dict | None:
    return db.fetchone(
        "SELECT signal_id, network_id, meeting_id, answer, answered_at FROM signal_answers"
        " WHERE signal_id = %s" + (" FOR UPDATE" if lock else ""),
        (signal_id,),
    )


def save_signal_answer(tx, found: dict, signal_id, answer: str, person_id) -> dict | None:
    """None when the signal was answered already (one answer per signal)."""
    return tx.fetchone(
        "INSERT INTO signal_answers (signal_id, network_id, meeting_id, answer, answered_by)"
        " VALUES (%s, %s, %s, %s, %s) ON CONFLICT (signal_id) DO NOTHING"
        " RETURNING signal_id, network_id, meeting_id, answer, answered_at",
        (signal_id, found["network_id"], found["meeting_id"], answer, person_id),
    )
