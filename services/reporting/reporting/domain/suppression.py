"""Small-count suppression with complementary suppression.

A table is a total and its breakdowns (each dimension's cells add up to the total). A count
from 1 to threshold - 1 is shown as "<5" (primary suppression); zero is shown. What a
reader then still knows: every shown number, that a "<5" cell lies in 1..threshold - 1,
that a cell hidden as "x" (complementary) holds threshold or more (only those are chosen),
and that each dimension adds up to the total. Complementary suppression hides further
cells, the smallest first and the total last, until every hidden cell can still take at
least two values under all of that: no hidden number can be worked out. Where that is not
enough (two cells of "<3" under a total of "<3" can only be 1 and 1), the breakdown is
withheld whole, zeros included, so that not even which cells are empty shows.

A threshold of 2 would protect nothing ("<2" is 1), so it counts as 3; 1 turns suppression
off (for checks by hand).

The ranges are exact for this shape (each cell belongs to one dimension, every dimension
shares the total): given the total, the dimensions are independent, and a dimension's hidden
cells can reach every sum between their lowest and highest.
"""

from dataclasses import dataclass, field

SHOWN = "shown"
SMALL = "small"  # primary: 1 .. threshold - 1
HIDDEN = "hidden"  # complementary: threshold or more
WITHHELD = "withheld"  # the whole breakdown is withheld, zeros included: any value
INF = 10**12
TOTAL = ("", "")


@dataclass
class Table:
    total: int
    dimensions: dict[str, dict[str, int]] = field(default_factory=dict)


@dataclass
class Result:
    total: str
    cells: dict[str, dict[str, str]]

    def status(self, dimension: str, key: str) -> str:
        return self.total if (dimension, key) == TOTAL else self.cells[dimension][key]

    @property
    def hidden(self) -> list[tuple[str, str]]:
        out = [TOTAL] if self.total != SHOWN else []
        for dim, cells in self.cells.items():
            out += [(dim, k) for k, s in cells.items() if s != SHOWN]
        return out


def is_small(value: int, threshold: int) -> bool:
    return 1 <= value < threshold


def bounds(status: str, value: int, threshold: int) -> tuple[int, int]:
    if status == SHOWN:
        return value, value
    if status == SMALL:
        return 1, threshold - 1
    if status == WITHHELD:
        return 0, INF
    return threshold, INF


def feasible_ranges(table: Table, result: Result, threshold: int) -> dict:
    """(dimension, key) -> (lowest, highest) value a reader could deduce for each hidden
    number; TOTAL for the total."""
    t_lo, t_hi = bounds(result.total, table.total, threshold)
    per_dim = {}
    for dim, cells in table.dimensions.items():
        shown = sum(v for k, v in cells.items() if result.cells[dim][k] == SHOWN)
        hidden = {
            k: bounds(result.cells[dim][k], v, threshold)
            for k, v in cells.items()
            if result.cells[dim][k] != SHOWN
        }
        lo = shown + sum(b[0] for b in hidden.values())
        hi = min(INF, shown + sum(b[1] for b in hidden.values()))
        t_lo, t_hi = max(t_lo, lo), min(t_hi, hi)
        per_dim[dim] = (shown, hidden)
    ranges = {}
    if result.total != SHOWN:
        ranges[TOTAL] = (t_lo, t_hi)
    for dim, (shown, hidden) in per_dim.items():
        for key, (lo, hi) in hidden.items():
            others = [b for k, b in hidden.items() if k != key]
            others_lo = sum(b[0] for b in others)
            others_hi = min(INF, sum(b[1] for b in others))
            ranges[(dim, key)] = (
                max(lo, t_lo - shown - others_hi),
                min(hi, t_hi - shown - others_lo),
            )
    return ranges


def _smallest_shown(table: Table, result: Result, dim: str):
    candidates = [
        (v, k) for k, v in table.dimensions[dim].items() if result.cells[dim][k] == SHOWN and v > 0
    ]
    return min(candidates)[1] if candidates else None


def effective(threshold: int) -> int:
    return 1 if threshold <= 1 else max(3, threshold)


def suppress(table: Table, threshold: int) -> Result:
    """Which numbers of `table` to show, hide as small, or hide to protect another."""
    threshold = effective(threshold)
    result = Result(
        total=SMALL if is_small(table.total, threshold) else SHOWN,
        cells={
            dim: {k: SMALL if is_small(v, threshold) else SHOWN for k, v in cells.items()}
            for dim, cells in table.dimensions.items()
        },
    )
    while True:
        ranges = feasible_ranges(table, result, threshold)
        pinned = [var for var in _ordered(result) if ranges[var][0] >= ranges[var][1]]
        if not pinned:
            return result
        if not _protect(table, result, pinned[0], ranges):
            return _hide_everything(table, threshold)


def _ordered(result: Result) -> list:
    hidden = result.hidden
    return sorted(hidden, key=lambda var: (var != TOTAL, var))


def _protect(table: Table, result: Result, var, ranges) -> bool:
    """Hide one more number so that `var` is no longer pinned; False if none is left."""
    if var == TOTAL:
        dims = sorted(table.dimensions)
    else:
        dims = [var[0]]
    for dim in dims:
        key = _smallest_shown(table, result, dim)
        if key is not None:
            result.cells[dim][key] = HIDDEN
            return True
    if var != TOTAL and result.total == SHOWN and table.total > 0:
        result.total = HIDDEN
        return True
    # Nothing left to hide alongside: withhold the breakdown whole (for the total, the
    # first breakdown not yet withheld).
    for dim in dims if var != TOTAL else sorted(table.dimensions):
        if any(status != WITHHELD for status in result.cells[dim].values()):
            result.cells[dim] = dict.fromkeys(result.cells[dim], WITHHELD)
            return True
    return False


def _hide_everything(table: Table, threshold: int) -> Result:
    def status(value):
        if value == 0:
            return SHOWN
        return SMALL if is_small(value, threshold) else HIDDEN

    return Result(
        total=status(table.total),
        cells={d: {k: status(v) for k, v in c.items()} for d, c in table.dimensions.items()},
    )


def share_hidden(numerator: int, denominator: int, threshold: int) -> bool:
    """A share over fewer than threshold families, or whose counted or uncounted part is
    small, would point at a handful of families: it is hidden."""
    return denominator > 0 and (
        is_small(denominator, threshold)
        or is_small(numerator, threshold)
        or is_small(denominator - numerator, threshold)
    )
