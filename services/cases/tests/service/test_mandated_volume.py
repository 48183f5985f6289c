"""The network's volume agreement with the mandated bodies (OCJ/SDJ), copied from partners'
events, and triage of a mandated body's referral within and beyond the agreed places."""

import datetime as dt
import uuid

import pytest
from cases_world import Network, as_, refer, seed
from nameko.testing.services import entrypoint_waiter

from cases.service import CasesService
from verband_common.contracts import new_event
from verband_common.errors import Forbidden, ValidationFailed

pytestmark = pytest.mark.service

TODAY = dt.date.today()
NOW = dt.datetime.now(dt.UTC)


@pytest.fixture
def world(verband):
    cases = verband.start(CasesService)
    a = Network("1G1P Asse-Meise-Vilvoorde")
    seed(verband, cases, a)
    cases.a = a
    return cases


def agreement(network_id, agreement_id, agreed, occurred_at=None, **over) -> dict:
    return new_event(
        "partners",
        "agreement_recorded",
        network_id,
        {
            "agreement_id": agreement_id,
            "kind": "mandated_body",
            "organisation_ids": [],
            "starts_on": (TODAY - dt.timedelta(days=10)).isoformat(),
            "ends_on": (TODAY + dt.timedelta(days=80)).isoformat(),
            "agreed_number": agreed,
            "status": "active",
            **over,
        },
        occurred_at=occurred_at,
    )


def deliver(verband, world, event) -> None:
    with entrypoint_waiter(world, "on_agreement_recorded", timeout=15):
        verband.publish("partners", event)


def volume_of(verband, a):
    with as_(verband, a.coordinator) as rpc:
        return rpc.cases.mandated_volume(a.id)


def onto_list(a, **extra) -> dict:
    return {"decision": "waiting_list", "reason": "Past.", "offer_ids": [a.offer], **extra}


def test_the_volume_agreement_is_copied_and_its_latest_copy_wins(verband, world):
    a = world.a
    assert volume_of(verband, a) is None
    agreement_id = str(uuid.uuid4())
    deliver(verband, world, agreement(a.id, agreement_id, 5, occurred_at=NOW))
    places = volume_of(verband, a)
    assert places == {
        "agreement_id": agreement_id,
        "agreed": 5,
        "used": 0,
        "starts_on": (TODAY - dt.timedelta(days=10)).isoformat(),
        "ends_on": (TODAY + dt.timedelta(days=80)).isoformat(),
        "full": False,
    }
    # A changed agreement arrives whole; an older copy arriving late changes nothing.
    later = NOW + dt.timedelta(minutes=5)
    deliver(verband, world, agreement(a.id, agreement_id, 3, occurred_at=later))
    deliver(verband, world, agreement(a.id, agreement_id, 9, occurred_at=NOW))
    assert volume_of(verband, a)["agreed"] == 3
    # Ended, or a crisis-point arrangement: no volume to keep at triage.
    ended = later + dt.timedelta(minutes=5)
    deliver(verband, world, agreement(a.id, agreement_id, 3, occurred_at=ended, status="ended"))
    deliver(verband, world, agreement(a.id, str(uuid.uuid4()), 4, kind="crisis_point"))
    assert volume_of(verband, a) is None
    with as_(verband, a.referrer) as rpc, pytest.raises(Forbidden):
        rpc.cases.mandated_volume(a.id)


def test_triage_within_the_volume_follows_the_normal_path_and_beyond_it_needs_a_reason(
    verband, world
):
    a = world.a
    agreement_id = str(uuid.uuid4())
    deliver(verband, world, agreement(a.id, agreement_id, 1))
    first = refer(verband, a, mandated_body=True)["case_id"]
    second = refer(verband, a, mandated_body=True)["case_id"]
    ordinary = refer(verband, a)["case_id"]
    with as_(verband, a.coordinator) as rpc:
        within = rpc.cases.triage_referral(first, onto_list(a))
        assert within["status"] == "waiting"
        assert within["triage"]["volume_override_reason"] is None
        assert within["mandated_volume"]["used"] == 1 and within["mandated_volume"]["full"]
        assert within["triage"]["mandated_volume"]["used"] == 0

        with pytest.raises(ValidationFailed) as refused:
            rpc.cases.triage_referral(second, onto_list(a, volume_override_reason=" "))
        assert set(refused.value.fields) == {"volume_override_reason"}
        assert rpc.cases.get_case(second)["status"] == "received"
        assert verband.count(world.db_url, "waiting_entries", "referral_id = %s", (second,)) == 0

        # Families without a mandate, and decisions that take no place, are not held back.
        assert rpc.cases.triage_referral(ordinary, onto_list(a))["status"] == "waiting"

        beyond = rpc.cases.triage_referral(
            second, onto_list(a, volume_override_reason="Veiligheid van de kinderen.")
        )
        assert beyond["status"] == "waiting"
        assert beyond["triage"]["volume_override_reason"] == "Veiligheid van de kinderen."
        assert beyond["mandated_volume"]["used"] == 2
        assert volume_of(verband, a)["used"] == 2

    overrides = verband.sql(
        world.db_url,
        "SELECT case_id, actor, detail FROM audit_log WHERE action = 'mandated_volume_override'",
    )
    assert len(overrides) == 1
    assert str(overrides[0]["case_id"]) == second
    assert overrides[0]["actor"] == f"person:{a.coordinator}"
    assert overrides[0]["detail"] == {
        "agreement_id": agreement_id,
        "agreed": 1,
        "used": 1,
        "reason": "Veiligheid van de kinderen.",
    }


def test_declining_a_mandated_family_past_the_volume_needs_no_override(verband, world):
    a = world.a
    deliver(verband, world, agreement(a.id, str(uuid.uuid4()), 0))
    case = refer(verband, a, mandated_body=True)["case_id"]
    with as_(verband, a.coordinator) as rpc:
        declined = rpc.cases.triage_referral(
            case, {"decision": "decline", "reason": "Geen vraag naar hulp."}
        )
    assert declined["status"] == "declined"
    assert declined["mandated_volume"] == {**declined["mandated_volume"], "used": 0, "full": True}


def test_a_referral_the_mandated_body_sent_itself_counts_against_the_volume(verband, world):
    a = world.a
    deliver(verband, world, agreement(a.id, str(uuid.uuid4()), 1))
    sent_by_ocj = refer(verband, a, source_sector="mandated_body")["case_id"]
    flagged = refer(verband, a, mandated_body=True)["case_id"]
    with as_(verband, a.coordinator) as rpc:
        assert rpc.cases.triage_referral(sent_by_ocj, onto_list(a))["mandated_volume"]["used"] == 1
        with pytest.raises(ValidationFailed) as refused:
            rpc.cases.triage_referral(flagged, onto_list(a))
    assert set(refused.value.fields) == {"volume_override_reason"}
