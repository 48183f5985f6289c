"""A report as CSV, XLSX and PDF: what the report holds and nothing more, a suppressed cell as
its display text and never as a number, Dutch labels, charts, signals and definitions."""

import csv
import io
import re
import zlib

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from verband_gateway import exports


def cell(key, label, value, display=None, suppressed=False):
    return {
        "key": key,
        "label": label,
        "value": None if suppressed else value,
        "display": display or ("<5" if suppressed else f"{value:g}"),
        "suppressed": suppressed,
    }


def report(municipalities=None, **over):
    municipalities = municipalities or [
        cell("23002", "Asse", 30.0),
        cell("23050", "Meise", None, suppressed=True),
        cell("23088", "Vilvoorde", None, display="x", suppressed=True),
    ]
    content = {
        "network_id": "7b0b5f7e-3f4b-4c47-9a55-4d6f3c2f6a11",
        "network_name": "1G1P Asse-Meise-Vilvoorde",
        "region": "Vlaams-Brabant/Brussel",
        "period": {"kind": "quarter", "start": "2026-07-01", "end": "2026-09-30"},
        "threshold": 5,
        "indicators": [
            {
                "key": "referrals",
                "unit": "count",
                "value": 36.0,
                "display": "36",
                "suppressed": False,
                "numerator": 36,
                "denominator": None,
                "target": None,
                "breakdowns": {
                    "municipality": municipalities,
                    "month": [
                        cell("2026-07", "juli", 12.0),
                        cell("2026-08", "augustus", None, suppressed=True),
                        cell("2026-09", "september", 20.0),
                    ],
                },
            },
            {
                "key": "answered_within_month",
                "unit": "share",
                "value": 0.732,
                "display": "73,2 %",
                "suppressed": False,
                "numerator": 41,
                "denominator": 56,
                "target": None,
                "breakdowns": {},
            },
            {
                "key": "family_guidances",
                "unit": "count",
                "value": 143.0,
                "display": "143",
                "suppressed": False,
                "numerator": 143,
                "denominator": None,
                "target": 200,
                "breakdowns": {},
            },
            {
                "key": "waiting_days_median",
                "unit": "days",
                "value": None,
                "display": "<5",
                "suppressed": True,
                "numerator": None,
                "denominator": None,
                "target": None,
                "breakdowns": {},
            },
        ],
        "signals": [
            {
                "raised_at": "2026-08-12",
                "body_kind": "beleidsgroep",
                "kind": "improvement_proposal",
                "title": "Gedeelde intake met het CAW",
            }
        ],
        "networks": None,
    }
    found = {
        "id": "5d5c3d0e-8f43-4a8b-8d7c-0a1e2b3c4d5e",
        "network_id": content["network_id"],
        "network_name": content["network_name"],
        "region": content["region"],
        "period": content["period"],
        "version": 2,
        "status": "published",
        "content": content,
        "generated_at": "2026-10-05T09:00:00+00:00",
        "approved_by": "Els Janssens",
        "approved_by_body": "Beleidsgroep",
        "approved_on": "2026-10-10",
        "approved_at": "2026-10-10T15:00:00+00:00",
        "published_at": "2026-10-12T08:00:00+00:00",
        "correction_of": "0f6e2c1a-2b3c-4d5e-8f90-123456789abc",
        "correction_reason": "Late aanmeldingen van september",
    }
    found.update(over)
    return found


CATALOGUE = [
    {
        "key": "referrals",
        "title": "Aanmeldingen",
        "definition": "Het aantal gezinnen dat in de periode werd aangemeld.",
        "numerator": "aanmeldingen met datum van ontvangst in de periode",
        "denominator": None,
        "period_rule": "de datum van ontvangst valt in de periode",
        "unit": "count",
        "breakdowns": ["municipality", "month"],
    },
    {
        "key": "answered_within_month",
        "title": "Binnen een maand beantwoord",
        "definition": "Het aandeel aanmeldingen met een eerste antwoord binnen 30 dagen.",
        "numerator": "aanmeldingen beantwoord binnen 30 dagen",
        "denominator": "aanmeldingen van de periode met een antwoord of 30 dagen oud",
        "period_rule": "de datum van ontvangst valt in de periode",
        "unit": "share",
        "breakdowns": [],
    },
]


