"""Merging two records of one family (issue 14): a coordinator merges a record the
fingerprint did not join into the family's record; everything moves, the merge is logged, and
until a coordinator confirms it an undo puts every row back as it was."""

import datetime as dt
import uuid

import pytest
from cases_world import Network, as_, refer, seed
from verband_servicekit import years_ago

from cases.service import CasesService
from verband_common.errors import Conflict, Forbidden, NotFound, ValidationFailed

pytestmark = pytest.mark.service

REASON = "Zelfde moeder en adres; de naam van Lotte werd anders getypt."


@pytest.fixture
def world(verband):
    cases = verband.start(CasesService)
    a, b = Network("1G1P Asse"), Network("1G1P Leuven")
    seed(verband, cases, a, b)
    cases.a, cases.b = a, b
    return cases


def household(*children, carer):
    return {
        "carers": [{"name": carer}],
        "children": [{"first_name": n, "birth_date": d.isoformat()} for n, d in children],
    }


LOTTE = ("Lotte", years_ago(7))
LOTE = ("Lote", years_ago(7))  # the same girl, her name typed otherwise
JENS = ("Jens", years_ago(13))
NOOR = ("Noor", years_ago(2))


def plan(a, part):
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
        "family_part": part,
        "review_dates": [(dt.date.today() + dt.timedelta(days=30)).isoformat()],
    }


def family_of(verband, world, case_id) -> str:
    rows = verband.sql(world.db_url, "SELECT family_id FROM referrals WHERE id = %s", (case_id,))
    return str(rows[0]["family_id"])


def snapshot(verband, world, *family_ids) -> dict:
    """Every row that points to these families, whole (the journal through their cases)."""
    ids = list(family_ids)
    q = verband.sql
    db = world.db_url
    return {
        "families": q(db, "SELECT * FROM families WHERE id = ANY(%s::uuid[]) ORDER BY id", (ids,)),
        "referrals": q(
            db, "SELECT * FROM referrals WHERE family_id = ANY(%s::uuid[]) ORDER BY id", (ids,)
        ),
        "children": q(
            db,
            "SELECT * FROM children WHERE family_id = ANY(%s::uuid[]) ORDER BY child_key",
            (ids,),
        ),
        "plan_versions": q(
            db,
            "SELECT * FROM plan_versions WHERE family_id = ANY(%s::uuid[])"
            " ORDER BY family_id, version",
            (ids,),
        ),
        "journal": q(
            db,
            "SELECT j.* FROM journal_entries j JOIN referrals r ON r.id = j.referral_id"
            " WHERE r.family_id = ANY(%s::uuid[]) ORDER BY j.id",
            (ids,),
        ),
    }


@pytest.fixture
def two_records(verband, world):
    """One family in two records: A (Lotte, Jens; a plan of one version) and B (Lote, Noor,
    another carer; a plan of two versions and a journal line)."""
    a = world.a
    first = refer(verband, a, household=household(LOTTE, JENS, carer="Mieke Vermeulen"))
    second = refer(
        verband,
        a,
        household=household(LOTE, NOOR, carer="Karim El Idrissi"),
        contact={"phone": "0470 12 34 56"},
    )
    assert second["attached_to_family"] is False
    with as_(verband, a.coordinator) as rpc:
        rpc.cases.update_plan(first["case_id"], plan(a, "Mama brengt Lotte naar school."))
        rpc.cases.update_plan(second["case_id"], plan(a, "Papa belt de school."))
        rpc.cases.update_plan(
            second["case_id"], {**plan(a, "Papa belt de school elke week."), "based_on_version": 1}
        )
        rpc.cases.add_journal_entry(
            second["case_id"],
            {
                "occurred_at": dt.datetime.now(dt.UTC).isoformat(),
                "kind": "phone_call",
                "text": "Papa belde over Noor.",
            },
        )
    keep, merged = (
        family_of(verband, world, first["case_id"]),
        family_of(verband, world, second["case_id"]),
    )
    return first["case_id"], second["case_id"], keep, merged


def propose(verband, who, network_id, keep, merged, reason=REASON):
    with as_(verband, who) as rpc:
        return rpc.cases.propose_family_merge(
            network_id, {"keep_family_id": keep, "merge_family_id": merged, "reason": reason}
        )


