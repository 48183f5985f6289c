"""Gateway tier: the Flask app with a fake of what lies outside it (the services over RPC)."""

import datetime as dt
import re
import secrets
import uuid
from typing import NamedTuple

import pytest

from verband_common import actor as actor_ref
from verband_common.errors import (
    Conflict,
    Forbidden,
    NotFound,
    TooManyAttempts,
    Unauthenticated,
    ValidationFailed,
    VerbandError,
)
from verband_gateway import create_app

NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC).isoformat()
GOOD_PASSWORD = "correct horse battery"
WRONG_CREDENTIALS = "Dit e-mailadres of wachtwoord klopt niet."
THROTTLED = "Te veel mislukte pogingen om aan te melden. Probeer het over 2 seconden opnieuw."


class Call(NamedTuple):
    service: str
    method: str
    args: tuple
    correlation_id: str | None
    actor: str | None
    idempotency: tuple | None = None


class FakePartners:
    """The partners service's sign-in and directory RPCs, in memory, as the interface says."""

    PASSWORD = GOOD_PASSWORD
    WRONG_CREDENTIALS = WRONG_CREDENTIALS
    THROTTLED = THROTTLED

    def __init__(self):
        self.people: dict[str, dict] = {}  # by e-mail
        self.sessions: dict[str, str] = {}  # token -> e-mail
        self.api_tokens: dict[str, dict] = {}  # secret -> token row
        self.failures: dict[str, int] = {}
        self.resets: dict[str, str] = {}  # reset token -> e-mail
        self.invitations: dict[str, dict] = {}  # invitation token -> invitation

    # --- set-up helpers for tests ---

    def add_person(self, email=None, roles=None, platform_admin=False, password=GOOD_PASSWORD):
        """A person; `roles` maps network id -> list of roles."""
        email = email or f"p{uuid.uuid4().hex[:8]}@example.be"
        person = {
            "person_id": str(uuid.uuid4()),
            "name": "An Peeters",
            "email": email,
            "organisation_id": None,
            "platform_admin": platform_admin,
            "token_scope": None,
            "administers": [],
            "memberships": [
                {
                    "network_id": str(network_id),
                    "network_name": f"Netwerk {str(network_id)[:4]}",
                    "region": "Oost-Vlaanderen",
                    "roles": list(network_roles),
                }
                for network_id, network_roles in (roles or {}).items()
            ],
            "password": password,
        }
        self.people[email] = person
        return person

    def session_for(self, person) -> str:
        token = secrets.token_urlsafe(32)
        self.sessions[token] = person["email"]
        return token

    def principal(self, person) -> dict:
        found = {k: v for k, v in person.items() if k != "password"}
        found["actor"] = actor_ref.person(person["person_id"])
        return found

    # --- auth RPCs ---

    def open_session(self, email, password, client):
        assert set(client) == {"ip", "user_agent"}
        if self.failures.get(email, 0) >= 4:
            raise TooManyAttempts(THROTTLED, {"retry_after": ["2"]})
        person = self.people.get(email)
        if person is None or person["password"] != password:
            self.failures[email] = self.failures.get(email, 0) + 1
            raise Unauthenticated(WRONG_CREDENTIALS)
        self.failures.pop(email, None)
        token = self.session_for(person)
        return {"token": token, "expires_at": NOW, "principal": self.principal(person)}

    def resolve_session(self, token):
        if token in self.api_tokens:
            row = self.api_tokens[token]
            if row["revoked_at"] or row["expires_at"] <= dt.datetime.now(dt.UTC).isoformat():
                raise Unauthenticated("Dit token is ingetrokken of verlopen.")
            # As the service answers for a token: no person behind it, one network, one role.
            return {
                "actor": actor_ref.token(row["id"]),
                "person_id": None,
                "name": row["label"],
                "email": None,
                "organisation_id": None,
                "platform_admin": False,
                "token_scope": {
                    "network_id": row["network_id"],
                    "role": row["role"],
                    "expires_at": row["expires_at"],
                },
                "memberships": [
                    {
                        "network_id": row["network_id"],
                        "network_name": "Netwerk",
                        "region": "Oost-Vlaanderen",
                        "roles": [row["role"]],
                    }
                ],
                "administers": [],
            }
        email = self.sessions.get(token)
        if email is None:
            raise Unauthenticated("Je sessie is verlopen.")
        return self.principal(self.people[email])

    def close_session(self, token):
        self.sessions.pop(token, None)
        return {"closed": True}

    def issue_api_token(self, network_id, role, label, expires_at=None):
        now = dt.datetime.now(dt.UTC)
        row = {
            "id": str(uuid.uuid4()),
            "network_id": network_id,
            "role": role,
            "label": label,
            "created_at": now.isoformat(),
            "expires_at": expires_at or (now + dt.timedelta(days=90)).isoformat(),
            "revoked_at": None,
            "issued_by": None,
            "issued_by_name": None,
            "state": "active",
        }
        secret = "vbt_" + secrets.token_urlsafe(24)
        self.api_tokens[secret] = row
        return {**row, "token": secret}

    def list_api_tokens(self, network_id):
        return [dict(row) for row in self.api_tokens.values() if row["network_id"] == network_id]

    def revoke_api_token(self, token_id):
        for row in self.api_tokens.values():
            if row["id"] == token_id:
                row["revoked_at"], row["state"] = NOW, "revoked"
                return dict(row)
        raise NotFound("Dit token bestaat niet.")

    def request_password_reset(self, email):
        person = self.people.get(email)
        if person is None:
            return {"reset_token": None, "person": None}
        token = secrets.token_urlsafe(24)
        self.resets[token] = email
        return {"reset_token": token, "person": {"name": person["name"], "email": email}}

    def start_password_reset(self, person_id):
        person = next((p for p in self.people.values() if p["person_id"] == person_id), None)
        if person is None:
            raise NotFound("Deze persoon bestaat niet.", {"person_id": ["Onbekende persoon."]})
        token = secrets.token_urlsafe(24)
        self.resets[token] = person["email"]
        return {"reset_token": token, "person": {"name": person["name"], "email": person["email"]}}

    def change_password(self, current_password, new_password):
        # The fake knows no actor per call; the gateway tests check what is passed on.
        return {"changed": True}

    # --- invitations ---

    def invite_person(self, network_id, payload):
        token = secrets.token_urlsafe(32)
        invitation = {
            "id": str(uuid.uuid4()),
            "network_id": network_id,
            "name": payload["name"],
            "email": payload["email"],
            "organisation_id": payload.get("organisation_id"),
            "roles": sorted(payload.get("roles") or []),
            "created_at": NOW,
            "expires_at": NOW,
            "status": "pending",
        }
        self.invitations[token] = invitation
        return {
            "invitation": invitation,
            "token": token,
            "account_exists": payload["email"] in self.people,
            "network_name": f"Netwerk {network_id[:4]}",
        }

    def list_invitations(self, network_id):
        return [i for i in self.invitations.values() if i["network_id"] == network_id]

    def withdraw_invitation(self, invitation_id):
        for i in self.invitations.values():
            if i["id"] == invitation_id:
                i["status"] = "withdrawn"
                return i
        raise NotFound("Deze uitnodiging bestaat niet.", {"invitation_id": ["Onbekend."]})

    def _pending(self, token):
        found = self.invitations.get(token)
        if found is None or found["status"] != "pending":
            raise ValidationFailed(
                "Deze uitnodiging is ongeldig, al gebruikt, ingetrokken of verlopen.",
                {"token": ["Deze uitnodiging is niet (meer) geldig."]},
            )
        return found

    def describe_invitation(self, token):
        found = self._pending(token)
        return {
            "network_name": "Netwerk",
            "name": found["name"],
            "email": found["email"],
            "roles": found["roles"],
            "account_exists": found["email"] in self.people,
        }

    def accept_invitation(self, token):
        found = self._pending(token)
        if found["email"] not in self.people:
            raise Forbidden("Deze uitnodiging is voor een ander e-mailadres.")
        found["status"] = "accepted"
        person = self.people[found["email"]]
        return person_roles(found["network_id"], person["person_id"], found["roles"])

    def accept_invitation_as_new(self, token, password, client):
        found = self._pending(token)
        if found["email"] in self.people:
            raise Conflict("Er bestaat al een account met dit e-mailadres.", {"token": ["x"]})
        found["status"] = "accepted"
        person = self.add_person(
            email=found["email"], roles={found["network_id"]: found["roles"]}, password=password
        )
        token = self.session_for(person)
        return {"token": token, "expires_at": NOW, "principal": self.principal(person)}

    def reset_password(self, reset_token, new_password):
        if len(new_password) < 12:
            raise ValidationFailed("De invoer is ongeldig.", {"new_password": ["Te kort."]})
        email = self.resets.pop(reset_token, None)
        if email is None:
            raise ValidationFailed(
                "Deze link is ongeldig of verlopen.",
                {"reset_token": ["Deze link is ongeldig, al gebruikt of verlopen."]},
            )
        self.people[email]["password"] = new_password
        return {"reset": True}


