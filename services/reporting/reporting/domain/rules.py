"""The rules behind single indicators, each a plain function of dates and counts."""

import datetime as dt

from reporting.domain.periods import one_month_later

DEFAULT_CONTACT_INTERVAL_DAYS = 14
MULTIPROBLEM_OFFERS = 2
GUIDANCE_TARGET = "family_guidances"


def answered_within_month(received_on: dt.date, triaged_on: dt.date) -> bool:
    """The guideline: an answer within one calendar month of receiving the referral."""
    return triaged_on <= one_month_later(received_on)


def days_between(start: dt.date, end: dt.date) -> int:
    return max((end - start).days, 0)


def multiproblem(offer_count: int) -> bool:
    return offer_count >= MULTIPROBLEM_OFFERS


def warm_contact_on_time(
    end: dt.date, added_on: dt.date, last_due: dt.date | None, interval_days: int | None
) -> bool:
    """On the last day of a period, is a waiting family not overdue for a warm contact?"""
    if last_due is not None:
        return last_due >= end
    interval = interval_days or DEFAULT_CONTACT_INTERVAL_DAYS
    return (end - added_on).days <= interval


def minutes_on_time(next_held_on: dt.date, approved_on: dt.date | None) -> bool:
    """Minutes are approved at the body's next meeting (Kerngroep RTJ)."""
    return approved_on is not None and approved_on <= next_held_on


def target_of(targets: list, code: str = GUIDANCE_TARGET) -> int | None:
    for target in targets or ():
        if target.get("code") == code:
            return int(target["value"])
    return None
