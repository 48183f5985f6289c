"""Meeting documents and guests in the JSON API: a file goes to the meetings service base64
(the gateway keeps nothing), within the size limit (413 over it, before any RPC), and comes
back as an attachment with the type the service read from its bytes and nosniff."""

import base64
import io
import uuid

import pytest

from verband_common.errors import NotFound, ValidationFailed
from verband_common.schemas.meetings import MAX_DOCUMENT_BYTES

MEETING = str(uuid.uuid4())
ITEM = str(uuid.uuid4())
DOCUMENT = str(uuid.uuid4())
PERSON = str(uuid.uuid4())
PDF = b"%PDF-1.4\n%%EOF\n"
NOW = "2026-11-20T10:00:00+01:00"


def document_row(meeting_id=MEETING, **extra) -> dict:
    return {
        "id": DOCUMENT,
        "meeting_id": meeting_id,
        "item_id": None,
        "name": "nota.pdf",
        "versions": [
            {
                "version": 1,
                "filename": "nota.pdf",
                "content_type": "application/pdf",
                "size": len(PDF),
                "sha256": "0" * 64,
                "uploaded_by": PERSON,
                "uploaded_by_name": "Sofie Janssens",
                "uploaded_at": NOW,
            }
        ],
        **extra,
    }


@pytest.fixture
def fake(services):
    services.answer("meetings", "upload_document", lambda mid, p: document_row(mid))
    services.answer("meetings", "list_documents", lambda mid: [document_row(mid)])
    services.answer(
        "meetings",
        "document_content",
        lambda did, *version: {
            "filename": "Nota’s begroting.pdf",
            "content_type": "application/pdf",
            "version": version[0] if version else 1,
            "content_base64": base64.b64encode(PDF).decode(),
        },
    )
    guests = [{"person_id": PERSON, "name": "Eva De Smet", "invited_at": NOW}]
    services.answer("meetings", "invite_guest", lambda mid, p: guests)
    services.answer("meetings", "list_guests", lambda mid: guests)
    services.answer("meetings", "remove_guest", lambda mid, pid: [])
    return services


def post_file(client, headers, content, name="nota.pdf", path=None, **form):
    data = {"file": (io.BytesIO(content), name), **form}
    return client.post(
        path or f"/api/meetings/{MEETING}/documents",
        data=data,
        headers=headers,
        content_type="multipart/form-data",
    )


def test_an_upload_goes_to_the_service_base64_with_its_item(client, fake, coordinator):
    response = post_file(client, coordinator, PDF, "../nota.pdf", item_id=ITEM)
    assert response.status_code == 201, response.json
    assert response.json["versions"][0]["uploaded_by_name"] == "Sofie Janssens"
    [upload] = fake.calls_to("upload_document")
    meeting_id, payload = upload.args
    assert meeting_id == MEETING
    # the raw name goes as sent: the service cleans it, with the type it reads from the bytes
    assert payload == {
        "filename": "../nota.pdf",
        "content_base64": base64.b64encode(PDF).decode(),
        "item_id": ITEM,
    }


def test_a_new_version_names_its_document(client, fake, coordinator):
    path = f"/api/meetings/{MEETING}/documents/{DOCUMENT}/versions"
    response = post_file(client, coordinator, PDF, path=path)
    assert response.status_code == 201, response.json
    [upload] = fake.calls_to("upload_document")
    assert upload.args[1]["document_id"] == DOCUMENT
    assert "item_id" not in upload.args[1]


@pytest.mark.parametrize(
    "form, field",
    [
        ({"item_id": "punt 3"}, "item_id"),
        ({"item_id": ITEM, "owner": "x"}, "owner"),
    ],
)
def test_bad_form_fields_are_422_before_any_rpc(client, fake, coordinator, form, field):
    response = post_file(client, coordinator, PDF, **form)
    assert response.status_code == 422
    assert field in response.json["error"]["fields"]
    assert fake.calls_to("upload_document") == []