# As the partners service reads what people type (its own rule has its own tests): a name in
# any case, a postcode, a NIS code; here for two municipalities.
KNOWN_MUNICIPALITIES = {"44083": ("deinze", "9800"), "43005": ("eeklo", "9900")}


def resolve_municipalities(given):
    found = []
    for typed in given:
        nis = next(
            (
                code
                for code, (name, postcode) in KNOWN_MUNICIPALITIES.items()
                if typed.strip().casefold() in (code, name, postcode)
            ),
            None,
        )
        name = KNOWN_MUNICIPALITIES[nis][0].capitalize() if nis else None
        found.append({"given": typed, "nis": nis, "name": name})
    return found


def network_row(**over):
    return {
        "id": str(uuid.uuid4()),
        "name": "RTJ De Tafels",
        "kind": "RTJ",
        "region": "Oost-Vlaanderen",
        "municipalities": ["44083"],
        "settings": {"pickup_guideline_days": 30},
        "created_at": NOW,
        **over,
    }


def organisation_row(**over):
    return {
        "id": str(uuid.uuid4()),
        "name": "CAW Oost-Vlaanderen",
        "kbo": "0123456749",
        "sector": "caw",
        "municipalities": ["44083"],
        "contact": {"email": "info@caw.be"},
        "profile": "Algemeen welzijnswerk.",
        "created_at": NOW,
        "updated_at": NOW,
        **over,
    }


