"""Belgian Dutch (nl-BE) for dates, times, numbers and counts: one home for the services'
messages, the gateway's pages and its exports.

Month and day names and the number format come from the CLDR data of Babel, so they are
spelled as the locale spells them; times are shown in Belgian time whatever the server's
zone. Dates are dd/mm/jjjj, as Flemish forms and letters write them.
"""

import datetime as dt
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_time
from babel.numbers import format_decimal

LOCALE = Locale.parse("nl_BE")
BRUSSELS = ZoneInfo("Europe/Brussels")

MONTHS = tuple(LOCALE.months["format"]["wide"][n] for n in range(1, 13))
WEEKDAYS = tuple(LOCALE.days["format"]["wide"][n] for n in range(7))  # Monday first


def day_month(day: dt.date, with_year: bool = False) -> str:
    """`3 maart`, or `3 maart 2027` where the year is not clear from the context."""
    text = f"{day.day} {MONTHS[day.month - 1]}"
    return f"{text} {day.year}" if with_year else text


def moment(value) -> dt.datetime | dt.date | None:
    """A date or date-time (or its ISO text), a date-time in Belgian time; None if no date."""
    if isinstance(value, str):
        try:
            value = (
                dt.date.fromisoformat(value)
                if len(value) == 10
                else dt.datetime.fromisoformat(value)
            )
        except ValueError:
            return None
    if isinstance(value, dt.datetime):
        return value.astimezone(BRUSSELS) if value.tzinfo is not None else value
    return value if isinstance(value, dt.date) else None


def date_text(value) -> str:
    """dd/mm/jjjj (a date-time on its day in Belgium); text that is no date as it is."""
    if value in (None, ""):
        return ""
    when = moment(value)
    if when is None:
        return str(value)
    return format_date(when, "dd/MM/yyyy", locale=LOCALE)


def time_text(value) -> str:
    """A date-time as its time of day in Belgium: "14:00"."""
    when = moment(value) if value else None
    if not isinstance(when, dt.datetime):
        return ""
    return format_time(when, "HH:mm", locale=LOCALE)


def weekday_text(value) -> str:
    """The day of the week of a date or date-time in Belgium: "dinsdag"."""
    when = moment(value) if value else None
    return WEEKDAYS[when.weekday()] if when is not None else ""


def number_text(value, decimals: int | None = None) -> str:
    """1234.5 as "1.234,5"; with `decimals`, exactly that many ("2,50")."""
    if value in (None, ""):
        return ""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    pattern = (
        "#,##0.##" if decimals is None else "#,##0" + ("." + "0" * decimals if decimals else "")
    )
    return format_decimal(number, format=pattern, locale=LOCALE)


def count_text(count, one: str, many: str) -> str:
    """A number with its noun in the right form: "1 punt", "0 punten", "1.200 punten"."""
    number = count or 0
    return f"{number_text(number)} {one if number == 1 else many}"
