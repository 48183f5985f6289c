"""What every benchmark shares: its result line, percentiles, a stopwatch."""

import statistics
import time
from dataclasses import dataclass, field


@dataclass
class Result:
    """One benchmark: its own figure beside the baseline's, and the ratio the aim is about."""

    name: str
    line: str  # the one line printed for it (both figures and the ratio)
    ratio: float
    aim: str  # e.g. ">= 0.5"
    met: bool
    details: list[str] = field(default_factory=list)


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile of `values` (pct in 0..100)."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("no values")
    rank = max(1, min(len(ordered), round(pct / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def median(values: list[float]) -> float:
    return statistics.median(values)


def now() -> float:
    return time.perf_counter()


def wait_until(check, timeout: float, interval: float, what: str):
    """Poll `check()` until truthy; returns its value; TimeoutError after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} not reached within {timeout:.0f}s")
        time.sleep(interval)
