"""Members cast their own vote: the chair or secretary opens a vote on an agenda item during
the meeting; each present member with a voting right casts one ballot (and may change it
until the vote closes); non-voting members, absent members and guests are refused (403),
whoever does not see the meeting learns nothing (404); closing counts the ballots by the
body's rule and records the decision; a closed vote takes no ballot (409)."""

import uuid

import pytest
from meetings_support import World

from verband_common.errors import Conflict, Forbidden, NotFound, ValidationFailed

pytestmark = pytest.mark.service


@pytest.fixture
def held(verband):
    """A beleidsgroep (votes by simple majority) in session today: the chair and the CAW's
    delegate present with a vote, the contractant excused; the secretary and the
    coordinator present without a vote. The referrer is a guest of the meeting."""
    w = World(verband)
    w.body = w.create_body()
    w.first = w.meeting_soon(w.body, 2)
    with w.rpc(w.kernpartner) as rpc:
        w.item = rpc.meetings.propose_item(w.first["id"], {"title": "Budget 2027"})
    status = {str(w.contractant.id): "excused"}
    with w.rpc(w.chair) as rpc:
        rpc.meetings.publish_agenda(w.first["id"])
        rpc.meetings.invite_guest(w.first["id"], {"person_id": str(w.outsider.id)})
        rpc.meetings.record_attendance(
            w.first["id"],
            {
                "attendance": [
                    {
                        "member_id": m["id"],
                        "status": status.get(m["person_id"] or "", "present"),
                    }
                    for m in w.body["members"]
                ]
            },
        )
    return w


def refused(verband, w, who, call, error=ValidationFailed):
    """Runs `call(rpc)` as `who`; asserts it raises `error` and that nothing changed."""
    before = verband.counts(w.meetings.db_url)
    with w.rpc(who) as rpc, pytest.raises(error) as raised:
        call(rpc)
    assert verband.counts(w.meetings.db_url) == before
    assert raised.value.message
    return raised.value


def test_members_vote_once_each_and_the_closed_vote_is_the_decision(verband, held):
    w = held
    with w.rpc(w.secretary) as rpc:
        vote = rpc.meetings.open_vote(
            w.first["id"], {"item_id": w.item["id"], "proposal": "Het budget 2027 goedkeuren."}
        )
    assert (vote["status"], vote["ballots"], vote["outcome"]) == ("open", 0, None)
    assert vote["item_title"] == "Budget 2027"
    vid = vote["id"]

    with w.rpc(w.chair) as rpc:
        assert rpc.meetings.cast_ballot(vid, {"choice": "for"})["my_choice"] == "for"
    with w.rpc(w.kernpartner) as rpc:  # the CAW's delegate changes their mind
        assert rpc.meetings.cast_ballot(vid, {"choice": "against"})["ballots"] == 2
        again = rpc.meetings.cast_ballot(vid, {"choice": "for"})
        assert (again["ballots"], again["my_choice"]) == (2, "for")
    # one ballot per member, kept by the database
    assert verband.count(w.meetings.db_url, "ballots", "vote_id = %s", (vid,)) == 2

    # no vote: the adviser, the excused member, the guest (403); another network (404)
    for who in (w.coordinator, w.contractant, w.outsider):
        refused(
            verband, w, who, lambda rpc: rpc.meetings.cast_ballot(vid, {"choice": "for"}), Forbidden
        )
    refused(
        verband,
        w,
        w.stranger,
        lambda rpc: rpc.meetings.cast_ballot(vid, {"choice": "for"}),
        NotFound,
    )
    # a guest sees the vote, not who voted what
    with w.rpc(w.outsider) as rpc:
        [seen] = rpc.meetings.list_votes(w.first["id"])
        assert (seen["ballots"], seen["my_choice"]) == (2, None)
    # one open vote per item; a plain member neither opens nor closes one
    refused(
        verband,
        w,
        w.chair,
        lambda rpc: rpc.meetings.open_vote(
            w.first["id"], {"item_id": w.item["id"], "proposal": "Nog eens."}
        ),
        Conflict,
    )
    refused(verband, w, w.kernpartner, lambda rpc: rpc.meetings.close_vote(vid), Forbidden)

    with w.rpc(w.secretary) as rpc:
        closed = rpc.meetings.close_vote(vid)
        assert closed["status"] == "closed" and closed["outcome"] == "adopted"
        assert closed["tally"] == {"for": 2, "against": 0, "abstain": 0}
        [decision] = rpc.meetings.get_meeting(w.first["id"])["decisions"]
    assert decision["id"] == closed["decision_id"]
    assert decision["method"] == "vote" and decision["text"] == "Het budget 2027 goedkeuren."
    assert sorted(v["choice"] for v in decision["votes"]) == ["for", "for"]

    # closed: no ballot, no second count
    refused(
        verband,
        w,
        w.chair,
        lambda rpc: rpc.meetings.cast_ballot(vid, {"choice": "against"}),
        Conflict,
    )
    refused(verband, w, w.secretary, lambda rpc: rpc.meetings.close_vote(vid), Conflict)


