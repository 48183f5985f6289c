"""Dutch labels of the codes a breakdown goes by."""

import csv
import datetime as dt
from functools import cache
from pathlib import Path

from verband_common.labels import (
    BODY_KIND_LABELS,
    BOTTLENECK_REASON_LABELS,
    CLOSING_OUTCOME_LABELS,
    CONCERN_LABELS,
    OFFER_KIND_LABELS,
    SIGNAL_KIND_LABELS,
    SOURCE_SECTOR_LABELS,
)

MUNICIPALITIES_CSV = Path(__file__).resolve().parent.parent / "data" / "municipalities.csv"
MONTH_NAMES = (
    "jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec",
)  # fmt: skip

# The codes the cases and meetings services send carry their labels from the platform's one
# label home; what only reporting groups by is named here.
FIXED = {
    "source_sector": SOURCE_SECTOR_LABELS,
    "concern": CONCERN_LABELS,
    "outcome": CLOSING_OUTCOME_LABELS,
    "reason": BOTTLENECK_REASON_LABELS,
    "body_kind": BODY_KIND_LABELS,
    "kind": {
        **SIGNAL_KIND_LABELS,
        "mandated_body": "Mandaatorganen (OCJ/SDJ)",
        "crisis_point": "Crisismeldpunt",
    },
    "offer_kind": {**OFFER_KIND_LABELS, "none": "Zonder aanbod"},
    "municipality": {"none": "Onbekend"},
}


@cache
def municipalities() -> dict[str, str]:
    with MUNICIPALITIES_CSV.open(encoding="utf-8") as f:
        rows = csv.DictReader((line for line in f if not line.startswith("#")), delimiter=";")
        return {r["nis"]: r["name"] for r in rows}


def month(key: str) -> str:
    day = dt.date.fromisoformat(key + "-01")
    return f"{MONTH_NAMES[day.month - 1]} {day.year}"


def label(dimension: str, key: str, extra: dict | None = None) -> str:
    if extra and key in extra:
        return extra[key]
    if dimension == "month":
        return month(key)
    if dimension == "municipality" and key in municipalities():
        return municipalities()[key]
    return FIXED.get(dimension, {}).get(key, key.replace("_", " "))
