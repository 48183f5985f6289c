"""Nobody sees a case of another network, nor a case of their own network without a role on
it; the audit log records every read (who, when, what, why), searchable by the network
admin, and refused attempts too."""

import pytest
from cases_world import Network, as_, family, onto_list, refer, seed

from cases.service import CasesService
from verband_common.errors import Forbidden, NotFound, Unauthenticated

pytestmark = pytest.mark.service


@pytest.fixture
def world(verband):
    cases = verband.start(CasesService)
    a, b = Network("1G1P Asse-Meise-Vilvoorde"), Network("RTJ Halle")
    seed(verband, cases, a, b)
    cases.a, cases.b = a, b
    return cases


def test_without_an_actor_nothing_is_answered(verband, world):
    a = world.a
    case = refer(verband, a)["case_id"]
    with verband.rpc() as rpc:
        for call in (
            lambda: rpc.cases.get_case(case),
            lambda: rpc.cases.receive_referral(a.id, {}),
            lambda: rpc.cases.waiting_list(a.offer),
            lambda: rpc.cases.search_audit_log(a.id),
        ):
            with pytest.raises(Unauthenticated):
                call()


def test_another_network_never_sees_a_case(verband, world):
    a, b = world.a, world.b
    case = refer(verband, a)["case_id"]
    onto_list(verband, a, case)
    entry = verband.sql(world.db_url, "SELECT id::text FROM waiting_entries")[0]["id"]
    for outsider in (b.coordinator, b.admin, b.coach_a):
        with as_(verband, outsider) as rpc:
            for call in (
                lambda: rpc.cases.get_case(case),
                lambda: rpc.cases.follow_up(case),
                lambda: rpc.cases.get_plan(case),
                lambda: rpc.cases.waiting_list(a.offer),
                lambda: rpc.cases.explain_priority(entry),
                lambda: rpc.cases.export_family(case),
                lambda: rpc.cases.list_cases(a.id),
                lambda: rpc.cases.search_audit_log(a.id),
                lambda: rpc.cases.triage_referral(case, {"decision": "decline", "reason": "x"}),
            ):
                with pytest.raises(NotFound):
                    call()
    # B's coordinator lists B's cases: none of A's.
    with as_(verband, b.coordinator) as rpc:
        assert rpc.cases.list_cases(b.id) == []


def test_a_role_in_the_network_but_not_on_the_case_is_refused(verband, world):
    a = world.a
    case = refer(verband, a)["case_id"]
    onto_list(verband, a, case)  # the offer is org A's: org A's coach is now involved

    with as_(verband, a.worker_b) as rpc:  # org B is not involved
        with pytest.raises(Forbidden):
            rpc.cases.get_case(case)
        with pytest.raises(Forbidden):
            rpc.cases.waiting_list(a.offer)
        assert rpc.cases.list_cases(a.id) == []
    with as_(verband, a.admin) as rpc:  # administers the network, works on no case
        with pytest.raises(Forbidden):
            rpc.cases.get_case(case)

    with as_(verband, a.coach_a) as rpc:
        seen = rpc.cases.get_case(case)
        assert seen["household"]["carers"][0]["name"]
        assert [c["id"] for c in rpc.cases.list_cases(a.id)] == [case]
        assert rpc.cases.waiting_list(a.offer)["total"] == 1

    # The referrer follows up (who starts which help and when) but reads no case file.
    with as_(verband, a.referrer) as rpc:
        view = rpc.cases.follow_up(case)
        assert view["waiting"][0]["offer_title"] == "Gezinscoaching"
        assert view["waiting"][0]["organisation"] == "Gezinsondersteuning Asse"
        assert "triage" not in view and "reason" not in str(view)
        with pytest.raises(Forbidden):
            rpc.cases.get_case(case)
    # Someone else's referral is not theirs to follow.
    other = refer(verband, a)["case_id"]
    verband.sql(
        world.db_url, "UPDATE referrals SET referrer_id = gen_random_uuid() WHERE id = %s", (other,)
    )
    with as_(verband, a.referrer) as rpc, pytest.raises(Forbidden):
        rpc.cases.follow_up(other)

    # The case manager of org B becomes the contact point: now org B is involved as well.
    with as_(verband, a.coordinator) as rpc:
        rpc.cases.start_trajectory(case, {"case_manager_id": a.manager_b})
    with as_(verband, a.worker_b) as rpc:
        assert rpc.cases.get_case(case)["trajectories"][0]["case_manager_id"] == a.manager_b


def test_the_audit_log_records_every_read_and_is_searchable_by_the_admin(verband, world):
    a = world.a
    case = refer(verband, a)["case_id"]
    with as_(verband, a.coordinator) as rpc:
        rpc.cases.get_case(case, "voorbereiding kernteam")
        rpc.cases.get_case(case)
        onto_list(verband, a, case)
        rpc.cases.waiting_list(a.offer)
    with as_(verband, a.worker_b) as rpc, pytest.raises(Forbidden):
        rpc.cases.get_case(case)

    with as_(verband, a.coordinator) as rpc, pytest.raises(Forbidden):
        rpc.cases.search_audit_log(a.id)  # the coordinator is not the network admin
    with as_(verband, a.admin) as rpc:
        log = rpc.cases.search_audit_log(a.id, {"case_id": case})
    entries = [(e["actor"], e["action"], e["purpose"]) for e in reversed(log)]
    coordinator, worker = f"person:{a.coordinator}", f"person:{a.worker_b}"
    assert entries == [
        (f"person:{a.referrer}", "create_referral", "aanmelding"),
        (coordinator, "read_case", "voorbereiding kernteam"),
        (coordinator, "read_case", "begeleiding"),
        (coordinator, "triage", "triage"),
        (coordinator, "read_waiting_list", "wachtlijstbeheer"),
        (worker, "access_denied", "geweigerde toegang"),
    ]
    assert all(e["at"] and e["network_id"] == a.id for e in log)
    with as_(verband, a.admin) as rpc:
        reads = rpc.cases.search_audit_log(a.id, {"actor": coordinator, "action": "read_case"})
        assert len(reads) == 2
        # The search itself is on the record.
        assert rpc.cases.search_audit_log(a.id, {"action": "search_audit_log"})


def test_a_referrer_of_the_region_refers_to_another_networks_offer_and_follows_up(verband):
    cases = verband.start(CasesService)
    a, b = Network("1G1P Asse-Meise-Vilvoorde"), Network("RTJ Halle")
    far = Network("Kerngroep RTJ Limburg", region="Limburg")
    seed(verband, cases, a, b, far)
    with as_(verband, b.referrer) as rpc:
        receipt = rpc.cases.receive_referral(a.id, family(a))
        assert rpc.cases.follow_up(receipt["case_id"])["status"] == "received"
        with pytest.raises(Forbidden):
            rpc.cases.get_case(receipt["case_id"])
    # Only referrers: B's coordinator has no say in A, and Limburg is another region.
    with as_(verband, b.coordinator) as rpc, pytest.raises(NotFound):
        rpc.cases.receive_referral(a.id, family(a))
    with as_(verband, far.referrer) as rpc:
        with pytest.raises(NotFound):
            rpc.cases.receive_referral(a.id, family(a))
        with pytest.raises(NotFound):
            rpc.cases.follow_up(receipt["case_id"])
