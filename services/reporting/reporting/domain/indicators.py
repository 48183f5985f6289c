"""From aggregates to the indicators a network or IROJ reads, suppressed.

`aggregates` are what the store gathers for one network and period (or what a roll-up sums
over networks): per indicator key, a count (`total`), a share (`numerator`, `denominator`)
or a day histogram (`hist`), with breakdown counts. They are never shown as they are:
`present` applies the catalogue's units and suppression.
"""

from reporting.domain import display, labels, stats
from reporting.domain.catalogue import DEFINITIONS, Definition
from reporting.domain.suppression import (
    HIDDEN,
    SHOWN,
    SMALL,
    WITHHELD,
    Table,
    share_hidden,
    suppress,
)


def empty(definition: Definition) -> dict:
    if definition.unit == "days":
        return {"hist": {}}
    if definition.unit == "share":
        return {"numerator": 0, "denominator": 0, "breakdowns": {}}
    return {"total": 0, "breakdowns": {}, "target": None}


def _cell_display(status: str, value, threshold: int) -> str:
    if status == SMALL:
        return display.small(threshold)
    if status in (HIDDEN, WITHHELD):
        return display.HIDDEN
    return display.count(value)


def _cells(dim, counts, statuses, threshold, extra_labels) -> list[dict]:
    rows = []
    for key in sorted(
        counts, key=lambda k: (dim != "month", -counts[k], k) if dim != "month" else k
    ):
        status = statuses[key]
        rows.append(
            {
                "key": key,
                "label": labels.label(dim, key, extra_labels.get(dim)),
                "value": counts[key] if status == SHOWN else None,
                "display": _cell_display(status, counts[key], threshold),
                "suppressed": status != SHOWN,
            }
        )
    return rows


def _breakdown_table(total: int, breakdowns: dict) -> Table:
    # A dimension that does not add up to the total (it should) is left out of the table
    # rather than shown unprotected.
    dims = {d: dict(c) for d, c in breakdowns.items() if sum(c.values()) == total}
    return Table(total, dims)


def _present_count(d: Definition, a: dict, threshold: int, extra: dict) -> dict:
    total = int(a.get("total") or 0)
    table = _breakdown_table(total, a.get("breakdowns") or {})
    if d.families:
        result = suppress(table, threshold)
    else:
        result = suppress(table, 1)  # nothing is small; complementary never needed
    shown = result.total == SHOWN
    target = a.get("target")
    return {
        "key": d.key,
        "unit": d.unit,
        "value": float(total) if shown else None,
        "display": _cell_display(result.total, total, threshold),
        "suppressed": not shown,
        "numerator": total if shown else None,
        "denominator": target if target is not None else None,
        "target": target,
        "breakdowns": {
            dim: _cells(dim, counts, result.cells[dim], threshold, extra)
            for dim, counts in table.dimensions.items()
        },
    }


def _present_share(d: Definition, a: dict, threshold: int, extra: dict) -> dict:
    num, den = int(a.get("numerator") or 0), int(a.get("denominator") or 0)
    hidden = d.families and share_hidden(num, den, threshold)
    table = _breakdown_table(num, a.get("breakdowns") or {})
    result = suppress(table, threshold if d.families else 1)
    if hidden:  # the breakdown would add up to the hidden numerator: withheld whole
        for dim in table.dimensions:
            result.cells[dim] = dict.fromkeys(result.cells[dim], WITHHELD)
    if den == 0:
        value, text = None, "–"
    elif hidden:
        value, text = None, display.small(threshold)
    else:
        value = num / den
        text = display.share(value)
    return {
        "key": d.key,
        "unit": d.unit,
        "value": value,
        "display": text,
        "suppressed": bool(hidden),
        "numerator": None if hidden else num,
        "denominator": None if hidden else den,
        "target": None,
        "breakdowns": {
            dim: _cells(dim, counts, result.cells[dim], threshold, extra)
            for dim, counts in table.dimensions.items()
        },
    }


def _present_days(d: Definition, a: dict, threshold: int) -> dict:
    hist = stats.merge(a.get("hist") or {})
    n = stats.observations(hist)
    hidden = d.families and 1 <= n < threshold
    value = None if hidden or n == 0 else stats.STATISTICS[d.statistic](hist)
    return {
        "key": d.key,
        "unit": d.unit,
        "value": value,
        "display": display.small(threshold) if hidden else display.shown("days", value),
        "suppressed": hidden,
        "numerator": None,
        "denominator": None if hidden else n,
        "target": None,
        "breakdowns": {},
    }


def present(aggregates: dict, threshold: int) -> list[dict]:
    """The catalogue's indicators, in catalogue order, from `aggregates`."""
    extra = aggregates.get("labels") or {}
    out = []
    for d in DEFINITIONS:
        a = aggregates.get("indicators", {}).get(d.key) or empty(d)
        if d.unit == "count":
            out.append(_present_count(d, a, threshold, extra))
        elif d.unit == "share":
            out.append(_present_share(d, a, threshold, extra))
        else:
            out.append(_present_days(d, a, threshold))
    return out


def _add_counts(into: dict, counts: dict) -> None:
    for key, n in counts.items():
        into[key] = into.get(key, 0) + n


def merge(parts: list[tuple[str, dict]]) -> dict:
    """Sum the aggregates of several networks ((network_id, aggregates) pairs), with a
    `network` breakdown of every count, for a region's roll-up."""
    merged: dict = {"indicators": {}, "labels": {}}
    for network_id, aggregates in parts:
        for dim, names in (aggregates.get("labels") or {}).items():
            merged["labels"].setdefault(dim, {}).update(names)
        for d in DEFINITIONS:
            a = (aggregates.get("indicators") or {}).get(d.key) or empty(d)
            m = merged["indicators"].setdefault(d.key, empty(d))
            if d.unit == "days":
                m["hist"] = stats.merge(m["hist"], a.get("hist") or {})
                continue
            for dim, counts in (a.get("breakdowns") or {}).items():
                _add_counts(m["breakdowns"].setdefault(dim, {}), counts)
            if d.unit == "share":
                m["numerator"] += int(a.get("numerator") or 0)
                m["denominator"] += int(a.get("denominator") or 0)
                continue
            total = int(a.get("total") or 0)
            m["total"] += total
            _add_counts(m["breakdowns"].setdefault("network", {}), {str(network_id): total})
            if a.get("target") is not None:
                m["target"] = (m["target"] or 0) + int(a["target"])
    return merged
