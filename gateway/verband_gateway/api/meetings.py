"""Governance bodies and their meetings: series, agendas, the meeting's record, minutes, and
the agenda and minutes as PDF and the meetings as iCalendar feeds.

Every view is a thin call to the meetings service with the request's actor. Input is checked
here with the service's own payload schemas (so a bad field is a 422 before any RPC); the
gateway's role check is coarse (any role in the network; an organiser role to set up a body):
the service checks the caller's network role and seat in the body again, and answers 404 for
what they cannot see. Answers are loaded with the schemas below, so a broken contract is 502.
"""

import base64
import binascii
from urllib.parse import quote

from flask import Response, request
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate, validates_schema

from verband_common.errors import ValidationFailed, VerbandError
from verband_common.roles import BODY_ORGANISERS, MAIL_KEEPERS, MEETING_ROLES
from verband_common.rpc import validated
from verband_common.schemas import meetings as m
from verband_common.schemas.common import Strict, Whole
from verband_gateway import BadServiceAnswer, auth, call

blp = Blueprint(
    "meetings",
    __name__,
    url_prefix="/api",
    description=(
        "Overlegorganen (kernteam, beleidsgroep, ...): samenstelling, vergaderreeksen, agenda,"
        " verloop van de vergadering, acties, signalen, verslagen, PDF's en agenda-feeds."
    ),
)

# Network roles that set up bodies (the service's organisers); seats are the service's to check.

PDF = "application/pdf"
ICS = "text/calendar"


# --- input: the meetings service's payload schemas -------------------------------------------


class BodyUpdate(m.BodyUpdate):
    """A partial update; a rule (cadence, quorum, decision rule) given is checked whole, as the
    service replaces it whole (a partial load would let a rule without its `kind` through)."""

    @validates_schema(pass_original=True)
    def rules_whole(self, data, original, **kwargs):
        if not isinstance(original, dict):
            return
        rules = {k: original[k] for k in m.BodyRules.RULES if k in original}
        if rules:
            try:
                m.BodyRules().load(rules)
            except ValidationError as err:
                raise ValidationError(err.messages) from None


class NoInput(Strict):
    """Nothing to send: the action is in the path (anything sent is refused)."""


NO_INPUT = "Leeg: de actie staat in het pad."


class MeetingsQuery(Strict):
    starts_on = fields.Date(data_key="from", metadata={"description": "vanaf deze dag"})
    until = fields.Date(metadata={"description": "tot en met deze dag"})


class ActionsQuery(Strict):
    open_only = fields.Boolean(
        load_default=False, metadata={"description": "Enkel de acties die nog open staan."}
    )


# --- answers, as the meetings service gives them ---------------------------------------------


class Answer(Schema):
    """A service answer: loaded (so checked) before it is dumped; a field added later by the
    service is left out rather than refused. Its text is marshmallow's plain String: the
    character rule belongs to input, and stored prose (an explanation listing the open
    actions, minutes) runs over several lines."""

    class Meta:
        unknown = EXCLUDE


def _maybe(field_class, **kwargs):
    return field_class(allow_none=True, load_default=None, **kwargs)


class Member(Answer):
    id = fields.UUID(required=True)
    person_id = _maybe(fields.UUID)
    organisation_id = _maybe(fields.UUID)
    organisation_name = _maybe(fields.String)
    delegate_id = _maybe(fields.UUID)
    name = fields.String(required=True)
    role = fields.String(required=True, metadata={"enum": list(m.MEMBER_ROLES)})
    voting = fields.Boolean(required=True)
    represents = _maybe(
        fields.String,
        metadata={"description": "voor wie de persoon zetelt: " + ", ".join(m.REPRESENTS)},
    )


class Body(Answer):
    id = fields.UUID(required=True)
    network_id = fields.UUID(required=True)
    name = fields.String(required=True)
    kind = fields.String(required=True)
    mandate = _maybe(fields.String)
    quorum = fields.Dict(required=True)
    decision_rule = fields.Dict(required=True)
    cadence = fields.Dict(required=True)
    location = _maybe(fields.String)
    agenda_deadline_days = fields.Integer(required=True)
    mail_days_before = fields.Integer(required=True)
    members = fields.List(Whole(Member), required=True)


