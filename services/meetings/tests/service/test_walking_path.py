"""A meeting from agenda to approved minutes, and the events that leave through the outbox
(the e-mails of the same path: test_mail.py)."""

import base64
import datetime as dt
import json

import pytest
from meetings_support import World
from verband_servicekit import wait_until

from verband_common.errors import Conflict

pytestmark = pytest.mark.service


def event_bodies(verband, tap) -> list[dict]:
    return [json.loads(m.body) for m in verband.drain(tap)]


def test_a_meeting_from_agenda_to_approved_minutes(verband):
    w = World(verband)
    tap = verband.tap("meetings")
    body = w.create_body()
    chair_seat = w.member_id(body, w.chair)
    first = w.meeting_soon(body, 2)
    second = w.meeting_soon(body, 4)
    voters = [w.member_id(body, p) for p in (w.chair, w.kernpartner, w.contractant)]

    # any member proposes; the chair publishes; standing items add themselves
    with w.rpc(w.kernpartner) as rpc:
        proposal = rpc.meetings.propose_item(
            first["id"],
            {
                "title": "Werkgroep kansarmoede opstarten",
                "explanation": "Voorstel vanuit de ondersteuningsgroep.",
                "documents": [
                    {"name": "nota-kansarmoede.pdf", "url": "https://docs.test/nota.pdf"}
                ],
                "decision_asked": "Akkoord om de werkgroep op te starten.",
            },
        )
    with w.rpc(w.chair) as rpc:
        published = rpc.meetings.publish_agenda(first["id"])
    assert [i["kind"] for i in published["agenda"]] == ["proposal", "iroj_report"]
    assert published["agenda"][0]["id"] == proposal["id"]

    # the meeting: attendance, an item added with the meeting's approval, vote, action, signal
    with w.rpc(w.secretary) as rpc:
        rpc.meetings.record_attendance(
            first["id"],
            {
                "attendance": [
                    {"member_id": m["id"], "status": "present"} for m in body["members"]
                ],
                "iroj_reporter_member_id": chair_seat,
            },
        )
        extra = rpc.meetings.add_item_at_meeting(
            first["id"],
            {
                "title": "Datum netwerkforum",
                "approved_by_meeting": True,
            },
        )
        assert extra["kind"] == "added_at_meeting" and extra["approved_by_meeting"]
        held = rpc.meetings.record_item(
            first["id"],
            proposal["id"],
            {
                "notes": "Breed gedragen.",
                "decision": {
                    "method": "vote",
                    "text": "De werkgroep kansarmoede start in maart.",
                    "votes": [
                        {"member_id": v, "choice": c}
                        for v, c in zip(voters, ["for", "for", "against"], strict=True)
                    ],
                },
                "actions": [
                    {
                        "title": "Uitnodiging werkgroep versturen",
                        "owner_member_id": w.member_id(body, w.kernpartner),
                        "due_on": (dt.date.today() + dt.timedelta(days=14)).isoformat(),
                    }
                ],
            },
        )
        assert held["quorum_reached"] is True
        [decision] = held["decisions"]
        assert decision["outcome"] == "adopted"
        assert decision["tally"] == {"for": 2, "against": 1, "abstain": 0}
        [action] = held["actions"]
    with w.rpc(w.contractant) as rpc:
        signal = rpc.meetings.raise_signal(
            first["id"],
            {
                "kind": "pain_point",
                "title": "Wachttijd gezinscoaching loopt op",
                "description": "Gemiddeld twee maanden.",
            },
        )
    with w.rpc(w.chair) as rpc:
        closed = rpc.meetings.close_meeting(first["id"])
        assert closed["status"] == "held"

    # minutes: drafted by the secretary, sent as a draft, approved at the next meeting
    with w.rpc(w.secretary) as rpc:
        rpc.meetings.update_minutes(
            first["id"],
            {
                "summary": "Constructieve vergadering.",
                "item_notes": {proposal["id"]: "Breed gedragen; één tegenstem."},
            },
        )
        sent = rpc.meetings.send_minutes_draft(first["id"])
        assert sent["status"] == "sent"
    with w.rpc(w.chair) as rpc:
        second_agenda = rpc.meetings.publish_agenda(second["id"])
        kinds = [i["kind"] for i in second_agenda["agenda"]]
        assert kinds == ["previous_minutes", "open_actions", "iroj_report"]
        assert "Uitnodiging werkgroep versturen" in second_agenda["agenda"][1]["explanation"]
        assert [a["id"] for a in second_agenda["open_actions"]] == [action["id"]]
        approved = rpc.meetings.approve_minutes(
            first["id"],
            {
                "in_meeting_id": second["id"],
                "amendments": ["Punt 2: 'maart' i.p.v. 'april'."],
            },
        )
        assert approved["status"] == "approved"
        assert approved["amendments"] == ["Punt 2: 'maart' i.p.v. 'april'."]
    counts = verband.counts(w.meetings.db_url)
    with w.rpc(w.secretary) as rpc, pytest.raises(Conflict) as refused:
        rpc.meetings.update_minutes(first["id"], {"summary": "Achteraf herschreven."})
    assert refused.value.fields == {"minutes": ["Goedgekeurde verslagen liggen vast."]}
    assert verband.counts(w.meetings.db_url) == counts

    with w.rpc(w.kernpartner) as rpc:
        done = rpc.meetings.complete_action(action["id"])
        assert done["done_on"] == dt.date.today().isoformat()
        minutes_pdf = rpc.meetings.minutes_pdf(first["id"])
        assert base64.b64decode(minutes_pdf["content_base64"]).startswith(b"%PDF-")
        assert rpc.meetings.list_actions(body["id"], True) == []

    # every fact left through the outbox
    wait_until(
        lambda: (
            verband.sql(
                w.meetings.db_url, "SELECT count(*) AS n FROM outbox WHERE sent_at IS NULL"
            )[0]["n"]
            == 0
        )
    )
    events = event_bodies(verband, tap)
    types = [e["event_type"] for e in events]
    assert types.count("meeting_scheduled") == 2
    for expected in (
        "agenda_published",
        "decision_taken",
        "action_assigned",
        "signal_raised",
        "meeting_held",
        "minutes_approved",
        "action_done",
    ):
        assert expected in types, expected
    by_type = {e["event_type"]: e for e in events}
    assert by_type["meeting_held"]["present"] == 5
    assert by_type["meeting_held"]["iroj_reporter_person_id"] == str(w.chair.id)
    assert by_type["decision_taken"]["votes_for"] == 2
    assert by_type["signal_raised"]["signal_id"] == signal["id"]
    assert by_type["minutes_approved"]["amendments"] == 1
    assert all(e["network_id"] == str(w.network) for e in events)
