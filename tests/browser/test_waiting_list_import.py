"""The coordinator takes over a waiting list from a spreadsheet in the portal: from the
waiting-list board to the import page, a file with a bad row shows every problem in a table
and nothing is imported; a clean file is confirmed and its families stand on the board, each
with the date it was referred."""

import datetime as dt
import uuid

import pytest

from verband_testkit.api import MUNICIPALITY, expect, publish_offer, refer_once_offer_known

TODAY = dt.date.today()
HEADER = "voornaam kind;familienaam;geboortedatum;gemeente;aanmelddatum;zorgen"


def be(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def csv_file(*rows: str) -> dict:
    text = "\ufeff" + "\r\n".join([HEADER, *rows]) + "\r\n"
    return {"name": "wachtlijst.csv", "mimeType": "text/csv", "buffer": text.encode()}


@pytest.fixture(scope="module")
def offer(team):
    offer = publish_offer(team, title=f"Opvoedingsondersteuning {uuid.uuid4().hex[:6]}")
    refer_once_offer_known(team, offer["id"], role="coordinator")
    return offer


def test_a_coordinator_checks_then_imports_a_waiting_list(people, team, offer):
    family = f"Vermeulen {uuid.uuid4().hex[:6]}"
    referred = TODAY - dt.timedelta(days=40)
    coordinator = people.of(team, "coordinator")
    page = coordinator.page
    coordinator.goto(f"/wachtlijst?aanbod={offer['id']}")
    page.get_by_role("link", name="Een wachtlijst uit een rekenblad overnemen").click()
    assert coordinator.heading() == "Een wachtlijst overnemen"
    coordinator.assert_accessible()

    page.get_by_label("Aanbod").select_option(offer["id"])
    page.get_by_label("Rekenblad (CSV of XLSX)").set_input_files(
        csv_file(
            f"Noor;{family};04/03/2019;{MUNICIPALITY};{be(referred)};Enige zorgen",
            f"Mats;{family};01/01/2018;{MUNICIPALITY};{be(TODAY + dt.timedelta(days=5))};some",
        )
    )
    page.get_by_role("button", name="Controleren").click()
    table = page.get_by_role("table")
    assert table.get_by_role("row").nth(1).inner_text().split("\t") == [
        "3",
        "aanmelddatum",
        "Deze datum ligt in de toekomst.",
    ]
    assert "er werd niets overgenomen" in coordinator.text()
    coordinator.assert_accessible()

    page.get_by_label("Aanbod").select_option(offer["id"])
    page.get_by_label("Rekenblad (CSV of XLSX)").set_input_files(
        csv_file(f"Noor;{family};04/03/2019;{MUNICIPALITY};{be(referred)};Enige zorgen")
    )
    page.get_by_role("button", name="Controleren").click()
    page.get_by_label("Ik bevestig dat elk gezin op deze lijst toestemming gaf").check()
    page.get_by_role("button", name="1 gezin overnemen").click()
    assert coordinator.heading() == "Warme wachtlijst"
    board = coordinator.text()
    assert "1 gezin van de wachtlijst overgenomen." in board
    assert family in board

    listed = expect(team.http("coordinator", "GET", f"/api/offers/{offer['id']}/waiting-list"), 200)
    mine = [e for e in listed["entries"] if e["family_name"] == family]
    assert [e["waiting_since"] for e in mine] == [referred.isoformat()]
    assert mine[0]["clock"]["state"] == "escalated"
