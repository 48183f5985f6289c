"""Reading a waiting list a coordinator kept in a spreadsheet: CSV (UTF-8, `;` or `,`, as
Excel in Belgium saves it) or XLSX, told apart by their content rather than their name.

The file's own problems (not a spreadsheet, too big, unknown or missing columns) are refused
here, naming the form's `file` field; the rows go to the cases service as they are written,
each with its line (the header is line 1), and the service judges every row.
"""

import csv
import datetime as dt
import io
import re
import zipfile

from flask import Response

from verband_common.errors import ValidationFailed
from verband_common.schemas.cases import (
    IMPORT_COLUMNS,
    MAX_IMPORT_ROWS,
    REQUIRED_IMPORT_COLUMNS,
)

FIELD = "file"
# A waiting list of MAX_IMPORT_ROWS families is well under this.
MAX_FILE_BYTES = 2 * 1024 * 1024
# An XLSX is a zip: its unpacked parts are bounded too, so a small file cannot unpack into
# gigabytes (a zip bomb).
MAX_UNPACKED_BYTES = 40 * 1024 * 1024
DATE_COLUMNS = ("birth_date", "referred_on")
# 31/12/2024, 31-12-2024, 31.12.2024: how a Belgian spreadsheet writes a date as text.
BELGIAN_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
HEADERS = {header: key for key, header in IMPORT_COLUMNS.items()}


def refused(message: str) -> ValidationFailed:
    return ValidationFailed(message, {FIELD: [message]})


def template_csv() -> str:
    """The header a coordinator fills in, with `;` as Excel in Belgium expects; the BOM
    makes Excel read it as UTF-8."""
    return "\ufeff" + ";".join(IMPORT_COLUMNS.values()) + "\r\n"


def template_response() -> Response:
    return Response(
        template_csv(),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="wachtlijst-sjabloon.csv"'},
    )


def read_waiting_list(raw: bytes) -> list[dict]:
    """The rows of a waiting list, each with its `line`; raises ValidationFailed on `file`."""
    if len(raw) > MAX_FILE_BYTES:
        raise refused(f"Het bestand is te groot (hoogstens {MAX_FILE_BYTES // (1024 * 1024)} MB).")
    if not raw.strip():
        raise refused("Het bestand is leeg.")
    lines = _xlsx_lines(raw) if raw.startswith(b"PK\x03\x04") else _csv_lines(raw)
    return _rows(lines)


def _csv_lines(raw: bytes):
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise refused(
            "Dit is geen CSV-bestand in UTF-8 of XLSX-bestand. Bewaar het als ‘CSV UTF-8’ of"
            " als Excel-werkmap (.xlsx)."
        ) from None
    if "\x00" in text:
        raise refused("Dit is geen CSV- of XLSX-bestand.")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    try:
        yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    except csv.Error:
        raise refused("Dit CSV-bestand kan niet gelezen worden (aanhalingstekens?).") from None


def with_nis_codes(rows: list[dict], municipalities) -> list[dict]:
    """A municipality written by its name (any case) becomes its NIS code. `municipalities`
    gives partners' list of {nis, name}; it is only asked when a row names one. A name it
    does not know is left as written, so the row's report names the column."""
    named = [r for r in rows if isinstance(r.get("municipality"), str)]
    named = [r for r in named if r["municipality"] and not r["municipality"].isdigit()]
    if not named:
        return rows
    by_name = {" ".join(m["name"].split()).casefold(): m["nis"] for m in municipalities()}
    for row in named:
        row["municipality"] = by_name.get(
            " ".join(row["municipality"].split()).casefold(), row["municipality"]
        )
    return rows


def _xlsx_lines(raw: bytes):
    import openpyxl  # only a coordinator's import needs it

    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            if sum(i.file_size for i in archive.infolist()) > MAX_UNPACKED_BYTES:
                raise refused("Deze werkmap is te groot.")
            if "xl/workbook.xml" not in archive.namelist():
                raise refused("Dit is geen XLSX-bestand (Excel-werkmap).")
        book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except ValidationFailed:
        raise
    except Exception:  # noqa: BLE001 - any unreadable workbook is the file's problem
        raise refused("Deze werkmap kan niet gelezen worden.") from None
    try:
        sheet = book.worksheets[0]
        for values in sheet.iter_rows(values_only=True):
            yield list(values)
    finally:
        book.close()


def _cell(value, key: str):
    """A cell as the row schema reads it: text, a whole number (a NIS code) as its digits,
    a date as YYYY-MM-DD."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (int, float)):
        return str(value)
    value = str(value).strip()
    if key in DATE_COLUMNS and (found := BELGIAN_DATE.match(value)):
        day, month, year = (int(g) for g in found.groups())
        try:
            return dt.date(year, month, day).isoformat()
        except ValueError:
            return value  # the service names the column and the bad date
    return value


def _rows(lines) -> list[dict]:
    lines = iter(lines)
    header = next(lines, None)
    if not header or not any(str(h or "").strip() for h in header):
        raise refused("De eerste regel moet de kolomnamen geven.")
    keys = []
    for name in header:
        name = " ".join(str(name or "").split()).casefold()
        if name and name not in HEADERS:
            raise refused(f"Onbekende kolom ‘{name}’. Gebruik de kolommen van het sjabloon.")
        keys.append(HEADERS.get(name))
    missing = [IMPORT_COLUMNS[k] for k in REQUIRED_IMPORT_COLUMNS if k not in keys]
    if missing:
        raise refused("Deze kolommen ontbreken: " + ", ".join(missing) + ".")
    rows = []
    for line, values in enumerate(lines, start=2):
        if not any(v is not None and str(v).strip() for v in values):
            continue  # an empty line, e.g. the end of a sheet
        if len(rows) == MAX_IMPORT_ROWS:
            raise refused(f"Het bestand heeft meer dan {MAX_IMPORT_ROWS} gezinnen.")
        row = {"line": line}
        for key, value in zip(keys, values, strict=False):
            if key is not None:
                row[key] = _cell(value, key)
        rows.append(row)
    if not rows:
        raise refused("Het bestand heeft geen gezinnen onder de kolomnamen.")
    return rows