def link_request_row(**over):
    return {
        "id": str(uuid.uuid4()),
        "organisation_id": str(uuid.uuid4()),
        "organisation_name": "CAW Oost-Vlaanderen",
        "kbo": "0403170701",
        "network_id": str(uuid.uuid4()),
        "network_name": "RTJ De Tafels",
        "role": "partner",
        "starts_on": "2026-01-01",
        "ends_on": None,
        "message": "",
        "status": "pending",
        "requested_at": NOW,
        "decided_at": None,
        **over,
    }


def organisation_admin_row(**over):
    return {
        "organisation_id": str(uuid.uuid4()),
        "person_id": str(uuid.uuid4()),
        "name": "An Peeters",
        "email": "an@example.be",
        "granted_at": NOW,
        **over,
    }


def offer_row(network_id=None, **over):
    return {
        "id": str(uuid.uuid4()),
        "network_id": str(network_id or uuid.uuid4()),
        "organisation_id": str(uuid.uuid4()),
        "title": "Gezinscoaching",
        "kind": "family_coaching",
        "rtj": "RTJ",
        "target_ages": {"min": 0, "max": 18},
        "situations": [],
        "municipalities": ["44083"],
        "capacity": 10,
        "free_places": 2,
        "can_start_from": None,
        "status": "active",
        "warm_waiting_list": True,
        "flanking_offer_ids": [],
        "created_at": NOW,
        "updated_at": NOW,
        **over,
    }


def person_row(**over):
    return {
        "id": str(uuid.uuid4()),
        "name": "Bert Claes",
        "email": "bert@example.be",
        "organisation_id": None,
        "platform_admin": False,
        "roles": ["coordinator"],
        "created_at": NOW,
        **over,
    }


def agreement_row(**over):
    return {
        "id": str(uuid.uuid4()),
        "network_id": str(uuid.uuid4()),
        "title": "Volumeafspraak OCJ",
        "kind": "mandated_body",
        "parties": [{"organisation_id": None, "name": "OCJ Oost-Vlaanderen"}],
        "starts_on": "2026-01-01",
        "ends_on": None,
        "agreed_number": 12,
        "used_number": 3,
        "unit": "gezinnen",
        "status": "active",
        "notes": "",
        "next_follow_up_on": None,
        "follow_up_due": False,
        "follow_ups": [],
        "created_at": NOW,
        "updated_at": NOW,
        **over,
    }


def task_group_row(**over):
    return {
        "id": str(uuid.uuid4()),
        "network_id": str(uuid.uuid4()),
        "name": "Kansarmoede",
        "theme": "poverty",
        "mandate": "Drempels voor gezinnen in armoede wegwerken.",
        "members": [],
        "organisations": [],
        "created_at": NOW,
        "updated_at": NOW,
        **over,
    }


