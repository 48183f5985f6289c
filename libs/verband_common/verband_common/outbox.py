"""Transactional outbox: events are rows written with the state change; a relay publishes them.

The relay claims unsent rows under an advisory lock (one relay per service database at a
time, so rows go out in id order even when the service runs several instances), publishes
the batch with publisher confirms, and marks the rows sent in the same transaction. A crash
between publishing and marking re-sends the batch: delivery is at least once, and consumers
are idempotent (see consumer.py).

Every event is published `mandatory`: an event that no queue is bound to is returned by the
broker instead of being confirmed and dropped. Such a row is kept unsent, counted as
unroutable (the services' health answer shows how many, and since when) and tried again
later with a growing delay, while the rows behind it go on: a consumer that binds its queue
later (a service started after its source, a new consumer) still gets the event. An event
the broker refuses (a nack, e.g. from a full queue that rejects publishes) is kept and tried
again the same way, alone: it never holds back the batch or the rows behind it.
"""

import json
import logging
import zlib

import amqp
import eventlet
from eventlet.event import Event
from kombu import Connection, Exchange

from verband_common.correlation import HEADER as CORRELATION_HEADER

log = logging.getLogger(__name__)


def event_exchange(source: str) -> Exchange:
    # Declared exactly as nameko's get_event_exchange does, so nameko handlers bind to it.
    return Exchange(
        f"{source}.events", type="topic", durable=True, auto_delete=False, delivery_mode=2
    )


class PublishFailed(RuntimeError):
    pass


class ConfirmingPublisher:
    """Publishes a batch to one exchange and waits until the broker confirms every message.

    Confirms are awaited per batch, not per message: the broker acks with `multiple`, so a
    batch of hundreds costs about one round trip.
    """

    def __init__(self, amqp_uri: str, exchange: Exchange, confirm_timeout: float = 10.0):
        self.amqp_uri = amqp_uri
        self.exchange = exchange
        self.confirm_timeout = confirm_timeout
        self.connection = None
        self.channel = None
        self.returned: dict[str, str] = {}

    def _connect(self):
        self.close()
        self.connection = Connection(self.amqp_uri, connect_timeout=5)
        self.connection.connect()
        self.channel = self.connection.channel()
        self.exchange(self.channel).declare()
        self.channel.confirm_select()
        self._published = 0
        self._unconfirmed: set[int] = set()  # delivery tags the broker has not confirmed
        self._nacked_tags: set[int] = set()
        self._returned: dict[str, str] = {}
        self.channel.events["basic_ack"].add(self._on_ack)
        self.channel.events["basic_nack"].add(self._on_nack)
        self.channel.events["basic_return"].add(self._on_return)

    # Confirms may come out of order (each queue confirms on its own), so every tag is
    # tracked: `multiple` settles all outstanding tags up to it, else just the one.
    def _settle(self, delivery_tag, multiple) -> set[int]:
        settled = (
            {t for t in self._unconfirmed if t <= delivery_tag}
            if multiple
            else {delivery_tag} & self._unconfirmed
        )
        self._unconfirmed -= settled
        return settled

    def _on_ack(self, delivery_tag, multiple):
        self._settle(delivery_tag, multiple)

    def _on_nack(self, delivery_tag, multiple):
        self._nacked_tags |= self._settle(delivery_tag, multiple)

    def _on_return(self, exc, exchange, routing_key, message):
        # The broker sends basic.return before the basic.ack of the same message, so once
        # every confirm is in, the returns of the batch are all known.
        message_id = message.properties.get("message_id")
        self._returned[str(message_id)] = f"{exc.reply_text} ({exchange} {routing_key})"

    def publish(self, messages: list[tuple]) -> dict[str, str]:
        """messages: (routing_key, body, headers, message_id[, properties]). Raises
        PublishFailed. `properties` may set content_type and content_encoding (JSON else).

        Returns the messages that did not reach a queue, message_id -> reason: those the
        broker could not route (no queue bound; `self.returned` has these alone) and those
        it refused (a nack, e.g. a full queue that rejects publishes). The others are
        confirmed on their queues. One refused message does not fail its batch.
        """
        if self.channel is None or not self.connection.connected:
            self._connect()
        self._returned = {}
        self._nacked_tags = set()
        tags = {}
        try:
            for routing_key, body, headers, message_id, *extra in messages:
                properties = {
                    "content_type": "application/json",
                    "content_encoding": "utf-8",
                    **(extra[0] if extra else {}),
                }
                msg = amqp.Message(
                    body,
                    delivery_mode=2,
                    message_id=message_id,
                    application_headers=headers,
                    **properties,
                )
                self.channel.basic_publish(
                    msg, exchange=self.exchange.name, routing_key=routing_key, mandatory=True
                )
                self._published += 1
                tags[self._published] = str(message_id)
                self._unconfirmed.add(self._published)
            while self._unconfirmed:
                self.connection.drain_events(timeout=self.confirm_timeout)
        except Exception as exc:
            self.close()
            raise PublishFailed(f"publish to {self.exchange.name} failed: {exc!r}") from exc
        self.returned = dict(self._returned)
        undelivered = dict(self._returned)
        for tag in self._nacked_tags:
            if tag in tags:
                undelivered.setdefault(tags[tag], "refused by the broker (nack)")
        return undelivered

    def close(self):
        if self.connection is not None:
            try:
                self.connection.release()
            except Exception as exc:  # noqa: BLE001 - a dead connection has nothing to release
                log.debug("publisher connection released uncleanly", extra={"error": repr(exc)})
        self.connection = None
        self.channel = None


