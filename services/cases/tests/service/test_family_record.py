"""One family, one record within a network: a referral of a child the network knows joins
that family's record (one plan, one history); another network never matches. The
coordinator searches records with a purpose (logged with what it returned) and sees likely
duplicates."""

import datetime as dt

import pytest
from cases_world import Network, as_, refer, seed
from verband_servicekit import years_ago

from cases.service import CasesService
from verband_common.errors import Forbidden, NotFound, ValidationFailed

pytestmark = pytest.mark.service


@pytest.fixture
def world(verband):
    cases = verband.start(CasesService)
    a, b = Network("1G1P Asse"), Network("1G1P Leuven")
    seed(verband, cases, a, b)
    cases.a, cases.b = a, b
    return cases


def household(*children, carer="Mieke Vermeulen-Janssens"):
    return {
        "carers": [{"name": carer}],
        "children": [{"first_name": n, "birth_date": d.isoformat()} for n, d in children],
    }


LOTTE = ("Lotte", years_ago(7))
JENS = ("Jens", years_ago(13))
NOOR = ("Noor", years_ago(2))


def plan(a):
    return {
        "goals": [
            {
                "text": "Lotte gaat graag naar school.",
                "actions": [
                    {
                        "text": "Gesprek met het CLB",
                        "responsible_organisation_id": a.org_a,
                        "due_on": (dt.date.today() + dt.timedelta(days=14)).isoformat(),
                    }
                ],
            }
        ],
        "family_part": "Mama brengt Lotte naar school.",
        "review_dates": [(dt.date.today() + dt.timedelta(days=30)).isoformat()],
    }


def test_a_known_child_referred_again_joins_the_familys_record_and_its_one_plan(verband, world):
    a, b = world.a, world.b
    first = refer(verband, a, household=household(LOTTE, JENS))
    assert first["attached_to_family"] is False
    with as_(verband, a.coordinator) as rpc:
        rpc.cases.update_plan(first["case_id"], plan(a))
    # The same Lotte (her name typed otherwise), with a new baby sister, a new phone number.
    again = refer(
        verband,
        a,
        household=household((" lotte ", LOTTE[1]), NOOR, carer="Karim El Idrissi"),
        contact={"phone": "0470 12 34 56"},
    )
    assert again["attached_to_family"] is True
    assert verband.count(world.db_url, "families", "network_id = %s", (a.id,)) == 1
    with as_(verband, a.coordinator) as rpc:
        shared = rpc.cases.get_plan(again["case_id"])
        assert shared["version"] == 1 and shared["plan"]["family_part"].startswith("Mama")
        # A new version through the second referral is the family's next version.
        second = rpc.cases.update_plan(again["case_id"], {**plan(a), "based_on_version": 1})
        assert second["version"] == 2
        assert rpc.cases.get_plan(first["case_id"])["version"] == 2
        case = rpc.cases.get_case(again["case_id"])
    names = [c["first_name"] for c in case["household"]["children"]]
    assert names == ["Lotte", "Jens", "Noor"]
    assert [c["name"] for c in case["household"]["carers"]] == [
        "Mieke Vermeulen-Janssens",
        "Karim El Idrissi",
    ]
    assert case["contact"]["phone"] == "0470 12 34 56"
    # The same child in another network is another network's family: never matched.
    elsewhere = refer(verband, b, household=household(LOTTE, JENS))
    assert elsewhere["attached_to_family"] is False
    assert verband.count(world.db_url, "families", "network_id = %s", (b.id,)) == 1


def test_the_coordinator_searches_families_with_a_purpose_that_is_logged(verband, world):
    a, b = world.a, world.b
    lotte = refer(verband, a, household=household(LOTTE, JENS))
    refer(verband, a, household=household(NOOR, carer="Els Peeters"), municipality="23050")
    refer(verband, b, household=household(LOTTE, JENS))
    purpose = "Telefoon van de school over Lotte"
    with as_(verband, a.coordinator) as rpc:
        found = rpc.cases.search_families(a.id, {"name": "vermeulen", "purpose": purpose})
        assert [f["case_ids"] for f in found] == [[lotte["case_id"]]]
        assert found[0]["children"][0] == {
            "first_name": "Lotte",
            "birth_date": LOTTE[1].isoformat(),
        }
        by_birth = rpc.cases.search_families(
            a.id, {"birth_date": NOOR[1].isoformat(), "purpose": purpose}
        )
        assert [f["carers"] for f in by_birth] == [["Els Peeters"]]
        assert rpc.cases.search_families(a.id, {"name": "%e", "purpose": purpose}) == []
        for bad, field in (
            ({"purpose": purpose}, "name"),  # no criterion
            ({"name": "Lotte"}, "purpose"),
            ({"name": "Lotte", "purpose": "x" * 301}, "purpose"),
            ({"name": "L", "purpose": purpose}, "name"),
            ({"municipality": "Asse", "purpose": purpose}, "municipality"),
        ):
            with pytest.raises(ValidationFailed) as refused:
                rpc.cases.search_families(a.id, bad)
            assert field in refused.value.fields, bad
    for outsider in (a.coach_a, a.referrer):
        with as_(verband, outsider) as rpc:
            with pytest.raises(Forbidden):
                rpc.cases.search_families(a.id, {"name": "Lotte", "purpose": purpose})
    with as_(verband, b.coordinator) as rpc:
        with pytest.raises(NotFound):
            rpc.cases.search_families(a.id, {"name": "Lotte", "purpose": purpose})
    with as_(verband, a.admin) as rpc:
        log = rpc.cases.search_audit_log(a.id, {"action": "search_families"})
        # Found again by the case the search returned.
        by_case = rpc.cases.search_audit_log(a.id, {"case_id": lotte["case_id"]})
    first = log[-1]
    assert first["purpose"] == purpose and first["actor"] == f"person:{a.coordinator}"
    assert first["detail"]["criteria"] == {"name": "vermeulen"}
    assert first["detail"]["case_ids"] == [lotte["case_id"]]
    assert "search_families" in {e["action"] for e in by_case}


def test_likely_duplicates_are_listed_for_the_coordinator(verband, world):
    a = world.a
    one = refer(verband, a, household=household(LOTTE))
    two = refer(verband, a, household=household(("Lote", LOTTE[1]), carer="Mieke Vermeulen"))
    refer(verband, a, household=household(("Lisa", LOTTE[1]), carer="An Claes"))
    with as_(verband, a.coordinator) as rpc:
        pairs = rpc.cases.likely_duplicates(a.id)
    assert len(pairs) == 1 and pairs[0]["names"] == ["Lote", "Lotte"]
    assert sorted(c for r in pairs[0]["records"] for c in r["case_ids"]) == sorted(
        [one["case_id"], two["case_id"]]
    )
    with as_(verband, a.coach_a) as rpc:
        with pytest.raises(Forbidden):
            rpc.cases.likely_duplicates(a.id)
    with as_(verband, a.admin) as rpc:
        (logged,) = rpc.cases.search_audit_log(a.id, {"action": "list_likely_duplicates"})
    assert sorted(logged["detail"]["case_ids"]) == sorted([one["case_id"], two["case_id"]])
