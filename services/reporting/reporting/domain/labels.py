"""Dutch labels of the codes a breakdown goes by."""

import csv
import datetime as dt
from functools import cache
from pathlib import Path

MUNICIPALITIES_CSV = Path(__file__).resolve().parent.parent / "data" / "municipalities.csv"
MONTH_NAMES = (
    "jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec",
)  # fmt: skip

FIXED = {
    "source_sector": {
        "ocmw": "OCMW / Sociaal Huis",
        "huis_van_het_kind": "Huis van het Kind",
        "caw": "CAW",
        "cgg": "CGG",
        "clb": "CLB",
        "kind_en_gezin": "Kind en Gezin",
        "ckg": "CKG",
        "ota": "OTA",
        "bjb": "Bijzondere jeugdbijstand",
        "mandated_body": "Mandaatorgaan (OCJ/SDJ)",
        "crisis_point": "Crisismeldpunt",
        "first_line_psychology": "Eerstelijnspsychologische zorg",
        "local_government": "Lokaal bestuur",
        "partner": "Partner van het netwerk",
        "coordinator": "Coördinator",
        "other": "Andere",
    },
    "concern": {"none": "Geen zorg", "some": "Enige zorg", "serious": "Ernstige zorg"},
    "outcome": {
        "goals_reached": "Doelen bereikt",
        "flow_through": "Doorstroom",
        "outflow": "Uitstroom",
        "dropped_out": "Afgehaakt",
        "moved_away": "Verhuisd",
    },
    "reason": {
        "no_suitable_offer": "Geen passend aanbod",
        "waiting_too_long": "Te lang wachten",
        "no_capacity": "Geen plaats",
        "cooperation_stuck": "Samenwerking vastgelopen",
        "family_unreachable": "Gezin onbereikbaar",
        "mandated_body_access": "Toegang mandaatorgaan",
        "crisis": "Crisis",
        "other": "Andere",
    },
    "body_kind": {
        "kernteam": "Kernteam",
        "beleidsgroep": "Beleidsgroep",
        "inhoudelijke_ondersteuningsgroep": "Inhoudelijke ondersteuningsgroep",
        "netwerkforum": "Netwerkforum",
        "kerngroep": "Kerngroep",
        "task_group": "Werkgroep",
        "case_table": "Casustafel",
    },
    "kind": {
        "pain_point": "Knelpunt",
        "improvement_proposal": "Verbetervoorstel",
        "mandated_body": "Mandaatorganen (OCJ/SDJ)",
        "crisis_point": "Crisismeldpunt",
    },
    "offer_kind": {"none": "Zonder aanbod"},
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
