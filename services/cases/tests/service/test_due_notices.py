"""The notices time passing raises (issue 14): the sweep finds the warm contacts, one-month
clocks and plan actions near or past their date and emits each once, however often and on
however many instances it runs; closed and anonymised cases are left alone; a bottleneck
decision names the case's contact point. The events carry no family data."""

import datetime as dt
import json

import eventlet
import pytest
from cases_world import Network, as_, onto_list, refer, seed
from nameko.testing.services import entrypoint_waiter
from verband_servicekit import years_ago

from cases import sweep as due_sweep
from cases.domain.due import NOTICE_LEAD_DAYS
from cases.service import CasesService
from verband_common.contracts import new_event

pytestmark = pytest.mark.service

KINDS = ("warm_contact_due", "pickup_guideline_due", "plan_action_due")


@pytest.fixture
def world(verband):
    cases = verband.start(CasesService)
    a = Network("1G1P Asse-Meise-Vilvoorde")
    seed(verband, cases, a)
    cases.a = a
    return cases


def household(name, born):
    return {
        "carers": [{"name": f"{name} Peeters"}],
        "children": [{"first_name": name, "birth_date": born.isoformat()}],
    }


def backdate(verband, world, case, days):
    verband.sql(
        world.db_url,
        "UPDATE referrals SET received_at = received_at - make_interval(days => %s) WHERE id = %s",
        (days, case),
    )


def contact_due(verband, world, case, on: dt.date):
    verband.sql(
        world.db_url,
        "UPDATE waiting_entries SET next_contact_due = %s WHERE referral_id = %s",
        (on, case),
    )


def emitted(verband, world) -> list[dict]:
    rows = verband.sql(
        world.db_url,
        "SELECT event_type, body FROM outbox WHERE event_type = ANY(%s) ORDER BY id",
        (list(KINDS) + ["bottleneck_decision_reached"],),
    )
    return [{"type": r["event_type"], **r["body"]} for r in rows]


def sweep(verband):
    with verband.rpc() as rpc:
        return rpc.cases.sweep_due_notices()


def plan_due(a, on: dt.date) -> dict:
    return {
        "goals": [
            {
                "text": "Dat Jens terug graag naar school gaat.",
                "actions": [
                    {
                        "text": "Gesprek met CLB",
                        "responsible_organisation_id": a.org_b,
                        "due_on": on.isoformat(),
                    }
                ],
            }
        ],
        "family_part": "Mama brengt Jens naar school.",
        "review_dates": [],
    }


def a_world_of_due_things(verband, world) -> dict:
    """A referral past the guideline, a family waiting whose contact is overdue, one whose
    contact nears, and a plan whose action nears its date."""
    a = world.a
    today = dt.date.today()
    late = refer(verband, a, household=household("Ann", years_ago(5)))["case_id"]
    backdate(verband, world, late, 40)
    overdue = refer(verband, a, household=household("Bert", years_ago(6)))["case_id"]
    onto_list(verband, a, overdue)
    contact_due(verband, world, overdue, today - dt.timedelta(days=3))
    nearing = refer(verband, a, household=household("Cas", years_ago(7)))["case_id"]
    onto_list(verband, a, nearing)
    contact_due(verband, world, nearing, today + dt.timedelta(days=NOTICE_LEAD_DAYS))
    far = refer(verband, a, household=household("Dirk", years_ago(8)))["case_id"]
    onto_list(verband, a, far)  # next contact in 14 days: not yet
    planned = refer(verband, a, household=household("Eva", years_ago(9)))["case_id"]
    with as_(verband, a.coordinator) as rpc:
        rpc.cases.start_trajectory(planned, {"case_manager_id": a.coach_a, "offer_id": a.offer})
    with as_(verband, a.coach_a) as rpc:
        rpc.cases.update_plan(planned, plan_due(a, today + dt.timedelta(days=1)))
    return {"late": late, "overdue": overdue, "nearing": nearing, "planned": planned}


def test_the_sweep_raises_each_due_notice_once_without_family_data(verband, world):
    a = world.a
    cases = a_world_of_due_things(verband, world)
    today = dt.date.today()

    first = sweep(verband)
    assert first == {
        "swept": True,
        "raised": {"warm_contact": 2, "pickup_guideline": 1, "plan_action": 1},
    }
    # Run again (the next hour, or an operator): nothing new.
    assert sweep(verband)["raised"] == {"warm_contact": 0, "pickup_guideline": 0, "plan_action": 0}

    events = emitted(verband, world)
    by = {(e["type"], e["referral_id"]): e for e in events}
    assert len(by) == len(events) == 4
    late = by[("pickup_guideline_due", cases["late"])]
    received = today - dt.timedelta(days=40)
    assert late["stage"] == "passed" and late["received_on"] == received.isoformat()
    assert late["due_on"] == (received + dt.timedelta(days=30)).isoformat()
    overdue = by[("warm_contact_due", cases["overdue"])]
    assert overdue["stage"] == "passed" and overdue["organisation_id"] == a.org_a
    assert overdue["offer_id"] == a.offer
    assert by[("warm_contact_due", cases["nearing"])]["stage"] == "nearing"
    action = by[("plan_action_due", cases["planned"])]
    assert action["stage"] == "nearing" and action["organisation_id"] == a.org_b
    assert all(e["network_id"] == a.id for e in events)
    # Family-free: no names, no words of the plan.
    text = json.dumps(events)
    for word in ("Peeters", "Ann", "Bert", "Jens", "CLB"):
        assert word not in text

    # Time passes: the nearing contact is now overdue, a new notice (once); a warm contact
    # logged moves the due date, so the next round is a new notice again, later.
    contact_due(verband, world, cases["nearing"], today - dt.timedelta(days=1))
    assert sweep(verband)["raised"]["warm_contact"] == 1
    assert sweep(verband)["raised"]["warm_contact"] == 0
    stages = [
        e["stage"]
        for e in emitted(verband, world)
        if e["type"] == "warm_contact_due" and e["referral_id"] == cases["nearing"]
    ]
    assert stages == ["nearing", "passed"]