def test_a_merge_moves_everything_and_an_undo_puts_every_row_back(verband, world, two_records):
    a = world.a
    case_a, case_b, keep, merged = two_records
    before = snapshot(verband, world, keep, merged)

    done = propose(verband, a.coordinator, a.id, keep, merged)
    assert done["status"] == "open" and done["case_ids"] == [case_b]
    assert done["keep"]["case_ids"] == [case_a, case_b] and done["merged"]["case_ids"] == []

    with as_(verband, a.coordinator) as rpc:
        # One record: found once, with both cases; no longer a likely duplicate.
        found = rpc.cases.search_families(a.id, {"name": "Lot", "purpose": "samenvoegen nakijken"})
        assert [f["case_ids"] for f in found] == [[case_a, case_b]]
        assert rpc.cases.likely_duplicates(a.id) == []
        # Both case pages show the one family: its carers and children (Lote is Lotte).
        for case in (case_a, case_b):
            view = rpc.cases.get_case(case)
            assert [c["name"] for c in view["household"]["carers"]] == [
                "Mieke Vermeulen",
                "Karim El Idrissi",
            ]
            assert [c["first_name"] for c in view["household"]["children"]] == [
                "Lotte",
                "Jens",
                "Noor",
            ]
            # The kept record's contact data stays; the other's fills what it lacked.
            assert view["contact"]["phone"] == "0470 12 34 56"
        # A's plan stays current; B's versions follow as history, numbered after A's.
        history = rpc.cases.plan_history(case_b)
        assert [v["version"] for v in history] == [1, 2, 3, 4]
        assert [v["plan"]["family_part"] for v in history] == [
            "Mama brengt Lotte naar school.",
            "Papa belt de school.",
            "Papa belt de school elke week.",
            "Mama brengt Lotte naar school.",
        ]
        assert rpc.cases.get_plan(case_b)["plan"]["family_part"].startswith("Mama")
        assert [j["text"] for j in rpc.cases.journal(case_b)] == ["Papa belde over Noor."]
        (listed,) = rpc.cases.family_merges(a.id)
        assert listed["id"] == done["id"] and listed["reason"] == REASON
    rows = snapshot(verband, world, keep, merged)
    assert {str(r["family_id"]) for r in rows["referrals"]} == {keep}
    assert {str(r["family_id"]) for r in rows["children"]} == {keep}
    assert len(rows["children"]) == len(before["children"])
    assert {str(r["family_id"]) for r in rows["plan_versions"]} == {keep}
    assert len({r["family_pseudonym"] for r in rows["referrals"]}) == 1
    # A referral of a child that only B knew now joins the one record.
    again = refer(verband, a, household=household(NOOR, carer="Karim El Idrissi"))
    assert (
        again["attached_to_family"] is True and family_of(verband, world, again["case_id"]) == keep
    )

    with as_(verband, a.coordinator) as rpc:
        undone = rpc.cases.undo_family_merge(done["id"])
        assert undone["status"] == "undone" and undone["merged"]["case_ids"] == [case_b]
        assert rpc.cases.family_merges(a.id) == []
        with pytest.raises(Conflict):
            rpc.cases.undo_family_merge(done["id"])
        with pytest.raises(Conflict):
            rpc.cases.confirm_family_merge(done["id"])
    after = snapshot(verband, world, keep, merged)
    # The referral that came during the merge stays with the kept record; all else as it was.
    after["referrals"] = [r for r in after["referrals"] if str(r["id"]) != again["case_id"]]
    assert after == before
    # Nothing of the family is kept once the merge is undone.
    (row,) = verband.sql(world.db_url, "SELECT moved FROM family_merges")
    assert row["moved"] is None
    with as_(verband, a.admin) as rpc:
        log = rpc.cases.search_audit_log(a.id, {"case_id": case_b})
    actions = [e["action"] for e in log]
    assert {"propose_family_merge", "undo_family_merge", "list_family_merges"} <= set(actions)
    (proposed,) = [e for e in log if e["action"] == "propose_family_merge"]
    assert proposed["purpose"] == REASON and proposed["detail"]["merge_id"] == done["id"]


def test_a_confirmed_merge_is_final_and_export_and_erasure_act_on_the_merged_record(
    verband, world, two_records
):
    a = world.a
    case_a, case_b, keep, merged = two_records
    done = propose(verband, a.coordinator, a.id, keep, merged)
    with as_(verband, a.admin) as rpc:
        # What an open merge holds to undo itself is not erased under it.
        with pytest.raises(Conflict):
            rpc.cases.erase_family(case_a, {"reason": "Verzoek van de moeder."})
    with as_(verband, a.coordinator) as rpc:
        confirmed = rpc.cases.confirm_family_merge(done["id"])
        assert confirmed["status"] == "confirmed"
        assert confirmed["decided_by"] == a.coordinator
        with pytest.raises(Conflict):
            rpc.cases.undo_family_merge(done["id"])
        with pytest.raises(Conflict):
            rpc.cases.confirm_family_merge(done["id"])
        assert rpc.cases.family_merges(a.id) == []
        export = rpc.cases.export_family(case_a)
    assert {c["name"] for c in export["household"]["carers"]} == {
        "Mieke Vermeulen",
        "Karim El Idrissi",
    }
    assert [v["version"] for v in export["plan_versions"]] == [1, 2, 3, 4]
    # The merged record is an empty shell: its data lives on in the kept record only.
    (shell,) = verband.sql(
        world.db_url,
        "SELECT household, contact, merged_into FROM families WHERE id = %s",
        (merged,),
    )
    assert "Karim" not in str(shell) and "Lote" not in str(shell)
    assert str(shell["merged_into"]) == keep
    with as_(verband, a.admin) as rpc:
        rpc.cases.erase_family(case_b, {"reason": "Verzoek van de moeder."})
    rows = snapshot(verband, world, keep, merged)
    assert {r["question"] for r in rows["referrals"]} == {"[geanonimiseerd]"}
    assert rows["children"] == []
    assert {r["text"] for r in rows["journal"]} == {""}
    for name in ("Mieke", "Karim", "Lotte", "Lote", "Noor", "0470"):
        assert name not in str(rows["families"]), name
    assert verband.sql(world.db_url, "SELECT reason, moved FROM family_merges") == [
        {"reason": "", "moved": None}
    ]


