"""The reference list of Flemish municipalities (gemeenten) and their NIS codes."""

import csv
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data" / "municipalities.csv"


@dataclass(frozen=True)
class Municipality:
    nis: str
    name: str
    province: str


def load(path: Path = DATA) -> dict[str, Municipality]:
    with path.open(encoding="utf-8") as f:
        lines = [line for line in f if not line.startswith("#")]
    return {
        row["nis"]: Municipality(row["nis"], row["name"], row["province"])
        for row in csv.DictReader(lines, delimiter=";")
    }


MUNICIPALITIES = load()


def unknown(codes, field: str, known=MUNICIPALITIES) -> dict[str, list[str]]:
    """Field errors (`field.<index>`) for each code that is not a Flemish municipality."""
    return {
        f"{field}.{i}": ["Onbekende NIS-code: geen Vlaamse gemeente."]
        for i, code in enumerate(codes)
        if code not in known
    }


def name_of(nis: str) -> str:
    found = MUNICIPALITIES.get(nis)
    return found.name if found else nis
