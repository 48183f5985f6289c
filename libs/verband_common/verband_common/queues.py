"""Every durable queue Verband declares is a quorum queue, replicated over the broker's nodes.

nameko declares its own queues (the shared `rpc-<service>` queue of each service and the
`evt-...` queue of each event handler) as classic queues, which live on one node: with that
node down, a service could neither take calls nor events until it came back. Here, in one
place, the queues that carry work get `x-queue-type: quorum`, so that a three-node cluster
keeps them (and every message on them) through the loss of any one node. A single-node
broker, as in the demo, runs quorum queues just the same.

Per-client reply queues stay classic: they are exclusive to one connection and die with it.
"""

import functools

from kombu import Queue
from nameko.amqp.publish import Publisher
from nameko.constants import (
    AMQP_SSL_CONFIG_KEY,
    AMQP_URI_CONFIG_KEY,
    DEFAULT_SERIALIZER,
    LOGIN_METHOD_CONFIG_KEY,
    NON_PERSISTENT,
    SERIALIZER_CONFIG_KEY,
)
from nameko.rpc import Responder, RpcConsumer, get_rpc_exchange

QUORUM = {"x-queue-type": "quorum"}


def durable_queue(name: str, **kwargs) -> Queue:
    """A durable, replicated queue (kombu's Queue arguments otherwise)."""
    arguments = {**(kwargs.pop("queue_arguments", None) or {}), **QUORUM}
    return Queue(
        name,
        durable=True,
        auto_delete=False,
        exclusive=False,
        queue_arguments=arguments,
        **kwargs,
    )


def as_quorum(queue: Queue) -> Queue:
    """The same queue (name, exchange, bindings), declared as a quorum queue."""
    return durable_queue(
        queue.name,
        exchange=queue.exchange,
        routing_key=queue.routing_key,
        queue_arguments=queue.queue_arguments,
    )


class TransientResponder(Responder):
    """nameko's RPC reply, published transient (not written to the broker's disk).

    nameko publishes every reply persistent, so the broker stores each one on disk before it
    confirms it, although a reply is of use only to a caller still waiting on its live
    connection: after a broker restart that caller and its reply queue are gone anyway, and
    it has answered 503. The requests are transient for the same reason (the gateway's
    rpc.py). The publish is still confirmed, so a reply that did not reach the broker is
    logged (rpc.SurvivingRpc), never silently lost.
    """

    publisher_cls = functools.partial(Publisher, delivery_mode=NON_PERSISTENT)


class QuorumRpcConsumer(RpcConsumer):
    """nameko's RPC consumer whose shared `rpc-<service>` queue is a quorum queue, and whose
    replies are transient (TransientResponder)."""

    def setup(self):
        super().setup()
        self.queue = as_quorum(self.queue)

    def handle_result(self, message, result, exc_info):
        # nameko's RpcConsumer.handle_result, with the Responder above: nameko has no option
        # for the reply's delivery mode.
        config = self.container.config
        responder = TransientResponder(
            config[AMQP_URI_CONFIG_KEY],
            get_rpc_exchange(config),
            config.get(SERIALIZER_CONFIG_KEY, DEFAULT_SERIALIZER),
            message,
            ssl=config.get(AMQP_SSL_CONFIG_KEY),
            login_method=config.get(LOGIN_METHOD_CONFIG_KEY),
        )
        result, exc_info = responder.send_response(result, exc_info)
        self.queue_consumer.ack_message(message)
        return result, exc_info