def test_a_majority_against_rejects_and_no_ballot_no_count(verband, held):
    w = held
    with w.rpc(w.chair) as rpc:
        vid = rpc.meetings.open_vote(
            w.first["id"], {"item_id": w.item["id"], "proposal": "Een tweede coördinator."}
        )["id"]
    refused(verband, w, w.chair, lambda rpc: rpc.meetings.close_vote(vid), Conflict)
    with w.rpc(w.chair) as rpc:
        rpc.meetings.cast_ballot(vid, {"choice": "against"})
    with w.rpc(w.kernpartner) as rpc:
        rpc.meetings.cast_ballot(vid, {"choice": "abstain"})
    with w.rpc(w.chair) as rpc:
        closed = rpc.meetings.close_vote(vid)
    assert closed["outcome"] == "rejected"
    assert closed["tally"] == {"for": 0, "against": 1, "abstain": 1}


def test_bad_votes_are_refused_naming_the_field(verband, held):
    w = held
    mid = w.first["id"]
    item = {"item_id": w.item["id"], "proposal": "Goedkeuren."}
    for payload, field in (
        ({**item, "proposal": ""}, "proposal"),
        ({**item, "proposal": "x" * 4001}, "proposal"),
        ({"proposal": "Goedkeuren."}, "item_id"),
        ({**item, "item_id": "geen-id"}, "item_id"),
        ({**item, "extra": 1}, "extra"),
    ):
        error = refused(verband, w, w.chair, lambda rpc, p=payload: rpc.meetings.open_vote(mid, p))
        assert field in error.fields, (payload, error.fields)
    error = refused(
        verband,
        w,
        w.chair,
        lambda rpc: rpc.meetings.open_vote(mid, {**item, "item_id": str(uuid.uuid4())}),
        NotFound,
    )
    assert set(error.fields) == {"item_id"}
    # a guest opens nothing
    refused(verband, w, w.outsider, lambda rpc: rpc.meetings.open_vote(mid, item), Forbidden)
    with w.rpc(w.chair) as rpc:
        vid = rpc.meetings.open_vote(mid, item)["id"]
    for bad in ({"choice": "misschien"}, {}, {"choice": "for", "member_id": str(w.chair.id)}):
        error = refused(verband, w, w.chair, lambda rpc, b=bad: rpc.meetings.cast_ballot(vid, b))
        assert set(error.fields) & {"choice", "member_id"}, error.fields
    refused(
        verband,
        w,
        w.chair,
        lambda rpc: rpc.meetings.cast_ballot(str(uuid.uuid4()), {"choice": "for"}),
        NotFound,
    )


def test_a_body_that_decides_by_consensus_opens_no_vote(verband):
    w = World(verband)
    body = w.create_body(decision_rule={"method": "consensus"})
    meeting = w.meeting_soon(body, 2)
    with w.rpc(w.kernpartner) as rpc:
        item = rpc.meetings.propose_item(meeting["id"], {"title": "Werking"})
    with w.rpc(w.chair) as rpc:
        rpc.meetings.publish_agenda(meeting["id"])
        rpc.meetings.record_attendance(
            meeting["id"],
            {"attendance": [{"member_id": m["id"], "status": "present"} for m in body["members"]]},
        )
    error = refused(
        verband,
        w,
        w.chair,
        lambda rpc: rpc.meetings.open_vote(
            meeting["id"], {"item_id": item["id"], "proposal": "Ja."}
        ),
    )
    assert set(error.fields) == {"item_id"}
