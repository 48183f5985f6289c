"""What time passing makes due: the notices the cases service raises of itself, without anyone
acting (a warm contact coming due, the one-month guideline nearing, a plan action due), each
once per thing, kind, stage and due date. Pure functions; the sweep (service.py) feeds them
rows and records what it raised.

Each notice has two stages: "nearing" (from NOTICE_LEAD_DAYS before the due date) and
"passed" (the day after it). The one-month guideline keeps its own warning from
`clock.warning_days`, so the notice and the coordinator's clocks board always agree.
"""

import datetime as dt
from dataclasses import dataclass

from cases.domain import clock

# How long before a warm contact or a plan action is due its worker is told: two days leave
# time to plan a call or a visit, and do not tell of a due date so early it is forgotten.
NOTICE_LEAD_DAYS = 2

STAGES = ("nearing", "passed")
# The statuses of a plan action that still need doing (done and dropped ones are not due).
OPEN_ACTION_STATUSES = ("planned", "running")


def stage(due_on: dt.date, today: dt.date, lead_days: int = NOTICE_LEAD_DAYS) -> str | None:
    """Where a due date stands today: None while far, "nearing" from `lead_days` before it
    up to and including the day itself, "passed" from the day after."""
    if today > due_on:
        return "passed"
    if today >= due_on - dt.timedelta(days=lead_days):
        return "nearing"
    return None


def pickup_stage(received_on: dt.date, guideline_days: int, today: dt.date) -> str | None:
    """The one-month clock of a referral not yet picked up, as a notice stage."""
    state = clock.pickup_clock(received_on, guideline_days, today).state
    return {"warning": "nearing", "escalated": "passed"}.get(state)


@dataclass(frozen=True)
class ActionDue:
    """A plan action to be told of: its place in the plan, who does it, by when."""

    goal: int
    action: int
    organisation_id: str
    due_on: dt.date
    stage: str

    @property
    def subject(self) -> str:
        # Plan actions carry no id of their own: the place in the plan, the responsible
        # organisation and the due date (part of the notice's key) name the action. An
        # action moved within the plan may be told of again, which is better than never.
        return f"{self.goal}.{self.action}.{self.organisation_id}"


def plan_actions_due(plan: dict, today: dt.date, lead_days: int = NOTICE_LEAD_DAYS) -> list:
    """The open actions of a plan (as stored: dates as ISO text) that are nearing or past
    their due date. An anonymised plan (no goals) has none."""
    due = []
    for g, goal in enumerate(plan.get("goals") or []):
        for a, action in enumerate(goal.get("actions") or []):
            if action.get("status", "planned") not in OPEN_ACTION_STATUSES:
                continue
            on = dt.date.fromisoformat(str(action["due_on"])[:10])
            found = stage(on, today, lead_days)
            if found:
                due.append(ActionDue(g, a, str(action["responsible_organisation_id"]), on, found))
    return due
