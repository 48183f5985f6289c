"""A report as a file: CSV, XLSX and PDF, from the report the reporting service froze.

Every export is a pure function of the report (its frozen indicators, already suppressed
by the service), the indicator catalogue and, for the PDF, the indicators' trends. Nothing
is recomputed here: a suppressed cell is written as its display text ("<5") and never as a
number, no total is added that the report does not hold (a total next to suppressed cells
would give them away), and a report holds no personal data, so neither does its file.

The Dutch labels of periods, units, dimensions and statuses live here too, shared with the
portal pages.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

from fpdf import FPDF
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from verband_common.dutch import MONTHS, date_text, number_text
from verband_common.labels import BODY_KIND_LABELS, SIGNAL_KIND_LABELS

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}

STATUS_LABELS = {
    "draft": "Ontwerp",
    "approved": "Goedgekeurd",
    "published": "Gepubliceerd",
    "superseded": "Vervangen door een correctie",
}
UNIT_LABELS = {"count": "aantal", "share": "aandeel", "days": "dagen"}
KIND_LABELS = {"month": "maand", "quarter": "kwartaal", "year": "jaar"}
DIMENSION_LABELS = {
    "municipality": "Gemeente",
    "source_sector": "Sector van de aanmelder",
    "sector": "Sector",
    "offer_kind": "Soort aanbod",
    "outcome": "Afloop",
    "network": "Netwerk",
    "body_kind": "Overlegorgaan",
    "body": "Overlegorgaan",
    "kind": "Soort",
    "concern": "Ernst van de zorgen",
    "reason": "Reden",
    "month": "Maand",
    "status": "Status",
    "party": "Partij",
    "agreement": "Afspraak",
}


# --- labels --------------------------------------------------------------------------------


def _date(value) -> dt.date:
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def period_label(period: dict) -> str:
    """ "3e kwartaal 2026", "juli 2026", "2026"."""
    start = _date(period["start"])
    kind = period.get("kind")
    if kind == "month":
        return f"{MONTHS[start.month - 1]} {start.year}"
    if kind == "quarter":
        return f"{(start.month - 1) // 3 + 1}e kwartaal {start.year}"
    if kind == "year":
        return str(start.year)
    return f"{date_text(start)} - {date_text(period.get('end'))}"


def short_period_label(period: dict) -> str:
    """ "K3 2026", "jul 2026", "2026": for the axis of a chart."""
    start = _date(period["start"])
    kind = period.get("kind")
    if kind == "month":
        return f"{MONTHS[start.month - 1][:3]} {start.year}"
    if kind == "quarter":
        return f"K{(start.month - 1) // 3 + 1} {start.year}"
    return str(start.year)


def dimension_label(key: str) -> str:
    return DIMENSION_LABELS.get(key, key.replace("_", " ").capitalize())


def unit_label(unit: str) -> str:
    return UNIT_LABELS.get(unit, unit)


def chart_value(unit: str, value):
    """The number a chart draws: a share as a percentage, others as they are."""
    if value is None:
        return None
    return float(value) * 100 if unit == "share" else float(value)


def catalogue_by_key(catalogue: list[dict] | None) -> dict[str, dict]:
    return {entry["key"]: entry for entry in catalogue or []}


def title_of(indicator: dict, catalogue: dict[str, dict]) -> str:
    return (catalogue.get(indicator["key"]) or {}).get("title") or indicator["key"]


def target_display(indicator: dict) -> str:
    target = indicator.get("target")
    return "" if target is None else number_text(target)


def filename(report: dict, fmt: str) -> str:
    """An ASCII file name: rapport-<network>-<period>-v<version>.<fmt>."""
    start = _date(report["period"]["start"])
    kind = report["period"].get("kind", "")
    period = {
        "month": f"{start.year}-{start.month:02d}",
        "quarter": f"{start.year}-K{(start.month - 1) // 3 + 1}",
        "year": f"{start.year}",
    }.get(kind, start.isoformat())
    name = "".join(
        c if c.isascii() and c.isalnum() else "-" for c in str(report.get("network_name") or "")
    ).strip("-")
    while "--" in name:
        name = name.replace("--", "-")
    return f"rapport-{name.lower() or 'netwerk'}-{period}-v{report.get('version', 1)}.{fmt}"


def _rows(report: dict, catalogue: dict[str, dict]):
    """(indicator, dimension, category) rows: the indicator itself (dimension None), then
    each of its breakdown cells."""
    for indicator in report["content"].get("indicators") or []:
        yield indicator, None, None
        for dimension, cells in (indicator.get("breakdowns") or {}).items():
            for cell in cells or []:
                yield indicator, dimension, cell


# --- CSV -----------------------------------------------------------------------------------

CSV_COLUMNS = (
    "netwerk",
    "regio",
    "periode",
    "periode_start",
    "periode_einde",
    "versie",
    "status",
    "indicator",
    "titel",
    "eenheid",
    "uitsplitsing",
    "categorie",
    "waarde",
    "teller",
    "noemer",
    "doel",
)


def report_csv(report: dict, catalogue: list[dict]) -> bytes:
    """One row per indicator and per breakdown cell; ";" between fields and "<5" for what is
    suppressed, as a Belgian spreadsheet opens it. Starts with a byte-order mark for Excel."""
    known = catalogue_by_key(catalogue)
    content = report["content"]
    period = content.get("period") or report["period"]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(_csv_row(*CSV_COLUMNS))
    common = (
        report.get("network_name") or content.get("network_name") or "",
        report.get("region") or content.get("region") or "",
        period_label(period),
        str(period["start"]),
        str(period.get("end") or ""),
        report.get("version", 1),
        STATUS_LABELS.get(report.get("status"), report.get("status", "")),
    )
    for indicator, dimension, cell in _rows(report, known):
        if dimension is None:
            writer.writerow(
                _csv_row(
                    *common,
                    indicator["key"],
                    title_of(indicator, known),
                    unit_label(indicator["unit"]),
                    "",
                    "",
                    indicator["display"],
                    _part(indicator, "numerator"),
                    _part(indicator, "denominator"),
                    target_display(indicator),
                )
            )
        else:
            writer.writerow(
                _csv_row(
                    *common,
                    indicator["key"],
                    title_of(indicator, known),
                    unit_label(indicator["unit"]),
                    dimension_label(dimension),
                    cell.get("label") or cell.get("key"),
                    cell["display"],
                    "",
                    "",
                    "",
                )
            )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _part(indicator: dict, name: str) -> str:
    """Numerator or denominator as shown: nothing of a suppressed indicator."""
    value = indicator.get(name)
    if indicator.get("suppressed") or value is None:
        return ""
    return number_text(value)


# What a spreadsheet may start a formula with (OWASP's CSV injection list), also in their
# full-width forms, which some spreadsheets read as the ASCII ones.
FORMULA_STARTS = frozenset("=+-@\t\r\n\uff1d\uff0b\uff0d\uff20")
PLAIN_NUMBER = re.compile(r"-?\d+(?:[.,]\d+)*(?:\s?%)?")


def _safe_cell(text) -> str:
    """A text cell a spreadsheet will not run as a formula: one that starts (after any
    spaces) with =, +, -, @, a tab or a line break gets a leading apostrophe. A plain
    number ("-3", "1.234,5") stays as it is."""
    text = str(text if text is not None else "")
    first = text.lstrip(" ")[:1]
    if first in FORMULA_STARTS and not PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def _neutral(value):
    """Any cell of an export: numbers and empty cells as they are, all text neutralised."""
    if value is None or isinstance(value, bool | int | float):
        return value
    return _safe_cell(value)


def _csv_row(*values) -> list:
    """One CSV row, every cell neutralised (the network's name and the status included)."""
    return [_neutral("" if v is None else v) for v in values]


# --- XLSX ----------------------------------------------------------------------------------


def report_xlsx(report: dict, catalogue: list[dict]) -> bytes:
    """A workbook: the report's facts, its indicators, their breakdowns, the signals and the
    definitions, each on its own sheet. Numbers as numbers, a suppressed cell as "<5"."""
    known = catalogue_by_key(catalogue)
    content = report["content"]
    period = content.get("period") or report["period"]
    book = Workbook()
    about = book.active
    about.title = "Rapport"
    facts = [
        ("Netwerk", report.get("network_name") or content.get("network_name") or ""),
        ("Regio", report.get("region") or content.get("region") or ""),
        ("Periode", period_label(period)),
        ("Van", date_text(period["start"])),
        ("Tot en met", date_text(period.get("end"))),
        ("Versie", report.get("version", 1)),
        ("Status", STATUS_LABELS.get(report.get("status"), report.get("status", ""))),
        ("Opgemaakt op", date_text(report.get("generated_at"))),
        ("Goedgekeurd door", _approval(report)),
        ("Gepubliceerd op", date_text(report.get("published_at"))),
        ("Correctie van versie", _correction(report)),
        ("Kleine aantallen", _threshold_text(content)),
    ]
    for row in facts:
        about.append([_safe_cell(row[0]), _xl(row[1])])
    about["A1"].font = Font(bold=True)

    sheet = book.create_sheet("Indicatoren")
    sheet.append(["Indicator", "Titel", "Eenheid", "Waarde", "Teller", "Noemer", "Doel"])
    for indicator in content.get("indicators") or []:
        sheet.append(
            [
                indicator["key"],
                _safe_cell(title_of(indicator, known)),
                unit_label(indicator["unit"]),
                _xl_value(indicator),
                None if indicator.get("suppressed") else indicator.get("numerator"),
                None if indicator.get("suppressed") else indicator.get("denominator"),
                indicator.get("target"),
            ]
        )
        _format_share(sheet, indicator["unit"], 4)

    cells = book.create_sheet("Uitsplitsingen")
    cells.append(["Indicator", "Titel", "Uitsplitsing", "Categorie", "Waarde"])
    for indicator, dimension, cell in _rows(report, known):
        if dimension is None:
            continue
        cells.append(
            [
                indicator["key"],
                _safe_cell(title_of(indicator, known)),
                dimension_label(dimension),
                _safe_cell(cell.get("label") or cell.get("key")),
                _xl_value({**cell, "unit": indicator["unit"]}),
            ]
        )
        _format_share(cells, indicator["unit"], 5)

    signals = book.create_sheet("Signalen")
    signals.append(["Gemeld op", "Overlegorgaan", "Soort", "Titel"])
    for signal in content.get("signals") or []:
        signals.append(
            [
                date_text(signal.get("raised_at")),
                _safe_cell(dimension_value("body_kind", signal.get("body_kind"))),
                SIGNAL_KIND_LABELS.get(signal.get("kind"), signal.get("kind") or ""),
                _safe_cell(signal.get("title")),
            ]
        )

    definitions = book.create_sheet("Definities")
    definitions.append(
        ["Indicator", "Titel", "Definitie", "Teller", "Noemer", "Periode", "Eenheid"]
    )
    for entry in catalogue or []:
        definitions.append(
            [
                entry["key"],
                _safe_cell(entry.get("title")),
                _safe_cell(entry.get("definition")),
                _safe_cell(entry.get("numerator")),
                _safe_cell(entry.get("denominator")),
                _safe_cell(entry.get("period_rule")),
                unit_label(entry.get("unit", "")),
            ]
        )

    for ws in book.worksheets:
        if ws.title != "Rapport":
            for cell in ws[1]:
                cell.font = Font(bold=True)
            ws.freeze_panes = "A2"
        for i, column in enumerate(ws.columns, start=1):
            longest = max((len(str(c.value)) for c in column if c.value is not None), default=8)
            ws.column_dimensions[get_column_letter(i)].width = min(max(longest + 2, 10), 60)
            for c in column:
                c.alignment = Alignment(vertical="top", wrap_text=longest > 60)
    _neutralise(book)
    book.properties.creator = "Verband"
    book.properties.title = f"Rapport {period_label(period)}"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _neutralise(book) -> None:
    """Every text cell of every sheet, whatever wrote it, made safe from formulas (openpyxl
    itself would store a text starting with "=" as one)."""
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str):
                    c.value = _safe_cell(c.value)


