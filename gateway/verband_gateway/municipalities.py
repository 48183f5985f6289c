"""Municipalities in the portal's forms: people write names (or postcodes), the records keep
NIS codes. What a person typed is resolved by the partners service, which holds the
reference list and the one rule for reading a name (partners.domain.municipalities); a
code is shown back as its name."""

import threading
import time

from flask import current_app

from verband_common.errors import VerbandError
from verband_common.schemas.partners import MAX_MUNICIPALITY_NAMES
from verband_gateway import call

# The reference list changes with a municipal merger, not within a day.
NAMES_TTL_SECONDS = 3600.0
_lock = threading.Lock()


def split(raw: str) -> list[str]:
    parts = (raw or "").replace(";", ",").replace("\n", ",").split(",")
    return [part.strip() for part in parts if part.strip()]


def codes(raw: str) -> tuple[list[str], list[str]]:
    """(NIS codes of what was typed, the parts that name no municipality). A NIS code is
    passed on as it is (the service checks it against the reference list); an unknown part
    stays in the list as typed, so the form's schema refuses it and nothing is stored."""
    parts = split(raw)
    typed = [part for part in parts if not _nis_code(part)]
    if not typed or len(parts) > MAX_MUNICIPALITY_NAMES:
        return parts, []
    found = {m["given"]: m["nis"] for m in call("partners", "resolve_municipalities", typed)}
    return [found.get(part) or part for part in parts], [p for p in typed if not found.get(p)]


def _nis_code(part: str) -> bool:
    return len(part) == 5 and part.isdigit()


def explain(errors: dict, unknown: list[str], field: str = "municipalities") -> dict:
    """The form's message for municipalities it could not read, in place of the schema's
    (which speaks of NIS codes a person never typed)."""
    if unknown:
        errors[field] = (
            "Onbekende gemeente: " + ", ".join(unknown) + ". Geef een naam, postcode of NIS-code."
        )
    return errors


def names(nis_codes) -> str:
    """The municipalities of a record as a person reads and types them: "Deinze, Eeklo"."""
    known = _reference()
    return ", ".join(known.get(code, code) for code in nis_codes or [])


def name(nis_code) -> str:
    """One municipality by its name ("Eeklo"); its code while the list cannot be read."""
    if not nis_code:
        return ""
    try:
        return _reference().get(str(nis_code), str(nis_code))
    except VerbandError:
        return str(nis_code)


def one(raw: str) -> str:
    """What a person typed for one municipality (a name, postcode or NIS code) as its NIS
    code; as typed if it names none, so that the form's schema refuses it."""
    found, _ = codes(raw)
    return found[0] if len(found) == 1 else (raw or "").strip()


def explain_one(errors: dict, raw: str, field: str = "municipality") -> dict:
    """The form's message for one municipality it could not read."""
    typed = (raw or "").strip()
    if field in errors and typed and not _nis_code(typed):
        errors[field] = f"Onbekende gemeente: {typed}. Geef een naam, postcode of NIS-code."
    return errors


def _reference() -> dict[str, str]:
    # Kept per app (so a test's app never sees another's), for NAMES_TTL_SECONDS.
    cache = current_app.extensions.setdefault("municipality_names", {"at": 0.0, "names": {}})
    with _lock:
        if cache["names"] and time.monotonic() - cache["at"] < NAMES_TTL_SECONDS:
            return cache["names"]
    fresh = {m["nis"]: m["name"] for m in call("partners", "list_municipalities")}
    with _lock:
        cache.update(at=time.monotonic(), names=fresh)
    return fresh
