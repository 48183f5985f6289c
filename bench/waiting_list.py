"""Serving one offer's warm waiting list of N families, beside plain SQL on the same rows.

Service: `cases.waiting_list(offer_id)` over RPC as the network's coordinator, from a
ClusterRpcProxy kept open: the first page (50 families) in priority order with the total,
each family's "why this place", its pickup clock, the other lists the same child is on, the
offer's free places, and the audit-log entry of the read. The service ranks by a kept
`rank_key` (cases.domain.priority) that an index serves in order.
Baseline: the same page by plain SQL from this process over a connection kept open: the
priority computed in ORDER BY over the same rows (days waiting, concern, domains, urgency,
with the same weights), joined to the family's name, LIMIT 50, plus the count.

N families (default 10,000) are written straight into the cases database (COPY), with one
child each; the coordinator's role, the offer and the network's weights arrive as partners'
events, as in production. Calls are sequential and interleaved (service, baseline, ...);
the figures are medians. Both return the same families in the same order (checked first).

Run alone against containers started here (no service images needed):
    .venv/bin/python bench/waiting_list.py [--families N] [--calls N]
(starts RabbitMQ and PostgreSQL with testcontainers and `nameko run` for cases).
"""

import datetime as dt
import hashlib
import json
import os
import random
import sys
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for extra in ("libs/verband_common", "services/cases", "tests/support"):
    if str(ROOT / extra) not in sys.path:
        sys.path.insert(0, str(ROOT / extra))

import psycopg  # noqa: E402
from common import Result, median, now, percentile, wait_until  # noqa: E402
from kombu import Connection  # noqa: E402
from nameko.standalone.rpc import ClusterRpcProxy  # noqa: E402

from cases.domain import priority  # noqa: E402
from verband_common.contracts import new_event  # noqa: E402
from verband_common.outbox import event_exchange  # noqa: E402

NAME = "waiting list"
AIM = 2.0
PAGE = 50
WEIGHTS = {"waiting_days": 1.0, "concern": 10.0, "multiproblem": 7.0, "urgency": 14.0}
DOMAINS = ("housing", "income", "health", "parenting", "school", "work")

BASELINE = (
    "SELECT e.id, e.referral_id, f.household -> 'carers' -> 0 ->> 'name' AS family_name,"
    " e.waiting_since, e.concern, e.domains, e.urgency, e.next_contact_due,"
    " %(wd)s * (current_date - e.waiting_since) + %(wc)s * e.concern_level"
    "   + %(wm)s * e.domains + %(wu)s * e.urgency_level AS score"
    " FROM waiting_entries e JOIN referrals r ON r.id = e.referral_id"
    " JOIN families f ON f.id = r.family_id"
    " WHERE e.offer_id = %(offer)s AND e.status = 'waiting'"
    " ORDER BY score DESC, e.waiting_since, e.concern_level DESC, e.domains DESC,"
    " e.urgency_level DESC, e.id LIMIT %(limit)s"
)
COUNT = "SELECT count(*) FROM waiting_entries WHERE offer_id = %s AND status = 'waiting'"


def partners_events(network_id, coordinator, offer_id) -> list[dict]:
    return [
        new_event(
            "partners",
            "network_created",
            network_id,
            {"name": "Bench netwerk", "kind": "1G1P", "region": "Vlaams-Brabant/Brussel"},
        ),
        new_event(
            "partners",
            "network_settings_changed",
            network_id,
            {
                "municipalities": ["23002"],
                "waiting_weights": WEIGHTS,
                "warm_contact_interval_days": 14,
                "pickup_guideline_days": 30,
                "targets": [],
            },
        ),
        new_event(
            "partners",
            "role_granted",
            network_id,
            {
                "person_id": str(coordinator),
                "role": "coordinator",
                "organisation_id": None,
                "role_version": 1,
            },
        ),
        new_event(
            "partners",
            "offer_published",
            network_id,
            {
                "offer_id": str(offer_id),
                "title": "Gezinscoaching",
                "kind": "family_coaching",
                "capacity": 20,
                "free_places": 0,
                "municipalities": ["23002"],
                "status": "active",
                "warm_waiting_list": True,
            },
        ),
    ]


