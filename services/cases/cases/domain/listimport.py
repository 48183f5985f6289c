"""Importing a waiting list kept until now in a spreadsheet: which rows can be taken over.

Pure: each row is checked with the shared row schema and the network's rules, and every
problem is reported with its line in the spreadsheet (the header is line 1) and the column
as the coordinator sees it, so one dry run shows everything to fix. A file is taken over
whole or not at all: a half-imported list would rank the families that made it ahead of
those that did not.
"""

from marshmallow import ValidationError

from verband_common.errors import flatten_messages
from verband_common.schemas.cases import IMPORT_COLUMNS, WaitingListImportRow

ROW_NOT_AN_OBJECT = "Deze rij kan niet gelezen worden."
OUTSIDE_NETWORK = "Deze gemeente hoort niet bij het werkingsgebied van dit netwerk."


def same_child(row: dict) -> tuple:
    """Two rows are the same child when first name (case and spacing aside), family name and
    birth date agree."""
    return (
        " ".join(row["child_first_name"].casefold().split()),
        " ".join(row["family_name"].casefold().split()),
        row["birth_date"],
    )


def column_of(field: str) -> str:
    """The column a field's problem is shown under: its header, or the field as it came."""
    head = field.split(".", 1)[0]
    return IMPORT_COLUMNS.get(head, head)


def outside(municipality, network_municipalities: list[str] | None) -> bool:
    """Outside the network's area; an area not known yet excludes nothing."""
    return bool(network_municipalities) and municipality not in network_municipalities


def check_rows(
    rows: list, network_municipalities: list[str] | None
) -> tuple[list[tuple[int, dict]], list[dict]]:
    """The good rows as (line, data) and every problem as {line, column, reason}."""
    good: list[tuple[int, dict]] = []
    problems: list[dict] = []
    first_seen: dict[tuple, int] = {}
    for index, raw in enumerate(rows):
        line = index + 2
        if isinstance(raw, dict) and isinstance(raw.get("line"), int) and raw["line"] >= 2:
            line = raw["line"]
        if not isinstance(raw, dict):
            problems.append({"line": line, "column": "", "reason": ROW_NOT_AN_OBJECT})
            continue
        try:
            data = WaitingListImportRow().load(raw)
        except ValidationError as err:
            found = flatten_messages(err.messages)
            for field, messages in found.items():
                for message in messages:
                    problems.append({"line": line, "column": column_of(field), "reason": message})
            # Every problem of a row at once: also the network's area beside a bad concern.
            if "municipality" not in found and outside(
                raw.get("municipality"), network_municipalities
            ):
                problems.append(
                    {"line": line, "column": column_of("municipality"), "reason": OUTSIDE_NETWORK}
                )
            continue
        bad = False
        if outside(data["municipality"], network_municipalities):
            problems.append(
                {"line": line, "column": column_of("municipality"), "reason": OUTSIDE_NETWORK}
            )
            bad = True
        key = same_child(data)
        if key in first_seen:
            problems.append(
                {
                    "line": line,
                    "column": column_of("child_first_name"),
                    "reason": f"Dit kind staat al op regel {first_seen[key]}.",
                }
            )
            bad = True
        else:
            first_seen[key] = line
        if not bad:
            good.append((line, data))
    return good, problems
