"""Closing the loop: the offer's organisation accepts or declines a referred family, the
referrer sees the answer, a decline goes back to the coordinator; plan actions carry a
status that the family's workers change, each change a version of the plan."""

import datetime as dt

import pytest
from cases_world import Network, as_, onto_list, refer, seed

from cases.service import CasesService
from verband_common.errors import Conflict, Forbidden, ValidationFailed

pytestmark = pytest.mark.service

TODAY = dt.date.today()


@pytest.fixture
def world(verband):
    cases = verband.start(CasesService)
    a = Network("1G1P Asse-Meise-Vilvoorde")
    seed(verband, cases, a)
    cases.a = a
    return cases


def answered_events(verband, world) -> list[dict]:
    rows = verband.sql(
        world.db_url,
        "SELECT body FROM outbox WHERE event_type = 'referral_answered' ORDER BY id",
    )
    return [r["body"] for r in rows]


def test_a_decline_needs_a_reason_and_sends_the_family_back_to_the_coordinator(verband, world):
    a = world.a
    case = refer(verband, a)["case_id"]
    # Only the organisation of the offer answers: not the coordinator, not another partner.
    with as_(verband, a.coordinator) as rpc:
        with pytest.raises(Forbidden):
            rpc.cases.answer_referral(
                case, {"offer_id": a.offer, "answer": "declined", "reason": "x"}
            )
    with as_(verband, a.worker_b) as rpc:
        with pytest.raises(Forbidden):
            rpc.cases.answer_referral(
                case, {"offer_id": a.offer, "answer": "declined", "reason": "x"}
            )
    with as_(verband, a.coach_a) as rpc:
        assert rpc.cases.get_case(case)["can_answer_offer_ids"] == [a.offer]
        with pytest.raises(ValidationFailed) as refused:
            rpc.cases.answer_referral(case, {"offer_id": a.offer, "answer": "declined"})
        assert set(refused.value.fields) == {"reason"}
        with pytest.raises(ValidationFailed) as refused:
            rpc.cases.answer_referral(
                case, {"offer_id": a.offer2, "answer": "declined", "reason": "Geen plaats."}
            )
        assert set(refused.value.fields) == {"offer_id"}
        done = rpc.cases.answer_referral(
            case,
            {"offer_id": a.offer, "answer": "declined", "reason": "Buiten ons werkingsgebied."},
        )
        assert done["status"] == "returned"
        assert done["answer"]["answer"] == "declined"
        assert done["answer"]["organisation"] == "Gezinsondersteuning Asse"
        # Having declined, the organisation is no longer involved in the case.
        with pytest.raises(Forbidden):
            rpc.cases.get_case(case)
    assert answered_events(verband, world) == [
        {
            **answered_events(verband, world)[0],
            "answer": "declined",
            "starts_on": None,
            "offer_id": a.offer,
            "organisation_id": a.org_a,
            "referral_id": case,
        }
    ]
    # The reason is free text about the family: it stays in the cases service.
    assert "werkingsgebied" not in str(answered_events(verband, world))

    with as_(verband, a.referrer) as rpc:
        follow = rpc.cases.follow_up(case)
    assert follow["status"] == "returned"
    assert [(x["answer"], x["reason"], x["offer_title"]) for x in follow["answers"]] == [
        ("declined", "Buiten ons werkingsgebied.", "Gezinscoaching")
    ]

    with as_(verband, a.coordinator) as rpc:
        back = rpc.cases.list_cases(a.id, {"status": "returned"})
        assert [(c["id"], c["declined_reason"]) for c in back] == [
            (case, "Buiten ons werkingsgebied.")
        ]
        # The coordinator triages it again.
        again = rpc.cases.triage_referral(
            case, {"decision": "waiting_list", "reason": "Ander aanbod.", "offer_ids": [a.offer2]}
        )
        assert again["status"] == "waiting"
    log = verband.sql(
        world.db_url,
        "SELECT action, detail FROM audit_log WHERE case_id = %s ORDER BY id",
        (case,),
    )
    denied = [r for r in log if r["action"] == "access_denied"]
    assert [r["detail"].get("tried") for r in denied] == ["answer_referral"] * 2 + ["read_case"]
    assert [r["action"] for r in log].count("answer_referral") == 1


