"""Taking over a waiting list from a spreadsheet, through the real stack: the coordinator's
dry run reports every bad row with its line and column, an import with a bad row is refused
whole, a good file (XLSX) is imported keeping each family's referral date, so the list is in
the right order and the one-month clocks run from those dates; reporting counts the
referrals; nobody but the coordinator imports."""

import datetime as dt
import io

import openpyxl

from verband_testkit.api import (
    MUNICIPALITY,
    create_team,
    expect,
    poll,
    publish_offer,
    wait_referral_count,
)

TODAY = dt.date.today()
HEADER = ["voornaam kind", "familienaam", "geboortedatum", "gemeente", "aanmelddatum", "zorgen"]


def ago(days: int) -> dt.date:
    return TODAY - dt.timedelta(days=days)


def be(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def csv_file(rows) -> bytes:
    """As Excel in Belgium saves a CSV: semicolons, a byte-order mark, CRLF."""
    lines = [";".join(HEADER), *(";".join(r) for r in rows)]
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode()


def xlsx_file(rows) -> bytes:
    book = openpyxl.Workbook()
    book.active.append(HEADER)
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


GOOD = [
    ["Ann", "Peeters", dt.datetime(2019, 3, 4), int(MUNICIPALITY), ago(10), "Geen zorgen"],
    # A municipality by its name, as a coordinator may keep it: Genk is 71016.
    ["Bert", "Janssens", dt.datetime(2017, 6, 1), "Genk", ago(60), "Geen zorgen"],
    ["Cas", "Maes", dt.datetime(2015, 1, 9), int(MUNICIPALITY), ago(20), "Ernstige zorgen"],
]


def test_a_bad_list_is_refused_whole_and_a_good_one_keeps_its_dates(stack):
    team = create_team(stack)
    offer = publish_offer(team)
    path = f"/api/networks/{team.id}/offers/{offer['id']}/waiting-list/import"

    def post(role, raw, name, dry_run):
        return team.http(
            role,
            "POST",
            path,
            params={"dry_run": "true" if dry_run else "false", "consent_confirmed": "true"},
            files={"file": (name, raw)},
        )

    bad = csv_file(
        [
            ["Ann", "Peeters", "04/03/2019", MUNICIPALITY, be(ago(10)), "Geen zorgen"],
            ["Dirk", "Claes", "01/02/2016", MUNICIPALITY, be(TODAY + dt.timedelta(days=2)), "some"],
            ["Eva", "Wouters", "31/02/2018", "99999", be(ago(3)), "heel erg"],
        ]
    )

    def checked():
        # Until cases has learned the coordinator's role and the offer from partners.
        r = post("coordinator", bad, "wachtlijst.csv", True)
        if r.status_code == 200:
            return r.json()
        assert r.status_code in (404, 422), r.text[:500]
        return None

    report = poll(checked, 30, interval=0.3, what="cases knowing the coordinator and offer")
    assert (report["rows"], report["good_rows"], report["bad_rows"]) == (3, 1, 2)
    assert [(p["line"], p["column"]) for p in report["problems"]] == [
        (3, "aanmelddatum"),
        (4, "geboortedatum"),
        (4, "gemeente"),
        (4, "zorgen"),
    ]
    assert report["problems"][0]["reason"] == "Deze datum ligt in de toekomst."

    # The import of the same file is refused whole: not even Ann is on the list.
    refused = post("coordinator", bad, "wachtlijst.csv", False)
    assert refused.status_code == 422
    assert refused.json()["report"]["problems"] == report["problems"]
    assert "rows.3.aanmelddatum" in refused.json()["error"]["fields"]
    waiting = f"/api/offers/{offer['id']}/waiting-list"
    assert expect(team.http("coordinator", "GET", waiting), 200)["total"] == 0

    # A file that is no spreadsheet: refused, naming the file field.
    garbage = post("coordinator", b"\x89PNG\r\n\x1a\n\x00\xff\xfe", "foto.csv", True)
    assert garbage.status_code == 422 and "file" in garbage.json()["error"]["fields"]

    # Nobody else imports a list.
    for role in ("partner_worker", "referrer", "network_admin"):
        assert post(role, xlsx_file(GOOD), "lijst.xlsx", True).status_code == 403, role

    # A good workbook: every family imported, each keeping the date it was referred.
    good = xlsx_file(GOOD)
    assert expect(post("coordinator", good, "lijst.xlsx", True), 200)["good_rows"] == 3
    imported = expect(post("coordinator", good, "lijst.xlsx", False), 201)
    assert imported["imported"] == 3 and imported["problems"] == []

    page = expect(team.http("coordinator", "GET", waiting), 200)
    # Default weights: serious concern is 2 x 22 points, a day waiting 1 point.
    # Cas 20 + 44 = 64, Bert 60, Ann 10.
    got = [
        (e["family_name"], e["waiting_since"], e["days_waiting"], e["clock"]["state"])
        for e in page["entries"]
    ]
    assert got == [
        ("Maes", ago(20).isoformat(), 20, "running"),
        ("Janssens", ago(60).isoformat(), 60, "escalated"),
        ("Peeters", ago(10).isoformat(), 10, "running"),
    ]
    assert page["entries"][1]["clock"]["due_on"] == (ago(60) + dt.timedelta(days=30)).isoformat()
    case = expect(team.http("coordinator", "GET", f"/api/cases/{imported['case_ids'][1]}"), 200)
    assert case["received_at"].startswith(ago(60).isoformat()) and case["status"] == "waiting"

    # The same file again imports nobody twice.
    again = post("coordinator", good, "lijst.xlsx", False)
    assert again.status_code == 422 and again.json()["report"]["bad_rows"] == 3

    # Reporting counts the three referrals from the events a referral emits.
    wait_referral_count(team, 3)