class Meeting(Answer):
    id = fields.UUID(required=True)
    body_id = fields.UUID(required=True)
    network_id = fields.UUID(required=True)
    body_name = _maybe(fields.String)
    starts_at = fields.AwareDateTime(required=True)
    ends_at = fields.AwareDateTime(required=True)
    status = fields.String(required=True, metadata={"enum": ["scheduled", "cancelled", "held"]})
    in_series = fields.Boolean(required=True)
    location = _maybe(fields.String)
    change_reason = _maybe(fields.String)
    agenda_published_at = _maybe(fields.AwareDateTime)
    agenda_mailed_at = _maybe(fields.AwareDateTime)


class PlannedMeeting(Meeting):
    """A meeting just planned, moved or cancelled: the write stands, and the answer says which
    gaps in its body's rhythm it made or left (the meetings service's rhythm per kind)."""

    rhythm_warnings = fields.List(
        fields.String(),
        required=True,
        metadata={
            "description": (
                "Waarschuwingen, in het Nederlands, voor elke te lange tussenpoos die deze"
                " wijziging maakt of laat: de tussenpoos en de regel van het soort orgaan"
                " (bv. een kernteam komt minstens om de 14 dagen samen). Leeg als het ritme"
                " gehouden is."
            )
        },
    )


class Item(Answer):
    id = fields.UUID(required=True)
    position = fields.Integer(required=True)
    kind = fields.String(required=True)
    title = fields.String(required=True)
    explanation = _maybe(fields.String)
    documents = fields.List(fields.Dict(), load_default=list)
    decision_asked = _maybe(fields.String)
    ref = _maybe(fields.String)
    proposed_by = _maybe(fields.UUID)
    approved_by_meeting = fields.Boolean(required=True)
    notes = _maybe(fields.String)


class Action(Answer):
    id = fields.UUID(required=True)
    body_id = fields.UUID(required=True)
    meeting_id = _maybe(fields.UUID)
    item_id = _maybe(fields.UUID)
    title = fields.String(required=True)
    owner_member_id = fields.UUID(required=True)
    owner_name = _maybe(fields.String)
    due_on = fields.Date(required=True)
    done_on = _maybe(fields.Date)


class Signal(Answer):
    id = fields.UUID(required=True)
    meeting_id = fields.UUID(required=True)
    kind = fields.String(required=True)
    title = fields.String(required=True)
    description = _maybe(fields.String)
    raised_at = fields.AwareDateTime(required=True)


class Decision(Answer):
    id = fields.UUID(required=True)
    item_id = fields.UUID(required=True)
    method = fields.String(required=True)
    outcome = fields.String(required=True)
    text = fields.String(required=True)
    objections = fields.List(fields.Dict(), load_default=list)
    votes = fields.List(fields.Dict(), load_default=list)
    tally = _maybe(fields.Dict)
    case_pseudonym = _maybe(fields.String)
    for_iroj = fields.Boolean(load_default=False)
    taken_at = fields.AwareDateTime(required=True)


class Minutes(Answer):
    meeting_id = fields.UUID(required=True)
    status = fields.String(required=True, metadata={"enum": ["draft", "sent", "approved"]})
    summary = _maybe(fields.String)
    amendments = fields.List(fields.String(), load_default=list)
    sent_at = _maybe(fields.AwareDateTime)
    approved_at = _maybe(fields.AwareDateTime)
    approved_in_meeting_id = _maybe(fields.UUID)
    updated_at = _maybe(fields.AwareDateTime)


class Presence(Answer):
    member_id = fields.UUID(required=True)
    status = fields.String(required=True, metadata={"enum": list(m.ATTENDANCE)})


class MeetingDetail(Meeting):
    quorum_reached = _maybe(fields.Boolean)
    iroj_reporter_member_id = _maybe(fields.UUID)
    agenda = fields.List(Whole(Item), load_default=list)
    attendance = fields.List(Whole(Presence), load_default=list)
    decisions = fields.List(Whole(Decision), load_default=list)
    actions = fields.List(Whole(Action), load_default=list)
    open_actions = fields.List(Whole(Action), load_default=list)
    signals = fields.List(Whole(Signal), load_default=list)
    minutes = Whole(Minutes, allow_none=True, load_default=None)


