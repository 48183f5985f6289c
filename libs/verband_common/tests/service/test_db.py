"""The Database dependency under eventlet: queries of concurrent workers overlap."""

import time

import pytest
from nameko.rpc import rpc

from verband_common.db import Database

pytestmark = pytest.mark.service


def test_two_workers_sleeping_in_sql_overlap(verband, tmp_path):
    class Sleeper:
        name = "sleeper"
        db = Database(tmp_path, relay=False)

        @rpc
        def nap(self, seconds):
            with self.db.transaction() as tx:
                tx.execute("SELECT pg_sleep(%s)", (seconds,))
            return "rested"

    verband.start(Sleeper)
    with verband.rpc(timeout=10) as proxy:
        assert proxy.sleeper.nap(0) == "rested"  # queues, connections and pool warmed up
        started = time.monotonic()
        calls = [proxy.sleeper.nap.call_async(1) for _ in range(2)]
        assert [call.result() for call in calls] == ["rested", "rested"]
        elapsed = time.monotonic() - started

    # Blocking psycopg waits would serialise the two sleeps (about 2 s).
    assert 1.0 <= elapsed < 1.6, f"two 1 s sleeps took {elapsed:.2f} s"