def publish_partners_events(amqp_uri: str, events: list[dict]) -> None:
    with Connection(amqp_uri) as conn:
        producer = conn.Producer()
        exchange = event_exchange("partners")
        for body in events:
            producer.publish(
                json.dumps(body),
                exchange=exchange,
                routing_key=body["event_type"],
                content_type="application/json",
                content_encoding="utf-8",
                declare=[exchange],
                delivery_mode=2,
            )


def _copy(conn, table: str, columns: tuple, rows: list[tuple]) -> None:
    with (
        conn.cursor() as cur,
        cur.copy(
            f"COPY {table} ({', '.join(columns)}) FROM STDIN"  # noqa: S608 - constant names
        ) as copy,
    ):
        for row in rows:
            copy.write_row(row)


def seed(db_url: str, network_id, offer_id, families: int, seed_value: int = 4) -> None:
    """N families waiting for one offer, written as the service would have stored them."""
    rnd = random.Random(seed_value)
    weights = priority.Weights.from_settings(WEIGHTS)
    today = dt.date.today()
    fam, refs, kids, entries = [], [], [], []
    for i in range(families):
        family_id, referral_id, entry_id = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
        since = today - dt.timedelta(days=rnd.randint(0, 400))
        concern = rnd.choice(("none", "some", "serious"))
        urgency = rnd.choice(("normal", "normal", "normal", "urgent"))
        domains = rnd.sample(DOMAINS, rnd.randint(0, 4))
        received = dt.datetime.combine(since, dt.time(10), dt.UTC)
        household = {
            "carers": [{"name": f"Ouder {i}"}],
            "children": [{"first_name": f"Kind {i}", "birth_date": "2018-05-01"}],
        }
        fam.append((family_id, network_id, json.dumps(household), "23002", "{}"))
        pseudo = hashlib.sha256(referral_id.bytes).hexdigest()[:32]
        refs.append(
            (
                referral_id,
                network_id,
                family_id,
                "ocmw",
                concern,
                "Vraag",
                "{}",
                "waiting",
                received,
                domains,
                urgency,
                pseudo,
                pseudo[::-1],
                ["6-11"],
            )
        )
        kids.append((family_id, network_id, hashlib.sha256(family_id.bytes).hexdigest()[:32]))
        c = priority.Candidate(since, concern, len(domains), urgency, str(entry_id))
        entries.append(
            (
                entry_id,
                network_id,
                referral_id,
                offer_id,
                since,
                since,
                concern,
                priority.CONCERN_LEVELS[concern],
                urgency,
                priority.URGENCY_LEVELS[urgency],
                len(domains),
                priority.rank_key(c, weights),
                since + dt.timedelta(days=rnd.randint(0, 28)),
                uuid.uuid4(),
            )
        )
    with psycopg.connect(db_url) as conn:
        _copy(conn, "families", ("id", "network_id", "household", "municipality", "contact"), fam)
        _copy(
            conn,
            "referrals",
            (
                "id",
                "network_id",
                "family_id",
                "source_sector",
                "concern",
                "question",
                "consent",
                "status",
                "received_at",
                "life_domains",
                "urgency",
                "case_pseudonym",
                "family_pseudonym",
                "age_bands",
            ),
            refs,
        )
        _copy(conn, "children", ("family_id", "network_id", "child_key"), kids)
        _copy(
            conn,
            "waiting_entries",
            (
                "id",
                "network_id",
                "referral_id",
                "offer_id",
                "waiting_since",
                "added_on",
                "concern",
                "concern_level",
                "urgency",
                "urgency_level",
                "domains",
                "rank_key",
                "next_contact_due",
                "added_by",
            ),
            entries,
        )
        conn.execute("ANALYZE")


