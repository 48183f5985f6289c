"""`@event_consumer`: nameko's event handler made safe for an at-least-once pipeline.

- The body is checked against its contract first; a body that breaks it is poison and is
  parked in the dead-letter queue at once, with the reason.
- The handler runs in a nameko worker; the message is acked only after it returns, that is
  after its transaction committed.
- A handler that raises is retried (the message goes back to the end of its queue with an
  attempt count) and, after `max_attempts`, parked in the dead-letter queue with the error.
- Queues are nameko's own service-pool queues, so instances of a service compete for
  messages and a scaled service handles each event once; declared as quorum queues, so
  they survive the loss of a broker node (queues.py).
- `batch=True` hands the handler a list of events instead of one, so that it can apply
  them in one transaction: the per-event cost of a worker, BEGIN and COMMIT is what limits
  a consumer (bench/README.md). Messages are acked after the batch committed. A batch that
  fails is not retried as a whole: each of its events runs again as a batch of one, so a
  poison event is retried and parked on its own and the others go through.
"""

import datetime as dt
import logging
import traceback
from functools import partial

import eventlet
from amqp.exceptions import AMQPError
from kombu import Exchange, Queue, binding
from kombu.exceptions import OperationalError
from marshmallow import ValidationError
from nameko.amqp.publish import Publisher as AmqpPublisher
from nameko.constants import AMQP_URI_CONFIG_KEY
from nameko.events import SERVICE_POOL, EventHandler
from nameko.exceptions import ContainerBeingKilled
from nameko.messaging import QueueConsumer

from verband_common.contracts import UnknownEvent, load_event
from verband_common.correlation import CONTEXT_KEY as CORRELATION_KEY
from verband_common.queues import durable_queue

log = logging.getLogger(__name__)

DEAD_LETTER_QUEUE = "verband.dead-letters"
ATTEMPTS = "x-verband-attempts"
ORIGINAL_EXCHANGE = "x-verband-original-exchange"
ORIGINAL_ROUTING_KEY = "x-verband-original-routing-key"
DL_QUEUE = "x-verband-dead-letter-queue"
DL_REASON = "x-verband-dead-letter-reason"
DL_AT = "x-verband-dead-lettered-at"
DL_SERVICE = "x-verband-dead-letter-service"

DEFAULT_MAX_ATTEMPTS = 5
DEFAULT_BATCH_SIZE = 100
DEFAULT_BATCH_LINGER = 0.005  # seconds a partial batch waits for more messages
DEFAULT_PREFETCH = 200

# What a lost broker connection raises at an ack or a requeue.
BROKER_ERRORS = (OSError, OperationalError, AMQPError)


# Retries and parked events go through exchanges of their own, never the default exchange:
# publishing there reaches any queue by name (another service's RPC queue too), so no
# service's broker user may (deploy/images/broker). Each event queue is also bound to
# RETRY_EXCHANGE under its own name; the broker lets a service publish there only under the
# names of its own queues (topic permissions).
RETRY_EXCHANGE = Exchange("verband.retry", type="topic", durable=True, auto_delete=False)
PARKING_EXCHANGE = Exchange("verband.parking", type="direct", durable=True, auto_delete=False)


def dead_letter_queue() -> Queue:
    return durable_queue(
        DEAD_LETTER_QUEUE, exchange=PARKING_EXCHANGE, routing_key=DEAD_LETTER_QUEUE
    )


def retry_delay(attempt: int) -> float:
    """Back off a little more on each attempt: 0.2 s, 0.4 s, 0.8 s, ... at most 5 s."""
    return min(0.2 * (2 ** min(attempt - 1, 10)), 5.0)  # capped exponent: no float overflow


class EventQueueConsumer(QueueConsumer):
    """nameko's queue consumer, except that a body that cannot even be decoded is parked by
    its event consumer: kombu's default only logs such a message and acks it, losing it.

    Its prefetch is set apart from the worker count (nameko ties the two): a batching
    consumer needs more messages in hand than there are workers. Workers still bound the
    concurrency, since spawning one waits for a free slot.
    """

    @property
    def prefetch_count(self):
        configured = self.container.config.get("EVENT_PREFETCH", DEFAULT_PREFETCH)
        return max(int(configured), self.container.max_workers)

    def on_decode_error(self, message, exc):
        tag = message.delivery_info.get("consumer_tag")
        for provider, consumer in list(self._consumers.items()):
            if tag in consumer._active_tags.values():
                self.container.spawn_managed_thread(
                    partial(provider.park_undecodable, message, exc),
                    identifier=f"{type(provider).__name__}.park_undecodable",
                )
                return
        super().on_decode_error(message, exc)


