"""Agreements with mandated bodies (OCJ/SDJ) and the crisis point: when follow-up is due."""

import datetime as dt


def follow_up_due(agreement: dict, today: dt.date) -> bool:
    """An active agreement whose next follow-up date has come, or that ran out while still
    marked active (someone has to close or renew it)."""
    if agreement["status"] != "active":
        return False
    due = agreement.get("next_follow_up_on")
    ends = agreement.get("ends_on")
    return (due is not None and due <= today) or (ends is not None and ends < today)
