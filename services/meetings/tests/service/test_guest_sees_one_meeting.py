"""A role in the network is no seat at the table: someone who is not a member of a body (nor
an organiser of the network) sees only the meetings they are invited to as a guest (their
agenda, documents and minutes) and learns nothing of the body's other meetings: not found."""

import base64

import pytest
from meetings_support import World

from verband_common.errors import NotFound

pytestmark = pytest.mark.service


@pytest.fixture
def w(verband):
    w = World(verband)
    w.body = w.create_body()
    w.first = w.meeting_soon(w.body, 2)
    w.second = w.meeting_soon(w.body, 4)
    # minutes of the other meeting (drafted as if it had been held)
    verband.sql(
        w.meetings.db_url,
        "INSERT INTO minutes (meeting_id, status, summary) VALUES (%s, 'draft', %s)",
        (w.second["id"], "Vertrouwelijk overleg."),
    )
    return w


def test_a_guest_sees_their_one_meeting_and_nothing_else_of_the_body(w):
    body, first, second = w.body, w.first["id"], w.second["id"]
    # before the invitation, the referrer of the network sees nothing of the body
    with w.rpc(w.outsider) as rpc:
        assert rpc.meetings.list_bodies(str(w.network)) == []
        with pytest.raises(NotFound):
            rpc.meetings.get_body(body["id"])
        with pytest.raises(NotFound):
            rpc.meetings.get_meeting(first)
        assert rpc.meetings.overview(str(w.network))["coming"] == []
    with w.rpc(w.secretary) as rpc:
        rpc.meetings.invite_guest(first, {"person_id": str(w.outsider.id)})

    with w.rpc(w.outsider) as rpc:
        # the meeting they are invited to: its page, agenda and the table they join
        assert rpc.meetings.get_meeting(first)["id"] == first
        assert base64.b64decode(rpc.meetings.agenda_pdf(first)["content_base64"]).startswith(
            b"%PDF-"
        )
        assert rpc.meetings.get_body(body["id"])["name"] == body["name"]
        assert [b["id"] for b in rpc.meetings.list_bodies(str(w.network))] == [body["id"]]
        assert [m["id"] for m in rpc.meetings.list_meetings(body["id"])] == [first]
        assert [m["id"] for m in rpc.meetings.overview(str(w.network))["coming"]] == [first]
        # the body's other meeting: not found, whatever is asked of it
        for call in (
            lambda: rpc.meetings.get_meeting(second),
            lambda: rpc.meetings.agenda_pdf(second),
            lambda: rpc.meetings.minutes_pdf(second),
            lambda: rpc.meetings.list_documents(second),
            lambda: rpc.meetings.list_guests(second),
            lambda: rpc.meetings.propose_item(second, {"title": "Via een omweg"}),
            # nor the body's actions and calendar
            lambda: rpc.meetings.list_actions(body["id"]),
            lambda: rpc.meetings.body_calendar(body["id"]),
        ):
            with pytest.raises(NotFound):
                call()

    # members and organisers see every meeting of the body, as before
    for person in (w.contractant, w.coordinator):
        with w.rpc(person) as rpc:
            listed = [m["id"] for m in rpc.meetings.list_meetings(body["id"])]
            assert {first, second} <= set(listed)
            assert rpc.meetings.get_meeting(second)["id"] == second
            assert rpc.meetings.minutes_pdf(second)["content_type"] == "application/pdf"

    # uninvited: the body is gone from sight again
    with w.rpc(w.secretary) as rpc:
        rpc.meetings.remove_guest(first, str(w.outsider.id))
    with w.rpc(w.outsider) as rpc:
        assert rpc.meetings.list_bodies(str(w.network)) == []
        with pytest.raises(NotFound):
            rpc.meetings.get_meeting(first)
        with pytest.raises(NotFound):
            rpc.meetings.list_meetings(body["id"])
