"""Taking over a waiting list from a spreadsheet at the gateway: reading CSV (`;` or `,`,
as Excel in Belgium saves it) and XLSX into rows with their lines, refusing a file that is
not one (naming the `file` field, before any call), and the JSON API and portal page that
carry the dry run's report and the all-or-nothing import."""

import base64
import datetime as dt
import io
import re
import uuid
import zipfile

import openpyxl
import pytest

from verband_common.errors import ValidationFailed
from verband_common.schemas.cases import IMPORT_COLUMNS, MAX_IMPORT_ROWS
from verband_gateway import spreadsheets

from .conftest import offer_row

HEADER = "voornaam kind;familienaam;geboortedatum;gemeente;aanmelddatum;zorgen;levensdomeinen"
GOOD_CSV = (
    "\ufeff" + HEADER + "\r\n"
    "Ann;Peeters;04/03/2019;23002;15/10/2026;Enige zorgen;Wonen, School\r\n"
    ";;;;;;\r\n"
    "Bert;Janssens;2018-01-31;23050;1-9-2026;Geen zorgen;\r\n"
).encode()


def refused_file(raw: bytes) -> str:
    with pytest.raises(ValidationFailed) as refused:
        spreadsheets.read_waiting_list(raw)
    assert list(refused.value.fields) == ["file"]
    return refused.value.fields["file"][0]


def xlsx(rows) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- reading the file ----------------------------------------------------------------------


def test_a_semicolon_csv_keeps_each_rows_line_and_reads_belgian_dates():
    rows = spreadsheets.read_waiting_list(GOOD_CSV)
    assert rows == [
        {
            "line": 2,
            "child_first_name": "Ann",
            "family_name": "Peeters",
            "birth_date": "2019-03-04",
            "municipality": "23002",
            "referred_on": "2026-10-15",
            "concern": "Enige zorgen",
            "life_domains": "Wonen, School",
        },
        {
            "line": 4,  # line 3 is empty, and skipped
            "child_first_name": "Bert",
            "family_name": "Janssens",
            "birth_date": "2018-01-31",
            "municipality": "23050",
            "referred_on": "2026-09-01",
            "concern": "Geen zorgen",
            "life_domains": "",
        },
    ]


def test_a_comma_csv_with_quoted_cells_reads_the_same():
    raw = (
        b"Voornaam kind,Familienaam,Geboortedatum,Gemeente,Aanmelddatum,Zorgen,Notitie\n"
        b'Ann,Peeters,2019-03-04,23002,2026-10-15,some,"Wacht op plaats, belt graag"\n'
    )
    [row] = spreadsheets.read_waiting_list(raw)
    assert row["note"] == "Wacht op plaats, belt graag" and row["concern"] == "some"


def test_an_xlsx_reads_dates_and_numbers_as_written():
    raw = xlsx(
        [
            list(IMPORT_COLUMNS.values())[:6],
            [
                "Ann",
                "Peeters",
                dt.datetime(2019, 3, 4),
                23002,
                dt.date(2026, 10, 15),
                "Geen zorgen",
            ],
            [None] * 6,
            ["Bert", "Janssens", "31/01/2018", 23050.0, "2026-09-01", "some"],
        ]
    )
    rows = spreadsheets.read_waiting_list(raw)
    assert [(r["line"], r["birth_date"], r["municipality"]) for r in rows] == [
        (2, "2019-03-04", "23002"),
        (4, "2018-01-31", "23050"),
    ]
    assert rows[0]["referred_on"] == "2026-10-15"


def test_files_that_are_no_waiting_list_are_refused_naming_the_file():
    assert "UTF-8" in refused_file(b"\xff\xfe\x00\x00garbage\x81\x82")
    assert "geen CSV" in refused_file(b"voornaam kind\x00;x\n")
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("word/document.xml", "<w/>")
    assert "geen XLSX" in refused_file(archive.getvalue())
    assert "kan niet gelezen" in refused_file(b"PK\x03\x04 broken zip")
    assert "Onbekende kolom ‘naam’" in refused_file(b"naam;gemeente\nAnn;23002\n")
    assert "ontbreken: geboortedatum, aanmelddatum, zorgen" in refused_file(
        b"voornaam kind;familienaam;gemeente\nAnn;Peeters;23002\n"
    )
    assert "leeg" in refused_file(b"  \n")
    assert "geen gezinnen" in refused_file((HEADER + "\n;;;\n").encode())
    assert "te groot" in refused_file(b"x" * (spreadsheets.MAX_FILE_BYTES + 1))
    many = HEADER + "\n" + "Ann;P;2019-01-01;23002;2026-01-01;some;\n" * (MAX_IMPORT_ROWS + 1)
    assert f"meer dan {MAX_IMPORT_ROWS}" in refused_file(many.encode())