def test_an_accepted_family_shows_its_start_date_to_the_referrer(verband, world):
    a = world.a
    case = refer(verband, a)["case_id"]
    onto_list(verband, a, case, [a.offer, a.offer2])
    start = TODAY + dt.timedelta(days=10)
    with as_(verband, a.coach_a) as rpc:
        for bad in (
            {"offer_id": a.offer, "answer": "accepted"},
            {"offer_id": a.offer, "answer": "accepted", "starts_on": "2001-01-01"},
            {
                "offer_id": a.offer,
                "answer": "accepted",
                "starts_on": (TODAY + dt.timedelta(days=400)).isoformat(),
            },
            {"offer_id": a.offer, "answer": "maybe", "starts_on": start.isoformat()},
        ):
            with pytest.raises(ValidationFailed) as refused:
                rpc.cases.answer_referral(case, bad)
            assert set(refused.value.fields) <= {"starts_on", "answer"}, bad
        done = rpc.cases.answer_referral(
            case, {"offer_id": a.offer, "answer": "accepted", "starts_on": start.isoformat()}
        )
        assert done["status"] == "waiting" and done["answer"]["starts_on"] == start.isoformat()
        with pytest.raises(Conflict):
            rpc.cases.answer_referral(
                case, {"offer_id": a.offer, "answer": "accepted", "starts_on": start.isoformat()}
            )
        # Declining the other list: the family leaves that list, but is still under way.
        other = rpc.cases.answer_referral(
            case, {"offer_id": a.offer2, "answer": "declined", "reason": "Geen plaats."}
        )
        assert other["status"] == "waiting"
        entries = {e["offer_id"]: e for e in rpc.cases.get_case(case)["waiting"]}
    assert entries[a.offer]["status"] == "waiting"
    assert entries[a.offer2]["status"] == "removed"
    assert entries[a.offer2]["removal_reason"] == "declined_by_provider"
    with as_(verband, a.referrer) as rpc:
        answers = rpc.cases.follow_up(case)["answers"]
    assert [(x["answer"], x["starts_on"]) for x in answers] == [
        ("accepted", start.isoformat()),
        ("declined", None),
    ]
    assert [e["starts_on"] for e in answered_events(verband, world)] == [start.isoformat(), None]


def plan_of(a):
    return {
        "goals": [
            {
                "text": "Dat Jens terug graag naar school gaat.",
                "actions": [
                    {
                        "text": "Gesprek met CLB",
                        "responsible_organisation_id": a.org_a,
                        "due_on": (TODAY + dt.timedelta(days=14)).isoformat(),
                    }
                ],
            }
        ],
        "family_part": "Mama brengt Jens naar school.",
        "review_dates": [(TODAY + dt.timedelta(days=30)).isoformat()],
    }


def test_a_plan_action_is_marked_done_as_a_new_version(verband, world):
    a = world.a
    case = refer(verband, a)["case_id"]
    with as_(verband, a.coordinator) as rpc:
        rpc.cases.start_trajectory(case, {"case_manager_id": a.coach_a, "offer_id": a.offer})
    with as_(verband, a.coach_a) as rpc:
        far = plan_of(a)
        far["goals"][0]["actions"][0]["due_on"] = "2100-01-01"
        far["review_dates"] = ["2100-01-01"]
        with pytest.raises(ValidationFailed) as refused:
            rpc.cases.update_plan(case, far)
        assert set(refused.value.fields) == {"goals.0.actions.0.due_on", "review_dates.0"}
        stranger = plan_of(a)
        stranger["goals"][0]["actions"][0]["responsible_organisation_id"] = a.org_x
        with pytest.raises(ValidationFailed) as refused:
            rpc.cases.update_plan(case, stranger)
        assert set(refused.value.fields) == {"goals.0.actions.0.responsible_organisation_id"}

        first = rpc.cases.update_plan(case, plan_of(a))
        assert first["plan"]["goals"][0]["actions"][0]["status"] == "planned"
        for bad, fields in (
            ({"goal": 0, "action": 0, "status": "finished", "based_on_version": 1}, {"status"}),
            ({"goal": 0, "action": 5, "status": "done", "based_on_version": 1}, {"action"}),
            ({"goal": 0, "action": 0, "status": "done"}, {"based_on_version"}),
        ):
            with pytest.raises(ValidationFailed) as refused:
                rpc.cases.set_plan_action_status(case, bad)
            assert set(refused.value.fields) == fields
        done = rpc.cases.set_plan_action_status(
            case, {"goal": 0, "action": 0, "status": "done", "based_on_version": 1}
        )
        assert done["version"] == 2
        assert done["plan"]["goals"][0]["actions"][0]["status"] == "done"
        assert done["changes"] == [
            {"path": "goals.0.actions.0", "change": "changed", "fields": ["status"]}
        ]
        with pytest.raises(Conflict):
            rpc.cases.set_plan_action_status(
                case, {"goal": 0, "action": 0, "status": "running", "based_on_version": 1}
            )
        history = rpc.cases.plan_history(case)
    # The history is whole: version 1 still says "planned".
    assert [v["plan"]["goals"][0]["actions"][0]["status"] for v in history] == ["planned", "done"]
    # A partner outside the case may not touch the plan.
    with as_(verband, a.worker_b) as rpc:
        with pytest.raises(Forbidden):
            rpc.cases.set_plan_action_status(
                case, {"goal": 0, "action": 0, "status": "dropped", "based_on_version": 2}
            )
    events = verband.sql(
        world.db_url, "SELECT body FROM outbox WHERE event_type = 'plan_updated' ORDER BY id"
    )
    assert [e["body"]["version_number"] for e in events] == [1, 2]


def test_erasure_removes_the_reason_of_a_decline(verband, world):
    a = world.a
    case = refer(verband, a)["case_id"]
    with as_(verband, a.coach_a) as rpc:
        rpc.cases.answer_referral(
            case, {"offer_id": a.offer, "answer": "declined", "reason": "Mama is ziek."}
        )
    with as_(verband, a.coordinator) as rpc:
        rpc.cases.erase_family(case, {"reason": "Verzoek van de ouders."})
    rows = verband.sql(world.db_url, "SELECT reason FROM referral_answers")
    assert rows == [{"reason": "[geanonimiseerd]"}]
