"""Quorum, decisions and actions.

Decisions are by consensus unless the body's rules give a vote (Afsprakenkader: "De
werkgroep komt tot besluitvorming volgens consensus"); a consensus records objections. A
vote counts only present members with a voting right (Organisatiestructuur: the
coordinator sits in the beleidsgroep without a vote) and refuses anyone else's vote.
"""

import datetime as dt
import math

from verband_common.errors import Conflict, ValidationFailed

ATTENDANCE = ("present", "excused", "absent")
CHOICES = ("for", "against", "abstain")


def quorum_reached(rule: dict, members: list[dict], attendance: dict[str, str]) -> bool:
    """`rule`: {"kind": "none"} | {"kind": "majority"} (more than half of the members with a
    vote present) | {"kind": "minimum", "count": n} (at least n voting members present)."""
    voters = [m for m in members if m["voting"]]
    present = [m for m in voters if attendance.get(str(m["id"])) == "present"]
    kind = rule.get("kind", "majority")
    if kind == "none":
        return True
    if kind == "minimum":
        return len(present) >= rule["count"]
    return len(present) > len(voters) / 2


def check_attendance(members: list[dict], attendance: list[dict]) -> dict[str, str]:
    """Attendance as {member_id: status}; every entry must be a member, once."""
    by_id = {str(m["id"]): m for m in members}
    out, errors = {}, {}
    for i, row in enumerate(attendance):
        member_id = str(row["member_id"])
        if member_id not in by_id:
            errors[f"attendance.{i}.member_id"] = ["Geen lid van dit orgaan."]
        elif member_id in out:
            errors[f"attendance.{i}.member_id"] = ["Dit lid staat al in de lijst."]
        else:
            out[member_id] = row["status"]
    if errors:
        raise ValidationFailed("De aanwezigheidslijst klopt niet.", errors)
    return out


def decide(
    rule: dict,
    members: list[dict],
    attendance: dict[str, str],
    quorum_ok: bool,
    decision: dict,
) -> dict:
    """Check a decision against the body's rules; returns what is recorded.

    `decision`: {"method": "consensus"|"vote", "text", "objections": [{member_id, text}],
    "votes": [{member_id, choice}]}. `rule`: {"method": "consensus"} or {"method": "vote",
    "majority": "simple"|"two_thirds"}."""
    by_id = {str(m["id"]): m for m in members}
    method = decision["method"]
    if not quorum_ok:
        raise Conflict(
            "Het quorum is niet bereikt: deze vergadering kan geen beslissingen nemen.",
            {"decision": ["Het quorum is niet bereikt."]},
        )
    if method == "vote" and rule.get("method", "consensus") != "vote":
        raise ValidationFailed(
            "Dit orgaan beslist bij consensus; zijn regels voorzien geen stemming.",
            {"decision.method": ["Dit orgaan beslist bij consensus."]},
        )
    errors = {}
    if method == "consensus":
        if decision.get("votes"):
            errors["decision.votes"] = ["Bij een consensus wordt niet gestemd."]
        for i, o in enumerate(decision.get("objections") or []):
            if str(o["member_id"]) not in by_id:
                errors[f"decision.objections.{i}.member_id"] = ["Geen lid van dit orgaan."]
        if errors:
            raise ValidationFailed("De beslissing klopt niet.", errors)
        return {
            "method": "consensus",
            "outcome": "adopted",
            "objections": [
                {"member_id": str(o["member_id"]), "text": o["text"]}
                for o in decision.get("objections") or []
            ],
            "votes": [],
            "tally": None,
        }
    votes = decision.get("votes") or []
    if decision.get("objections"):
        errors["decision.objections"] = ["Bij een stemming tellen de stemmen, geen bezwaren."]
    if not votes:
        errors["decision.votes"] = ["Geef de uitgebrachte stemmen."]
    seen = set()
    for i, v in enumerate(votes):
        member_id = str(v["member_id"])
        field = f"decision.votes.{i}.member_id"
        member = by_id.get(member_id)
        if member is None:
            errors[field] = ["Geen lid van dit orgaan."]
        elif not member["voting"]:
            errors[field] = [f"{member['display_name']} heeft geen stemrecht in dit orgaan."]
        elif attendance.get(member_id) != "present":
            errors[field] = [f"{member['display_name']} is niet aanwezig en kan niet stemmen."]
        elif member_id in seen:
            errors[field] = ["Dit lid heeft al gestemd."]
        seen.add(member_id)
    if errors:
        raise ValidationFailed("De stemming klopt niet.", errors)
    tally = {c: sum(1 for v in votes if v["choice"] == c) for c in CHOICES}
    cast = tally["for"] + tally["against"]
    if rule.get("majority") == "two_thirds":
        adopted = cast > 0 and tally["for"] >= math.ceil(cast * 2 / 3)
    else:
        adopted = tally["for"] > tally["against"]
    return {
        "method": "vote",
        "outcome": "adopted" if adopted else "rejected",
        "objections": [],
        "votes": [{"member_id": str(v["member_id"]), "choice": v["choice"]} for v in votes],
        "tally": tally,
    }


def check_actions(members: list[dict], actions: list[dict], today: dt.date) -> None:
    """Every action has an owner who sits in the body, and a due date not in the past."""
    by_id = {str(m["id"]): m for m in members}
    errors = {}
    for i, a in enumerate(actions):
        owner = a.get("owner_member_id")
        if owner is None:
            errors[f"actions.{i}.owner_member_id"] = ["Elke actie heeft een eigenaar nodig."]
        elif str(owner) not in by_id:
            errors[f"actions.{i}.owner_member_id"] = ["Geen lid van dit orgaan."]
        if a.get("due_on") is None:
            errors[f"actions.{i}.due_on"] = ["Elke actie heeft een vervaldatum nodig."]
        elif a["due_on"] < today:
            errors[f"actions.{i}.due_on"] = ["Deze datum ligt in het verleden."]
    if errors:
        raise ValidationFailed("Een actie is onvolledig.", errors)
