"""Members' own ballots and the written procedure: pure rules."""

import datetime as dt
import uuid

import pytest

from meetings.domain import ballots, written
from verband_common.errors import Conflict, Forbidden, ValidationFailed

NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)
A, B, C = (
    {"id": uuid.uuid4(), "voting": True, "active": True, "display_name": "An"},
    {"id": uuid.uuid4(), "voting": True, "active": True, "display_name": "Bart"},
    {"id": uuid.uuid4(), "voting": False, "active": True, "display_name": "Coördinator"},
)
MEMBERS = [A, B, C]
PRESENT = {str(m["id"]): "present" for m in MEMBERS}
OPEN = {"closed_at": None, "proposal": "Goedkeuren.", "deadline": NOW + dt.timedelta(days=1)}


def test_a_ballot_is_for_a_present_member_with_a_vote_while_open():
    ballots.check_can_cast(OPEN, A, PRESENT)
    with pytest.raises(Forbidden):
        ballots.check_can_cast(OPEN, None, PRESENT)  # a guest
    with pytest.raises(Forbidden):
        ballots.check_can_cast(OPEN, C, PRESENT)  # no vote
    with pytest.raises(Forbidden):
        ballots.check_can_cast(OPEN, A, {**PRESENT, str(A["id"]): "excused"})
    with pytest.raises(Conflict):
        ballots.check_can_cast({**OPEN, "closed_at": NOW}, A, PRESENT)


def test_a_vote_opens_only_where_the_body_votes_with_its_quorum():
    with pytest.raises(ValidationFailed) as refused:
        ballots.check_can_open({"method": "consensus"}, True, PRESENT)
    assert set(refused.value.fields) == {"item_id"}
    with pytest.raises(Conflict):
        ballots.check_can_open({"method": "vote"}, False, PRESENT)
    with pytest.raises(Conflict):
        ballots.check_can_open({"method": "vote"}, True, {})
    ballots.check_can_open({"method": "vote"}, True, PRESENT)


def test_the_count_follows_the_bodys_rule_and_drops_ballots_of_absent_members():
    rule = {"method": "vote", "majority": "simple"}
    cast = [
        {"member_id": A["id"], "choice": "for"},
        {"member_id": B["id"], "choice": "against"},
    ]
    tied = ballots.outcome(rule, MEMBERS, PRESENT, True, OPEN, cast)
    assert tied["outcome"] == "rejected" and tied["tally"]["for"] == 1
    # B was marked absent after voting: only A's ballot counts
    absent = {**PRESENT, str(B["id"]): "absent"}
    assert ballots.outcome(rule, MEMBERS, absent, True, OPEN, cast)["outcome"] == "adopted"
    with pytest.raises(Conflict):
        ballots.outcome(rule, MEMBERS, PRESENT, True, OPEN, [])


def test_written_procedure_is_adopted_without_objection_of_a_voter():
    agree = [{"member_id": A["id"], "answer": "agree"}]
    assert written.outcome(agree, MEMBERS) == "adopted"  # B silent: silence is consent
    objection = [*agree, {"member_id": B["id"], "answer": "object"}]
    assert written.outcome(objection, MEMBERS) == "rejected"
    # an objection of someone without a vote (any more) does not count
    assert written.outcome([{"member_id": C["id"], "answer": "object"}], MEMBERS) == "adopted"


def test_written_procedure_closes_at_the_deadline_or_when_all_voters_answered():
    procedure = {"deadline": NOW + dt.timedelta(days=1)}
    one = [{"member_id": A["id"]}]
    assert not written.due(procedure, one, MEMBERS, NOW)
    assert written.due(procedure, [*one, {"member_id": B["id"]}], MEMBERS, NOW)
    assert written.due(procedure, [], MEMBERS, NOW + dt.timedelta(days=2))


def test_written_procedure_deadline_and_reason_are_checked():
    with pytest.raises(ValidationFailed):
        written.check_deadline(NOW - dt.timedelta(minutes=1), NOW)
    with pytest.raises(ValidationFailed):
        written.check_deadline(NOW + dt.timedelta(days=written.MAX_DAYS + 1), NOW)
    written.check_deadline(NOW + dt.timedelta(days=2), NOW)
    with pytest.raises(ValidationFailed) as refused:
        written.check_reason("object", "  ")
    assert set(refused.value.fields) == {"reason"}
    written.check_reason("agree", None)
    with pytest.raises(Conflict):
        written.check_can_answer({**OPEN, "deadline": NOW}, A, NOW)
    with pytest.raises(Forbidden):
        written.check_can_answer(OPEN, C, NOW)
