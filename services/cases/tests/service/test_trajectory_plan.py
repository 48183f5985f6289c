"""Trajectories with one contact point, the one plan with every version kept, bottleneck
cases with the meeting's decision recorded back, urgent and dangerous referrals."""

import datetime as dt
import uuid

import pytest
from cases_world import Network, as_, refer, seed
from nameko.testing.services import entrypoint_waiter

from cases.service import CasesService
from verband_common.contracts import new_event
from verband_common.errors import Conflict, ValidationFailed

pytestmark = pytest.mark.service


@pytest.fixture
def world(verband):
    cases = verband.start(CasesService)
    a = Network("1G1P Asse-Meise-Vilvoorde")
    seed(verband, cases, a)
    cases.a = a
    return cases


def test_a_trajectory_from_start_to_closing_and_reopening(verband, world):
    a = world.a
    case = refer(verband, a)["case_id"]
    with as_(verband, a.coordinator) as rpc:
        t = rpc.cases.triage_referral(
            case,
            {
                "decision": "start_now",
                "reason": "Plaats vrij.",
                "offer_id": a.offer,
                "case_manager_id": a.coach_a,
            },
        )
        assert t["status"] == "started"
        trajectory = rpc.cases.get_case(case)["trajectories"][0]
        tid = trajectory["id"]
        assert trajectory["case_manager_id"] == a.coach_a and trajectory["status"] == "active"
        with pytest.raises(Conflict):
            rpc.cases.start_trajectory(case, {"case_manager_id": a.coach_a})

        rpc.cases.change_contact_point(
            tid, {"case_manager_id": a.manager_b, "reason": "Gezin verhuisde naar Halle."}
        )
        rpc.cases.set_trajectory_status(tid, {"status": "paused", "reason": "Ziekenhuisopname."})
        rpc.cases.set_trajectory_status(tid, {"status": "active", "reason": "Terug thuis."})
        with pytest.raises(ValidationFailed) as refused:
            rpc.cases.close_trajectory(tid, {"outcome": "flow_through"})
        assert set(refused.value.fields) == {"flow_to"}
        closed = rpc.cases.close_trajectory(tid, {"outcome": "flow_through", "flow_to": "nrtj"})
        assert closed["status"] == "closed" and closed["outcome"] == "flow_through"
        reopened = rpc.cases.reopen_trajectory(tid, {"reason": "Nieuwe crisis thuis."})
        assert reopened["status"] == "active" and reopened["outcome"] is None
        history = rpc.cases.get_case(case)["trajectories"][0]["history"]
    assert [h["change"] for h in history] == [
        "started",
        "contact_point_changed",
        "paused",
        "active",
        "closed",
        "reopened",
    ]
    assert history[1]["detail"] == {
        "from": a.coach_a,
        "to": a.manager_b,
        "reason": "Gezin verhuisde naar Halle.",
    }
    assert all(h["by_person"] == a.coordinator for h in history)


def plan(a, goals=None, **extra):
    today = dt.date.today()
    return {
        "goals": goals
        or [
            {
                "text": "Dat Jens terug graag naar school gaat.",
                "actions": [
                    {
                        "text": "Gesprek met CLB",
                        "responsible_organisation_id": a.org_a,
                        "due_on": (today + dt.timedelta(days=14)).isoformat(),
                    }
                ],
            },
        ],
        "family_part": "Mama brengt Jens elke ochtend tot aan de schoolpoort.",
        "review_dates": [(today + dt.timedelta(days=30)).isoformat()],
        **extra,
    }