def _file(answer: dict, content_type: str) -> Response:
    """A PDF (base64 in the RPC's answer) or iCalendar text, as a download."""
    try:
        filename = str(answer["filename"])
        if content_type == PDF:
            content = base64.b64decode(answer["content_base64"], validate=True)
            mimetype = PDF
        else:
            content = answer["ics"].encode("utf-8")
            mimetype = "text/calendar; charset=utf-8"
    except (KeyError, TypeError, AttributeError, binascii.Error, ValueError):
        raise BadServiceAnswer("De dienst 'meetings' gaf een ongeldig antwoord.") from None
    # A header is Latin-1: keep the name to plain ASCII.
    safe = "".join(c for c in filename if c.isascii() and (c.isalnum() or c in "-_.")) or "bestand"
    return Response(
        content,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{safe}"'},
    )


def _binary(description: str, content_type: str, fmt: str = "binary") -> dict:
    return {
        "description": description,
        "content": {content_type: {"schema": {"type": "string", "format": fmt}}},
    }


class ParkedMail(Answer):
    id = fields.Integer(required=True)
    subject = fields.String(required=True)
    recipients = fields.List(fields.String(), required=True)
    created_at = fields.DateTime(required=True)
    attempts = fields.Integer(required=True)
    last_error = _maybe(fields.String, metadata={"description": "waarom ze niet vertrok"})
    parked_at = fields.DateTime(required=True)


# --- bodies -----------------------------------------------------------------------------------


@blp.route("/networks/<uuid:network_id>/bodies")
class NetworkBodies(MethodView):
    # A guest of one meeting too: the body of the meeting she is invited to (meetings decides).
    @auth.requires(*MEETING_ROLES)
    @blp.response(200, Body(many=True))
    def get(self, network_id):
        """The network's governance bodies the caller sees, with their members: every body for
        an organiser, else those the caller sits in or is invited to a meeting of."""
        return call("meetings", "list_bodies", str(network_id), schema=Body(many=True))

    @auth.requires(*BODY_ORGANISERS)
    @blp.arguments(m.BodyInput)
    @blp.response(201, Body)
    def post(self, data, network_id):
        """Set up a body (network admin, coordinator or secretary of the network): its kind,
        members (at most one chair and one secretary), quorum, decision rule and cadence."""
        return call(
            "meetings", "create_body", str(network_id), m.BodyInput().dump(data), schema=Body()
        )


@blp.route("/networks/<uuid:network_id>/parked-mails")
class NetworkParkedMails(MethodView):
    @auth.requires(*MAIL_KEEPERS)
    @blp.response(200, ParkedMail(many=True))
    def get(self, network_id):
        """The network's e-mails that could not be sent and were set aside, newest first, with
        the reason (a mail that cannot be composed, or that failed too often): for the network
        admin, who can fix the cause. The mails behind them went out."""
        return call("meetings", "parked_mails", str(network_id), schema=ParkedMail(many=True))


@blp.route("/bodies/<uuid:body_id>")
class BodyById(MethodView):
    @auth.requires()
    @blp.response(200, Body)
    def get(self, body_id):
        """One body with its members: for its members, the network's organisers and the
        guests of one of its meetings (404 for anyone else)."""
        return call("meetings", "get_body", str(body_id), schema=Body())

    @auth.requires()
    @blp.arguments(BodyUpdate)
    @blp.response(200, Body)
    def patch(self, data, body_id):
        """Change a body; only the fields given, a rule given is replaced whole."""
        return call("meetings", "update_body", str(body_id), BodyUpdate().dump(data), schema=Body())


@blp.route("/bodies/<uuid:body_id>/members")
class BodyMembers(MethodView):
    @auth.requires()
    @blp.arguments(m.MemberInput)
    @blp.response(201, Body)
    def post(self, data, body_id):
        """Give someone a seat: a person, or an organisation with its delegate; answers the
        body."""
        return call(
            "meetings", "add_member", str(body_id), m.MemberInput().dump(data), schema=Body()
        )


@blp.route("/bodies/<uuid:body_id>/members/<uuid:member_id>")
class BodyMember(MethodView):
    @auth.requires()
    @blp.response(200, Body)
    def delete(self, body_id, member_id):
        """End a seat (its history stays); answers the body."""
        return call("meetings", "remove_member", str(body_id), str(member_id), schema=Body())


