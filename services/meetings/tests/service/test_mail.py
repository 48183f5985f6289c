"""Agenda and draft minutes reach the members by e-mail over real SMTP (a local aiosmtpd),
the agenda a configurable number of days before the meeting."""

import datetime as dt

import pytest
from meetings_support import World
from verband_servicekit import wait_until

pytestmark = pytest.mark.service


def test_agenda_and_draft_minutes_reach_the_members(verband, mailbox):
    w = World(verband, mailbox)
    body = w.create_body(mail_days_before=3)
    today = w.meeting_soon(body, 2)
    far = dt.datetime.now(dt.UTC) + dt.timedelta(days=20)
    while far.weekday() > 4:
        far += dt.timedelta(days=1)
    with w.rpc(w.coordinator) as rpc:
        later = rpc.meetings.schedule_meeting(body["id"], {"starts_at": far.isoformat()})
    with w.rpc(w.kernpartner) as rpc:
        rpc.meetings.propose_item(
            today["id"], {"title": "Werkgroep kansarmoede", "documents": [{"name": "nota.pdf"}]}
        )
    with w.rpc(w.chair) as rpc:
        rpc.meetings.publish_agenda(later["id"])  # 20 days ahead: not yet mailed
        rpc.meetings.publish_agenda(today["id"])  # today: mailed at once

    wait_until(lambda: len(mailbox.messages()) == 1, what="agenda mail")
    [mail] = mailbox.messages()
    assert mail["Subject"].startswith("Agenda Beleidsgroep")
    assert mail["From"] == "secretariaat@verband.test"
    for person in (w.chair, w.secretary, w.kernpartner, w.contractant, w.coordinator):
        assert person.email in mail["X-Envelope-To"]
    assert w.outsider.email not in mail["X-Envelope-To"]
    assert "Werkgroep kansarmoede" in mail.get_body(("plain",)).get_content()
    [pdf] = list(mail.iter_attachments())
    assert pdf.get_content_type() == "application/pdf"
    assert pdf.get_content().startswith(b"%PDF-")
    with w.rpc(w.chair) as rpc:
        assert rpc.meetings.get_meeting(later["id"])["agenda_mailed_at"] is None

    with w.rpc(w.chair) as rpc:
        rpc.meetings.record_attendance(
            today["id"],
            {
                "attendance": [
                    {"member_id": m["id"], "status": "present"} for m in body["members"]
                ],
                "iroj_reporter_member_id": w.member_id(body, w.kernpartner),
            },
        )
        rpc.meetings.close_meeting(today["id"])
    with w.rpc(w.secretary) as rpc:
        rpc.meetings.update_minutes(today["id"], {"summary": "Korte vergadering."})
        rpc.meetings.send_minutes_draft(today["id"])
    wait_until(lambda: len(mailbox.messages()) == 2, what="draft minutes mail")
    draft = mailbox.messages()[1]
    # a long subject is folded onto its own line, and Python's parser keeps the fold's space
    assert draft["Subject"].strip().startswith("Ontwerpverslag Beleidsgroep")
    assert next(draft.iter_attachments()).get_content().startswith(b"%PDF-")
    assert verband.count(w.meetings.db_url, "mail_outbox", "sent_at IS NULL") == 0
