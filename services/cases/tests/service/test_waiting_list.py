"""The warm waiting list through the service: triage onto lists, the explainable order,
warm contacts and the overdue list, free places beside the list, the same child on several
lists, leaving with a reason, weights per network, the pickup clock."""

import datetime as dt

import pytest
from cases_world import Network, as_, onto_list, refer, seed
from verband_servicekit import CARER, wait_until, years_ago

from cases.service import CasesService
from verband_common.contracts import new_event

pytestmark = pytest.mark.service


@pytest.fixture
def world(verband):
    cases = verband.start(CasesService)
    a = Network("1G1P Asse-Meise-Vilvoorde")
    seed(verband, cases, a)
    cases.a = a
    return cases


def household(name, born):
    return {
        "carers": [{"name": f"{name} (ouder)"}],
        "children": [{"first_name": name, "birth_date": born.isoformat()}],
    }


def backdate(verband, world, case, days):
    """As if the referral came in `days` ago (the list counts days waiting from it)."""
    verband.sql(
        world.db_url,
        "UPDATE referrals SET received_at = received_at - make_interval(days => %s) WHERE id = %s",
        (days, case),
    )


def test_the_list_is_in_priority_order_and_says_why(verband, world):
    a = world.a
    quiet = refer(verband, a, concern="none", household=household("Ann", years_ago(5)))
    worried = refer(verband, a, concern="serious", household=household("Bert", years_ago(6)))
    multi = refer(
        verband,
        a,
        concern="some",
        life_domains=["housing", "income", "school"],
        household=household("Cas", years_ago(7)),
    )
    old = refer(verband, a, concern="none", household=household("Dirk", years_ago(8)))
    backdate(verband, world, old["case_id"], 40)
    for r in (quiet, worried, multi, old):
        onto_list(verband, a, r["case_id"])

    with as_(verband, a.coordinator) as rpc:
        page = rpc.cases.waiting_list(a.offer)
    names = [e["family_name"] for e in page["entries"]]
    # Dirk: 40 days; Cas: 10 (some) + 21 (3 domains) = 31; Bert: 20; Ann: 0.
    assert names == ["Dirk (ouder)", "Cas (ouder)", "Bert (ouder)", "Ann (ouder)"]
    assert [e["position"] for e in page["entries"]] == [1, 2, 3, 4]
    assert page["total"] == 4
    assert page["offer"]["free_places"] == 0 and page["offer"]["capacity"] == 10
    first = page["entries"][0]
    assert first["days_waiting"] == 40 and first["why"]["score"] == 40
    assert first["why"]["text"].startswith("Plaats 1: wacht 40 dagen")
    assert {c["factor"] for c in first["why"]["components"]} == {
        "waiting_days",
        "concern",
        "multiproblem",
        "urgency",
    }
    assert first["clock"]["state"] == "escalated"  # 40 days > the 30-day guideline
    assert page["entries"][3]["clock"]["state"] == "running"

    with as_(verband, a.coordinator) as rpc:
        second = rpc.cases.waiting_list(a.offer, 2, 1)
        assert [e["family_name"] for e in second["entries"]] == names[1:3]
        why = rpc.cases.explain_priority(page["entries"][2]["entry_id"])
        assert why["position"] == 3 and why["score"] == 20

    # The network weighs concern more now: the list reorders at once.
    verband.publish(
        "partners",
        new_event(
            "partners",
            "network_settings_changed",
            a.id,
            {
                "municipalities": ["23002", "23050", "23088"],
                "waiting_weights": {"waiting_days": 1.0, "concern": 50.0, "multiproblem": 7.0},
                "warm_contact_interval_days": 14,
                "pickup_guideline_days": 30,
                "targets": [],
            },
        ),
    )

    def reordered():
        with as_(verband, a.coordinator) as rpc:
            got = [e["family_name"] for e in rpc.cases.waiting_list(a.offer)["entries"]]
        return got if got[0] == "Bert (ouder)" else None

    # Bert: 100; Cas: 50 + 21 = 71; Dirk: 40; Ann: 0.
    assert wait_until(reordered, what="the new weights applied") == [
        "Bert (ouder)",
        "Cas (ouder)",
        "Dirk (ouder)",
        "Ann (ouder)",
    ]


def test_free_places_follow_partners_capacity_events(verband, world):
    a = world.a
    verband.publish(
        "partners",
        new_event(
            "partners",
            "capacity_changed",
            a.id,
            {
                "offer_id": a.offer,
                "capacity": 12,
                "free_places": 2,
                "previous_capacity": 10,
                "previous_free_places": 0,
                "status": "active",
                "can_start_from": "2026-12-01",
            },
        ),
    )

    def shown():
        with as_(verband, a.coordinator) as rpc:
            offer = rpc.cases.waiting_list(a.offer)["offer"]
        return offer if offer["free_places"] == 2 else None

    offer = wait_until(shown, what="free places shown")
    assert offer["capacity"] == 12 and offer["can_start_from"] == "2026-12-01"


