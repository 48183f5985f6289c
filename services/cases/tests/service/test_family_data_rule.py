"""The one access rule, RPC by RPC: every call that answers with a family's data (names,
birth dates, the question, consent, the plan, free text) answers only whoever the rule in
`cases.domain.access` names, decided case by case, also in lists. People of the network
whose role has no say in cases (the network admin, the secretary, the IROJ viewer) get no
family, not even through their organisation's offers; people of another network get
nothing at all. Every read is on the access log."""

import datetime as dt
import json
import uuid

import pytest
from cases_world import Network, as_, onto_list, refer, seed
from verband_servicekit import CARER, QUESTION, role_version, wait_until

from cases.service import CasesService
from verband_common.contracts import new_event
from verband_common.errors import Forbidden, NotFound

pytestmark = pytest.mark.service


class Extra:
    """People of network A beyond the world's: roles without a say in cases, placed in the
    organisation that provides the offers (so an organisation alone must not open a case)."""

    def __init__(self, net: Network):
        self.admin_a = str(uuid.uuid4())  # network admin working at org A
        self.secretary_a = str(uuid.uuid4())  # secretary at org A
        self.iroj = str(uuid.uuid4())  # IROJ viewer, no organisation
        self.grants = [
            (self.admin_a, "network_admin", net.org_a),
            (self.secretary_a, "secretary", net.org_a),
            (self.iroj, "iroj_viewer", None),
        ]


@pytest.fixture
def world(verband):
    cases = verband.start(CasesService)
    a, b = Network("1G1P Asse-Meise-Vilvoorde"), Network("RTJ Halle")
    seed(verband, cases, a, b)
    extra = Extra(a)
    for who, role, org in extra.grants:
        verband.publish(
            "partners",
            new_event(
                "partners",
                "role_granted",
                a.id,
                {
                    "person_id": who,
                    "role": role,
                    "organisation_id": org,
                    "role_version": role_version(),
                },
            ),
        )
    wait_until(
        lambda: verband.count(cases.db_url, "role_holders") == 12 + len(extra.grants),
        what="the extra roles applied",
    )
    # One family of A: referred, on the list of org A's offer, with a plan naming org A and
    # a warm contact overdue.
    case = refer(verband, a)["case_id"]
    onto_list(verband, a, case)
    with as_(verband, a.coordinator) as rpc:
        rpc.cases.update_plan(
            case,
            {
                "goals": [
                    {
                        "text": "Rust in huis.",
                        "actions": [
                            {
                                "text": "Wekelijks gesprek.",
                                "responsible_organisation_id": a.org_a,
                                "due_on": dt.date.today().isoformat(),
                            }
                        ],
                    }
                ],
                "family_part": "Mama plant de week.",
                "review_dates": [],
            },
        )
    verband.sql(
        cases.db_url,
        "UPDATE waiting_entries SET next_contact_due = current_date - 3 WHERE referral_id = %s",
        (case,),
    )
    entry = verband.sql(cases.db_url, "SELECT id::text FROM waiting_entries")[0]["id"]
    cases.a, cases.b, cases.extra, cases.case, cases.entry = a, b, extra, case, entry
    return cases


def reads(rpc, w):
    """Every read of one family's data, by the name the table below uses."""
    return {
        "get_case": lambda: rpc.cases.get_case(w.case),
        "get_plan": lambda: rpc.cases.get_plan(w.case),
        "plan_history": lambda: rpc.cases.plan_history(w.case),
        "explain_priority": lambda: rpc.cases.explain_priority(w.entry),
        "export_family": lambda: rpc.cases.export_family(w.case),
        "follow_up": lambda: rpc.cases.follow_up(w.case),
    }


FULL_READS = {"get_case", "get_plan", "plan_history", "explain_priority", "follow_up"}


def expected(w) -> dict:
    """person -> (reads answered, lists the family, names it on the offer's list, sees its
    overdue contact, offer's list: answer). The rule, written out by hand."""
    a, x = w.a, w.extra
    return {
        a.coordinator: (FULL_READS | {"export_family"}, True, True, True, "ok"),
        a.coach_a: (FULL_READS, True, True, True, "ok"),  # org A is involved
        a.referrer: ({"follow_up"}, True, None, False, Forbidden),  # follow-up only
        a.worker_b: (set(), False, None, False, Forbidden),  # org B not involved
        a.manager_b: (set(), False, None, False, Forbidden),
        a.admin: (set(), False, None, Forbidden, Forbidden),  # no organisation, no say
        x.admin_a: (set(), False, None, False, Forbidden),  # org A's, but no say in cases
        x.secretary_a: (set(), False, None, False, Forbidden),
        x.iroj: (set(), False, None, Forbidden, Forbidden),
    }


def test_each_read_of_a_family_follows_the_one_rule_for_every_role(verband, world):
    w = world
    for person, (answered, listed, named, overdue, board) in expected(w).items():
        with as_(verband, person) as rpc:
            for name, read in reads(rpc, w).items():
                if name in answered:
                    read()
                else:
                    with pytest.raises(Forbidden):
                        read()
            ids = [c["id"] for c in rpc.cases.list_cases(w.a.id)]
            assert (w.case in ids) is listed, (person, ids)
            if overdue is Forbidden:
                with pytest.raises(Forbidden):
                    rpc.cases.overdue_contacts(w.a.id)
            else:
                seen = [o["referral_id"] for o in rpc.cases.overdue_contacts(w.a.id)]
                assert (w.case in seen) is overdue, (person, seen)
            if board is Forbidden:
                with pytest.raises(Forbidden):
                    rpc.cases.waiting_list(w.a.offer)
            else:
                (entry,) = rpc.cases.waiting_list(w.a.offer)["entries"]
                assert (entry["family_name"] == CARER) is named