def test_a_workbook_that_unpacks_into_too_much_is_refused():
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", "<w/>")
        z.writestr("xl/big.xml", b"0" * (spreadsheets.MAX_UNPACKED_BYTES + 1))
    assert len(archive.getvalue()) < spreadsheets.MAX_FILE_BYTES
    assert "te groot" in refused_file(archive.getvalue())


def test_a_municipality_by_its_name_becomes_its_nis_code():
    asked = []

    def municipalities():
        asked.append(1)
        return [{"nis": "44083", "name": "Deinze"}, {"nis": "71016", "name": "Genk"}]

    rows = [
        {"line": 2, "municipality": " deinze "},
        {"line": 3, "municipality": "71016"},
        {"line": 4, "municipality": "Atlantis"},
    ]
    got = spreadsheets.with_nis_codes(rows, municipalities)
    assert [r["municipality"] for r in got] == ["44083", "71016", "Atlantis"]
    # Codes alone need no list.
    spreadsheets.with_nis_codes([{"municipality": "44083"}, {}], municipalities)
    assert asked == [1]


def test_the_template_is_the_header_excel_in_belgium_opens():
    text = spreadsheets.template_csv()
    assert text.startswith("\ufeff") and text.endswith("\r\n")
    assert text[1:].strip().split(";") == list(IMPORT_COLUMNS.values())
    # The template reads back as a header the import knows (and no rows).
    assert "geen gezinnen" in refused_file(text.encode())


# --- the JSON API --------------------------------------------------------------------------


def report(dry_run=True, problems=(), rows=2):
    problems = list(problems)
    return {
        "dry_run": dry_run,
        "offer_id": OFFER,
        "rows": rows,
        "good_rows": rows - len({p["line"] for p in problems}),
        "bad_rows": len({p["line"] for p in problems}),
        "problems": problems,
        "imported": 0 if dry_run or problems else rows,
        "case_ids": [] if dry_run or problems else [str(uuid.uuid4()) for _ in range(rows)],
    }


OFFER = str(uuid.uuid4())
BAD = {"line": 4, "column": "aanmelddatum", "reason": "Deze datum ligt in de toekomst."}


def url(network_id, dry_run=None, consent="true"):
    path = f"/api/networks/{network_id}/offers/{OFFER}/waiting-list/import"
    if dry_run is None:
        return path
    return f"{path}?dry_run={dry_run}" + (f"&consent_confirmed={consent}" if consent else "")


def upload(raw=GOOD_CSV, name="wachtlijst.csv"):
    return {"data": {"file": (io.BytesIO(raw), name)}, "content_type": "multipart/form-data"}


def test_an_uploaded_file_is_checked_as_a_dry_run_by_default(
    client, services, coordinator, network
):
    services.answer(
        "cases", "import_waiting_list", lambda n, o, rows, d, consent=False: report(d, [BAD])
    )
    response = client.post(url(network["id"]), headers=coordinator, **upload())
    assert response.status_code == 200, response.json
    assert response.json["problems"] == [BAD] and response.json["bad_rows"] == 1
    [call] = services.calls_to("import_waiting_list")
    network_id, offer_id, rows, dry_run, consent = call.args
    assert (network_id, offer_id, dry_run, consent) == (network["id"], OFFER, True, False)
    assert [r["line"] for r in rows] == [2, 4]


def test_an_uploaded_file_may_name_the_municipality(client, services, coordinator, network):
    services.answer("cases", "import_waiting_list", lambda n, o, rows, d, consent=False: report(d))
    raw = (HEADER + "\nAnn;Peeters;2019-03-04;Deinze;2026-10-15;some;\n").encode()
    assert client.post(url(network["id"]), headers=coordinator, **upload(raw)).status_code == 200
    [call] = services.calls_to("import_waiting_list")
    assert call.args[2][0]["municipality"] == "44083"