# --- series and meetings ----------------------------------------------------------------------


@blp.route("/bodies/<uuid:body_id>/series")
class BodySeries(MethodView):
    @auth.requires()
    @blp.arguments(m.SeriesInput)
    @blp.response(201, PlannedMeeting(many=True))
    def post(self, data, body_id):
        """Plan the body's meetings from its cadence between `from` and `until`, around
        weekends and Belgian public holidays; answers the meetings created, each gap in the
        rhythm of the body's kind told once, on the new meeting that ends it."""
        return call(
            "meetings",
            "schedule_series",
            str(body_id),
            m.SeriesInput().dump(data),
            schema=PlannedMeeting(many=True),
        )


@blp.route("/bodies/<uuid:body_id>/meetings")
class BodyMeetings(MethodView):
    @auth.requires()
    @blp.arguments(MeetingsQuery, location="query")
    @blp.response(200, Meeting(many=True))
    def get(self, filters, body_id):
        """The body's meetings, optionally from and until a day."""
        return call(
            "meetings",
            "list_meetings",
            str(body_id),
            MeetingsQuery().dump(filters),
            schema=Meeting(many=True),
        )

    @auth.requires()
    @blp.arguments(m.MeetingInput)
    @blp.response(201, PlannedMeeting)
    def post(self, data, body_id):
        """Plan one meeting outside the series; the answer warns of a gap in the body's
        rhythm."""
        return call(
            "meetings",
            "schedule_meeting",
            str(body_id),
            m.MeetingInput().dump(data),
            schema=PlannedMeeting(),
        )


@blp.route("/meetings/<uuid:meeting_id>")
class MeetingById(MethodView):
    @auth.requires()
    @blp.response(200, MeetingDetail)
    def get(self, meeting_id):
        """One meeting with its agenda, attendance, decisions, actions, signals and minutes."""
        return call("meetings", "get_meeting", str(meeting_id), schema=MeetingDetail())


@blp.route("/meetings/<uuid:meeting_id>/move")
class MeetingMove(MethodView):
    @auth.requires()
    @blp.arguments(m.MoveInput)
    @blp.response(200, PlannedMeeting)
    @blp.alt_response(409, "CONFLICT")
    def post(self, data, meeting_id):
        """Move a planned meeting to another (future, non-holiday) moment; the answer warns of
        a gap in the body's rhythm."""
        return call(
            "meetings",
            "move_meeting",
            str(meeting_id),
            m.MoveInput().dump(data),
            schema=PlannedMeeting(),
        )


@blp.route("/meetings/<uuid:meeting_id>/cancellation")
class MeetingCancellation(MethodView):
    @auth.requires()
    @blp.arguments(m.CancelInput)
    @blp.response(200, PlannedMeeting)
    @blp.alt_response(409, "CONFLICT")
    def post(self, data, meeting_id):
        """Cancel a planned meeting, with a reason; the answer warns of the gap in the body's
        rhythm the cancellation leaves."""
        return call(
            "meetings",
            "cancel_meeting",
            str(meeting_id),
            m.CancelInput().dump(data),
            schema=PlannedMeeting(),
        )


# --- agenda -----------------------------------------------------------------------------------


@blp.route("/meetings/<uuid:meeting_id>/items")
class MeetingItems(MethodView):
    @auth.requires()
    @blp.arguments(m.ItemInput)
    @blp.response(201, Item)
    @blp.alt_response(409, "CONFLICT")
    def post(self, data, meeting_id):
        """Propose an agenda item (a member of the body, before the deadline and before the
        agenda is published)."""
        return call(
            "meetings", "propose_item", str(meeting_id), m.ItemInput().dump(data), schema=Item()
        )


@blp.route("/meetings/<uuid:meeting_id>/agenda-order")
class AgendaOrder(MethodView):
    @auth.requires()
    @blp.arguments(m.OrderInput)
    @blp.response(200, Item(many=True))
    @blp.alt_response(409, "CONFLICT")
    def put(self, data, meeting_id):
        """Order the proposed items (chair or secretary), naming each exactly once."""
        return call(
            "meetings",
            "order_agenda",
            str(meeting_id),
            m.OrderInput().dump(data),
            schema=Item(many=True),
        )


