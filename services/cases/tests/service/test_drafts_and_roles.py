"""Drafts of a referral are saved unchecked and only their author sees them; submitting one
checks it as a referral. Roles follow partners' role events, revocation included."""

import pytest
from cases_world import Network, as_, family, refer, seed
from nameko.testing.services import entrypoint_waiter
from verband_servicekit import referral

from cases.service import CasesService
from verband_common.contracts import new_event
from verband_common.errors import NotFound, ValidationFailed

pytestmark = pytest.mark.service


@pytest.fixture
def world(verband):
    cases = verband.start(CasesService)
    a = Network("1G1P Asse-Meise-Vilvoorde")
    seed(verband, cases, a)
    cases.a = a
    return cases


def test_a_draft_is_saved_unchecked_and_checked_when_submitted(verband, world):
    a = world.a
    half = {"offer_id": a.offer, "question": "Nog aan te vullen"}
    with as_(verband, a.referrer) as rpc:
        draft = rpc.cases.save_referral_draft(a.id, half)
        assert draft["payload"] == half
        assert [d["id"] for d in rpc.cases.list_referral_drafts(a.id)] == [draft["id"]]
        with pytest.raises(ValidationFailed) as refused:
            rpc.cases.submit_referral_draft(draft["id"])
        assert {"household", "consent", "municipality"} <= set(refused.value.fields)
        assert verband.count(world.db_url, "referrals") == 0
        # Completed and saved again under the same id, then submitted.
        rpc.cases.save_referral_draft(a.id, referral(a.offer), draft["id"])
        receipt = rpc.cases.submit_referral_draft(draft["id"])
        assert receipt["status"] == "received"
        assert rpc.cases.list_referral_drafts(a.id) == []
    # Someone else's draft does not exist for you.
    with as_(verband, a.referrer) as rpc:
        mine = rpc.cases.save_referral_draft(a.id, half)
    with as_(verband, a.coordinator) as rpc:
        assert rpc.cases.list_referral_drafts(a.id) == []
        with pytest.raises(NotFound):
            rpc.cases.submit_referral_draft(mine["id"])
        with pytest.raises(NotFound):
            rpc.cases.save_referral_draft(a.id, {"x": 1}, mine["id"])


def test_a_revoked_role_closes_the_case(verband, world):
    a = world.a
    case = refer(verband, a)["case_id"]
    with as_(verband, a.coordinator) as rpc:
        assert rpc.cases.get_case(case)["case_id"] == case
        assert [c["id"] for c in rpc.cases.list_cases(a.id)] == [case]
    revoked = new_event(
        "partners", "role_revoked", a.id, {"person_id": a.coordinator, "role": "coordinator"}
    )
    with entrypoint_waiter(world, "on_role_revoked", timeout=15):
        verband.publish("partners", revoked)
    with as_(verband, a.coordinator) as rpc, pytest.raises(NotFound):
        rpc.cases.get_case(case)


def test_my_referrals_are_the_families_i_referred_even_as_coordinator(verband, world):
    a = world.a
    theirs = refer(verband, a)["case_id"]
    with as_(verband, a.coordinator) as rpc:
        mine = rpc.cases.receive_referral(a.id, {**family(a), "source_sector": "coordinator"})
        assert {c["id"] for c in rpc.cases.list_cases(a.id)} == {theirs, mine["case_id"]}
        only = rpc.cases.list_cases(a.id, {"referred_by_me": True})
        assert [c["id"] for c in only] == [mine["case_id"]]
    with as_(verband, a.referrer) as rpc:
        assert [c["id"] for c in rpc.cases.list_cases(a.id, {"referred_by_me": True})] == [theirs]
    with as_(verband, a.coach_a) as rpc:
        assert rpc.cases.list_cases(a.id, {"referred_by_me": True}) == []
