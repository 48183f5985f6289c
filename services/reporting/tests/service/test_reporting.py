"""reporting counts each referral_received once, and refuses bad input naming the field.

(`health` and `rebuild_projections` take no input.)"""

import uuid

import pytest
from nameko.testing.services import entrypoint_waiter
from verband_servicekit import until_events, wait_until

from reporting.service import ReportingService
from verband_common import deadletters
from verband_common.contracts import new_event
from verband_common.errors import ValidationFailed

pytestmark = pytest.mark.service

QUEUE = "evt-cases-referral_received--reporting.on_referral_received"


def referral_received(network_id) -> dict:
    return new_event(
        "cases",
        "referral_received",
        network_id,
        {
            "referral_id": str(uuid.uuid4()),
            "offer_id": str(uuid.uuid4()),
            "family_pseudonym": uuid.uuid4().hex,
            "age_bands": ["3-5"],
            "municipality": "71016",
            "concern": "some",
            "source_sector": "huis_van_het_kind",
            "received_on": "2026-01-05",
        },
    )


def test_a_redelivered_referral_is_counted_once(verband):
    reporting = verband.start(ReportingService)
    network = uuid.uuid4()
    first, second = referral_received(network), referral_received(network)
    with entrypoint_waiter(reporting, "on_referral_received", callback=until_events(3), timeout=15):
        verband.publish("cases", first)
        verband.publish("cases", first)
        verband.publish("cases", second)
    with verband.rpc() as rpc:
        assert rpc.reporting.referral_count(str(network))["referrals"] == 2
        assert rpc.reporting.rebuild_projections() == {"events_replayed": 2}
        assert rpc.reporting.referral_count(str(network))["referrals"] == 2
        assert rpc.reporting.referral_count(str(uuid.uuid4()))["referrals"] == 0
    assert verband.count(reporting.db_url, "inbox") == 2


def test_bad_input_is_refused_naming_the_field_and_stores_nothing(verband):
    reporting = verband.start(ReportingService)
    before = verband.counts(reporting.db_url)
    with verband.rpc() as rpc:
        for bad in ("", "network-7", 42, None):
            with pytest.raises(ValidationFailed) as refused:
                rpc.reporting.referral_count(bad)
            assert set(refused.value.fields) == {"network_id"}
    assert verband.counts(reporting.db_url) == before


def test_events_arriving_together_are_applied_in_one_batch(verband):
    # A long linger holds the batch open until every event is in hand.
    reporting = verband.start(ReportingService, EVENT_BATCH_LINGER=1.0)
    network = uuid.uuid4()
    events = [referral_received(network) for _ in range(30)]
    waiter = until_events(30)
    with entrypoint_waiter(reporting, "on_referral_received", callback=waiter, timeout=15):
        for event in events:
            verband.publish("cases", event)
    with verband.rpc() as rpc:
        assert rpc.reporting.referral_count(str(network))["referrals"] == 30
    assert sorted(e["event_id"] for e in waiter.handled) == sorted(
        uuid.UUID(e["event_id"]) for e in events
    )
    assert verband.count(reporting.db_url, "inbox") == 30
    assert verband.queue_depth(QUEUE) == 0  # all acked after the commit


def test_a_failing_event_in_a_batch_is_parked_alone_and_the_others_are_applied(verband):
    reporting = verband.start(ReportingService, EVENT_MAX_ATTEMPTS=2, EVENT_BATCH_LINGER=0.5)
    good, bad = uuid.uuid4(), uuid.uuid4()
    # The effect itself fails for one network: the cause lies in the handler's transaction.
    verband.sql(
        reporting.db_url,
        "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
        f" IF NEW.network_id = '{bad}' THEN RAISE EXCEPTION 'refused for test'; END IF;"
        " RETURN NEW; END $$;"
        " CREATE TRIGGER refuse BEFORE INSERT ON referral_counts"
        " FOR EACH ROW EXECUTE FUNCTION refuse()",
    )
    events = [referral_received(good) for _ in range(9)]
    poison = referral_received(bad)
    events.insert(4, poison)
    for event in events:
        verband.publish("cases", event)

    parked = wait_until(
        lambda: deadletters.list_parked(verband.amqp_uri),
        timeout=20,
        what="the failing event parked",
    )
    assert [p["event_id"] for p in parked] == [poison["event_id"]]
    assert parked[0]["attempts"] == 2
    assert "refused for test" in parked[0]["reason"]
    with verband.rpc() as rpc:
        assert rpc.reporting.referral_count(str(good))["referrals"] == 9
        assert rpc.reporting.referral_count(str(bad))["referrals"] == 0
    # The failed batch left nothing behind: only the nine applied events are in the inbox.
    assert verband.count(reporting.db_url, "inbox") == 9
    assert verband.count(reporting.db_url, "event_log") == 9
    wait_until(lambda: verband.queue_depth(QUEUE) == 0, timeout=10, what="the queue drained")
