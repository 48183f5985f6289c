"""Pure rules of cases: the clocks, triage, the plan, access and privacy."""

import datetime as dt
import uuid

from hypothesis import given
from hypothesis import strategies as st

from cases.domain import child_key
from cases.domain.access import (
    FOLLOW_UP,
    FULL,
    CaseFacts,
    Principal,
    can_refer_from_region,
    case_access,
)
from cases.domain.access import can_read_offer_list as can_read_list
from cases.domain.clock import contact_overdue, next_contact_due, pickup_clock, warning_days
from cases.domain.plan import changes, next_review, plan_problems
from cases.domain.privacy import anonymised_household, retention_due
from cases.domain.triage import crisis_alert, referral_problems, triage_problems

D = dt.date(2026, 11, 2)


# -- clocks -------------------------------------------------------------------------------------


def test_the_one_month_clock_warns_before_and_escalates_after_the_guideline():
    def state(days):
        return pickup_clock(D, 30, D + dt.timedelta(days=days)).state

    assert [state(d) for d in (0, 22, 23, 30, 31)] == [
        "running",
        "running",
        "warning",
        "warning",
        "escalated",
    ]
    stopped = pickup_clock(D, 30, D + dt.timedelta(days=90), stopped_on=D + dt.timedelta(days=12))
    assert stopped.state == "stopped" and stopped.days == 12
    assert pickup_clock(D, 30, D).due_on == dt.date(2026, 12, 2)


@given(guideline=st.integers(1, 400), day=st.integers(0, 800))
def test_the_clock_moves_forward_only(guideline, day):
    order = ["running", "warning", "escalated"]
    now = pickup_clock(D, guideline, D + dt.timedelta(days=day)).state
    later = pickup_clock(D, guideline, D + dt.timedelta(days=day + 1)).state
    assert order.index(later) >= order.index(now)
    assert 1 <= warning_days(guideline) <= 7


def test_warm_contacts_follow_the_networks_interval():
    assert next_contact_due(D, 14) == dt.date(2026, 11, 16)
    assert next_contact_due(D, 0) == dt.date(2026, 11, 3)  # never today again
    assert contact_overdue(D, D + dt.timedelta(days=1)) and not contact_overdue(D, D)


# -- referral and triage ------------------------------------------------------------------------

OFFER, PAUSED, OTHER = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
KNOWN = {OFFER: "active", PAUSED: "paused"}


def referral(**kw):
    return {
        "offer_id": OFFER,
        "municipality": "23002",
        "requested_offer_ids": [],
        "consent": {"given_by": "X", "given_on": D, "sharing": ["network_partners"]},
        **kw,
    }


def test_a_referral_needs_consent_a_known_offer_and_a_municipality_of_the_network():
    assert referral_problems(referral(), ["23002"], KNOWN) == {}
    assert referral_problems(referral(offer_id=None), None, KNOWN) == {}  # the network decides
    assert set(referral_problems(referral(consent=None), ["23002"], KNOWN)) == {"consent"}
    assert set(
        referral_problems(
            referral(consent={"given_by": "X", "given_on": D, "sharing": []}), None, KNOWN
        )
    ) == {"consent.sharing"}
    assert set(referral_problems(referral(municipality="44021"), ["23002"], KNOWN)) == {
        "municipality"
    }
    assert set(
        referral_problems(referral(offer_id=OTHER, requested_offer_ids=[PAUSED]), None, KNOWN)
    ) == {"offer_id", "requested_offer_ids.0"}


def test_triage_always_needs_a_reason_and_what_the_decision_needs():
    manager = uuid.uuid4()

    def problems(**d):
        return set(triage_problems({"reason": "ok", **d}, "received", KNOWN, {manager}))

    assert problems(decision="decline") == set()
    assert problems(decision="decline", reason="  ") == {"reason"}
    assert problems(decision="waiting_list", offer_ids=[]) == {"offer_ids"}
    assert problems(decision="waiting_list", offer_ids=[OFFER, PAUSED, OTHER]) == {
        "offer_ids.1",
        "offer_ids.2",
    }
    assert problems(decision="waiting_list", offer_ids=[OFFER, OFFER]) == {"offer_ids"}
    assert problems(decision="start_now", case_manager_id=uuid.uuid4()) == {"case_manager_id"}
    assert problems(decision="start_now", case_manager_id=manager, offer_id=OFFER) == set()
    assert problems(decision="refer_on") == {"refer_to"}
    assert problems(decision="refer_on", refer_to="crisis_point") == set()
    assert set(
        triage_problems({"decision": "decline", "reason": "x"}, "waiting", KNOWN, set())
    ) == {"decision"}
    assert crisis_alert("urgent_dangerous") and not crisis_alert("urgent")


# -- the plan -----------------------------------------------------------------------------------

A, B = uuid.uuid4(), uuid.uuid4()


def plan(*actions, review=()):
    return {
        "goals": [{"text": "Rust thuis", "actions": list(actions)}],
        "family_part": "Papa kookt.",
        "review_dates": list(review),
    }


def action(org=A, due=D):
    return {"text": "Gesprek", "responsible_organisation_id": org, "due_on": due}