def test_warm_contacts_set_the_next_due_date_and_the_overdue_list(verband, world):
    a = world.a
    r = refer(verband, a)
    backdate(verband, world, r["case_id"], 20)
    onto_list(verband, a, r["case_id"])
    entry = verband.sql(world.db_url, "SELECT id::text FROM waiting_entries")[0]["id"]
    # Added 20 days ago without contact since: two weeks passed, the contact is overdue.
    verband.sql(
        world.db_url,
        "UPDATE waiting_entries SET next_contact_due = %s",
        (dt.date.today() - dt.timedelta(days=6),),
    )
    with as_(verband, a.coordinator) as rpc:
        overdue = rpc.cases.overdue_contacts(a.id)
        assert [o["entry_id"] for o in overdue] == [entry]
        assert overdue[0]["days_overdue"] == 6
        assert overdue[0]["family_name"] == CARER  # who is to be called, not only where
    with as_(verband, a.coach_a) as rpc:  # the offer's own worker logs the call
        assert [o["entry_id"] for o in rpc.cases.overdue_contacts(a.id)] == [entry]
        day = dt.date.today() - dt.timedelta(days=2)
        contact = rpc.cases.log_warm_contact(
            entry,
            {
                "contact_on": day.isoformat(),
                "channel": "phone",
                "note": "Mama is ongerust, de oudste blijft thuis.",
            },
        )
        assert contact["next_contact_due"] == (day + dt.timedelta(days=14)).isoformat()
        assert contact["by_person"] == a.coach_a
        assert rpc.cases.overdue_contacts(a.id) == []
        rpc.cases.record_bridging(
            r["case_id"],
            {
                "kind": "group_offer",
                "organisation_id": a.org_b,
                "starts_on": dt.date.today().isoformat(),
                "note": "Oudergroep op woensdag.",
            },
        )
        seen = rpc.cases.get_case(r["case_id"])
    assert seen["warm_contacts"][0]["channel"] == "phone"
    assert seen["bridging"][0]["kind"] == "group_offer"
    assert seen["waiting"][0]["next_contact_due"] == contact["next_contact_due"]


def test_the_same_child_on_several_lists_is_shown(verband, world):
    a = world.a
    born = years_ago(9)
    first = refer(verband, a, household=household("Noor", born))
    # Referred again by someone else, name typed differently, for the other offer.
    again = refer(
        verband,
        a,
        household={
            "carers": [{"name": "Papa"}],
            "children": [{"first_name": " noor ", "birth_date": born.isoformat()}],
        },
    )
    other = refer(verband, a, household=household("Noor", years_ago(3)))
    onto_list(verband, a, first["case_id"], [a.offer])
    onto_list(verband, a, again["case_id"], [a.offer2])
    onto_list(verband, a, other["case_id"], [a.offer2])
    with as_(verband, a.coordinator) as rpc:
        listed = {e["case_id"]: e for e in rpc.cases.waiting_list(a.offer2)["entries"]}
    assert listed[again["case_id"]]["also_waiting_on"] == [
        {"offer_id": a.offer, "offer_title": "Gezinscoaching"}
    ]
    assert listed[other["case_id"]]["also_waiting_on"] == []


def test_a_child_referred_many_times_shows_each_other_list_once(verband, world):
    a = world.a
    born = years_ago(7)
    referred = [refer(verband, a, household=household("Lotte", born)) for _ in range(4)]
    for r in referred[:3]:
        onto_list(verband, a, r["case_id"], [a.offer2])
    onto_list(verband, a, referred[3]["case_id"], [a.offer, a.offer2])
    with as_(verband, a.coordinator) as rpc:
        board = rpc.cases.waiting_list(a.offer2)
        first = rpc.cases.waiting_list(a.offer)
    listed = {e["case_id"]: e for e in board["entries"]}
    # The list shown is no "other list"; the other offer once, however often the child waits.
    for r in referred:
        assert listed[r["case_id"]]["also_waiting_on"] == [
            {"offer_id": a.offer, "offer_title": "Gezinscoaching"}
        ]
    assert first["entries"][0]["also_waiting_on"] == [
        {"offer_id": a.offer2, "offer_title": board["offer"]["title"]}
    ]


def test_leaving_the_list_needs_a_reason_and_stops_nothing_else(verband, world):
    a = world.a
    r = refer(verband, a)
    onto_list(verband, a, r["case_id"], [a.offer, a.offer2])
    entries = verband.sql(world.db_url, "SELECT id::text, offer_id::text FROM waiting_entries")
    by_offer = {e["offer_id"]: e["id"] for e in entries}
    with as_(verband, a.coordinator) as rpc:
        rpc.cases.remove_from_waiting_list(
            by_offer[a.offer2], {"reason": "no_longer_needed", "note": "Tweede aanbod niet nodig."}
        )
        assert rpc.cases.waiting_list(a.offer2)["total"] == 0
        assert rpc.cases.waiting_list(a.offer)["total"] == 1
        case = rpc.cases.get_case(r["case_id"])
        assert case["status"] == "waiting"
        # Help starts for the first offer: the family leaves that list, the clock stops.
        rpc.cases.start_trajectory(
            r["case_id"], {"case_manager_id": a.coach_a, "offer_id": a.offer}
        )
        case = rpc.cases.get_case(r["case_id"])
    assert case["status"] == "started"
    assert case["clock"]["state"] == "stopped"
    assert {(w["offer_id"], w["removal_reason"]) for w in case["waiting"]} == {
        (a.offer, "started_here"),
        (a.offer2, "no_longer_needed"),
    }


def test_pickup_clocks_warn_before_and_escalate_after_the_guideline(verband, world):
    a = world.a
    fresh, near, late = (refer(verband, a)["case_id"] for _ in range(3))
    backdate(verband, world, near, 25)
    backdate(verband, world, late, 31)
    with as_(verband, a.coordinator) as rpc:
        clocks = rpc.cases.pickup_clocks(a.id)
    assert [c["case_id"] for c in clocks["warning"]] == [near]
    assert [c["case_id"] for c in clocks["escalated"]] == [late]
    assert clocks["escalated"][0]["days"] == 31
    assert clocks["escalated"][0]["family_name"] == CARER
    assert fresh not in str(clocks)