def pdf_text(data: bytes) -> str:
    """The drawing operations of a PDF, its compressed streams inflated."""
    parts = []
    for found in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            parts.append(zlib.decompress(found.group(1)))
        except zlib.error:
            parts.append(found.group(1))
    return b"\n".join(parts).decode("latin-1")


def pdf_strings(data: bytes) -> list[str]:
    return [
        s.replace("\\(", "(").replace("\\)", ")")
        for s in re.findall(r"\(((?:[^()\\]|\\.)*)\) ?Tj", pdf_text(data))
    ]


# --- labels ----------------------------------------------------------------------------------


def test_periods_and_file_names_in_dutch_and_ascii():
    assert exports.period_label({"kind": "quarter", "start": "2026-10-01"}) == "4e kwartaal 2026"
    assert exports.period_label({"kind": "month", "start": "2026-03-01"}) == "maart 2026"
    assert exports.period_label({"kind": "year", "start": "2025-01-01"}) == "2025"
    assert exports.short_period_label({"kind": "quarter", "start": "2026-04-01"}) == "K2 2026"
    name = exports.filename(report(network_name="RTJ Één & Twee"), "xlsx")
    assert name == "rapport-rtj-n-twee-2026-K3-v2.xlsx"


# --- CSV -------------------------------------------------------------------------------------


def test_the_csv_holds_each_indicator_and_cell_as_shown():
    data = exports.report_csv(report(), CATALOGUE)
    assert data.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert list(rows[0]) == list(exports.CSV_COLUMNS)
    first = rows[0]
    assert first["netwerk"] == "1G1P Asse-Meise-Vilvoorde"
    assert first["periode"] == "3e kwartaal 2026" and first["status"] == "Gepubliceerd"
    assert first["versie"] == "2"
    shown = [(r["indicator"], r["uitsplitsing"], r["categorie"], r["waarde"]) for r in rows]
    assert shown == [
        ("referrals", "", "", "36"),
        ("referrals", "Gemeente", "Asse", "30"),
        ("referrals", "Gemeente", "Meise", "<5"),
        ("referrals", "Gemeente", "Vilvoorde", "x"),
        ("referrals", "Maand", "juli", "12"),
        ("referrals", "Maand", "augustus", "<5"),
        ("referrals", "Maand", "september", "20"),
        ("answered_within_month", "", "", "73,2 %"),
        ("family_guidances", "", "", "143"),
        ("waiting_days_median", "", "", "<5"),
    ]
    share = rows[7]
    assert (share["titel"], share["eenheid"], share["teller"], share["noemer"]) == (
        "Binnen een maand beantwoord",
        "aandeel",
        "41",
        "56",
    )
    assert rows[8]["doel"] == "200"
    # A suppressed indicator shows neither its numerator nor its denominator.
    assert (rows[9]["teller"], rows[9]["noemer"]) == ("", "")


def test_a_cell_that_looks_like_a_formula_is_kept_as_text():
    cells = [cell("x", '=HYPERLINK("http://x")', 7.0), cell("y", "+32 zone", 8.0)]
    rows = list(
        csv.DictReader(
            io.StringIO(exports.report_csv(report(cells), CATALOGUE).decode("utf-8-sig")),
            delimiter=";",
        )
    )
    labels = [r["categorie"] for r in rows if r["uitsplitsing"] == "Gemeente"]
    assert labels == ['\'=HYPERLINK("http://x")', "'+32 zone"]


# --- XLSX ------------------------------------------------------------------------------------


