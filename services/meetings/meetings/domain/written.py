"""The written procedure between meetings (schriftelijke procedure) for an urgent matter.

The network's source documents say nothing of it (they decide by consensus at the table:
Afsprakenkader "De werkgroep komt tot besluitvorming volgens consensus"), so the rule here
follows that consensus: a proposal is adopted "aangenomen zonder bezwaar" when no member
with a voting right objected by the deadline; silence is consent. One objection is enough to
keep the proposal from being adopted in writing: it then goes to the body's next meeting,
like every written decision, which ratifies (or discusses) it there.
"""

import datetime as dt

from verband_common.errors import Conflict, Forbidden, ValidationFailed

# How far ahead a deadline may lie: the procedure is for what cannot wait for the meeting.
MAX_DAYS = 60
RULE = "aangenomen zonder bezwaar"
RATIFY_PREFIX = "Bekrachtiging schriftelijke procedure: "


def check_deadline(deadline: dt.datetime, now: dt.datetime) -> None:
    if deadline <= now:
        raise ValidationFailed(
            "De termijn van een schriftelijke procedure ligt in de toekomst.",
            {"deadline": ["Dit tijdstip is voorbij."]},
        )
    if deadline > now + dt.timedelta(days=MAX_DAYS):
        raise ValidationFailed(
            "Een schriftelijke procedure is voor wat niet kan wachten.",
            {"deadline": [f"Hoogstens {MAX_DAYS} dagen vooruit."]},
        )


def voters(members: list[dict]) -> list[dict]:
    """Who answers: the active members with a voting right."""
    return [m for m in members if m.get("active", True) and m["voting"]]


def check_can_answer(procedure: dict, seat: dict | None, now: dt.datetime) -> None:
    if seat is None:
        raise Forbidden("Enkel leden van dit orgaan antwoorden op een schriftelijke procedure.")
    if not seat["voting"]:
        raise Forbidden("Je hebt geen stemrecht in dit orgaan.")
    if procedure["closed_at"] is not None or procedure["deadline"] <= now:
        raise Conflict(
            "Deze schriftelijke procedure is afgesloten.",
            {"procedure_id": ["De termijn is verstreken."]},
        )


def check_reason(answer: str, reason: str | None) -> None:
    if answer == "object" and not (reason or "").strip():
        raise ValidationFailed(
            "Wie bezwaar maakt, zegt waarom.", {"reason": ["Geef de reden van je bezwaar."]}
        )


def due(procedure: dict, answers: list[dict], members: list[dict], now: dt.datetime) -> bool:
    """Closed at the deadline, or as soon as every member with a vote has answered."""
    answered = {str(a["member_id"]) for a in answers}
    everyone = {str(m["id"]) for m in voters(members)}
    return procedure["deadline"] <= now or (bool(everyone) and everyone <= answered)


def outcome(answers: list[dict], members: list[dict]) -> str:
    """Adopted without objection (silence is consent), else rejected; only the answers of
    members who still sit with a vote count."""
    counted = {str(m["id"]) for m in voters(members)}
    objected = any(a["answer"] == "object" and str(a["member_id"]) in counted for a in answers)
    return "rejected" if objected else "adopted"


def ratification_item(procedure: dict, objections: list[dict]) -> dict:
    """The agenda item of the body's next meeting that ratifies the written decision."""
    verdict = (
        "aangenomen zonder bezwaar" if procedure["outcome"] == "adopted" else "niet aangenomen"
    )
    lines = [f"Voorstel: {procedure['proposal']}", f"Uitkomst: {verdict}."]
    lines += [f"Bezwaar van {o['name']}: {o['reason']}" for o in objections]
    return {
        "kind": "written_procedure",
        "title": RATIFY_PREFIX + procedure["title"],
        "explanation": "\n".join(lines),
        "decision_asked": "De beslissing van de schriftelijke procedure bekrachtigen.",
        "ref": str(procedure["id"]),
    }


def start_mail(body: dict, procedure: dict, deadline_text: str) -> tuple[str, str]:
    subject = f"Schriftelijke procedure {body['name']}: {procedure['title']}"
    text = (
        f"Beste lid van {body['name']},\n\n"
        f"Het secretariaat legt je een dringend voorstel voor, buiten de vergadering:\n\n"
        f"{procedure['title']}\n{procedure['proposal']}\n\n"
        f"Antwoord in Verband tot {deadline_text}: akkoord, of bezwaar met je reden. "
        f"Zonder bezwaar is het voorstel aangenomen; de volgende vergadering bekrachtigt het.\n"
    )
    return subject, text


def result_mail(body: dict, procedure: dict) -> tuple[str, str]:
    verdict = (
        "aangenomen zonder bezwaar" if procedure["outcome"] == "adopted" else "niet aangenomen"
    )
    subject = f"Uitkomst schriftelijke procedure {body['name']}: {procedure['title']}"
    text = (
        f"Beste lid van {body['name']},\n\n"
        f"De schriftelijke procedure over ‘{procedure['title']}’ is afgesloten: {verdict}.\n"
        f"De volgende vergadering van {body['name']} neemt ze op de agenda ter bekrachtiging.\n"
    )
    return subject, text