def _xl(value):
    return value if isinstance(value, int | float) else _safe_cell(value)


def _xl_value(item: dict):
    """A number where the value is shown, else the display text ("<5")."""
    if item.get("suppressed") or item.get("value") is None:
        return item.get("display") or ""
    return item["value"]


def _format_share(sheet, unit: str, column: int) -> None:
    if unit == "share":
        cell = sheet.cell(row=sheet.max_row, column=column)
        if isinstance(cell.value, int | float):
            cell.number_format = "0.0%"


def _approval(report: dict) -> str:
    if not report.get("approved_at"):
        return ""
    who = report.get("approved_by") or ""
    body = report.get("approved_by_body") or ""
    decided = report.get("approved_on") or report.get("approved_at")
    body_text = f"namens {body}, besluit van {date_text(decided)}" if body else ""
    return ", ".join(p for p in (who, body_text) if p)


def _correction(report: dict) -> str:
    if not report.get("correction_of"):
        return ""
    reason = report.get("correction_reason") or ""
    return f"correctie: {reason}" if reason else "correctie"


def _threshold_text(content: dict) -> str:
    threshold = content.get("threshold")
    if not threshold:
        return ""
    return (
        f"Aantallen van 1 tot {int(threshold) - 1} staan er als <{int(threshold)}; een cel met x "
        "is verborgen zodat een klein aantal niet uit totalen of andere cellen af te leiden is."
    )


