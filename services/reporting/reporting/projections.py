"""Projections: how each consumed event changes reporting's tables.

The same functions serve live consumption and a rebuild from `event_log`, so a rebuild
gives exactly what incremental updates gave. Every projection is order-independent: counts
are sums of what single events contribute; copies of another service's facts keep the
latest by `occurred_at`; a referral's first answer replaces its contribution when an
earlier one turns up late. Events are handled in their JSON form (as `event_log` keeps
them), so a rebuild does not parse millions of bodies through their schemas again.
"""

import datetime as dt
from collections import defaultdict

from psycopg.types.json import Jsonb

from reporting.domain import rules
from verband_common.contracts import event_json

# Tables a rebuild recomputes (reports, the event log, the inbox and `people` stay).
PROJECTIONS = (
    "referral_counts",
    "networks",
    "role_holders",
    "offers",
    "agreements",
    "month_counts",
    "month_days",
    "first_answers",
    "waiting_entries",
    "warm_contacts",
    "trajectories",
    "meetings",
    "minutes",
    "actions",
    "signals",
    "report_backs",
)


def date(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def month_of(value) -> dt.date:
    return date(value).replace(day=1)


class Effects:
    """Count and histogram changes of one batch, written in one statement each."""

    def __init__(self, replay: bool = False):
        self.replay = replay  # a rebuild: no other writer runs meanwhile
        self.counts: dict = defaultdict(int)
        self.days: dict = defaultdict(int)

    def count(self, network_id, day, measure, *cells, delta=1):
        month = month_of(day)
        for dimension, key in (("", ""), *cells):
            self.counts[(str(network_id), month, measure, dimension, str(key))] += delta

    def day(self, network_id, day, measure, days, delta=1):
        self.days[(str(network_id), month_of(day), measure, int(days))] += delta

    def flush(self, tx) -> None:
        # In key order, so two batches touching the same rows lock them alike: no deadlock.
        counts = sorted((k, n) for k, n in self.counts.items() if n)
        if counts:
            rows = tx.execute(
                "INSERT INTO month_counts (network_id, month, measure, dimension, key, n)"
                " SELECT * FROM unnest(%s::uuid[], %s::date[], %s::text[], %s::text[],"
                " %s::text[], %s::int[])"
                " ON CONFLICT (network_id, month, measure, dimension, key)"
                " DO UPDATE SET n = month_counts.n + EXCLUDED.n"
                " RETURNING network_id, month, measure, dimension, key, n",
                [[k[i] for k, _ in counts] for i in range(5)] + [[n for _, n in counts]],
            ).fetchall()
            gone = [r for r in rows if r["n"] == 0]
            if gone:
                tx.execute(
                    "DELETE FROM month_counts WHERE n = 0 AND (network_id, month, measure,"
                    " dimension, key) IN (SELECT * FROM unnest(%s::uuid[], %s::date[],"
                    " %s::text[], %s::text[], %s::text[]))",
                    [
                        [r[c] for r in gone]
                        for c in ("network_id", "month", "measure", "dimension", "key")
                    ],
                )
        days = sorted((k, n) for k, n in self.days.items() if n)
        if days:
            rows = tx.execute(
                "INSERT INTO month_days (network_id, month, measure, days, n)"
                " SELECT * FROM unnest(%s::uuid[], %s::date[], %s::text[], %s::int[],"
                " %s::int[]) ON CONFLICT (network_id, month, measure, days)"
                " DO UPDATE SET n = month_days.n + EXCLUDED.n"
                " RETURNING network_id, month, measure, days, n",
                [[k[i] for k, _ in days] for i in range(4)] + [[n for _, n in days]],
            ).fetchall()
            gone = [r for r in rows if r["n"] == 0]
            if gone:
                tx.execute(
                    "DELETE FROM month_days WHERE n = 0 AND (network_id, month, measure, days)"
                    " IN (SELECT * FROM unnest(%s::uuid[], %s::date[], %s::text[], %s::int[]))",
                    [[r[c] for r in gone] for c in ("network_id", "month", "measure", "days")],
                )


# -- the event log ------------------------------------------------------------------------------


# What the event log leaves out of an event: personal data and free text no projection
# reads back, so that they do not sit in the log forever. A person's name reaches `people`
# only live (it is not rebuilt from the log, and `purge_people` drops it once the person
# holds no role); a decision's text and a signal's description are never kept.
LOG_LEAVES_OUT = {
    ("partners", "role_granted"): ("person_name", "person_email"),
    ("meetings", "decision_taken"): ("text",),
    ("meetings", "signal_raised"): ("description",),
    ("meetings", "action_assigned"): ("owner_person_id",),
}


def for_the_log(body: dict) -> dict:
    dropped = LOG_LEAVES_OUT.get((body.get("source"), body.get("event_type")), ())
    return {k: v for k, v in body.items() if k not in dropped} if dropped else body


def record(tx, events: list[dict]) -> None:
    """Append events (as loaded) to the log that every projection can be rebuilt from."""
    record_json(tx, [event_json(e) for e in events])


def record_json(tx, bodies: list[dict]) -> None:
    """One statement for the whole batch, since round trips are what a consumer waits on."""
    if not bodies:
        return
    tx.execute(
        "INSERT INTO event_log (event_id, source, event_type, network_id, occurred_at, body)"
        " SELECT (b->>'event_id')::uuid, b->>'source', b->>'event_type',"
        " (b->>'network_id')::uuid, (b->>'occurred_at')::timestamptz, b"
        " FROM jsonb_array_elements(%s) AS b ON CONFLICT (event_id) DO NOTHING",
        (Jsonb([for_the_log(b) for b in bodies]),),
    )


def consume(tx, events: list[dict]) -> None:
    """A live batch of fresh events (as loaded): logged, then applied."""
    bodies = [event_json(e) for e in events]
    record_json(tx, bodies)
    apply(tx, bodies)


def apply(tx, bodies: list[dict], replay: bool = False) -> None:
    """Apply events in their JSON form, grouped by type in order of first appearance."""
    groups: dict = {}
    for body in bodies:
        groups.setdefault((body["source"], body["event_type"]), []).append(body)
    effects = Effects(replay)
    for key, group in groups.items():
        handler = HANDLERS.get(key)
        if handler is not None:
            handler(tx, group, effects)
    effects.flush(tx)


# -- bulk writes --------------------------------------------------------------------------------


def bulk(tx, insert: str, types: tuple, rows, conflict: str) -> None:
    """One INSERT ... SELECT FROM unnest(...) for a whole batch of rows, in key order (so
    that concurrent batches lock alike). Rows must have distinct keys: see `by_key`."""
    rows = sorted(rows, key=lambda r: tuple(str(v) for v in r[:2]))
    if not rows:
        return
    arrays = ", ".join(f"%s::{t}[]" for t in types)
    tx.execute(
        f"{insert} SELECT * FROM unnest({arrays}) {conflict}",  # noqa: S608 - this module's SQL
        [list(column) for column in zip(*rows, strict=True)],
    )


def at(event) -> dt.datetime:
    value = event["occurred_at"]
    return value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(value)


def by_key(events, key, latest: bool = False) -> list[dict]:
    """One event per key: the last in the batch, or (`latest`) the latest by occurred_at,
    since one statement cannot change a row twice."""
    kept: dict = {}
    for e in events:
        k = key(e)
        if not latest or k not in kept or at(kept[k]) <= at(e):
            kept[k] = e
    return list(kept.values())


# -- partners -----------------------------------------------------------------------------------


def network_created(tx, events, effects):
    bulk(
        tx,
        "INSERT INTO networks (id, name, kind, region)",
        ("uuid", "text", "text", "text"),
        [
            (e["network_id"], e["name"], e["kind"], e["region"])
            for e in by_key(events, lambda e: e["network_id"], latest=True)
        ],
        "ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind,"
        " region = EXCLUDED.region",
    )


def network_settings_changed(tx, events, effects):
    # Rare, and an array per row (municipalities), which unnest would flatten: one by one.
    for e in by_key(events, lambda e: e["network_id"], latest=True):
        tx.execute(
            "INSERT INTO networks (id, municipalities, targets, warm_contact_interval_days,"
            " settings_at) VALUES (%s, %s, %s, %s, %s)"
            " ON CONFLICT (id) DO UPDATE SET municipalities = EXCLUDED.municipalities,"
            " targets = EXCLUDED.targets,"
            " warm_contact_interval_days = EXCLUDED.warm_contact_interval_days,"
            " settings_at = EXCLUDED.settings_at"
            " WHERE networks.settings_at IS NULL OR networks.settings_at <= EXCLUDED.settings_at",
            (
                e["network_id"],
                e["municipalities"],
                Jsonb(e["targets"]),
                e["warm_contact_interval_days"],
                e["occurred_at"],
            ),
        )


def _newest_role_changes(events) -> list[dict]:
    """One event per role: the one with the highest version partners gave it."""
    kept: dict = {}
    for e in events:
        k = (e["network_id"], e["person_id"], e["role"])
        if k not in kept or kept[k]["role_version"] < e["role_version"]:
            kept[k] = e
    return list(kept.values())


def _role(tx, events, granted: bool):
    # The highest version wins (verband_common.roles has the rule): a grant that arrives
    # after a later revoke, out of order or replayed, leaves the revoke standing.
    bulk(
        tx,
        "INSERT INTO role_holders (network_id, person_id, role, granted, at, version)",
        ("uuid", "uuid", "text", "boolean", "timestamptz", "bigint"),
        [
            (
                e["network_id"],
                e["person_id"],
                e["role"],
                granted,
                e["occurred_at"],
                e["role_version"],
            )
            for e in _newest_role_changes(events)
        ],
        "ON CONFLICT (network_id, person_id, role)"
        " DO UPDATE SET granted = EXCLUDED.granted, at = EXCLUDED.at, version = EXCLUDED.version"
        " WHERE role_holders.version < EXCLUDED.version",
    )


def role_granted(tx, events, effects):
    _role(tx, events, True)
    bulk(
        tx,
        "INSERT INTO people (person_id, name, at)",
        ("uuid", "text", "timestamptz"),
        [
            (e["person_id"], e["person_name"], e["occurred_at"])
            for e in by_key(
                [e for e in events if e.get("person_name")], lambda e: e["person_id"], True
            )
        ],
        "ON CONFLICT (person_id) DO UPDATE SET name = EXCLUDED.name, at = EXCLUDED.at"
        " WHERE people.at <= EXCLUDED.at",
    )


def role_revoked(tx, events, effects):
    _role(tx, events, False)


def offer_snapshot(tx, events, effects):
    bulk(
        tx,
        "INSERT INTO offers (id, network_id, kind, at)",
        ("uuid", "uuid", "text", "timestamptz"),
        [
            (e["offer_id"], e["network_id"], e["kind"], e["occurred_at"])
            for e in by_key(events, lambda e: e["offer_id"], latest=True)
        ],
        "ON CONFLICT (id) DO UPDATE SET kind = EXCLUDED.kind, network_id = EXCLUDED.network_id,"
        " at = EXCLUDED.at WHERE offers.at <= EXCLUDED.at",
    )


def agreement_recorded(tx, events, effects):
    bulk(
        tx,
        "INSERT INTO agreements (id, network_id, kind, starts_on, ends_on, agreed_number,"
        " status, at)",
        ("uuid", "uuid", "text", "date", "date", "int", "text", "timestamptz"),
        [
            (
                e["agreement_id"],
                e["network_id"],
                e["kind"],
                e["starts_on"],
                e["ends_on"],
                e["agreed_number"],
                e["status"],
                e["occurred_at"],
            )
            for e in by_key(events, lambda e: e["agreement_id"], latest=True)
        ],
        "ON CONFLICT (id) DO UPDATE SET kind = EXCLUDED.kind, starts_on = EXCLUDED.starts_on,"
        " ends_on = EXCLUDED.ends_on, agreed_number = EXCLUDED.agreed_number,"
        " status = EXCLUDED.status, at = EXCLUDED.at WHERE agreements.at <= EXCLUDED.at",
    )


# -- cases ---------------------------------------------------------------------------------------


def referral_received(tx, events, effects):
    for e in events:
        effects.count(
            e["network_id"],
            e["received_on"],
            "referrals",
            ("source_sector", e["source_sector"]),
            ("municipality", e["municipality"]),
            ("offer", e["offer_id"] or "none"),
            ("concern", e["concern"]),
        )
    apply_referrals_received(tx, events)


def apply_referrals_received(tx, events: list[dict]) -> None:
    """Count referrals per network in one upsert, in network order, so that two batches
    updating the same networks lock them in the same order and never deadlock."""
    per_network: dict = {}
    for e in events:
        count, last = per_network.get(str(e["network_id"]), (0, at(e)))
        per_network[str(e["network_id"])] = (count + 1, max(last, at(e)))
    if not per_network:
        return
    ordered = sorted(per_network.items())
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


def _answer_effects(effects, a: dict, delta: int) -> None:
    received, triaged = date(a["received_on"]), date(a["triaged_on"])
    if rules.answered_within_month(received, triaged):
        effects.count(a["network_id"], received, "answered_within_month", delta=delta)
    cells = (("multiproblem", "yes"),) if rules.multiproblem(a["offer_count"]) else ()
    effects.count(a["network_id"], triaged, "first_answers", *cells, delta=delta)
    effects.day(
        a["network_id"],
        triaged,
        "days_to_first_answer",
        rules.days_between(received, triaged),
        delta=delta,
    )


def referral_triaged(tx, events, effects):
    """The first triage of a referral is its first answer; a triage dated earlier that
    arrives late takes the place (and the counts) of the one kept so far."""
    ids = sorted({str(e["referral_id"]) for e in events})
    # Two batches may carry triages of the same referral at once: the one that comes second
    # waits here until the first committed, then reads what it kept (no row lock exists
    # yet to wait on while the referral has no first answer).
    # (A rebuild holds the tables to itself, and would fill the lock table with these.)
    if not effects.replay:
        tx.execute(
            "SELECT pg_advisory_xact_lock(k) FROM (SELECT DISTINCT hashtextextended(i, 7) AS k"
            " FROM unnest(%s::text[]) AS i ORDER BY 1) AS keys",
            (ids,),
        )
    kept = {
        str(r["referral_id"]): {**r, "event_id": str(r["event_id"])}
        for r in tx.fetchall(
            "SELECT referral_id, network_id, received_on, triaged_on, offer_count, event_id"
            " FROM first_answers WHERE referral_id = ANY(%s::uuid[]) ORDER BY referral_id"
            " FOR UPDATE",
            (ids,),
        )
    }
    changed = {}
    for e in events:
        new = {
            "referral_id": str(e["referral_id"]),
            "network_id": e["network_id"],
            "received_on": date(e["received_on"]),
            "triaged_on": date(e["triaged_on"]),
            "offer_count": len(e["offer_ids"]),
            "event_id": str(e["event_id"]),
        }
        old = kept.get(new["referral_id"])
        if old is not None and (old["triaged_on"], old["event_id"]) <= (
            new["triaged_on"],
            new["event_id"],
        ):
            continue
        if old is not None:
            _answer_effects(effects, old, -1)
        _answer_effects(effects, new, +1)
        kept[new["referral_id"]] = changed[new["referral_id"]] = new
    bulk(
        tx,
        "INSERT INTO first_answers (referral_id, network_id, received_on, triaged_on,"
        " offer_count, event_id)",
        ("uuid", "uuid", "date", "date", "int", "uuid"),
        [
            (
                a["referral_id"],
                a["network_id"],
                a["received_on"],
                a["triaged_on"],
                a["offer_count"],
                a["event_id"],
            )
            for a in changed.values()
        ],
        "ON CONFLICT (referral_id) DO UPDATE SET received_on = EXCLUDED.received_on,"
        " triaged_on = EXCLUDED.triaged_on, offer_count = EXCLUDED.offer_count,"
        " event_id = EXCLUDED.event_id",
    )


def waiting_list_entry_added(tx, events, effects):
    bulk(
        tx,
        "INSERT INTO waiting_entries (entry_id, network_id, offer_id, municipality, concern,"
        " waiting_since, added_on)",
        ("uuid", "uuid", "uuid", "text", "text", "date", "date"),
        [
            (
                e["entry_id"],
                e["network_id"],
                e["offer_id"],
                e["municipality"],
                e["concern"],
                e["waiting_since"],
                e["added_on"],
            )
            for e in by_key(events, lambda e: e["entry_id"])
        ],
        "ON CONFLICT (entry_id) DO UPDATE SET offer_id = EXCLUDED.offer_id,"
        " municipality = EXCLUDED.municipality, concern = EXCLUDED.concern,"
        " waiting_since = EXCLUDED.waiting_since, added_on = EXCLUDED.added_on",
    )


def waiting_list_entry_removed(tx, events, effects):
    bulk(
        tx,
        "INSERT INTO waiting_entries (entry_id, network_id, offer_id, removed_on, reason)",
        ("uuid", "uuid", "uuid", "date", "text"),
        [
            (e["entry_id"], e["network_id"], e["offer_id"], e["removed_on"], e["reason"])
            for e in by_key(events, lambda e: e["entry_id"])
        ],
        "ON CONFLICT (entry_id) DO UPDATE SET removed_on = EXCLUDED.removed_on,"
        " reason = EXCLUDED.reason",
    )


def warm_contact_logged(tx, events, effects):
    bulk(
        tx,
        "INSERT INTO warm_contacts (event_id, entry_id, network_id, contacted_on, next_due)",
        ("uuid", "uuid", "uuid", "date", "date"),
        [
            (
                e["event_id"],
                e["entry_id"],
                e["network_id"],
                e["contacted_on"],
                e["next_contact_due"],
            )
            for e in by_key(events, lambda e: e["event_id"])
        ],
        "ON CONFLICT (event_id) DO NOTHING",
    )


def trajectory_started(tx, events, effects):
    for e in events:
        effects.count(
            e["network_id"],
            e["started_on"],
            "trajectories_started",
            ("offer", e["offer_id"] or "none"),
        )
        if not e["reopened"]:
            effects.count(e["network_id"], e["started_on"], "new_guidances")
    bulk(
        tx,
        "INSERT INTO trajectories (trajectory_id, started_on, network_id, offer_id, reopened)",
        ("uuid", "date", "uuid", "uuid", "boolean"),
        [
            (e["trajectory_id"], e["started_on"], e["network_id"], e["offer_id"], e["reopened"])
            for e in by_key(events, lambda e: (e["trajectory_id"], e["started_on"]))
        ],
        "ON CONFLICT (trajectory_id, started_on) DO UPDATE SET offer_id = EXCLUDED.offer_id,"
        " reopened = EXCLUDED.reopened",
    )


def trajectory_closed(tx, events, effects):
    for e in events:
        effects.count(
            e["network_id"], e["closed_on"], "trajectories_closed", ("outcome", e["outcome"])
        )
    bulk(
        tx,
        "INSERT INTO trajectories (trajectory_id, started_on, network_id, closed_on, outcome)",
        ("uuid", "date", "uuid", "date", "text"),
        [
            (e["trajectory_id"], e["started_on"], e["network_id"], e["closed_on"], e["outcome"])
            for e in by_key(events, lambda e: (e["trajectory_id"], e["started_on"]))
        ],
        "ON CONFLICT (trajectory_id, started_on) DO UPDATE SET closed_on = EXCLUDED.closed_on,"
        " outcome = EXCLUDED.outcome",
    )


def bottleneck_flagged(tx, events, effects):
    for e in events:
        effects.count(
            e["network_id"],
            e["flagged_on"],
            "bottlenecks_raised",
            ("reason", e["reason_category"]),
        )


# -- meetings ------------------------------------------------------------------------------------


BRUSSELS = dt.timezone(dt.timedelta(hours=1))


def local_day(value) -> dt.date:
    """The calendar day of a meeting in Belgium (close enough at any meeting hour)."""
    moment = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(value)
    return moment.astimezone(BRUSSELS).date()


def meeting_scheduled(tx, events, effects):
    bulk(
        tx,
        "INSERT INTO meetings (meeting_id, network_id, body_id, body_kind, starts_on, status,"
        " status_at)",
        ("uuid", "uuid", "uuid", "text", "date", "text", "timestamptz"),
        [
            (
                e["meeting_id"],
                e["network_id"],
                e["body_id"],
                e["body_kind"],
                local_day(e["starts_at"]),
                e["status"],
                e["occurred_at"],
            )
            for e in by_key(events, lambda e: e["meeting_id"], latest=True)
        ],
        "ON CONFLICT (meeting_id) DO UPDATE SET starts_on = EXCLUDED.starts_on,"
        " status = EXCLUDED.status, status_at = EXCLUDED.status_at"
        " WHERE meetings.status_at IS NULL OR meetings.status_at <= EXCLUDED.status_at",
    )


def meeting_held(tx, events, effects):
    bulk(
        tx,
        "INSERT INTO meetings (meeting_id, network_id, body_id, body_kind, held_on)",
        ("uuid", "uuid", "uuid", "text", "date"),
        [
            (e["meeting_id"], e["network_id"], e["body_id"], e["body_kind"], e["held_on"])
            for e in by_key(events, lambda e: e["meeting_id"])
        ],
        "ON CONFLICT (meeting_id) DO UPDATE SET held_on = EXCLUDED.held_on",
    )


def decision_taken(tx, events, effects):
    for e in events:
        if e["case_pseudonym"] and e["outcome"] == "adopted":
            effects.count(e["network_id"], e["taken_on"], "bottlenecks_resolved")


def action_assigned(tx, events, effects):
    bulk(
        tx,
        "INSERT INTO actions (action_id, network_id, body_kind, due_on)",
        ("uuid", "uuid", "text", "date"),
        [
            (e["action_id"], e["network_id"], e["body_kind"], e["due_on"])
            for e in by_key(events, lambda e: e["action_id"])
        ],
        "ON CONFLICT (action_id) DO UPDATE SET body_kind = EXCLUDED.body_kind,"
        " due_on = EXCLUDED.due_on",
    )


def action_done(tx, events, effects):
    bulk(
        tx,
        "INSERT INTO actions (action_id, network_id, done_on)",
        ("uuid", "uuid", "date"),
        [
            (e["action_id"], e["network_id"], e["done_on"])
            for e in by_key(events, lambda e: e["action_id"])
        ],
        "ON CONFLICT (action_id) DO UPDATE SET done_on = EXCLUDED.done_on",
    )


def minutes_approved(tx, events, effects):
    bulk(
        tx,
        "INSERT INTO minutes (meeting_id, network_id, approved_in_meeting_id, approved_on)",
        ("uuid", "uuid", "uuid", "date"),
        [
            (e["meeting_id"], e["network_id"], e["approved_in_meeting_id"], e["approved_on"])
            for e in by_key(events, lambda e: e["meeting_id"])
        ],
        "ON CONFLICT (meeting_id) DO UPDATE"
        " SET approved_in_meeting_id = EXCLUDED.approved_in_meeting_id,"
        " approved_on = least(minutes.approved_on, EXCLUDED.approved_on)",
    )


def signal_raised(tx, events, effects):
    for e in events:
        effects.count(e["network_id"], e["raised_on"], "signals", ("kind", e["kind"]))
    bulk(
        tx,
        "INSERT INTO signals (signal_id, network_id, body_kind, kind, title, raised_on)",
        ("uuid", "uuid", "text", "text", "text", "date"),
        [
            (e["signal_id"], e["network_id"], e["body_kind"], e["kind"], e["title"], e["raised_on"])
            for e in by_key(events, lambda e: e["signal_id"])
        ],
        "ON CONFLICT (signal_id) DO NOTHING",
    )


def iroj_report_back_recorded(tx, events, effects):
    bulk(
        tx,
        "INSERT INTO report_backs (meeting_id, network_id, body_id, body_kind, body_name,"
        " held_on, reporter_person_id, decisions, signals, recorded_at)",
        (
            "uuid",
            "uuid",
            "uuid",
            "text",
            "text",
            "date",
            "uuid",
            "jsonb",
            "jsonb",
            "timestamptz",
        ),
        [
            (
                e["meeting_id"],
                e["network_id"],
                e["body_id"],
                e["body_kind"],
                e["body_name"],
                e["held_on"],
                e["reporter_person_id"],
                Jsonb(e["decisions"]),
                Jsonb(e["signals"]),
                e["occurred_at"],
            )
            for e in by_key(events, lambda e: e["meeting_id"])
        ],
        # A meeting is closed once; a replayed event changes nothing.
        "ON CONFLICT (meeting_id) DO NOTHING",
    )


HANDLERS = {
    ("partners", "network_created"): network_created,
    ("partners", "network_settings_changed"): network_settings_changed,
    ("partners", "role_granted"): role_granted,
    ("partners", "role_revoked"): role_revoked,
    ("partners", "offer_published"): offer_snapshot,
    ("partners", "offer_changed"): offer_snapshot,
    ("partners", "agreement_recorded"): agreement_recorded,
    ("cases", "referral_received"): referral_received,
    ("cases", "referral_triaged"): referral_triaged,
    ("cases", "waiting_list_entry_added"): waiting_list_entry_added,
    ("cases", "waiting_list_entry_removed"): waiting_list_entry_removed,
    ("cases", "warm_contact_logged"): warm_contact_logged,
    ("cases", "trajectory_started"): trajectory_started,
    ("cases", "trajectory_closed"): trajectory_closed,
    ("cases", "bottleneck_flagged"): bottleneck_flagged,
    ("meetings", "meeting_scheduled"): meeting_scheduled,
    ("meetings", "meeting_held"): meeting_held,
    ("meetings", "decision_taken"): decision_taken,
    ("meetings", "action_assigned"): action_assigned,
    ("meetings", "action_done"): action_done,
    ("meetings", "minutes_approved"): minutes_approved,
    ("meetings", "signal_raised"): signal_raised,
    ("meetings", "iroj_report_back_recorded"): iroj_report_back_recorded,
}


def rebuild(tx, chunk: int = 5000, pause=None) -> int:
    """Recompute every projection from the event log, in the order the events occurred;
    returns the events replayed. `pause()` runs between chunks (the service yields to its
    other green threads there, so that its broker connections stay alive)."""
    # TRUNCATE locks the tables: live consumers wait until the rebuild committed.
    tx.execute("TRUNCATE " + ", ".join(PROJECTIONS))
    replayed = 0
    with tx.conn.cursor(name="replay") as cursor:
        cursor.itersize = chunk
        cursor.execute("SELECT body FROM event_log ORDER BY occurred_at, event_id")
        while rows := cursor.fetchmany(chunk):
            apply(tx, [r["body"] for r in rows], replay=True)
            replayed += len(rows)
            if pause is not None:
                pause()
    return replayed


def purge_people(tx) -> int:
    """Forget the names of people who hold no role in any network any more (a report keeps
    the name of who approved it, as part of the report)."""
    return tx.execute(
        "DELETE FROM people p WHERE NOT EXISTS (SELECT 1 FROM role_holders h"
        " WHERE h.person_id = p.person_id AND h.granted)"
    ).rowcount
