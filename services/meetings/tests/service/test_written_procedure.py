"""The written procedure between meetings: an organiser puts an urgent proposal to the
body's members with a deadline (they are told by mail); each member with a voting right
agrees or objects with a reason; once all have answered, or at the deadline, the outcome is
recorded ("aangenomen zonder bezwaar" when no one objected) and the body's next agenda
carries it for ratification (the next one published, if none is open)."""

import datetime as dt
import uuid

import pytest
from meetings_support import World

from verband_common.errors import Conflict, Forbidden, NotFound, ValidationFailed

pytestmark = pytest.mark.service


def ahead(**delta) -> str:
    return (dt.datetime.now(dt.UTC) + dt.timedelta(**delta)).isoformat()


def proposal(**extra) -> dict:
    return {
        "title": "Extra budget crisisopvang",
        "proposal": "Het netwerk legt 5.000 euro bij voor de crisisopvang tot de zomer.",
        "deadline": ahead(days=2),
        **extra,
    }


def refused(verband, w, who, call, error=ValidationFailed):
    before = verband.counts(w.meetings.db_url)
    with w.rpc(who) as rpc, pytest.raises(error) as raised:
        call(rpc)
    assert verband.counts(w.meetings.db_url) == before
    assert raised.value.message
    return raised.value


def mails(verband, w, subject_part) -> list[dict]:
    return verband.sql(
        w.meetings.db_url,
        "SELECT recipients, subject, body FROM mail_outbox WHERE subject LIKE %s ORDER BY id",
        (f"%{subject_part}%",),
    )


def test_adopted_without_objection_once_all_answered_and_put_on_the_next_agenda(verband):
    w = World(verband)
    body = w.create_body()  # voters: the chair, the CAW's delegate, the contractant
    meeting = w.meeting_soon(body, 60)
    with w.rpc(w.coordinator) as rpc:
        started = rpc.meetings.start_written_procedure(body["id"], proposal())
    assert (started["status"], started["voters"], started["answers"]) == ("open", 3, 0)
    assert started["rule"] == "aangenomen zonder bezwaar"
    pid = started["id"]
    [told] = mails(verband, w, "Schriftelijke procedure")
    assert w.chair.email in told["recipients"] and "Extra budget crisisopvang" in told["body"]

    with w.rpc(w.chair) as rpc:
        assert rpc.meetings.answer_written_procedure(pid, {"answer": "agree"})["answers"] == 1
    # an objection says why; then the contractant changes their mind
    error = refused(
        verband,
        w,
        w.contractant,
        lambda rpc: rpc.meetings.answer_written_procedure(pid, {"answer": "object"}),
    )
    assert set(error.fields) == {"reason"}
    with w.rpc(w.contractant) as rpc:
        objected = rpc.meetings.answer_written_procedure(
            pid, {"answer": "object", "reason": "Eerst de cijfers van de crisisopvang zien."}
        )
        assert objected["my_answer"] == "object" and len(objected["objections"]) == 1
        assert rpc.meetings.answer_written_procedure(pid, {"answer": "agree"})["objections"] == []
    # no vote, no answer: the adviser and the secretary; someone outside the body: not found
    for who in (w.coordinator, w.secretary):
        refused(
            verband,
            w,
            who,
            lambda rpc: rpc.meetings.answer_written_procedure(pid, {"answer": "agree"}),
            Forbidden,
        )
    refused(
        verband,
        w,
        w.outsider,
        lambda rpc: rpc.meetings.answer_written_procedure(pid, {"answer": "agree"}),
        NotFound,
    )

    with w.rpc(w.kernpartner) as rpc:  # the last voter: the procedure closes at once
        closed = rpc.meetings.answer_written_procedure(pid, {"answer": "agree"})
    assert (closed["status"], closed["outcome"], closed["on_agenda"]) == ("closed", "adopted", True)
    with w.rpc(w.chair) as rpc:
        agenda = rpc.meetings.get_meeting(meeting["id"])["agenda"]
    [item] = [i for i in agenda if i["kind"] == "written_procedure"]
    assert item["title"] == "Bekrachtiging schriftelijke procedure: Extra budget crisisopvang"
    assert "aangenomen zonder bezwaar" in item["explanation"]
    assert len(mails(verband, w, "Uitkomst schriftelijke procedure")) == 1
    # closed: no more answers
    refused(
        verband,
        w,
        w.chair,
        lambda rpc: rpc.meetings.answer_written_procedure(pid, {"answer": "object", "reason": "x"}),
        Conflict,
    )


