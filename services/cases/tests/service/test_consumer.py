"""cases learns the network's offer from partners' events: idempotently, with poison parked in
the dead-letter queue, retried then parked when the handler keeps failing, and replayable."""

import uuid

import pytest
from nameko.testing.services import entrypoint_waiter
from verband_servicekit import offer_published, until_calls, wait_until

from cases.service import CasesService
from verband_common import deadletters
from verband_common.consumer import DEAD_LETTER_QUEUE

pytestmark = pytest.mark.service

QUEUE = "evt-partners-offer_published--cases.on_offer_published"


def test_the_same_event_delivered_twice_is_applied_once(verband):
    cases = verband.start(CasesService)
    db = cases.db_url
    event = offer_published(uuid.uuid4())

    with entrypoint_waiter(cases, "on_offer_published", callback=until_calls(2), timeout=15):
        verband.publish("partners", event)
        verband.publish("partners", event)
    assert verband.count(db, "offers") == 1
    assert verband.count(db, "inbox") == 1
    assert verband.sql(db, "SELECT consumer, event_id::text FROM inbox") == [
        {"consumer": "cases.on_offer_published", "event_id": event["event_id"]}
    ]

    # A redelivery is known by its event_id alone: even a copy that differs changes nothing.
    with entrypoint_waiter(cases, "on_offer_published", timeout=15):
        verband.publish("partners", {**event, "title": "Iets anders", "free_places": 0})
    offer = verband.sql(db, "SELECT title, free_places FROM offers")[0]
    assert offer == {"title": event["title"], "free_places": event["free_places"]}
    assert verband.count(db, "inbox") == 1
    assert verband.queue_depth(QUEUE) == 0  # every copy acked


@pytest.mark.parametrize(
    "breach, reason",
    [
        ("no_network_id", "network_id"),
        ("unknown_field", "family_name"),
        ("version_9", "no contract"),
    ],
)
def test_a_contract_violation_is_parked_at_once_with_its_reason(verband, breach, reason):
    cases = verband.start(CasesService)
    event = offer_published(uuid.uuid4())
    if breach == "no_network_id":
        del event["network_id"]
    elif breach == "unknown_field":
        event["family_name"] = "Janssens"
    else:
        event["version"] = 9

    verband.publish("partners", event, routing_key="offer_published")
    parked = wait_until(
        lambda: deadletters.list_parked(verband.amqp_uri),
        timeout=10,
        what="the poison message parked",
    )
    assert len(parked) == 1
    assert parked[0]["event_id"] == event["event_id"]
    assert parked[0]["queue"] == QUEUE
    assert parked[0]["service"] == "cases"
    assert parked[0]["attempts"] == 1  # parked at once, never retried
    assert parked[0]["reason"].startswith("contract violation")
    assert reason in parked[0]["reason"]
    assert verband.queue_depth(QUEUE) == 0
    assert verband.count(cases.db_url, "inbox") == 0
    assert verband.count(cases.db_url, "offers") == 0
    # Listing does not consume: the message is still parked.
    assert verband.queue_depth(DEAD_LETTER_QUEUE) == 1


def test_a_failing_handler_is_retried_then_parked_and_replayed_once_fixed(verband):
    cases = verband.start(CasesService, EVENT_MAX_ATTEMPTS=2)
    db = cases.db_url
    event = offer_published(uuid.uuid4())
    verband.sql(db, "ALTER TABLE offers RENAME TO offers_away")  # the cause

    failures = until_calls(2, ok=False)
    with entrypoint_waiter(cases, "on_offer_published", callback=failures, timeout=15):
        verband.publish("partners", event)
    assert [ctx.data.get("x-verband-attempts") for ctx in failures.seen] == [None, 1]

    parked = deadletters.list_parked(verband.amqp_uri, with_body=True)
    assert len(parked) == 1
    assert parked[0]["attempts"] == 2
    assert parked[0]["queue"] == QUEUE
    assert "UndefinedTable" in parked[0]["reason"]
    assert parked[0]["body"] == event
    assert verband.queue_depth(QUEUE) == 0
    # The failed transactions left no trace, not even an inbox row that would hide a replay.
    assert verband.count(db, "inbox") == 0

    verband.sql(db, "ALTER TABLE offers_away RENAME TO offers")  # the cause fixed
    with entrypoint_waiter(cases, "on_offer_published", callback=until_calls(1), timeout=15):
        replayed = deadletters.replay(verband.amqp_uri)
    assert [r["event_id"] for r in replayed] == [event["event_id"]]
    assert verband.count(db, "offers") == 1
    assert verband.count(db, "inbox") == 1
    assert deadletters.list_parked(verband.amqp_uri) == []
    assert verband.queue_depth(QUEUE) == 0


