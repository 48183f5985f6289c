"""Meeting cadence: from a body's rule to the dates of its series.

Rules (validated by `verband_common.schemas.meetings.Cadence` before they get here, so
dates are `datetime.date` objects):

- `{"kind": "every_days", "days": 14, "weekday": 1}`: at least every N days (kernteam).
  Each meeting is at most N days after the previous one; a holiday or weekend moves it
  *earlier*, never later, so the promise "at least every N days" holds for every gap.
- `{"kind": "monthly", "week": 2, "weekday": 1, "phases": [{"every_months": 1, "until":
  date}, {"every_months": 2, "until": None}]}`: the n-th weekday of the month (week -1: the
  last), every month until a date, then every two months (beleidsgroep); one phase of one
  month is plain "monthly".
- `{"kind": "yearly", "months": [3, 10], "week": 2, "weekday": 3}`: in the given months of
  every year ("twice a year": netwerkforum).
- `{"kind": "custom", "dates": [...]}`: dates chosen by hand; a holiday or weekend among
  them is refused rather than silently moved.

A rule that yields no date in the planned period is refused: a body without meetings is
almost certainly a typo in the rule.
"""

import datetime as dt

from meetings.domain.holidays import (
    belgian_holidays,
    is_working_day,
    next_working_day,
    previous_working_day,
)
from verband_common.errors import ValidationFailed

WEEKDAYS_NL = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
# A series is planned at most this far ahead at once; more is rarely meant.
MAX_SPAN_DAYS = 3 * 366


def nth_weekday(year: int, month: int, week: int, weekday: int) -> dt.date:
    """The `week`-th `weekday` (0 = Monday) of a month; week -1 is the last one."""
    if week == -1:
        nxt = dt.date(year + month // 12, month % 12 + 1, 1)
        last = nxt - dt.timedelta(days=1)
        return last - dt.timedelta(days=(last.weekday() - weekday) % 7)
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (week - 1))


def _in_month_working_day(day: dt.date) -> dt.date:
    """The next working day, or the previous one if the next falls in another month."""
    later = next_working_day(day)
    return later if later.month == day.month else previous_working_day(day)


def _every_days(rule: dict, start: dt.date, end: dt.date) -> list[dt.date]:
    days, weekday = rule["days"], rule.get("weekday")
    first = start
    if weekday is not None:
        first += dt.timedelta(days=(weekday - start.weekday()) % 7)
    first = next_working_day(first)
    out = []
    current = first
    while current <= end:
        out.append(current)
        candidate = current + dt.timedelta(days=days)
        if weekday is not None:
            candidate -= dt.timedelta(days=(candidate.weekday() - weekday) % 7)
        nxt = previous_working_day(candidate)
        if nxt <= current:  # a gap shorter than a long weekend: the first day after it
            nxt = next_working_day(current + dt.timedelta(days=1))
        current = nxt
    return out


def _add_months(year: int, month: int, n: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + n
    return index // 12, index % 12 + 1


def _phase_of(phases: list[dict], day: dt.date) -> dict:
    for phase in phases:
        if phase.get("until") is None or day <= phase["until"]:
            return phase
    return phases[-1]


def _monthly(rule: dict, start: dt.date, end: dt.date) -> list[dt.date]:
    phases = rule.get("phases") or [{"every_months": 1, "until": None}]
    last_until = phases[-1].get("until")
    year, month = start.year, start.month
    out = []
    while dt.date(year, month, 1) <= end:
        day = _in_month_working_day(nth_weekday(year, month, rule["week"], rule["weekday"]))
        if last_until is not None and day > last_until:
            break
        if start <= day <= end:
            out.append(day)
            step = _phase_of(phases, day)["every_months"]
        else:
            step = 1  # before the start: look at the next month
        year, month = _add_months(year, month, step)
    return out


def _yearly(rule: dict, start: dt.date, end: dt.date) -> list[dt.date]:
    out = []
    for year in range(start.year, end.year + 1):
        for month in sorted(set(rule["months"])):
            day = _in_month_working_day(nth_weekday(year, month, rule["week"], rule["weekday"]))
            if start <= day <= end:
                out.append(day)
    return out


def _custom(rule: dict, start: dt.date, end: dt.date) -> list[dt.date]:
    errors = {}
    for i, day in enumerate(rule["dates"]):
        if not is_working_day(day):
            why = belgian_holidays(day.year).get(day) or WEEKDAYS_NL[day.weekday()]
            errors[f"cadence.dates.{i}"] = [f"{day.isoformat()} is geen werkdag ({why})."]
    if errors:
        raise ValidationFailed("Een gekozen datum valt op een feestdag of in het weekend.", errors)
    return sorted({d for d in rule["dates"] if start <= d <= end})


GENERATORS = {
    "every_days": _every_days,
    "monthly": _monthly,
    "yearly": _yearly,
    "custom": _custom,
}


def series_dates(rule: dict, start: dt.date, end: dt.date) -> list[dt.date]:
    """Every meeting date the rule gives from `start` to `end` (both included), in order.

    Raises ValidationFailed naming `cadence` when the rule yields no date at all."""
    if end < start:
        raise ValidationFailed(
            "De einddatum ligt voor de begindatum.", {"until": ["Ligt voor de begindatum."]}
        )
    if (end - start).days > MAX_SPAN_DAYS:
        raise ValidationFailed(
            "Plan een reeks voor hoogstens drie jaar.", {"until": ["Hoogstens drie jaar."]}
        )
    dates = GENERATORS[rule["kind"]](rule, start, end)
    if not dates:
        raise ValidationFailed(
            "Deze vergaderregel levert geen enkele datum op.",
            {
                "cadence": [
                    f"Geen enkele vergaderdatum tussen {start.isoformat()} en {end.isoformat()}."
                ]
            },
        )
    return dates


def describe(rule: dict) -> str:
    """The rule in a Dutch sentence, for agendas and calendars."""
    kind = rule["kind"]
    if kind == "every_days":
        base = f"minstens om de {rule['days']} dagen"
        if rule.get("weekday") is not None:
            base += f", op {WEEKDAYS_NL[rule['weekday']]}"
        return base
    if kind in ("monthly", "yearly"):
        nth = "laatste" if rule["week"] == -1 else f"{rule['week']}e"
        when = f"de {nth} {WEEKDAYS_NL[rule['weekday']]}"
        if kind == "yearly":
            return f"{len(set(rule['months']))} keer per jaar, {when} van maand " + ", ".join(
                str(m) for m in sorted(set(rule["months"]))
            )
        parts = []
        for phase in rule.get("phases") or [{"every_months": 1, "until": None}]:
            every = (
                "maandelijks"
                if phase["every_months"] == 1
                else (f"om de {phase['every_months']} maanden")
            )
            parts.append(every + (f" tot {phase['until'].isoformat()}" if phase["until"] else ""))
        return ", daarna ".join(parts) + f", {when} van de maand"
    return "op gekozen data"
