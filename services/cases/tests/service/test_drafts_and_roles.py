"""Drafts of a referral are saved unchecked and only their author sees them; submitting one
checks it as a referral. Roles follow partners' role events, revocation included."""

import uuid

import pytest
from cases_world import Network, as_, family, refer, seed
from nameko.testing.services import entrypoint_waiter
from verband_servicekit import referral, role_version, until_calls

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
        "partners",
        "role_revoked",
        a.id,
        {"person_id": a.coordinator, "role": "coordinator", "role_version": role_version()},
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


def _role_change(event_type, network_id, person_id, role, version) -> dict:
    payload = {"person_id": person_id, "role": role, "role_version": version}
    if event_type == "role_granted":
        payload["organisation_id"] = None
    return new_event("partners", event_type, network_id, payload)


def test_a_revoke_is_never_overtaken_by_the_grant_before_it(verband, world):
    """Grant and revoke delivered out of order, the grant redelivered and replayed (a parked
    copy put back with a new message id): the role stays revoked. A later grant counts."""
    a = world.a
    case = refer(verband, a)["case_id"]
    coordinator = str(uuid.uuid4())
    grant = _role_change("role_granted", a.id, coordinator, "coordinator", role_version())
    revoke = _role_change("role_revoked", a.id, coordinator, "coordinator", role_version())
    with entrypoint_waiter(world, "on_role_revoked", timeout=15):
        verband.publish("partners", revoke)
    replayed = {**grant, "event_id": str(uuid.uuid4())}
    with entrypoint_waiter(world, "on_role_granted", callback=until_calls(3), timeout=15):
        for event in (grant, grant, replayed):
            verband.publish("partners", event)
    with as_(verband, coordinator) as rpc, pytest.raises(NotFound):
        rpc.cases.get_case(case)
    # The revoke again (redelivered) changes nothing; a grant made after it brings the role.
    regrant = _role_change("role_granted", a.id, coordinator, "coordinator", role_version())
    with entrypoint_waiter(world, "on_role_revoked", timeout=15):
        verband.publish("partners", revoke)
    with entrypoint_waiter(world, "on_role_granted", timeout=15):
        verband.publish("partners", regrant)
    with as_(verband, coordinator) as rpc:
        assert rpc.cases.get_case(case)["case_id"] == case
    # And the first grant replayed once more does not take the newer one's place.
    with entrypoint_waiter(world, "on_role_granted", timeout=15):
        verband.publish("partners", {**grant, "event_id": str(uuid.uuid4())})
    rows = verband.sql(
        world.db_url,
        "SELECT version, granted FROM role_versions WHERE person_id = %s",
        (coordinator,),
    )
    assert [(r["version"], r["granted"]) for r in rows] == [(regrant["role_version"], True)]
