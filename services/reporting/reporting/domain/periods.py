"""Periods a network reports on: a month, a quarter or a year, from its first day."""

import datetime as dt
from dataclasses import dataclass

from verband_common.schemas.reporting import period_end

MONTHS = {"month": 1, "quarter": 3, "year": 12}


def first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(day: dt.date, months: int) -> dt.date:
    """The first of the month `months` after (or before) the month of `day`."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def one_month_later(day: dt.date) -> dt.date:
    """The same day one calendar month later (31 January -> 28/29 February)."""
    first = add_months(day, 1)
    last = period_end("month", first).day
    return first.replace(day=min(day.day, last))


@dataclass(frozen=True)
class Period:
    kind: str
    start: dt.date

    @property
    def end(self) -> dt.date:
        return period_end(self.kind, self.start)

    @property
    def months(self) -> list[dt.date]:
        return [add_months(self.start, i) for i in range(MONTHS[self.kind])]

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def shifted(self, periods: int) -> "Period":
        return Period(self.kind, add_months(self.start, periods * MONTHS[self.kind]))

    def as_dict(self) -> dict:
        return {"kind": self.kind, "start": self.start, "end": self.end}

    @classmethod
    def containing(cls, kind: str, day: dt.date) -> "Period":
        if kind == "month":
            return cls(kind, first_of_month(day))
        if kind == "quarter":
            return cls(kind, dt.date(day.year, (day.month - 1) // 3 * 3 + 1, 1))
        return cls(kind, dt.date(day.year, 1, 1))

    @property
    def year_start(self) -> dt.date:
        return dt.date(self.start.year, 1, 1)


def last_periods(kind: str, count: int, today: dt.date) -> list[Period]:
    """The `count` periods of `kind` up to and including the one containing `today`."""
    current = Period.containing(kind, today)
    return [current.shifted(-i) for i in range(count - 1, -1, -1)]