def trail_row(**over):
    return {
        "id": 7,
        "occurred_at": NOW,
        "kind": "role_granted",
        "actor": f"person:{uuid.uuid4()}",
        "target_person_id": str(uuid.uuid4()),
        "target": None,
        "network_id": str(uuid.uuid4()),
        "ip": None,
        "details": {"role": "referrer"},
        **over,
    }


def person_roles(network_id, person_id, roles):
    return {"network_id": network_id, "person_id": person_id, "roles": roles}


def import_result(dry_run=True):
    return {"dry_run": dry_run, "rows": 2, "errors": [], "created": 0 if dry_run else 2}


def body_row(network_id=None, **over):
    return {
        "id": str(uuid.uuid4()),
        "network_id": str(network_id or uuid.uuid4()),
        "name": "Kernteam",
        "kind": "kernteam",
        "mandate": None,
        "quorum": {"kind": "majority"},
        "decision_rule": {"method": "consensus", "majority": "simple"},
        "cadence": {"kind": "every_days", "days": 14, "time": "14:00", "duration_minutes": 120},
        "location": None,
        "agenda_deadline_days": 7,
        "mail_days_before": 7,
        "members": [],
        **over,
    }


def meeting_row(body_id=None, **over):
    return {
        "id": str(uuid.uuid4()),
        "body_id": str(body_id or uuid.uuid4()),
        "network_id": str(uuid.uuid4()),
        "body_name": "Kernteam",
        "starts_at": "2026-12-08T14:00:00+01:00",
        "ends_at": "2026-12-08T16:00:00+01:00",
        "status": "scheduled",
        "in_series": True,
        "location": None,
        "change_reason": None,
        "agenda_published_at": None,
        "agenda_mailed_at": None,
        **over,
    }


def planned_row(body_id=None, **over):
    """A meeting just planned, moved or cancelled: with the gaps in its body's rhythm."""
    return meeting_row(body_id, **{"rhythm_warnings": [], **over})


def meeting_detail(meeting_id=None, **over):
    return {
        **meeting_row(id=str(meeting_id or uuid.uuid4())),
        "quorum_reached": None,
        "iroj_reporter_member_id": None,
        "agenda": [],
        "attendance": [],
        "decisions": [],
        "actions": [],
        "open_actions": [],
        "signals": [],
        "minutes": None,
        **over,
    }


def item_row(**over):
    return {
        "id": str(uuid.uuid4()),
        "position": 1,
        "kind": "proposal",
        "title": "Werking wachtlijst",
        "explanation": None,
        "documents": [],
        "decision_asked": None,
        "ref": None,
        "proposed_by": str(uuid.uuid4()),
        "approved_by_meeting": False,
        "notes": None,
        **over,
    }


def action_row(**over):
    return {
        "id": str(uuid.uuid4()),
        "body_id": str(uuid.uuid4()),
        "meeting_id": str(uuid.uuid4()),
        "item_id": None,
        "title": "Navraag bij OCMW",
        "owner_member_id": str(uuid.uuid4()),
        "owner_name": "An Peeters",
        "due_on": "2026-12-15",
        "done_on": None,
        **over,
    }


def minutes_row(meeting_id, **over):
    return {
        "meeting_id": str(meeting_id),
        "status": "draft",
        "summary": None,
        "amendments": [],
        "sent_at": None,
        "approved_at": None,
        "approved_in_meeting_id": None,
        "updated_at": NOW,
        **over,
    }


