"""The rules of the network's library and its vorming moments. Pure: the service loads the
rows and the actor's roles, these functions decide.

A procedure's review date says when the network looks at it again; a date that has passed
while the procedure is still in force is flagged, so it is not silently outdated. A vorming
has a fixed number of places and closes its registrations at a deadline."""

import datetime as dt

from meetings.domain.access import Principal
from verband_common.errors import Conflict, ValidationFailed
from verband_common.roles import KNOWLEDGE_KEEPERS, TRAINEES


def can_keep(principal: Principal, network_id) -> bool:
    """Writes the library and organises vorming: the network's coordinators and admins."""
    return bool(principal.roles_in(network_id) & KNOWLEDGE_KEEPERS)


def can_add_version(principal: Principal, network_id, procedure: dict) -> bool:
    """A new version of a procedure's file: its keepers, and the person who owns it."""
    owner = str(procedure["owner_id"])
    return can_keep(principal, network_id) or (
        principal.person_id is not None and str(principal.person_id) == owner
    )


def can_register(principal: Principal, network_id) -> bool:
    """Whoever works in the network registers for its vorming (IROJ only reads)."""
    return principal.person_id is not None and bool(principal.roles_in(network_id) & TRAINEES)


def review_overdue(procedure: dict, today: dt.date) -> bool:
    """The review date has passed and the procedure still counts (a lapsed one needs none)."""
    review_on = procedure.get("review_on")
    return review_on is not None and review_on < today and procedure["status"] != "vervallen"


def check_review_date(review_on: dt.date | None, today: dt.date) -> None:
    """A review date that is set lies in the future: one already passed is no plan."""
    if review_on is not None and review_on <= today:
        raise ValidationFailed(
            "De herzieningsdatum moet in de toekomst liggen.",
            {"review_on": ["Kies een datum na vandaag."]},
        )


def check_new_training(starts_at: dt.datetime, deadline: dt.datetime, now: dt.datetime) -> None:
    if starts_at <= now:
        raise ValidationFailed(
            "Een vorming plan je in de toekomst.", {"starts_at": ["Kies een moment na nu."]}
        )
    if deadline <= now:
        raise ValidationFailed(
            "De inschrijvingen moeten nog open kunnen.",
            {"registration_deadline": ["Kies een moment na nu."]},
        )


def check_registration(training: dict, registered: int, now: dt.datetime) -> None:
    """May one more person register? Closed after the deadline, full at capacity (409)."""
    if now > training["registration_deadline"]:
        raise Conflict(
            "De inschrijvingen voor deze vorming zijn afgesloten.",
            {"registration_deadline": ["De uiterste inschrijvingsdatum is voorbij."]},
        )
    if registered >= training["capacity"]:
        raise Conflict(
            "Deze vorming is volzet: er is geen plaats meer vrij.",
            {"capacity": ["Alle plaatsen zijn ingenomen."]},
        )


def check_unregistration(training: dict, now: dt.datetime) -> None:
    """Unregistering frees a place for someone else, until the vorming starts."""
    if now >= training["starts_at"]:
        raise Conflict(
            "Deze vorming is al begonnen: uitschrijven kan niet meer.",
            {"starts_at": ["De vorming is begonnen."]},
        )


def places_left(training: dict, registered: int) -> int:
    return max(training["capacity"] - registered, 0)


def registration_open(training: dict, registered: int, now: dt.datetime) -> bool:
    return now <= training["registration_deadline"] and registered < training["capacity"]