def test_an_import_with_a_bad_row_is_422_with_the_same_report(
    client, services, coordinator, network
):
    services.answer(
        "cases", "import_waiting_list", lambda n, o, rows, d, consent=False: report(d, [BAD])
    )
    response = client.post(url(network["id"], "false"), headers=coordinator, **upload())
    assert response.status_code == 422
    body = response.json
    assert body["error"]["code"] == "validation_failed"
    assert body["error"]["fields"] == {"rows.4.aanmelddatum": [BAD["reason"]]}
    assert body["report"]["problems"] == [BAD] and body["report"]["imported"] == 0
    assert services.calls_to("import_waiting_list")[0].args[3] is False


def test_a_good_import_is_201_and_json_rows_work_too(client, services, coordinator, network):
    services.answer("cases", "import_waiting_list", lambda n, o, rows, d, consent=False: report(d))
    rows = [{"child_first_name": "Ann", "line": 2}, {"child_first_name": "Bert"}]
    response = client.post(url(network["id"], "false"), headers=coordinator, json={"rows": rows})
    assert response.status_code == 201, response.json
    assert response.json["imported"] == 2 and len(response.json["case_ids"]) == 2
    assert services.calls_to("import_waiting_list")[0].args[2] == rows
    assert services.calls_to("import_waiting_list")[0].args[4] is True


def test_the_coordinators_consent_attestation_reaches_the_service_only_when_given(
    client, services, coordinator, network
):
    # The service refuses a real import without it; the gateway passes on what was sent.
    services.answer("cases", "import_waiting_list", lambda n, o, rows, d, consent=False: report(d))
    client.post(url(network["id"], "false", consent=None), headers=coordinator, **upload())
    assert services.calls_to("import_waiting_list")[0].args[3:] == (False, False)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        (upload(b"naam;gemeente\nAnn;23002\n"), "file"),
        (upload(b"\x89PNG\r\n\x1a\n\x00\x00\xff"), "file"),
        ({"data": {"bestand": "x"}, "content_type": "multipart/form-data"}, "file"),
        ({"json": {"rows": []}}, "rows"),
        ({"json": {"rows": [{}] * (MAX_IMPORT_ROWS + 1)}}, "rows"),
        ({"json": {"rows": [{}], "dry_run": False}}, "dry_run"),
    ],
)
def test_a_bad_body_is_422_naming_the_field_without_a_call(
    client, services, coordinator, network, kwargs, field
):
    response = client.post(url(network["id"]), headers=coordinator, **kwargs)
    assert response.status_code == 422
    assert field in response.json["error"]["fields"]
    assert services.calls_to("import_waiting_list") == []


def test_only_the_coordinator_imports(client, services, bearer, network):
    worker = bearer({network["id"]: ["family_coach", "network_admin"]})
    assert client.post(url(network["id"]), headers=worker, **upload()).status_code == 403
    stranger = bearer({str(uuid.uuid4()): ["coordinator"]})
    assert client.post(url(network["id"]), headers=stranger, **upload()).status_code == 404
    assert services.calls_to("import_waiting_list") == []


# --- the portal page -----------------------------------------------------------------------


