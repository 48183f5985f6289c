"""Cadence rules and the series they give: the four bodies of the Organisatiestructuur
over a year, invariants of every rule, and rules that give no date refused."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from meetings.domain.cadence import describe, nth_weekday, series_dates
from meetings.domain.holidays import is_holiday, is_working_day
from verband_common.errors import ValidationFailed
from verband_common.schemas.meetings import Cadence

D = dt.date
YEAR = (D(2027, 1, 1), D(2027, 12, 31))


def rule(**raw) -> dict:
    """A rule as the service gets it: through the payload schema."""
    return Cadence().load(raw)


def months(dates) -> list[int]:
    return [d.month for d in dates]


def no_holidays_or_weekends(dates):
    assert all(is_working_day(d) for d in dates), [d for d in dates if not is_working_day(d)]


def test_kernteam_meets_at_least_every_14_days_over_a_year():
    dates = series_dates(rule(kind="every_days", days=14, weekday=1), *YEAR)
    no_holidays_or_weekends(dates)
    gaps = [(b - a).days for a, b in zip(dates, dates[1:], strict=False)]
    assert max(gaps) <= 14
    assert dates[0] == D(2027, 1, 5)  # the first Tuesday of the year
    assert (YEAR[1] - dates[-1]).days < 14  # no gap at the end of the year either
    assert len(dates) >= 26


def test_beleidsgroep_meets_monthly_at_first_then_every_two_months():
    dates = series_dates(
        rule(
            kind="monthly",
            week=2,
            weekday=3,
            phases=[{"every_months": 1, "until": "2027-06-30"}, {"every_months": 2}],
        ),
        *YEAR,
    )
    no_holidays_or_weekends(dates)
    assert months(dates) == [1, 2, 3, 4, 5, 6, 7, 9, 11]
    # every second Thursday, except that Wapenstilstand (Thursday 11 November) moves it
    assert [d for d in dates if d.weekday() != 3] == [D(2027, 11, 12)]
    # the second Thursday of May 2027 is 13 May (Ascension is the 6th): kept
    assert D(2027, 5, 13) in dates


def test_inhoudelijke_ondersteuningsgroep_meets_every_month():
    dates = series_dates(rule(kind="monthly", week=1, weekday=0), *YEAR)
    no_holidays_or_weekends(dates)
    assert months(dates) == list(range(1, 13))
    # the first Monday of November 2027 is Allerheiligen: the meeting moves to Tuesday
    assert D(2027, 11, 1) not in dates and D(2027, 11, 2) in dates
    # the first Monday of March 2027 is the 1st; Easter Monday (29 March) is not involved
    assert D(2027, 3, 1) in dates


def test_netwerkforum_meets_twice_a_year():
    dates = series_dates(rule(kind="yearly", months=[3, 10], week=3, weekday=2), *YEAR)
    no_holidays_or_weekends(dates)
    assert dates == [D(2027, 3, 17), D(2027, 10, 20)]
    assert describe(rule(kind="yearly", months=[3, 10], week=3, weekday=2)).startswith(
        "2 keer per jaar"
    )


def test_a_rule_that_yields_no_date_is_refused_naming_the_cadence():
    with pytest.raises(ValidationFailed) as refused:
        series_dates(
            rule(
                kind="monthly",
                week=1,
                weekday=0,
                phases=[{"every_months": 1, "until": "2026-01-31"}],
            ),
            *YEAR,
        )
    assert "cadence" in refused.value.fields
    with pytest.raises(ValidationFailed) as refused:
        series_dates(rule(kind="custom", dates=["2026-03-03"]), *YEAR)
    assert "cadence" in refused.value.fields
    assert "geen enkele" in refused.value.message


def test_a_custom_date_on_a_holiday_is_refused_naming_it():
    with pytest.raises(ValidationFailed) as refused:
        series_dates(rule(kind="custom", dates=["2027-02-02", "2027-07-21"]), *YEAR)
    assert refused.value.fields == {
        "cadence.dates.1": ["2027-07-21 is geen werkdag (Nationale feestdag)."]
    }


def test_custom_dates_are_kept_in_order():
    dates = series_dates(rule(kind="custom", dates=["2027-09-07", "2027-02-02"]), *YEAR)
    assert dates == [D(2027, 2, 2), D(2027, 9, 7)]


def test_a_period_ending_before_it_starts_is_refused():
    with pytest.raises(ValidationFailed) as refused:
        series_dates(rule(kind="monthly", week=1, weekday=0), D(2027, 2, 1), D(2027, 1, 1))
    assert "until" in refused.value.fields


@pytest.mark.parametrize(
    "raw, field",
    [
        ({"kind": "every_days"}, "days"),
        ({"kind": "every_days", "days": 3}, "days"),
        ({"kind": "every_days", "days": 5, "weekday": 1}, "days"),
        ({"kind": "monthly", "week": 5, "weekday": 1}, "week"),
        ({"kind": "monthly", "week": 1, "weekday": 6}, "weekday"),
        ({"kind": "yearly", "week": 1, "weekday": 1}, "months"),
        ({"kind": "custom"}, "dates"),
        ({"kind": "weekly"}, "kind"),
        ({"kind": "monthly", "week": 1, "weekday": 1, "time": "25:00"}, "time"),
        (
            {
                "kind": "monthly",
                "week": 1,
                "weekday": 1,
                "phases": [{"every_months": 1}, {"every_months": 2, "until": "2027-01-01"}],
            },
            "phases.0.until",
        ),
    ],
)
def test_a_malformed_rule_is_refused_by_the_schema(raw, field):
    from marshmallow import ValidationError

    with pytest.raises(ValidationError) as refused:
        Cadence().load(raw)
    flat = {}
    from verband_common.errors import flatten_messages

    flat = flatten_messages(refused.value.messages)
    assert field in flat


starts = st.dates(min_value=D(2024, 1, 1), max_value=D(2040, 12, 31))


@settings(max_examples=200, deadline=None)
@given(
    start=starts, days=st.integers(min_value=4, max_value=60), weekday=st.none() | st.integers(0, 4)
)
def test_every_days_never_leaves_a_gap_longer_than_promised(start, days, weekday):
    if weekday is not None and days < 7:
        days = 7
    end = start + dt.timedelta(days=365)
    raw = {"kind": "every_days", "days": days}
    if weekday is not None:
        raw["weekday"] = weekday
    dates = series_dates(rule(**raw), start, end)
    no_holidays_or_weekends(dates)
    assert dates == sorted(set(dates))
    assert all(start <= d <= end for d in dates)
    assert all((b - a).days <= days for a, b in zip(dates, dates[1:], strict=False))
    if weekday is not None:
        # moved earlier only by a holiday: never more than a few days off the weekday
        for d in dates:
            near = [d + dt.timedelta(days=n) for n in range(-3, 4)]
            assert d.weekday() == weekday or any(
                n.weekday() == weekday and is_holiday(n) for n in near
            )


@settings(max_examples=200, deadline=None)
@given(
    start=starts,
    week=st.sampled_from([1, 2, 3, 4, -1]),
    weekday=st.integers(0, 4),
    first=st.integers(1, 3),
    then=st.integers(1, 6),
    switch_after=st.integers(0, 400),
)
def test_monthly_phases_meet_once_per_step_on_working_days(
    start, week, weekday, first, then, switch_after
):
    until = start + dt.timedelta(days=switch_after)
    end = start + dt.timedelta(days=730)
    r = rule(
        kind="monthly",
        week=week,
        weekday=weekday,
        phases=[
            {"every_months": first, "until": until.isoformat()},
            {"every_months": then},
        ],
    )
    dates = series_dates(r, start, end)
    no_holidays_or_weekends(dates)
    assert dates == sorted(set(dates))
    index = [d.year * 12 + d.month for d in dates]
    assert len(set(index)) == len(index)  # never twice in one month
    for a, b, ia, ib in zip(dates, dates[1:], index, index[1:], strict=False):
        expected = first if a <= until else then
        assert ib - ia == expected
        # a meeting sits on its n-th weekday, or a working day next to it in the same month
        nominal = nth_weekday(b.year, b.month, week, weekday)
        assert abs((b - nominal).days) <= 3


@settings(max_examples=100, deadline=None)
@given(
    start=starts,
    months_=st.sets(st.integers(1, 12), min_size=1, max_size=4),
    week=st.sampled_from([1, 2, 3, 4, -1]),
    weekday=st.integers(0, 4),
)
def test_yearly_meets_once_in_each_chosen_month(start, months_, week, weekday):
    end = dt.date(start.year + 2, 12, 31)
    begin = dt.date(start.year + 1, 1, 1)
    dates = series_dates(
        rule(kind="yearly", months=sorted(months_), week=week, weekday=weekday), begin, end
    )
    no_holidays_or_weekends(dates)
    assert len(dates) == 2 * len(months_)
    assert sorted({d.month for d in dates}) == sorted(months_)
