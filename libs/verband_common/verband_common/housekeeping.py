"""Pruning of the plumbing's tables by age: sent outbox rows, inbox rows, idempotency keys.

How long the inbox keeps an event id (INBOX_RETENTION_DAYS, default 30) bounds how late a
redelivery can still be recognised. A copy of an event applied before comes back:
- from the broker after a lost ack or a killed consumer: within seconds;
- from the consumer's own retries: within seconds (`retry_delay`, at most 5 s each);
- from the outbox relay re-sending a batch after a crash between publish and mark: as soon
  as the relay runs again, so within the database's or the service's outage;
- from a dead-letter replay by an operator: days, at worst, after the parking.
Sent outbox rows are kept OUTBOX_RETENTION_DAYS (7); the inbox keeps four times as long, so
every copy the relay can still re-send, and any outage or parked message an operator deals
with within a month, is caught. A message parked for longer than the inbox keeps should be
checked by hand before it is replayed (the README says so at `make replay-dead-letters`).

Idempotency keys are kept IDEMPOTENCY_KEY_HOURS (48): a client retries within minutes.

Rows go in bounded batches, so that a large first prune never holds long locks.
"""

import logging

import eventlet

log = logging.getLogger(__name__)

BATCH = 5000

_PRUNES = {
    "outbox": (
        "DELETE FROM outbox WHERE id IN (SELECT id FROM outbox"
        " WHERE sent_at < now() - make_interval(days => %s) LIMIT %s)"
    ),
    "inbox": (
        "DELETE FROM inbox WHERE ctid IN (SELECT ctid FROM inbox"
        " WHERE processed_at < now() - make_interval(days => %s) LIMIT %s)"
    ),
    "idempotency_keys": (
        "DELETE FROM idempotency_keys WHERE ctid IN (SELECT ctid FROM idempotency_keys"
        " WHERE created_at < now() - make_interval(hours => %s) LIMIT %s)"
    ),
}


class Housekeeping:
    def __init__(
        self,
        pool,
        outbox_days: int = 7,
        inbox_days: int = 30,
        idempotency_hours: int = 48,
        interval: float = 600.0,
    ):
        if inbox_days < outbox_days:
            raise ValueError("INBOX_RETENTION_DAYS must be at least OUTBOX_RETENTION_DAYS")
        self.pool = pool
        self.ages = {
            "outbox": outbox_days,
            "inbox": inbox_days,
            "idempotency_keys": idempotency_hours,
        }
        self.interval = interval
        self._running = False

    def prune(self) -> dict[str, int]:
        """One pass over every table; returns the rows removed per table."""
        removed = {}
        for table, query in _PRUNES.items():
            total = 0
            while True:
                with self.pool.connection() as conn:
                    n = conn.execute(query, (self.ages[table], BATCH)).rowcount
                total += n
                if n < BATCH:
                    break
                eventlet.sleep(0)  # let the service's workers in between batches
            removed[table] = total
        if any(removed.values()):
            log.info("plumbing pruned", extra={"removed": removed})
        return removed

    def run(self):
        self._running = True
        while self._running:
            eventlet.sleep(self.interval)
            if not self._running:
                return
            try:
                self.prune()
            except Exception:
                log.exception("pruning the plumbing's tables failed; trying again later")

    def stop(self):
        self._running = False