def token_of(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def field_error(page: str, name: str) -> str:
    found = re.search(rf'<span class="field-error" id="e-{re.escape(name)}">([^<]*)</span>', page)
    return found.group(1) if found else ""


@pytest.fixture
def coordinator_page(client, services, network, portal_sign_in):
    portal_sign_in({network["id"]: ["coordinator"]})
    offer = offer_row(network["id"])
    services.answer("partners", "list_offers", [offer])
    return offer["id"]


def test_the_page_shows_every_bad_row_and_offers_no_confirm(client, services, coordinator_page):
    services.answer(
        "cases", "import_waiting_list", lambda n, o, rows, d, consent=False: report(d, [BAD])
    )
    page = client.get("/wachtlijst/importeren").get_data(as_text=True)
    assert 'href="/wachtlijst/importeren/sjabloon.csv"' in page
    response = client.post(
        "/wachtlijst/importeren",
        data={
            "csrf_token": token_of(page),
            "action": "check",
            "aanbod": coordinator_page,
            "file": (io.BytesIO(GOOD_CSV), "wachtlijst.csv"),
        },
        content_type="multipart/form-data",
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "<td>4</td><td>aanmelddatum</td><td>Deze datum ligt in de toekomst.</td>" in html
    assert "er werd niets overgenomen" in html and 'name="file_b64"' not in html


def test_a_clean_file_is_confirmed_and_imported_as_checked(client, services, coordinator_page):
    services.answer("cases", "import_waiting_list", lambda n, o, rows, d, consent=False: report(d))
    token = token_of(client.get("/wachtlijst/importeren").get_data(as_text=True))
    checked = client.post(
        "/wachtlijst/importeren",
        data={
            "csrf_token": token,
            "action": "check",
            "aanbod": coordinator_page,
            "file": (io.BytesIO(GOOD_CSV), "wachtlijst.csv"),
        },
        content_type="multipart/form-data",
    )
    html = checked.get_data(as_text=True)
    assert checked.status_code == 200 and "2 gezinnen overnemen" in html
    carried = re.search(r'name="file_b64" value="([^"]+)"', html).group(1)
    assert base64.b64decode(carried) == GOOD_CSV
    done = client.post(
        "/wachtlijst/importeren",
        data={
            "csrf_token": token_of(html),
            "action": "confirm",
            "aanbod": coordinator_page,
            "file_b64": carried,
            "consent_confirmed": "ja",
        },
    )
    assert done.status_code == 303
    assert f"aanbod={coordinator_page}" in done.headers["Location"]
    first, second = services.calls_to("import_waiting_list")
    assert (first.args[3:], second.args[3:]) == ((True, False), (False, True))
    assert first.args[2] == second.args[2]


def test_a_confirm_without_the_consent_box_imports_nothing(client, services, coordinator_page):
    services.answer("cases", "import_waiting_list", lambda n, o, rows, d, consent=False: report(d))
    token = token_of(client.get("/wachtlijst/importeren").get_data(as_text=True))
    response = client.post(
        "/wachtlijst/importeren",
        data={
            "csrf_token": token,
            "action": "confirm",
            "aanbod": coordinator_page,
            "file_b64": base64.b64encode(GOOD_CSV).decode(),
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="e-consent"' in html and "toestemming gaf" in html
    # The checked file and its confirm form come back; nothing was imported.
    assert 'name="file_b64"' in html
    assert [call.args[3] for call in services.calls_to("import_waiting_list")] == [True]


def test_a_bad_file_or_no_offer_is_shown_next_to_its_field(client, services, coordinator_page):
    token = token_of(client.get("/wachtlijst/importeren").get_data(as_text=True))
    response = client.post(
        "/wachtlijst/importeren",
        data={
            "csrf_token": token,
            "action": "check",
            "aanbod": "",
            "file": (io.BytesIO(b"naam\nAnn\n"), "lijst.csv"),
        },
        content_type="multipart/form-data",
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert field_error(html, "aanbod") == "Kies het aanbod van deze wachtlijst."
    response = client.post(
        "/wachtlijst/importeren",
        data={
            "csrf_token": token,
            "action": "check",
            "aanbod": coordinator_page,
            "file": (io.BytesIO(b"naam\nAnn\n"), "lijst.csv"),
        },
        content_type="multipart/form-data",
    )
    assert "Onbekende kolom" in field_error(response.get_data(as_text=True), "file")
    assert services.calls_to("import_waiting_list") == []


def test_the_page_and_template_are_the_coordinators(client, services, network, portal_sign_in):
    portal_sign_in({network["id"]: ["family_coach"]})
    assert client.get("/wachtlijst/importeren").status_code == 403
    template = client.get("/wachtlijst/importeren/sjabloon.csv")
    assert template.status_code == 200 and template.mimetype == "text/csv"


def test_a_refusal_before_any_report_matches_the_documented_422(client, coordinator, network):
    response = client.post(url(network["id"], "misschien"), headers=coordinator, **upload())
    assert response.status_code == 422 and "report" not in response.json
    document = client.get("/api/openapi.json").json
    refused = document["components"]["schemas"]["ImportRefused"]
    assert refused["required"] == ["error"]
