"""When an agreement with a mandated body or the crisis point needs follow-up."""

import datetime as dt

from partners.domain.agreements import follow_up_due

TODAY = dt.date(2026, 11, 23)


def agreement(**kw):
    return {"status": "active", "next_follow_up_on": None, "ends_on": None, **kw}


def test_due_on_or_after_the_planned_follow_up():
    assert follow_up_due(agreement(next_follow_up_on=TODAY), TODAY)
    assert follow_up_due(agreement(next_follow_up_on=TODAY - dt.timedelta(days=3)), TODAY)
    assert not follow_up_due(agreement(next_follow_up_on=TODAY + dt.timedelta(days=1)), TODAY)
    assert not follow_up_due(agreement(), TODAY)


def test_an_expired_agreement_still_active_needs_attention_and_ended_ones_do_not():
    assert follow_up_due(agreement(ends_on=TODAY - dt.timedelta(days=1)), TODAY)
    assert not follow_up_due(agreement(status="ended", next_follow_up_on=TODAY), TODAY)
    assert not follow_up_due(agreement(status="draft", next_follow_up_on=TODAY), TODAY)
