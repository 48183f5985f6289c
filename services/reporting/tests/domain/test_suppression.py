"""Suppression: small counts hidden, and, property-based, no hidden number can be worked
out from what is shown: the totals, the other cells, the other breakdowns of the total,
and the knowledge of the rule itself ("<5" is 1 to 4, "x" is 5 or more)."""

from hypothesis import given, settings
from hypothesis import strategies as st

from reporting.domain.suppression import (
    HIDDEN,
    SHOWN,
    SMALL,
    TOTAL,
    WITHHELD,
    Table,
    share_hidden,
    suppress,
)


def bounds(status, value, threshold, cap):
    if status == SHOWN:
        return range(value, value + 1)
    if status == SMALL:
        return range(1, threshold)
    if status == WITHHELD:
        return range(0, cap + 1)
    return range(threshold, cap + 1)


def sums(ranges, cap) -> set:
    """Every sum the cells with these value ranges can reach (explicitly, by enumeration)."""
    reach = {0}
    for values in ranges:
        reach = {a + v for a in reach for v in values if a + v <= cap}
    return reach


def readable_values(table: Table, result, threshold: int, cap: int) -> dict:
    """For each hidden number, every value consistent with everything a reader sees.
    Brute force over the possible totals and, per breakdown, over each cell's values."""
    seen = {var: set() for var in result.hidden}
    for total in bounds(result.total, table.total, threshold, cap):
        per_dim = []
        for dim, cells in table.dimensions.items():
            shown = sum(v for k, v in cells.items() if result.cells[dim][k] == SHOWN)
            hidden = {
                k: bounds(result.cells[dim][k], v, threshold, cap)
                for k, v in cells.items()
                if result.cells[dim][k] != SHOWN
            }
            need = total - shown
            if need not in sums(hidden.values(), cap):
                break
            options = {}
            for key, values in hidden.items():
                rest = sums([r for k, r in hidden.items() if k != key], cap)
                options[(dim, key)] = {v for v in values if need - v in rest}
            per_dim.append(options)
        else:
            if result.total != SHOWN:
                seen[TOTAL].add(total)
            for options in per_dim:
                for var, values in options.items():
                    seen[var] |= values
    return seen


def compositions(draw, total, parts):
    cuts = sorted(draw(st.lists(st.integers(0, total), min_size=parts - 1, max_size=parts - 1)))
    edges = [0, *cuts, total]
    return [b - a for a, b in zip(edges, edges[1:], strict=False)]


@st.composite
def tables(draw):
    total = draw(st.one_of(st.integers(0, 12), st.integers(0, 40)))
    dims = {}
    for d in range(draw(st.integers(1, 3))):
        parts = compositions(draw, total, draw(st.integers(1, 5)))
        dims[f"d{d}"] = {f"c{i}": n for i, n in enumerate(parts)}
    return Table(total, dims)


@settings(max_examples=400, deadline=None)
@given(tables(), st.sampled_from([3, 5, 10]))
def test_no_suppressed_cell_can_be_derived_from_what_is_shown(table, threshold):
    result = suppress(table, threshold)
    # Every small count is hidden as small; what is shown is shown exactly; "x" is >= t.
    for dim, cells in table.dimensions.items():
        for key, value in cells.items():
            status = result.cells[dim][key]
            if 1 <= value < threshold:
                assert status in (SMALL, WITHHELD)
            if status == SMALL:
                assert 1 <= value < threshold
            if status == HIDDEN:
                assert value >= threshold
            if status == SHOWN and value:
                assert value >= threshold
    assert (result.total == SMALL) == (1 <= table.total < threshold)
    cap = table.total + 2 * threshold + 5
    values = readable_values(table, result, threshold, cap)
    for var, possible in values.items():
        true = table.total if var == TOTAL else table.dimensions[var[0]][var[1]]
        assert true in possible, (var, possible)
        assert len(possible) >= 2, (var, sorted(possible), table, result)


def test_a_single_small_cell_takes_a_second_one_with_it():
    table = Table(30, {"municipality": {"a": 3, "b": 12, "c": 15}})
    result = suppress(table, 5)
    assert result.cells["municipality"] == {"a": SMALL, "b": HIDDEN, "c": SHOWN}
    assert result.total == SHOWN


def test_two_small_cells_that_would_give_each_other_away_hide_the_total():
    # 2 + 2 = 4 with both "<3" (1 or 2): only 2 and 2 add up to 4.
    result = suppress(Table(4, {"m": {"a": 2, "b": 2}}), 3)
    assert result.total == HIDDEN and result.cells["m"] == {"a": SMALL, "b": SMALL}


def test_a_breakdown_that_would_give_itself_away_is_withheld_whole():
    # Two cells of "<3" under a total of "<3" can only be 1 and 1.
    result = suppress(Table(2, {"m": {"a": 1, "b": 1, "c": 0}}), 3)
    assert result.total == SMALL and set(result.cells["m"].values()) == {WITHHELD}


def test_zero_is_shown_and_nothing_is_hidden_without_small_counts():
    result = suppress(Table(20, {"m": {"a": 0, "b": 20}, "s": {"x": 5, "y": 15}}), 5)
    assert result.total == SHOWN
    assert result.hidden == []


def test_a_share_is_hidden_when_either_side_is_small():
    assert share_hidden(3, 40, 5)  # 3 families counted
    assert share_hidden(38, 40, 5)  # 2 families not counted
    assert share_hidden(2, 4, 5)  # 4 families in all
    assert not share_hidden(0, 40, 5) and not share_hidden(40, 40, 5)
    assert not share_hidden(20, 40, 5) and not share_hidden(0, 0, 5)
