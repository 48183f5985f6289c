"""`@event_consumer`: nameko's event handler made safe for an at-least-once pipeline.

- The body is checked against its contract first; a body that breaks it is poison and is
  parked in the dead-letter queue at once, with the reason.
- The handler runs in a nameko worker; the message is acked only after it returns, that is
  after its transaction committed.
- A handler that raises is retried (the message goes back to the end of its queue with an
  attempt count) and, after `max_attempts`, parked in the dead-letter queue with the error.
- Queues are nameko's own service-pool queues, so instances of a service compete for
  messages and a scaled service handles each event once.
"""

import datetime as dt
import logging
import traceback
from functools import partial

import eventlet
from kombu import Exchange, Queue
from marshmallow import ValidationError
from nameko.amqp.publish import Publisher as AmqpPublisher
from nameko.constants import AMQP_URI_CONFIG_KEY
from nameko.events import SERVICE_POOL, EventHandler
from nameko.exceptions import ContainerBeingKilled

from verband_common.contracts import UnknownEvent, load_event

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


def dead_letter_queue() -> Queue:
    return Queue(DEAD_LETTER_QUEUE, exchange=Exchange(""), routing_key=DEAD_LETTER_QUEUE,
                 durable=True, auto_delete=False)


def retry_delay(attempt: int) -> float:
    """Back off a little more on each attempt: 0.2 s, 0.4 s, 0.8 s, ... at most 5 s."""
    return min(0.2 * (2 ** (attempt - 1)), 5.0)


class EventConsumer(EventHandler):
    def __init__(self, source_service, event_type, max_attempts=None, **kwargs):
        super().__init__(source_service, event_type, handler_type=SERVICE_POOL,
                         reliable_delivery=True, requeue_on_error=False, **kwargs)
        self.max_attempts = max_attempts

    def setup(self):
        super().setup()
        config = self.container.config
        if self.max_attempts is None:
            self.max_attempts = int(config.get("EVENT_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS))
        self._publisher = AmqpPublisher(config[AMQP_URI_CONFIG_KEY], serializer="json",
                                        declare=[dead_letter_queue()])

    def handle_message(self, body, message):
        try:
            event = load_event(self.source_service, self.event_type, body)
        except (ValidationError, UnknownEvent) as exc:
            reason = f"contract violation: {getattr(exc, 'messages', exc)}"
            self._settle(message, body, lambda: self._park(message, body, reason, attempts=1))
            return
        context_data = self.unpack_message_headers(message)
        handle_result = partial(self.handle_result, message, body)
        try:
            self.container.spawn_worker(self, (event,), {}, context_data=context_data,
                                        handle_result=handle_result)
        except ContainerBeingKilled:
            self.queue_consumer.requeue_message(message)

    def handle_result(self, message, body, worker_ctx, result=None, exc_info=None):
        if exc_info is None:
            self.queue_consumer.ack_message(message)
            return result, exc_info
        attempts = int(message.headers.get(ATTEMPTS, 0)) + 1
        error = "".join(traceback.format_exception_only(exc_info[0], exc_info[1])).strip()
        if attempts >= self.max_attempts:
            log.error("event parked after %s attempts", attempts,
                      extra={"queue": self.queue.name, "error": error})
            self._settle(message, body, lambda: self._park(message, body, error, attempts))
        else:
            log.warning("event handler failed; retrying",
                        extra={"queue": self.queue.name, "attempt": attempts, "error": error})
            eventlet.sleep(retry_delay(attempts))
            self._settle(message, body, lambda: self._retry(message, body, attempts))
        return result, exc_info

    def _settle(self, message, body, republish):
        """Ack only once the copy is safely on the broker; otherwise give the original back."""
        try:
            republish()
        except Exception:
            log.exception("could not republish a failed event; requeueing it")
            self.queue_consumer.requeue_message(message)
            return
        self.queue_consumer.ack_message(message)

    def _headers(self, message, attempts):
        headers = dict(message.headers)
        headers[ATTEMPTS] = attempts
        headers.setdefault(ORIGINAL_EXCHANGE, message.delivery_info.get("exchange", ""))
        headers.setdefault(ORIGINAL_ROUTING_KEY, message.delivery_info.get("routing_key", ""))
        return headers

    def _retry(self, message, body, attempts):
        self._publisher.publish(body, exchange="", routing_key=self.queue.name,
                                headers=self._headers(message, attempts), mandatory=True)

    def _park(self, message, body, reason, attempts):
        headers = self._headers(message, attempts)
        headers.update({
            DL_QUEUE: self.queue.name,
            DL_REASON: reason[:2000],
            DL_AT: dt.datetime.now(dt.timezone.utc).isoformat(),
            DL_SERVICE: self.container.service_name,
        })
        self._publisher.publish(body, exchange="", routing_key=DEAD_LETTER_QUEUE,
                                headers=headers, mandatory=True)


event_consumer = EventConsumer.decorator
