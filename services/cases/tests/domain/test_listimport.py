"""Which rows of a spreadsheet waiting list can be taken over, and how a problem is named."""

import datetime as dt

import pytest

from cases.domain import listimport
from verband_common.schemas.cases import MAX_REFERRAL_AGE_DAYS

TODAY = dt.date.today()


def row(**overrides) -> dict:
    return {
        "child_first_name": "Ann",
        "family_name": "Peeters",
        "birth_date": "2019-03-04",
        "municipality": "23002",
        "referred_on": (TODAY - dt.timedelta(days=12)).isoformat(),
        "concern": "some",
        **overrides,
    }


def test_a_good_row_reads_labels_as_written_and_keeps_its_date():
    good, problems = listimport.check_rows(
        [
            row(
                concern=" ernstige  ZORGEN ",
                urgency="Dringend",
                life_domains="Wonen; school,Inkomen",
                source_sector="OCMW",
                note="",
            )
        ],
        ["23002"],
    )
    assert problems == []
    [(line, data)] = good
    assert line == 2
    assert data["concern"] == "serious" and data["urgency"] == "urgent"
    assert data["life_domains"] == ["housing", "school", "income"]
    assert data["source_sector"] == "ocmw"
    assert data["referred_on"] == TODAY - dt.timedelta(days=12)
    assert data["note"] is None


def test_every_problem_names_its_line_and_column_in_dutch():
    rows = [
        row(),
        row(child_first_name="Bo", referred_on=(TODAY + dt.timedelta(days=1)).isoformat()),
        row(child_first_name="Cas", birth_date="gisteren", municipality="Asse"),
        row(),  # the same child as line 2
        row(child_first_name="Dirk", concern=""),
        row(child_first_name="Eva", municipality="11002"),
        row(child_first_name="Fien", kleur="blauw"),
    ]
    good, problems = listimport.check_rows(rows, ["23002"])
    assert [line for line, _ in good] == [2]
    assert [(p["line"], p["column"], p["reason"]) for p in problems] == [
        (3, "aanmelddatum", "Deze datum ligt in de toekomst."),
        (4, "geboortedatum", "Geef een datum (JJJJ-MM-DD)."),
        (4, "gemeente", "Geef een NIS-code van vijf cijfers."),
        (5, "voornaam kind", "Dit kind staat al op regel 2."),
        (6, "zorgen", "Dit veld mag niet leeg zijn."),
        (7, "gemeente", listimport.OUTSIDE_NETWORK),
        (8, "kleur", "Onbekend veld."),
    ]


def test_the_spreadsheet_line_is_kept_when_the_reader_skipped_empty_lines():
    _, problems = listimport.check_rows([row(line=2), row(line=9, concern="x")], None)
    assert [p["line"] for p in problems] == [9]
    assert problems[0]["reason"].startswith("Kies een van: Geen zorgen")


@pytest.mark.parametrize(
    ("days_ago", "fine"),
    [(0, True), (MAX_REFERRAL_AGE_DAYS, True), (MAX_REFERRAL_AGE_DAYS + 1, False), (-1, False)],
)
def test_a_referral_date_is_neither_future_nor_absurdly_old(days_ago, fine):
    referred = (TODAY - dt.timedelta(days=days_ago)).isoformat()
    good, problems = listimport.check_rows([row(referred_on=referred)], None)
    assert bool(good) is fine
    assert all(p["column"] == "aanmelddatum" for p in problems)


def test_a_row_that_is_not_an_object_is_reported_not_crashed_on():
    good, problems = listimport.check_rows(["Ann;Peeters"], None)
    assert good == [] and problems == [
        {"line": 2, "column": "", "reason": listimport.ROW_NOT_AN_OBJECT}
    ]
