"""reporting counts each referral_received once, and refuses bad input naming the field.

(`health` and `rebuild_projections` take no input.)"""

import uuid

import pytest
from nameko.testing.services import entrypoint_waiter
from verband_servicekit import until_calls

from reporting.service import ReportingService
from verband_common.contracts import new_event
from verband_common.errors import ValidationFailed

pytestmark = pytest.mark.service


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
    with entrypoint_waiter(reporting, "on_referral_received", callback=until_calls(3), timeout=15):
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
