"""What people type in the portal's forms, read the Belgian way: dd/mm/jjjj dates, 14u30
hours, 1.000 as a thousand. What cannot be read is returned as typed, so that the service's
schema names the mistake in its own words."""

import datetime as dt
import re

from verband_common.dutch import BRUSSELS

_THOUSANDS = re.compile(r"^\d{1,3}([. \u202f]\d{3})+$")
_BE_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_CLOCK = re.compile(r"^(\d{1,2})[:.u](\d{2})$")


def be_date(raw):
    """A date typed as dd/mm/jjjj (or given by a date picker as JJJJ-MM-DD) as ISO text."""
    raw = (raw or "").strip()
    if not raw:
        return None
    found = _BE_DATE.match(raw)
    if found:
        return f"{found[3]}-{int(found[2]):02d}-{int(found[1]):02d}"
    return raw


def be_moment(day: str, clock: str):
    """A day (dd/mm/jjjj or JJJJ-MM-DD) and an hour (UU:MM, 14u30) as an ISO date-time in
    Belgian time."""
    iso = be_date(day)
    found = _CLOCK.match((clock or "").strip())
    if not iso:
        return None
    try:
        date = dt.date.fromisoformat(iso)
    except ValueError:
        return iso
    if not found:
        return f"{iso} {clock}".strip()
    try:
        at = dt.time(int(found[1]), int(found[2]))
    except ValueError:
        return f"{iso} {clock}"
    return dt.datetime.combine(date, at, BRUSSELS).isoformat()


def whole_number(raw):
    """A whole number typed in a form (also "1.000" or "1 000")."""
    if raw is None or str(raw).strip() == "":
        return None
    text = str(raw).strip()
    if _THOUSANDS.match(text):
        text = text.replace(".", "").replace(" ", "").replace("\u202f", "")
    try:
        return int(text)
    except ValueError:
        return str(raw)