class EventConsumer(EventHandler):
    queue_consumer = EventQueueConsumer()

    def __init__(self, source_service, event_type, max_attempts=None, batch=False, **kwargs):
        super().__init__(
            source_service,
            event_type,
            handler_type=SERVICE_POOL,
            reliable_delivery=True,
            requeue_on_error=False,
            **kwargs,
        )
        self.max_attempts = max_attempts
        self.batch = batch
        self._pending = []  # (message, body, event) waiting to go out as one batch
        self._flush_scheduled = False

    def setup(self):
        super().setup()
        # nameko's queue, replicated over the broker's nodes, and also bound to the retry
        # exchange under its own name.
        queue = self.queue
        self.queue = durable_queue(
            queue.name,
            bindings=[
                binding(queue.exchange, routing_key=queue.routing_key),
                binding(RETRY_EXCHANGE, routing_key=queue.name),
            ],
            queue_arguments=queue.queue_arguments,
        )
        config = self.container.config
        if self.max_attempts is None:
            self.max_attempts = int(config.get("EVENT_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS))
        self._publisher = AmqpPublisher(
            config[AMQP_URI_CONFIG_KEY],
            serializer="json",
            declare=[dead_letter_queue(), RETRY_EXCHANGE],
        )
        self.batch_size = int(config.get("EVENT_BATCH_SIZE", DEFAULT_BATCH_SIZE))
        self.batch_linger = float(config.get("EVENT_BATCH_LINGER", DEFAULT_BATCH_LINGER))

    def handle_message(self, body, message):
        try:
            event = load_event(self.source_service, self.event_type, body)
        except (ValidationError, UnknownEvent) as exc:
            reason = f"contract violation: {getattr(exc, 'messages', exc)}"
            self._settle(message, body, lambda: self._park(message, body, reason, attempts=1))
            return
        # A message back for another attempt goes alone: it failed before and would likely
        # fail the batch of events it joined.
        if self.batch and not message.headers.get(ATTEMPTS):
            self._pending.append((message, body, event))
            if len(self._pending) >= self.batch_size:
                self._flush()
            elif not self._flush_scheduled:
                self._flush_scheduled = True
                self.container.spawn_managed_thread(
                    self._flush_later, identifier=f"{self.method_name}.batch-linger"
                )
            return
        self._spawn_one(message, body, event, ([event],) if self.batch else (event,))

    def _spawn_one(self, message, body, event, args):
        context_data = self.unpack_message_headers(message)
        handle_result = partial(self.handle_result, message, body)
        try:
            self.container.spawn_worker(
                self, args, {}, context_data=context_data, handle_result=handle_result
            )
        except ContainerBeingKilled:
            self._requeue(message)

    def _flush_later(self):
        eventlet.sleep(self.batch_linger)
        self._flush_scheduled = False
        self._flush()

    def _flush(self):
        items, self._pending = self._pending, []
        if not items:
            return
        # The batch's worker takes the first event's headers (its correlation id); the
        # others' correlation ids go into the log line, so each event can still be traced.
        context_data = self.unpack_message_headers(items[0][0])
        log.debug(
            "event batch",
            extra={
                "queue": self.queue.name,
                "events": len(items),
                "correlation_ids": [
                    m.headers.get("nameko." + CORRELATION_KEY) for m, _, _ in items[1:]
                ],
            },
        )
        try:
            self.container.spawn_worker(
                self,
                ([event for _, _, event in items],),
                {},
                context_data=context_data,
                handle_result=partial(self.handle_batch_result, items),
            )
        except ContainerBeingKilled:
            for message, _, _ in items:
                self._requeue(message)

    def handle_batch_result(self, items, worker_ctx, result=None, exc_info=None):
        if exc_info is None:
            for message, _, _ in items:
                self._ack(message)
            return result, exc_info
        error = "".join(traceback.format_exception_only(exc_info[0], exc_info[1])).strip()
        if len(items) == 1:  # already on its own: the per-message retry and park rules
            message, body, _ = items[0]
            return self.handle_result(message, body, worker_ctx, result, exc_info)
        log.warning(
            "event batch failed; handling its %s events one by one",
            len(items),
            extra={"queue": self.queue.name, "error": error},
        )
        # Not from this worker: spawning waits for a free worker, and every worker could be
        # a failed batch waiting here.
        self.container.spawn_managed_thread(
            partial(self._one_by_one, items), identifier=f"{self.method_name}.one-by-one"
        )
        return result, exc_info

    def _one_by_one(self, items):
        for message, body, event in items:
            self._spawn_one(message, body, event, ([event],))

    def park_undecodable(self, message, exc):
        reason = f"contract violation: undecodable body: {exc}"
        self._settle(message, None, lambda: self._park(message, None, reason, attempts=1))

    def _ack(self, message):
        # nameko only swallows amqp's ConnectionError here; a broken socket raises OSError,
        # which would kill the service. The broker redelivers; the inbox makes that harmless.
        try:
            self.queue_consumer.ack_message(message)
        except BROKER_ERRORS as exc:
            log.warning(
                "ack lost with the broker connection; the event will be redelivered",
                extra={"queue": self.queue.name, "error": repr(exc)},
            )

    def _requeue(self, message):
        try:
            self.queue_consumer.requeue_message(message)
        except BROKER_ERRORS as exc:  # gone with the connection: the broker requeues it
            log.warning(
                "requeue lost with the broker connection",
                extra={"queue": self.queue.name, "error": repr(exc)},
            )

    def handle_result(self, message, body, worker_ctx, result=None, exc_info=None):
        if exc_info is None:
            self._ack(message)
            return result, exc_info
        attempts = int(message.headers.get(ATTEMPTS, 0)) + 1
        error = "".join(traceback.format_exception_only(exc_info[0], exc_info[1])).strip()
        if attempts >= self.max_attempts:
            log.error(
                "event parked after %s attempts",
                attempts,
                extra={"queue": self.queue.name, "error": error},
            )
            self._settle(message, body, lambda: self._park(message, body, error, attempts))
        else:
            log.warning(
                "event handler failed; retrying",
                extra={"queue": self.queue.name, "attempt": attempts, "error": error},
            )
            eventlet.sleep(retry_delay(attempts))
            self._settle(message, body, lambda: self._retry(message, body, attempts))
        return result, exc_info

    def _settle(self, message, body, republish):
        """Ack only once the copy is safely on the broker; otherwise give the original back."""
        try:
            republish()
        except Exception:
            log.exception("could not republish a failed event; requeueing it")
            self._requeue(message)
            return
        self._ack(message)

    def _headers(self, message, attempts):
        headers = dict(message.headers)
        headers[ATTEMPTS] = attempts
        headers.setdefault(ORIGINAL_EXCHANGE, message.delivery_info.get("exchange", ""))
        headers.setdefault(ORIGINAL_ROUTING_KEY, message.delivery_info.get("routing_key", ""))
        return headers

    def _retry(self, message, body, attempts):
        self._publisher.publish(
            body,
            exchange=RETRY_EXCHANGE,
            routing_key=self.queue.name,
            headers=self._headers(message, attempts),
            mandatory=True,
        )

    def _park(self, message, body, reason, attempts):
        headers = self._headers(message, attempts)
        headers.update(
            {
                DL_QUEUE: self.queue.name,
                DL_REASON: reason[:2000],
                DL_AT: dt.datetime.now(dt.UTC).isoformat(),
                DL_SERVICE: self.container.service_name,
            }
        )
        if body is None:  # undecodable: park the bytes as they came
            self._publisher.publish(
                message.body,
                exchange=PARKING_EXCHANGE,
                routing_key=DEAD_LETTER_QUEUE,
                headers=headers,
                mandatory=True,
                content_type=message.content_type or "application/octet-stream",
                content_encoding=message.content_encoding or "binary",
            )
            return
        self._publisher.publish(
            body,
            exchange=PARKING_EXCHANGE,
            routing_key=DEAD_LETTER_QUEUE,
            headers=headers,
            mandatory=True,
        )


event_consumer = EventConsumer.decorator