def test_replay_picks_the_events_asked_for(verband):
    cases = verband.start(CasesService)
    events = [offer_published(uuid.uuid4()) for _ in range(2)]
    for event in events:
        verband.publish("partners", {**event, "unexpected": True}, routing_key="offer_published")
    wait_until(
        lambda: len(deadletters.list_parked(verband.amqp_uri)) == 2,
        timeout=10,
        what="two parked messages",
    )

    # Replaying one (still poison) parks it again; the other stays where it was.
    replayed = deadletters.replay(verband.amqp_uri, {events[1]["event_id"]})
    assert [r["event_id"] for r in replayed] == [events[1]["event_id"]]
    wait_until(
        lambda: len(deadletters.list_parked(verband.amqp_uri)) == 2,
        timeout=10,
        what="the replayed poison parked again",
    )
    assert sorted(r["event_id"] for r in deadletters.list_parked(verband.amqp_uri)) == sorted(
        e["event_id"] for e in events
    )
    assert verband.count(cases.db_url, "offers") == 0


def test_a_body_that_is_not_even_json_is_parked_not_lost(verband):
    cases = verband.start(CasesService)
    verband.publish("partners", None, routing_key="offer_published", raw=b"{not json")
    parked = wait_until(
        lambda: deadletters.list_parked(verband.amqp_uri, with_body=True),
        timeout=10,
        what="the undecodable message parked",
    )
    assert len(parked) == 1
    assert parked[0]["queue"] == QUEUE
    assert parked[0]["reason"].startswith("contract violation: undecodable body")
    assert parked[0]["body"] == "{not json"
    assert verband.queue_depth(QUEUE) == 0

    # The consumer carries on with the next, sound event.
    with entrypoint_waiter(cases, "on_offer_published", timeout=10):
        verband.publish("partners", offer_published(uuid.uuid4()))
    assert verband.count(cases.db_url, "offers") == 1


def test_the_provider_of_an_offer_is_kept_whatever_order_its_events_arrive_in(verband):
    from verband_common.contracts import new_event

    cases = verband.start(CasesService)
    network, offer_id, provider = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    published_v1 = offer_published(network, offer_id)  # an old event: no provider in it
    common = {k: published_v1[k] for k in ("offer_id", "title", "kind", "municipalities")}
    changed = new_event(
        "partners",
        "offer_changed",
        network,
        {
            **common,
            "capacity": 12,
            "free_places": 3,
            "status": "active",
            "warm_waiting_list": True,
            "organisation_id": str(provider),
            "can_start_from": None,
            "changed": ["free_places"],
        },
    )
    capacity = new_event(
        "partners",
        "capacity_changed",
        network,
        {
            "offer_id": str(offer_id),
            "capacity": 12,
            "free_places": 3,
            "previous_capacity": 12,
            "previous_free_places": 4,
            "status": "active",
            "can_start_from": None,
        },
    )
    # capacity_changed happened after offer_changed but is applied first.
    for event, handler in (
        (published_v1, "on_offer_published"),
        (capacity, "on_capacity_changed"),
        (changed, "on_offer_changed"),
    ):
        with entrypoint_waiter(cases, handler, timeout=15):
            verband.publish("partners", event)
    row = verband.sql(
        cases.db_url, "SELECT organisation_id, free_places FROM offers WHERE id = %s", (offer_id,)
    )[0]
    assert row == {"organisation_id": provider, "free_places": 3}


def test_offer_published_v2_names_the_provider(verband):
    from verband_common.contracts import new_event

    cases = verband.start(CasesService)
    network, offer_id, provider = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    v1 = offer_published(network, offer_id)
    payload = {
        k: v1[k]
        for k in (
            "offer_id",
            "title",
            "kind",
            "capacity",
            "free_places",
            "municipalities",
            "status",
            "warm_waiting_list",
        )
    }
    v2 = new_event(
        "partners",
        "offer_published",
        network,
        {**payload, "organisation_id": str(provider), "can_start_from": "2027-01-04"},
        version=2,
    )
    with entrypoint_waiter(cases, "on_offer_published", timeout=15):
        verband.publish("partners", v2)
    row = verband.sql(
        cases.db_url, "SELECT organisation_id, can_start_from::text AS s FROM offers"
    )[0]
    assert row == {"organisation_id": provider, "s": "2027-01-04"}


def test_a_replay_to_a_queue_that_is_gone_leaves_the_message_parked(verband):
    cases = verband.start(CasesService)
    event = offer_published(uuid.uuid4())
    verband.publish("partners", {**event, "unexpected": True}, routing_key="offer_published")
    wait_until(lambda: deadletters.list_parked(verband.amqp_uri), what="the message parked")
    # The consumer's queue is deleted (its service was removed): nowhere to replay to.
    cases.stop()
    from kombu import Connection, Queue

    with Connection(verband.amqp_uri) as conn:
        Queue(QUEUE, no_declare=True)(conn.channel()).delete()

    # Published mandatory and confirmed: the broker returns it, so it is not acked away.
    assert deadletters.replay(verband.amqp_uri) == []
    [still] = deadletters.list_parked(verband.amqp_uri)
    assert still["event_id"] == event["event_id"] and still["queue"] == QUEUE