def meetings_defaults() -> dict:
    """Plausible answers of the meetings RPCs (services/meetings/README.md)."""
    pdf = {"filename": "agenda.pdf", "content_type": "application/pdf"}
    ics = {"content_type": "text/calendar; charset=utf-8"}
    return {
        ("meetings", "list_bodies"): lambda nid: [body_row(nid)],
        ("meetings", "create_body"): lambda nid, p: body_row(nid, name=p["name"]),
        ("meetings", "get_body"): lambda bid: body_row(id=bid),
        ("meetings", "update_body"): lambda bid, p: body_row(id=bid),
        ("meetings", "add_member"): lambda bid, p: body_row(id=bid),
        ("meetings", "remove_member"): lambda bid, mid: body_row(id=bid),
        ("meetings", "schedule_series"): lambda bid, p: [planned_row(bid)],
        ("meetings", "schedule_meeting"): lambda bid, p: planned_row(bid, in_series=False),
        ("meetings", "list_meetings"): lambda bid, f: [meeting_row(bid)],
        ("meetings", "get_meeting"): lambda mid: meeting_detail(mid),
        ("meetings", "move_meeting"): lambda mid, p: planned_row(id=mid),
        ("meetings", "cancel_meeting"): lambda mid, p: planned_row(id=mid, status="cancelled"),
        ("meetings", "propose_item"): lambda mid, p: item_row(title=p["title"]),
        ("meetings", "order_agenda"): lambda mid, p: [item_row(id=i) for i in p["item_ids"]],
        ("meetings", "publish_agenda"): lambda mid: meeting_detail(mid, agenda_published_at=NOW),
        ("meetings", "add_item_at_meeting"): lambda mid, p: item_row(
            kind="added_at_meeting", approved_by_meeting=True
        ),
        ("meetings", "record_attendance"): lambda mid, p: meeting_detail(mid),
        ("meetings", "record_item"): lambda mid, iid, p: meeting_detail(mid),
        ("meetings", "close_meeting"): lambda mid: meeting_detail(mid, status="held"),
        ("meetings", "raise_signal"): lambda mid, p: {
            "id": str(uuid.uuid4()),
            "meeting_id": mid,
            "kind": p["kind"],
            "title": p["title"],
            "description": None,
            "raised_at": NOW,
        },
        ("meetings", "list_actions"): lambda bid, open_only: [action_row(body_id=bid)],
        ("meetings", "complete_action"): lambda aid: action_row(id=aid, done_on="2026-11-23"),
        ("meetings", "update_minutes"): lambda mid, p: minutes_row(mid),
        ("meetings", "send_minutes_draft"): lambda mid: minutes_row(mid, status="sent"),
        ("meetings", "approve_minutes"): lambda mid, p: minutes_row(mid, status="approved"),
        ("meetings", "agenda_pdf"): lambda mid: {**pdf, "content_base64": "JVBERi0xLjQK"},
        ("meetings", "minutes_pdf"): lambda mid: {**pdf, "content_base64": "JVBERi0xLjQK"},
        ("meetings", "body_calendar"): lambda bid: {
            **ics,
            "filename": "kalender.ics",
            "ics": "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n",
        },
        ("meetings", "parked_mails"): lambda nid: [],
        ("meetings", "person_calendar"): lambda: {
            **ics,
            "filename": "mijn-vergaderingen.ics",
            "ics": "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n",
        },
    }


def receipt_row(network_id=None, **over):
    return {
        "referral_id": str(uuid.uuid4()),
        "case_id": str(uuid.uuid4()),
        "network_id": str(network_id or uuid.uuid4()),
        "offer_id": str(uuid.uuid4()),
        "status": "received",
        "received_at": NOW,
        **over,
    }


def clock_row(**over):
    day = NOW[:10]
    return {
        "started_on": day,
        "due_on": day,
        "days": 0,
        "state": "running",
        "stopped_on": None,
        **over,
    }


def priority_row(**over):
    part = {"factor": "waiting_days", "value": 3, "weight": 1, "points": 3, "label": "3 dagen"}
    return {"position": 1, "score": 3.0, "components": [part], "text": "3 dagen.", **over}


def trajectory_row(**over):
    return {
        "id": str(uuid.uuid4()),
        "network_id": str(uuid.uuid4()),
        "referral_id": str(uuid.uuid4()),
        "offer_id": None,
        "case_manager_id": str(uuid.uuid4()),
        "status": "active",
        "started_on": NOW[:10],
        "closed_on": None,
        "outcome": None,
        "flow_to": None,
        "closing_note": None,
        "created_at": NOW,
        **over,
    }


def plan_version_row(**over):
    return {
        "version": 1,
        "plan": {"goals": []},
        "changes": [{"path": "plan", "change": "created"}],
        "author_id": str(uuid.uuid4()),
        "created_at": NOW,
        **over,
    }


def journal_row(**over):
    return {
        "id": str(uuid.uuid4()),
        "case_id": str(uuid.uuid4()),
        "occurred_at": NOW,
        "kind": "phone_call",
        "text": "Mama belde: Jens is ziek.",
        "corrects_id": None,
        "corrected_by": None,
        "author_id": str(uuid.uuid4()),
        "written_at": NOW,
        **over,
    }


def family_record(**over):
    return {
        "family_id": str(uuid.uuid4()),
        "municipality": "44083",
        "carers": ["Sara Janssens"],
        "children": [{"first_name": "Lotte", "birth_date": "2019-03-01"}],
        "case_ids": [str(uuid.uuid4())],
        **over,
    }


def duplicate_row(record=None):
    first = record or family_record()
    other = family_record(children=[{"first_name": "Lote", "birth_date": "2019-03-01"}])
    return {"birth_date": "2019-03-01", "names": ["Lote", "Lotte"], "records": [first, other]}


