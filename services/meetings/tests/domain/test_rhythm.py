"""The rhythm each kind of body owes its network: the bounds per kind (14 days kept, 15 not),
holidays, cancelled meetings, the gaps a change makes, a body out of rhythm on the overview,
and the series `cadence.py` plans for each kind keeping its kind's rhythm."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from meetings.domain import rhythm
from meetings.domain.cadence import series_dates
from meetings.domain.rhythm import Gap, broken_gaps, gaps_around, out_of_rhythm, warning
from verband_common.schemas.meetings import Cadence

D = dt.date
DAY = dt.timedelta(days=1)


def after(day: dt.date, days: int) -> dt.date:
    return day + days * DAY


@pytest.mark.parametrize(
    ("kind", "kept", "broken"),
    [
        ("kernteam", 14, 15),
        ("inhoudelijke_ondersteuningsgroep", 35, 36),
        ("beleidsgroep", 63, 64),
        ("netwerkforum", 224, 225),
    ],
)
def test_the_longest_gap_each_kind_allows(kind, kept, broken):
    start = D(2027, 6, 2)  # a Wednesday: each bound, in weeks, ends on a working Wednesday
    assert rhythm.RHYTHMS[kind].max_days == kept
    assert broken_gaps(kind, [start, after(start, kept)]) == []
    assert broken_gaps(kind, [start, after(start, broken)]) == [
        Gap(start, after(start, broken), broken)
    ]


def test_kernteam_exactly_fourteen_days_is_kept_fifteen_is_not():
    start = D(2027, 3, 2)  # a Tuesday
    assert broken_gaps("kernteam", [start, D(2027, 3, 16)]) == []
    assert broken_gaps("kernteam", [start, D(2027, 3, 17)]) == [Gap(start, D(2027, 3, 17), 15)]


def test_the_warning_names_the_gap_and_the_rule_in_dutch():
    (gap,) = broken_gaps("kernteam", [D(2027, 3, 3), D(2027, 3, 23)])
    assert warning("kernteam", gap, today=D(2027, 3, 1)) == (
        "Tussen 3 maart en 23 maart liggen 20 dagen; een kernteam komt minstens om de 14 dagen"
        " samen."
    )
    (gap,) = broken_gaps("inhoudelijke_ondersteuningsgroep", [D(2027, 12, 1), D(2028, 1, 19)])
    assert warning("inhoudelijke_ondersteuningsgroep", gap).startswith(
        "Tussen 1 december 2027 en 19 januari 2028 liggen 49 dagen; een inhoudelijke"
        " ondersteuningsgroep komt maandelijks samen"
    )


def test_a_holiday_excuses_no_kernteam_gap():
    # 14 days after Monday 15 March 2027 is Easter Monday: the kernteam meets before it.
    assert broken_gaps("kernteam", [D(2027, 3, 15), D(2027, 3, 30)]) == [
        Gap(D(2027, 3, 15), D(2027, 3, 30), 15)
    ]


def test_a_monthly_bound_on_a_holiday_or_weekend_moves_to_the_next_working_day():
    kind = "inhoudelijke_ondersteuningsgroep"
    # 35 days after 22 February 2027 is Easter Monday (29 March): Tuesday still keeps it.
    assert broken_gaps(kind, [D(2027, 2, 22), D(2027, 3, 30)]) == []
    assert broken_gaps(kind, [D(2027, 2, 22), D(2027, 3, 31)]) != []
    # 35 days after Saturday 6 February 2027 is a Saturday: the Monday after keeps it.
    assert broken_gaps(kind, [D(2027, 2, 6), D(2027, 3, 15)]) == []
    assert broken_gaps(kind, [D(2027, 2, 6), D(2027, 3, 16)]) != []


def test_cancelled_meetings_do_not_count_so_cancelling_opens_the_gap():
    # The caller leaves cancelled meetings out: 3 and 31 March with the 17th cancelled.
    kept = [D(2027, 3, 3), D(2027, 3, 17), D(2027, 3, 31)]
    assert broken_gaps("kernteam", kept) == []
    left = [D(2027, 3, 3), D(2027, 3, 31)]
    assert gaps_around("kernteam", left, [D(2027, 3, 17)]) == [
        Gap(D(2027, 3, 3), D(2027, 3, 31), 28)
    ]


def test_kinds_without_a_rhythm_are_never_out_of_it():
    far = [D(2027, 1, 5), D(2027, 12, 7)]
    for kind in ("kerngroep", "task_group", "case_table"):
        assert broken_gaps(kind, far) == []
        assert gaps_around(kind, far, far) == []
        assert out_of_rhythm(kind, [], D(2027, 6, 1)) is None


def test_only_the_gaps_a_change_reaches_are_told():
    days = [D(2027, 1, 5), D(2027, 2, 9), D(2027, 3, 2), D(2027, 3, 16), D(2027, 4, 13)]
    # The old gap of January stays untold when the April meeting moves to 13 April.
    (gap,) = gaps_around("kernteam", days, [D(2027, 3, 30), D(2027, 4, 13)])
    assert gap == Gap(D(2027, 3, 16), D(2027, 4, 13), 28)
    # A meeting planned on 16 March is told the gap it leaves after it, not February's.
    assert gaps_around("kernteam", days, [D(2027, 3, 16)]) == [gap]


def test_moving_or_cancelling_the_last_meeting_leaves_nothing_planned_after_it():
    days = [D(2027, 3, 2), D(2027, 3, 16)]
    (gap,) = gaps_around("kernteam", days, [D(2027, 3, 30)])
    assert gap == Gap(D(2027, 3, 16), None, None)
    assert warning("kernteam", gap, today=D(2027, 3, 1)) == (
        "Na 16 maart is er geen vergadering meer gepland; een kernteam komt minstens om de 14"
        " dagen samen."
    )
    # Planning a new last meeting within the rhythm is not such a change.
    assert gaps_around("kernteam", [*days, D(2027, 3, 30)], [D(2027, 3, 30)]) == []


def test_out_of_rhythm_tells_the_largest_recent_or_planned_gap():
    today = D(2027, 3, 10)
    days = [D(2027, 1, 5), D(2027, 2, 20), D(2027, 3, 2), D(2027, 3, 16), D(2027, 4, 20)]
    # January's gap lies before the window and is history; March to April is the largest.
    assert out_of_rhythm("kernteam", days, today) == Gap(D(2027, 3, 16), D(2027, 4, 20), 35)


def test_out_of_rhythm_when_the_window_after_the_last_meeting_passed():
    today = D(2027, 3, 20)
    assert out_of_rhythm("kernteam", [D(2027, 3, 6)], today) is None  # 14 days: still kept
    gap = out_of_rhythm("kernteam", [D(2027, 3, 2)], today)
    assert gap == Gap(D(2027, 3, 2), None, 18)
    assert warning("kernteam", gap, today).startswith(
        "Na 2 maart is er geen vergadering meer gepland (18 dagen); een kernteam"
    )


def test_a_body_without_any_meeting_is_out_of_rhythm():
    gap = out_of_rhythm("netwerkforum", [], D(2027, 3, 20))
    assert gap == Gap(None, None, None)
    assert warning("netwerkforum", gap) == (
        "Er is geen enkele vergadering gepland; een netwerkforum komt twee keer per jaar samen"
        " (hoogstens 32 weken ertussen)."
    )


def test_a_body_that_has_not_met_yet_owes_a_meeting_within_one_window():
    today = D(2027, 3, 1)
    assert out_of_rhythm("kernteam", [D(2027, 3, 15)], today) is None
    gap = out_of_rhythm("kernteam", [D(2027, 3, 21), D(2027, 3, 30)], today)
    assert gap == Gap(None, D(2027, 3, 21), 20)
    assert warning("kernteam", gap, today) == (
        "Tot 21 maart is er geen vergadering gepland (20 dagen); een kernteam komt minstens om"
        " de 14 dagen samen."
    )


def test_a_body_in_rhythm_is_not_on_the_overview():
    days = [D(2027, 3, 2), D(2027, 3, 16), D(2027, 3, 30)]
    assert out_of_rhythm("kernteam", days, D(2027, 3, 20)) is None


# The series the body's own cadence plans keep its kind's rhythm, whatever the start.
SERIES = {
    "kernteam": {"kind": "every_days", "days": 14, "weekday": 1},
    "inhoudelijke_ondersteuningsgroep": {"kind": "monthly", "week": 1, "weekday": 0},
    "beleidsgroep": {
        "kind": "monthly",
        "week": -1,
        "weekday": 4,
        "phases": [
            {"every_months": 1, "until": "2027-06-30"},
            {"every_months": 2, "until": None},
        ],
    },
    "netwerkforum": {"kind": "yearly", "months": [3, 10], "week": 2, "weekday": 3},
}


@settings(max_examples=60, deadline=None)
@given(
    kind=st.sampled_from(sorted(SERIES)),
    start=st.dates(min_value=D(2026, 1, 1), max_value=D(2032, 12, 31)),
)
def test_the_series_of_each_kind_keep_its_rhythm(kind, start):
    dates = series_dates(Cadence().load(SERIES[kind]), start, after(start, 2 * 366))
    assert broken_gaps(kind, dates) == []
