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


# --- a region's roll-up: nothing more than its networks' published reports show ------------


def _shown(item: dict | None) -> bool:
    return item is not None and not item.get("suppressed") and item.get("value") is not None


def _known_cell(indicator: dict | None, dim: str, key: str) -> float | None:
    """What a reader of this network's report knows its count in (dim, key) to be, or None:
    the shown cell; zero for a category absent from a breakdown whose cells are all shown
    (they add up to the total); zero everywhere for a shown total of zero."""
    if indicator is None:
        return None
    if indicator.get("unit") == "count" and _shown(indicator) and indicator["value"] == 0:
        return 0
    cells = (indicator.get("breakdowns") or {}).get(dim)
    if cells is None:
        return None
    for cell in cells:
        if cell["key"] == key:
            return cell["value"] if _shown(cell) else None
    return 0 if all(_shown(c) for c in cells) else None


def _sum(parts: list) -> float | None:
    return None if any(p is None for p in parts) else sum(parts)


def _set(item: dict, value, text: str | None = None) -> None:
    """Show `value` (the sum of the networks' published parts), or withhold the figure as
    "x" without any bound (a "<5" would narrow the parts)."""
    if value is None:
        item.update(value=None, display=display.HIDDEN, suppressed=True)
    else:
        item.update(value=value, display=text or display.count(value), suppressed=False)


def published_only(rollup: list[dict], reports: list[tuple[str, list[dict]]]) -> list[dict]:
    """A region's roll-up (`present` of the merged aggregates) made of what the reports it
    sums already tell: each figure is the sum of the networks' published parts where every
    part is shown, and withheld ("x") where one is not, so it adds nothing to them. Without
    this a roll-up cell minus the neighbours' published cells gave back a cell one network's
    report hid ("<5"): the IROJ viewer reads both.

    `reports`: (network_id, the published report's indicators) for every network summed."""
    parts = [(n, {i["key"]: i for i in indicators}) for n, indicators in reports]
    by_network = dict(parts)
    for item in rollup:
        key = item["key"]
        mine = [found.get(key) for _, found in parts]
        if item["unit"] == "days":
            # A day figure's count of families adds up; the median itself does not.
            item["denominator"] = _sum([(i or {}).get("denominator") for i in mine])
            continue
        if item["unit"] == "count":
            total = _sum([i["value"] if _shown(i) else None for i in mine])
            _set(item, total)
            item["numerator"] = int(total) if total is not None else None
        else:
            num = _sum([(i or {}).get("numerator") for i in mine])
            den = _sum([(i or {}).get("denominator") for i in mine])
            known = num is not None and den is not None
            item.update(numerator=num if known else None, denominator=den if known else None)
            if known and den:
                _set(item, num / den, display.share(num / den))
            elif known:
                item.update(value=None, display="–", suppressed=False)
            else:
                _set(item, None)
        for dim, cells in item["breakdowns"].items():
            for cell in cells:
                if dim == "network":
                    own = by_network.get(cell["key"], {}).get(key)
                    _set(cell, own["value"] if _shown(own) else None)
                else:
                    _set(cell, _sum([_known_cell(i, dim, cell["key"]) for i in mine]))
    return rollup