def test_an_objection_at_the_deadline_rejects_and_waits_for_the_next_agenda(verband):
    w = World(verband)
    body = w.create_body()
    first = w.meeting_soon(body, 60)
    with w.rpc(w.chair) as rpc:
        rpc.meetings.publish_agenda(first["id"])  # no agenda of the body is open now
    with w.rpc(w.secretary) as rpc:  # the secretary of the network starts it
        pid = rpc.meetings.start_written_procedure(body["id"], proposal())["id"]
    with w.rpc(w.contractant) as rpc:
        rpc.meetings.answer_written_procedure(
            pid, {"answer": "object", "reason": "Dit hoort op de vergadering."}
        )
    # the deadline passes with one answer missing
    verband.sql(
        w.meetings.db_url,
        "UPDATE written_procedures SET deadline = now() - interval '1 minute' WHERE id = %s",
        (pid,),
    )
    with w.rpc(w.chair) as rpc:
        [seen] = rpc.meetings.list_written_procedures(body["id"])
    assert (seen["status"], seen["outcome"], seen["on_agenda"]) == ("closed", "rejected", False)
    assert seen["objections"] == [
        {"name": w.contractant.name, "reason": "Dit hoort op de vergadering."}
    ]
    # the next agenda published carries it
    later = w.meeting_soon(body, 120)
    with w.rpc(w.chair) as rpc:
        published = rpc.meetings.publish_agenda(later["id"])
        assert rpc.meetings.get_written_procedure(pid)["on_agenda"] is True
    [item] = [i for i in published["agenda"] if i["kind"] == "written_procedure"]
    assert "niet aangenomen" in item["explanation"]
    assert "Dit hoort op de vergadering." in item["explanation"]


def test_bad_procedures_are_refused_naming_the_field(verband):
    w = World(verband)
    body = w.create_body()
    bid = body["id"]
    for payload, field in (
        (proposal(deadline=ahead(minutes=-5)), "deadline"),
        (proposal(deadline=ahead(days=61)), "deadline"),
        (proposal(deadline="2027-01-01T10:00:00"), "deadline"),
        (proposal(title=""), "title"),
        (proposal(proposal="x" * 4001), "proposal"),
        (proposal(extra=True), "extra"),
    ):
        error = refused(
            verband,
            w,
            w.coordinator,
            lambda rpc, p=payload: rpc.meetings.start_written_procedure(bid, p),
        )
        assert field in error.fields, (payload, error.fields)
    # a plain member starts none; someone outside the body does not learn it exists
    refused(
        verband,
        w,
        w.kernpartner,
        lambda rpc: rpc.meetings.start_written_procedure(bid, proposal()),
        Forbidden,
    )
    refused(
        verband,
        w,
        w.outsider,
        lambda rpc: rpc.meetings.start_written_procedure(bid, proposal()),
        NotFound,
    )
    with w.rpc(w.coordinator) as rpc:
        pid = rpc.meetings.start_written_procedure(bid, proposal())["id"]
    for bad in ({"answer": "misschien"}, {}, {"answer": "agree", "reason": "x" * 2001}):
        error = refused(
            verband,
            w,
            w.chair,
            lambda rpc, b=bad: rpc.meetings.answer_written_procedure(pid, b),
        )
        assert set(error.fields) & {"answer", "reason"}, error.fields
    refused(
        verband,
        w,
        w.chair,
        lambda rpc: rpc.meetings.answer_written_procedure(str(uuid.uuid4()), {"answer": "agree"}),
        NotFound,
    )
    with w.rpc(w.outsider) as rpc, pytest.raises(NotFound):
        rpc.meetings.get_written_procedure(pid)
