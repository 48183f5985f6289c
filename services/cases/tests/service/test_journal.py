"""The case journal: contacts and notes written and read by the family's workers under the
one access rule, every read in the access log, a line never edited (a correction is a new
line naming the old one)."""

import datetime as dt

import pytest
from cases_world import Network, as_, refer, seed

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


def moment(**ago) -> str:
    return (dt.datetime.now(dt.UTC) - dt.timedelta(**ago)).isoformat()


def entry(**overrides) -> dict:
    return {
        "occurred_at": moment(hours=2),
        "kind": "home_visit",
        "text": "Huisbezoek: mama vertelt dat Jens weer naar school gaat.",
        **overrides,
    }


def test_the_family_workers_write_and_read_the_journal_and_every_read_is_logged(verband, world):
    a = world.a
    case = refer(verband, a)["case_id"]
    with as_(verband, a.coach_a) as rpc:  # works for the offer the family was referred to
        first = rpc.cases.add_journal_entry(case, entry())
        assert first["author_id"] == a.coach_a and first["kind"] == "home_visit"
        assert first["case_id"] == case and first["corrects_id"] is None
    with as_(verband, a.coordinator) as rpc:
        fix = rpc.cases.add_journal_entry(
            case,
            entry(
                kind="note",
                text="Verbetering: het was Lotte, niet Jens.",
                occurred_at=moment(hours=1),
                corrects_id=first["id"],
            ),
        )
        lines = rpc.cases.journal(case, "teamoverleg")
    # Newest contact first; the old line stays as it was and names its correction.
    assert [line["id"] for line in lines] == [fix["id"], first["id"]]
    assert lines[1]["text"] == entry()["text"] and lines[1]["corrected_by"] == fix["id"]
    assert lines[0]["corrects_id"] == first["id"] and lines[0]["author_id"] == a.coordinator
    with as_(verband, a.admin) as rpc:
        log = rpc.cases.search_audit_log(a.id, {"case_id": case})
    done = [(e["actor"], e["action"], e["purpose"]) for e in log]
    assert (f"person:{a.coordinator}", "read_journal", "teamoverleg") in done
    assert sum(1 for _, action, _ in done if action == "add_journal_entry") == 2


def test_no_one_outside_the_case_reads_or_writes_its_journal(verband, world):
    a, b = world.a, world.b
    case = refer(verband, a)["case_id"]
    with as_(verband, a.coach_a) as rpc:
        rpc.cases.add_journal_entry(case, entry())
    # A worker of a partner not involved in the case, and the referrer (follow-up only).
    for outsider in (a.worker_b, a.referrer):
        with as_(verband, outsider) as rpc:
            with pytest.raises(Forbidden):
                rpc.cases.journal(case)
            with pytest.raises(Forbidden):
                rpc.cases.add_journal_entry(case, entry())
    # Another network's coordinator does not learn that the case exists.
    with as_(verband, b.coordinator) as rpc:
        with pytest.raises(NotFound):
            rpc.cases.journal(case)
    with as_(verband, a.coach_a) as rpc:
        assert len(rpc.cases.journal(case)) == 1
    with as_(verband, a.admin) as rpc:
        refused = rpc.cases.search_audit_log(a.id, {"action": "access_denied"})
    assert {e["detail"]["tried"] for e in refused} >= {"read_journal", "add_journal_entry"}


def test_a_journal_line_is_checked_field_by_field(verband, world):
    a = world.a
    case = refer(verband, a)["case_id"]
    other = refer(verband, a, municipality="23050")["case_id"]
    with as_(verband, a.coordinator) as rpc:
        elsewhere = rpc.cases.add_journal_entry(other, entry())
        for bad, field in (
            (entry(occurred_at=moment(hours=-3)), "occurred_at"),  # in the future
            (entry(occurred_at=moment(days=400)), "occurred_at"),  # too long ago
            (entry(occurred_at="2026-01-01T10:00:00"), "occurred_at"),  # no time zone
            (entry(kind="telepathy"), "kind"),
            (entry(text=""), "text"),
            (entry(text="x" * 4001), "text"),
            (entry(corrects_id=elsewhere["id"]), "corrects_id"),  # a line of another case
        ):
            with pytest.raises(ValidationFailed) as refused:
                rpc.cases.add_journal_entry(case, bad)
            assert field in refused.value.fields, bad
        assert rpc.cases.journal(case) == []
