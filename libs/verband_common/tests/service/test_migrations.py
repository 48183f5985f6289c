"""Migrations run when a service starts, once: a second start (or a second instance starting
at the same moment) applies nothing and changes nothing."""

import eventlet
import psycopg
import pytest
from nameko.rpc import rpc

from verband_common.db import Database
from verband_common.migrations import PLUMBING, apply_migrations, migration_files

pytestmark = pytest.mark.service


def keeper_service(folder):
    class Keeper:
        name = "keeper"
        db = Database(folder, relay=False)

        @rpc
        def things(self):
            return self.db.fetchall("SELECT id, label FROM things ORDER BY id")

    return Keeper


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "0001_things.sql").write_text(
        "CREATE TABLE things (id int PRIMARY KEY);\nINSERT INTO things VALUES (1);"
    )
    (tmp_path / "0002_things_label.sql").write_text("ALTER TABLE things ADD COLUMN label text;")
    return tmp_path


EXPECTED = [
    "keeper/0001_things.sql",
    "keeper/0002_things_label.sql",
    # The shared plumbing's own, whichever it has.
    *(f"verband_common/{p.name}" for p in migration_files(PLUMBING)),
]


def applied(verband, db_url):
    return verband.sql(db_url, "SELECT version, applied_at FROM schema_migrations ORDER BY version")


def test_applied_at_start_and_safe_to_run_twice(verband, folder):
    db_url = verband.new_database()
    Keeper = keeper_service(folder)

    first = verband.start(Keeper, db_url)
    before = applied(verband, db_url)
    assert [r["version"] for r in before] == EXPECTED
    with verband.rpc() as proxy:
        assert proxy.keeper.things() == [{"id": 1, "label": None}]
    first.stop()

    verband.start(Keeper, db_url)  # restart against the same database
    assert applied(verband, db_url) == before  # nothing re-run, nothing re-recorded
    with verband.rpc() as proxy:
        assert proxy.keeper.things() == [{"id": 1, "label": None}]  # seed row not inserted twice

    with psycopg.connect(db_url, autocommit=True) as conn:
        assert apply_migrations(conn, "keeper", folder) == []
    assert applied(verband, db_url) == before


def test_two_instances_starting_together_apply_each_migration_once(verband, folder):
    db_url = verband.new_database()
    Keeper = keeper_service(folder)
    starts = [eventlet.spawn(verband.start, Keeper, db_url) for _ in range(2)]
    for start in starts:
        start.wait()
    assert [r["version"] for r in applied(verband, db_url)] == EXPECTED
    assert verband.count(db_url, "things") == 1
