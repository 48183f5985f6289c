"""Documents of a meeting are files kept by the meetings service, every version of them;
the body's members, the network's organisers and the guests of that one meeting open them,
no one else learns they exist; a guest of one meeting sees nothing of the body's others."""

import base64
import hashlib
import uuid

import pytest
from meetings_support import World
from verband_servicekit import wait_until

from verband_common.errors import Forbidden, NotFound, ValidationFailed
from verband_common.schemas.meetings import MAX_DOCUMENT_BYTES

pytestmark = pytest.mark.service

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
PDF_V2 = b"%PDF-1.4\n% tweede versie\ntrailer << >>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 120


def upload(name: str, content: bytes, **extra) -> dict:
    return {"filename": name, "content_base64": base64.b64encode(content).decode(), **extra}


@pytest.fixture
def w(verband):
    w = World(verband)
    w.body = w.create_body()
    w.first = w.meeting_soon(w.body, 2)
    w.second = w.meeting_soon(w.body, 4)
    with w.rpc(w.kernpartner) as rpc:
        w.item = rpc.meetings.propose_item(w.first["id"], {"title": "Budget 2027"})
    return w


def test_a_document_is_versioned_and_opened_by_members_only(verband, w):
    with w.rpc(w.secretary) as rpc:
        doc = rpc.meetings.upload_document(
            w.first["id"], upload("C:\\nota's\\begroting.pdf", PDF, item_id=w.item["id"])
        )
        assert doc["name"] == "begroting.pdf"
        assert doc["item_id"] == w.item["id"]
        [v1] = doc["versions"]
        assert v1["version"] == 1
        assert v1["content_type"] == "application/pdf"
        assert v1["size"] == len(PDF)
        assert v1["sha256"] == hashlib.sha256(PDF).hexdigest()
        assert v1["uploaded_by_name"] == w.secretary.name
    with w.rpc(w.chair) as rpc:
        again = rpc.meetings.upload_document(
            w.first["id"], upload("begroting v2.pdf", PDF_V2, document_id=doc["id"])
        )
        assert again["id"] == doc["id"]
        assert [v["version"] for v in again["versions"]] == [2, 1]
        assert again["name"] == "begroting v2.pdf"
        assert again["versions"][0]["uploaded_by_name"] == w.chair.name

    # a member (delegate of an organisation) opens the newest and the old version
    with w.rpc(w.kernpartner) as rpc:
        [listed] = rpc.meetings.list_documents(w.first["id"])
        assert listed["id"] == doc["id"]
        newest = rpc.meetings.document_content(doc["id"])
        assert base64.b64decode(newest["content_base64"]) == PDF_V2
        assert (newest["version"], newest["filename"]) == (2, "begroting v2.pdf")
        first = rpc.meetings.document_content(doc["id"], 1)
        assert base64.b64decode(first["content_base64"]) == PDF
        # the agenda PDF names it, with its version
        pdf = base64.b64decode(rpc.meetings.agenda_pdf(w.first["id"])["content_base64"])
        assert pdf.startswith(b"%PDF-")

    # someone of the network outside the body: not the meeting, not even that it exists
    with w.rpc(w.outsider) as rpc:
        with pytest.raises(NotFound):
            rpc.meetings.get_meeting(w.first["id"])
        with pytest.raises(NotFound):
            rpc.meetings.list_documents(w.first["id"])
        with pytest.raises(NotFound) as unknown:
            rpc.meetings.document_content(doc["id"])
        with pytest.raises(NotFound) as missing:
            rpc.meetings.document_content(str(uuid.uuid4()))
        assert unknown.value.message == missing.value.message
        assert unknown.value.fields == missing.value.fields
    # another network's coordinator: nothing either
    with w.rpc(w.stranger) as rpc:
        with pytest.raises(NotFound):
            rpc.meetings.document_content(doc["id"])
        with pytest.raises(NotFound):
            rpc.meetings.list_documents(w.first["id"])


def test_a_guest_sees_the_documents_of_their_one_meeting_only(verband, w):
    with w.rpc(w.secretary) as rpc:
        first_doc = rpc.meetings.upload_document(w.first["id"], upload("nota.pdf", PDF))
        second_doc = rpc.meetings.upload_document(w.second["id"], upload("ander.pdf", PDF_V2))
        guests = rpc.meetings.invite_guest(w.first["id"], {"person_id": str(w.outsider.id)})
        assert [(g["person_id"], g["name"]) for g in guests] == [
            (str(w.outsider.id), w.outsider.name)
        ]
    with w.rpc(w.outsider) as rpc:
        assert [d["id"] for d in rpc.meetings.list_documents(w.first["id"])] == [first_doc["id"]]
        content = rpc.meetings.document_content(first_doc["id"])
        assert base64.b64decode(content["content_base64"]) == PDF
        with pytest.raises(NotFound):
            rpc.meetings.list_documents(w.second["id"])
        with pytest.raises(NotFound):
            rpc.meetings.document_content(second_doc["id"])
        # a guest adds nothing and invites no one
        with pytest.raises(Forbidden):
            rpc.meetings.upload_document(w.first["id"], upload("mijn.pdf", PDF))
        with pytest.raises(Forbidden):
            rpc.meetings.invite_guest(w.first["id"], {"person_id": str(w.outsider.id)})
    # uninvited, the access is gone
    with w.rpc(w.chair) as rpc:
        assert rpc.meetings.remove_guest(w.first["id"], str(w.outsider.id)) == []
    with w.rpc(w.outsider) as rpc, pytest.raises(NotFound):
        rpc.meetings.list_documents(w.first["id"])


