"""PostgreSQL for a nameko service: a psycopg 3 pool as a DependencyProvider.

Every unit of work is one transaction: `with self.db.transaction() as tx:`. Inside it a
service changes its state, emits events into the outbox (`tx.emit`) and, in an event
handler, records the event as processed (`tx.first_delivery`), so that state, outgoing
events and the inbox commit or roll back together.

A transaction of an RPC whose caller's deadline has passed by the time it would commit is
rolled back instead (deadline.py). An RPC that carries an idempotency key runs as one unit
of work in which its answer is stored under the key (`Session.idempotent`).
"""

import os

# psycopg's compiled wait function blocks the eventlet hub; the select-based one yields to
# it. The variable is read when psycopg is imported, so it is set before that import.
os.environ.setdefault("PSYCOPG_WAIT_FUNC", "wait_select")

import contextlib  # noqa: E402
import logging  # noqa: E402
import zlib  # noqa: E402
from pathlib import Path  # noqa: E402

from kombu.utils import json as wire_json  # noqa: E402
from nameko.extensions import DependencyProvider  # noqa: E402
from psycopg.rows import dict_row  # noqa: E402
from psycopg.types.json import Jsonb  # noqa: E402
from psycopg_pool import ConnectionPool  # noqa: E402

from verband_common import actor as actor_ref  # noqa: E402
from verband_common import config, deadline, idempotency  # noqa: E402
from verband_common.contracts import new_event  # noqa: E402
from verband_common.correlation import CONTEXT_KEY  # noqa: E402
from verband_common.errors import ValidationFailed, VerbandError  # noqa: E402
from verband_common.housekeeping import Housekeeping  # noqa: E402
from verband_common.migrations import apply_migrations  # noqa: E402
from verband_common.outbox import OutboxRelay, outbox_headers  # noqa: E402

log = logging.getLogger(__name__)


class Transaction:
    """One open transaction of one worker."""

    def __init__(self, conn, source: str, consumer: str, correlation_id: str | None):
        self.conn = conn
        self.source = source
        self.consumer = consumer
        self.correlation_id = correlation_id
        self.emitted = 0

    def execute(self, query, params=None):
        return self.conn.execute(query, params)

    def fetchone(self, query, params=None) -> dict | None:
        return self.conn.execute(query, params).fetchone()

    def fetchall(self, query, params=None) -> list[dict]:
        return self.conn.execute(query, params).fetchall()

    def emit(self, event_type: str, network_id, payload: dict, version: int = 1) -> dict:
        """Validate an event against its contract and write it to the outbox."""
        body = new_event(self.source, event_type, network_id, payload, version)
        self.conn.execute(
            "INSERT INTO outbox (event_id, event_type, body, headers) VALUES (%s, %s, %s, %s)",
            (body["event_id"], event_type, Jsonb(body), Jsonb(outbox_headers(self.correlation_id))),
        )
        self.emitted += 1
        return body

    def first_delivery(self, event: dict) -> bool:
        """Record `event` as processed by this handler; False if it already was (a redelivery)."""
        cur = self.conn.execute(
            "INSERT INTO inbox (consumer, event_id) VALUES (%s, %s) ON CONFLICT DO NOTHING",
            (self.consumer, event["event_id"]),
        )
        return cur.rowcount == 1

    def first_deliveries(self, events: list[dict]) -> list[dict]:
        """Record a batch of events as processed by this handler in one statement; returns
        those not seen before, in their order (redeliveries and repeats dropped)."""
        if not events:
            return []
        rows = self.conn.execute(
            "INSERT INTO inbox (consumer, event_id)"
            " SELECT %s, e FROM unnest(%s::uuid[]) AS e"
            " ON CONFLICT DO NOTHING RETURNING event_id",
            (self.consumer, [e["event_id"] for e in events]),
        ).fetchall()
        fresh = {r["event_id"] for r in rows}
        new = []
        for event in events:
            if event["event_id"] in fresh:
                fresh.discard(event["event_id"])  # a repeat within the batch counts once
                new.append(event)
        return new


