"""Events published by the meetings service.

They leave the service and reach reporting and IROJ: ids, codes, dates and counts, plus the
text of decisions and signals, which are the network's governance and not about a family;
a bottleneck case is only ever named by its pseudonym (`case_pseudonym`), so a decision
about it flows back to the cases service without personal data.
"""

from marshmallow import RAISE, Schema, fields, validate

from verband_common.contracts.envelope import Envelope, contract

BODY_KINDS = (
    "kernteam",
    "beleidsgroep",
    "inhoudelijke_ondersteuningsgroep",
    "netwerkforum",
    "kerngroep",
    "task_group",
    "case_table",
)
MEETING_STATUSES = ("scheduled", "moved", "cancelled")
SIGNAL_KINDS = ("pain_point", "improvement_proposal")
PSEUDONYM = validate.Regexp(r"^[0-9a-f]{32}$")


class MeetingRef(Envelope):
    meeting_id = fields.UUID(required=True)
    body_id = fields.UUID(required=True)
    body_kind = fields.String(required=True, validate=validate.OneOf(BODY_KINDS))


@contract("meetings", "meeting_scheduled")
class MeetingScheduled(MeetingRef):
    """A meeting planned, moved or cancelled: `status` says which."""

    starts_at = fields.AwareDateTime(required=True)
    ends_at = fields.AwareDateTime(required=True)
    status = fields.String(required=True, validate=validate.OneOf(MEETING_STATUSES))


@contract("meetings", "agenda_published")
class AgendaPublished(MeetingRef):
    published_at = fields.AwareDateTime(required=True)
    item_kinds = fields.List(fields.String(), required=True)
    case_pseudonyms = fields.List(fields.String(validate=PSEUDONYM), required=True)


@contract("meetings", "meeting_held")
class MeetingHeld(MeetingRef):
    held_on = fields.Date(required=True)
    present = fields.Integer(required=True, validate=validate.Range(min=0))
    excused = fields.Integer(required=True, validate=validate.Range(min=0))
    absent = fields.Integer(required=True, validate=validate.Range(min=0))
    quorum_reached = fields.Boolean(required=True)
    iroj_reporter_person_id = fields.UUID(required=True, allow_none=True)


@contract("meetings", "decision_taken")
class DecisionTaken(MeetingRef):
    decision_id = fields.UUID(required=True)
    item_id = fields.UUID(required=True)
    method = fields.String(required=True, validate=validate.OneOf(("consensus", "vote")))
    outcome = fields.String(required=True, validate=validate.OneOf(("adopted", "rejected")))
    text = fields.String(required=True, validate=validate.Length(min=1, max=4000))
    objections = fields.Integer(required=True, validate=validate.Range(min=0))
    votes_for = fields.Integer(required=True, allow_none=True)
    votes_against = fields.Integer(required=True, allow_none=True)
    abstentions = fields.Integer(required=True, allow_none=True)
    # Set when the item was a bottleneck case: how the decision finds its way back.
    case_pseudonym = fields.String(required=True, allow_none=True, validate=PSEUDONYM)
    taken_on = fields.Date(required=True)


@contract("meetings", "action_assigned")
class ActionAssigned(MeetingRef):
    action_id = fields.UUID(required=True)
    owner_person_id = fields.UUID(required=True)
    due_on = fields.Date(required=True)


@contract("meetings", "action_done")
class ActionDone(Envelope):
    action_id = fields.UUID(required=True)
    body_id = fields.UUID(required=True)
    done_on = fields.Date(required=True)


@contract("meetings", "minutes_approved")
class MinutesApproved(MeetingRef):
    approved_in_meeting_id = fields.UUID(required=True)
    approved_on = fields.Date(required=True)
    amendments = fields.Integer(required=True, validate=validate.Range(min=0))


@contract("meetings", "signal_raised")
class SignalRaised(MeetingRef):
    signal_id = fields.UUID(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(SIGNAL_KINDS))
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    description = fields.String(required=True, allow_none=True, validate=validate.Length(max=4000))
    raised_on = fields.Date(required=True)


class ReportedDecision(Schema):
    class Meta:
        unknown = RAISE

    decision_id = fields.UUID(required=True)
    method = fields.String(required=True, validate=validate.OneOf(("consensus", "vote")))
    outcome = fields.String(required=True, validate=validate.OneOf(("adopted", "rejected")))
    text = fields.String(required=True, validate=validate.Length(min=1, max=4000))


class ReportedSignal(Schema):
    class Meta:
        unknown = RAISE

    signal_id = fields.UUID(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(SIGNAL_KINDS))
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    description = fields.String(required=True, allow_none=True, validate=validate.Length(max=4000))


# Bounds of one report-back, so that one event stays a reasonable message.
REPORT_BACK_MAX_ITEMS = 200


@contract("meetings", "iroj_report_back_recorded")
class IrojReportBackRecorded(MeetingRef):
    """What a closed meeting reports back to IROJ (terugkoppeling) and who brings it: the
    decisions the body marked "voor IROJ" and the signals raised in the meeting. Closing the
    meeting is the body's approval of it. Decisions about a bottleneck case are never in it
    (their text is about a family); the reporter is named by person id only."""

    body_name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    held_on = fields.Date(required=True)
    reporter_person_id = fields.UUID(required=True)
    decisions = fields.List(
        fields.Nested(ReportedDecision),
        required=True,
        validate=validate.Length(max=REPORT_BACK_MAX_ITEMS),
    )
    signals = fields.List(
        fields.Nested(ReportedSignal),
        required=True,
        validate=validate.Length(max=REPORT_BACK_MAX_ITEMS),
    )
