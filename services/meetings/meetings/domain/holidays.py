"""Belgian public holidays (wettelijke feestdagen), computed rather than listed, so a series
can be planned for any year."""

import datetime as dt
from functools import lru_cache


def easter_sunday(year: int) -> dt.date:
    """Gregorian Easter (the anonymous Meeus/Jones/Butcher algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


@lru_cache(maxsize=256)
def belgian_holidays(year: int) -> dict[dt.date, str]:
    """The ten legal holidays of a year, with their Dutch names."""
    easter = easter_sunday(year)
    days = [
        (dt.date(year, 1, 1), "Nieuwjaar"),
        (easter, "Pasen"),
        (easter + dt.timedelta(days=1), "Paasmaandag"),
        (dt.date(year, 5, 1), "Dag van de Arbeid"),
        (easter + dt.timedelta(days=39), "O.L.H. Hemelvaart"),
        (easter + dt.timedelta(days=49), "Pinksteren"),
        (easter + dt.timedelta(days=50), "Pinkstermaandag"),
        (dt.date(year, 7, 21), "Nationale feestdag"),
        (dt.date(year, 8, 15), "O.L.V. Hemelvaart"),
        (dt.date(year, 11, 1), "Allerheiligen"),
        (dt.date(year, 11, 11), "Wapenstilstand"),
        (dt.date(year, 12, 25), "Kerstmis"),
    ]
    out: dict[dt.date, str] = {}
    for day, name in days:
        # Ascension can fall on 1 May (2008, 2160): one day, both names.
        out[day] = f"{out[day]} en {name}" if day in out else name
    return out


def is_holiday(day: dt.date) -> bool:
    return day in belgian_holidays(day.year)


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and not is_holiday(day)


def previous_working_day(day: dt.date) -> dt.date:
    while not is_working_day(day):
        day -= dt.timedelta(days=1)
    return day


def next_working_day(day: dt.date) -> dt.date:
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day