def test_the_workbook_has_numbers_where_shown_and_the_mark_where_suppressed():
    book = load_workbook(io.BytesIO(exports.report_xlsx(report(), CATALOGUE)))
    assert book.sheetnames == ["Rapport", "Indicatoren", "Uitsplitsingen", "Signalen", "Definities"]
    about = {row[0]: row[1] for row in book["Rapport"].iter_rows(values_only=True)}
    assert about["Periode"] == "3e kwartaal 2026"
    assert about["Goedgekeurd door"] == (
        "Els Janssens, namens Beleidsgroep, besluit van 10/10/2026"
    )
    assert about["Correctie van versie"] == "correctie: Late aanmeldingen van september"
    indicators = list(book["Indicatoren"].iter_rows(min_row=2, values_only=True))
    assert indicators[0][:4] == ("referrals", "Aanmeldingen", "aantal", 36)
    assert indicators[1][3] == 0.732 and indicators[1][4:6] == (41, 56)
    assert book["Indicatoren"]["D3"].number_format == "0.0%"
    assert indicators[2][6] == 200
    assert indicators[3][3:6] == ("<5", None, None)
    cells = [r[3:] for r in book["Uitsplitsingen"].iter_rows(min_row=2, values_only=True)]
    assert cells[:3] == [("Asse", 30), ("Meise", "<5"), ("Vilvoorde", "x")]
    signals = list(book["Signalen"].iter_rows(min_row=2, values_only=True))
    assert signals == [
        ("12/08/2026", "Beleidsgroep", "Verbetervoorstel", "Gedeelde intake met het CAW")
    ]
    definitions = list(book["Definities"].iter_rows(min_row=2, values_only=True))
    assert definitions[1][:3] == (
        "answered_within_month",
        "Binnen een maand beantwoord",
        "Het aandeel aanmeldingen met een eerste antwoord binnen 30 dagen.",
    )


# --- PDF -------------------------------------------------------------------------------------


def test_the_pdf_has_the_facts_charts_signals_and_definitions():
    data = exports.report_pdf(report(), CATALOGUE)
    assert data.startswith(b"%PDF-")
    text = pdf_strings(data)
    joined = "\n".join(text)
    assert "Monitoring 1G1P Asse-Meise-Vilvoorde" in text
    assert "Goedgekeurd door Els Janssens, namens Beleidsgroep, besluit van 10/10/2026" in text
    assert "Deze versie corrigeert een eerder gepubliceerde: Late aanmeldingen van september" in (
        joined
    )
    # Charts: progress towards the target, bars per municipality, the months as a line.
    assert "family_guidances: voortgang naar het doel" in text
    assert "143 van 200 (72 %)" in text
    assert "Aanmeldingen per gemeente" in text
    assert "Aanmeldingen per maand" in text
    assert "juli: 12; augustus: <5; september: 20" in text
    assert "Signalen aan IROJ" in text and "Gedeelde intake met het CAW" in text
    assert "Definities van de indicatoren" in text
    assert "Noemer: aanmeldingen van de periode met een antwoord of 30 dagen oud" in text


def _filled_rects(data: bytes) -> int:
    return len(re.findall(r" re f\b", pdf_text(data)))


def test_the_pdf_draws_no_bar_for_a_suppressed_cell():
    hidden = exports.report_pdf(report(), CATALOGUE)
    shown = exports.report_pdf(
        report([cell("23002", "Asse", 30.0), cell("23050", "Meise", 7.0), cell("2", "V", 6.0)]),
        CATALOGUE,
    )
    assert _filled_rects(shown) - _filled_rects(hidden) == 2
    assert "<5" in pdf_strings(hidden) and "x" in pdf_strings(hidden)


