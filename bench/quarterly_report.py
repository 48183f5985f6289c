"""Reporting over years of history: a quarterly report of 16 networks beside a bare SQL
aggregate over the same events, and projection catch-up beside the live event pipeline.

History: `history.py` draws 16 networks x 5 years (about 100,000 families; about 1.9
million events) and writes them straight into reporting's `event_log` (COPY), as if
reporting had logged them over the years.

- Catch-up: `reporting.rebuild_projections()` replays the whole log through the same
  projection functions as live consumption. Baseline: the live pipeline on the same broker
  and service: a fresh network's year of events published to the sources' exchanges, as the
  relays would, until reporting has logged them all (contract check, inbox, event log,
  projections, ack after commit). Figures in events per second; aim: catch-up >= live.
- Report: the latest full quarter of every network, `reporting.generate_reports` over RPC
  for the 16 networks as the network admin of all of them (the indicators with suppression,
  frozen as 16 draft reports: one aggregates read, one write). For reference, the same 16
  reports one `reporting.generate_report` call at a time, each as the network's
  coordinator. Baseline: one bare SQL statement over the same raw events in
  `event_log`, given its best chance (the occurred_at index narrows it to the quarter and
  the month after), computing only part of the report per network: referrals by
  municipality and by source sector, the median and 90th percentile of days to a triage,
  trajectories started, closed by outcome, and signals. Medians over the rounds. Aim: the
  report within 2 x the bare aggregate and under one second. For reference, the floor: the
  same quarter summed from the pre-aggregated month rows alone.

Run alone against containers started here (no service images needed):
    .venv/bin/python bench/quarterly_report.py [--families N] [--years N] [--rounds N]
"""

import datetime as dt
import itertools
import json
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for extra in ("libs/verband_common", "tests/support", "bench"):
    if str(ROOT / extra) not in sys.path:
        sys.path.insert(0, str(ROOT / extra))

import history  # noqa: E402
import psycopg  # noqa: E402
from common import Result, median, now, wait_until  # noqa: E402
from nameko.standalone.rpc import ClusterRpcProxy  # noqa: E402

NAME = "reporting"
AIM = 2.0
NETWORKS = 16

BARE_AGGREGATE = """
WITH q AS (
  SELECT network_id, event_type, body FROM event_log
  WHERE occurred_at >= %(start)s AND occurred_at < %(until)s
    AND event_type IN ('referral_received', 'referral_triaged', 'trajectory_started',
                       'trajectory_closed', 'signal_raised')
), referrals AS (
  SELECT network_id, body->>'municipality' AS municipality, body->>'source_sector' AS sector
  FROM q WHERE event_type = 'referral_received'
    AND (body->>'received_on')::date BETWEEN %(start)s AND %(end)s
), answers AS (
  SELECT network_id,
    (body->>'triaged_on')::date - (body->>'received_on')::date AS days
  FROM q WHERE event_type = 'referral_triaged'
    AND (body->>'triaged_on')::date BETWEEN %(start)s AND %(end)s
)
SELECT 'municipality' AS what, network_id, municipality AS key, count(*)::float AS n
  FROM referrals GROUP BY network_id, municipality
UNION ALL SELECT 'sector', network_id, sector, count(*) FROM referrals GROUP BY 1, 2, 3
UNION ALL SELECT 'median', network_id, '', percentile_disc(0.5) WITHIN GROUP (ORDER BY days)
  FROM answers GROUP BY network_id
UNION ALL SELECT 'p90', network_id, '', percentile_disc(0.9) WITHIN GROUP (ORDER BY days)
  FROM answers GROUP BY network_id
UNION ALL SELECT 'started', network_id, '', count(*) FROM q
  WHERE event_type = 'trajectory_started'
    AND (body->>'started_on')::date BETWEEN %(start)s AND %(end)s GROUP BY network_id
UNION ALL SELECT 'closed', network_id, body->>'outcome', count(*) FROM q
  WHERE event_type = 'trajectory_closed'
    AND (body->>'closed_on')::date BETWEEN %(start)s AND %(end)s GROUP BY 1, 2, 3
UNION ALL SELECT 'signals', network_id, '', count(*) FROM q
  WHERE event_type = 'signal_raised'
    AND (body->>'raised_on')::date BETWEEN %(start)s AND %(end)s GROUP BY network_id
"""

FLOOR = (
    "SELECT network_id, measure, dimension, key, sum(n) FROM month_counts"
    " WHERE month BETWEEN %(start)s AND %(end)s GROUP BY 1, 2, 3, 4"
)


