"""The partners part of the JSON API: what reaches the service, and bad input refused before."""

import io
import uuid

import pytest

from verband_common.errors import Conflict, ValidationFailed

ORG = str(uuid.uuid4())
KBO = "0123456749"
OFFER = {
    "organisation_id": ORG,
    "title": "Gezinscoaching",
    "kind": "family_coaching",
    "capacity": 10,
    "free_places": 2,
    "municipalities": ["44083"],
}

AGREEMENT = {
    "title": "Volumeafspraak OCJ",
    "kind": "mandated_body",
    "parties": [{"name": "OCJ Oost-Vlaanderen"}],
    "starts_on": "2026-01-01",
    "agreed_number": 12,
}
TASK_GROUP = {"name": "Kansarmoede", "theme": "poverty", "mandate": "Drempels wegwerken."}

# (method, path, bad body, the field named). {net} is a network the caller coordinates.
BAD_INPUT = [
    ("post", "/api/networks/", {"name": "X", "kind": "RTJ", "region": "Gent"}, "region"),
    (
        "patch",
        "/api/networks/{net}/settings",
        {"pickup_guideline_days": 0},
        "pickup_guideline_days",
    ),
    (
        "patch",
        "/api/networks/{net}/settings",
        {"waiting_weights": {"waiting_days": -1, "concern": 1, "multiproblem": 1}},
        "waiting_weights.waiting_days",
    ),
    (
        "patch",
        "/api/networks/{net}/settings",
        {"targets": [{"code": "extra", "label": "Extra", "value": 200, "period": "week"}]},
        "targets.0.period",
    ),
    ("post", "/api/organisations", {"name": "CAW", "kbo": "0123456748", "sector": "caw"}, "kbo"),
    ("post", "/api/organisations", {"name": "CAW", "kbo": KBO, "sector": "bakker"}, "sector"),
    ("post", "/api/organisations", {"name": "CAW", "kbo": "12345", "sector": "caw"}, "kbo"),
    ("post", "/api/organisations", {"kbo": KBO, "sector": "caw"}, "name"),
    (
        "post",
        "/api/organisations",
        {"name": "CAW", "kbo": KBO, "sector": "caw", "contact": {"email": "nope"}},
        "contact.email",
    ),
    ("patch", f"/api/organisations/{ORG}", {"municipalities": ["9"]}, "municipalities.0"),
    ("patch", f"/api/organisations/{ORG}", {"colour": "red"}, "colour"),
    (
        "post",
        "/api/networks/{net}/memberships",
        {"organisation_id": ORG, "role": "boss", "starts_on": "2026-01-01"},
        "role",
    ),
    (
        "post",
        "/api/networks/{net}/memberships",
        {
            "organisation_id": ORG,
            "role": "partner",
            "starts_on": "2026-02-01",
            "ends_on": "2026-01-01",
        },
        "ends_on",
    ),
    ("post", f"/api/networks/{{net}}/memberships/{ORG}/end", {"ends_on": "morgen"}, "ends_on"),
    ("post", "/api/networks/{net}/invitations", {"name": "Bert", "email": "bert"}, "email"),
    (
        "post",
        "/api/networks/{net}/invitations",
        {"name": "Bert", "email": "bert@example.be", "password": "kort"},
        "password",
    ),
    (
        "post",
        "/api/networks/{net}/invitations",
        {"name": "Bert\nBcc: x@example.be", "email": "bert@example.be"},
        "name",
    ),
    (
        "post",
        "/api/networks/{net}/invitations",
        {"name": "Bert", "email": "bert@example.be\r\nBcc: x@example.be"},
        "email",
    ),
    (
        "post",
        "/api/networks/{net}/invitations",
        {"name": "Bert", "email": "bert@example.be", "roles": ["king"]},
        "roles.0",
    ),
    ("post", f"/api/networks/{{net}}/people/{ORG}/roles", {"role": "king"}, "role"),
    ("put", "/api/me/password", {"current_password": "x", "new_password": "kort"}, "new_password"),
    ("put", "/api/me/password", {"new_password": "een lang wachtwoord"}, "current_password"),
    ("post", "/api/networks/{net}/offers", {**OFFER, "kind": "therapy"}, "kind"),
    ("post", "/api/networks/{net}/offers", {**OFFER, "organisation_id": None}, "organisation_id"),
    (
        "post",
        "/api/networks/{net}/offers",
        {**OFFER, "target_ages": {"min": 12, "max": 6}},
        "target_ages.min",
    ),
    ("post", "/api/networks/{net}/offers", {**OFFER, "rtj": "maybe"}, "rtj"),
    ("patch", f"/api/offers/{ORG}", {"free_places": -1}, "free_places"),
    ("patch", f"/api/offers/{ORG}", {"status": "closed"}, "status"),
    ("patch", f"/api/offers/{ORG}", {"capacity": 2, "free_places": 3}, "free_places"),
    ("patch", f"/api/offers/{ORG}", {}, "_schema"),
    ("post", "/api/networks/{net}/agreements", {**AGREEMENT, "kind": "handshake"}, "kind"),
    ("post", "/api/networks/{net}/agreements", {**AGREEMENT, "parties": []}, "parties"),
    (
        "post",
        "/api/networks/{net}/agreements",
        {**AGREEMENT, "ends_on": "2025-01-01"},
        "ends_on",
    ),
    ("patch", f"/api/agreements/{ORG}", {"agreed_number": -3}, "agreed_number"),
    ("patch", f"/api/agreements/{ORG}", {}, "_schema"),
    ("post", f"/api/agreements/{ORG}/follow-ups", {"notes": "Op schema."}, "held_on"),
    ("post", "/api/networks/{net}/task-groups", {**TASK_GROUP, "theme": "sport"}, "theme"),
    ("post", "/api/networks/{net}/task-groups", {"name": "X", "theme": "poverty"}, "mandate"),
    ("patch", f"/api/task-groups/{ORG}", {"members": ["nope"]}, "members.0"),
    ("post", "/api/networks/{net}/tokens", {"role": "referrer"}, "label"),
    ("post", "/api/auth/login", {"email": "an@example.be", "password": ""}, "password"),
]


