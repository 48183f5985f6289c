"""Members cast their own vote. Who may cast a ballot, and what a closed vote records: the
count itself is decisions.decide's, the one home of the body's quorum and majority rules."""

from meetings.domain import decisions
from verband_common.errors import Conflict, Forbidden, ValidationFailed


def check_can_open(rule: dict, quorum_ok: bool, attendance: dict) -> None:
    """A vote is opened only where the body votes, once attendance shows the quorum."""
    if rule.get("method", "consensus") != "vote":
        raise ValidationFailed(
            "Dit orgaan beslist bij consensus; zijn regels voorzien geen stemming.",
            {"item_id": ["Dit orgaan beslist bij consensus."]},
        )
    if not attendance:
        raise Conflict(
            "Registreer eerst de aanwezigheid.",
            {"attendance": ["Nog geen aanwezigheid geregistreerd."]},
        )
    if not quorum_ok:
        raise Conflict(
            "Het quorum is niet bereikt: deze vergadering kan geen beslissingen nemen.",
            {"decision": ["Het quorum is niet bereikt."]},
        )


def check_can_cast(vote: dict, seat: dict | None, attendance: dict) -> None:
    """A ballot: from a present member with a voting right, while the vote is open."""
    if seat is None:
        raise Forbidden("Enkel leden van dit orgaan stemmen; een genodigde stemt niet.")
    if not seat["voting"]:
        raise Forbidden("Je hebt geen stemrecht in dit orgaan.")
    if attendance.get(str(seat["id"])) != "present":
        raise Forbidden("Enkel wie aanwezig is, stemt.")
    check_open(vote)


def check_open(vote: dict) -> None:
    if vote["closed_at"] is not None:
        raise Conflict("Deze stemming is afgesloten.", {"vote_id": ["Stemming afgesloten."]})


def outcome(rule: dict, members: list[dict], attendance: dict, quorum_ok: bool, vote, ballots):
    """The decision a closed vote records, counted by the body's rule. A ballot counts only
    while its member still sits with a vote and is present (attendance may be corrected
    while the vote is open)."""
    by_id = {str(m["id"]): m for m in members}
    ballots = [
        b
        for b in ballots
        if str(b["member_id"]) in by_id
        and by_id[str(b["member_id"])]["voting"]
        and attendance.get(str(b["member_id"])) == "present"
    ]
    if not ballots:
        raise Conflict("Er is nog niet gestemd.", {"vote_id": ["Nog geen stemmen uitgebracht."]})
    return decisions.decide(
        rule,
        members,
        attendance,
        quorum_ok,
        {
            "method": "vote",
            "text": vote["proposal"],
            "votes": [{"member_id": b["member_id"], "choice": b["choice"]} for b in ballots],
        },
    )
