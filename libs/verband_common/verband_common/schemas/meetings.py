"""Payloads of the meetings service: governance bodies, their cadence, meetings, agenda
items, the meeting's record (attendance, decisions, actions), minutes and signals."""

import datetime as dt

from marshmallow import ValidationError, fields, validate, validates_schema

from verband_common.contracts.meetings import BODY_KINDS, SIGNAL_KINDS
from verband_common.schemas.common import Strict, String, Whole, choice_message, text

MEMBER_ROLES = ("chair", "secretary", "member", "adviser")
# Whom a person sits for when not for a care organisation (labels: verband_common.labels).
REPRESENTS = ("clients", "experience_experts", "sector")
ATTENDANCE = ("present", "excused", "absent")
CHOICES = ("for", "against", "abstain")
CADENCE_KINDS = ("every_days", "monthly", "yearly", "custom")


def one_of(choices) -> validate.OneOf:
    return validate.OneOf(choices, error=choice_message(choices))


def clock(value: str) -> None:
    try:
        dt.time.fromisoformat(value)
    except ValueError:
        raise ValidationError("Geef een uur als UU:MM.") from None


class Phase(Strict):
    every_months = fields.Integer(
        required=True, validate=validate.Range(min=1, max=12, error="Tussen 1 en 12 maanden.")
    )
    until = fields.Date(load_default=None, allow_none=True)


class Cadence(Strict):
    kind = String(required=True, validate=one_of(CADENCE_KINDS))
    days = fields.Integer(validate=validate.Range(min=4, max=366, error="Tussen 4 en 366 dagen."))
    weekday = fields.Integer(
        validate=validate.Range(min=0, max=4, error="Een werkdag: 0 (maandag) tot 4 (vrijdag).")
    )
    week = fields.Integer(
        validate=validate.OneOf((1, 2, 3, 4, -1), error="Week 1 tot 4 van de maand, of -1.")
    )
    phases = fields.List(Whole(Phase), validate=validate.Length(min=1, max=6))
    months = fields.List(
        fields.Integer(validate=validate.Range(min=1, max=12, error="Een maand: 1 tot 12.")),
        validate=validate.Length(min=1, max=12),
    )
    dates = fields.List(fields.Date(), validate=validate.Length(min=1, max=200))
    time = String(load_default="14:00", validate=clock)
    duration_minutes = fields.Integer(
        load_default=120, validate=validate.Range(min=15, max=600, error="15 tot 600 minuten.")
    )

    @validates_schema
    def fields_of_kind(self, data, **kwargs):
        needs = {
            "every_days": ("days",),
            "monthly": ("week", "weekday"),
            "yearly": ("months", "week", "weekday"),
            "custom": ("dates",),
        }.get(data.get("kind"), ())
        errors = {f: ["Dit veld is verplicht voor deze regel."] for f in needs if f not in data}
        if data.get("kind") == "every_days" and data.get("weekday") is not None:
            if data.get("days", 7) < 7:
                errors["days"] = ["Met een vaste weekdag minstens 7 dagen."]
        phases = data.get("phases") or []
        for i, phase in enumerate(phases[:-1]):
            if phase["until"] is None:
                errors[f"phases.{i}.until"] = ["Alleen de laatste fase mag zonder einddatum."]
        untils = [p["until"] for p in phases if p["until"] is not None]
        if untils != sorted(untils) or len(set(untils)) != len(untils):
            errors["phases"] = ["De fasen volgen elkaar op in de tijd."]
        if errors:
            raise ValidationError(errors)


class Quorum(Strict):
    kind = String(required=True, validate=one_of(("none", "majority", "minimum")))
    count = fields.Integer(validate=validate.Range(min=1, max=200))

    @validates_schema
    def count_for_minimum(self, data, **kwargs):
        if data.get("kind") == "minimum" and "count" not in data:
            raise ValidationError({"count": ["Geef het minimum aantal stemgerechtigden."]})


class DecisionRule(Strict):
    method = String(required=True, validate=one_of(("consensus", "vote")))
    majority = String(load_default="simple", validate=one_of(("simple", "two_thirds")))