@pytest.mark.parametrize(
    "method, path, body, field", BAD_INPUT, ids=[f"{m} {p} {f}" for m, p, _, f in BAD_INPUT]
)
def test_bad_input_is_422_naming_the_field_before_any_service_call(
    client, services, bearer, network, method, path, body, field
):
    headers = bearer({network["id"]: ["network_admin", "coordinator"]}, platform_admin=True)
    response = getattr(client, method)(path.format(net=network["id"]), json=body, headers=headers)
    assert response.status_code == 422, response.json
    assert response.json["error"]["code"] == "validation_failed"
    assert field in response.json["error"]["fields"]
    assert set(services.methods_called()) <= {("partners", "resolve_session")}


def test_offer_filters_are_checked_and_passed_on(client, services, coordinator, network):
    url = f"/api/networks/{network['id']}/offers"
    response = client.get(
        url + "?municipality=44083&age=7&kind=family_coaching&has_free_places=true",
        headers=coordinator,
    )
    assert response.status_code == 200
    assert services.calls_to("list_offers")[0].args[1] == {
        "municipality": "44083",
        "age": 7,
        "kind": "family_coaching",
        "has_free_places": True,
    }
    bad = client.get(url + "?age=40&municipality=Gent", headers=coordinator)
    assert bad.status_code == 422
    assert {"age", "municipality"} <= set(bad.json["error"]["fields"])


def test_a_referrer_searches_the_regions_offer(client, services, bearer, network):
    referrer = bearer({network["id"]: ["referrer"]})
    row = services.defaults[("partners", "search_region_offer")](None)[0]
    elsewhere = {**row, "organisation_name": "CAW Halle-Vilvoorde"}
    services.answer("partners", "search_region_offer", [elsewhere])
    response = client.get(
        "/api/offers/search?municipality=23002&has_free_places=1", headers=referrer
    )
    assert response.status_code == 200
    assert response.json[0]["organisation_name"] == "CAW Halle-Vilvoorde"
    call = services.calls_to("search_region_offer")[0]
    assert call.args == ({"municipality": "23002", "has_free_places": True},)
    assert call.actor.startswith("person:")


def test_a_partner_worker_updates_free_places(client, services, bearer, network):
    worker = bearer({network["id"]: ["partner_worker"]})
    offer_id = str(uuid.uuid4())
    response = client.patch(
        f"/api/offers/{offer_id}",
        json={"free_places": 0, "can_start_from": "2027-01-15"},
        headers=worker,
    )
    assert response.status_code == 200
    call = services.calls_to("update_offer")[0]
    assert call.args == (offer_id, {"free_places": 0, "can_start_from": "2027-01-15"})


def test_organisation_is_passed_as_given(client, services, bearer):
    headers = bearer({str(uuid.uuid4()): ["coordinator"]})
    body = {
        "name": "CAW Oost-Vlaanderen",
        "kbo": KBO,
        "sector": "caw",
        "municipalities": ["44083"],
        "contact": {"email": "info@caw.be", "phone": "09 123 45 67"},
    }
    response = client.post("/api/organisations", json=body, headers=headers)
    assert response.status_code == 201
    (sent,) = services.calls_to("create_organisation")[0].args
    assert {k: sent[k] for k in body if k != "contact"} == {
        k: v for k, v in body.items() if k != "contact"
    }
    assert sent["contact"]["phone"] == "09 123 45 67"


def test_an_enterprise_number_may_be_written_with_dots(client, services, coordinator):
    response = client.post(
        "/api/organisations",
        json={"name": "CAW", "kbo": "BE 0123.456.749", "sector": "caw"},
        headers=coordinator,
    )
    assert response.status_code == 201


def test_a_duplicate_kbo_is_the_services_409(client, services, coordinator):
    services.fail(
        "partners",
        "create_organisation",
        Conflict("Deze organisatie bestaat al.", {"kbo": ["Dit KBO-nummer is al in gebruik."]}),
    )
    response = client.post(
        "/api/organisations", json={"name": "CAW", "kbo": KBO, "sector": "caw"}, headers=coordinator
    )
    assert response.status_code == 409
    assert response.json["error"]["fields"] == {"kbo": ["Dit KBO-nummer is al in gebruik."]}


