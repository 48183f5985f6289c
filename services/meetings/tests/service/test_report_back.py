"""Report-back to IROJ: closing a meeting records who reports back and what (the decisions
marked "voor IROJ" and the signals), as one event through the outbox; IROJ's answer to a
signal (reporting's signal_answered) lands on the body's next agenda, once."""

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest
from meetings_support import World
from nameko.testing.services import entrypoint_waiter
from verband_servicekit import wait_until

from verband_common.contracts import new_event
from verband_common.errors import ValidationFailed

pytestmark = pytest.mark.service
BRUSSELS = ZoneInfo("Europe/Brussels")


def outbox_empty(verband, w) -> bool:
    rows = verband.sql(w.meetings.db_url, "SELECT count(*) AS n FROM outbox WHERE sent_at IS NULL")
    return rows[0]["n"] == 0


def held_meeting(w, body, decisions: list[tuple[str, bool]]):
    """A meeting held today with one proposal per (decision text, for IROJ), and a signal."""
    meeting = w.meeting_soon(body, 2)
    items = []
    with w.rpc(w.kernpartner) as rpc:
        for text, _ in decisions:
            items.append(rpc.meetings.propose_item(meeting["id"], {"title": f"Punt: {text}"}))
    everyone = [w.member_id(body, p) for p in (w.chair, w.kernpartner, w.contractant)]
    with w.rpc(w.chair) as rpc:
        rpc.meetings.publish_agenda(meeting["id"])
        rpc.meetings.record_attendance(
            meeting["id"],
            {
                "attendance": [
                    {"member_id": m["id"], "status": "present"} for m in body["members"]
                ],
                "iroj_reporter_member_id": w.member_id(body, w.kernpartner),
            },
        )
        for item, (text, for_iroj) in zip(items, decisions, strict=True):
            rpc.meetings.record_item(
                meeting["id"],
                item["id"],
                {
                    "decision": {
                        "method": "vote",
                        "text": text,
                        "votes": [{"member_id": v, "choice": "for"} for v in everyone],
                        "for_iroj": for_iroj,
                    }
                },
            )
    with w.rpc(w.contractant) as rpc:
        signal = rpc.meetings.raise_signal(
            meeting["id"],
            {
                "kind": "pain_point",
                "title": "Wachttijd gezinscoaching loopt op",
                "description": "Gemiddeld twee maanden.",
            },
        )
    return meeting, signal


def test_closing_a_meeting_reports_back_the_marked_decisions_and_the_signals(verband):
    w = World(verband)
    tap = verband.tap("meetings")  # every event, so that none waits unroutable
    body = w.create_body()
    meeting, signal = held_meeting(
        w,
        body,
        [("De werkgroep kansarmoede start in maart.", True), ("Catering wordt soep.", False)],
    )
    with w.rpc(w.chair) as rpc:
        detail = rpc.meetings.get_meeting(meeting["id"])
        assert [d["for_iroj"] for d in detail["decisions"]] == [True, False]
        rpc.meetings.close_meeting(meeting["id"])
    wait_until(lambda: outbox_empty(verband, w))
    events = [json.loads(m.body) for m in verband.drain(tap)]
    [event] = [e for e in events if e["event_type"] == "iroj_report_back_recorded"]
    assert event["meeting_id"] == meeting["id"]
    assert event["network_id"] == str(w.network)
    assert event["body_name"] == body["name"]
    local = dt.datetime.fromisoformat(meeting["starts_at"]).astimezone(BRUSSELS)
    assert event["held_on"] == local.date().isoformat()
    assert event["reporter_person_id"] == str(w.kernpartner.id)
    assert [d["text"] for d in event["decisions"]] == ["De werkgroep kansarmoede start in maart."]
    assert event["signals"] == [
        {
            "signal_id": signal["id"],
            "kind": "pain_point",
            "title": "Wachttijd gezinscoaching loopt op",
            "description": "Gemiddeld twee maanden.",
        }
    ]


