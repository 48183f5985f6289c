"""Pure rules of the closed loop: who answers a referral, what an answer needs, where the
case goes after it, and plan actions with a status and bounded dates."""

import datetime as dt
import uuid

import pytest
from marshmallow import ValidationError

from cases.domain.access import Principal, can_answer_referral
from cases.domain.answers import answer_problems, answerable_offers, status_after
from cases.domain.plan import changes, plan_problems, with_action_status
from verband_common.schemas.cases import PlanInput, ReferralAnswerInput

D = dt.date(2026, 11, 2)
NET, ORG, OTHER = "n1", "org-a", "org-b"
OFFER, OFFER2 = uuid.uuid4(), uuid.uuid4()


def person(*roles, org=ORG):
    return Principal("p1", {NET: frozenset(roles)}, {NET: org} if org else {})


def test_only_workers_of_the_offers_organisation_answer():
    assert can_answer_referral(person("family_coach"), NET, ORG)
    assert can_answer_referral(person("partner_worker"), NET, ORG)
    assert not can_answer_referral(person("family_coach", org=OTHER), NET, ORG)
    # The coordinator triages; answering for a provider is not theirs.
    assert not can_answer_referral(person("coordinator", org=None), NET, ORG)
    assert not can_answer_referral(person("network_admin"), NET, ORG)
    assert not can_answer_referral(person("family_coach"), NET, None)


def test_a_decline_needs_a_reason_an_acceptance_a_start_date_within_a_year():
    load = ReferralAnswerInput().load
    with pytest.raises(ValidationError) as refused:
        load({"offer_id": str(OFFER), "answer": "declined", "reason": "  "})
    assert set(refused.value.messages) == {"reason"}
    with pytest.raises(ValidationError) as refused:
        load({"offer_id": str(OFFER), "answer": "accepted"})
    assert set(refused.value.messages) == {"starts_on"}
    far = (dt.date.today() + dt.timedelta(days=366)).isoformat()
    with pytest.raises(ValidationError) as refused:
        load({"offer_id": str(OFFER), "answer": "accepted", "starts_on": far})
    assert set(refused.value.messages) == {"starts_on"}
    with pytest.raises(ValidationError) as refused:
        load({"offer_id": str(OFFER), "answer": "maybe", "reason": "x" * 2001})
    assert set(refused.value.messages) == {"answer", "reason"}
    ok = load({"offer_id": str(OFFER), "answer": "declined", "reason": "Geen plaats."})
    assert ok["starts_on"] is None


def test_the_offers_that_can_be_answered_and_the_start_not_before_the_referral():
    entries = [
        {"id": 1, "offer_id": OFFER2, "status": "waiting"},
        {"id": 2, "offer_id": uuid.uuid4(), "status": "removed"},
    ]
    offers = answerable_offers(OFFER, entries)
    assert offers == {str(OFFER): None, str(OFFER2): entries[0]}
    assert answerable_offers(None, []) == {}
    accepted = {"offer_id": OFFER, "answer": "accepted", "starts_on": D}
    assert answer_problems(accepted, D, offers) == {}
    early = {**accepted, "starts_on": D - dt.timedelta(days=1)}
    assert set(answer_problems(early, D, offers)) == {"starts_on"}
    elsewhere = {**accepted, "offer_id": uuid.uuid4()}
    assert set(answer_problems(elsewhere, D, offers)) == {"offer_id"}


def test_a_decline_returns_the_case_only_when_nothing_else_is_under_way():
    assert status_after("declined", "received", 0, 0) == "returned"
    assert status_after("declined", "waiting", 0, 0) == "returned"
    assert status_after("declined", "waiting", 1, 0) == "waiting"
    assert status_after("declined", "waiting", 0, 1) == "waiting"
    assert status_after("declined", "started", 0, 0) == "started"
    assert status_after("accepted", "received", 0, 0) == "received"


def plan(status=None, due=D):
    action = {"text": "Gesprek", "responsible_organisation_id": ORG, "due_on": due}
    if status:
        action["status"] = status
    return {"goals": [{"text": "Rust", "actions": [action]}], "family_part": "", "review_dates": []}


def test_plan_dates_are_bounded_and_statuses_known():
    assert plan_problems(plan(due=D + dt.timedelta(days=5 * 365)), {ORG}, D, D) == {}
    far = plan(due=D + dt.timedelta(days=5 * 365 + 1))
    far["review_dates"] = [D + dt.timedelta(days=9000)]
    assert set(plan_problems(far, {ORG}, D, D)) == {"goals.0.actions.0.due_on", "review_dates.0"}
    data = {
        "goals": [
            {
                "text": "Rust",
                "actions": [
                    {"text": "x", "responsible_organisation_id": str(OFFER), "due_on": "2026-12-01"}
                ],
            }
        ],
        "family_part": "Papa kookt.",
    }
    assert PlanInput().load(data)["goals"][0]["actions"][0]["status"] == "planned"
    data["goals"][0]["actions"][0]["status"] = "finished"
    with pytest.raises(ValidationError) as refused:
        PlanInput().load(data)
    assert "goals" in refused.value.messages


def test_a_status_change_is_a_new_version_that_says_what_changed():
    before = plan("planned")
    after = with_action_status(before, 0, 0, "done")
    assert after["goals"][0]["actions"][0]["status"] == "done"
    assert before["goals"][0]["actions"][0]["status"] == "planned"  # untouched
    assert changes(before, after) == [
        {"path": "goals.0.actions.0", "change": "changed", "fields": ["status"]}
    ]
    assert with_action_status(before, 0, 1, "done") is None
    assert with_action_status(before, 1, 0, "done") is None
    # A version written before actions had a status reads as "planned": no change.
    assert changes(plan(None), plan("planned")) == []