class Session:
    """What a worker sees as `self.db`."""

    def __init__(self, provider: "Database", worker_ctx):
        self._provider = provider
        self._worker_ctx = worker_ctx
        self._unit = None  # the connection of an idempotent call's unit of work
        self._unit_emitted = 0

    @contextlib.contextmanager
    def transaction(self, own: bool = False):
        """`own=True`: a transaction that commits whatever the caller's does, also inside an
        idempotent call's unit of work - for the record of a refusal, which the refusal
        itself rolls back otherwise."""
        ctx = self._worker_ctx
        consumer = f"{ctx.service_name}.{ctx.entrypoint.method_name}"
        if self._unit is not None and not own:
            # Inside an idempotent call: a savepoint of its one transaction, which commits
            # (with the stored answer) or rolls back as a whole.
            with self._unit.transaction():
                tx = Transaction(self._unit, ctx.service_name, consumer, ctx.data.get(CONTEXT_KEY))
                yield tx
            self._unit_emitted += tx.emitted
            return
        with self._provider.pool.connection() as conn:
            tx = Transaction(conn, ctx.service_name, consumer, ctx.data.get(CONTEXT_KEY))
            yield tx
            # Still inside: a caller that has given up by now gets a rollback, not a write.
            deadline.check(ctx.data, consumer)
        # Only here has the transaction committed: now the relay may publish.
        if tx.emitted:
            self._provider.kick_relay()

    def idempotent(self, method_name: str, call):
        """Run `call` once per (caller, RPC, idempotency key); a retry gets the first answer.

        Without a key or a caller (an event handler, an anonymous call) it simply runs. With
        both, the call runs as one transaction that also stores its answer; a concurrent
        retry waits for it (advisory lock on the key) and then reads the answer. The same
        key with another request is refused: it would otherwise answer for something else.
        """
        ctx = self._worker_ctx
        key = ctx.data.get(idempotency.CONTEXT_KEY)
        caller = ctx.data.get(actor_ref.CONTEXT_KEY)
        if not key or not caller or self._unit is not None:
            return call()
        fingerprint = str(ctx.data.get(idempotency.CONTEXT_FINGERPRINT) or "")
        rpc_name = f"{ctx.service_name}.{method_name}"
        scope = (str(caller), rpc_name, str(key))
        with self._provider.pool.connection() as conn:
            conn.execute(
                "SELECT pg_advisory_xact_lock(%s)", (zlib.crc32("|".join(scope).encode()),)
            )
            stored = conn.execute(
                "SELECT fingerprint, answer FROM idempotency_keys"
                " WHERE caller = %s AND rpc = %s AND key = %s",
                scope,
            ).fetchone()
            if stored is not None:
                if stored["fingerprint"] != fingerprint:
                    raise ValidationFailed(
                        "Deze Idempotency-Key hoort bij een ander verzoek.",
                        {"Idempotency-Key": ["Al gebruikt voor een ander verzoek."]},
                    )
                log.info(
                    "idempotent retry answered from the stored answer", extra={"rpc": rpc_name}
                )
                return wire_json.loads(stored["answer"])
            self._unit, self._unit_emitted = conn, 0
            try:
                answer = call()
            except VerbandError:
                # A refusal is not kept as the answer (a retry asks again), but what the
                # call wrote in transactions of its own before refusing stays, as without a
                # key: the audit entry of a refused attempt above all. The transaction that
                # refused has already rolled back to its savepoint.
                deadline.check(ctx.data, rpc_name)
                conn.commit()
                if self._unit_emitted:
                    self._provider.kick_relay()
                raise
            finally:
                self._unit = None
            conn.execute(
                "INSERT INTO idempotency_keys (caller, rpc, key, fingerprint, answer)"
                " VALUES (%s, %s, %s, %s, %s)",
                (*scope, fingerprint, wire_json.dumps(answer)),
            )
            deadline.check(ctx.data, rpc_name)
        if self._unit_emitted:
            self._provider.kick_relay()
        return answer

    def fetchall(self, query, params=None) -> list[dict]:
        if self._unit is not None:
            return self._unit.execute(query, params).fetchall()
        with self._provider.pool.connection() as conn:
            return conn.execute(query, params).fetchall()

    def fetchone(self, query, params=None) -> dict | None:
        if self._unit is not None:
            return self._unit.execute(query, params).fetchone()
        with self._provider.pool.connection() as conn:
            return conn.execute(query, params).fetchone()

    def health(self) -> dict:
        with self._provider.pool.connection(timeout=5) as conn:
            row = conn.execute(
                "SELECT count(*) AS unsent, min(created_at) AS oldest,"
                " count(*) FILTER (WHERE unroutable_since IS NOT NULL) AS unroutable,"
                " min(unroutable_since) AS unroutable_since"
                " FROM outbox WHERE sent_at IS NULL"
            ).fetchone()
        relay = self._provider.relay
        return {
            "database": "ok",
            "outbox_unsent": row["unsent"],
            "outbox_oldest_unsent": row["oldest"].isoformat() if row["oldest"] else None,
            # Events no queue was bound to: kept and tried again, shown here for operators.
            "outbox_unroutable": row["unroutable"],
            "outbox_unroutable_since": (
                row["unroutable_since"].isoformat() if row["unroutable_since"] else None
            ),
            "outbox_returned_since_start": relay.returned_total if relay is not None else 0,
        }