def test_one_plan_per_family_every_version_kept_with_who_changed_what(verband, world):
    a = world.a
    case = refer(verband, a)["case_id"]
    with as_(verband, a.coordinator) as rpc:
        rpc.cases.start_trajectory(case, {"case_manager_id": a.coach_a, "offer_id": a.offer})
    with as_(verband, a.coach_a) as rpc:
        first = rpc.cases.update_plan(case, plan(a))
        assert first["version"] == 1 and first["changes"] == [{"path": "plan", "change": "created"}]
        goals = plan(a)["goals"] + [
            {
                "text": "Rust in huis 's avonds.",
                "actions": [
                    {
                        "text": "Budgetbegeleiding",
                        "responsible_organisation_id": a.org_b,
                        "due_on": dt.date.today().isoformat(),
                    }
                ],
            }
        ]
        second = rpc.cases.update_plan(case, plan(a, goals=goals, based_on_version=1))
        assert second["version"] == 2
        assert second["changes"] == [{"path": "goals.1", "change": "added"}]
        # Someone working on version 1 still: refused, nothing lost.
        with pytest.raises(Conflict):
            rpc.cases.update_plan(case, plan(a, based_on_version=1))
        history = rpc.cases.plan_history(case)
        assert [v["version"] for v in history] == [1, 2]
        assert all(v["author_id"] == a.coach_a for v in history)
        # Stored as given, each action with its status ("planned" unless said otherwise).
        stored = rpc.cases.get_plan(case, 1)["plan"]["goals"]
        assert stored == [
            {**g, "actions": [{**x, "status": "planned"} for x in g["actions"]]}
            for g in plan(a)["goals"]
        ]
    # Org B has a plan action now: its worker works on the case.
    with as_(verband, a.worker_b) as rpc:
        assert rpc.cases.get_plan(case)["version"] == 2


def test_a_bottleneck_goes_out_by_pseudonym_and_the_decision_comes_back(verband, world):
    a = world.a
    case = refer(verband, a)["case_id"]
    with as_(verband, a.coordinator) as rpc:
        flagged = rpc.cases.flag_bottleneck(
            case, {"reason_category": "no_capacity", "note": "Niemand kan starten voor maart."}
        )
    body = verband.sql(
        world.db_url, "SELECT body FROM outbox WHERE event_type = 'bottleneck_flagged'"
    )[0]["body"]
    assert body["case_pseudonym"] == flagged["case_pseudonym"]
    assert body["reason_category"] == "no_capacity" and "maart" not in str(body)

    decision = new_event(
        "meetings",
        "decision_taken",
        a.id,
        {
            "meeting_id": str(uuid.uuid4()),
            "body_id": str(uuid.uuid4()),
            "body_kind": "kernteam",
            "decision_id": str(uuid.uuid4()),
            "item_id": str(uuid.uuid4()),
            "method": "consensus",
            "outcome": "adopted",
            "text": "Tijdelijk extra uren gezinscoaching inzetten.",
            "objections": 0,
            "votes_for": None,
            "votes_against": None,
            "abstentions": None,
            "case_pseudonym": flagged["case_pseudonym"],
            "taken_on": dt.date.today().isoformat(),
        },
    )
    with entrypoint_waiter(world, "on_decision_taken", timeout=15):
        verband.publish("meetings", decision)
    with as_(verband, a.coordinator) as rpc:
        recorded = rpc.cases.get_case(case)["bottlenecks"][0]["decision"]
    assert recorded["text"] == "Tijdelijk extra uren gezinscoaching inzetten."
    assert recorded["body_kind"] == "kernteam"


def test_urgent_and_dangerous_alerts_the_coordinator_and_shows_the_crisis_agreement(verband, world):
    a = world.a
    agreement = new_event(
        "partners",
        "agreement_recorded",
        a.id,
        {
            "agreement_id": str(uuid.uuid4()),
            "kind": "crisis_point",
            "organisation_ids": [a.org_b],
            "starts_on": "2025-01-01",
            "ends_on": None,
            "agreed_number": 10,
            "status": "active",
        },
    )
    with entrypoint_waiter(world, "on_agreement_recorded", timeout=15):
        verband.publish("partners", agreement)
    receipt = refer(verband, a, urgency="urgent_dangerous")
    assert receipt["urgency"] == "urgent_dangerous"
    assert receipt["crisis_agreements"][0]["parties"] == ["CAW Halle"]
    alerts = verband.sql(
        world.db_url, "SELECT body FROM outbox WHERE event_type = 'crisis_alert_raised'"
    )
    assert len(alerts) == 1 and alerts[0]["body"]["referral_id"] == receipt["referral_id"]
    with as_(verband, a.coordinator) as rpc:
        triaged = rpc.cases.triage_referral(
            receipt["case_id"],
            {"decision": "refer_on", "refer_to": "crisis_point", "reason": "Acuut onveilig thuis."},
        )
    assert triaged["status"] == "referred_on"
    assert triaged["crisis_agreements"] == receipt["crisis_agreements"]