def merge_row(keep=None, **over):
    """An open merge of two records of one family (cases' FamilyMerge)."""
    keep = keep or family_record()
    merged = family_record(children=[{"first_name": "Lote", "birth_date": "2019-03-01"}])
    return {
        "id": str(uuid.uuid4()),
        "network_id": str(uuid.uuid4()),
        "keep_family_id": keep["family_id"],
        "merge_family_id": merged["family_id"],
        "reason": "Zelfde moeder, naam anders getypt.",
        "status": "open",
        "proposed_by": str(uuid.uuid4()),
        "proposed_at": NOW,
        "decided_by": None,
        "decided_at": None,
        "case_ids": merged["case_ids"],
        "keep": {**keep, "case_ids": keep["case_ids"] + merged["case_ids"]},
        "merged": {**merged, "case_ids": []},
        **over,
    }


def cases_defaults() -> dict:
    """Plausible answers of the cases RPCs whose answers the gateway loads with a schema."""
    return {
        ("cases", "submit_referral_draft"): lambda did: receipt_row(),
        ("cases", "list_cases"): lambda nid, filters: [
            {
                "id": str(uuid.uuid4()),
                "status": "waiting",
                "concern": "some",
                "urgency": "normal",
                "received_at": NOW,
                "age_bands": ["6-11"],
                "municipality": "44083",
                "family_name": "Peeters",
                "waiting_on": 1,
            }
        ],
        ("cases", "follow_up"): lambda cid: {
            "case_id": cid,
            "received_at": NOW,
            "status": "waiting",
            "decision": "waiting_list",
            "refer_to": None,
            "waiting": [],
            "help": [],
            "clock": clock_row(),
        },
        ("cases", "triage_referral"): lambda cid, p: {
            "case_id": cid,
            "status": "waiting",
            "triage": p,
        },
        ("cases", "waiting_list"): lambda oid, limit, offset, purpose: {
            "offer": {
                "id": oid,
                "title": "Gezinscoaching",
                "capacity": 10,
                "free_places": 0,
                "status": "active",
                "can_start_from": None,
            },
            "weights": {"waiting_days": 1.0},
            "total": 0,
            "limit": limit,
            "offset": offset,
            "entries": [],
        },
        ("cases", "explain_priority"): lambda eid: priority_row(entry_id=eid),
        ("cases", "start_trajectory"): lambda cid, p: trajectory_row(referral_id=cid),
        ("cases", "change_contact_point"): lambda tid, p: trajectory_row(id=tid),
        ("cases", "set_trajectory_status"): lambda tid, p: trajectory_row(id=tid),
        ("cases", "close_trajectory"): lambda tid, p: trajectory_row(id=tid, status="closed"),
        ("cases", "reopen_trajectory"): lambda tid, p: trajectory_row(id=tid),
        ("cases", "get_plan"): lambda cid, version: plan_version_row(version=version or 1),
        ("cases", "update_plan"): lambda cid, p: plan_version_row(version=2),
        ("cases", "set_plan_action_status"): lambda cid, p: plan_version_row(version=2),
        ("cases", "answer_referral"): lambda cid, p: {
            "case_id": cid,
            "status": "returned" if p["answer"] == "declined" else "waiting",
            "answer": {
                "offer_id": p["offer_id"],
                "offer_title": "Gezinscoaching",
                "organisation": "Gezinsondersteuning Asse",
                "answer": p["answer"],
                "reason": p["reason"],
                "starts_on": p["starts_on"],
                "answered_on": dt.date.today().isoformat(),
            },
        },
        ("cases", "plan_history"): lambda cid: [plan_version_row()],
        ("cases", "journal"): lambda cid, purpose: [journal_row(case_id=cid)],
        ("cases", "search_families"): lambda nid, p: [family_record()],
        ("cases", "likely_duplicates"): lambda nid: [duplicate_row()],
        ("cases", "family_merges"): lambda nid: [merge_row()],
        ("cases", "propose_family_merge"): lambda nid, p: merge_row(),
        ("cases", "confirm_family_merge"): lambda mid, nid: merge_row(id=mid, status="confirmed"),
        ("cases", "undo_family_merge"): lambda mid, nid: merge_row(id=mid, status="undone"),
        ("cases", "add_journal_entry"): lambda cid, p: journal_row(
            case_id=cid, **{k: v for k, v in p.items() if v is not None}
        ),
        ("cases", "search_audit_log"): lambda nid, filters: [
            {
                "id": 1,
                "network_id": nid,
                "case_id": None,
                "actor": "person:x",
                "action": "read_case",
                "purpose": "read_case",
                "detail": {},
                "at": NOW,
            }
        ],
    }


