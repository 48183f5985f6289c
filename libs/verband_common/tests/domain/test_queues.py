"""Durable queues are declared as quorum queues; reply queues are left as nameko makes them."""

import pytest
from kombu import Exchange, Queue

from verband_common.consumer import dead_letter_queue
from verband_common.db import prepare_threshold
from verband_common.queues import as_quorum


def test_an_event_handlers_queue_keeps_name_binding_and_arguments_as_a_quorum_queue():
    exchange = Exchange("cases.events", type="topic", durable=True)
    classic = Queue(
        "evt-cases-referral_received--reporting.on_referral_received",
        exchange=exchange,
        routing_key="referral_received",
        durable=True,
        queue_arguments={"x-max-length": 10},
    )
    quorum = as_quorum(classic)
    assert quorum.name == classic.name
    assert quorum.exchange.name == "cases.events"
    assert quorum.routing_key == "referral_received"
    assert quorum.queue_arguments == {"x-max-length": 10, "x-queue-type": "quorum"}
    # What RabbitMQ demands of a quorum queue.
    assert quorum.durable and not quorum.auto_delete and not quorum.exclusive


def test_the_dead_letter_queue_is_a_quorum_queue():
    queue = dead_letter_queue()
    assert queue.name == "verband.dead-letters"
    assert queue.queue_arguments["x-queue-type"] == "quorum"
    assert queue.durable


@pytest.mark.parametrize(
    ("setting", "threshold"), [("on", 5), ("off", None), ("OFF", None), ("true", 5), ("0", None)]
)
def test_prepared_statements_can_be_turned_off_for_a_transaction_pooler(setting, threshold):
    assert prepare_threshold({"DB_PREPARED_STATEMENTS": setting}) == threshold


def test_a_misspelt_prepared_statements_setting_is_refused():
    with pytest.raises(ValueError, match="DB_PREPARED_STATEMENTS"):
        prepare_threshold({"DB_PREPARED_STATEMENTS": "sometimes"})