@blp.route("/meetings/<uuid:meeting_id>/agenda-publication")
class AgendaPublication(MethodView):
    @auth.requires()
    @blp.arguments(NoInput, required=False, description=NO_INPUT)
    @blp.response(200, MeetingDetail)
    @blp.alt_response(409, "CONFLICT")
    def post(self, _nothing, meeting_id):
        """Publish the agenda (chair or secretary), with the standing items; members get it by
        mail on the body's mailing day."""
        return call("meetings", "publish_agenda", str(meeting_id), schema=MeetingDetail())


@blp.route("/meetings/<uuid:meeting_id>/items-at-meeting")
class ItemsAtMeeting(MethodView):
    @auth.requires()
    @blp.arguments(m.ItemAtMeetingInput)
    @blp.response(201, Item)
    @blp.alt_response(409, "CONFLICT")
    def post(self, data, meeting_id):
        """After publication, an item added at the meeting itself, with the meeting's
        approval (chair or secretary)."""
        return call(
            "meetings",
            "add_item_at_meeting",
            str(meeting_id),
            m.ItemAtMeetingInput().dump(data),
            schema=Item(),
        )


# --- the meeting ------------------------------------------------------------------------------


@blp.route("/meetings/<uuid:meeting_id>/attendance")
class Attendance(MethodView):
    @auth.requires()
    @blp.arguments(m.AttendanceInput)
    @blp.response(200, MeetingDetail)
    @blp.alt_response(409, "CONFLICT")
    def put(self, data, meeting_id):
        """Record who is present, excused or absent, and who reports back to IROJ."""
        return call(
            "meetings",
            "record_attendance",
            str(meeting_id),
            m.AttendanceInput().dump(data),
            schema=MeetingDetail(),
        )


@blp.route("/meetings/<uuid:meeting_id>/items/<uuid:item_id>")
class ItemOutcome(MethodView):
    @auth.requires()
    @blp.arguments(m.ItemOutcomeInput)
    @blp.response(200, MeetingDetail)
    @blp.alt_response(409, "CONFLICT")
    def put(self, data, meeting_id, item_id):
        """Record an item's notes, decision (consensus or vote) and actions."""
        return call(
            "meetings",
            "record_item",
            str(meeting_id),
            str(item_id),
            m.ItemOutcomeInput().dump(data),
            schema=MeetingDetail(),
        )


@blp.route("/meetings/<uuid:meeting_id>/closure")
class MeetingClosure(MethodView):
    @auth.requires()
    @blp.arguments(NoInput, required=False, description=NO_INPUT)
    @blp.response(200, MeetingDetail)
    @blp.alt_response(409, "CONFLICT")
    def post(self, _nothing, meeting_id):
        """Close the meeting as held (attendance and the IROJ reporter recorded)."""
        return call("meetings", "close_meeting", str(meeting_id), schema=MeetingDetail())


@blp.route("/meetings/<uuid:meeting_id>/signals")
class MeetingSignals(MethodView):
    @auth.requires()
    @blp.arguments(m.SignalInput)
    @blp.response(201, Signal)
    @blp.alt_response(409, "CONFLICT")
    def post(self, data, meeting_id):
        """Raise a signal for IROJ (a pain point or improvement proposal) in a meeting held."""
        return call(
            "meetings", "raise_signal", str(meeting_id), m.SignalInput().dump(data), schema=Signal()
        )


@blp.route("/bodies/<uuid:body_id>/actions")
class BodyActions(MethodView):
    @auth.requires()
    @blp.arguments(ActionsQuery, location="query")
    @blp.response(200, Action(many=True))
    def get(self, query, body_id):
        """The body's actions (`open_only=true`: those not done yet)."""
        return call(
            "meetings",
            "list_actions",
            str(body_id),
            query["open_only"],
            schema=Action(many=True),
        )


@blp.route("/actions/<uuid:action_id>/completion")
class ActionCompletion(MethodView):
    @auth.requires()
    @blp.arguments(NoInput, required=False, description=NO_INPUT)
    @blp.response(200, Action)
    @blp.alt_response(409, "CONFLICT")
    def post(self, _nothing, action_id):
        """Mark an action done (its owner, or the body's chair or secretary)."""
        return call("meetings", "complete_action", str(action_id), schema=Action())