def refused(verband, w, who, call, error=ValidationFailed):
    before = verband.counts(w.meetings.db_url)
    with w.rpc(who) as rpc, pytest.raises(error) as raised:
        call(rpc)
    assert verband.counts(w.meetings.db_url) == before
    return raised.value


def test_bad_uploads_and_invitations_are_refused_and_store_nothing(verband, w):
    mid = w.first["id"]
    # a program renamed to .pdf
    error = refused(
        verband, w, w.secretary, lambda rpc: rpc.meetings.upload_document(mid, upload("a.pdf", EXE))
    )
    assert set(error.fields) == {"file"}
    # not base64
    error = refused(
        verband,
        w,
        w.secretary,
        lambda rpc: rpc.meetings.upload_document(
            mid, {"filename": "a.pdf", "content_base64": "!!nope!!"}
        ),
    )
    assert set(error.fields) == {"file"}
    # over the limit
    big = upload("groot.pdf", PDF + b"0" * MAX_DOCUMENT_BYTES)
    error = refused(verband, w, w.secretary, lambda rpc: rpc.meetings.upload_document(mid, big))
    assert set(error.fields) == {"content_base64"}
    # unknown fields, a missing name
    error = refused(
        verband,
        w,
        w.secretary,
        lambda rpc: rpc.meetings.upload_document(
            mid, {"content_base64": "JVBERi0=", "path": "/etc"}
        ),
    )
    assert set(error.fields) == {"filename", "path"}
    # an item of another meeting, a document of another meeting
    with w.rpc(w.kernpartner) as rpc:
        other_item = rpc.meetings.propose_item(w.second["id"], {"title": "Elders"})
    error = refused(
        verband,
        w,
        w.secretary,
        lambda rpc: rpc.meetings.upload_document(
            mid, upload("a.pdf", PDF, item_id=other_item["id"])
        ),
        NotFound,
    )
    assert set(error.fields) == {"item_id"}
    with w.rpc(w.secretary) as rpc:
        elsewhere = rpc.meetings.upload_document(w.second["id"], upload("b.pdf", PDF))
    error = refused(
        verband,
        w,
        w.secretary,
        lambda rpc: rpc.meetings.upload_document(
            mid, upload("a.pdf", PDF, document_id=elsewhere["id"])
        ),
        NotFound,
    )
    assert set(error.fields) == {"document_id"}
    # a member who does not lead the body adds no documents
    refused(
        verband,
        w,
        w.contractant,
        lambda rpc: rpc.meetings.upload_document(mid, upload("a.pdf", PDF)),
        Forbidden,
    )
    # guests: someone of another network, a member of the body, an unknown version
    error = refused(
        verband,
        w,
        w.secretary,
        lambda rpc: rpc.meetings.invite_guest(mid, {"person_id": str(w.stranger.id)}),
    )
    assert set(error.fields) == {"person_id"}
    error = refused(
        verband,
        w,
        w.secretary,
        lambda rpc: rpc.meetings.invite_guest(mid, {"person_id": str(w.contractant.id)}),
    )
    assert set(error.fields) == {"person_id"}
    error = refused(
        verband,
        w,
        w.secretary,
        lambda rpc: rpc.meetings.document_content(elsewhere["id"], 0),
    )
    assert set(error.fields) == {"version"}


def test_the_agenda_mail_names_the_documents_and_reaches_the_guests(verband, mailbox):
    w = World(verband, mailbox)
    body = w.create_body(mail_days_before=3)
    meeting = w.meeting_soon(body, 2)
    with w.rpc(w.secretary) as rpc:
        rpc.meetings.upload_document(meeting["id"], upload("jaarplan.pdf", PDF))
        rpc.meetings.invite_guest(meeting["id"], {"person_id": str(w.outsider.id)})
    with w.rpc(w.chair) as rpc:
        rpc.meetings.publish_agenda(meeting["id"])
    wait_until(lambda: len(mailbox.messages()) == 1, what="agenda mail")
    [mail] = mailbox.messages()
    assert w.outsider.email in mail["X-Envelope-To"]
    text = mail.get_body(("plain",)).get_content()
    assert "- jaarplan.pdf" in text
    # the document is named, not attached: only the agenda travels with the mail
    [attached] = list(mail.iter_attachments())
    assert attached.get_filename().startswith("agenda-")


def test_a_person_sits_for_the_clients_and_a_delegate_cannot(verband, w):
    with w.rpc(w.coordinator) as rpc:
        body = rpc.meetings.add_member(
            w.body["id"], {"person_id": str(w.outsider.id), "represents": "clients"}
        )
    seat = next(m for m in body["members"] if m["person_id"] == str(w.outsider.id))
    assert seat["represents"] == "clients"
    assert all(m["represents"] is None for m in body["members"] if m is not seat)
    error = refused(
        verband,
        w,
        w.coordinator,
        lambda rpc: rpc.meetings.add_member(
            w.body["id"],
            {
                "organisation_id": str(uuid.uuid4()),
                "organisation_name": "Scholengroep",
                "delegate_id": str(w.outsider.id),
                "represents": "sector",
            },
        ),
    )
    assert set(error.fields) == {"represents"}
