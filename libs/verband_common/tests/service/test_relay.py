"""The outbox relay, driven directly: it keeps rows while the broker cannot be reached and
sends them, in order, once it can."""

import json
import socket
import uuid

import eventlet
import pytest
from kombu import Connection, Queue
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb
from psycopg_pool import ConnectionPool
from verband_servicekit import role_version, wait_until

from verband_common.contracts import new_event
from verband_common.migrations import apply_migrations
from verband_common.outbox import OutboxRelay, event_exchange, outbox_headers

pytestmark = pytest.mark.service


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def pool(verband, tmp_path):
    url = verband.new_database()
    pool = ConnectionPool(
        url, min_size=1, max_size=4, kwargs={"row_factory": dict_row}, open=True, name="relay-test"
    )
    with pool.connection() as conn:
        conn.autocommit = True
        apply_migrations(conn, "relaytest", tmp_path)  # the plumbing's outbox and inbox only
        conn.autocommit = False
    pool.db_url = url
    yield pool
    pool.close()


def write_events(pool, n: int) -> list[str]:
    ids = []
    with pool.connection() as conn:
        for i in range(n):
            body = new_event(
                "partners",
                "network_created",
                uuid.uuid4(),
                {"name": f"Netwerk {i}", "kind": "RTJ", "region": "Limburg"},
            )
            conn.execute(
                "INSERT INTO outbox (event_id, event_type, body, headers) VALUES (%s, %s, %s, %s)",
                (
                    body["event_id"],
                    body["event_type"],
                    Jsonb(body),
                    Jsonb(outbox_headers(f"cid-{i}")),
                ),
            )
            ids.append(body["event_id"])
    return ids


def test_rows_wait_while_the_broker_is_unreachable_and_go_out_once_it_is_back(verband, pool):
    tap = verband.tap("partners")
    event_ids = write_events(pool, 3)
    unreachable = f"amqp://verband:verband@127.0.0.1:{closed_port()}/{verband.vhost}"
    relay = OutboxRelay(pool, unreachable, "partners", idle_interval=0.05)
    runner = eventlet.spawn(relay.run)
    try:
        eventlet.sleep(1.5)  # a few failed rounds
        assert not runner.dead, "the relay must survive an unreachable broker"
        assert verband.count(pool.db_url, "outbox", "sent_at IS NULL") == 3
        assert verband.drain(tap) == []

        relay.publisher.amqp_uri = verband.amqp_uri  # the broker is back
        wait_until(
            lambda: verband.count(pool.db_url, "outbox", "sent_at IS NULL") == 0,
            timeout=20,
            what="outbox rows marked sent after the broker returned",
        )
        messages = wait_until(lambda: verband.drain(tap), what="events on partners.events")
        # A row written while the relay runs goes out too (woken by kick()).
        later = write_events(pool, 1)
        relay.kick()
        wait_until(
            lambda: verband.count(pool.db_url, "outbox", "sent_at IS NULL") == 0,
            what="later row sent",
        )
        messages += wait_until(lambda: verband.drain(tap), what="the later event")
    finally:
        relay.stop()
        with eventlet.Timeout(5):
            runner.wait()  # stop() ends the loop

    bodies = [json.loads(m.body) for m in messages]
    assert [b["event_id"] for b in bodies] == event_ids + later  # once each, in outbox order
    assert [m.properties["message_id"] for m in messages] == event_ids + later
    assert [m.headers["nameko.correlation_id"] for m in messages] == [
        "cid-0",
        "cid-1",
        "cid-2",
        "cid-0",
    ]
    assert all(m.properties["delivery_mode"] == 2 for m in messages)


def write_event(pool, event_type: str, payload: dict) -> str:
    body = new_event("partners", event_type, uuid.uuid4(), payload)
    with pool.connection() as conn:
        conn.execute(
            "INSERT INTO outbox (event_id, event_type, body, headers) VALUES (%s, %s, %s, '{}')",
            (body["event_id"], event_type, Jsonb(body)),
        )
    return body["event_id"]


