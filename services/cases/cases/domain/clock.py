"""Clocks of a case: the one-month pickup guideline and the rhythm of warm contacts.

Care requests are picked up fast, with one month as the guideline (pickup_guideline_days of
the network, 30 by default). The clock runs from the referral until help starts (or the
referral is referred on or declined); it warns before the guideline and escalates after it.
Families on a warm waiting list are contacted every `warm_contact_interval_days`.
"""

import datetime as dt
from dataclasses import dataclass

DEFAULT_GUIDELINE_DAYS = 30
DEFAULT_CONTACT_INTERVAL_DAYS = 14


def warning_days(guideline_days: int) -> int:
    """How long before the guideline the warning comes: a week, or a quarter of a short one."""
    return max(1, min(7, guideline_days // 4))


@dataclass(frozen=True)
class PickupClock:
    started_on: dt.date
    due_on: dt.date
    days: int
    state: str  # running | warning | escalated | stopped
    stopped_on: dt.date | None = None

    def as_dict(self) -> dict:
        return {
            "started_on": self.started_on,
            "due_on": self.due_on,
            "days": self.days,
            "state": self.state,
            "stopped_on": self.stopped_on,
        }


def pickup_clock(
    received_on: dt.date, guideline_days: int, today: dt.date, stopped_on: dt.date | None = None
) -> PickupClock:
    due = received_on + dt.timedelta(days=guideline_days)
    end = stopped_on or today
    days = max((end - received_on).days, 0)
    if stopped_on is not None:
        state = "stopped"
    elif days > guideline_days:
        state = "escalated"
    elif days >= guideline_days - warning_days(guideline_days):
        state = "warning"
    else:
        state = "running"
    return PickupClock(received_on, due, days, state, stopped_on)


def next_contact_due(last_contact: dt.date, interval_days: int) -> dt.date:
    return last_contact + dt.timedelta(days=max(interval_days, 1))


def contact_overdue(due: dt.date, today: dt.date) -> bool:
    return due < today
