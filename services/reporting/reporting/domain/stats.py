"""Medians, 90th percentiles and maxima of day counts, from histograms {days: families}.

Exact, and additive: histograms of networks or months are summed before the statistic is
taken, which is how a region's median is right where a mean of medians would not be.
"""

import math


def observations(hist: dict) -> int:
    return sum(n for n in hist.values() if n > 0)


def merge(*hists: dict) -> dict:
    out: dict[int, int] = {}
    for hist in hists:
        for days, n in hist.items():
            out[int(days)] = out.get(int(days), 0) + n
    return {d: n for d, n in sorted(out.items()) if n}


def _value_at_rank(hist: dict, rank: int) -> int:
    """The `rank`-th smallest observation (1-based)."""
    seen = 0
    for days in sorted(int(d) for d in hist):
        seen += hist[days] if days in hist else hist[str(days)]
        if seen >= rank:
            return days
    raise ValueError("rank beyond the observations")


def median(hist: dict) -> float | None:
    """The middle value; for an even number of families the mean of the two middle ones."""
    hist = merge(hist)
    n = observations(hist)
    if n == 0:
        return None
    if n % 2:
        return float(_value_at_rank(hist, n // 2 + 1))
    return (_value_at_rank(hist, n // 2) + _value_at_rank(hist, n // 2 + 1)) / 2


def percentile(hist: dict, p: float) -> float | None:
    """Nearest rank: the smallest value at or below which at least p % of the families are."""
    hist = merge(hist)
    n = observations(hist)
    if n == 0:
        return None
    return float(_value_at_rank(hist, max(1, math.ceil(p / 100 * n))))


def maximum(hist: dict) -> float | None:
    hist = merge(hist)
    return float(max(hist)) if hist else None


STATISTICS = {
    "median": median,
    "p90": lambda hist: percentile(hist, 90),
    "max": maximum,
}
