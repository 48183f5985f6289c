"""Reading the CSV files partners keep their organisations and offer in (semicolon-separated,
as Flemish spreadsheets export them; UTF-8 with or without a BOM) into payloads.

Each row becomes the payload the matching RPC takes, or errors naming line and column; the
service then validates payloads with the same schemas as single calls and applies them all
or none.
"""

import csv
import io

ORGANISATION_COLUMNS = {
    # column -> payload field
    "naam": "name",
    "kbo": "kbo",
    "sector": "sector",
    "gemeenten": "municipalities",
    "email": "contact.email",
    "telefoon": "contact.phone",
    "adres": "contact.address",
    "profiel": "profile",
    "rol": "membership.role",
    "start": "membership.starts_on",
    "einde": "membership.ends_on",
}
ORGANISATION_REQUIRED = ("naam", "kbo", "sector", "rol", "start")

OFFER_COLUMNS = {
    "titel": "title",
    "kbo": "organisation.kbo",
    "soort": "kind",
    "rtj": "rtj",
    "leeftijd_min": "target_ages.min",
    "leeftijd_max": "target_ages.max",
    "situaties": "situations",
    "gemeenten": "municipalities",
    "capaciteit": "capacity",
    "vrije_plaatsen": "free_places",
    "start_vanaf": "can_start_from",
    "status": "status",
    "warme_wachtlijst": "warm_waiting_list",
    "beschrijving": "description",
}
OFFER_REQUIRED = ("titel", "kbo", "soort", "gemeenten", "capaciteit", "vrije_plaatsen")

COLUMNS = {"organisations": ORGANISATION_COLUMNS, "offer": OFFER_COLUMNS}
REQUIRED = {"organisations": ORGANISATION_REQUIRED, "offer": OFFER_REQUIRED}
LISTS = {"municipalities", "situations"}
INTEGERS = {"capacity", "free_places", "target_ages.min", "target_ages.max"}
BOOLEANS = {"warm_waiting_list"}
TRUE = {"ja", "j", "waar", "true", "1", "yes", "x"}
FALSE = {"nee", "n", "onwaar", "false", "0", "no"}


class BadFile(ValueError):
    """The file as a whole cannot be read (no header, unknown columns, ...)."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def error(line: int, field: str, message: str) -> dict:
    return {"line": line, "field": field, "message": message}


def read(kind: str, text: str) -> tuple[list[tuple[int, dict]], list[dict]]:
    """Rows of a CSV of `kind` as (line, payload), and errors naming line and column.

    Line numbers are those a spreadsheet shows: the header is line 1. Empty rows are skipped.
    """
    columns = COLUMNS[kind]
    if text.startswith("\ufeff"):
        text = text[1:]
    reader = csv.reader(io.StringIO(text), delimiter=";")
    try:
        header = next(reader)
    except StopIteration:
        raise BadFile("_file", "Het bestand is leeg.") from None
    except csv.Error as exc:
        raise BadFile("_file", f"Onleesbaar CSV-bestand: {exc}.") from None
    header = [h.strip().lower() for h in header]
    if len(header) == 1 and "," in header[0]:
        raise BadFile("_file", "Gebruik een puntkomma (;) als scheidingsteken.")
    unknown = [h for h in header if h not in columns]
    if unknown:
        raise BadFile("_file", f"Onbekende kolom(men): {', '.join(unknown)}.")
    missing = [c for c in REQUIRED[kind] if c not in header]
    if missing:
        raise BadFile("_file", f"Verplichte kolom(men) ontbreken: {', '.join(missing)}.")
    if len(set(header)) != len(header):
        raise BadFile("_file", "Een kolom staat er twee keer in.")

    rows, errors = [], []
    try:
        for values in reader:
            line = reader.line_num
            if not any(v.strip() for v in values):
                continue
            if len(values) != len(header):
                errors.append(
                    error(
                        line,
                        "_row",
                        f"Deze rij heeft {len(values)} velden, de kop {len(header)}.",
                    )
                )
                continue
            payload, row_errors = _payload(line, dict(zip(header, values, strict=True)), columns)
            errors.extend(row_errors)
            if not row_errors:
                rows.append((line, payload))
    except csv.Error as exc:
        errors.append(error(reader.line_num, "_row", f"Onleesbare rij: {exc}."))
    return rows, errors


def _payload(line: int, cells: dict, columns: dict):
    payload, errors = {}, []
    for column, raw in cells.items():
        value = raw.strip()
        path = columns[column]
        if value == "":
            continue  # empty: the payload's default (or its "required" error) applies
        leaf = path.rsplit(".", 1)[-1]
        if leaf in LISTS:
            converted = [v.strip() for v in value.replace(",", "|").split("|") if v.strip()]
        elif path in INTEGERS:
            try:
                converted = int(value)
            except ValueError:
                errors.append(error(line, column, "Geef een geheel getal."))
                continue
        elif path in BOOLEANS:
            if value.lower() in TRUE:
                converted = True
            elif value.lower() in FALSE:
                converted = False
            else:
                errors.append(error(line, column, "Geef ja of nee."))
                continue
        else:
            converted = value
        _put(payload, path, converted)
    return payload, errors


def _put(payload: dict, path: str, value) -> None:
    head, _, rest = path.partition(".")
    if rest:
        _put(payload.setdefault(head, {}), rest, value)
    else:
        payload[head] = value


def column_of(kind: str, field: str) -> str:
    """The CSV column a payload field error (dotted, maybe with a list index) belongs to."""
    by_path = {path: column for column, path in COLUMNS[kind].items()}
    parts = field.split(".")
    while parts:
        path = ".".join(parts)
        if path in by_path:
            return by_path[path]
        parts.pop()
    return "_row"


def field_errors(kind: str, line: int, fields: dict) -> list[dict]:
    """A ValidationFailed's field errors of one row as import errors."""
    return [
        error(line, column_of(kind, field), message)
        for field, messages in fields.items()
        for message in messages
    ]
