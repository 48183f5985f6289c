"""Everything an IROJ viewer reads together, property-based: every published report of every
network of the region, the region's roll-up of each period, and each network's reports over
the periods of a year. No cell that one of them hides can be worked out by sums and
differences of the cells they show.

The model is linear algebra over the underlying counts: atoms are a network's referrals of
one month in one municipality; every published cell is the sum of some atoms (a report's
total, a municipality over the period, a month; a roll-up's sums over its networks), and a
reader who adds and subtracts shown cells knows exactly the combinations in the row space of
the shown cells' vectors. A hidden cell is exposed iff its vector lies in that row space: the
rank does not grow when it is added. Exact rational arithmetic (Fraction), no floating point.
"""

import datetime as dt
from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reporting.domain import indicators, lifecycle
from reporting.domain.periods import Period

YEAR = 2026
MUNICIPALITIES = ("23002", "23050", "23088")
THRESHOLD = 5
QUARTERS = [Period("quarter", dt.date(YEAR, m, 1)) for m in (1, 4, 7, 10)]
PERIODS = [*QUARTERS, Period("year", dt.date(YEAR, 1, 1))]


def month_key(month: dt.date) -> str:
    return month.strftime("%Y-%m")


def aggregates(counts: dict, period: Period) -> dict:
    """One network's `referrals` aggregates of a period, as the store makes them: the total,
    per municipality and per month; `counts`: (month index, municipality) -> n."""
    by_municipality = dict.fromkeys(MUNICIPALITIES, 0)
    by_month = {}
    for month in period.months:
        by_month[month_key(month)] = 0
        for m in MUNICIPALITIES:
            n = counts.get((month.month - 1, m), 0)
            by_municipality[m] += n
            by_month[month_key(month)] += n
    breakdowns = {
        "municipality": {k: v for k, v in by_municipality.items() if v},
        "month": by_month,
    }
    total = sum(by_municipality.values())
    return {"indicators": {"referrals": {"total": total, "breakdowns": breakdowns}}, "labels": {}}


def referrals(presented: list[dict]) -> dict:
    return next(i for i in presented if i["key"] == "referrals")


class Atoms:
    """The columns: (network, month index, municipality)."""

    def __init__(self, networks: int):
        self.index = {
            (n, mo, m): i
            for i, (n, mo, m) in enumerate(
                (n, mo, m) for n in range(networks) for mo in range(12) for m in MUNICIPALITIES
            )
        }

    def vector(self, networks, months, municipalities) -> tuple:
        v = [0] * len(self.index)
        for n in networks:
            for mo in months:
                for m in municipalities:
                    v[self.index[(n, mo, m)]] = 1
        return tuple(v)


def cells(atoms: Atoms, networks: list[int], period: Period, indicator: dict, names: dict):
    """(vector, shown) of every cell of a published `referrals` indicator: its total, its
    municipality and month cells and, in a roll-up, its network cells."""
    months = [m.month - 1 for m in period.months]
    out = [(atoms.vector(networks, months, MUNICIPALITIES), not indicator["suppressed"])]
    for dim, listed in indicator["breakdowns"].items():
        for cell in listed:
            if dim == "municipality":
                v = atoms.vector(networks, months, [cell["key"]])
            elif dim == "month":
                v = atoms.vector(networks, [int(cell["key"][5:]) - 1], MUNICIPALITIES)
            else:  # network
                v = atoms.vector([names[cell["key"]]], months, MUNICIPALITIES)
            out.append((v, not cell["suppressed"]))
    return out


def row_reduce(rows: list[tuple]) -> list[list[Fraction]]:
    """An echelon basis of the rows' span (exact)."""
    basis: list[list[Fraction]] = []
    pivots: list[int] = []
    for row in rows:
        r = [Fraction(x) for x in row]
        for b, p in zip(basis, pivots, strict=True):
            if r[p]:
                factor = r[p] / b[p]
                r = [x - factor * y for x, y in zip(r, b, strict=True)]
        lead = next((i for i, x in enumerate(r) if x), None)
        if lead is not None:
            basis.append(r)
            pivots.append(lead)
    return basis


def in_span(basis: list[list[Fraction]], vector: tuple) -> bool:
    r = [Fraction(x) for x in vector]
    for b in basis:
        lead = next(i for i, x in enumerate(b) if x)
        if r[lead]:
            factor = r[lead] / b[lead]
            r = [x - factor * y for x, y in zip(r, b, strict=True)]
    return not any(r)


