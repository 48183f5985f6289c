"""The iCalendar feed is valid RFC 5545 (parsed with the icalendar package); the PDFs are
PDFs that hold the agenda's and minutes' text."""

import datetime as dt
import uuid
import zlib

import icalendar

from meetings.domain import documents, ical

UTC = dt.UTC
NOW = dt.datetime(2027, 1, 4, 9, 0, tzinfo=UTC)


def meeting(day, status="scheduled", sequence=0, **extra):
    starts = dt.datetime(2027, 1, day, 13, 0, tzinfo=UTC)
    return {
        "id": uuid.uuid4(),
        "body_name": "Beleidsgroep 1G1P Asse-Meise-Vilvoorde; met een lange naam, echt waar",
        "starts_at": starts,
        "ends_at": starts + dt.timedelta(hours=2),
        "status": status,
        "sequence": sequence,
        "location": "Sociaal Huis Asse, zaal Één",
        "description": extra.get("description"),
    }


def test_the_feed_parses_and_holds_every_meeting():
    meetings = [
        meeting(5),
        meeting(19, status="cancelled", sequence=1, description="Verplaatst wegens\nstaking"),
    ]
    text = ical.calendar("Beleidsgroep", meetings, NOW, "verband.test")
    raw = text.encode("utf-8")
    assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))  # folded (RFC 5545 3.1)
    cal = icalendar.Calendar.from_ical(text)
    assert cal["VERSION"] == "2.0" and cal["PRODID"]
    events = cal.walk("VEVENT")
    assert [str(e["UID"]) for e in events] == [f"{m['id']}@verband.test" for m in meetings]
    for event, m in zip(events, meetings, strict=True):
        for required in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY"):
            assert required in event
        assert event.decoded("DTSTART") == m["starts_at"]
        assert event.decoded("DTEND") == m["ends_at"]
        assert str(event["SUMMARY"]) == m["body_name"]
        assert str(event["LOCATION"]) == m["location"]
    assert str(events[1]["STATUS"]) == "CANCELLED" and int(events[1]["SEQUENCE"]) == 1
    assert str(events[1]["DESCRIPTION"]) == "Verplaatst wegens\nstaking"


def test_an_empty_feed_is_still_a_calendar():
    cal = icalendar.Calendar.from_ical(ical.calendar("Leeg", [], NOW, "verband.test"))
    assert cal.walk("VEVENT") == []


def pdf_text(pdf: bytes) -> str:
    """The text of an fpdf2 PDF: its page streams, inflated."""
    out = []
    for chunk in pdf.split(b"stream\n")[1:]:
        body = chunk.split(b"\nendstream")[0]
        try:
            out.append(zlib.decompress(body).decode("latin-1"))
        except zlib.error:
            out.append(body.decode("latin-1"))
    return "".join(out)


BODY = {"name": "Kernteam"}
LOCAL = {"local_starts_at": dt.datetime(2027, 1, 5, 14, 0), "location": "Vilvoorde"}


def test_the_agenda_pdf_holds_its_items():
    pdf = documents.agenda_pdf(
        BODY,
        LOCAL,
        [
            {
                "title": "Goedkeuring verslag",
                "explanation": None,
                "decision_asked": "Goedkeuren",
                "documents": [],
            },
            {
                "title": "Werking “kansarmoede” – voorstel",
                "explanation": "Toelichting",
                "decision_asked": None,
                "documents": [{"name": "nota.pdf", "url": None}],
            },
        ],
    )
    assert pdf.startswith(b"%PDF-")
    text = pdf_text(pdf)
    assert "Goedkeuring verslag" in text and "kansarmoede" in text and "nota.pdf" in text


def test_the_minutes_pdf_holds_attendance_decisions_and_status():
    member_id = str(uuid.uuid4())
    item_id = str(uuid.uuid4())
    pdf = documents.minutes_pdf(
        BODY,
        {**LOCAL, "quorum_reached": True, "iroj_reporter_name": "An Claes"},
        {"status": "approved", "summary": "Goede vergadering.", "amendments": ["Typfout punt 2"]},
        [{"id": member_id, "display_name": "An Claes", "role": "chair", "voting": True}],
        {member_id: "present"},
        [{"id": item_id, "title": "Budget", "notes": "Besproken."}],
        [
            {
                "item_id": item_id,
                "method": "consensus",
                "outcome": "adopted",
                "text": "Budget ok",
                "objections": [],
                "tally": None,
            }
        ],
        [
            {
                "item_id": item_id,
                "title": "Nota",
                "owner_name": "An Claes",
                "due_on": dt.date(2027, 2, 1),
            }
        ],
        [{"kind": "pain_point", "title": "Wachtlijst te lang", "description": None}],
    )
    text = pdf_text(pdf)
    for expected in (
        "GOEDGEKEURD",
        "An Claes",
        "aanwezig",
        "Budget ok",
        "Nota",
        "Wachtlijst te lang",
        "Typfout punt 2",
    ):
        assert expected in text, expected


def test_the_agenda_pdf_and_mail_name_the_uploaded_documents_without_attaching_them():
    versions = [{"version": 2}, {"version": 1}]
    item = {
        "title": "Budget",
        "explanation": None,
        "decision_asked": None,
        "documents": [],
        "files": [{"name": "begroting.xlsx", "versions": versions}],
    }
    loose = [{"name": "jaarplan.pdf", "versions": [{"version": 1}]}]
    text = pdf_text(documents.agenda_pdf(BODY, LOCAL, [item], loose))
    # (a PDF string escapes its parentheses)
    assert "Stuk: begroting.xlsx \\(versie 2\\)" in text
    assert "Stukken bij de vergadering" in text and "jaarplan.pdf" in text
    names = [documents.file_label(f) for f in [*item["files"], *loose]]
    link = "https://portaal.voorbeeld/vergaderingen/1"
    _subject, mail = documents.agenda_mail(BODY, LOCAL, [item], names, link)
    assert "- begroting.xlsx (versie 2)\n- jaarplan.pdf" in mail
    assert link in mail
    assert "stukken zitten in de bijlage" not in mail


def test_the_minutes_name_whom_a_member_sits_for():
    member_id = str(uuid.uuid4())
    pdf = documents.minutes_pdf(
        BODY,
        {**LOCAL, "quorum_reached": True},
        None,
        [
            {
                "id": member_id,
                "display_name": "Sara Maes",
                "role": "member",
                "voting": True,
                "represents": "experience_experts",
            }
        ],
        {member_id: "present"},
        [],
        [],
        [],
        [],
    )
    assert "Sara Maes \\(lid, ervaringsdeskundige\\)" in pdf_text(pdf)
