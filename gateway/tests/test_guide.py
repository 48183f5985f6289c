"""The public offer guide in the gateway: pages and HSDS API without sign-in, Dutch errors
next to the field, 422 naming the field on the API, a budget per client address."""

import uuid

import pytest

from verband_common.errors import NotFound, ValidationFailed
from verband_gateway import create_app

OFFER_ID = str(uuid.uuid4())
COACHING = {
    "id": OFFER_ID,
    "title": "Gezinscoaching De Tafels",
    "description": "Een gezinscoach als één aanspreekpunt.",
    "kind": "family_coaching",
    "rtj": "RTJ",
    "target_ages": {"min": 0, "max": 18},
    "situations": ["opvoedingsvragen"],
    "municipalities": [{"nis": "43005", "name": "Eeklo"}],
    "organisation_name": "Kern De Tafels",
    "address": {"street": "Zuidmoerstraat 136", "postcode": "9900", "city": "Eeklo"},
    "opening_hours": "Maandag tot vrijdag, 9 tot 16 uur.",
    "contact_phone": "09 376 70 00",
    "contact_email": "gezinscoaching@detafels.be",
    "languages": ["nl", "fr"],
    "cost": "Gratis",
    "referral": "Zelf bellen, of via je huisarts, het CLB of Kind en Gezin.",
    "wait_band": "1_to_3_months",
    "updated_at": "2026-11-23T10:00:00+00:00",
}
UNKNOWN = ValidationFailed(
    "Deze gemeente kennen we niet.", {"municipality": ["Geen Vlaamse gemeente of postcode."]}
)


@pytest.fixture
def guide(services):
    services.answers[("partners", "public_offers")] = lambda query: {
        "municipality": {"nis": "43005", "name": "Eeklo"},
        "offers": [COACHING],
    }
    services.answers[("partners", "public_offer")] = lambda offer_id: COACHING
    services.answers[("partners", "public_services")] = lambda query: {
        "total_items": 1,
        "total_pages": 1,
        "page_number": 1,
        "size": 1,
        "first_page": True,
        "last_page": True,
        "empty": False,
        "contents": [{"id": OFFER_ID, "name": "Gezinscoaching De Tafels", "status": "active"}],
    }
    services.answers[("partners", "public_service")] = lambda offer_id: {
        "id": offer_id,
        "name": "Gezinscoaching De Tafels",
        "status": "active",
        "wait_time": "1 tot 3 maanden",
    }
    return services


def test_a_resident_searches_without_signing_in(client, guide):
    page = client.get("/aanbodgids?municipality=Eeklo&age=2&kind=family_coaching&concern=")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Gezinscoaching De Tafels" in html and "1 tot 3 maanden" in html
    assert "in Eeklo" in html
    [call] = guide.calls_to("public_offers")
    # The empty concern is not sent; the age goes as a number; nobody acts.
    assert call.args == ({"municipality": "Eeklo", "age": 2, "kind": "family_coaching"},)
    assert call.actor is None
    assert "Cache-Control" not in page.headers or "no-store" not in page.headers["Cache-Control"]


def test_the_empty_form_asks_nothing_of_the_service(client, guide):
    page = client.get("/aanbodgids")
    assert page.status_code == 200
    assert 'for="f-municipality"' in page.get_data(as_text=True)
    assert guide.calls_to("public_offers") == []


def test_an_unknown_municipality_is_shown_next_to_the_field(client, guide):
    guide.errors[("partners", "public_offers")] = UNKNOWN
    page = client.get("/aanbodgids?municipality=Atlantis")
    assert page.status_code == 422
    html = page.get_data(as_text=True)
    assert 'id="e-municipality"' in html and "Geen Vlaamse gemeente of postcode." in html
    assert 'value="Atlantis"' in html


def test_the_offer_page_shows_every_public_field_and_prints(client, guide):
    page = client.get(f"/aanbodgids/{OFFER_ID}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for shown in (
        "Kern De Tafels",
        "Zuidmoerstraat 136, 9900 Eeklo",
        "Maandag tot vrijdag, 9 tot 16 uur.",
        "09 376 70 00",
        "Nederlands, Frans",
        "Gratis",
        "Zelf bellen, of via je huisarts",
        "1 tot 3 maanden",
    ):
        assert shown in html, shown
    assert "guide.css" in html and "print.js" in html


def test_an_offer_not_in_the_guide_is_404(client, guide):
    guide.errors[("partners", "public_offer")] = NotFound("Dit aanbod bestaat niet.")
    assert client.get(f"/aanbodgids/{OFFER_ID}").status_code == 404


def test_the_hsds_api_answers_without_sign_in(client, guide):
    page = client.get("/api/public/hsds/services?municipality=9900&age=2")
    assert page.status_code == 200
    assert page.json["contents"][0]["id"] == OFFER_ID
    assert guide.calls_to("public_services")[0].args == ({"municipality": "9900", "age": 2},)
    one = client.get(f"/api/public/hsds/services/{OFFER_ID}")
    assert one.status_code == 200 and one.json["wait_time"] == "1 tot 3 maanden"


def test_the_hsds_api_refuses_bad_queries_naming_the_field(client, guide):
    bad = client.get("/api/public/hsds/services?age=abc&kind=magic&capacity=1")
    assert bad.status_code == 422
    assert set(bad.json["error"]["fields"]) == {"age", "kind", "capacity"}
    assert guide.calls_to("public_services") == []
    guide.errors[("partners", "public_services")] = UNKNOWN
    unknown = client.get("/api/public/hsds/services?municipality=Atlantis")
    assert unknown.status_code == 422
    assert set(unknown.json["error"]["fields"]) == {"municipality"}


def test_the_hsds_api_is_read_only(client, guide):
    for method in ("post", "put", "patch", "delete"):
        assert getattr(client, method)("/api/public/hsds/services").status_code == 405


def test_each_client_address_has_a_budget_per_minute(services, mail_dir, guide):
    app = create_app(
        {"TESTING": True, "MAIL_DIR": str(mail_dir), "PUBLIC_RATE_LIMIT": 3}, rpc=services
    )
    client = app.test_client()
    here = {"REMOTE_ADDR": "192.0.2.1"}
    for _ in range(3):
        assert client.get("/api/public/hsds/services", environ_base=here).status_code == 200
    refused = client.get("/api/public/hsds/services", environ_base=here)
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "60"
    assert refused.json["error"]["code"] == "too_many_requests"
    # The pages share the budget, in Dutch; another address has its own.
    page = client.get("/aanbodgids", environ_base=here)
    assert page.status_code == 429 and "Te veel verzoeken" in page.get_data(as_text=True)
    other = {"REMOTE_ADDR": "192.0.2.2"}
    assert client.get("/api/public/hsds/services", environ_base=other).status_code == 200


def test_the_budget_starts_again_each_minute():
    from verband_gateway.guide.limits import Budget

    now = [120.0]
    budget = Budget(clock=lambda: now[0])
    assert [budget.spend("a", 2) for _ in range(3)] == [True, True, False]
    now[0] = 180.0
    assert budget.spend("a", 2) is True


def test_the_hsds_api_is_in_the_openapi_document(client):
    spec = client.get("/api/openapi.json").json
    assert "/api/public/hsds/services" in spec["paths"]
    assert "/api/public/hsds/services/{service_id}" in spec["paths"]
    get = spec["paths"]["/api/public/hsds/services"]["get"]
    assert {p["name"] for p in get["parameters"]} >= {"municipality", "age", "kind", "concern"}
    assert "429" in get["responses"]
