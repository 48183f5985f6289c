"""Dutch (nl-BE) words for dates, shared by the services' messages and the gateway's pages, so
a month is spelled in one place."""

import datetime as dt

MONTHS = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)


def day_month(day: dt.date, with_year: bool = False) -> str:
    """`3 maart`, or `3 maart 2027` where the year is not clear from the context."""
    text = f"{day.day} {MONTHS[day.month - 1]}"
    return f"{text} {day.year}" if with_year else text