def measure(amqp_uri: str, db_url: str, families: int, calls: int, warmup: int) -> Result:
    network_id, coordinator, offer_id = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    events = partners_events(network_id, coordinator, offer_id)
    publish_partners_events(amqp_uri, events)
    sent = [now()]
    actor = {"actor": f"person:{coordinator}"}
    with ClusterRpcProxy({"AMQP_URI": amqp_uri}, context_data=actor, timeout=30) as proxy:
        cases = proxy["cases"]

        def known():
            try:
                return cases.waiting_list(str(offer_id))["offer"]["id"]
            except Exception:  # the offer or the role not applied yet
                # Events published while a just-started service was still binding its
                # queues are dropped by the exchange: send the same events again (same
                # event ids, so cases' inbox applies each one once).
                if now() - sent[0] > 3:
                    publish_partners_events(amqp_uri, events)
                    sent[0] = now()
                return None

        wait_until(known, 60, 0.2, "cases knowing the bench offer and coordinator")
        t0 = now()
        seed(db_url, network_id, offer_id, families)
        seeding = now() - t0
        params = {
            "offer": offer_id,
            "limit": PAGE,
            "wd": WEIGHTS["waiting_days"],
            "wc": WEIGHTS["concern"],
            "wm": WEIGHTS["multiproblem"],
            "wu": WEIGHTS["urgency"],
        }
        with psycopg.connect(db_url) as conn:

            def service_call():
                page = cases.waiting_list(str(offer_id), PAGE, 0)
                if page["total"] != families or len(page["entries"]) != PAGE:
                    raise AssertionError(f"service served {page['total']} families")
                return [e["entry_id"] for e in page["entries"]]

            def baseline_call():
                rows = conn.execute(BASELINE, params).fetchall()
                total = conn.execute(COUNT, (offer_id,)).fetchone()[0]
                conn.commit()
                if total != families or len(rows) != PAGE:
                    raise AssertionError(f"baseline counted {total} families")
                return [str(r[0]) for r in rows]

            if service_call() != baseline_call():
                raise AssertionError("the service and plain SQL disagree on the order")
            for _ in range(warmup):
                service_call()
                baseline_call()
            timings = {"service": [], "baseline": []}
            for _ in range(calls):
                for name, call in (("service", service_call), ("baseline", baseline_call)):
                    t = now()
                    call()
                    timings[name].append(now() - t)
    svc, base = median(timings["service"]), median(timings["baseline"])
    ratio = svc / base
    ms = 1000
    return Result(
        name=NAME,
        line=(
            f"{NAME}: {families} families, page of {PAGE}: service RPC median"
            f" {svc * ms:.1f} ms (p95 {percentile(timings['service'], 95) * ms:.1f}) vs plain"
            f" SQL ORDER BY {base * ms:.1f} ms (p95 {percentile(timings['baseline'], 95) * ms:.1f})"
            f" -> {ratio:.2f} x (aim <= {AIM})"
        ),
        ratio=ratio,
        aim=f"<= {AIM}",
        met=ratio <= AIM,
        details=[f"seeded {families} waiting families in {seeding:.1f} s", f"{calls} calls each"],
    )


def run(stack, families: int, calls: int, warmup: int = 20) -> Result:
    return measure(stack.broker.amqp_uri, stack.database.url("cases"), families, calls, warmup)


def main() -> int:
    """Alone: a broker and a database in containers, the cases service from this checkout."""
    import argparse
    import subprocess
    import tempfile

    os.environ.setdefault("TESTCONTAINERS_RYUK_DISABLED", "true")
    os.environ.setdefault("TESTCONTAINERS_CONNECTION_MODE", "docker_host")
    from verband_testkit import rpc_health, start_broker, start_database, wait_for

    p = argparse.ArgumentParser(description="waiting-list benchmark against cases from source")
    p.add_argument("--families", type=int, default=10_000)
    p.add_argument("--calls", type=int, default=200)
    args = p.parse_args()
    broker, database = start_broker(), start_database()
    service = None
    try:
        env = {
            **os.environ,
            "AMQP_URI": broker.amqp_uri,
            "DATABASE_URL": database.url("cases"),
            "PYTHONPATH": os.pathsep.join(
                str(ROOT / d) for d in ("libs/verband_common", "services/cases")
            ),
            "LOG_LEVEL": "WARNING",
        }
        log = tempfile.NamedTemporaryFile("w+", suffix=".log", delete=False)
        service = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "nameko",
                "run",
                "--config",
                str(ROOT / "services/cases/config.yml"),
                "cases.service",
            ],
            env=env,
            cwd=ROOT / "services/cases",
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        wait_for(lambda: rpc_health(broker.amqp_uri, "cases"), 90, what="cases answering")
        result = measure(broker.amqp_uri, database.url("cases"), args.families, args.calls, 20)
        print(result.line)
        for detail in result.details:
            print(f"    {detail}")
        return 0
    finally:
        if service is not None:
            service.terminate()
            service.wait(timeout=30)
        for part in (broker, database):
            part.container.stop()


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    sys.exit(main())
