"""The rhythm each kind of governance body owes its network, and the gaps that break it.

The source documents' "Praktisch" lines set how often a body meets: the kernteam at least
every 14 days, the inhoudelijke ondersteuningsgroep monthly, the beleidsgroep monthly at
first and every two months after, the netwerkforum twice a year. A body's own cadence
(`cadence.py`) plans its series; this module checks the meetings that are actually planned,
moved and cancelled against what its kind requires. The network decides: a broken rhythm is
a warning, never a refusal.

A rhythm is a longest allowed gap in days between two meetings that are not cancelled (held
or still planned), on their local (Brussels) dates:

- kernteam: 14 days, exactly as the source says ("minstens"); `cadence.py` plans such series
  earlier around holidays, never later, so a holiday excuses nothing.
- monthly (inhoudelijke ondersteuningsgroep): 35 days, the longest gap between the same
  weekday of two consecutive months (the 1st Tuesday of January and of February).
- beleidsgroep: 63 days, the later phase's every two months (the same weekday two months on);
  when the beginning phase ends is the network's call, so the looser bound is the rule.
- netwerkforum: twice a year, 224 days (32 weeks: seven months and the week an n-th weekday
  may drift), so a forum in March and October, as `cadence.py`'s yearly rule plans it, keeps
  the rhythm.

For the rules counted in months, a last allowed day on a weekend or public holiday moves to
the next working day, as the series' own dates do. Kinds the documents give no rhythm (a
kerngroep, a task group, a case table) are never out of rhythm.
"""

import datetime as dt
from dataclasses import dataclass

from meetings.domain.holidays import next_working_day
from verband_common.dutch import day_month
from verband_common.labels import BODY_KIND_LABELS


@dataclass(frozen=True)
class Rhythm:
    max_days: int
    # The rule as the end of a Dutch sentence about the body: "een kernteam {rule}".
    rule: str
    # Whether a last allowed day on a weekend or holiday moves to the next working day.
    holiday_grace: bool


RHYTHMS = {
    "kernteam": Rhythm(14, "komt minstens om de 14 dagen samen", holiday_grace=False),
    "inhoudelijke_ondersteuningsgroep": Rhythm(
        35, "komt maandelijks samen (hoogstens 35 dagen ertussen)", holiday_grace=True
    ),
    "beleidsgroep": Rhythm(
        63,
        "komt na de beginfase minstens om de twee maanden samen (hoogstens 63 dagen ertussen)",
        holiday_grace=True,
    ),
    "netwerkforum": Rhythm(
        224, "komt twee keer per jaar samen (hoogstens 32 weken ertussen)", holiday_grace=True
    ),
}


@dataclass(frozen=True)
class Gap:
    """From one meeting to the next (`until`); with `until` None, from the last meeting with
    nothing planned after it; with `since` None, from today to a body's first meeting; both
    None: a body without any meeting."""

    since: dt.date | None
    until: dt.date | None
    days: int | None


def rhythm_of(kind: str) -> Rhythm | None:
    return RHYTHMS.get(kind)


def deadline(rhythm: Rhythm, day: dt.date) -> dt.date:
    """The last day the next meeting after `day` keeps the rhythm."""
    last = day + dt.timedelta(days=rhythm.max_days)
    return next_working_day(last) if rhythm.holiday_grace else last


def broken_gaps(kind: str, days) -> list[Gap]:
    """The gaps between consecutive meeting days (cancelled ones left out by the caller) that
    are longer than the kind's rhythm allows, in order."""
    rhythm = rhythm_of(kind)
    ordered = sorted(set(days))
    if rhythm is None:
        return []
    return [
        Gap(a, b, (b - a).days)
        for a, b in zip(ordered, ordered[1:], strict=False)
        if b > deadline(rhythm, a)
    ]


def warning(kind: str, gap: Gap, today: dt.date | None = None) -> str:
    """The gap and the rule in one Dutch sentence."""
    rhythm = RHYTHMS[kind]
    name = BODY_KIND_LABELS[kind].lower()
    rule = f"een {name} {rhythm.rule}."
    if gap.since is None and gap.until is None:
        return f"Er is geen enkele vergadering gepland; {rule}"
    if gap.since is None:
        until = day_month(gap.until, with_year=today is None or gap.until.year != today.year)
        return f"Tot {until} is er geen vergadering gepland ({gap.days} dagen); {rule}"
    if gap.until is None:
        since = day_month(gap.since, with_year=today is None or gap.since.year != today.year)
        lasting = f" ({gap.days} dagen)" if gap.days is not None else ""
        return f"Na {since} is er geen vergadering meer gepland{lasting}; {rule}"
    years = gap.since.year != gap.until.year
    return (
        f"Tussen {day_month(gap.since, years)} en {day_month(gap.until, years)} liggen "
        f"{gap.days} dagen; {rule}"
    )


def gaps_around(kind: str, days, touched) -> list[Gap]:
    """The broken gaps a change made: those that reach a day a meeting was planned on, moved
    to, moved from or cancelled on (`touched`). `days` are the body's meeting days after the
    change, cancelled ones left out. A change after the last remaining meeting (the last one
    moved away or cancelled) leaves the body with nothing planned after that meeting."""
    rhythm = rhythm_of(kind)
    if rhythm is None:
        return []
    ordered = sorted(set(days))
    touched = sorted(set(touched))
    out = [
        gap
        for gap in broken_gaps(kind, ordered)
        if any(gap.since <= t <= gap.until for t in touched)
    ]
    if touched and (not ordered or touched[-1] > ordered[-1]):
        out.append(Gap(ordered[-1] if ordered else None, None, None))
    return out


def out_of_rhythm(kind: str, days, today: dt.date) -> Gap | None:
    """Whether a body is out of rhythm now, for the network's overview: the largest broken gap
    among its recent and planned meetings, or, when the rhythm's window after its last meeting
    has passed, the open gap since then (days counted to today). Recent: the meetings within
    one rhythm window before today, and the last one before that window; a body that has not
    met yet owes its first meeting within one window from today."""
    rhythm = rhythm_of(kind)
    if rhythm is None:
        return None
    ordered = sorted(set(days))
    if not ordered:
        return Gap(None, None, None)
    cutoff = today - dt.timedelta(days=rhythm.max_days)
    before = [d for d in ordered if d < cutoff]
    recent = before[-1:] + [d for d in ordered if d >= cutoff]
    gaps = broken_gaps(kind, recent)
    if recent[0] > today and recent[0] > deadline(rhythm, today):
        gaps.append(Gap(None, recent[0], (recent[0] - today).days))
    if deadline(rhythm, recent[-1]) < today:
        gaps.append(Gap(recent[-1], None, (today - recent[-1]).days))
    return max(gaps, key=lambda g: g.days, default=None)