# --- minutes ----------------------------------------------------------------------------------


@blp.route("/meetings/<uuid:meeting_id>/minutes")
class MeetingMinutes(MethodView):
    @auth.requires()
    @blp.arguments(m.MinutesInput)
    @blp.response(200, Minutes)
    @blp.alt_response(409, "CONFLICT")
    def put(self, data, meeting_id):
        """Draft the minutes (the body's secretary): a summary and notes per agenda item."""
        return call(
            "meetings",
            "update_minutes",
            str(meeting_id),
            m.MinutesInput().dump(data),
            schema=Minutes(),
        )


@blp.route("/meetings/<uuid:meeting_id>/minutes/draft")
class MinutesDraft(MethodView):
    @auth.requires()
    @blp.arguments(NoInput, required=False, description=NO_INPUT)
    @blp.response(200, Minutes)
    @blp.alt_response(409, "CONFLICT")
    def post(self, _nothing, meeting_id):
        """Send the draft minutes to the members by mail (the body's secretary)."""
        return call("meetings", "send_minutes_draft", str(meeting_id), schema=Minutes())


@blp.route("/meetings/<uuid:meeting_id>/minutes/approval")
class MinutesApproval(MethodView):
    @auth.requires()
    @blp.arguments(m.ApproveMinutesInput)
    @blp.response(200, Minutes)
    @blp.alt_response(409, "CONFLICT")
    def post(self, data, meeting_id):
        """Approve the minutes in a later meeting, with the amendments; they are then locked."""
        return call(
            "meetings",
            "approve_minutes",
            str(meeting_id),
            m.ApproveMinutesInput().dump(data),
            schema=Minutes(),
        )


# --- documents and calendars ------------------------------------------------------------------


@blp.route("/meetings/<uuid:meeting_id>/agenda.pdf")
class AgendaPdf(MethodView):
    @auth.requires()
    @blp.doc(responses={"200": _binary("De agenda als PDF.", PDF)})
    def get(self, meeting_id):
        """The meeting's agenda as a PDF."""
        return _file(call("meetings", "agenda_pdf", str(meeting_id)), PDF)


@blp.route("/meetings/<uuid:meeting_id>/minutes.pdf")
class MinutesPdf(MethodView):
    @auth.requires()
    @blp.doc(responses={"200": _binary("Het verslag als PDF.", PDF)})
    def get(self, meeting_id):
        """The meeting's minutes as a PDF (404 while there are none)."""
        return _file(call("meetings", "minutes_pdf", str(meeting_id)), PDF)


@blp.route("/bodies/<uuid:body_id>/calendar.ics")
class BodyCalendar(MethodView):
    @auth.requires()
    @blp.doc(responses={"200": _binary("De vergaderingen als iCalendar.", ICS, "text")})
    def get(self, body_id):
        """The body's meetings as an iCalendar feed (RFC 5545)."""
        return _file(call("meetings", "body_calendar", str(body_id)), ICS)


@blp.route("/me/calendar.ics")
class MyCalendar(MethodView):
    @auth.requires()
    @blp.doc(responses={"200": _binary("Mijn vergaderingen als iCalendar.", ICS, "text")})
    def get(self):
        """The meetings of every body the signed-in person sits in, as an iCalendar feed."""
        return _file(call("meetings", "person_calendar"), ICS)


# --- documents and guests of a meeting --------------------------------------------------------
#
# A document is a file the meetings service keeps (every version of it); the gateway passes
# the bytes on, base64 in the RPC, and never keeps them. A file is at most
# m.MAX_DOCUMENT_BYTES, which with its multipart framing stays within the gateway's request
# limit: no route needs an exception to the limit every other route has.

DOCUMENT_FIELD = "file"


class DocumentVersion(Answer):
    version = fields.Integer(required=True)
    filename = fields.String(required=True)
    content_type = fields.String(required=True, metadata={"enum": list(m.DOCUMENT_TYPES.values())})
    size = fields.Integer(required=True)
    sha256 = fields.String(required=True)
    uploaded_by = _maybe(fields.UUID)
    uploaded_by_name = _maybe(fields.String)
    uploaded_at = fields.AwareDateTime(required=True)


