"""Quorum, consensus and votes: only members with a voting right count, others are refused."""

import datetime as dt
import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st

from meetings.domain.decisions import check_actions, check_attendance, decide, quorum_reached
from verband_common.errors import Conflict, ValidationFailed


def member(name, voting=True, role="member"):
    return {"id": str(uuid.uuid4()), "display_name": name, "voting": voting, "role": role}


CHAIR = member("An Claes", role="chair")
KERNPARTNER = member("Bart Peeters")
CONTRACTANT = member("Carla Maes")
COORDINATOR = member("Dirk Wouters", voting=False)  # in the beleidsgroep without a vote
MEMBERS = [CHAIR, KERNPARTNER, CONTRACTANT, COORDINATOR]
ALL_PRESENT = {m["id"]: "present" for m in MEMBERS}
VOTE = {"method": "vote", "majority": "simple"}


def vote(*pairs, text="Budget 2027 goedkeuren"):
    return {
        "method": "vote",
        "text": text,
        "votes": [{"member_id": m["id"], "choice": c} for m, c in pairs],
        "objections": [],
    }


def test_a_vote_by_a_member_without_voting_right_is_refused_naming_the_vote():
    with pytest.raises(ValidationFailed) as refused:
        decide(VOTE, MEMBERS, ALL_PRESENT, True, vote((CHAIR, "for"), (COORDINATOR, "for")))
    assert refused.value.fields == {
        "decision.votes.1.member_id": ["Dirk Wouters heeft geen stemrecht in dit orgaan."]
    }


def test_a_vote_counts_only_present_members_with_a_voting_right():
    outcome = decide(
        VOTE,
        MEMBERS,
        ALL_PRESENT,
        True,
        vote((CHAIR, "for"), (KERNPARTNER, "against"), (CONTRACTANT, "for")),
    )
    assert outcome["outcome"] == "adopted"
    assert outcome["tally"] == {"for": 2, "against": 1, "abstain": 0}


def test_an_absent_member_cannot_vote_and_nobody_votes_twice():
    attendance = {**ALL_PRESENT, CONTRACTANT["id"]: "excused"}
    with pytest.raises(ValidationFailed) as refused:
        decide(
            VOTE,
            MEMBERS,
            attendance,
            True,
            vote((CONTRACTANT, "for"), (CHAIR, "for"), (CHAIR, "against")),
        )
    assert set(refused.value.fields) == {"decision.votes.0.member_id", "decision.votes.2.member_id"}


def test_consensus_records_objections_and_refuses_votes():
    outcome = decide(
        {"method": "consensus"},
        MEMBERS,
        ALL_PRESENT,
        True,
        {
            "method": "consensus",
            "text": "Werkgroep kansarmoede opstarten",
            "objections": [{"member_id": KERNPARTNER["id"], "text": "Te weinig tijd"}],
            "votes": [],
        },
    )
    assert outcome["outcome"] == "adopted"
    assert outcome["objections"] == [{"member_id": KERNPARTNER["id"], "text": "Te weinig tijd"}]
    with pytest.raises(ValidationFailed) as refused:
        decide({"method": "consensus"}, MEMBERS, ALL_PRESENT, True, vote((CHAIR, "for")))
    assert "decision.method" in refused.value.fields


def test_no_decision_without_quorum():
    with pytest.raises(Conflict) as refused:
        decide(VOTE, MEMBERS, ALL_PRESENT, False, vote((CHAIR, "for")))
    assert "decision" in refused.value.fields


def test_two_thirds_majority():
    rule = {"method": "vote", "majority": "two_thirds"}
    two_of_three = vote((CHAIR, "for"), (KERNPARTNER, "for"), (CONTRACTANT, "against"))
    assert decide(rule, MEMBERS, ALL_PRESENT, True, two_of_three)["outcome"] == "adopted"
    one_of_two = vote((CHAIR, "for"), (KERNPARTNER, "against"))
    assert decide(rule, MEMBERS, ALL_PRESENT, True, one_of_two)["outcome"] == "rejected"


def test_quorum_counts_members_with_a_vote_only():
    # three voting members; two present is a majority, the coordinator does not count
    attendance = {
        CHAIR["id"]: "present",
        COORDINATOR["id"]: "present",
        KERNPARTNER["id"]: "excused",
        CONTRACTANT["id"]: "absent",
    }
    assert not quorum_reached({"kind": "majority"}, MEMBERS, attendance)
    attendance[KERNPARTNER["id"]] = "present"
    assert quorum_reached({"kind": "majority"}, MEMBERS, attendance)
    assert quorum_reached({"kind": "minimum", "count": 2}, MEMBERS, attendance)
    assert not quorum_reached({"kind": "minimum", "count": 3}, MEMBERS, attendance)
    assert quorum_reached({"kind": "none"}, MEMBERS, {})


@given(
    voting=st.lists(st.booleans(), min_size=1, max_size=12),
    choices=st.lists(st.sampled_from(["for", "against", "abstain"]), min_size=12, max_size=12),
)
def test_a_vote_of_voters_tallies_exactly_and_any_non_voter_is_refused(voting, choices):
    members = [member(f"Lid {i}", voting=v) for i, v in enumerate(voting)]
    present = {m["id"]: "present" for m in members}
    pairs = [(m, choices[i]) for i, m in enumerate(members)]
    voters = [(m, c) for m, c in pairs if m["voting"]]
    if len(voters) != len(pairs):
        with pytest.raises(ValidationFailed) as refused:
            decide(VOTE, members, present, True, vote(*pairs))
        refused_at = {int(k.split(".")[2]) for k in refused.value.fields}
        assert refused_at == {i for i, (m, _) in enumerate(pairs) if not m["voting"]}
    if voters:
        outcome = decide(VOTE, members, present, True, vote(*voters))
        assert sum(outcome["tally"].values()) == len(voters)
        assert (outcome["outcome"] == "adopted") == (
            outcome["tally"]["for"] > outcome["tally"]["against"]
        )


def test_an_action_without_owner_or_due_date_is_refused_naming_the_field():
    today = dt.date(2027, 3, 2)
    with pytest.raises(ValidationFailed) as refused:
        check_actions(
            MEMBERS,
            [
                {"title": "Nota opmaken", "owner_member_id": None, "due_on": today},
                {
                    "title": "Uitnodigen",
                    "owner_member_id": CHAIR["id"],
                    "due_on": today - dt.timedelta(days=1),
                },
                {"title": "Bellen", "owner_member_id": str(uuid.uuid4()), "due_on": today},
            ],
            today,
        )
    assert refused.value.fields == {
        "actions.0.owner_member_id": ["Elke actie heeft een eigenaar nodig."],
        "actions.1.due_on": ["Deze datum ligt in het verleden."],
        "actions.2.owner_member_id": ["Geen lid van dit orgaan."],
    }


def test_attendance_names_members_once():
    with pytest.raises(ValidationFailed) as refused:
        check_attendance(
            MEMBERS,
            [
                {"member_id": CHAIR["id"], "status": "present"},
                {"member_id": CHAIR["id"], "status": "absent"},
                {"member_id": str(uuid.uuid4()), "status": "present"},
            ],
        )
    assert set(refused.value.fields) == {"attendance.1.member_id", "attendance.2.member_id"}