def test_a_for_iroj_mark_that_is_not_a_boolean_is_refused_naming_it(verband):
    w = World(verband)
    body = w.create_body()
    meeting = w.meeting_soon(body, 2)
    with w.rpc(w.chair) as rpc:
        proposal = rpc.meetings.propose_item(meeting["id"], {"title": "Punt"})
        rpc.meetings.publish_agenda(meeting["id"])
        rpc.meetings.record_attendance(
            meeting["id"],
            {"attendance": [{"member_id": m["id"], "status": "present"} for m in body["members"]]},
        )
        with pytest.raises(ValidationFailed) as refused:
            rpc.meetings.record_item(
                meeting["id"],
                proposal["id"],
                {"decision": {"method": "consensus", "text": "Akkoord.", "for_iroj": "ja"}},
            )
    assert "decision.for_iroj" in refused.value.fields
    assert verband.count(w.meetings.db_url, "decisions") == 0


def answered(w, signal_id, answer="Wij nemen dit op met het agentschap.") -> dict:
    return new_event(
        "reporting",
        "signal_answered",
        w.network,
        {
            "signal_id": signal_id,
            "meeting_id": str(w.network),  # not read: meetings goes by its own signal
            "body_id": str(w.network),
            "signal_title": "Wachttijd gezinscoaching loopt op",
            "answer": answer,
            "answered_on": dt.date.today().isoformat(),
        },
    )


def answer_items(verband, w, meeting_id) -> list[dict]:
    return verband.sql(
        w.meetings.db_url,
        "SELECT title, explanation, ref FROM agenda_items WHERE meeting_id = %s"
        " AND kind = 'iroj_answer'",
        (meeting_id,),
    )


def test_an_iroj_answer_lands_on_the_next_open_agenda_once(verband):
    w = World(verband)
    body = w.create_body()
    meeting, signal = held_meeting(w, body, [("Akkoord.", True)])
    with w.rpc(w.chair) as rpc:
        rpc.meetings.close_meeting(meeting["id"])
    nxt = w.meeting_soon(body, 60)
    event = answered(w, signal["id"])
    with entrypoint_waiter(w.meetings, "on_signal_answered", timeout=15):
        verband.publish("reporting", event)
    with entrypoint_waiter(w.meetings, "on_signal_answered", timeout=15):
        verband.publish("reporting", event)  # redelivered: still one item
    [item] = answer_items(verband, w, nxt["id"])
    assert item["title"] == "Antwoord van IROJ op signaal: Wachttijd gezinscoaching loopt op"
    assert item["explanation"] == "Wij nemen dit op met het agentschap."
    assert item["ref"] == signal["id"]
    with w.rpc(w.chair) as rpc:
        agenda = rpc.meetings.publish_agenda(nxt["id"])["agenda"]
    kinds = [i["kind"] for i in agenda]
    assert kinds.count("iroj_answer") == 1


def test_an_answer_waits_until_the_bodys_next_agenda_is_published(verband):
    w = World(verband)
    body = w.create_body()
    meeting, signal = held_meeting(w, body, [("Akkoord.", False)])
    with w.rpc(w.chair) as rpc:
        rpc.meetings.close_meeting(meeting["id"])
    with entrypoint_waiter(w.meetings, "on_signal_answered", timeout=15):
        verband.publish("reporting", answered(w, signal["id"], "Komt op het IROJ van juni."))
    waiting = verband.sql(w.meetings.db_url, "SELECT meeting_id FROM iroj_answers")
    assert waiting == [{"meeting_id": None}]
    nxt = w.meeting_soon(body, 60)
    with w.rpc(w.chair) as rpc:
        agenda = rpc.meetings.publish_agenda(nxt["id"])["agenda"]
    [item] = [i for i in agenda if i["kind"] == "iroj_answer"]
    assert item["explanation"] == "Komt op het IROJ van juni."
    # the answer now sits on that agenda, and on no later one
    later = w.meeting_soon(body, 120)
    with w.rpc(w.chair) as rpc:
        agenda = rpc.meetings.publish_agenda(later["id"])["agenda"]
    assert "iroj_answer" not in [i["kind"] for i in agenda]


def test_an_answer_about_another_networks_signal_changes_nothing(verband):
    w = World(verband)
    body = w.create_body()
    meeting, signal = held_meeting(w, body, [("Akkoord.", False)])
    envelope = {"event_id", "event_type", "source", "version", "occurred_at", "network_id"}
    payload = {k: v for k, v in answered(w, signal["id"]).items() if k not in envelope}
    forged = new_event("reporting", "signal_answered", w.other_network, payload)
    with entrypoint_waiter(w.meetings, "on_signal_answered", timeout=15):
        verband.publish("reporting", forged)
    assert verband.count(w.meetings.db_url, "iroj_answers") == 0
