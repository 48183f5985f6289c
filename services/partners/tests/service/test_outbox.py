"""The partners service writes state and event in one transaction; the relay publishes it.

Runs the real PartnersService in a nameko container against the session's RabbitMQ (own
vhost) and PostgreSQL (own database).
"""

import json

import pytest
from nameko.exceptions import RemoteError
from verband_servicekit import NETWORK, admin_actor, offer, seed_partners, wait_until

from partners.service import PartnersService
from verband_common.contracts import load_event
from verband_common.errors import Conflict

pytestmark = pytest.mark.service


def test_state_and_event_commit_together_and_the_relay_marks_them_sent(verband):
    tap = verband.tap("partners")
    partners = verband.start(PartnersService)
    db = partners.db_url

    with verband.rpc(context_data={"actor": admin_actor(verband)}) as rpc:
        network = rpc.partners.create_network(NETWORK)

    # The event rows were written with the network (the relay may already have sent them).
    rows = verband.sql(db, "SELECT event_id, event_type, body FROM outbox ORDER BY id")
    assert [r["event_type"] for r in rows] == ["network_created", "network_settings_changed"]
    assert rows[0]["body"]["network_id"] == network["id"]
    assert rows[1]["body"]["municipalities"] == NETWORK["municipalities"]
    assert verband.count(db, "networks") == 1

    # The relay publishes them and marks the rows sent.
    wait_until(
        lambda: verband.count(db, "outbox", "sent_at IS NOT NULL") == 2,
        what="outbox rows marked sent",
    )
    messages = wait_until(
        lambda: verband.drain(tap) or None, what="network_created on partners.events"
    )
    wait_until(lambda: messages.extend(verband.drain(tap)) or len(messages) == 2, what="both")
    assert [m.delivery_info["routing_key"] for m in messages] == [
        "network_created",
        "network_settings_changed",
    ]
    message = messages[0]
    assert message.delivery_info["routing_key"] == "network_created"
    assert message.properties["message_id"] == str(rows[0]["event_id"])
    event = load_event("partners", "network_created", json.loads(message.body))
    assert str(event["network_id"]) == network["id"]
    assert event["name"] == NETWORK["name"]


def test_a_refused_change_leaves_neither_state_nor_event(verband):
    partners = verband.start(PartnersService)
    db = partners.db_url

    with verband.rpc(context_data={"actor": admin_actor(verband)}) as rpc:
        rpc.partners.create_network(NETWORK)
        # Same name, other case: the unique index refuses it.
        with pytest.raises(Conflict) as refused:
            rpc.partners.create_network({**NETWORK, "name": NETWORK["name"].upper()})
    assert "name" in refused.value.fields

    assert verband.count(db, "networks") == 1
    assert verband.count(db, "outbox") == 2


def test_no_state_without_its_event(verband):
    """If writing the event fails, the state change written before it rolls back too."""
    tap = verband.tap("partners", "offer_published")
    partners = verband.start(PartnersService)
    db = partners.db_url
    seed = seed_partners(verband)
    network, payload = seed["network"], offer(seed["organisation"]["id"])
    with verband.rpc(context_data={"actor": seed["actor"]}) as rpc:
        verband.sql(
            db,
            "ALTER TABLE outbox ADD CONSTRAINT no_offers CHECK (event_type <> 'offer_published')",
        )
        with pytest.raises(RemoteError, match="CheckViolation"):
            rpc.partners.publish_offer(network["id"], payload)
        assert verband.count(db, "offers") == 0
        assert verband.count(db, "outbox", "event_type = 'offer_published'") == 0

        # Once the outbox accepts it again, the same call goes through, event and all.
        verband.sql(db, "ALTER TABLE outbox DROP CONSTRAINT no_offers")
        published = rpc.partners.publish_offer(network["id"], payload)
    assert verband.count(db, "offers") == 1
    messages = wait_until(lambda: verband.drain(tap), what="offer_published on partners.events")
    assert [json.loads(m.body)["offer_id"] for m in messages] == [published["id"]]


def test_no_event_without_its_state(verband):
    """If the transaction fails at commit, after the event was written, nothing is sent."""
    tap = verband.tap("partners", "offer_published")
    partners = verband.start(PartnersService)
    db = partners.db_url
    seed = seed_partners(verband)
    network, payload = seed["network"], offer(seed["organisation"]["id"])
    with verband.rpc(context_data={"actor": seed["actor"]}) as rpc:
        verband.sql(
            db,
            """
            CREATE FUNCTION refuse_offer() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'offer refused at commit'; END $$;
            CREATE CONSTRAINT TRIGGER refuse_at_commit AFTER INSERT ON offers
              DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION refuse_offer();
        """,
        )
        with pytest.raises(RemoteError, match="offer refused at commit"):
            rpc.partners.publish_offer(network["id"], payload)

    assert verband.count(db, "offers") == 0
    assert verband.count(db, "outbox", "event_type = 'offer_published'") == 0
    # The seed's events were published (the relay is alive; with no queue bound to them
    # they are kept as unroutable), offer_published never was.
    wait_until(
        lambda: verband.count(db, "outbox", "sent_at IS NULL AND unroutable_since IS NULL") == 0,
        what="relay idle",
    )
    assert verband.drain(tap) == []
