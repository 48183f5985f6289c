"""Event pipeline throughput, beside raw kombu on the same broker.

Pipeline: N `cases.referral_received` events are written to the cases service's outbox
(valid contract bodies from `new_event`, 100 rows per transaction, as a busy service would
commit them). The real cases container's relay publishes them with publisher confirms; the
real reporting container consumes them with `@event_consumer` (contract check, inbox row,
event log and projection in one transaction, ack after commit). The clock runs from the
first insert until reporting's committed effect, the sum of `referral_counts` over the
round's networks, reaches N.

Baseline: raw kombu on the same broker: publish the same N bodies as persistent messages
to a durable queue while one consumer (same prefetch as a service's consumer) acks them;
from the first publish until the N-th ack. No database.

Rounds alternate baseline and pipeline so that background load hits both alike; each
round uses fresh networks, so rounds do not see each other's events.
"""

import datetime as dt
import json
import threading
import uuid

import psycopg
from common import Result, median, now, wait_until
from kombu import Connection, Exchange, Queue
from psycopg.types.json import Jsonb

from verband_common.contracts import new_event
from verband_common.correlation import HEADER as CORRELATION_HEADER

NAME = "event pipeline"
AIM = 0.5
INSERT_BATCH = 100  # outbox rows per producer transaction
PREFETCH = 10  # a service's consumer prefetches max_workers (10 by default)
CONSUMER = "reporting.on_referral_received"


def referral_events(n: int, networks: list[uuid.UUID]) -> list[dict]:
    today = dt.date.today().isoformat()
    return [
        new_event(
            "cases",
            "referral_received",
            networks[i % len(networks)],
            {
                "referral_id": str(uuid.uuid4()),
                "offer_id": str(uuid.uuid4()),
                "family_pseudonym": uuid.uuid4().hex,
                "age_bands": ["3-5", "6-11"],
                "municipality": "44021",
                "concern": ("none", "some", "serious")[i % 3],
                "source_sector": "clb",
                "received_on": today,
            },
        )
        for i in range(n)
    ]


def raw_kombu(amqp_uri: str, bodies: list[bytes], timeout: float) -> float:
    """Seconds to publish `bodies` and consume and ack them all, with plain kombu."""
    name = f"bench.raw.{uuid.uuid4().hex[:8]}"
    queue = Queue(name, exchange=Exchange(""), routing_key=name, durable=True, auto_delete=False)
    n = len(bodies)
    ready, done = threading.Event(), threading.Event()
    acked = [0]
    errors: list[BaseException] = []

    def on_message(body, message):
        message.ack()
        acked[0] += 1
        if acked[0] >= n:
            done.set()

    def consume():
        try:
            with Connection(amqp_uri, connect_timeout=5) as conn:
                with conn.Consumer(
                    queue, callbacks=[on_message], prefetch_count=PREFETCH, accept=["json"]
                ):
                    ready.set()
                    while not done.is_set():
                        try:
                            conn.drain_events(timeout=0.5)
                        except TimeoutError:
                            pass
        except BaseException as exc:
            errors.append(exc)
            ready.set()
            done.set()

    consumer = threading.Thread(target=consume, name="raw-consumer", daemon=True)
    consumer.start()
    ready.wait(10)
    try:
        with Connection(amqp_uri, connect_timeout=5) as conn:
            producer = conn.Producer()
            started = now()
            for body in bodies:
                producer.publish(
                    body,
                    exchange="",
                    routing_key=name,
                    delivery_mode=2,
                    content_type="application/json",
                    content_encoding="utf-8",
                    message_id=str(uuid.uuid4()),
                    serializer=None,
                )
            if not done.wait(timeout):
                raise TimeoutError(f"raw kombu: {acked[0]} of {n} acked within {timeout:.0f}s")
            elapsed = now() - started
        consumer.join(5)
        if errors:
            raise errors[0]
        return elapsed
    finally:
        done.set()
        with Connection(amqp_uri, connect_timeout=5) as conn:
            queue(conn.channel()).delete()


