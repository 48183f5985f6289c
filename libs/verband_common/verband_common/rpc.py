"""RPC plumbing shared by the services: the entrypoint and input validation."""

import functools
import logging
import uuid

from amqp.exceptions import AMQPError
from kombu import Queue
from kombu.exceptions import OperationalError
from marshmallow import Schema, ValidationError
from nameko.extensions import register_entrypoint
from nameko.rpc import RPC_REPLY_QUEUE_TEMPLATE, RPC_REPLY_QUEUE_TTL, Rpc, get_rpc_exchange
from nameko.standalone.rpc import SingleThreadedReplyListener

from verband_common import deadline
from verband_common.errors import EXPECTED, NotRepeated, ValidationFailed, from_marshmallow
from verband_common.queues import QuorumRpcConsumer

log = logging.getLogger(__name__)

BROKER_ERRORS = (OSError, OperationalError, AMQPError)


class SurvivingRpc(Rpc):
    """nameko's Rpc entrypoint that survives a broker going away before the reply is sent.

    nameko lets a failed reply publish escape the worker, which kills the whole service
    container: one RPC in flight while RabbitMQ restarts took the service down for good.
    The caller's proxy times out instead; the request is acked (harmless if the connection
    is already gone) so that a live connection does not redeliver work already done.

    Its requests wait in a quorum queue, replicated over the broker's nodes (queues.py).
    A quorum queue keeps a request whose consumer's connection was lost and delivers it
    again, flagged `redelivered` - also when the first delivery ran and committed and only
    its ack was lost with a broker node. Requests are at most once (the gateway sends them
    transient and expiring for the same reason): a redelivered request is not run again but
    answered with NotRepeated (503), and the caller can look whether it went through.
    RabbitMQ 3.10 does not flag every such delivery: a request returned because its
    consumer's node went down comes again unflagged. For that case every write the gateway
    sends carries an idempotency key (db.Session.idempotent), so a second run of it finds
    the first one's answer.
    """

    rpc_consumer = QuorumRpcConsumer()

    def handle_message(self, body, message):
        if not message.delivery_info.get("redelivered"):
            # A request whose caller has already given up is answered with an error (which
            # nobody may read) and acked, without starting a worker: nothing is done for it.
            context_data = self.unpack_message_headers(message)
            try:
                deadline.check(context_data, self.method_name)
            except Exception:
                log.warning(
                    "rpc refused: its caller's deadline has passed",
                    extra={"method": self.method_name, "deadline": context_data.get("deadline")},
                )
                raise  # nameko's RPC consumer sends it back as the answer and acks the request
            return super().handle_message(body, message)
        log.warning(
            "rpc request redelivered after a lost connection; not run again",
            extra={"method": self.method_name},
        )
        refused = NotRepeated(
            "Het verzoek kwam na een storing opnieuw binnen en is niet nog eens uitgevoerd;"
            " kijk na of het gelukt is en probeer het zo nodig opnieuw."
        )
        try:
            self.rpc_consumer.handle_result(message, None, (NotRepeated, refused, None))
        except BROKER_ERRORS:
            pass  # gone with the connection again: the broker redelivers, and so on

    def handle_result(self, message, worker_ctx, result, exc_info):
        try:
            return super().handle_result(message, worker_ctx, result, exc_info)
        except BROKER_ERRORS as exc:
            log.warning(
                "rpc reply not sent: broker unreachable",
                extra={"method": self.method_name, "error": repr(exc)},
            )
            try:
                self.rpc_consumer.queue_consumer.ack_message(message)
            except BROKER_ERRORS:
                pass  # the connection is gone, and with it the delivery
            return result, exc_info


def rpc(fn):
    """nameko's @rpc, with domain errors as expected answers rather than crashes: nameko then
    logs them as warnings and the caller receives them as the same exception type.

    A call that carries an idempotency key (see db.Session.idempotent) runs as one unit of
    work whose answer is kept under the key: a retry gets the first answer back."""

    @functools.wraps(fn)
    def entrypoint(service, *args, **kwargs):
        session = _session_of(service)
        if session is None:
            return fn(service, *args, **kwargs)
        return session.idempotent(fn.__name__, lambda: fn(service, *args, **kwargs))

    register_entrypoint(entrypoint, SurvivingRpc(expected_exceptions=EXPECTED))
    return entrypoint


def _session_of(service):
    from verband_common.db import Session  # db imports psycopg: keep this module light

    for value in vars(service).values():
        if isinstance(value, Session):
            return value
    return None


def validated(schema: Schema, data) -> dict:
    """Load `data` with `schema` or raise ValidationFailed naming each bad field."""
    if not isinstance(data, dict):
        raise ValidationFailed(
            "De invoer moet een JSON-object zijn.", {"_schema": ["Geen object."]}
        )
    try:
        return schema.load(data)
    except ValidationError as err:
        raise from_marshmallow(err) from None


class BrokenAnswer(RuntimeError):
    """A service was about to answer with what its own answer schema does not allow.

    Raised inside the unit of work, it rolls the write back: a row that the service cannot
    answer for now would break every later read of it too.
    """


def answer(schema: Schema, value):
    """`value` dumped with `schema`, checked to be what the schema promises (its required
    fields present, no None where none is allowed, every value within its rules).

    Call it inside the transaction of a write, so a broken answer undoes the write.
    """
    dumped = schema.dump(value)
    problems = schema.validate(dumped)
    if problems:
        log.error(
            "answer breaks its schema",
            extra={"schema": type(schema).__name__, "errors": problems},
        )
        raise BrokenAnswer(f"{type(schema).__name__}: {problems}")
    return dumped


def parse_id(value, field: str) -> uuid.UUID:
    """An id from a caller, or ValidationFailed naming the field."""
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise ValidationFailed("Ongeldige id.", {field: ["Geen geldige id."]}) from None


class OwnedReplyListener(SingleThreadedReplyListener):
    """A standalone RPC proxy's reply queue, named after its owner: queue
    `rpc.reply-<owner>-<uuid>`, bound under the routing key `<owner>-reply-<uuid>`.

    nameko names every standalone proxy's replies alike (`standalone_rpc_proxy`), so the broker
    could not tell the gateway's replies, which carry families' data, from anyone else's. With
    the owner in both names, the broker's permissions (deploy/images/broker) let only the
    gateway declare, bind and read the gateway's reply queues.

    Use: `ClusterRpcProxy(config, reply_listener_cls=functools.partial(OwnedReplyListener,
    "gateway"))`.
    """

    def __init__(self, owner: str, timeout=None):
        self.owner = owner
        super().__init__(timeout=timeout)

    def setup(self):
        reply_id = uuid.uuid4()
        self.routing_key = f"{self.owner}-reply-{reply_id}"
        self.queue = Queue(
            RPC_REPLY_QUEUE_TEMPLATE.format(self.owner, reply_id),
            exchange=get_rpc_exchange(self.container.config),
            routing_key=self.routing_key,
            queue_arguments={"x-expires": RPC_REPLY_QUEUE_TTL},
        )
        self.queue_consumer.register_provider(self)
