"""The walking path at service level: partners publishes an offer, cases learns it and takes
a referral, reporting counts it, and a rebuild from the event log gives the same count."""

import json

import pytest
from nameko.testing.services import entrypoint_waiter
from verband_servicekit import CARER, CHILD, CONSENT_BY, QUESTION, referral, seed_partners
from verband_servicekit import offer as make_offer

from cases.service import CasesService
from partners.service import PartnersService
from reporting.service import ReportingService

pytestmark = pytest.mark.service

REFERRAL_FIELDS = {
    "event_id",
    "event_type",
    "source",
    "version",
    "occurred_at",
    "network_id",
    "referral_id",
    "offer_id",
    "family_pseudonym",
    "age_bands",
    "municipality",
    "concern",
    "source_sector",
    "received_on",
}


def assert_no_personal_data(body: dict, payload: dict):
    assert set(body) == REFERRAL_FIELDS
    text = json.dumps(body, ensure_ascii=False)
    for child in payload["household"]["children"]:
        assert child["first_name"] not in text
        assert child["birth_date"] not in text
    for secret in (CARER, CHILD, QUESTION, CONSENT_BY, payload["consent"]["given_on"]):
        assert secret not in text


def test_offer_to_referral_to_count(verband):
    verband.start(PartnersService)
    cases = verband.start(CasesService)
    reporting = verband.start(ReportingService)

    seed = seed_partners(verband)
    with verband.rpc(context_data={"actor": seed["actor"]}) as rpc:
        network = seed["network"]["id"]
        with entrypoint_waiter(cases, "on_offer_published", timeout=15):
            offer = rpc.partners.publish_offer(network, make_offer(seed["organisation"]["id"]))
        assert rpc.reporting.referral_count(network)["referrals"] == 0

        # cases takes referrals only from someone with a role in the network (it learns
        # roles from partners' role_granted events), not from the platform admin.
        referrer = rpc.partners.create_person(
            network,
            {
                "name": "Els Verwijzer",
                "email": "els@ocmw.test",
                "organisation_id": seed["organisation"]["id"],
            },
        )
        with entrypoint_waiter(cases, "on_role_granted", timeout=15):
            rpc.partners.grant_role(network, referrer["id"], "referrer")

    payload = referral(offer["id"])
    with verband.rpc(context_data={"actor": f"person:{referrer['id']}"}) as rpc:
        with entrypoint_waiter(reporting, "on_referral_received", timeout=15) as counted:
            receipt = rpc.cases.receive_referral(network, payload)
        assert receipt["status"] == "received"
        assert receipt["network_id"] == network and receipt["offer_id"] == offer["id"]

        # What left cases: a pseudonym, age bands, municipality, concern, dates; nothing more.
        sent = verband.sql(cases.db_url, "SELECT body FROM outbox")[0]["body"]
        assert_no_personal_data(sent, payload)
        family = verband.sql(cases.db_url, "SELECT id FROM families")[0]["id"]
        assert len(sent["family_pseudonym"]) == 32
        assert sent["family_pseudonym"] != family.hex  # keyed, not the id itself
        assert family.hex not in json.dumps(sent) and str(family) not in json.dumps(sent)
        assert sent["age_bands"] == ["12-17", "6-11"]
        assert sent["referral_id"] == receipt["referral_id"]
        assert counted.worker_ctx.args[0][0]["event_id"].hex == sent["event_id"].replace("-", "")
        # ... and what reporting keeps of it.
        kept = verband.sql(reporting.db_url, "SELECT body FROM event_log")
        assert [k["body"] for k in kept] == [sent]

        count = rpc.reporting.referral_count(network)
        assert count["referrals"] == 1
        assert count["last_event_at"] is not None

        # A rebuild recomputes the projection from the event log (even a damaged one).
        verband.sql(reporting.db_url, "UPDATE referral_counts SET referrals = 99")
        assert rpc.reporting.rebuild_projections() == {"events_replayed": 1}
        assert rpc.reporting.referral_count(network) == count
