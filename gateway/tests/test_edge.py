"""What the gateway refuses at its edge, before any service is asked: text no field may hold
(422 naming the field), JSON nested too deep (400), a body over the size limit (413, without
reading it), an offset beyond what PostgreSQL can hold (422)."""

import io
import json
import uuid

import pytest

from verband_gateway import create_app
from verband_gateway.edge import MAX_JSON_DEPTH

NUL, LONE_SURROGATE = "\x00", "\ud800"

AGREEMENT = {
    "title": "Volumeafspraak OCJ",
    "kind": "mandated_body",
    "parties": [{"name": "OCJ Halle-Vilvoorde"}],
    "starts_on": "2026-01-01",
    "agreed_number": 12,
}


def sample_routes(network_id):
    """A route of each area, its body and the text field the test spoils."""
    some = str(uuid.uuid4())
    return [
        ("/api/networks/", {"name": "x", "kind": "rtj", "region": "Limburg"}, "name"),
        (f"/api/networks/{network_id}/agreements", AGREEMENT, "title"),
        (
            f"/api/agreements/{some}/follow-ups",
            {"held_on": "2026-03-01", "notes": "Geen cijfers."},
            "notes",
        ),
        (
            f"/api/networks/{network_id}/task-groups",
            {"name": "Diversiteit", "theme": "diversity", "mandate": "Drempels."},
            "mandate",
        ),
        (
            f"/api/waiting-list-entries/{some}/warm-contacts",
            {"channel": "phone", "note": "Gebeld."},
            "note",
        ),
        (f"/api/networks/{network_id}/bodies", {"name": "Kernteam", "kind": "kernteam"}, "name"),
        (
            f"/api/meetings/{some}/items",
            {"kind": "discussion", "title": "Wachtlijst"},
            "title",
        ),
    ]


def post_json(client, path, body, headers):
    """As a client sends JSON: non-ASCII escaped, so even a lone surrogate can be sent."""
    return client.post(
        path, data=json.dumps(body), content_type="application/json", headers=headers
    )


@pytest.fixture
def writer(bearer, network):
    return bearer({network["id"]: ["coordinator", "network_admin"]}, platform_admin=True)


@pytest.mark.parametrize("bad", [NUL, LONE_SURROGATE], ids=["nul", "lone-surrogate"])
def test_a_character_no_text_may_hold_is_422_naming_the_field(
    client, services, network, writer, bad
):
    for path, body, field in sample_routes(network["id"]):
        services.calls.clear()
        spoiled = {**body, field: body[field] + bad + "x"}
        response = post_json(client, path, spoiled, writer)
        assert response.status_code == 422, (path, response.json)
        error = response.json["error"]
        assert error["code"] == "validation_failed"
        assert field in error["fields"], (path, error)
        assert services.methods_called() == [], path


def test_a_line_break_in_a_one_line_field_is_422_from_the_schema(client, services, network, writer):
    response = client.post(
        f"/api/networks/{network['id']}/agreements",
        json={**AGREEMENT, "title": "Volume\nafspraak", "notes": "een\r\ntwee\tdrie"},
        headers=writer,
    )
    assert response.status_code == 422
    assert list(response.json["error"]["fields"]) == ["title"]
    assert "regel" in response.json["error"]["fields"]["title"][0]
    assert ("partners", "record_agreement") not in services.methods_called()


def test_a_bad_character_in_a_field_name_is_named_escaped(client, services, network, writer):
    response = post_json(
        client,
        f"/api/networks/{network['id']}/agreements",
        {**AGREEMENT, "ti\ud800tle": "x"},
        writer,
    )
    assert response.status_code == 422
    assert list(response.json["error"]["fields"]) == ["ti\\ud800tle"]
    assert services.methods_called() == []


def deep(levels: int) -> str:
    return '{"name": ' + "[" * levels + "]" * levels + "}"


@pytest.mark.parametrize("levels", [MAX_JSON_DEPTH + 1, 5_000, 100_000])
def test_json_nested_too_deep_is_400(client, services, writer, levels):
    response = client.post(
        "/api/networks/", data=deep(levels), content_type="application/json", headers=writer
    )
    assert response.status_code == 400
    error = response.json["error"]
    assert error["code"] == "bad_request"
    assert "te diep" in error["fields"]["_body"][0]
    assert services.methods_called() == []


def test_json_nested_within_the_limit_reaches_the_schema(client, services, writer):
    response = client.post(
        "/api/networks/",
        data=deep(MAX_JSON_DEPTH - 2),
        content_type="application/json",
        headers=writer,
    )
    assert response.status_code == 422
    assert "name" in response.json["error"]["fields"]


class CountingStream(io.RawIOBase):
    """An endless body that counts what the server read of it."""

    def __init__(self):
        self.read_bytes = 0

    def readable(self):
        return True

    def readinto(self, buffer):
        n = len(buffer)
        buffer[:n] = b" " * n
        self.read_bytes += n
        return n


def test_a_20_mb_body_is_413_before_it_is_read(client, services, writer):
    body = CountingStream()
    response = client.post(
        "/api/networks/",
        content_type="application/json",
        headers=writer,
        environ_overrides={"wsgi.input": body, "CONTENT_LENGTH": str(20 * 1024 * 1024)},
    )
    assert response.status_code == 413
    assert response.json["error"]["code"] == "too_large"
    assert body.read_bytes == 0
    assert services.methods_called() == []


def test_a_chunked_body_is_cut_off_at_the_limit(services, mail_dir, writer):
    limit = 64 * 1024
    app = create_app(
        {"TESTING": True, "MAIL_DIR": str(mail_dir), "MAX_CONTENT_LENGTH": limit}, rpc=services
    )
    body = CountingStream()
    # No Content-Length: the server (gunicorn) ends a chunked stream and says so.
    response = app.test_client().post(
        "/api/networks/",
        content_type="application/json",
        headers=writer,
        environ_overrides={
            "wsgi.input": body,
            "HTTP_TRANSFER_ENCODING": "chunked",
            "wsgi.input_terminated": True,
        },
    )
    assert response.status_code == 413
    assert body.read_bytes <= 2 * limit
    assert services.methods_called() == []


def test_the_default_limit_fits_a_csv_import_and_refuses_20_mb(app):
    assert 3 * 1024 * 1024 <= app.config["MAX_CONTENT_LENGTH"] < 20 * 1024 * 1024


@pytest.mark.parametrize("offset", [2**63, 2**63 - 1, 10**30, -1])
def test_an_offset_beyond_what_is_sane_is_422(client, services, coordinator, offset):
    response = client.get(
        f"/api/offers/{uuid.uuid4()}/waiting-list?offset={offset}&purpose=test",
        headers=coordinator,
    )
    assert response.status_code == 422
    assert "offset" in response.json["error"]["fields"]
    assert ("cases", "waiting_list") not in services.methods_called()
