"""Each service and the gateway have their own broker user with the least permissions they
need: nothing that reaches the broker with a service's credentials can pose as the gateway
(send RPC requests carrying an actor), as another service (publish its events), or read
what is meant for others (the gateway's replies, another service's requests).

Runs against the stack's real broker (deploy/images/broker) with the users the stack's
services and gateway connect as; the rest of the e2e suite shows they suffice to work.
"""

import uuid

import amqp
import pytest
from amqp.exceptions import AccessRefused

from verband_testkit import BROKER_PASSWORDS

SERVICE_USERS = ("partners", "cases", "meetings", "reporting")


def _channel(stack, user: str):
    host, port = "127.0.0.1", stack.broker.container.get_exposed_port(5672)
    conn = amqp.Connection(
        f"{host}:{port}", userid=user, password=BROKER_PASSWORDS[user], connect_timeout=5
    )
    conn.connect()
    return conn, conn.channel()


def _refused(stack, user: str, act) -> bool:
    conn, channel = _channel(stack, user)
    try:
        act(channel)
        return False
    except AccessRefused:
        return True
    finally:
        try:
            conn.close()
        except Exception:  # noqa: BLE001 - a connection closed by the refusal
            pass


def _publish(exchange: str, routing_key: str, headers=None):
    def act(channel):
        # With a confirm: a refused publish fails here, not at some later call.
        channel.basic_publish_confirm(
            amqp.Message(b"{}", application_headers=headers or {}),
            exchange=exchange,
            routing_key=routing_key,
        )

    return act


def _bind(queue: str, exchange: str, routing_key: str, declare: bool = False):
    def act(channel):
        if declare:
            channel.queue_declare(queue, auto_delete=True)
        channel.queue_bind(queue, exchange, routing_key)

    return act


def _consume(queue: str):
    def act(channel):
        channel.basic_get(queue)

    return act


@pytest.mark.parametrize("user", SERVICE_USERS)
def test_a_service_cannot_pose_as_the_gateway_or_another_service(stack, user):
    other = "partners" if user != "partners" else "cases"
    actor = {"nameko.actor": f"person:{uuid.uuid4()}"}
    # An RPC request to another service, carrying an actor: only the gateway sends those.
    assert _refused(stack, user, _publish("nameko-rpc", f"{other}.get_person", actor))
    # Straight into another service's RPC queue through the default exchange.
    assert _refused(stack, user, _publish("", f"rpc-{other}", actor))
    # Another service's facts, e.g. partners' role_granted.
    assert _refused(stack, user, _publish(f"{other}.events", "role_granted"))
    # Retrying into another service's event queue.
    queue = f"evt-partners-role_granted--{other}.on_role_granted"
    assert _refused(stack, user, _publish("verband.retry", queue))


@pytest.mark.parametrize("user", SERVICE_USERS)
def test_a_service_cannot_read_what_is_meant_for_others(stack, user):
    other = "partners" if user != "partners" else "cases"
    # Another service's RPC requests (with family data and the actor).
    assert _refused(stack, user, _consume(f"rpc-{other}"))
    # A copy of every request or reply through a queue of its own bound to nameko-rpc.
    assert _refused(stack, user, _bind(f"rpc-{user}", "nameko-rpc", "#"))
    assert _refused(stack, user, _bind(f"rpc-{user}", "nameko-rpc", f"{other}.*"))
    # The gateway's replies.
    reply_id = uuid.uuid4()
    gateway_reply = _bind(
        f"rpc.reply-gateway-{reply_id}", "nameko-rpc", f"gateway-reply-{reply_id}", True
    )
    assert _refused(stack, user, gateway_reply)
    # The parked events are the operator's.
    assert _refused(stack, user, _consume("verband.dead-letters"))


def test_a_service_may_do_what_it_needs(stack):
    # A reply to a caller, its own events, a retry into a queue of its own. (Routing keys no
    # queue is bound to: the messages go nowhere; the permission is what counts.)
    reply_id = uuid.uuid4()
    for act in (
        _publish("nameko-rpc", f"gateway-reply-{uuid.uuid4()}"),
        _publish("cases.events", "nothing_happened"),
        _publish("verband.retry", "evt-partners-nothing_happened--cases.on_nothing"),
        # Its health check's own reply queue.
        _bind(
            f"rpc.reply-health-cases-{reply_id}",
            "nameko-rpc",
            f"health-cases-reply-{reply_id}",
            True,
        ),
    ):
        assert not _refused(stack, "cases", act)


def test_the_gateway_sends_requests_and_nothing_else(stack):
    # (Its requests reaching the services is what the rest of the suite shows.)
    reply_id = uuid.uuid4()
    own_reply = _bind(
        f"rpc.reply-gateway-{reply_id}", "nameko-rpc", f"gateway-reply-{reply_id}", True
    )
    assert not _refused(stack, "gateway", own_reply)
    assert _refused(stack, "gateway", _publish("partners.events", "role_granted"))
    assert _refused(stack, "gateway", _publish("", "rpc-cases"))
    assert _refused(stack, "gateway", _publish("nameko-rpc", f"cases-reply-{uuid.uuid4()}"))
    assert _refused(stack, "gateway", _consume("rpc-cases"))
    copy = _bind(f"rpc.reply-gateway-{reply_id}", "nameko-rpc", "cases.*", True)
    assert _refused(stack, "gateway", copy)
