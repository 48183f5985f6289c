"""Members of one network never see another network's bodies, agendas or minutes; a role
revoked by partners takes the access away."""

import uuid

import pytest
from meetings_support import Person, World, role_granted
from nameko.testing.services import entrypoint_waiter
from verband_servicekit import role_version, until_calls

from verband_common.contracts import new_event
from verband_common.errors import NotFound

pytestmark = pytest.mark.service


def test_one_network_never_sees_another_networks_bodies_agendas_or_minutes(verband):
    w = World(verband)
    body_a = w.create_body()
    meeting_a = w.meeting_soon(body_a)
    with w.rpc(w.chair) as rpc:
        rpc.meetings.publish_agenda(meeting_a["id"])
    # network B has its own body, set up by its own coordinator
    with w.rpc(w.stranger) as rpc:
        body_b = rpc.meetings.create_body(
            str(w.other_network),
            {
                **w.body_payload(name="Kernteam B", kind="kernteam", members=[]),
                "cadence": {"kind": "every_days", "days": 14, "weekday": 1},
            },
        )
        assert [b["id"] for b in rpc.meetings.list_bodies(str(w.other_network))] == [body_b["id"]]
        calls = [
            lambda: rpc.meetings.list_bodies(str(w.network)),
            lambda: rpc.meetings.get_body(body_a["id"]),
            lambda: rpc.meetings.list_meetings(body_a["id"]),
            lambda: rpc.meetings.get_meeting(meeting_a["id"]),
            lambda: rpc.meetings.agenda_pdf(meeting_a["id"]),
            lambda: rpc.meetings.minutes_pdf(meeting_a["id"]),
            lambda: rpc.meetings.body_calendar(body_a["id"]),
            lambda: rpc.meetings.list_actions(body_a["id"]),
            lambda: rpc.meetings.propose_item(meeting_a["id"], {"title": "Spionage"}),
        ]
        for call in calls:
            with pytest.raises(NotFound):
                call()
        # the person's own calendar holds nothing of network A
        assert "BEGIN:VEVENT" not in rpc.meetings.person_calendar()["ics"]
    # and the other way round
    with w.rpc(w.chair) as rpc:
        assert [b["id"] for b in rpc.meetings.list_bodies(str(w.network))] == [body_a["id"]]
        with pytest.raises(NotFound):
            rpc.meetings.get_body(body_b["id"])
        with pytest.raises(NotFound):
            rpc.meetings.list_bodies(str(w.other_network))


def test_a_revoked_role_takes_the_access_away(verband):
    w = World(verband)
    body = w.create_body()
    with w.rpc(w.contractant) as rpc:
        assert rpc.meetings.get_body(body["id"])["id"] == body["id"]
    revokes = [
        new_event(
            "partners",
            "role_revoked",
            w.network,
            {"person_id": str(w.contractant.id), "role": r, "role_version": role_version()},
        )
        for r in w.contractant.roles
    ]
    with entrypoint_waiter(
        w.meetings, "on_role_revoked", callback=until_calls(len(revokes)), timeout=15
    ):
        for event in revokes:
            verband.publish("partners", event)
    with w.rpc(w.contractant) as rpc, pytest.raises(NotFound):
        rpc.meetings.get_body(body["id"])
    # a redelivered grant is applied once; a new grant brings the access back
    grant = role_granted(
        w.network, w.contractant.id, "partner_worker", w.contractant.name, w.contractant.email
    )
    with entrypoint_waiter(w.meetings, "on_role_granted", callback=until_calls(2), timeout=15):
        verband.publish("partners", grant)
        verband.publish("partners", grant)
    with w.rpc(w.contractant) as rpc:
        assert rpc.meetings.get_body(body["id"])["id"] == body["id"]
    assert (
        verband.count(w.meetings.db_url, "network_roles", "person_id = %s", (w.contractant.id,))
        == 1
    )


def test_a_revoke_is_never_overtaken_by_the_grant_before_it(verband):
    """Grant and revoke out of order, the grant redelivered and replayed with a new message
    id (a parked copy put back): the role stays revoked. A later grant counts."""
    w = World(verband)
    newcomer = Person("Gert Claes", w.network, ("coordinator",))
    grant = role_granted(w.network, newcomer.id, "coordinator", newcomer.name, newcomer.email)
    revoke = new_event(
        "partners",
        "role_revoked",
        w.network,
        {"person_id": str(newcomer.id), "role": "coordinator", "role_version": role_version()},
    )
    with entrypoint_waiter(w.meetings, "on_role_revoked", timeout=15):
        verband.publish("partners", revoke)
    replayed = {**grant, "event_id": str(uuid.uuid4())}
    with entrypoint_waiter(w.meetings, "on_role_granted", callback=until_calls(3), timeout=15):
        for event in (grant, grant, replayed):
            verband.publish("partners", event)
    holds = "person_id = %s"
    assert verband.count(w.meetings.db_url, "network_roles", holds, (newcomer.id,)) == 0
    with w.rpc(newcomer) as rpc, pytest.raises(NotFound):
        rpc.meetings.list_bodies(str(w.network))
    regrant = role_granted(w.network, newcomer.id, "coordinator", newcomer.name, newcomer.email)
    with entrypoint_waiter(w.meetings, "on_role_granted", timeout=15):
        verband.publish("partners", regrant)
    with entrypoint_waiter(w.meetings, "on_role_revoked", timeout=15):
        verband.publish("partners", {**revoke, "event_id": str(uuid.uuid4())})
    assert verband.count(w.meetings.db_url, "network_roles", holds, (newcomer.id,)) == 1
    with w.rpc(newcomer) as rpc:
        assert rpc.meetings.list_bodies(str(w.network)) == []
