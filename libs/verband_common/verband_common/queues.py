"""Every durable queue Verband declares is a quorum queue, replicated over the broker's nodes.

nameko declares its own queues (the shared `rpc-<service>` queue of each service and the
`evt-...` queue of each event handler) as classic queues, which live on one node: with that
node down, a service could neither take calls nor events until it came back. Here, in one
place, the queues that carry work get `x-queue-type: quorum`, so that a three-node cluster
keeps them (and every message on them) through the loss of any one node. A single-node
broker, as in the demo, runs quorum queues just the same.

Per-client reply queues stay classic: they are exclusive to one connection and die with it.
"""

from kombu import Queue
from nameko.rpc import RpcConsumer

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


class QuorumRpcConsumer(RpcConsumer):
    """nameko's RPC consumer whose shared `rpc-<service>` queue is a quorum queue."""

    def setup(self):
        super().setup()
        self.queue = as_quorum(self.queue)
