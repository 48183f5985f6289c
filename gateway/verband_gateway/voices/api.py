"""The votes of a meeting in the JSON API: the chair or secretary opens a vote on an agenda
item, each present member with a voting right casts one ballot (changed until the vote
closes), the chair or secretary closes it and its outcome is the item's decision.

Thin calls to the meetings service with the request's actor; the service checks the seat
(403 for a member without a vote or a guest, 404 for whoever does not see the meeting)."""

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import fields

from verband_common.schemas import meetings as m
from verband_gateway import auth, call
from verband_gateway.api.meetings import NO_INPUT, Answer, NoInput, _maybe

blp = Blueprint(
    "voices",
    __name__,
    url_prefix="/api",
    description="Stemmingen in een vergadering: elk stemgerechtigd lid brengt zelf zijn stem uit.",
)


class VoteTally(Answer):
    for_ = fields.Integer(data_key="for", required=True)
    against = fields.Integer(required=True)
    abstain = fields.Integer(required=True)


class MeetingVote(Answer):
    id = fields.UUID(required=True)
    meeting_id = fields.UUID(required=True)
    item_id = fields.UUID(required=True)
    item_title = fields.String(required=True)
    proposal = fields.String(required=True)
    for_iroj = fields.Boolean(required=True)
    opened_at = fields.AwareDateTime(required=True)
    closed_at = _maybe(fields.AwareDateTime)
    status = fields.String(required=True, metadata={"enum": ["open", "closed"]})
    ballots = fields.Integer(required=True, metadata={"description": "Uitgebrachte stemmen."})
    my_choice = _maybe(fields.String, metadata={"enum": list(m.CHOICES)})
    decision_id = _maybe(fields.UUID)
    outcome = _maybe(fields.String, metadata={"enum": ["adopted", "rejected"]})
    tally = _maybe(fields.Nested, nested=VoteTally)


@blp.route("/meetings/<uuid:meeting_id>/votes")
class MeetingVotes(MethodView):
    @auth.requires()
    @blp.response(200, MeetingVote(many=True))
    def get(self, meeting_id):
        """The meeting's votes: how many have voted, the caller's own ballot, and once closed
        the outcome and the count (for whoever sees the meeting)."""
        return call("meetings", "list_votes", str(meeting_id), schema=MeetingVote(many=True))

    @auth.requires()
    @blp.arguments(m.VoteOpenInput)
    @blp.response(201, MeetingVote)
    @blp.alt_response(409, "CONFLICT")
    def post(self, data, meeting_id):
        """Open a vote on an agenda item (the chair or secretary, during the meeting, where
        the body decides by vote and the quorum is reached; one open vote per item)."""
        return call(
            "meetings",
            "open_vote",
            str(meeting_id),
            m.VoteOpenInput().dump(data),
            schema=MeetingVote(),
        )


@blp.route("/votes/<uuid:vote_id>/ballot")
class VoteBallot(MethodView):
    @auth.requires()
    @blp.arguments(m.BallotInput)
    @blp.response(200, MeetingVote)
    @blp.alt_response(409, "CONFLICT")
    def put(self, data, vote_id):
        """Cast (or change) one's own ballot: voor, tegen or onthouding; a present member with
        a voting right, while the vote is open (409 once closed)."""
        return call(
            "meetings",
            "cast_ballot",
            str(vote_id),
            m.BallotInput().dump(data),
            schema=MeetingVote(),
        )


@blp.route("/votes/<uuid:vote_id>/closure")
class VoteClosure(MethodView):
    @auth.requires()
    @blp.arguments(NoInput, required=False, description=NO_INPUT)
    @blp.response(200, MeetingVote)
    @blp.alt_response(409, "CONFLICT")
    def post(self, _nothing, vote_id):
        """Close the vote (the chair or secretary): the ballots are counted by the body's rule
        and the outcome is recorded as the item's decision."""
        return call("meetings", "close_vote", str(vote_id), schema=MeetingVote())


# --- the written procedure between meetings --------------------------------------------------


class WrittenObjection(Answer):
    name = fields.String(required=True)
    reason = fields.String(required=True)


class WrittenProcedure(Answer):
    id = fields.UUID(required=True)
    body_id = fields.UUID(required=True)
    title = fields.String(required=True)
    proposal = fields.String(required=True)
    deadline = fields.AwareDateTime(required=True)
    started_at = fields.AwareDateTime(required=True)
    closed_at = _maybe(fields.AwareDateTime)
    status = fields.String(required=True, metadata={"enum": ["open", "closed"]})
    outcome = _maybe(fields.String, metadata={"enum": ["adopted", "rejected"]})
    rule = fields.String(required=True, metadata={"description": "De regel van de uitkomst."})
    voters = fields.Integer(required=True)
    answers = fields.Integer(required=True)
    my_answer = _maybe(fields.String, metadata={"enum": list(m.WRITTEN_ANSWERS)})
    objections = fields.List(fields.Nested(WrittenObjection), required=True)
    on_agenda = fields.Boolean(
        required=True, metadata={"description": "Op de agenda van een vergadering gezet."}
    )


@blp.route("/bodies/<uuid:body_id>/written-procedures")
class BodyWrittenProcedures(MethodView):
    @auth.requires()
    @blp.response(200, WrittenProcedure(many=True))
    def get(self, body_id):
        """The body's written procedures, newest first (its members and the organisers)."""
        return call(
            "meetings",
            "list_written_procedures",
            str(body_id),
            schema=WrittenProcedure(many=True),
        )

    @auth.requires()
    @blp.arguments(m.WrittenProcedureInput)
    @blp.response(201, WrittenProcedure)
    @blp.alt_response(409, "CONFLICT")
    def post(self, data, body_id):
        """Put an urgent proposal to the body's members in writing, with a deadline (at most
        60 days ahead): the network's secretary or coordinator, or the body's chair or
        secretary. Adopted without objection; the next meeting ratifies it."""
        return call(
            "meetings",
            "start_written_procedure",
            str(body_id),
            m.WrittenProcedureInput().dump(data),
            schema=WrittenProcedure(),
        )


@blp.route("/written-procedures/<uuid:procedure_id>")
class WrittenProcedureById(MethodView):
    @auth.requires()
    @blp.response(200, WrittenProcedure)
    def get(self, procedure_id):
        """One written procedure: how many answered, the objections, the outcome."""
        return call(
            "meetings", "get_written_procedure", str(procedure_id), schema=WrittenProcedure()
        )


@blp.route("/written-procedures/<uuid:procedure_id>/answer")
class WrittenProcedureAnswer(MethodView):
    @auth.requires()
    @blp.arguments(m.WrittenAnswerInput)
    @blp.response(200, WrittenProcedure)
    @blp.alt_response(409, "CONFLICT")
    def put(self, data, procedure_id):
        """Agree, or object with a reason (a member with a voting right, before the deadline;
        changeable until it closes; 409 once closed)."""
        return call(
            "meetings",
            "answer_written_procedure",
            str(procedure_id),
            m.WrittenAnswerInput().dump(data),
            schema=WrittenProcedure(),
        )
