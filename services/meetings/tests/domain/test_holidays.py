"""Belgian public holidays, Easter-based ones included, computed for any year."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from meetings.domain.holidays import (
    belgian_holidays,
    easter_sunday,
    is_working_day,
    next_working_day,
    previous_working_day,
)

D = dt.date


def test_easter_of_known_years():
    assert easter_sunday(2024) == D(2024, 3, 31)
    assert easter_sunday(2025) == D(2025, 4, 20)
    assert easter_sunday(2026) == D(2026, 4, 5)
    assert easter_sunday(2027) == D(2027, 3, 28)
    assert easter_sunday(2038) == D(2038, 4, 25)  # the latest possible date


def test_the_holidays_of_2027():
    assert belgian_holidays(2027) == {
        D(2027, 1, 1): "Nieuwjaar",
        D(2027, 3, 28): "Pasen",
        D(2027, 3, 29): "Paasmaandag",
        D(2027, 5, 1): "Dag van de Arbeid",
        D(2027, 5, 6): "O.L.H. Hemelvaart",
        D(2027, 5, 16): "Pinksteren",
        D(2027, 5, 17): "Pinkstermaandag",
        D(2027, 7, 21): "Nationale feestdag",
        D(2027, 8, 15): "O.L.V. Hemelvaart",
        D(2027, 11, 1): "Allerheiligen",
        D(2027, 11, 11): "Wapenstilstand",
        D(2027, 12, 25): "Kerstmis",
    }


@given(st.integers(min_value=1900, max_value=2200))
def test_easter_is_a_sunday_between_22_march_and_25_april(year):
    easter = easter_sunday(year)
    assert easter.weekday() == 6
    assert D(year, 3, 22) <= easter <= D(year, 4, 25)
    holidays = belgian_holidays(year)
    assert (easter + dt.timedelta(days=39)).weekday() == 3  # Ascension: a Thursday
    assert (easter + dt.timedelta(days=50)).weekday() == 0  # Whit Monday
    assert sum(name.count(" en ") + 1 for name in holidays.values()) == 12


def test_two_holidays_on_one_day_keep_both_names():
    assert belgian_holidays(2008)[D(2008, 5, 1)] == "Dag van de Arbeid en O.L.H. Hemelvaart"


@given(st.dates(min_value=D(2000, 1, 1), max_value=D(2100, 12, 31)))
def test_the_nearest_working_days_are_working_days_close_by(day):
    before, after = previous_working_day(day), next_working_day(day)
    assert is_working_day(before) and is_working_day(after)
    assert before <= day <= after
    # at most a weekend next to a holiday lies between working days
    assert (day - before).days <= 3 and (after - day).days <= 3