def test_another_network_gets_nothing_of_the_family(verband, world):
    w = world
    b = w.b
    for person in (b.coordinator, b.admin, b.coach_a, b.worker_b, b.referrer, b.manager_b):
        with as_(verband, person) as rpc:
            for read in reads(rpc, w).values():
                with pytest.raises(NotFound):
                    read()
            for read in (
                lambda: rpc.cases.list_cases(w.a.id),
                lambda: rpc.cases.waiting_list(w.a.offer),
                lambda: rpc.cases.overdue_contacts(w.a.id),
                lambda: rpc.cases.pickup_clocks(w.a.id),
                lambda: rpc.cases.dashboard(w.a.id),
                lambda: rpc.cases.search_audit_log(w.a.id),
            ):
                with pytest.raises(NotFound):
                    read()


def test_the_network_admin_handles_requests_without_reading_the_family(verband, world):
    """The access request's export holds the whole case: refused to the network admin (the
    refusal on the access log), answered to the coordinator. Legal hold and erasure are
    handled by the admin without any family data in the answer."""
    w = world
    for admin in (w.a.admin, w.extra.admin_a):
        with as_(verband, admin) as rpc:
            with pytest.raises(Forbidden):
                rpc.cases.export_family(w.case)
            hold = rpc.cases.set_legal_hold(w.case, {"on": True, "reason": "Onderzoek."})
            assert CARER not in json.dumps(hold) and QUESTION not in json.dumps(hold)
            rpc.cases.set_legal_hold(w.case, {"on": False, "reason": "Afgerond."})
    refused = verband.sql(
        w.db_url,
        "SELECT actor FROM audit_log WHERE action = 'access_denied' AND case_id = %s"
        " AND detail ->> 'tried' = 'export_family'",
        (w.case,),
    )
    assert {r["actor"] for r in refused} == {
        f"person:{w.a.admin}",
        f"person:{w.extra.admin_a}",
    }
    with as_(verband, w.a.coordinator) as rpc:
        export = rpc.cases.export_family(w.case)
    assert export["household"]["carers"][0]["name"] == CARER
    assert export["question"] == QUESTION


def test_every_list_read_is_on_the_access_log_with_the_cases_it_showed(verband, world):
    w = world
    with as_(verband, w.a.coach_a) as rpc:
        rpc.cases.list_cases(w.a.id)
        rpc.cases.waiting_list(w.a.offer)
        rpc.cases.overdue_contacts(w.a.id)
    with as_(verband, w.extra.admin_a) as rpc:
        rpc.cases.list_cases(w.a.id)
    rows = verband.sql(
        w.db_url,
        "SELECT actor, action, detail FROM audit_log WHERE actor = ANY(%s)",
        ([f"person:{w.a.coach_a}", f"person:{w.extra.admin_a}"],),
    )
    shown = {(r["actor"].split(":")[1], r["action"]): r["detail"]["case_ids"] for r in rows}
    coach, admin = w.a.coach_a, w.extra.admin_a
    assert shown[(coach, "list_cases")] == [w.case]
    assert shown[(coach, "read_waiting_list")] == [w.case]
    assert shown[(coach, "read_overdue_contacts")] == [w.case]
    assert shown[(admin, "list_cases")] == []  # nothing shown, and that is on record too


def test_anonymisation_removes_the_decision_that_came_back(verband, world):
    """A table's decision about a bottleneck case is free text about the family: erasure
    removes it, and a decision arriving after the erasure keeps its outcome only."""
    w = world
    with as_(verband, w.a.coordinator) as rpc:
        flagged = rpc.cases.flag_bottleneck(
            w.case, {"reason_category": "cooperation_stuck", "note": "Vastgelopen."}
        )
    said = "Mieke krijgt voorrang bij de thuisbegeleiding van de Kerkstraat."

    def decide():
        return new_event(
            "meetings",
            "decision_taken",
            w.a.id,
            {
                "meeting_id": str(uuid.uuid4()),
                "body_id": str(uuid.uuid4()),
                "body_kind": "kernteam",
                "decision_id": str(uuid.uuid4()),
                "item_id": str(uuid.uuid4()),
                "method": "consensus",
                "outcome": "adopted",
                "text": said,
                "objections": 0,
                "votes_for": None,
                "votes_against": None,
                "abstentions": None,
                "case_pseudonym": flagged["case_pseudonym"],
                "taken_on": dt.date.today().isoformat(),
            },
        )

    verband.publish("meetings", decide())
    wait_until(
        lambda: verband.count(w.db_url, "bottlenecks", "decision IS NOT NULL") == 1,
        what="the decision applied",
    )
    with as_(verband, w.a.coordinator) as rpc:
        assert rpc.cases.get_case(w.case)["bottlenecks"][0]["decision"]["text"] == said
        rpc.cases.erase_family(w.case, {"reason": "Vraag van het gezin."})
        flagged_again = rpc.cases.flag_bottleneck(
            w.case, {"reason_category": "cooperation_stuck", "note": ""}
        )
    assert flagged_again["case_pseudonym"] == flagged["case_pseudonym"]
    verband.publish("meetings", decide())
    wait_until(
        lambda: verband.count(w.db_url, "bottlenecks", "decision IS NOT NULL") == 2,
        what="the late decision applied",
    )
    stored = json.dumps(verband.sql(w.db_url, "SELECT note, decision FROM bottlenecks"))
    assert said not in stored and "Vastgelopen" not in stored
    assert stored.count('"outcome": "adopted"') == 2
