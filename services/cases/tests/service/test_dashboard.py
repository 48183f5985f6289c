"""The coordinator's dashboard: waiting-list health per offer, the one-month clock, overdue
warm contacts, bottleneck cases and trajectories, as counts; only for the coordinator and the
network admin, and never a family's name."""

import datetime as dt
import json

import pytest
from cases_world import Network, as_, onto_list, refer, seed
from verband_servicekit import CARER, years_ago

from cases.service import CasesService
from verband_common.errors import Forbidden, NotFound, Unauthenticated, ValidationFailed

pytestmark = pytest.mark.service


@pytest.fixture
def world(verband):
    cases = verband.start(CasesService)
    a, b = Network("1G1P Asse-Meise-Vilvoorde"), Network("RTJ De Tafels", "Oost-Vlaanderen")
    seed(verband, cases, a, b)
    cases.a, cases.b = a, b
    return cases


def household(name):
    return {
        "carers": [{"name": CARER}],
        "children": [{"first_name": name, "birth_date": years_ago(6).isoformat()}],
    }


def backdate(verband, world, case_id, days):
    verband.sql(
        world.db_url,
        "UPDATE referrals SET received_at = received_at - make_interval(days => %s) WHERE id = %s",
        (days, case_id),
    )
    verband.sql(
        world.db_url,
        "UPDATE waiting_entries SET waiting_since = waiting_since - %s,"
        " next_contact_due = next_contact_due - %s WHERE referral_id = %s",
        (days, days, case_id),
    )


def test_the_dashboard_counts_waiting_clocks_and_bottlenecks(verband, world):
    a = world.a
    fresh = refer(verband, a, household=household("Ann"))
    long_waiting = refer(verband, a, household=household("Bert"))
    middle = refer(verband, a, household=household("Cas"))
    unanswered = refer(verband, a, household=household("Dirk"))
    started = refer(verband, a, household=household("Eva"))
    for r in (fresh, long_waiting, middle):
        onto_list(verband, a, r["case_id"])
    backdate(verband, world, long_waiting["case_id"], 45)
    backdate(verband, world, middle["case_id"], 20)
    backdate(verband, world, unanswered["case_id"], 26)
    with as_(verband, a.coordinator) as rpc:
        rpc.cases.start_trajectory(
            started["case_id"], {"case_manager_id": a.coach_a, "offer_id": a.offer2}
        )
        rpc.cases.flag_bottleneck(middle["case_id"], {"reason_category": "waiting_too_long"})
        board = rpc.cases.dashboard(a.id)

    assert board["network_id"] == a.id and board["guideline_days"] == 30
    assert board["as_of"] == dt.date.today().isoformat()
    by_title = {o["title"]: o for o in board["offers"]}
    coaching = by_title["Gezinscoaching"]
    assert coaching["waiting"] == 3
    assert coaching["longest_days"] == 45 and coaching["median_days"] == 20
    assert coaching["past_guideline"] == 1 and coaching["share_past_guideline"] == 0.333
    # the 45 days waiting family's next contact fell due long ago; the 20 days one's too
    assert coaching["contacts_overdue"] == 2 and board["contacts_overdue"] == 2
    assert by_title["Opvoedingsteun"]["waiting"] == 0
    assert by_title["Opvoedingsteun"]["median_days"] is None
    assert by_title["Opvoedingsteun"]["share_past_guideline"] is None
    assert board["waiting"] == 3
    # open referrals: the three waiting and the one unanswered; 26 days is the warning
    assert board["pickup"]["open"] == 4
    assert board["pickup"]["escalated"] == 1 and board["pickup"]["warning"] == 1
    assert board["pickup"]["longest_days"] == 45
    assert board["bottlenecks"] == {"open": 1, "decided": 0}
    assert board["trajectories"]["active"] == 1 and board["trajectories"]["started_this_year"] == 1
    assert board["referrals_this_year"] >= 1
    # counts only: no family's name travels on the dashboard
    assert CARER not in json.dumps(board) and "Bert" not in json.dumps(board)
    # nothing was read of any case, so nothing is written to the audit log
    logged = verband.sql(
        world.db_url, "SELECT count(*) AS n FROM audit_log WHERE action LIKE '%%dashboard%%'"
    )
    assert logged == [{"n": 0}]


def test_the_network_admin_sees_it_and_no_one_else_does(verband, world):
    a, b = world.a, world.b
    refer(verband, a)
    with as_(verband, a.admin) as rpc:
        assert rpc.cases.dashboard(a.id)["pickup"]["open"] == 1
    for who in (a.referrer, a.coach_a, a.worker_b):
        with as_(verband, who) as rpc, pytest.raises(Forbidden):
            rpc.cases.dashboard(a.id)
    # another network's coordinator: the network does not exist for them
    with as_(verband, b.coordinator) as rpc, pytest.raises(NotFound):
        rpc.cases.dashboard(a.id)
    with verband.rpc() as rpc, pytest.raises(Unauthenticated):
        rpc.cases.dashboard(a.id)


def test_a_bad_network_id_is_refused_naming_the_field(verband, world):
    with as_(verband, world.a.coordinator) as rpc, pytest.raises(ValidationFailed) as refused:
        rpc.cases.dashboard("geen-id")
    assert "network_id" in refused.value.fields