def test_two_instances_sweeping_at_once_raise_each_notice_once(verband, world):
    a_world_of_due_things(verband, world)
    verband.start(CasesService, db_url=world.db_url)
    # Several rounds at once over both instances: some skip (another is sweeping), the
    # others find everything raised already; together they raise each notice once.
    rounds = [eventlet.spawn(sweep, verband) for _ in range(6)]
    answers = [r.wait() for r in rounds]
    raised = {}
    for answer in answers:
        for kind, n in (answer.get("raised") or {}).items():
            raised[kind] = raised.get(kind, 0) + n
    assert raised == {"warm_contact": 2, "pickup_guideline": 1, "plan_action": 1}
    assert len(emitted(verband, world)) == 4
    assert verband.count(world.db_url, "due_notices") == 4


def test_without_the_lock_the_table_alone_still_raises_each_notice_once(
    verband, world, monkeypatch
):
    # Were the advisory lock lost (a connection pooler that drops it, say), concurrent
    # sweeps would all run: the primary key of due_notices lets one insert through.
    monkeypatch.setattr(due_sweep, "first_sweeper", lambda tx: True)
    a_world_of_due_things(verband, world)
    verband.start(CasesService, db_url=world.db_url)
    answers = [r.wait() for r in [eventlet.spawn(sweep, verband) for _ in range(6)]]
    assert all(answer["swept"] for answer in answers)
    assert len(emitted(verband, world)) == 4
    assert verband.count(world.db_url, "due_notices") == 4


def test_closed_declined_and_erased_cases_are_not_swept(verband, world):
    a = world.a
    today = dt.date.today()
    declined = refer(verband, a, household=household("Fien", years_ago(4)))["case_id"]
    backdate(verband, world, declined, 40)
    erased = refer(verband, a, household=household("Gust", years_ago(3)))["case_id"]
    backdate(verband, world, erased, 40)
    onto_list(verband, a, erased)
    contact_due(verband, world, erased, today - dt.timedelta(days=5))
    with as_(verband, a.coordinator) as rpc:
        rpc.cases.triage_referral(
            declined, {"decision": "decline", "reason": "Geen vraag naar hulp meer."}
        )
    with as_(verband, a.admin) as rpc:
        rpc.cases.erase_family(erased, {"reason": "Vraag van de moeder."})

    assert sweep(verband)["raised"] == {"warm_contact": 0, "pickup_guideline": 0, "plan_action": 0}
    assert emitted(verband, world) == []


def decision(a, case_pseudonym) -> dict:
    return new_event(
        "meetings",
        "decision_taken",
        a.id,
        {
            "meeting_id": "6f0c1b1e-0000-4000-8000-000000000001",
            "body_id": "6f0c1b1e-0000-4000-8000-000000000002",
            "body_kind": "kernteam",
            "decision_id": "6f0c1b1e-0000-4000-8000-000000000003",
            "item_id": "6f0c1b1e-0000-4000-8000-000000000004",
            "method": "consensus",
            "outcome": "adopted",
            "text": "Tijdelijk extra uren gezinscoaching inzetten voor Jens.",
            "objections": 0,
            "votes_for": None,
            "votes_against": None,
            "abstentions": None,
            "case_pseudonym": case_pseudonym,
            "taken_on": dt.date.today().isoformat(),
        },
    )


def test_a_bottleneck_decision_names_the_contact_point_and_not_its_words(verband, world):
    a = world.a
    case = refer(verband, a)["case_id"]
    with as_(verband, a.coordinator) as rpc:
        rpc.cases.start_trajectory(case, {"case_manager_id": a.coach_a, "offer_id": a.offer})
        flagged = rpc.cases.flag_bottleneck(
            case, {"reason_category": "no_capacity", "note": "Niemand kan starten voor maart."}
        )
    event = decision(a, flagged["case_pseudonym"])
    with entrypoint_waiter(world, "on_decision_taken", timeout=15):
        verband.publish("meetings", event)
    # Redelivered: told once.
    with entrypoint_waiter(world, "on_decision_taken", timeout=15):
        verband.publish("meetings", event)
    [told] = emitted(verband, world)
    assert told["type"] == "bottleneck_decision_reached"
    assert told["referral_id"] == case and told["contact_point_id"] == a.coach_a
    assert told["outcome"] == "adopted" and "Jens" not in json.dumps(told)


def test_a_bottleneck_decision_without_a_contact_point_goes_out_without_one(verband, world):
    a = world.a
    case = refer(verband, a)["case_id"]
    with as_(verband, a.coordinator) as rpc:
        flagged = rpc.cases.flag_bottleneck(
            case, {"reason_category": "no_suitable_offer", "note": "Geen aanbod in de buurt."}
        )
    with entrypoint_waiter(world, "on_decision_taken", timeout=15):
        verband.publish("meetings", decision(a, flagged["case_pseudonym"]))
    [told] = emitted(verband, world)
    assert told["referral_id"] == case and told["contact_point_id"] is None
