"""The portal's page of a meeting's documents and guests: the secretary uploads a file (its
type and size are the meetings service's and the gateway's to check, shown next to the
field), members download it as an attachment, a refusal of the service is the page's answer
(403), and the meeting page lists the documents only for those who see them."""

import base64
import io
import uuid

import pytest

from verband_common.errors import Forbidden, ValidationFailed
from verband_common.schemas.meetings import MAX_DOCUMENT_BYTES

from .test_meeting_pages import Governance, field_error, token_of

PDF = b"%PDF-1.4\n%%EOF\n"
NOW = "2026-11-20T10:00:00+01:00"
GUEST = str(uuid.uuid4())


def document(meeting_id, item_id=None, versions=1) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "meeting_id": meeting_id,
        "item_id": item_id,
        "name": "begroting.pdf",
        "versions": [
            {
                "version": n,
                "filename": "begroting.pdf",
                "content_type": "application/pdf",
                "size": 2048,
                "sha256": "0" * 64,
                "uploaded_by": None,
                "uploaded_by_name": "An Peeters",
                "uploaded_at": NOW,
            }
            for n in range(versions, 0, -1)
        ],
    }


@pytest.fixture
def gov(client, services, network, portal_sign_in):
    person = portal_sign_in({network["id"]: ["partner_worker"]})
    gov = Governance(services, network, person, "secretary")
    gov.files = [document(gov.mid, gov.item["id"], versions=2)]
    services.answer("meetings", "list_documents", lambda mid: gov.files)
    services.answer("meetings", "list_guests", lambda mid: [])
    services.answer(
        "meetings", "network_people", lambda nid: [{"id": GUEST, "name": "Eva De Smet"}]
    )
    services.answer("meetings", "upload_document", lambda mid, p: gov.files[0])
    services.answer("meetings", "invite_guest", lambda mid, p: [])
    services.answer(
        "meetings",
        "document_content",
        lambda did, *v: {
            "filename": "begroting.pdf",
            "content_type": "application/pdf",
            "version": 1,
            "content_base64": base64.b64encode(PDF).decode(),
        },
    )
    return gov


def path_of(gov) -> str:
    return f"/vergaderingen/{gov.mid}/stukken"


def upload(client, gov, content, name="begroting.pdf", **form):
    token = token_of(client.get(path_of(gov)).get_data(as_text=True))
    return client.post(
        path_of(gov),
        data={
            "action": "upload",
            "csrf_token": token,
            "file": (io.BytesIO(content), name),
            **form,
        },
        content_type="multipart/form-data",
    )


def test_the_page_lists_versions_and_offers_the_forms_to_the_secretary(client, gov):
    page = client.get(path_of(gov)).get_data(as_text=True)
    assert "begroting.pdf" in page and "An Peeters" in page
    doc = gov.files[0]["id"]
    assert f"/vergaderingen/{gov.mid}/stukken/{doc}?versie=1" in page
    assert 'enctype="multipart/form-data"' in page
    assert "Eva De Smet" in page  # can be invited
    meeting = client.get(f"/vergaderingen/{gov.mid}").get_data(as_text=True)
    assert f"/vergaderingen/{gov.mid}/stukken/{doc}" in meeting
    assert "(versie 2)" in meeting


def test_an_upload_reaches_the_service_with_its_item(client, services, gov):
    response = upload(client, gov, PDF, item_id=gov.item["id"])
    assert response.status_code == 302, response.get_data(as_text=True)
    [call] = services.calls_to("upload_document")
    assert call.args[1]["item_id"] == gov.item["id"]
    assert base64.b64decode(call.args[1]["content_base64"]) == PDF


def test_a_mislabelled_file_is_shown_next_to_the_field(client, services, gov):
    services.fail(
        "meetings",
        "upload_document",
        ValidationFailed("Het stuk is niet opgeslagen.", {"file": ["Niet aanvaard."]}),
    )
    response = upload(client, gov, b"MZ\x90\x00", "nota.pdf")
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), "file") == "Niet aanvaard."


def test_a_file_over_the_limit_is_refused_in_dutch_before_any_rpc(client, services, gov):
    response = upload(client, gov, PDF + b"0" * MAX_DOCUMENT_BYTES)
    assert response.status_code == 422
    assert "Te groot" in field_error(response.get_data(as_text=True), "file")
    assert services.calls_to("upload_document") == []


def test_no_file_and_a_bad_guest_are_named(client, services, gov):
    token = token_of(client.get(path_of(gov)).get_data(as_text=True))
    response = client.post(path_of(gov), data={"action": "upload", "csrf_token": token})
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), "file")
    response = client.post(
        path_of(gov), data={"action": "invite", "csrf_token": token, "person_id": "Eva"}
    )
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), "person_id")
    assert services.calls_to("invite_guest") == []


def test_a_download_is_an_attachment_with_nosniff(client, gov):
    doc = gov.files[0]["id"]
    response = client.get(f"/vergaderingen/{gov.mid}/stukken/{doc}")
    assert response.status_code == 200
    assert response.data == PDF
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_someone_who_may_not_see_the_documents_sees_nothing_of_them(client, services, gov):
    services.fail("meetings", "list_documents", Forbidden("Enkel de leden zien de stukken."))
    assert client.get(path_of(gov)).status_code == 403
    meeting = client.get(f"/vergaderingen/{gov.mid}").get_data(as_text=True)
    assert "begroting.pdf" not in meeting
    assert "/stukken/" not in meeting