def test_plan_actions_belong_to_partners_of_the_network():
    assert plan_problems(plan(action()), {A, B}, D) == {}
    assert set(plan_problems(plan(action(), action(uuid.uuid4())), {A}, D)) == {
        "goals.0.actions.1.responsible_organisation_id"
    }
    # A plan written on the day D itself (a review date set on a later day is checked below).
    assert set(
        plan_problems(plan(action(due=D - dt.timedelta(days=1)), review=[D]), {A}, D, D)
    ) == {"goals.0.actions.0.due_on"}


def test_a_review_date_set_now_is_not_in_the_past_and_one_set_earlier_stays():
    later = D + dt.timedelta(days=60)
    past, ahead = D + dt.timedelta(days=30), D + dt.timedelta(days=90)
    assert set(plan_problems(plan(action(), review=[past, ahead]), {A}, D, later)) == {
        "review_dates.0"
    }
    # The review planned earlier (and held) is part of the plan's record, not a new date.
    kept = frozenset({past})
    assert plan_problems(plan(action(), review=[past, ahead]), {A}, D, later, kept=kept) == {}
    assert plan_problems(plan(action(), review=[later]), {A}, D, later) == {}


def test_what_changed_between_two_versions():
    first = plan(action())
    assert changes(None, first) == [{"path": "plan", "change": "created"}]
    assert changes(first, first) == []
    second = plan(action(B), action(), review=[D])
    assert changes(first, second) == [
        {"path": "review_dates", "change": "changed"},
        {
            "path": "goals.0.actions.0",
            "change": "changed",
            "fields": ["responsible_organisation_id"],
        },
        {"path": "goals.0.actions.1", "change": "added"},
    ]
    assert next_review(second, D) == D and next_review(second, D + dt.timedelta(days=1)) is None


# -- access -------------------------------------------------------------------------------------

NET, ELSEWHERE = str(uuid.uuid4()), str(uuid.uuid4())
ORG_A, ORG_B = str(uuid.uuid4()), str(uuid.uuid4())
CASE = CaseFacts(
    NET, referrer_id="ref", contact_points=frozenset({"cm"}), organisations=frozenset({ORG_A})
)


def who(person, roles, org=None, network=NET):
    return Principal(person, {network: frozenset(roles)}, {network: org} if org else {})


def test_who_sees_a_case():
    assert case_access(who("c", {"coordinator"}), CASE) == FULL
    assert case_access(who("cm", {"case_manager"}, ORG_B), CASE) == FULL
    assert case_access(who("w", {"family_coach"}, ORG_A), CASE) == FULL
    assert case_access(who("w", {"partner_worker"}, ORG_B), CASE) is None
    assert case_access(who("ref", {"referrer"}, ORG_B), CASE) == FOLLOW_UP
    # A referrer role at an involved organisation does not open the file.
    assert case_access(who("r2", {"referrer"}, ORG_A), CASE) is None
    assert case_access(who("a", {"network_admin", "iroj_viewer", "secretary"}), CASE) is None
    # Another network's coordinator has no role here at all.
    assert case_access(who("c", {"coordinator"}, network=ELSEWHERE), CASE) is None
    assert not who("c", {"coordinator"}, network=ELSEWHERE).in_network(NET)
    assert can_read_list(who("w", {"family_coach"}, ORG_A), NET, ORG_A)
    assert not can_read_list(who("w", {"family_coach"}, ORG_B), NET, ORG_A)
    assert not can_read_list(who("w", {"family_coach"}, ORG_A), NET, None)


def test_a_referrer_refers_across_the_region_and_follows_up_from_outside():
    other, far = str(uuid.uuid4()), str(uuid.uuid4())
    regions = {NET: "Limburg", other: "Limburg", far: "Antwerpen"}
    assert can_refer_from_region(who("r", {"referrer"}, network=other), NET, regions)
    assert not can_refer_from_region(who("r", {"coordinator"}, network=other), NET, regions)
    assert not can_refer_from_region(who("r", {"referrer"}, network=far), NET, regions)
    assert not can_refer_from_region(who("r", {"referrer"}, network=other), NET, {})
    outside = who("ref", {"referrer"}, network=other)
    assert case_access(outside, CASE) == FOLLOW_UP
    assert case_access(who("x", {"referrer"}, network=other), CASE) is None


# -- privacy ------------------------------------------------------------------------------------


def test_retention_and_anonymisation():
    assert retention_due(D, 30, D + dt.timedelta(days=30))
    assert not retention_due(D, 30, D + dt.timedelta(days=29))
    gone = anonymised_household(
        {
            "carers": [{"name": "Mieke"}],
            "children": [{"first_name": "Lotte", "birth_date": "2019-01-01"}],
        }
    )
    assert "Mieke" not in str(gone) and "Lotte" not in str(gone) and "2019" not in str(gone)
    assert len(gone["carers"]) == 1 and len(gone["children"]) == 1


def test_the_same_child_is_recognised_however_the_name_is_typed():
    key = b"k" * 32
    born = dt.date(2017, 3, 4)
    assert child_key(key, "Noor", born) == child_key(key, "  noor ", born)
    assert child_key(key, "Noor", born) != child_key(key, "Noor", dt.date(2017, 3, 5))
    assert child_key(key, "Noor", born) != child_key(b"o" * 32, "Noor", born)