class MemberInput(Strict):
    """A person, or an organisation represented by a delegate."""

    person_id = fields.UUID()
    organisation_id = fields.UUID()
    organisation_name = text(200, required=False)
    delegate_id = fields.UUID()
    role = String(load_default="member", validate=one_of(MEMBER_ROLES))
    voting = fields.Boolean(load_default=True)
    # A person who sits for the clients, as an experience expert or for a sector (education,
    # police, ...), not for a care organisation; absent: a person or a delegate as such.
    represents = String(validate=one_of(REPRESENTS))

    @validates_schema
    def person_or_organisation(self, data, **kwargs):
        if "represents" in data and "person_id" not in data:
            raise ValidationError(
                {"represents": ["Enkel een persoon die zelf zetelt, vertegenwoordigt zo."]}
            )
        if "person_id" in data:
            if {"organisation_id", "delegate_id"} & data.keys():
                raise ValidationError(
                    {"person_id": ["Een persoon of een organisatie, niet beide."]}
                )
            return
        errors = {
            f: ["Geef een persoon (person_id) of een organisatie met een afgevaardigde."]
            for f in ("organisation_id", "organisation_name", "delegate_id")
            if f not in data
        }
        if errors:
            raise ValidationError(errors)


class BodyInput(Strict):
    name = text(200)
    kind = String(required=True, validate=one_of(BODY_KINDS))
    mandate = text(4000, required=False, load_default=None)
    members = fields.List(Whole(MemberInput), load_default=list)
    quorum = Whole(Quorum, load_default=lambda: {"kind": "majority"})
    decision_rule = Whole(DecisionRule, load_default=lambda: {"method": "consensus"})
    cadence = Whole(Cadence, required=True)
    location = text(300, required=False, load_default=None)
    agenda_deadline_days = fields.Integer(
        load_default=7, validate=validate.Range(min=0, max=60, error="0 tot 60 dagen.")
    )
    mail_days_before = fields.Integer(
        load_default=7, validate=validate.Range(min=0, max=60, error="0 tot 60 dagen.")
    )


class BodyUpdate(BodyInput):
    """A partial update: only the fields given change (members have their own calls)."""

    class Meta:
        exclude = ("members",)

    def __init__(self, **kwargs):
        super().__init__(partial=True, **kwargs)


class BodyRules(Strict):
    """A body's rules, each replaced whole (its defaults included) when an update gives it."""

    RULES = ("cadence", "quorum", "decision_rule")
    cadence = Whole(Cadence)
    quorum = Whole(Quorum)
    decision_rule = Whole(DecisionRule)


class SeriesInput(Strict):
    # `from` is a Python keyword: the payload key is "from", the loaded key "starts_on".
    starts_on = fields.Date(required=True, data_key="from")
    until = fields.Date(required=True)


class MeetingInput(Strict):
    starts_at = fields.AwareDateTime(required=True)
    duration_minutes = fields.Integer(validate=validate.Range(min=15, max=600))
    location = text(300, required=False)
    # A public holiday is refused unless the planner confirms the body meets anyway (a
    # crisis, a deliberate choice): the refusal names the holiday, the retry says so.
    on_holiday = fields.Boolean(load_default=False)


class MoveInput(Strict):
    starts_at = fields.AwareDateTime(required=True)
    reason = text(500, required=False, load_default=None)
    on_holiday = fields.Boolean(load_default=False)


class CancelInput(Strict):
    reason = text(500, required=False, load_default=None)


class Document(Strict):
    name = text(200)
    url = fields.Url(load_default=None, error_messages={"invalid": "Geen geldige URL."})


class ItemInput(Strict):
    title = text(200)
    explanation = text(4000, required=False, load_default=None)
    documents = fields.List(Whole(Document), load_default=list)
    decision_asked = text(1000, required=False, load_default=None)


class ItemAtMeetingInput(ItemInput):
    approved_by_meeting = fields.Boolean(required=True)


class OrderInput(Strict):
    item_ids = fields.List(fields.UUID(), required=True)


class AttendanceRow(Strict):
    member_id = fields.UUID(required=True)
    status = String(required=True, validate=one_of(ATTENDANCE))


class AttendanceInput(Strict):
    attendance = fields.List(Whole(AttendanceRow), required=True, validate=validate.Length(min=1))
    iroj_reporter_member_id = fields.UUID(load_default=None, allow_none=True)


