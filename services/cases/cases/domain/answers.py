"""The closed loop of a referral: the organisation of the offer a family was referred to,
or waits for, answers. Accepted comes with a start date, declined with a reason (the schema
checks both); a decline that leaves nothing under way sends the case back to the
coordinator ("teruggewezen"), who triages it again."""

import datetime as dt

# A case in one of these states has not been helped yet: a decline can send it back.
RETURNABLE = ("received", "waiting", "left_list")


def answerable_offers(referred_offer_id, entries: list[dict]) -> dict:
    """offer id (str) -> the family's waiting entry for it (or None for the offer the family
    was referred to directly): the offers whose organisation can answer."""
    offers: dict = {}
    if referred_offer_id is not None:
        offers[str(referred_offer_id)] = None
    for e in entries:
        if e["status"] == "waiting":
            offers[str(e["offer_id"])] = e
    return offers


def answer_problems(data: dict, referred_on: dt.date, offers: dict) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if str(data["offer_id"]) not in offers:
        errors["offer_id"] = ["Dit gezin is niet naar dit aanbod verwezen of wacht er niet op."]
    starts_on = data.get("starts_on")
    if data["answer"] == "accepted" and starts_on is not None and starts_on < referred_on:
        errors["starts_on"] = ["De start ligt voor de aanmelding."]
    return errors


def status_after(answer: str, status: str, waiting_left: int, running_trajectories: int) -> str:
    """The case's status once answered: back to the coordinator when the only thing under
    way was declined; otherwise as it was (an acceptance starts nothing by itself: the
    contact point starts the trajectory on the day)."""
    if answer == "declined" and status in RETURNABLE and not waiting_left:
        if not running_trajectories:
            return "returned"
    return status
