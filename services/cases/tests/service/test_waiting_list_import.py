"""Taking over a waiting list kept in a spreadsheet: the dry run reports every bad row, a
list with one bad row writes nothing, a good list keeps each family's referral date, so the
order, the days waiting, the one-month clocks and the events are those of that date."""

import datetime as dt

import pytest
from cases_world import Network, as_, refer, seed
from verband_servicekit import years_ago

from cases.service import CasesService
from verband_common.errors import Forbidden, NotFound, ValidationFailed
from verband_common.schemas.cases import MAX_IMPORT_ROWS

pytestmark = pytest.mark.service

TODAY = dt.date.today()


def ago(days: int) -> str:
    return (TODAY - dt.timedelta(days=days)).isoformat()


@pytest.fixture
def world(verband):
    cases = verband.start(CasesService)
    a = Network("1G1P Asse-Meise-Vilvoorde")
    seed(verband, cases, a)
    cases.a = a
    return cases


def row(first, family, referred_days_ago, **extra) -> dict:
    return {
        "child_first_name": first,
        "family_name": family,
        "birth_date": years_ago(6).isoformat(),
        "municipality": "23002",
        "referred_on": ago(referred_days_ago),
        "concern": "Geen zorgen",
        **extra,
    }


GOOD = [
    {**row("Ann", "Peeters", 10), "line": 2},
    {**row("Bert", "Janssens", 45, life_domains="Wonen; school"), "line": 3},
    {**row("Cas", "Maes", 20, concern="some"), "line": 5},
]


def counts(verband, world) -> dict:
    return verband.counts(world.db_url)


def test_the_dry_run_reports_every_bad_row_and_writes_nothing(verband, world):
    a = world.a
    rows = [
        *GOOD,
        {**row("Dirk", "Claes", -3), "line": 6},  # referred in the future
        {**row("Eva", "Wouters", 5, municipality="99999", concern="heel erg"), "line": 7},
        {**row("Ann", "Peeters", 10), "line": 8},  # line 2 again
        {**row("", "Leeg", 1), "line": 9},
    ]
    before = counts(verband, world)
    with as_(verband, a.coordinator) as rpc:
        report = rpc.cases.import_waiting_list(a.id, a.offer, rows, True)
    assert report["dry_run"] is True
    assert (report["rows"], report["good_rows"], report["bad_rows"]) == (7, 3, 4)
    assert report["imported"] == 0 and report["case_ids"] == []
    got = {(p["line"], p["column"]) for p in report["problems"]}
    assert got == {
        (6, "aanmelddatum"),
        (7, "gemeente"),
        (7, "zorgen"),
        (8, "voornaam kind"),
        (9, "voornaam kind"),
    }
    reasons = {(p["line"], p["column"]): p["reason"] for p in report["problems"]}
    assert reasons[(6, "aanmelddatum")] == "Deze datum ligt in de toekomst."
    assert reasons[(8, "voornaam kind")] == "Dit kind staat al op regel 2."
    assert "Geen zorgen" in reasons[(7, "zorgen")]
    after = counts(verband, world)
    assert {k: after[k] for k in ("referrals", "families", "waiting_entries", "outbox")} == {
        k: before[k] for k in ("referrals", "families", "waiting_entries", "outbox")
    }


def test_one_bad_row_refuses_the_whole_list(verband, world):
    a = world.a
    before = counts(verband, world)
    rows = [*GOOD, {**row("Dirk", "Claes", 5 * 365), "line": 6}]  # absurdly old
    with as_(verband, a.coordinator) as rpc:
        report = rpc.cases.import_waiting_list(a.id, a.offer, rows, False, True)
    assert report["dry_run"] is False and report["imported"] == 0
    assert [(p["line"], p["column"]) for p in report["problems"]] == [(6, "aanmelddatum")]
    after = counts(verband, world)
    for table in ("referrals", "families", "children", "waiting_entries", "outbox"):
        assert after[table] == before[table], table