def test_merges_are_the_coordinators_of_the_network_and_bad_input_stores_nothing(
    verband, world, two_records
):
    a, b = world.a, world.b
    case_a, case_b, keep, merged = two_records
    elsewhere = family_of(
        verband,
        world,
        refer(verband, b, household=household(LOTTE, carer="Els Peeters"))["case_id"],
    )
    before = snapshot(verband, world, keep, merged, elsewhere)
    for outsider in (a.coach_a, a.admin, a.referrer):
        with pytest.raises(Forbidden):
            propose(verband, outsider, a.id, keep, merged)
    with pytest.raises(NotFound):
        propose(verband, b.coordinator, a.id, keep, merged)
    with as_(verband, a.coordinator) as rpc:
        for bad, field in (
            ({"keep_family_id": keep, "merge_family_id": merged}, "reason"),
            ({"keep_family_id": keep, "merge_family_id": merged, "reason": " "}, "reason"),
            ({"keep_family_id": keep, "merge_family_id": merged, "reason": "x" * 1001}, "reason"),
            (
                {"keep_family_id": "nee", "merge_family_id": merged, "reason": REASON},
                "keep_family_id",
            ),
            (
                {"keep_family_id": keep, "merge_family_id": keep, "reason": REASON},
                "merge_family_id",
            ),
            ({"merge_family_id": merged, "reason": REASON}, "keep_family_id"),
            ({"keep_family_id": keep, "merge_family_id": merged, "reason": REASON, "x": 1}, "x"),
        ):
            with pytest.raises(ValidationFailed) as refused:
                rpc.cases.propose_family_merge(a.id, bad)
            assert field in refused.value.fields, bad
        for keep_id, merge_id, field in (
            (keep, elsewhere, "merge_family_id"),
            (elsewhere, merged, "keep_family_id"),
            (keep, str(uuid.uuid4()), "merge_family_id"),
        ):
            with pytest.raises(NotFound) as refused:
                rpc.cases.propose_family_merge(
                    a.id,
                    {"keep_family_id": keep_id, "merge_family_id": merge_id, "reason": REASON},
                )
            assert field in refused.value.fields
        with pytest.raises(NotFound):
            rpc.cases.undo_family_merge(str(uuid.uuid4()))
        with pytest.raises(ValidationFailed):
            rpc.cases.confirm_family_merge("nee")
    assert snapshot(verband, world, keep, merged, elsewhere) == before
    assert verband.count(world.db_url, "family_merges") == 0
    with as_(verband, a.admin) as rpc:
        refused = rpc.cases.search_audit_log(a.id, {"action": "access_denied"})
    assert [e["detail"]["tried"] for e in refused].count("propose_family_merge") == 3

    # A record is merged away once; the kept one is not merged away while its merge is open.
    done = propose(verband, a.coordinator, a.id, keep, merged)
    third = family_of(
        verband, world, refer(verband, a, household=household(JENS, carer="An Claes"))["case_id"]
    )
    assert third == keep  # Jens is known: his record joins
    other = family_of(
        verband, world, refer(verband, a, household=household(NOOR, carer="Els"))["case_id"]
    )
    assert other == keep
    fresh = family_of(
        verband,
        world,
        refer(verband, a, household=household(("Mira", years_ago(4)), carer="Els"))["case_id"],
    )
    for keep_id, merge_id, field in (
        (fresh, merged, "merge_family_id"),
        (merged, fresh, "keep_family_id"),
        (fresh, keep, "merge_family_id"),
    ):
        with pytest.raises(Conflict) as refused:
            propose(verband, a.coordinator, a.id, keep_id, merge_id)
        assert field in refused.value.fields, (keep_id, merge_id)
    assert verband.count(world.db_url, "family_merges") == 1
    # Another network's coordinator does not see, undo or confirm it.
    with as_(verband, b.coordinator) as rpc:
        with pytest.raises(NotFound):
            rpc.cases.undo_family_merge(done["id"])
        with pytest.raises(NotFound):
            rpc.cases.family_merges(a.id)
    with as_(verband, a.coach_a) as rpc:
        with pytest.raises(Forbidden):
            rpc.cases.confirm_family_merge(done["id"])
    with as_(verband, a.coordinator) as rpc:
        # The gateway names the network of its path: another one finds no such merge.
        with pytest.raises(NotFound):
            rpc.cases.confirm_family_merge(done["id"], b.id)
        assert [m["id"] for m in rpc.cases.family_merges(a.id)] == [done["id"]]