def prepare_threshold(cfg) -> int | None:
    """psycopg prepares a statement run 5 times on its connection; DB_PREPARED_STATEMENTS=off
    turns that off, as a pooler in transaction mode (PgBouncer before 1.21) needs: the next
    transaction may run on another server connection, where the statement was never prepared.
    """
    setting = str(cfg.get("DB_PREPARED_STATEMENTS") or config.env("DB_PREPARED_STATEMENTS", "on"))
    if setting.lower() in ("off", "false", "0", "no"):
        return None
    if setting.lower() in ("on", "true", "1", "yes"):
        return 5
    raise ValueError(f"DB_PREPARED_STATEMENTS must be on or off, got {setting!r}")


class Database(DependencyProvider):
    """Pool, migrations at start, and the outbox relay of one service."""

    def __init__(self, migrations: str | Path, relay: bool = True):
        self.migrations = Path(migrations)
        self.relay_enabled = relay
        self.pool = None
        self.relay = None
        self.housekeeping = None

    def setup(self):
        cfg = self.container.config
        url = cfg.get("DATABASE_URL") or config.env("DATABASE_URL", "")
        if not url:
            raise RuntimeError(f"{self.container.service_name}: DATABASE_URL is not configured")
        workers = int(cfg.get("max_workers", 10))
        # One connection per concurrent worker, plus the relay and health checks.
        self.pool = ConnectionPool(
            url,
            min_size=int(cfg.get("DB_POOL_MIN", 2)),
            max_size=int(cfg.get("DB_POOL_MAX", workers + 2)),
            kwargs={"row_factory": dict_row, "prepare_threshold": prepare_threshold(cfg)},
            open=False,
            name=self.container.service_name,
        )

    def start(self):
        self.pool.open(
            wait=True, timeout=float(self.container.config.get("DB_CONNECT_TIMEOUT", 60))
        )
        with self.pool.connection() as conn:
            conn.autocommit = True
            applied = apply_migrations(conn, self.container.service_name, self.migrations)
            conn.autocommit = False
        if applied:
            log.info("migrations applied", extra={"migrations": applied})
        cfg = self.container.config

        def setting(name, default):
            return cfg.get(name) or config.env(name, str(default))

        outbox_days = int(setting("OUTBOX_RETENTION_DAYS", 7))
        if self.relay_enabled:
            self.relay = OutboxRelay(
                self.pool,
                cfg.get("AMQP_URI") or config.amqp_uri(),
                self.container.service_name,
                batch_size=int(cfg.get("OUTBOX_BATCH", 500)),
                retention_days=outbox_days,
                unroutable_max_delay=float(setting("OUTBOX_UNROUTABLE_MAX_DELAY", 60)),
            )
            self.container.spawn_managed_thread(self.relay.run, identifier="outbox-relay")
        self.housekeeping = Housekeeping(
            self.pool,
            outbox_days=outbox_days,
            inbox_days=int(setting("INBOX_RETENTION_DAYS", 30)),
            idempotency_hours=int(setting("IDEMPOTENCY_KEY_HOURS", 48)),
            interval=float(setting("HOUSEKEEPING_SECONDS", 600)),
        )
        self.container.spawn_managed_thread(self.housekeeping.run, identifier="housekeeping")

    def kick_relay(self):
        if self.relay is not None:
            self.relay.kick()

    def stop(self):
        if self.housekeeping is not None:
            self.housekeeping.stop()
        if self.relay is not None:
            self.relay.stop()
        if self.pool is not None:
            self.pool.close()

    def kill(self):
        self.stop()

    def get_dependency(self, worker_ctx):
        return Session(self, worker_ctx)