def test_a_good_list_keeps_its_dates_order_clocks_and_events(verband, world):
    a = world.a
    # A family referred today through the portal, to rank against the imported ones.
    live = refer(verband, a, concern="none")
    with as_(verband, a.coordinator) as rpc:
        rpc.cases.triage_referral(
            live["case_id"],
            {"decision": "waiting_list", "reason": "Past.", "offer_ids": [a.offer]},
        )
        report = rpc.cases.import_waiting_list(a.id, a.offer, GOOD, False, True)
        assert report["imported"] == 3 and report["problems"] == []
        page = rpc.cases.waiting_list(a.offer)
        case = rpc.cases.get_case(report["case_ids"][1])
    # Weights of the test world: a day 1, concern 10 a level, a life domain 7.
    # Bert 45 + 14 = 59; Cas 20 + 10 = 30; Ann 10; the family referred today 0.
    names = [e["family_name"] for e in page["entries"]]
    assert names[:3] == ["Janssens", "Maes", "Peeters"]
    assert len(names) == 4
    bert = page["entries"][0]
    assert bert["waiting_since"] == ago(45) and bert["days_waiting"] == 45
    assert bert["clock"]["started_on"] == ago(45) and bert["clock"]["state"] == "escalated"
    assert bert["domains"] == 2
    assert page["entries"][1]["clock"]["state"] == "running"
    assert case["received_at"].startswith(ago(45))
    assert case["status"] == "waiting"

    events = verband.sql(
        world.db_url,
        "SELECT event_type, body FROM outbox WHERE body->>'referral_id' = %s ORDER BY id",
        (report["case_ids"][1],),
    )
    kinds = [e["event_type"] for e in events]
    # As a live referral and triage emit them, in the same order.
    assert kinds == ["referral_received", "waiting_list_entry_added", "referral_triaged"]
    received, added, triaged = (e["body"] for e in events)
    assert received["received_on"] == ago(45)
    assert added["waiting_since"] == ago(45) and added["added_on"] == TODAY.isoformat()
    assert triaged["received_on"] == ago(45) and triaged["triaged_on"] == TODAY.isoformat()
    logged = verband.sql(
        world.db_url,
        "SELECT count(*) AS n FROM audit_log WHERE action = 'import_waiting_list'",
    )[0]["n"]
    assert logged == 4  # each family's referral and the import itself

    # The same file again: every child is known now, so nothing is imported twice.
    with as_(verband, a.coordinator) as rpc:
        again = rpc.cases.import_waiting_list(a.id, a.offer, GOOD, False, True)
    assert again["imported"] == 0 and again["bad_rows"] == 3
    assert {p["reason"] for p in again["problems"]} == {"Dit kind is al aangemeld in dit netwerk."}


def test_only_the_coordinator_imports(verband, world):
    a = world.a
    outsider = Network("Elders")
    with as_(verband, a.coach_a) as rpc, pytest.raises(Forbidden):
        rpc.cases.import_waiting_list(a.id, a.offer, GOOD, True)
    with as_(verband, outsider.coordinator) as rpc, pytest.raises(NotFound):
        rpc.cases.import_waiting_list(a.id, a.offer, GOOD, True)
    with as_(verband, a.coordinator) as rpc:
        with pytest.raises(ValidationFailed) as refused:
            rpc.cases.import_waiting_list(a.id, a.offer, [], True)
        assert "rows" in refused.value.fields
        with pytest.raises(ValidationFailed) as refused:
            rpc.cases.import_waiting_list(a.id, a.offer, [{}] * (MAX_IMPORT_ROWS + 1), True)
        assert "rows" in refused.value.fields


def test_a_real_import_needs_the_coordinators_consent_attestation(verband, world):
    a = world.a
    with as_(verband, a.coordinator) as rpc:
        with pytest.raises(ValidationFailed) as refused:
            rpc.cases.import_waiting_list(a.id, a.offer, GOOD, False)
        assert "consent_confirmed" in refused.value.fields
        # A dry run needs none: it only checks.
        assert rpc.cases.import_waiting_list(a.id, a.offer, GOOD, True)["problems"] == []
    written = verband.sql(world.db_url, "SELECT count(*) AS n FROM referrals")[0]["n"]
    assert written == 0