def unroutable_delay(attempts: int, cap: float = 60.0) -> float:
    """Seconds before an event that reached no queue is tried again: 1, 2, 4, ... at most
    `cap`."""
    return min(2.0 ** min(max(attempts - 1, 0), 16), cap)


class OutboxRelay:
    """Moves outbox rows to the broker. `kick()` after a commit wakes it at once."""

    def __init__(
        self,
        pool,
        amqp_uri: str,
        source: str,
        batch_size: int = 500,
        idle_interval: float = 0.25,
        retention_days: int = 7,
        unroutable_max_delay: float = 60.0,
    ):
        self.pool = pool
        self.source = source
        self.batch_size = batch_size
        self.idle_interval = idle_interval
        self.retention_days = retention_days
        self.unroutable_max_delay = unroutable_max_delay
        self.publisher = ConfirmingPublisher(amqp_uri, event_exchange(source))
        self.lock_key = zlib.crc32(f"outbox-relay:{source}".encode())
        self.returned_total = 0  # unroutable returns since start, for the logs and health
        self._wake = Event()
        self._running = False

    def kick(self):
        if not self._wake.ready():
            self._wake.send(True)

    def publish_pending(self) -> int:
        """Publish one batch; return how many rows it held (sent or found unroutable).

        0 when nothing is due or another relay holds the lock.
        """
        with self.pool.connection() as conn:
            got_lock = conn.execute(
                "SELECT pg_try_advisory_xact_lock(%s)", (self.lock_key,)
            ).fetchone()
            if not got_lock["pg_try_advisory_xact_lock"]:
                return 0
            rows = conn.execute(
                "SELECT id, event_id, event_type, body, headers, attempts, unroutable_since"
                " FROM outbox WHERE sent_at IS NULL"
                " AND (next_attempt_at IS NULL OR next_attempt_at <= now())"
                " ORDER BY id LIMIT %s",
                (self.batch_size,),
            ).fetchall()
            if not rows:
                return 0
            undelivered = self.publisher.publish(
                [
                    (
                        r["event_type"],
                        json.dumps(r["body"]).encode(),
                        r["headers"],
                        str(r["event_id"]),
                    )
                    for r in rows
                ]
            )
            sent = [r["id"] for r in rows if str(r["event_id"]) not in undelivered]
            if sent:
                conn.execute("UPDATE outbox SET sent_at = now() WHERE id = ANY(%s)", (sent,))
            for r in rows:
                reason = undelivered.get(str(r["event_id"]))
                if reason is not None:
                    self._keep(conn, r, reason, str(r["event_id"]) in self.publisher.returned)
        return len(rows)

    def _keep(self, conn, row, reason: str, unroutable: bool) -> None:
        """An event that reached no queue stays unsent, to be tried again later, alone: the
        events behind it are not held back by it."""
        attempts = row["attempts"] + 1
        delay = unroutable_delay(attempts, self.unroutable_max_delay)
        conn.execute(
            "UPDATE outbox SET attempts = %s, last_error = %s,"
            " unroutable_since = CASE WHEN %s THEN COALESCE(unroutable_since, now()) END,"
            " next_attempt_at = now() + make_interval(secs => %s) WHERE id = %s",
            (
                attempts,
                (f"unroutable: {reason}" if unroutable else reason)[:2000],
                unroutable,
                delay,
                row["id"],
            ),
        )
        if not unroutable:
            log.warning(
                "event refused by the broker; kept in the outbox and tried again",
                extra={"event_id": str(row["event_id"]), "attempts": attempts, "reason": reason},
            )
            return
        self.returned_total += 1
        # Once when it starts, then now and then: a lasting state, not a stream of errors.
        if row["unroutable_since"] is None or attempts % 20 == 0:
            log.warning(
                "event unroutable: no queue bound; kept in the outbox and tried again",
                extra={
                    "event_id": str(row["event_id"]),
                    "event_type": row["event_type"],
                    "source": self.source,
                    "attempts": attempts,
                    "retry_in_s": delay,
                    "reason": reason,
                },
            )

    def prune(self) -> None:
        with self.pool.connection() as conn:
            conn.execute(
                "DELETE FROM outbox WHERE sent_at < now() - make_interval(days => %s)",
                (self.retention_days,),
            )

    def run(self):
        self._running = True
        backoff = 0.5
        while self._running:
            try:
                sent = self.publish_pending()
                backoff = 0.5
            except Exception:
                log.exception(
                    "outbox relay could not publish; retrying", extra={"retry_in_s": backoff}
                )
                eventlet.sleep(backoff)
                backoff = min(backoff * 2, 10)
                continue
            if sent < self.batch_size:
                self._wake.wait(timeout=self.idle_interval)
                self._wake = Event()

    def stop(self):
        self._running = False
        self.kick()
        self.publisher.close()


def outbox_headers(correlation_id: str | None) -> dict:
    return {CORRELATION_HEADER: correlation_id} if correlation_id else {}
