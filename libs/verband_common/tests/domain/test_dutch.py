"""Belgian Dutch as the portal, the exports and the services' messages write it."""

import datetime as dt

from verband_common.dutch import (
    MONTHS,
    WEEKDAYS,
    count_text,
    date_text,
    day_month,
    number_text,
    time_text,
    weekday_text,
)


def test_dates_are_day_month_year_on_the_day_it_is_in_brussels():
    assert date_text("2026-01-05") == "05/01/2026"
    assert date_text(dt.date(2026, 12, 31)) == "31/12/2026"
    # Late evening UTC is already the next day in Brussels (summer time: UTC+2).
    assert date_text("2026-06-30T23:30:00+00:00") == "01/07/2026"
    assert date_text(None) == "" and date_text("geen datum") == "geen datum"


def test_times_and_weekdays_are_belgian_time():
    assert time_text("2026-01-05T13:00:00+00:00") == "14:00"  # winter time: UTC+1
    assert time_text("2026-07-06T13:00:00+00:00") == "15:00"  # summer time: UTC+2
    assert time_text(None) == "" and time_text("2026-01-05") == ""
    assert weekday_text("2026-12-03") == "donderdag"
    assert weekday_text("2026-12-06T23:30:00+00:00") == "maandag"


def test_numbers_use_a_dot_between_thousands_and_a_decimal_comma():
    assert number_text(200) == "200"
    assert number_text(1234567) == "1.234.567"
    assert number_text(1.5) == "1,5"
    assert number_text(1234.25) == "1.234,25"
    assert number_text(2.0) == "2"
    assert number_text(2.5, decimals=2) == "2,50"
    assert number_text(None) == "" and number_text("veel") == "veel"


def test_a_count_takes_the_singular_only_for_one():
    assert count_text(1, "punt", "punten") == "1 punt"
    assert count_text(0, "punt", "punten") == "0 punten"
    assert count_text(None, "vrije plaats", "vrije plaatsen") == "0 vrije plaatsen"
    assert count_text(1200, "dag", "dagen") == "1.200 dagen"


def test_month_and_day_names_come_from_the_locale():
    assert MONTHS[0] == "januari" and MONTHS[11] == "december" and len(MONTHS) == 12
    assert WEEKDAYS == (
        "maandag",
        "dinsdag",
        "woensdag",
        "donderdag",
        "vrijdag",
        "zaterdag",
        "zondag",
    )
    assert day_month(dt.date(2027, 3, 3)) == "3 maart"
    assert day_month(dt.date(2027, 3, 3), with_year=True) == "3 maart 2027"
