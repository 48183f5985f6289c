"""Bad input to receive_referral is refused naming the field, and stores nothing.

(`health` takes no input.)"""

import uuid

import pytest
from nameko.testing.services import entrypoint_waiter
from verband_servicekit import offer_published, referral, years_ago

from cases.service import CasesService
from verband_common.errors import ValidationFailed

pytestmark = pytest.mark.service


@pytest.fixture
def cases(verband):
    """cases knowing one active and one paused offer of network A."""
    cases = verband.start(CasesService)
    cases.network = uuid.uuid4()
    cases.active = offer_published(cases.network)
    cases.paused = offer_published(cases.network, status="paused")
    for event in (cases.active, cases.paused):
        with entrypoint_waiter(cases, "on_offer_published", timeout=15):
            verband.publish("partners", event)
    return cases


def bad_calls(cases):
    network, active, paused = str(cases.network), cases.active["offer_id"], cases.paused["offer_id"]
    child = {"first_name": "Lotte", "birth_date": years_ago(7).isoformat()}
    return [
        (("not-an-id", referral(active)), {"network_id"}),
        ((network, "just text"), {"_schema"}),
        (
            (network, {}),
            {
                "offer_id",
                "source_sector",
                "municipality",
                "concern",
                "question",
                "household",
                "consent",
            },
        ),
        ((network, referral(active, municipality="1000")), {"municipality"}),
        ((network, referral(active, concern="dramatic")), {"concern"}),
        ((network, referral(active, notes="free text")), {"notes"}),
        (
            (
                network,
                referral(
                    active,
                    household={
                        "carers": [],
                        "children": [{**child, "birth_date": years_ago(0, days=-3).isoformat()}],
                    },
                ),
            ),
            {"household.carers", "household.children.0.birth_date"},
        ),
        (
            (
                network,
                referral(
                    active,
                    household={
                        "carers": [{"name": "X"}],
                        "children": [{**child, "birth_date": years_ago(25, days=1).isoformat()}],
                    },
                ),
            ),
            {"household.children.0.birth_date"},
        ),
        (
            (
                network,
                referral(
                    active,
                    consent={"given_by": "X", "given_on": "gisteren", "sharing": ["everyone"]},
                ),
            ),
            {"consent.given_on", "consent.sharing.0"},
        ),
        ((network, referral(uuid.uuid4())), {"offer_id"}),  # unknown offer
        ((network, referral(paused)), {"offer_id"}),  # offer takes no referrals
        ((str(uuid.uuid4()), referral(active)), {"offer_id"}),  # another network's offer
    ]


def test_bad_referrals_are_refused_naming_the_field_and_store_nothing(verband, cases):
    before = verband.counts(cases.db_url)
    with verband.rpc() as rpc:
        for args, fields in bad_calls(cases):
            with pytest.raises(ValidationFailed) as refused:
                rpc.cases.receive_referral(*args)
            assert set(refused.value.fields) == fields, args
            assert refused.value.message
    assert verband.counts(cases.db_url) == before
    assert before["referrals"] == before["families"] == before["outbox"] == 0

    # The same service takes a sound referral: the refusals were about the input.
    with verband.rpc() as rpc:
        receipt = rpc.cases.receive_referral(str(cases.network), referral(cases.active["offer_id"]))
    assert receipt["status"] == "received"
    assert verband.count(cases.db_url, "referrals") == 1
