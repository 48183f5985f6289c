"""What the RPCs answer: rows turned into JSON-ready dicts (ids and dates as strings)."""

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Europe/Brussels")


def jsonable(value):
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [jsonable(v) for v in value]
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return value


def localise(meeting: dict) -> dict:
    """Adds the meeting's local (Brussels) start and day, which the rules reason about."""
    local = meeting["starts_at"].astimezone(TZ)
    return {**meeting, "local_starts_at": local, "local_date": local.date()}


def member(m: dict) -> dict:
    return {
        "id": m["id"],
        "person_id": m["person_id"],
        "organisation_id": m["organisation_id"],
        "organisation_name": m["organisation_name"],
        "delegate_id": m["delegate_id"],
        "name": m["display_name"],
        "role": m["role"],
        "voting": m["voting"],
        "represents": m.get("represents"),
    }


def with_display_names(members: list[dict]) -> list[dict]:
    out = []
    for m in members:
        name = m["person_name"] or "(onbekend)"
        if m["organisation_name"]:
            name = f"{m['organisation_name']} ({name})"
        out.append({**m, "display_name": name})
    return out


def body(b: dict, members: list[dict]) -> dict:
    return jsonable(
        {
            "id": b["id"],
            "network_id": b["network_id"],
            "name": b["name"],
            "kind": b["kind"],
            "mandate": b["mandate"],
            "quorum": b["quorum"],
            "decision_rule": b["decision_rule"],
            "cadence": b["cadence"],
            "location": b["location"],
            "agenda_deadline_days": b["agenda_deadline_days"],
            "mail_days_before": b["mail_days_before"],
            "members": [member(m) for m in members],
        }
    )


def meeting_summary(m: dict) -> dict:
    return jsonable(
        {
            "id": m["id"],
            "body_id": m["body_id"],
            "network_id": m["network_id"],
            "body_name": m.get("body_name"),
            "starts_at": m["starts_at"],
            "ends_at": m["ends_at"],
            "status": m["status"],
            "in_series": m["in_series"],
            "location": m["location"],
            "change_reason": m["change_reason"],
            "agenda_published_at": m["agenda_published_at"],
            "agenda_mailed_at": m["agenda_mailed_at"],
        }
    )


def item(i: dict) -> dict:
    return jsonable(
        {
            k: i[k]
            for k in (
                "id",
                "position",
                "kind",
                "title",
                "explanation",
                "documents",
                "decision_asked",
                "ref",
                "proposed_by",
                "approved_by_meeting",
                "notes",
            )
        }
    )


def action(a: dict) -> dict:
    return jsonable(
        {
            "id": a["id"],
            "body_id": a["body_id"],
            "meeting_id": a["meeting_id"],
            "item_id": a["item_id"],
            "title": a["title"],
            "owner_member_id": a["owner_id"],
            "owner_name": a["owner_name"],
            "due_on": a["due_on"],
            "done_on": a["done_on"],
        }
    )


def meeting_detail(m, items, attendance, decisions, actions, open_actions, signals, minutes):
    return {
        **meeting_summary(m),
        "quorum_reached": m["quorum_reached"],
        "iroj_reporter_member_id": jsonable(m["iroj_reporter_id"]),
        "agenda": [item(i) for i in items],
        "attendance": [{"member_id": k, "status": v} for k, v in sorted(attendance.items())],
        "decisions": jsonable(decisions),
        "actions": [action(a) for a in actions],
        "open_actions": [action(a) for a in open_actions],
        "signals": jsonable(signals),
        "minutes": jsonable(minutes),
    }


def document(d: dict) -> dict:
    """A document with its versions, newest first; the name is the newest version's."""
    versions = [
        {
            "version": v["version"],
            "filename": v["filename"],
            "content_type": v["content_type"],
            "size": v["size"],
            "sha256": v["sha256"],
            "uploaded_by": v["uploaded_by"],
            "uploaded_by_name": v["uploaded_by_name"],
            "uploaded_at": v["uploaded_at"],
        }
        for v in d["versions"]
    ]
    return jsonable(
        {
            "id": d["id"],
            "meeting_id": d["meeting_id"],
            "item_id": d["item_id"],
            "name": versions[0]["filename"] if versions else None,
            "versions": versions,
        }
    )


def guest(g: dict) -> dict:
    return jsonable(
        {
            "person_id": g["person_id"],
            "name": g["name"] or "(onbekend)",
            "invited_at": g["invited_at"],
        }
    )


def vote(row: dict, ballots: int, mine: str | None, decision: dict | None) -> dict:
    """A vote on an agenda item: how many have voted and the reader's own ballot while it is
    open; the outcome and the count once it is closed."""
    return jsonable(
        {
            "id": row["id"],
            "meeting_id": row["meeting_id"],
            "item_id": row["item_id"],
            "item_title": row["item_title"],
            "proposal": row["proposal"],
            "for_iroj": row["for_iroj"],
            "opened_at": row["opened_at"],
            "closed_at": row["closed_at"],
            "status": "open" if row["closed_at"] is None else "closed",
            "ballots": ballots,
            "my_choice": mine,
            "decision_id": row["decision_id"],
            "outcome": decision["outcome"] if decision else None,
            "tally": decision["tally"] if decision else None,
        }
    )