def test_an_event_no_queue_is_bound_to_is_kept_and_arrives_once_one_is_bound(verband, pool):
    # Only network_created has a queue; role_granted is published while none is bound.
    created_tap = verband.tap("partners", "network_created")
    unroutable = write_event(
        pool,
        "role_granted",
        {
            "person_id": str(uuid.uuid4()),
            "role": "coordinator",
            "organisation_id": None,
            "role_version": role_version(),
        },
    )
    routable = write_events(pool, 1)
    relay = OutboxRelay(pool, verband.amqp_uri, "partners", idle_interval=0.05)
    runner = eventlet.spawn(relay.run)
    try:
        # The event behind the unroutable one is not held back by it.
        [message] = wait_until(lambda: verband.drain(created_tap), what="the routable event")
        assert json.loads(message.body)["event_id"] == routable[0]
        [row] = wait_until(
            lambda: verband.sql(
                pool.db_url,
                "SELECT sent_at, attempts, unroutable_since, last_error, next_attempt_at"
                " FROM outbox WHERE event_id = %s AND attempts > 0",
                (unroutable,),
            ),
            what="the unroutable event marked",
        )
        # Confirmed by the broker, yet not sent: kept, with the reason, for a later try.
        assert row["sent_at"] is None
        assert row["unroutable_since"] is not None
        assert "NO_ROUTE" in row["last_error"] and "role_granted" in row["last_error"]
        assert relay.returned_total >= 1

        # A consumer binds its queue later: the event reaches it at the next try.
        granted_tap = verband.tap("partners", "role_granted")
        [late] = wait_until(
            lambda: verband.drain(granted_tap), timeout=20, what="the event, once bound"
        )
        assert json.loads(late.body)["event_id"] == unroutable
        wait_until(
            lambda: verband.count(pool.db_url, "outbox", "sent_at IS NULL") == 0,
            what="the kept event marked sent",
        )
    finally:
        relay.stop()
        with eventlet.Timeout(5):
            runner.wait()


def test_an_event_the_broker_refuses_is_kept_and_does_not_hold_back_the_others(verband, pool):
    # A full queue that rejects publishes: the broker nacks what would overflow it.
    full = "full-" + uuid.uuid4().hex[:8]
    with Connection(verband.amqp_uri) as conn:
        Queue(
            full,
            exchange=event_exchange("partners"),
            routing_key="network_created",
            durable=False,
            queue_arguments={"x-max-length": 1, "x-overflow": "reject-publish"},
        )(conn.channel()).declare()
    granted_tap = verband.tap("partners", "role_granted")
    created = write_events(pool, 2)  # the second overflows the queue
    granted = write_event(
        pool,
        "role_granted",
        {
            "person_id": str(uuid.uuid4()),
            "role": "coordinator",
            "organisation_id": None,
            "role_version": role_version(),
        },
    )
    relay = OutboxRelay(pool, verband.amqp_uri, "partners", idle_interval=0.05)
    runner = eventlet.spawn(relay.run)
    try:
        [late] = wait_until(lambda: verband.drain(granted_tap), what="the event behind")
        assert json.loads(late.body)["event_id"] == granted
        [kept] = wait_until(
            lambda: verband.sql(
                pool.db_url,
                "SELECT sent_at, unroutable_since, last_error FROM outbox"
                " WHERE event_id = %s AND attempts > 0",
                (created[1],),
            ),
            what="the refused event kept",
        )
        assert kept["sent_at"] is None and kept["unroutable_since"] is None
        assert "refused by the broker" in kept["last_error"]
        # Room in the queue again: the kept event goes out at its next try.
        [first] = verband.drain(full)
        assert json.loads(first.body)["event_id"] == created[0]
        [second] = wait_until(lambda: verband.drain(full), timeout=20, what="the kept event")
        assert json.loads(second.body)["event_id"] == created[1]
        wait_until(
            lambda: verband.count(pool.db_url, "outbox", "sent_at IS NULL") == 0,
            what="every event sent",
        )
    finally:
        relay.stop()
        with eventlet.Timeout(5):
            runner.wait()
