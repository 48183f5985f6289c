"""A service's RPC reply is published transient: of use only to a caller still waiting on its
live connection, it is not written to the broker's disk (verband_common.queues)."""

import json
import uuid

import pytest
from kombu import Connection, Exchange, Queue

from verband_common.rpc import rpc

pytestmark = pytest.mark.service


class Echo:
    name = "echo"

    @rpc
    def echo(self, value):
        return value


def test_a_reply_is_transient_and_carries_the_answer(verband):
    verband.start(Echo, db_url="postgresql://unused/none")
    exchange = Exchange("nameko-rpc", type="topic", durable=True)
    reply_key = f"test-reply-{uuid.uuid4()}"
    replies = Queue(f"rpc.reply-test-{uuid.uuid4()}", exchange, routing_key=reply_key)
    with Connection(verband.amqp_uri) as conn:
        replies(conn.default_channel).declare()
        correlation = str(uuid.uuid4())
        conn.Producer().publish(
            json.dumps({"args": ["hallo"], "kwargs": {}}),
            exchange=exchange,
            routing_key="echo.echo",
            content_type="application/json",
            reply_to=reply_key,
            correlation_id=correlation,
            delivery_mode=1,
        )
        got = []
        with conn.Consumer(
            replies, callbacks=[lambda body, message: got.append(message)], no_ack=True
        ):
            while not got:
                conn.drain_events(timeout=15)
    [message] = got
    assert message.properties["correlation_id"] == correlation
    assert json.loads(message.body) == {"result": "hallo", "error": None}
    assert message.properties["delivery_mode"] == 1  # transient; persistent is 2