class FakeServices:
    """Stands in for the RPC client: answers like the services do, records every call."""

    def __init__(self):
        self.calls: list[Call] = []
        self.answers = {}
        self.errors = {}
        self.partners = FakePartners()
        # Plausible answers of the directory RPCs, for tests that look at the gateway's side.
        self.defaults = {
            ("partners", "list_networks"): lambda: [network_row()],
            ("partners", "get_network"): lambda nid: network_row(id=nid),
            ("partners", "create_network"): lambda payload: network_row(**payload),
            ("partners", "update_network_settings"): lambda nid, s: network_row(id=nid),
            ("partners", "list_organisations"): lambda nid: [organisation_row()],
            ("partners", "create_organisation"): lambda p: organisation_row(
                **{k: v for k, v in p.items() if k != "network_id"}
            ),
            ("partners", "get_organisation"): lambda oid: organisation_row(id=oid),
            ("partners", "update_organisation"): lambda oid, p: organisation_row(id=oid, **p),
            ("partners", "add_membership"): lambda nid, p: {"network_id": nid, **p},
            ("partners", "request_organisation_link"): lambda nid, p: link_request_row(
                network_id=nid, **{k: v for k, v in p.items() if k != "kbo"}
            ),
            ("partners", "list_link_requests"): lambda nid: [link_request_row(network_id=nid)],
            ("partners", "organisation_link_requests"): lambda: [link_request_row()],
            ("partners", "decide_organisation_link"): lambda rid, d: link_request_row(
                id=rid, status="accepted" if d == "accept" else "refused", decided_at=NOW
            ),
            ("partners", "list_organisation_admins"): lambda oid: [
                organisation_admin_row(organisation_id=oid)
            ],
            ("partners", "grant_organisation_admin"): lambda oid, p: [
                organisation_admin_row(organisation_id=oid, **p)
            ],
            ("partners", "revoke_organisation_admin"): lambda oid, pid: [],
            ("partners", "end_membership"): lambda nid, oid, ends: {
                "network_id": nid,
                "organisation_id": oid,
                "role": "partner",
                "starts_on": "2026-01-01",
                "ends_on": ends,
            },
            ("partners", "list_people"): lambda nid: [person_row()],
            ("partners", "identity_trail"): lambda nid, q: [trail_row(network_id=nid)],
            ("partners", "get_person"): lambda pid: person_row(id=pid),
            ("partners", "grant_role"): lambda nid, pid, role: person_roles(nid, pid, [role]),
            ("partners", "revoke_role"): lambda nid, pid, role: person_roles(nid, pid, []),
            ("partners", "list_offers"): lambda nid, filters: [offer_row(nid)],
            ("partners", "publish_offer"): lambda nid, p: offer_row(nid, **p),
            ("partners", "get_offer"): lambda oid: offer_row(id=oid),
            ("partners", "update_offer"): lambda oid, p: offer_row(id=oid, **p),
            ("partners", "search_region_offer"): lambda filters: [offer_row()],
            ("partners", "gaps"): lambda nid: {
                "uncovered": [
                    {"municipality": "44083", "municipality_name": "Deinze", "kind": "consultation"}
                ],
                "full_with_waiting": [],
            },
            ("partners", "list_agreements"): lambda nid: [agreement_row(network_id=nid)],
            ("partners", "record_agreement"): lambda nid, p: agreement_row(network_id=nid, **p),
            ("partners", "update_agreement"): lambda aid, p: agreement_row(id=aid, **p),
            ("partners", "add_agreement_follow_up"): lambda aid, p: agreement_row(
                id=aid, follow_ups=[{"id": str(uuid.uuid4()), "created_at": NOW, **p}]
            ),
            ("partners", "list_task_groups"): lambda nid: [task_group_row(network_id=nid)],
            ("partners", "create_task_group"): lambda nid, p: task_group_row(network_id=nid, **p),
            ("partners", "update_task_group"): lambda tid, p: task_group_row(id=tid, **p),
            ("partners", "export_hsds"): lambda nid: {"services": []},
            ("partners", "import_csv"): lambda nid, kind, text, dry_run: import_result(dry_run),
            ("partners", "list_municipalities"): lambda: [
                {"nis": "44083", "name": "Deinze", "province": "Oost-Vlaanderen"},
                {"nis": "43005", "name": "Eeklo", "province": "Oost-Vlaanderen"},
            ],
            ("partners", "resolve_municipalities"): resolve_municipalities,
            ("cases", "receive_referral"): lambda nid, p: {
                "referral_id": str(uuid.uuid4()),
                "network_id": nid,
                "offer_id": p["offer_id"],
                "status": "received",
                "received_at": NOW,
            },
            ("reporting", "referral_count"): lambda nid: {
                "network_id": nid,
                "referrals": 0,
                "last_event_at": None,
            },
        }
        self.defaults.update(cases_defaults())

        self.defaults.update(meetings_defaults())

    def answer(self, service, method, value):
        self.answers[(service, method)] = value

    def fail(self, service, method, exc):
        self.errors[(service, method)] = exc

    def call(self, service, method, *args, correlation_id=None, actor=None, idempotency=None):
        self.calls.append(Call(service, method, args, correlation_id, actor, idempotency))
        return self._resolve(service, method, *args)

    def _resolve(self, service, method, *args):
        """An answer without recording a call: the page-shaped RPCs of cases are made of the
        single ones, as in the service, so a test answers (or fails) the panel it is about."""
        if (service, method) in self.errors:
            raise self.errors[(service, method)]
        if (service, method) in self.answers:
            value = self.answers[(service, method)]
            return value(*args) if callable(value) else value
        if service == "partners" and hasattr(FakePartners, method):
            return getattr(self.partners, method)(*args)
        if (service, method) in self.defaults:
            return self.defaults[(service, method)](*args)
        if (service, method) == ("cases", "coordinator_home"):
            return {
                "board": self._resolve("cases", "dashboard", *args),
                "clocks": self._resolve("cases", "pickup_clocks", *args),
            }
        if (service, method) == ("cases", "waiting_board"):
            return self._waiting_board(*args)
        return None

    def _waiting_board(self, network_id, offer_id, limit, offset, purpose):
        board, problem = None, None
        if offer_id is not None:
            try:
                board = self._resolve("cases", "waiting_list", offer_id, limit, offset, purpose)
            except VerbandError as exc:
                problem = exc.message
        return {
            "board": board,
            "board_problem": problem,
            "to_triage": self._resolve("cases", "list_cases", network_id, {"status": "received"}),
            "returned": self._resolve("cases", "list_cases", network_id, {"status": "returned"}),
            "clocks": self._resolve("cases", "pickup_clocks", network_id),
            "overdue": self._resolve("cases", "overdue_contacts", network_id),
        }

    def methods_called(self):
        return [(c.service, c.method) for c in self.calls]

    def calls_to(self, method):
        return [c for c in self.calls if c.method == method]