class MeetingDocument(Answer):
    id = fields.UUID(required=True)
    meeting_id = fields.UUID(required=True)
    item_id = _maybe(fields.UUID, metadata={"description": "leeg: een stuk bij de vergadering"})
    name = fields.String(required=True, metadata={"description": "de naam van de nieuwste versie"})
    versions = fields.List(
        Whole(DocumentVersion), required=True, metadata={"description": "nieuwste eerst"}
    )


class Guest(Answer):
    person_id = fields.UUID(required=True)
    name = fields.String(required=True)
    invited_at = fields.AwareDateTime(required=True)


class NetworkPerson(Answer):
    id = fields.UUID(required=True)
    name = fields.String(required=True)


class DocumentForm(Strict):
    """The form fields beside the file."""

    item_id = fields.UUID(load_default=None, metadata={"description": "het agendapunt"})


class VersionQuery(Strict):
    version = fields.Integer(
        load_default=None,
        validate=validate.Range(min=1, max=10**6, error="Een volgnummer vanaf 1."),
        metadata={"description": "de versie; zonder: de nieuwste"},
    )


def _upload_body(with_item: bool) -> dict:
    properties = {DOCUMENT_FIELD: {"type": "string", "format": "binary"}}
    if with_item:
        properties["item_id"] = {"type": "string", "format": "uuid"}
    return {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": properties,
                    "required": [DOCUMENT_FIELD],
                    "additionalProperties": False,
                }
            }
        },
    }


def read_upload(files, form: dict, with_item: bool) -> dict:
    """The upload RPC's payload from a multipart form (`form`: its fields beside the file):
    the file (413 over the limit, 422 "file" without one) and, for a new document, the agenda
    item. The service reads the type from the bytes and cleans the name."""
    upload = files.get(DOCUMENT_FIELD)
    if upload is None or len(files) != 1:
        raise ValidationFailed(
            "Kies één bestand.", {DOCUMENT_FIELD: ["Kies het bestand om toe te voegen."]}
        )
    content = upload.read(m.MAX_DOCUMENT_BYTES + 1)
    if len(content) > m.MAX_DOCUMENT_BYTES:
        raise DocumentTooLarge()
    fields_ = validated(DocumentForm() if with_item else Strict(), form)
    return {
        "filename": (upload.filename or "stuk")[: m.RAW_NAME_MAX],
        "content_base64": base64.b64encode(content).decode("ascii"),
        **({"item_id": str(fields_["item_id"])} if fields_.get("item_id") else {}),
    }


class DocumentTooLarge(VerbandError):
    code = "too_large"
    http_status = 413

    def __init__(self):
        size = m.MAX_DOCUMENT_BYTES // (1024 * 1024)
        super().__init__(
            f"Dit bestand is te groot: hoogstens {size} MiB per stuk.",
            {DOCUMENT_FIELD: [f"Te groot: hoogstens {size} MiB per stuk."]},
        )


def document_download(answer: dict) -> Response:
    """A stored document as a download: always an attachment, with the type the service read
    from its bytes, never sniffed again by the browser."""
    try:
        content = base64.b64decode(answer["content_base64"], validate=True)
        mimetype = str(answer["content_type"])
        filename = str(answer["filename"])
    except (KeyError, TypeError, binascii.Error, ValueError):
        raise BadServiceAnswer("De dienst 'meetings' gaf een ongeldig antwoord.") from None
    if mimetype not in m.DOCUMENT_TYPES.values():
        raise BadServiceAnswer("De dienst 'meetings' gaf een ongeldig antwoord.")
    # A header is Latin-1: the plain ASCII name, and the real one (RFC 6266) beside it.
    plain = "".join(c for c in filename if c.isascii() and (c.isalnum() or c in "-_. ")) or "stuk"
    return Response(
        content,
        mimetype=mimetype,
        headers={
            "Content-Disposition": (
                f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(filename)}"
            ),
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, no-store",
        },
    )


