"""A network's meetings at a glance: the coming meetings of the bodies the actor sees (every
body, for an organiser), open and overdue actions, and the actor's own; for any role in the
network, nothing of another network."""

import datetime as dt

import pytest
from meetings_support import World

from verband_common.errors import NotFound, Unauthenticated, ValidationFailed

pytestmark = pytest.mark.service


def hold_with_actions(w, body, meeting, actions):
    with w.rpc(w.secretary) as rpc:
        rpc.meetings.publish_agenda(meeting["id"])
        rpc.meetings.record_attendance(
            meeting["id"],
            {"attendance": [{"member_id": m["id"], "status": "present"} for m in body["members"]]},
        )
        item = rpc.meetings.add_item_at_meeting(
            meeting["id"], {"title": "Opvolging wachtlijst", "approved_by_meeting": True}
        )
        return rpc.meetings.record_item(meeting["id"], item["id"], {"actions": actions})


def test_the_overview_lists_coming_meetings_and_actions_of_every_body(verband):
    w = World(verband)
    policy = w.create_body()
    core = w.create_body(
        name="Kernteam",
        kind="kernteam",
        members=[
            {"person_id": str(w.chair.id), "role": "chair"},
            {"person_id": str(w.secretary.id), "role": "secretary"},
        ],
        decision_rule={"method": "consensus"},
    )
    today_meeting = w.meeting_soon(policy)
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=3)
    with w.rpc(w.coordinator) as rpc:
        core_meeting = rpc.meetings.schedule_meeting(
            core["id"], {"starts_at": later.isoformat(), "on_holiday": True}
        )
    yesterday = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    next_week = (dt.date.today() + dt.timedelta(days=7)).isoformat()
    hold_with_actions(
        w,
        policy,
        today_meeting,
        [
            {
                "title": "Cijfers wachtlijst bezorgen",
                "owner_member_id": w.member_id(policy, w.kernpartner),
                "due_on": next_week,
            },
            {
                "title": "Uitnodiging netwerkforum",
                "owner_member_id": w.member_id(policy, w.contractant),
                "due_on": next_week,
            },
        ],
    )

    # an action that was due yesterday (new actions cannot be due in the past)
    verband.sql(
        w.meetings.db_url,
        "UPDATE actions SET due_on = %s WHERE title = 'Cijfers wachtlijst bezorgen'",
        (yesterday,),
    )
    with w.rpc(w.outsider) as rpc:  # a referrer: a role in the network, no seat anywhere
        unseated = rpc.meetings.overview(str(w.network))
    # a role in the network is no seat at the table: nothing of the bodies
    assert unseated["coming"] == [] and unseated["overdue_actions"] == []
    assert unseated["actions"] == {"open": 0, "overdue": 0}
    with w.rpc(w.coordinator) as rpc:  # an organiser sees every body
        seen = rpc.meetings.overview(str(w.network))
    assert seen["network_id"] == str(w.network)
    coming = [m["id"] for m in seen["coming"]]
    assert core_meeting["id"] in coming
    assert {m["body_kind"] for m in seen["coming"]} >= {"kernteam"}
    assert seen["actions"] == {"open": 2, "overdue": 1}
    assert [a["title"] for a in seen["overdue_actions"]] == ["Cijfers wachtlijst bezorgen"]
    assert unseated["mine"] == {"meetings": [], "actions": []}

    with w.rpc(w.kernpartner) as rpc:  # sits in the policy group as an organisation's delegate
        mine = rpc.meetings.overview(str(w.network))["mine"]
    assert [a["title"] for a in mine["actions"]] == ["Cijfers wachtlijst bezorgen"]
    assert core_meeting["id"] not in [m["id"] for m in mine["meetings"]]
    with w.rpc(w.chair) as rpc:  # chairs both bodies; the limit keeps the first
        mine = rpc.meetings.overview(str(w.network), 1)["mine"]
    assert len(mine["meetings"]) == 1
    assert mine["meetings"][0]["id"] in (today_meeting["id"], core_meeting["id"])


def test_another_network_sees_nothing_and_bad_input_is_named(verband):
    w = World(verband)
    w.meeting_soon(w.create_body())
    with w.rpc(w.stranger) as rpc, pytest.raises(NotFound):
        rpc.meetings.overview(str(w.network))
    with w.rpc(w.stranger) as rpc:
        assert rpc.meetings.overview(str(w.other_network))["coming"] == []
    with verband.rpc() as rpc, pytest.raises(Unauthenticated):
        rpc.meetings.overview(str(w.network))
    with w.rpc(w.coordinator) as rpc:
        for bad in (0, 51, "tien"):
            with pytest.raises(ValidationFailed) as refused:
                rpc.meetings.overview(str(w.network), bad)
            assert set(refused.value.fields) == {"limit"}
        with pytest.raises(ValidationFailed) as refused:
            rpc.meetings.overview("geen-netwerk")
        assert set(refused.value.fields) == {"network_id"}