def test_the_pdf_draws_the_trend_it_is_given():
    points = [
        {
            "start": "2026-01-01",
            "end": "2026-03-31",
            "value": 20.0,
            "display": "20",
            "suppressed": False,
        },
        {
            "start": "2026-04-01",
            "end": "2026-06-30",
            "value": None,
            "display": "<5",
            "suppressed": True,
        },
        {
            "start": "2026-07-01",
            "end": "2026-09-30",
            "value": 36.0,
            "display": "36",
            "suppressed": False,
        },
    ]
    data = exports.report_pdf(report(), CATALOGUE, {"referrals": points})
    text = pdf_strings(data)
    assert "Aanmeldingen: verloop" in text and "Aanmeldingen per maand" not in text
    assert "K1 2026: 20; K2 2026: <5; K3 2026: 36" in text


# --- nothing more than the report ------------------------------------------------------------

DISPLAY = st.one_of(st.just("<5"), st.just("x"))
LABELS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz -", min_size=1, max_size=12)


@st.composite
def breakdown(draw):
    cells = []
    for i in range(draw(st.integers(min_value=1, max_value=6))):
        if draw(st.booleans()):
            cells.append(cell(f"k{i}", draw(LABELS), None, draw(DISPLAY), suppressed=True))
        else:
            cells.append(cell(f"k{i}", draw(LABELS), float(draw(st.integers(0, 5000)))))
    return cells


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(breakdown())
def test_exports_never_show_a_number_for_a_suppressed_cell_nor_add_a_total(cells):
    found = report(cells)
    rows = list(
        csv.DictReader(
            io.StringIO(exports.report_csv(found, CATALOGUE).decode("utf-8-sig")), delimiter=";"
        )
    )
    municipal = [r for r in rows if r["uitsplitsing"] == "Gemeente"]
    # Exactly the report's cells: no total, no subtotal, nothing recomputed.
    assert len(municipal) == len(cells)
    for row, original in zip(municipal, cells, strict=True):
        assert row["waarde"] == original["display"]
        assert row["teller"] == row["noemer"] == ""
    book = load_workbook(io.BytesIO(exports.report_xlsx(found, CATALOGUE)))
    values = [
        r[4]
        for r in book["Uitsplitsingen"].iter_rows(min_row=2, values_only=True)
        if r[2] == "Gemeente"
    ]
    assert len(values) == len(cells)
    for value, original in zip(values, cells, strict=True):
        if original["suppressed"]:
            assert value == original["display"]
        else:
            assert value == original["value"]


FORMULAS = (
    '=HYPERLINK("http://x","klik")',
    "+32 zone",
    "-2+3",
    "@SUM(A1)",
    "\t=1+1",
    "  =1+1",
    "\uff1d1+1",
)


def test_every_exported_cell_is_neutralised_the_common_columns_included():
    """The network's name, the region, the status, a category, a signal's title: whatever
    text a report holds, no cell of its CSV or XLSX starts a formula."""
    for evil in FORMULAS:
        doc = report([cell("x", evil, 7.0)], network_name=evil, region=evil, status=evil)
        doc["content"]["signals"] = [
            {"raised_at": "2026-08-12", "body_kind": evil, "kind": evil, "title": evil}
        ]
        rows = list(
            csv.reader(
                io.StringIO(exports.report_csv(doc, CATALOGUE).decode("utf-8-sig")),
                delimiter=";",
            )
        )
        for row in rows:
            for value in row:
                assert value.lstrip(" ")[:1] not in exports.FORMULA_STARTS, (evil, row)
        assert rows[1][0] == "'" + evil  # the network's name, kept readable
        book = load_workbook(io.BytesIO(exports.report_xlsx(doc, CATALOGUE)))
        for ws in book.worksheets:
            for line in ws.iter_rows():
                for c in line:
                    assert c.data_type != "f", (evil, ws.title, c.coordinate, c.value)
                    if isinstance(c.value, str):
                        assert c.value.lstrip(" ")[:1] not in exports.FORMULA_STARTS, (
                            evil,
                            ws.title,
                            c.value,
                        )


def test_plain_numbers_stay_numbers_in_the_csv():
    assert exports._safe_cell("-3") == "-3"
    assert exports._safe_cell("1.234,5") == "1.234,5"
    assert exports._safe_cell("-3+4") == "'-3+4"