@blp.route("/meetings/<uuid:meeting_id>/documents")
class MeetingDocuments(MethodView):
    @auth.requires()
    @blp.response(200, MeetingDocument(many=True))
    def get(self, meeting_id):
        """The meeting's documents, each with every version (who uploaded it, when): for the
        body's members, the meeting's guests and the network's organisers (404 for others: they
        do not learn the meeting exists)."""
        return call(
            "meetings", "list_documents", str(meeting_id), schema=MeetingDocument(many=True)
        )

    @auth.requires()
    @blp.doc(requestBody=_upload_body(with_item=True))
    @blp.response(201, MeetingDocument)
    @blp.alt_response(422, "UNPROCESSABLE_ENTITY")
    def post(self, meeting_id):
        """Add a document (chair, secretary or organiser): multipart `file` (PDF, DOCX, XLSX,
        PPTX, ODT, ODS, PNG or JPEG, read from its content; at most 3 MiB) and optionally
        `item_id`, the agenda item it belongs to."""
        payload = read_upload(request.files, request.form.to_dict(), with_item=True)
        return call(
            "meetings", "upload_document", str(meeting_id), payload, schema=MeetingDocument()
        )


@blp.route("/meetings/<uuid:meeting_id>/documents/<uuid:document_id>/versions")
class DocumentVersions(MethodView):
    @auth.requires()
    @blp.doc(requestBody=_upload_body(with_item=False))
    @blp.response(201, MeetingDocument)
    @blp.alt_response(422, "UNPROCESSABLE_ENTITY")
    def post(self, meeting_id, document_id):
        """A new version of a document (chair, secretary or organiser); the older versions
        stay, listed with who uploaded them and when."""
        payload = {
            **read_upload(request.files, request.form.to_dict(), with_item=False),
            "document_id": str(document_id),
        }
        return call(
            "meetings", "upload_document", str(meeting_id), payload, schema=MeetingDocument()
        )


@blp.route("/meeting-documents/<uuid:document_id>/content")
class DocumentContent(MethodView):
    @auth.requires()
    @blp.arguments(VersionQuery, location="query")
    @blp.alt_response(422, "UNPROCESSABLE_ENTITY")
    @blp.doc(
        responses={
            "200": {
                "description": "Het stuk, als bijlage, met het type dat de inhoud toont.",
                "content": {
                    t: {"schema": {"type": "string", "format": "binary"}}
                    for t in m.DOCUMENT_TYPES.values()
                },
            }
        }
    )
    def get(self, query, document_id):
        """Download a document (the newest version, or `version`). Whoever may not see the
        meeting's documents gets 404, as for a document that does not exist."""
        args = (str(document_id),) + ((query["version"],) if query["version"] else ())
        return document_download(call("meetings", "document_content", *args))


@blp.route("/meetings/<uuid:meeting_id>/guests")
class MeetingGuests(MethodView):
    @auth.requires()
    @blp.response(200, Guest(many=True))
    def get(self, meeting_id):
        """The guests invited to this one meeting."""
        return call("meetings", "list_guests", str(meeting_id), schema=Guest(many=True))

    @auth.requires()
    @blp.arguments(m.GuestInput)
    @blp.response(201, Guest(many=True))
    def post(self, data, meeting_id):
        """Invite a person with a role in the network (local staff, an expert) to this one
        meeting (chair, secretary or organiser): they see its agenda and documents, not those
        of the body's other meetings."""
        return call(
            "meetings",
            "invite_guest",
            str(meeting_id),
            m.GuestInput().dump(data),
            schema=Guest(many=True),
        )


@blp.route("/meetings/<uuid:meeting_id>/guests/<uuid:person_id>")
class MeetingGuest(MethodView):
    @auth.requires()
    @blp.response(200, Guest(many=True))
    def delete(self, meeting_id, person_id):
        """Withdraw an invitation; the guests who remain."""
        return call(
            "meetings", "remove_guest", str(meeting_id), str(person_id), schema=Guest(many=True)
        )


@blp.route("/networks/<uuid:network_id>/meeting-people")
class NetworkMeetingPeople(MethodView):
    @auth.requires()
    @blp.response(200, NetworkPerson(many=True))
    def get(self, network_id):
        """The people with a role in the network, who can be invited as a guest."""
        return call("meetings", "network_people", str(network_id), schema=NetworkPerson(many=True))