def test_agreements_and_the_services_field_errors(client, services, coordinator, network):
    url = f"/api/networks/{network['id']}/agreements"
    created = client.post(url, json=AGREEMENT, headers=coordinator)
    assert created.status_code == 201
    assert created.json["parties"][0]["name"] == "OCJ Oost-Vlaanderen"
    nid, sent = services.calls_to("record_agreement")[0].args
    assert nid == network["id"] and sent["agreed_number"] == 12

    # What only the service can know (is that organisation a party it knows?) comes back 422.
    services.fail(
        "partners",
        "record_agreement",
        ValidationFailed(
            "Onbekende partij.", {"parties.0.organisation_id": ["Onbekende organisatie."]}
        ),
    )
    body = {**AGREEMENT, "parties": [{"organisation_id": str(uuid.uuid4()), "name": "X"}]}
    refused = client.post(url, json=body, headers=coordinator)
    assert refused.status_code == 422
    assert refused.json["error"]["fields"] == {
        "parties.0.organisation_id": ["Onbekende organisatie."]
    }


def test_a_follow_up_answers_the_agreement(client, services, coordinator):
    agreement_id = str(uuid.uuid4())
    response = client.post(
        f"/api/agreements/{agreement_id}/follow-ups",
        json={
            "held_on": "2026-11-20",
            "notes": "Vijf gezinnen sneller geholpen.",
            "used_number": 5,
        },
        headers=coordinator,
    )
    assert response.status_code == 201
    assert response.json["follow_ups"][0]["notes"] == "Vijf gezinnen sneller geholpen."


def test_gaps_and_hsds_export(client, services, coordinator, network):
    gaps = client.get(f"/api/networks/{network['id']}/gaps", headers=coordinator)
    assert gaps.status_code == 200
    assert gaps.json["uncovered"][0]["municipality_name"] == "Deinze"
    hsds = {
        "total_items": 1,
        "total_pages": 1,
        "page_number": 1,
        "size": 1,
        "first_page": True,
        "last_page": True,
        "empty": False,
        "contents": [{"id": "s1", "name": "Gezinscoaching", "organization": {"id": "o1"}}],
    }
    services.answer("partners", "export_hsds", hsds)
    export = client.get(f"/api/networks/{network['id']}/hsds.json", headers=coordinator)
    assert export.status_code == 200 and export.json == hsds


CSV = "name,kbo,sector\nCAW,0123456749,caw\nCGG,0987654321,cgg\n"


def test_csv_import_as_a_text_body_is_a_dry_run_unless_told(client, services, coordinator, network):
    url = f"/api/networks/{network['id']}/imports/organisations"
    response = client.post(url, data=CSV, content_type="text/csv", headers=coordinator)
    assert response.status_code == 200 and response.json["dry_run"] is True
    assert services.calls_to("import_csv")[0].args == (network["id"], "organisations", CSV, True)

    response = client.post(
        url + "?dry_run=false", data=CSV, content_type="text/csv", headers=coordinator
    )
    assert response.json["created"] == 2
    assert services.calls_to("import_csv")[1].args[3] is False


def test_csv_import_as_a_file_upload_with_a_byte_order_mark(client, services, coordinator, network):
    response = client.post(
        f"/api/networks/{network['id']}/imports/offer?dry_run=true",
        data={"file": (io.BytesIO(b"\xef\xbb\xbf" + CSV.encode()), "aanbod.csv")},
        content_type="multipart/form-data",
        headers=coordinator,
    )
    assert response.status_code == 200
    assert services.calls_to("import_csv")[0].args[1:3] == ("offer", CSV)


@pytest.mark.parametrize(
    "data, content_type",
    [
        ('{"rows": []}', "application/json"),
        ("", "text/csv"),
        ("naam\nCaf\xe9".encode("latin-1"), "text/csv"),
    ],
)
def test_csv_import_refuses_what_is_no_csv(
    client, services, coordinator, network, data, content_type
):
    response = client.post(
        f"/api/networks/{network['id']}/imports/organisations",
        data=data,
        content_type=content_type,
        headers=coordinator,
    )
    assert response.status_code == 422
    assert "_body" in response.json["error"]["fields"]
    assert services.calls_to("import_csv") == []


def test_an_unknown_import_kind_is_404(client, services, coordinator, network):
    response = client.post(
        f"/api/networks/{network['id']}/imports/families",
        data=CSV,
        content_type="text/csv",
        headers=coordinator,
    )
    assert response.status_code == 404


def test_municipalities_are_public(client, services):
    response = client.get("/api/municipalities")
    assert response.json == services.defaults[("partners", "list_municipalities")]()
    assert services.calls[0].actor is None


def test_answers_that_break_the_contract_are_502(client, services, coordinator, network):
    services.answer("partners", "gaps", {"uncovered": "none"})
    response = client.get(f"/api/networks/{network['id']}/gaps", headers=coordinator)
    assert response.status_code == 502
