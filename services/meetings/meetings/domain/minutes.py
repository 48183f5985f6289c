"""Minutes (verslag): drafted by the secretary, sent as a draft, approved at the next
meeting with any amendments recorded, then locked."""

from verband_common.errors import Conflict

STATUSES = ("draft", "sent", "approved")


def check_editable(minutes: dict | None, meeting: dict) -> None:
    if meeting["status"] != "held":
        raise Conflict(
            "Een verslag kan pas na de vergadering opgesteld worden.",
            {"meeting_id": ["De vergadering heeft nog niet plaatsgevonden."]},
        )
    if minutes is not None and minutes["status"] == "approved":
        raise Conflict(
            "Dit verslag is goedgekeurd en kan niet meer gewijzigd worden.",
            {"minutes": ["Goedgekeurde verslagen liggen vast."]},
        )


def check_approvable(minutes: dict | None, meeting: dict, approving_meeting: dict) -> None:
    """Minutes of `meeting` are approved at a later meeting of the same body, on its day."""
    if meeting["status"] != "held":
        raise Conflict(
            "Deze vergadering heeft nog niet plaatsgevonden: er is geen verslag om goed te keuren.",
            {"meeting_id": ["De vergadering heeft nog niet plaatsgevonden."]},
        )
    if minutes is None:
        raise Conflict(
            "Er is nog geen verslag van deze vergadering.",
            {"minutes": ["De secretaris heeft nog geen verslag opgesteld."]},
        )
    if minutes["status"] == "approved":
        raise Conflict(
            "Dit verslag is al goedgekeurd.", {"minutes": ["Het verslag is al goedgekeurd."]}
        )
    if minutes["status"] != "sent":
        raise Conflict(
            "Het ontwerpverslag is nog niet aan de leden bezorgd.",
            {"minutes": ["Bezorg eerst het ontwerpverslag aan de leden."]},
        )
    if (
        approving_meeting["body_id"] != meeting["body_id"]
        or approving_meeting["starts_at"] <= meeting["starts_at"]
        or approving_meeting["status"] == "cancelled"
    ):
        raise Conflict(
            "Een verslag wordt goedgekeurd op een volgende vergadering van hetzelfde orgaan.",
            {"in_meeting_id": ["Kies een latere vergadering van dit orgaan."]},
        )
