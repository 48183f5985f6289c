"""Operators see what waits: the metrics count the events kept because no queue was bound
to them, and the e-mails set aside, apart from what is merely not sent yet."""

import uuid
from types import SimpleNamespace

import pytest
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb
from psycopg_pool import ConnectionPool

from verband_common.contracts import new_event
from verband_common.metrics import ServiceCollector
from verband_common.migrations import apply_migrations

pytestmark = pytest.mark.service


@pytest.fixture
def pool(verband, tmp_path):
    url = verband.new_database()
    pool = ConnectionPool(
        url, min_size=1, max_size=2, kwargs={"row_factory": dict_row}, open=True, name="m-test"
    )
    with pool.connection() as conn:
        conn.autocommit = True
        apply_migrations(conn, "metricstest", tmp_path)
        conn.execute(  # the meetings service's mail outbox, as its migrations leave it
            "CREATE TABLE mail_outbox (id bigserial PRIMARY KEY, sent_at timestamptz,"
            " parked_at timestamptz)"
        )
    yield pool
    pool.close()


def gauges(pool) -> dict:
    provider = SimpleNamespace(
        container=SimpleNamespace(service_name="meetings"), database_pool=lambda: pool
    )
    return {
        family.name: family.samples[0].value
        for family in ServiceCollector(provider)._database("meetings")
        if family.samples
    }


def test_unroutable_events_and_parked_mails_are_counted(pool):
    with pool.connection() as conn:
        for unroutable in (True, False, False):
            body = new_event(
                "partners",
                "network_created",
                uuid.uuid4(),
                {"name": "Netwerk", "kind": "RTJ", "region": "Limburg"},
            )
            conn.execute(
                "INSERT INTO outbox (event_id, event_type, body, unroutable_since)"
                " VALUES (%s, 'network_created', %s, CASE WHEN %s THEN now() END)",
                (body["event_id"], Jsonb(body), unroutable),
            )
        conn.execute(
            "INSERT INTO mail_outbox (sent_at, parked_at) VALUES"
            " (NULL, now()), (NULL, NULL), (NULL, NULL), (now(), NULL)"
        )
    found = gauges(pool)
    assert found["verband_outbox_unsent_events"] == 3
    assert found["verband_outbox_unroutable_events"] == 1
    assert found["verband_mail_outbox_unsent"] == 2
    assert found["verband_mail_outbox_parked"] == 1