def last_full_quarter(today: dt.date) -> tuple[dt.date, dt.date]:
    first = dt.date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
    end = first - dt.timedelta(days=1)
    return dt.date(end.year, (end.month - 1) // 3 * 3 + 1, 1), end


def copy_history(db_url: str, events) -> int:
    count = 0
    with psycopg.connect(db_url) as conn, conn.cursor() as cur:
        with cur.copy(
            "COPY event_log (event_id, source, event_type, network_id, occurred_at, body)"
            " FROM STDIN"
        ) as copy:
            for body in events:
                copy.write_row(
                    (
                        body["event_id"],
                        body["source"],
                        body["event_type"],
                        body["network_id"],
                        body["occurred_at"],
                        json.dumps(body),
                    )
                )
                count += 1
        conn.execute("ANALYZE event_log")
    return count


def logged(db_url: str) -> int:
    with psycopg.connect(db_url) as conn:
        return conn.execute("SELECT count(*) FROM event_log").fetchone()[0]


def live_round(amqp_uri: str, db_url: str, end: dt.date, seed: int) -> tuple[int, float]:
    """A fresh network's year through the live pipeline: (events, seconds)."""
    network = history.make_networks(1, seed=seed)[0]
    events = list(history.history([network], 1, 700, end, seed=seed))
    events.sort(key=lambda b: b["occurred_at"])
    before = logged(db_url)
    t0 = now()
    history.publish(amqp_uri, events)
    wait_until(
        lambda: logged(db_url) >= before + len(events),
        600,
        0.05,
        f"reporting logging {len(events)} live events",
    )
    return len(events), now() - t0


def measure(amqp_uri: str, db_url: str, families: int, years: int, rounds: int, say=None) -> Result:
    """`say(line)`, if given, hears each figure as soon as it is measured."""
    say = say or (lambda line: None)
    today = dt.date.today()
    start, end = last_full_quarter(today)
    details = []
    networks = history.make_networks(NETWORKS, seed=11)
    admin = history.new_id(random.Random(12))
    grants = history.network_admin_grants(networks, admin, dt.date(today.year - years + 1, 1, 1))
    t0 = now()
    copied = copy_history(
        db_url,
        itertools.chain(history.history(networks, years, families, today, seed=11), grants),
    )
    details.append(
        f"history: {NETWORKS} networks x {years} years, {families} families drawn,"
        f" {copied} events written into event_log in {now() - t0:.0f} s"
    )
    say(details[-1])
    live_events, live_seconds = live_round(amqp_uri, db_url, today, seed=99)
    live_rate = live_events / live_seconds
    with ClusterRpcProxy({"AMQP_URI": amqp_uri}, timeout=3600) as proxy:
        t0 = now()
        replayed = proxy.reporting.rebuild_projections()["events_replayed"]
        catchup_seconds = now() - t0
    catchup_rate = replayed / catchup_seconds
    details.append(
        f"catch-up: {replayed} events replayed in {catchup_seconds:.1f} s ="
        f" {catchup_rate:,.0f} events/s vs live pipeline {live_events} events in"
        f" {live_seconds:.1f} s = {live_rate:,.0f} events/s ->"
        f" {catchup_rate / live_rate:.1f} x (aim >= 1)"
    )
    say(details[-1])

    period = {"kind": "quarter", "start": start.isoformat()}
    proxies = [
        ClusterRpcProxy(
            {"AMQP_URI": amqp_uri}, context_data={"actor": f"person:{n.coordinator}"}, timeout=600
        )
        for n in networks
    ]
    clients = [p.start() for p in proxies]
    admin_proxy = ClusterRpcProxy(
        {"AMQP_URI": amqp_uri}, context_data={"actor": f"person:{admin}"}, timeout=600
    )
    proxies.append(admin_proxy)
    batch = admin_proxy.start()
    ids = [n.id for n in networks]
    params = {"start": start, "end": end, "until": end + dt.timedelta(days=32)}
    timings: dict = {"report": [], "one_by_one": [], "bare": [], "floor": []}
    try:
        with psycopg.connect(db_url) as conn:
            reports = [
                c.reporting.generate_report(n.id, period)
                for c, n in zip(clients, networks, strict=True)
            ]  # warm-up
            drafted = batch.reporting.generate_reports(ids, period)
            # The same drafts (regenerated in place) with the same figures, either way.
            assert [r["id"] for r in drafted] == [r["id"] for r in reports]
            assert [r["content"]["indicators"] for r in drafted] == [
                r["content"]["indicators"] for r in reports
            ]
            shown = sum(
                next(i for i in r["content"]["indicators"] if i["key"] == "referrals")["numerator"]
                or 0
                for r in reports
            )
            referrals = conn.execute(
                "SELECT sum(n) FROM month_counts WHERE measure = 'referrals' AND dimension = ''"
                " AND month BETWEEN %s AND %s",
                (start, end),
            ).fetchone()[0]
            for _ in range(rounds):
                t = now()
                batch.reporting.generate_reports(ids, period)
                timings["report"].append(now() - t)
                t = now()
                for client, n in zip(clients, networks, strict=True):
                    client.reporting.generate_report(n.id, period)
                timings["one_by_one"].append(now() - t)
                t = now()
                rows = conn.execute(BARE_AGGREGATE, params).fetchall()
                conn.commit()
                timings["bare"].append(now() - t)
                t = now()
                conn.execute(FLOOR, {"start": start, "end": end}).fetchall()
                conn.commit()
                timings["floor"].append(now() - t)
                say(
                    f"round: report {timings['report'][-1] * 1000:.0f} ms (one by one"
                    f" {timings['one_by_one'][-1] * 1000:.0f} ms), bare"
                    f" {timings['bare'][-1] * 1000:.0f} ms,"
                    f" floor {timings['floor'][-1] * 1000:.1f} ms"
                )
            bare_referrals = sum(r[3] for r in rows if r[0] == "municipality")
    finally:
        for p in proxies:
            p.stop()
    report, one_by_one, bare, floor = (
        median(timings[k]) for k in ("report", "one_by_one", "bare", "floor")
    )
    ratio = report / bare
    ms = 1000
    details.append(
        f"quarter {start}..{end}: {referrals} referrals projected, {bare_referrals:.0f} counted"
        f" by the bare SQL, {shown} in the reports (small counts suppressed); floor, the month"
        f" rows summed alone: {floor * ms:.1f} ms ({report / floor:.1f} x)"
    )
    details.append(
        f"one by one, 16 x generate_report (each as the network's coordinator):"
        f" {one_by_one * ms:.0f} ms ({one_by_one / bare:.2f} x the bare SQL)"
    )
    details.append(f"{rounds} rounds, medians; catch-up and live round measured once")
    met = ratio <= AIM and report < 1.0 and catchup_rate >= live_rate
    return Result(
        name=NAME,
        line=(
            f"{NAME}: quarterly report of {NETWORKS} networks over {copied} events:"
            f" {report * ms:.0f} ms (generate_reports of the 16) vs bare SQL aggregate over the"
            f" events {bare * ms:.0f} ms -> {ratio:.2f} x (aim <= {AIM}, and < 1 s);"
            f" catch-up {catchup_rate / live_rate:.1f} x live"
        ),
        ratio=ratio,
        aim=f"<= {AIM}",
        met=met,
        details=details,
    )


def run(stack, families: int = 100_000, years: int = 5, rounds: int = 5) -> Result:
    return measure(stack.broker.amqp_uri, stack.database.url("reporting"), families, years, rounds)


def main() -> int:
    """Alone: a broker and a database in containers, the reporting service from this
    checkout."""
    import argparse
    import subprocess
    import tempfile

    os.environ.setdefault("TESTCONTAINERS_RYUK_DISABLED", "true")
    os.environ.setdefault("TESTCONTAINERS_CONNECTION_MODE", "docker_host")
    from verband_testkit import rpc_health, start_broker, start_database, wait_for

    p = argparse.ArgumentParser(description="reporting benchmark against reporting from source")
    p.add_argument("--families", type=int, default=100_000)
    p.add_argument("--years", type=int, default=5)
    p.add_argument("--rounds", type=int, default=5)
    args = p.parse_args()
    broker, database = start_broker(), start_database()
    service = None
    try:
        env = {
            **os.environ,
            "AMQP_URI": broker.amqp_uri,
            "DATABASE_URL": database.url("reporting"),
            "PYTHONPATH": os.pathsep.join(
                str(ROOT / d) for d in ("libs/verband_common", "services/reporting")
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
                str(ROOT / "services/reporting/config.yml"),
                "reporting.service",
            ],
            env=env,
            cwd=ROOT / "services/reporting",
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        wait_for(lambda: rpc_health(broker.amqp_uri, "reporting"), 90, what="reporting answering")
        started = time.monotonic()
        result = measure(
            broker.amqp_uri,
            database.url("reporting"),
            args.families,
            args.years,
            args.rounds,
            say=lambda line: print(f"  ... {line}", flush=True),
        )
        print(result.line)
        for detail in result.details:
            print(f"    {detail}")
        print(f"    ({time.monotonic() - started:.0f} s; service log {log.name})")
        return 0
    finally:
        if service is not None:
            service.terminate()
            service.wait(timeout=30)
        for part in (broker, database):
            part.container.stop()


if __name__ == "__main__":
    sys.exit(main())