def dimension_value(dimension: str, value) -> str:
    if dimension == "body_kind":
        return BODY_KIND_LABELS.get(value, str(value or "").replace("_", " "))
    return str(value or "")


# --- PDF -----------------------------------------------------------------------------------

_PLAIN = str.maketrans(
    {"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "…": "...", "€": "EUR"}
)
PDF_BAR = (29, 78, 137)
PDF_INK = (26, 26, 26)
PDF_GRID = (200, 200, 200)
PDF_MUTED = (85, 85, 85)


def latin1(text) -> str:
    """fpdf2's built-in fonts hold Latin-1 (all of Dutch); other typography made plain."""
    return str(text or "").translate(_PLAIN).encode("latin-1", "replace").decode("latin-1")


class _ReportPdf(FPDF):
    def __init__(self, title: str, footer: str):
        super().__init__(format="A4")
        self._footer_text = footer
        self.set_title(latin1(title))
        self.set_creator("Verband")
        self.set_auto_page_break(True, margin=18)
        self.alias_nb_pages()
        self.add_page()

    def footer(self):
        self.set_y(-12)
        self.set_font("Helvetica", "", 8)
        self.set_text_color(*PDF_MUTED)
        self.cell(0, 5, latin1(f"{self._footer_text} - pagina {self.page_no()}/{{nb}}"))
        self.set_text_color(*PDF_INK)

    def heading(self, text: str, size: int = 14):
        if self.get_y() > self.h - 50:
            self.add_page()
        self.set_font("Helvetica", "B", size)
        self.multi_cell(0, size * 0.5, latin1(text), new_x="LMARGIN", new_y="NEXT")
        self.ln(1.5)

    def para(self, text: str, style: str = "", size: int = 10):
        self.set_font("Helvetica", style, size)
        self.multi_cell(0, 5, latin1(text), new_x="LMARGIN", new_y="NEXT")

    def room(self, height: float):
        if self.get_y() + height > self.h - self.b_margin:
            self.add_page()


def report_pdf(
    report: dict, catalogue: list[dict], trends: dict[str, list[dict]] | None = None
) -> bytes:
    """The report for people: its facts and approval, the indicators in a table, charts
    (progress towards targets, bars per municipality, trends over the last periods), the
    signals passed to IROJ and the definitions of every indicator."""
    known = catalogue_by_key(catalogue)
    content = report["content"]
    period = content.get("period") or report["period"]
    network = report.get("network_name") or content.get("network_name") or ""
    status = STATUS_LABELS.get(report.get("status"), report.get("status", ""))
    doc = _ReportPdf(
        f"Monitoring {network} {period_label(period)}",
        f"{network} - {period_label(period)} - versie {report.get('version', 1)} ({status})",
    )
    doc.heading(f"Monitoring {network}", 18)
    doc.para(
        f"{period_label(period)} ({date_text(period['start'])} tot en met "
        f"{date_text(period.get('end'))})",
        "B",
        12,
    )
    doc.para(f"Regio: {report.get('region') or content.get('region') or ''}")
    doc.para(f"Versie {report.get('version', 1)} - {status}")
    doc.para(f"Opgemaakt op {date_text(report.get('generated_at'))}")
    if report.get("approved_at"):
        doc.para(f"Goedgekeurd door {_approval(report)}")
    if report.get("published_at"):
        doc.para(f"Gepubliceerd aan IROJ op {date_text(report['published_at'])}")
    if report.get("correction_of"):
        doc.para(
            f"Deze versie corrigeert een eerder gepubliceerde: "
            f"{report.get('correction_reason') or ''}",
            "I",
        )
    if _threshold_text(content):
        doc.ln(1)
        doc.para(_threshold_text(content), "I", 9)
    doc.ln(4)

    indicators = content.get("indicators") or []
    doc.heading("Indicatoren")
    _indicator_table(doc, indicators, known)

    doc.ln(4)
    doc.heading("Grafieken")
    for indicator in indicators:
        title = title_of(indicator, known)
        if indicator.get("target") not in (None, 0):
            _progress_bar(doc, f"{title}: voortgang naar het doel", indicator)
        for dimension in ("municipality",):
            cells = (indicator.get("breakdowns") or {}).get(dimension)
            if cells:
                _bars(doc, f"{title} per {dimension_label(dimension).lower()}", indicator, cells)
        course = (trends or {}).get(indicator["key"])
        months = (indicator.get("breakdowns") or {}).get("month") or []
        if course:
            points = [(short_period_label({**p, "kind": period["kind"]}), p) for p in course]
            _trend(doc, f"{title}: verloop", indicator["unit"], points)
        elif trends is None and len(months) > 1:
            points = [(c.get("label") or c["key"], c) for c in months]
            _trend(doc, f"{title} per maand", indicator["unit"], points)

    doc.heading("Signalen aan IROJ")
    signals = content.get("signals") or []
    if not signals:
        doc.para("Geen signalen in deze periode.")
    for signal in signals:
        doc.para(
            f"{date_text(signal.get('raised_at'))} - "
            f"{dimension_value('body_kind', signal.get('body_kind'))} - "
            f"{SIGNAL_KIND_LABELS.get(signal.get('kind'), signal.get('kind') or '')}",
            "B",
        )
        doc.para(signal.get("title") or "")
        doc.ln(1)

    doc.ln(3)
    doc.heading("Definities van de indicatoren")
    for entry in catalogue or []:
        doc.room(30)
        doc.para(entry.get("title") or entry["key"], "B")
        doc.para(entry.get("definition") or "")
        doc.para(f"Teller: {entry.get('numerator') or '-'}", size=9)
        doc.para(f"Noemer: {entry.get('denominator') or '-'}", size=9)
        doc.para(f"Periode: {entry.get('period_rule') or '-'}", size=9)
        doc.para(f"Eenheid: {unit_label(entry.get('unit', ''))}", size=9)
        doc.ln(2)
    return bytes(doc.output())


def _indicator_table(doc: _ReportPdf, indicators: list[dict], known: dict) -> None:
    widths = (98, 30, 30, 32)
    heads = ("Indicator", "Waarde", "Eenheid", "Doel")
    doc.set_font("Helvetica", "B", 9)
    doc.set_fill_color(230, 236, 245)
    for width, head in zip(widths, heads, strict=True):
        doc.cell(width, 7, latin1(head), border=1, fill=True)
    doc.ln()
    doc.set_font("Helvetica", "", 9)
    for indicator in indicators:
        doc.room(7)
        cells = (
            title_of(indicator, known),
            indicator["display"],
            unit_label(indicator["unit"]),
            target_display(indicator),
        )
        for width, text in zip(widths, cells, strict=True):
            doc.cell(width, 7, latin1(_fit(doc, text, width - 2)), border=1)
        doc.ln()


def _fit(doc: FPDF, text: str, width: float) -> str:
    text = latin1(text)
    while text and doc.get_string_width(text) > width:
        text = text[:-2] + "."
    return text


def _progress_bar(doc: _ReportPdf, title: str, indicator: dict) -> None:
    doc.room(26)
    doc.para(title, "B", 10)
    x, y, width, height = doc.l_margin, doc.get_y() + 1, 150, 8
    target = float(indicator["target"])
    doc.set_draw_color(*PDF_INK)
    doc.rect(x, y, width, height)
    value = indicator.get("value")
    if value is not None and not indicator.get("suppressed") and target > 0:
        share = min(float(value) / target, 1.0)
        if share > 0:
            doc.set_fill_color(*PDF_BAR)
            doc.rect(x, y, width * share, height, style="F")
        words = f"{indicator['display']} van {number_text(target)} ({share * 100:.0f} %)"
    else:
        words = f"{indicator['display']} van {number_text(target)}"
    doc.set_xy(x, y + height + 1)
    doc.para(words, size=9)
    doc.ln(3)


def _bars(doc: _ReportPdf, title: str, indicator: dict, cells: list[dict]) -> None:
    row, label_w, bar_w = 6, 55, 100
    doc.room(12 + row * len(cells))
    doc.para(title, "B", 10)
    values = [
        chart_value(indicator["unit"], c["value"])
        for c in cells
        if not c.get("suppressed") and c.get("value") is not None
    ]
    top = max(values) if values else 0
    doc.set_font("Helvetica", "", 8)
    for cell in cells:
        doc.room(row)
        y = doc.get_y()
        doc.set_xy(doc.l_margin, y)
        doc.cell(label_w, row, latin1(_fit(doc, cell.get("label") or cell.get("key"), label_w - 2)))
        value = None if cell.get("suppressed") else chart_value(indicator["unit"], cell["value"])
        length = bar_w * value / top if value and top else 0
        if length > 0:
            doc.set_fill_color(*PDF_BAR)
            doc.rect(doc.l_margin + label_w, y + 1, length, row - 2, style="F")
        doc.set_xy(doc.l_margin + label_w + length + 2, y)
        if value is None:
            doc.set_text_color(*PDF_MUTED)
        doc.cell(20, row, latin1(cell["display"]))
        doc.set_text_color(*PDF_INK)
        doc.set_xy(doc.l_margin, y + row)
    doc.ln(4)


def _trend(doc: _ReportPdf, title: str, unit: str, points: list[tuple[str, dict]]) -> None:
    """A line over (label, value) points; a suppressed point breaks the line."""
    height, width = 40, 150
    doc.room(height + 22)
    doc.para(title, "B", 10)
    x0, y0 = doc.l_margin + 12, doc.get_y() + 3
    values = [
        chart_value(unit, p["value"])
        for _, p in points
        if not p.get("suppressed") and p.get("value") is not None
    ]
    top = max(values) if values and max(values) > 0 else 1
    doc.set_draw_color(*PDF_GRID)
    doc.set_font("Helvetica", "", 7)
    for fraction in (0, 0.5, 1):
        y = y0 + height * (1 - fraction)
        doc.line(x0, y, x0 + width, y)
        doc.set_xy(doc.l_margin, y - 2)
        doc.cell(11, 4, latin1(number_text(round(top * fraction, 1))), align="R")
    step = width / max(len(points) - 1, 1)
    previous = None
    doc.set_draw_color(*PDF_BAR)
    doc.set_fill_color(*PDF_BAR)
    doc.set_line_width(0.6)
    for i, (label, point) in enumerate(points):
        x = x0 + i * step if len(points) > 1 else x0 + width / 2
        doc.set_xy(x - 10, y0 + height + 1)
        doc.cell(20, 4, latin1(label[:12]), align="C")
        value = None if point.get("suppressed") else chart_value(unit, point.get("value"))
        if value is None:
            doc.set_xy(x - 10, y0 + height + 5)
            doc.cell(20, 4, latin1(point.get("display") or ""), align="C")
            previous = None
            continue
        y = y0 + height * (1 - value / top)
        if previous is not None:
            doc.line(previous[0], previous[1], x, y)
        doc.ellipse(x - 0.9, y - 0.9, 1.8, 1.8, style="F")
        previous = (x, y)
    doc.set_line_width(0.2)
    doc.set_draw_color(*PDF_INK)
    doc.set_xy(doc.l_margin, y0 + height + 11)
    doc.para("; ".join(f"{label}: {p.get('display') or ''}" for label, p in points), size=8)
    doc.ln(3)
