"""Agenda rules (Afsprakenkader Kerngroep RTJ): any member proposes items to the secretary
before the deadline; the secretary or chair orders and publishes the agenda; standing items
add themselves; once published an item is only added at the meeting, with its approval."""

import datetime as dt

from verband_common.errors import Conflict, ValidationFailed

# iroj_answer: IROJ's answer to a signal of the body (domain.report_back), added by itself.
STANDING_KINDS = (
    "previous_minutes",
    "open_actions",
    "bottleneck_case",
    "iroj_report",
    "iroj_answer",
)
ITEM_KINDS = ("proposal", "added_at_meeting", *STANDING_KINDS)


def proposal_deadline(starts_at: dt.datetime, deadline_days: int) -> dt.datetime:
    return starts_at - dt.timedelta(days=deadline_days)


def check_can_propose(meeting: dict, deadline_days: int, now: dt.datetime) -> None:
    if meeting["status"] == "cancelled":
        raise Conflict(
            "Deze vergadering is geannuleerd.", {"meeting_id": ["De vergadering is geannuleerd."]}
        )
    if meeting["status"] == "held":
        raise Conflict(
            "Deze vergadering heeft al plaatsgevonden.",
            {"meeting_id": ["De vergadering heeft al plaatsgevonden."]},
        )
    if meeting["agenda_published_at"] is not None:
        raise Conflict(
            "De agenda is al gepubliceerd: een punt toevoegen kan nu enkel op de vergadering"
            " zelf, mits goedkeuring van de vergadering.",
            {"meeting_id": ["De agenda is al gepubliceerd."]},
        )
    deadline = proposal_deadline(meeting["starts_at"], deadline_days)
    if now > deadline:
        raise ValidationFailed(
            "De termijn om agendapunten in te dienen is verstreken.",
            {"meeting_id": [f"Agendapunten konden tot {deadline.isoformat()} ingediend worden."]},
        )


def check_can_add_at_meeting(meeting: dict, approved_by_meeting: bool, today: dt.date) -> None:
    """An item after publication: only at the meeting itself and only with its approval."""
    if meeting["status"] == "cancelled":
        raise Conflict(
            "Deze vergadering is geannuleerd.", {"meeting_id": ["De vergadering is geannuleerd."]}
        )
    if meeting["agenda_published_at"] is None:
        raise Conflict(
            "De agenda is nog niet gepubliceerd: dien het punt gewoon in bij de secretaris.",
            {"meeting_id": ["De agenda is nog niet gepubliceerd."]},
        )
    if meeting["status"] == "held" or meeting["local_date"] != today:
        raise Conflict(
            "Na publicatie kan een agendapunt enkel op de vergadering zelf worden toegevoegd.",
            {"meeting_id": ["Dit kan enkel op de dag van de vergadering, tijdens de vergadering."]},
        )
    if not approved_by_meeting:
        raise ValidationFailed(
            "Een agendapunt toevoegen op de vergadering vraagt de goedkeuring van de vergadering.",
            {"approved_by_meeting": ["De vergadering moet het toevoegen goedkeuren."]},
        )


def check_order(current_ids: list[str], ordered_ids: list[str]) -> None:
    """The new order must name every proposed item exactly once."""
    if sorted(map(str, ordered_ids)) != sorted(map(str, current_ids)) or len(
        set(map(str, ordered_ids))
    ) != len(ordered_ids):
        raise ValidationFailed(
            "Geef elk agendapunt precies één keer.",
            {"item_ids": ["Noem elk ingediend agendapunt van deze vergadering precies één keer."]},
        )


def standing_items(
    previous_meeting: dict | None,
    open_actions: list[dict],
    bottlenecks: list[dict],
) -> tuple[list[dict], list[dict]]:
    """Standing items of an agenda: (before the proposals, after them).

    Before: approval of the previous minutes, the open actions. After: the bottleneck cases
    (by pseudonym only) and what to report back to IROJ."""
    head, tail = [], []
    if previous_meeting is not None:
        head.append(
            {
                "kind": "previous_minutes",
                "title": "Goedkeuring verslag vorige vergadering"
                f" ({previous_meeting['local_date'].isoformat()})",
                "explanation": None,
                "decision_asked": "Het verslag goedkeuren.",
                "ref": str(previous_meeting["id"]),
            }
        )
    if open_actions:
        lines = [
            f"- {a['title']} (eigenaar: {a['owner_name']}, tegen {a['due_on'].isoformat()})"
            for a in open_actions
        ]
        head.append(
            {
                "kind": "open_actions",
                "title": "Opvolging openstaande acties",
                "explanation": "\n".join(lines),
                "decision_asked": None,
                "ref": None,
            }
        )
    for b in bottlenecks:
        tail.append(
            {
                "kind": "bottleneck_case",
                "title": f"Knelpuntdossier {b['case_pseudonym'][:8]}",
                "explanation": f"Reden: {b['reason_category']}; gesignaleerd op"
                f" {b['flagged_on'].isoformat()}.",
                "decision_asked": "Een gezamenlijke aanpak afspreken.",
                "ref": b["case_pseudonym"],
            }
        )
    tail.append(
        {
            "kind": "iroj_report",
            "title": "Terugkoppeling aan IROJ",
            "explanation": "Welke punten brengen we naar IROJ, en wie koppelt terug?",
            "decision_asked": None,
            "ref": None,
        }
    )
    return head, tail
