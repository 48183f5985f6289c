"""A role in the network is no seat at the table: someone who is not a member of a body (nor
an organiser of the network) sees only the meetings they are invited to as a guest (their
agenda, documents and minutes) and learns nothing of the body's other meetings: not found."""

import base64

import pytest
from meetings_support import Person, World, role_granted
from nameko.testing.services import entrypoint_waiter

from verband_common.errors import Forbidden, NotFound

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


def test_someone_from_outside_with_only_the_guest_role_sees_the_one_meeting(w, verband):
    """Issue 15: a local expert from outside the network holds the network's `guest` role and
    nothing else. The secretary can pick her as a guest (she is among the network's people);
    she then sees that one meeting, nothing else of the body, nor the network's library,
    vorming or people."""
    expert = Person("Lies Vermeulen", w.network, ("guest",))
    with entrypoint_waiter(w.meetings, "on_role_granted", timeout=20):
        verband.publish(
            "partners", role_granted(w.network, expert.id, "guest", expert.name, expert.email)
        )
    first, second = w.first["id"], w.second["id"]
    with w.rpc(expert) as rpc:
        assert rpc.meetings.list_bodies(str(w.network)) == []
        assert rpc.meetings.overview(str(w.network))["coming"] == []
        with pytest.raises(NotFound):
            rpc.meetings.get_meeting(first)
    with w.rpc(w.secretary) as rpc:
        people = {p["id"]: p["name"] for p in rpc.meetings.network_people(str(w.network))}
        assert people[str(expert.id)] == "Lies Vermeulen"
        rpc.meetings.invite_guest(first, {"person_id": str(expert.id)})

    with w.rpc(expert) as rpc:
        assert rpc.meetings.get_meeting(first)["id"] == first
        assert [m["id"] for m in rpc.meetings.list_meetings(w.body["id"])] == [first]
        assert [m["id"] for m in rpc.meetings.overview(str(w.network))["coming"]] == [first]
        for call in (
            lambda: rpc.meetings.get_meeting(second),
            lambda: rpc.meetings.list_documents(second),
            lambda: rpc.meetings.list_actions(w.body["id"]),
            # the network's own pages are not a guest's: she works in no part of it
            lambda: rpc.meetings.network_people(str(w.network)),
            lambda: rpc.meetings.search_procedures(str(w.network)),
            lambda: rpc.meetings.search_trainings(str(w.network)),
        ):
            with pytest.raises(NotFound):
                call()
        # nor may she invite anyone to the meeting she sits in as a guest
        with pytest.raises(Forbidden):
            rpc.meetings.invite_guest(first, {"person_id": str(w.outsider.id)})
