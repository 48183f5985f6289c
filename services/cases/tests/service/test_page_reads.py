"""The portal's pages in one call each: `coordinator_home` (the dashboard) and
`waiting_board` (the waiting-list board) answer what the single RPCs answer, in one
transaction, with one audit-log row naming every case the page shows."""

import pytest
from cases_world import Network, as_, onto_list, refer, seed
from verband_servicekit import CARER, years_ago

from cases.service import CasesService
from verband_common.errors import Forbidden, NotFound, ValidationFailed

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


def audit_rows(verband, world, action):
    return verband.sql(
        world.db_url,
        "SELECT actor, purpose, detail FROM audit_log WHERE action = %s ORDER BY id",
        (action,),
    )


@pytest.fixture
def busy(verband, world):
    """Network a: two families waiting (one 45 days, its contact overdue), one referral
    not yet triaged (26 days: near the month)."""
    a = world.a
    waiting = [refer(verband, a, household=household(n))["case_id"] for n in ("Ann", "Bert")]
    for case_id in waiting:
        onto_list(verband, a, case_id)
    backdate(verband, world, waiting[1], 45)
    received = refer(verband, a, household=household("Cas"))["case_id"]
    backdate(verband, world, received, 26)
    return {"waiting": waiting, "received": received}


def test_the_coordinators_home_is_the_dashboard_and_the_clocks_with_one_audit_row(
    verband, world, busy
):
    a = world.a
    with as_(verband, a.coordinator) as rpc:
        home = rpc.cases.coordinator_home(a.id)
        board, clocks = rpc.cases.dashboard(a.id), rpc.cases.pickup_clocks(a.id)
    assert home == {"board": board, "clocks": clocks}
    assert board["waiting"] == 2 and board["pickup"]["escalated"] == 1
    shown = {c["case_id"] for v in clocks.values() for c in v}
    assert shown == {busy["waiting"][1], busy["received"]}
    [row] = audit_rows(verband, world, "read_coordinator_home")
    assert row["actor"] == f"person:{a.coordinator}"
    assert row["purpose"] == "opvolging termijnen"
    assert set(row["detail"]["case_ids"]) == shown


def test_the_network_admin_gets_the_counts_without_cases_and_others_nothing(verband, world, busy):
    a, b = world.a, world.b
    with as_(verband, a.admin) as rpc:
        home = rpc.cases.coordinator_home(a.id)
    assert home["clocks"] is None and home["board"]["waiting"] == 2
    assert audit_rows(verband, world, "read_coordinator_home") == []
    for who in (a.referrer, a.coach_a):
        with as_(verband, who) as rpc, pytest.raises(Forbidden):
            rpc.cases.coordinator_home(a.id)
    with as_(verband, b.coordinator) as rpc, pytest.raises(NotFound):
        rpc.cases.coordinator_home(a.id)
    with as_(verband, a.coordinator) as rpc, pytest.raises(ValidationFailed) as refused:
        rpc.cases.coordinator_home("geen-id")
    assert "network_id" in refused.value.fields


def test_the_board_is_the_single_reads_in_one_call_with_one_audit_row(verband, world, busy):
    a = world.a
    with as_(verband, a.coordinator) as rpc:
        found = rpc.cases.waiting_board(a.id, a.offer, 50, 0, "wachtlijstbord")
        page = rpc.cases.waiting_list(a.offer, 50, 0)
        to_triage = rpc.cases.list_cases(a.id, {"status": "received"})
        returned = rpc.cases.list_cases(a.id, {"status": "returned"})
        clocks = rpc.cases.pickup_clocks(a.id)
        overdue = rpc.cases.overdue_contacts(a.id)
    assert found["board"] == page and found["board_problem"] is None
    assert [e["case_id"] for e in page["entries"]] == [busy["waiting"][1], busy["waiting"][0]]
    assert page["entries"][0]["family_name"] == CARER
    assert found["to_triage"] == to_triage and [c["id"] for c in to_triage] == [busy["received"]]
    assert found["returned"] == returned == []
    assert found["clocks"] == clocks and found["overdue"] == overdue
    assert [o["referral_id"] for o in overdue] == [busy["waiting"][1]]
    # one row for the whole board, naming each case it shows once
    [row] = audit_rows(verband, world, "read_waiting_board")
    assert row["actor"] == f"person:{a.coordinator}" and row["purpose"] == "wachtlijstbord"
    assert row["detail"]["offer_id"] == a.offer
    assert sorted(row["detail"]["case_ids"]) == sorted([*busy["waiting"], busy["received"]])
    # the admin finds the board's read when searching the log for one of its cases
    with as_(verband, a.admin) as rpc:
        log = rpc.cases.search_audit_log(a.id, {"case_id": busy["received"]})
    assert "read_waiting_board" in [e["action"] for e in log]


def test_a_list_the_reader_may_not_see_leaves_the_rest_of_the_board(verband, world, busy):
    a, b = world.a, world.b
    # a worker of the offer's provider: the list, no triage, no clocks
    with as_(verband, a.coach_a) as rpc:
        found = rpc.cases.waiting_board(a.id, a.offer)
    assert len(found["board"]["entries"]) == 2
    assert found["to_triage"] == [] and found["clocks"] == {"warning": [], "escalated": []}
    # a worker of another partner: no list (refused and logged as such), the rest stands
    with as_(verband, a.worker_b) as rpc:
        found = rpc.cases.waiting_board(a.id, a.offer)
    assert found["board"] is None and found["board_problem"]
    assert found["overdue"] == []
    denied = audit_rows(verband, world, "access_denied")
    assert denied and denied[-1]["detail"]["tried"] == "read_waiting_list"
    # another network's offer, a bad offer id or page: the board says so, the rest stands
    with as_(verband, a.coordinator) as rpc:
        for offer, offset in ((b.offer, 0), ("geen-id", 0), (a.offer, -1)):
            found = rpc.cases.waiting_board(a.id, offer, 50, offset)
            assert found["board"] is None and found["board_problem"], offer
            assert [c["id"] for c in found["to_triage"]] == [busy["received"]]
        # no offer chosen: no list, the rest of the board
        assert rpc.cases.waiting_board(a.id)["board"] is None
        with pytest.raises(ValidationFailed) as refused:
            rpc.cases.waiting_board(a.id, a.offer, 50, 0, "x" * 201)
        assert "purpose" in refused.value.fields
        with pytest.raises(ValidationFailed) as refused:
            rpc.cases.waiting_board("geen-id", a.offer)
        assert "network_id" in refused.value.fields
    # the referrer has no board at all
    with as_(verband, a.referrer) as rpc:
        found = rpc.cases.waiting_board(a.id, a.offer)
    assert found["board"] is None and found["overdue"] == [] and found["to_triage"] == []
