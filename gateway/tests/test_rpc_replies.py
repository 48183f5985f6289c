"""The gateway's RPC replies come to queues named after the gateway, which the broker lets
only the gateway's user declare, bind and read (deploy/images/broker)."""

import re

from verband_gateway.rpc import _RpcProxy

UUID = "[0-9a-f-]{36}"


def test_the_reply_queue_and_its_routing_key_name_the_gateway():
    runner = _RpcProxy({"AMQP_URI": "memory://"}, 1.0, context_data={})  # not started
    listener = runner._reply_listener
    listener.setup()
    assert re.fullmatch(f"rpc\\.reply-gateway-{UUID}", listener.queue.name)
    assert re.fullmatch(f"gateway-reply-{UUID}", listener.routing_key)
    assert listener.queue.routing_key == listener.routing_key
    assert listener.queue.exchange.name == "nameko-rpc"
    # Each proxy (one per thread) has a queue of its own.
    other_runner = _RpcProxy({"AMQP_URI": "memory://"}, 1.0, context_data={})
    other = other_runner._reply_listener
    other.setup()
    assert other.queue.name != listener.queue.name