class Objection(Strict):
    member_id = fields.UUID(required=True)
    text = text(2000)


class Vote(Strict):
    member_id = fields.UUID(required=True)
    choice = String(required=True, validate=one_of(CHOICES))


class DecisionInput(Strict):
    method = String(required=True, validate=one_of(("consensus", "vote")))
    text = text(4000)
    objections = fields.List(Whole(Objection), load_default=list)
    votes = fields.List(Whole(Vote), load_default=list)
    # Marked "voor IROJ": closing the meeting reports this decision back to IROJ.
    for_iroj = fields.Boolean(load_default=False)


class ActionInput(Strict):
    title = text(300)
    owner_member_id = fields.UUID(required=True)
    due_on = fields.Date(required=True)


class ItemOutcomeInput(Strict):
    notes = text(20000, required=False, load_default=None)
    decision = Whole(DecisionInput, load_default=None, allow_none=True)
    actions = fields.List(Whole(ActionInput), load_default=list)


class SignalInput(Strict):
    kind = String(required=True, validate=one_of(SIGNAL_KINDS))
    title = text(200)
    description = text(4000, required=False, load_default=None)


class MinutesInput(Strict):
    summary = text(50000, required=False, load_default=None)
    item_notes = fields.Dict(keys=fields.UUID(), values=text(20000), load_default=dict)


class ApproveMinutesInput(Strict):
    in_meeting_id = fields.UUID(required=True)
    amendments = fields.List(text(4000), load_default=list)


class OverviewInput(Strict):
    """How many coming meetings and actions the network's overview lists (counts are whole)."""

    limit = fields.Integer(
        strict=True, load_default=8, validate=validate.Range(min=1, max=50, error="1 tot 50.")
    )


# --- documents and guests of a meeting -----------------------------------------------------------

# One file per upload, kept within the gateway's request limit (4 MiB, multipart framing
# included), so no route needs an exception to it; as base64 in an RPC it stays near 4 MiB.
MAX_DOCUMENT_BYTES = 3 * 1024 * 1024
# The name a document is offered under, extension included.
DOCUMENT_NAME_MAX = 120
# What a raw name sent with a file may be before it is cleaned (a browser sends the name only;
# a client may send a path).
RAW_NAME_MAX = 1000
# The extension (as the content shows it) -> the content type a document is served with.
DOCUMENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "png": "image/png",
    "jpg": "image/jpeg",
}


class DocumentUpload(Strict):
    """A file for a meeting (or one of its agenda items), or a new version of a document."""

    filename = fields.String(
        required=True,
        validate=validate.Length(min=1, max=RAW_NAME_MAX, error="Geef de naam van het bestand."),
    )
    content_base64 = fields.String(
        required=True,
        validate=validate.Length(
            min=1,
            max=4 * -(-MAX_DOCUMENT_BYTES // 3),
            error=f"Hoogstens {MAX_DOCUMENT_BYTES // (1024 * 1024)} MiB per stuk.",
        ),
    )
    item_id = fields.UUID(load_default=None, allow_none=True)
    document_id = fields.UUID(load_default=None, allow_none=True)


class GuestInput(Strict):
    person_id = fields.UUID(required=True)


# -- members cast their own vote ------------------------------------------------------------


class VoteOpenInput(Strict):
    """A vote on an agenda item, opened during the meeting by its chair or secretary."""

    item_id = fields.UUID(required=True)
    proposal = text(4000)
    # Marked "voor IROJ": closing the meeting reports the decision back to IROJ.
    for_iroj = fields.Boolean(load_default=False)


class BallotInput(Strict):
    choice = String(required=True, validate=one_of(CHOICES))


# -- the written procedure between meetings -------------------------------------------------

WRITTEN_ANSWERS = ("agree", "object")


class WrittenProcedureInput(Strict):
    """An urgent proposal put to the body's members in writing, answered by `deadline`."""

    title = text(200)
    proposal = text(4000)
    deadline = fields.AwareDateTime(required=True)


class WrittenAnswerInput(Strict):
    answer = String(required=True, validate=one_of(WRITTEN_ANSWERS))
    # Required with an objection (the service names the field when it is missing).
    reason = text(2000, required=False, load_default=None)