@pytest.fixture
def services():
    return FakeServices()


@pytest.fixture
def mail_dir(tmp_path):
    return tmp_path / "mail"


@pytest.fixture
def app(services, mail_dir):
    return create_app({"TESTING": True, "MAIL_DIR": str(mail_dir)}, rpc=services)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def network():
    return network_row()


@pytest.fixture
def bearer(services):
    """bearer({network_id: [roles]}, platform_admin=False) -> headers of a signed-in person."""

    def make(roles=None, platform_admin=False):
        person = services.partners.add_person(roles=roles, platform_admin=platform_admin)
        return {"Authorization": "Bearer " + services.partners.session_for(person)}

    return make


@pytest.fixture
def coordinator(bearer, network):
    """Headers of a coordinator of `network`."""
    return bearer({network["id"]: ["coordinator"]})


@pytest.fixture
def admin(bearer):
    """Headers of a platform admin (no role in any network)."""
    return bearer(platform_admin=True)


CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(page: str) -> str:
    return CSRF.search(page).group(1)


@pytest.fixture
def portal_sign_in(client, services):
    """Sign in through the form, as a browser does: portal_sign_in({network: [roles]})."""

    def sign_in(roles=None, email=None, **person):
        found = services.partners.add_person(email=email, roles=roles, **person)
        token = csrf_of(client.get("/aanmelden").get_data(as_text=True))
        response = client.post(
            "/aanmelden",
            data={"email": found["email"], "password": GOOD_PASSWORD, "csrf_token": token},
        )
        assert response.status_code == 302, response.get_data(as_text=True)
        return found

    return sign_in


@pytest.fixture
def page_token(client):
    """The CSRF token of the form on a page (signing in first if the page needs it)."""

    def token(path="/"):
        return csrf_of(client.get(path).get_data(as_text=True))

    return token