def test_no_file_is_422_naming_file(client, fake, coordinator):
    response = client.post(
        f"/api/meetings/{MEETING}/documents",
        data={"item_id": ITEM},
        headers=coordinator,
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert list(response.json["error"]["fields"]) == ["file"]
    assert fake.calls_to("upload_document") == []


def test_a_file_over_the_limit_is_413_before_any_rpc(client, fake, coordinator):
    response = post_file(client, coordinator, PDF + b"0" * MAX_DOCUMENT_BYTES)
    assert response.status_code == 413
    assert response.json["error"]["code"] == "too_large"
    assert list(response.json["error"]["fields"]) == ["file"]
    # a request over the gateway's own limit is refused at the edge
    response = post_file(client, coordinator, PDF + b"0" * (5 * 1024 * 1024))
    assert response.status_code == 413
    assert fake.calls_to("upload_document") == []


def test_a_mislabelled_file_is_the_services_422(client, fake, coordinator):
    refusal = ValidationFailed("Het stuk is niet opgeslagen.", {"file": ["Niet aanvaard."]})
    fake.fail("meetings", "upload_document", refusal)
    response = post_file(client, coordinator, b"MZ\x90\x00program", "nota.pdf")
    assert response.status_code == 422
    assert response.json["error"]["fields"] == {"file": ["Niet aanvaard."]}


def test_a_download_is_an_attachment_with_the_stored_type_and_nosniff(client, fake, coordinator):
    response = client.get(f"/api/meeting-documents/{DOCUMENT}/content", headers=coordinator)
    assert response.status_code == 200
    assert response.data == PDF
    assert response.mimetype == "application/pdf"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="Notas begroting.pdf"')
    assert "filename*=UTF-8''Nota%E2%80%99s%20begroting.pdf" in disposition
    assert fake.calls_to("document_content")[0].args == (DOCUMENT,)
    client.get(f"/api/meeting-documents/{DOCUMENT}/content?version=2", headers=coordinator)
    assert fake.calls_to("document_content")[1].args == (DOCUMENT, 2)


def test_a_bad_version_is_422_and_an_unseen_document_404(client, fake, coordinator):
    response = client.get(
        f"/api/meeting-documents/{DOCUMENT}/content?version=0", headers=coordinator
    )
    assert response.status_code == 422
    assert "version" in response.json["error"]["fields"]
    fake.fail("meetings", "document_content", NotFound("Dit stuk bestaat niet.", {}))
    response = client.get(f"/api/meeting-documents/{DOCUMENT}/content", headers=coordinator)
    assert response.status_code == 404


def test_a_download_of_a_type_outside_the_list_is_502(client, fake, coordinator):
    fake.answer(
        "meetings",
        "document_content",
        lambda did: {"filename": "x.html", "content_type": "text/html", "content_base64": ""},
    )
    response = client.get(f"/api/meeting-documents/{DOCUMENT}/content", headers=coordinator)
    assert response.status_code == 502


def test_guests_are_invited_listed_and_withdrawn(client, fake, coordinator):
    response = client.post(
        f"/api/meetings/{MEETING}/guests", json={"person_id": PERSON}, headers=coordinator
    )
    assert response.status_code == 201
    assert response.json[0]["name"] == "Eva De Smet"
    assert fake.calls_to("invite_guest")[0].args == (MEETING, {"person_id": PERSON})
    response = client.post(
        f"/api/meetings/{MEETING}/guests", json={"person_id": "Eva"}, headers=coordinator
    )
    assert response.status_code == 422
    assert "person_id" in response.json["error"]["fields"]
    assert len(fake.calls_to("invite_guest")) == 1
    response = client.delete(f"/api/meetings/{MEETING}/guests/{PERSON}", headers=coordinator)
    assert response.status_code == 200 and response.json == []


def test_the_new_routes_are_documented(client):
    paths = client.get("/api/openapi.json").json["paths"]
    upload = paths["/api/meetings/{meeting_id}/documents"]["post"]
    assert {"413", "422"} <= set(upload["responses"])
    assert "multipart/form-data" in upload["requestBody"]["content"]
    content = paths["/api/meeting-documents/{document_id}/content"]["get"]
    assert "application/pdf" in content["responses"]["200"]["content"]
    assert "/api/meetings/{meeting_id}/guests/{person_id}" in paths