def publish_all(monthly: list[dict], wishes: list[tuple[int, int]]):
    """Publish the wished (network, period index) reports in order, as the service would:
    refused where the network already published an overlapping period. Then the region's
    roll-up of every period with a published report. Yields (networks, period, indicator)."""
    published: dict[int, dict] = {}  # network -> {period: presented}
    for n, p in wishes:
        period = PERIODS[p]
        mine = published.setdefault(n, {})
        if period in mine or lifecycle.overlapping(period, list(mine)) is not None:
            continue
        mine[period] = indicators.present(aggregates(monthly[n], period), THRESHOLD)
    for n, mine in published.items():
        for period, presented in mine.items():
            yield [n], period, referrals(presented), {}
    for period in PERIODS:
        networks = [n for n in sorted(published) if period in published[n]]
        if not networks:
            continue
        merged = indicators.merge([(f"n{n}", aggregates(monthly[n], period)) for n in networks])
        rollup = indicators.published_only(
            indicators.present(merged, THRESHOLD),
            [(f"n{n}", published[n][period]) for n in networks],
        )
        yield networks, period, referrals(rollup), {f"n{n}": n for n in networks}


monthly_counts = st.dictionaries(
    st.tuples(st.integers(0, 11), st.sampled_from(MUNICIPALITIES)),
    st.integers(0, 12),
    max_size=20,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    monthly=st.lists(monthly_counts, min_size=2, max_size=3),
    wishes=st.lists(st.tuples(st.integers(0, 2), st.integers(0, 4)), min_size=1, max_size=8),
)
def test_no_hidden_cell_is_derivable_from_everything_published(monthly, wishes):
    wishes = [(n % len(monthly), p) for n, p in wishes]
    atoms = Atoms(len(monthly))
    shown, hidden = [], []
    for networks, period, indicator, names in publish_all(monthly, wishes):
        for vector, is_shown in cells(atoms, networks, period, indicator, names):
            (shown if is_shown else hidden).append(vector)
    basis = row_reduce(shown)
    exposed = [v for v in hidden if in_span(basis, v)]
    assert not exposed


def test_the_attack_of_the_issue_is_closed():
    """Network A hides a municipality ("<5": 3 referrals); network B shows its 7 there; the
    roll-up used to show 10, giving back A's 3. Now the roll-up withholds that cell."""
    a = {(0, "23002"): 3, (0, "23050"): 20, (1, "23050"): 15}
    b = {(0, "23002"): 7, (0, "23050"): 30, (1, "23088"): 12}
    q1 = QUARTERS[0]
    shown_a = indicators.present(aggregates(a, q1), THRESHOLD)
    shown_b = indicators.present(aggregates(b, q1), THRESHOLD)
    cell_a = {c["key"]: c for c in referrals(shown_a)["breakdowns"]["municipality"]}["23002"]
    cell_b = {c["key"]: c for c in referrals(shown_b)["breakdowns"]["municipality"]}["23002"]
    assert cell_a["display"] == "<5" and cell_b["value"] == 7
    merged = indicators.merge([("a", aggregates(a, q1)), ("b", aggregates(b, q1))])
    before = referrals(indicators.present(merged, THRESHOLD))
    roll = {c["key"]: c for c in before["breakdowns"]["municipality"]}
    assert roll["23002"]["value"] == 10  # what the roll-up used to publish
    after = referrals(
        indicators.published_only(
            indicators.present(merged, THRESHOLD), [("a", shown_a), ("b", shown_b)]
        )
    )
    roll = {c["key"]: c for c in after["breakdowns"]["municipality"]}
    assert roll["23002"]["value"] is None and roll["23002"]["display"] == "x"


def test_a_year_and_its_quarters_are_not_both_published():
    year, q3 = PERIODS[-1], QUARTERS[2]
    assert lifecycle.overlapping(year, [q3]) == q3
    assert lifecycle.overlapping(q3, [year]) == year
    assert lifecycle.overlapping(q3, [q3, QUARTERS[1]]) is None  # a correction; another quarter
    assert lifecycle.overlapping(Period("year", dt.date(YEAR + 1, 1, 1)), [q3]) is None


def test_the_model_finds_the_leaks_it_must_find():
    """The checker itself: a year total shown next to three shown quarters exposes the fourth
    quarter; a roll-up total minus a neighbour's total exposes the other network's total."""
    atoms = Atoms(2)
    quarter = [atoms.vector([0], range(3 * q, 3 * q + 3), MUNICIPALITIES) for q in range(4)]
    year = atoms.vector([0], range(12), MUNICIPALITIES)
    basis = row_reduce([year, *quarter[:3]])
    assert in_span(basis, quarter[3])
    both = atoms.vector([0, 1], range(3), MUNICIPALITIES)
    basis = row_reduce([both, atoms.vector([1], range(3), MUNICIPALITIES)])
    assert in_span(basis, quarter[0])
    assert not in_span(row_reduce([both]), quarter[0])
