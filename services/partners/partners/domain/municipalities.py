"""The reference list of Flemish municipalities (gemeenten) and their NIS codes."""

import csv
import unicodedata
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data" / "municipalities.csv"
POSTCODE_DATA = DATA.with_name("postcodes.csv")


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


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader((line for line in f if not line.startswith("#")), delimiter=";"))


# Postcode -> NIS code; partial, see the note at the top of postcodes.csv.
POSTCODES = {row["postcode"]: row["nis"] for row in _rows(POSTCODE_DATA)}


def _folded(name: str) -> str:
    """A name as residents type it: case, accents, hyphens and spaces do not matter."""
    plain = unicodedata.normalize("NFKD", name.casefold())
    return "".join(ch for ch in plain if ch.isalnum())


BY_NAME = {_folded(m.name): m for m in MUNICIPALITIES.values()}


def resolve(given: str) -> Municipality | None:
    """The municipality a resident means by a name, a postcode or a NIS code, or None."""
    given = given.strip()
    if given.isdigit() and len(given) == 4:
        return MUNICIPALITIES.get(POSTCODES.get(given, ""))
    if given.isdigit() and len(given) == 5:
        return MUNICIPALITIES.get(given)
    return BY_NAME.get(_folded(given))
