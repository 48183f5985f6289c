"""What time passing makes due (cases.domain.due): the stages of a due date, the one-month
clock as a notice, and the open plan actions to be told of."""

import datetime as dt
import uuid

from hypothesis import given
from hypothesis import strategies as st

from cases.domain import due
from cases.domain.clock import pickup_clock

DAY = dt.date(2026, 12, 3)
ORG = str(uuid.uuid4())


def test_a_due_date_is_far_then_nearing_from_the_lead_then_passed_the_day_after():
    on = DAY
    lead = due.NOTICE_LEAD_DAYS
    assert due.stage(on, on - dt.timedelta(days=lead + 1)) is None
    assert due.stage(on, on - dt.timedelta(days=lead)) == "nearing"
    assert due.stage(on, on) == "nearing"
    assert due.stage(on, on + dt.timedelta(days=1)) == "passed"


@given(offset=st.integers(min_value=-400, max_value=400), lead=st.integers(0, 30))
def test_the_stage_only_moves_forward_as_days_pass(offset, lead):
    order = [None, "nearing", "passed"]
    today = DAY + dt.timedelta(days=offset)
    now = order.index(due.stage(DAY, today, lead))
    later = order.index(due.stage(DAY, today + dt.timedelta(days=1), lead))
    assert later >= now
    # Passed exactly when a warm contact counts as overdue on the boards.
    assert (due.stage(DAY, today, lead) == "passed") == (DAY < today)


@given(days=st.integers(min_value=0, max_value=120), guideline=st.integers(4, 90))
def test_the_guideline_notice_follows_the_clocks_board(days, guideline):
    received = DAY - dt.timedelta(days=days)
    state = pickup_clock(received, guideline, DAY).state
    expected = {"warning": "nearing", "escalated": "passed"}.get(state)
    assert due.pickup_stage(received, guideline, DAY) == expected


def plan(*actions):
    return {"goals": [{"text": "Doel", "actions": list(actions)}], "review_dates": []}


def action(due_on, status="planned", org=ORG):
    return {
        "text": "Actie",
        "responsible_organisation_id": org,
        "due_on": due_on.isoformat(),
        "status": status,
    }


def test_open_plan_actions_near_or_past_their_date_are_due_done_and_dropped_are_not():
    found = due.plan_actions_due(
        plan(
            action(DAY - dt.timedelta(days=3)),
            action(DAY + dt.timedelta(days=1), status="running"),
            action(DAY + dt.timedelta(days=30)),
            action(DAY - dt.timedelta(days=3), status="done"),
            action(DAY, status="dropped"),
        ),
        DAY,
    )
    assert [(a.action, a.stage) for a in found] == [(0, "passed"), (1, "nearing")]
    assert found[0].organisation_id == ORG and found[0].due_on == DAY - dt.timedelta(days=3)
    # Two actions of one plan are two subjects.
    assert found[0].subject != found[1].subject


def test_an_old_action_without_a_status_is_planned_and_an_anonymised_plan_has_none():
    old = action(DAY - dt.timedelta(days=1))
    del old["status"]
    [found] = due.plan_actions_due(plan(old), DAY)
    assert found.stage == "passed"
    assert due.plan_actions_due({"anonymised": True}, DAY) == []