def pipeline(
    cases_url: str,
    reporting_url: str,
    events: list[dict],
    networks: list[uuid.UUID],
    timeout: float,
) -> dict:
    """Seconds from the first outbox insert until reporting committed every event."""
    n = len(events)
    rows = [
        (e["event_id"], e["event_type"], Jsonb(e), Jsonb({CORRELATION_HEADER: uuid.uuid4().hex}))
        for e in events
    ]
    ids = [str(x) for x in networks]
    with (
        psycopg.connect(reporting_url, autocommit=True) as watch,
        psycopg.connect(cases_url, autocommit=True) as producer,
        psycopg.connect(cases_url, autocommit=True) as outbox_watch,
    ):

        def applied() -> int:
            return watch.execute(
                "SELECT coalesce(sum(referrals), 0) FROM referral_counts"
                " WHERE network_id = ANY(%s::uuid[])",
                (ids,),
            ).fetchone()[0]

        first_id = producer.execute("SELECT coalesce(max(id), 0) FROM outbox").fetchone()[0]
        started = now()
        with producer.cursor() as cur:
            for i in range(0, n, INSERT_BATCH):
                with producer.transaction():
                    cur.executemany(
                        "INSERT INTO outbox (event_id, event_type, body, headers)"
                        " VALUES (%s, %s, %s, %s)",
                        rows[i : i + INSERT_BATCH],
                    )
        inserted = now() - started

        relayed_at = [None]

        def finished():
            if (
                relayed_at[0] is None
                and not outbox_watch.execute(
                    "SELECT 1 FROM outbox WHERE id > %s AND sent_at IS NULL LIMIT 1", (first_id,)
                ).fetchone()
            ):
                relayed_at[0] = now() - started
            return applied() >= n

        wait_until(finished, timeout, 0.05, f"reporting applying {n} events")
        elapsed = now() - started
        if relayed_at[0] is None:
            relayed_at[0] = elapsed
        got = applied()
        if got != n:
            raise AssertionError(f"reporting applied {got} events, expected exactly {n}")
        dupes = watch.execute(
            "SELECT count(*) FROM inbox WHERE consumer = %s AND event_id = ANY(%s::uuid[])",
            (CONSUMER, [e["event_id"] for e in events]),
        ).fetchone()[0]
        if dupes != n:
            raise AssertionError(f"inbox holds {dupes} rows for {n} events")
    return {"seconds": elapsed, "inserted": inserted, "relayed": relayed_at[0]}


def run(stack, events: int, rounds: int, networks_per_round: int, warmup: int) -> Result:
    amqp_uri = stack.broker.amqp_uri
    cases_url = stack.database.url("cases")
    reporting_url = stack.database.url("reporting")
    timeout = max(60.0, events / 40)

    def one_round(n):
        networks = [uuid.uuid4() for _ in range(networks_per_round)]
        evs = referral_events(n, networks)
        bodies = [json.dumps(e).encode() for e in evs]
        raw_s = raw_kombu(amqp_uri, bodies, timeout)
        pipe = pipeline(cases_url, reporting_url, evs, networks, timeout)
        return raw_s, pipe

    one_round(warmup)
    raw_rates, pipe_rates, details = [], [], []
    for r in range(1, rounds + 1):
        raw_s, pipe = one_round(events)
        raw_rates.append(events / raw_s)
        pipe_rates.append(events / pipe["seconds"])
        details.append(
            f"round {r}: pipeline {events / pipe['seconds']:.0f} ev/s ({pipe['seconds']:.2f} s;"
            f" outbox inserts done at {pipe['inserted']:.2f} s, relay drained at"
            f" {pipe['relayed']:.2f} s) | raw kombu {events / raw_s:.0f} msg/s ({raw_s:.2f} s)"
            f" -> {pipe_rates[-1] / raw_rates[-1]:.2f}"
        )
    pipe_rate, raw_rate = median(pipe_rates), median(raw_rates)
    ratio = pipe_rate / raw_rate
    line = (
        f"{NAME}: {pipe_rate:.0f} ev/s vs raw kombu {raw_rate:.0f} msg/s -> ratio "
        f"{ratio:.2f} (aim >= {AIM})"
    )
    details.insert(
        0,
        f"{events} events x {rounds} round(s) over {networks_per_round} networks,"
        f" after a warm-up of {warmup}; medians over rounds",
    )
    return Result(NAME, line, ratio, f">= {AIM}", ratio >= AIM, details)
