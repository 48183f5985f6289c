"""The JSON API maps requests to RPCs and answers to HTTP, with one error format."""

import datetime as dt
import uuid

import pytest

from verband_common.errors import Conflict, Forbidden, NotFound, Unauthenticated, ValidationFailed
from verband_gateway.rpc import ServiceUnavailable

OFFER = {
    "organisation_id": str(uuid.uuid4()),
    "title": "Gezinscoaching",
    "kind": "family_coaching",
    "capacity": 10,
    "free_places": 2,
    "municipalities": ["44083"],
}


def referral(offer, **over):
    body = {
        "offer_id": offer,
        "source_sector": "ocmw",
        "municipality": "44083",
        "concern": "some",
        "question": "Hulp bij de opvoeding.",
        "household": {
            "carers": [{"name": "An"}],
            "children": [{"first_name": "Lotte", "birth_date": "2018-03-02"}],
        },
        "consent": {"given_by": "An", "given_on": "2026-11-20", "sharing": ["network_partners"]},
    }
    body.update(over)
    return body


def test_create_network_forwards_the_payload_correlation_id_and_actor(
    client, services, network, admin
):
    row = network
    services.answer("partners", "create_network", lambda payload: {**row, **payload})
    response = client.post(
        "/api/networks/",
        json={"name": row["name"], "kind": "RTJ", "region": row["region"]},
        headers={"X-Correlation-ID": "abc123", **admin},
    )
    assert response.status_code == 201
    assert response.json["id"] == row["id"]
    assert response.headers["X-Correlation-ID"] == "abc123"
    resolve, create = services.calls
    # Resolving who asks is the one call that acts for nobody.
    assert (resolve.method, resolve.actor) == ("resolve_session", None)
    assert (create.service, create.method, create.correlation_id) == (
        "partners",
        "create_network",
        "abc123",
    )
    assert create.actor.startswith("person:")
    sent = create.args[0]
    assert (sent["name"], sent["kind"], sent["region"]) == (row["name"], "RTJ", row["region"])
    assert sent["settings"]["pickup_guideline_days"] == 30  # the schema's default, filled in


def test_a_correlation_id_is_made_when_none_or_a_bad_one_is_given(client, services, admin):
    services.answer("partners", "list_networks", [])
    first = client.get("/api/networks/", headers=admin).headers["X-Correlation-ID"]
    second = client.get("/api/networks/", headers={"X-Correlation-ID": "x; drop", **admin}).headers[
        "X-Correlation-ID"
    ]
    assert len(first) == 32 and first != second and second != "x; drop"


@pytest.mark.parametrize(
    "body, field",
    [
        ({"kind": "RTJ", "region": "Deinze"}, "name"),
        ({"name": "", "kind": "RTJ", "region": "Deinze"}, "name"),
        ({"name": "X", "kind": "nope", "region": "Deinze"}, "kind"),
        ({"name": "X", "kind": "RTJ", "region": "Deinze", "colour": "red"}, "colour"),
        ({"name": 5, "kind": "RTJ", "region": "Limburg"}, "name"),
        ({"name": "X", "kind": "RTJ", "region": "Deinze"}, "region"),
        (
            {"name": "X", "kind": "RTJ", "region": "Limburg", "municipalities": ["1"]},
            "municipalities.0",
        ),
        (
            {"name": "X", "kind": "RTJ", "region": "Limburg", "settings": {"targets": [{}]}},
            "settings.targets.0.code",
        ),
    ],
)
def test_bad_network_input_is_422_naming_the_field_and_reaches_no_service(
    client, services, admin, body, field
):
    response = client.post("/api/networks/", json=body, headers=admin)
    assert response.status_code == 422
    error = response.json["error"]
    assert error["code"] == "validation_failed"
    assert field in error["fields"]
    assert services.methods_called() == [("partners", "resolve_session")]


def test_malformed_json_is_400(client, services, admin):
    response = client.post(
        "/api/networks/", data="{nope", content_type="application/json", headers=admin
    )
    assert response.status_code == 400
    assert response.json["error"]["code"] == "bad_request"
    assert response.json["error"]["fields"] == {"_body": ["Geen geldige JSON."]}
    assert services.methods_called() == [("partners", "resolve_session")]


def test_a_json_array_is_422(client, services, admin):
    response = client.post("/api/networks/", json=[1, 2], headers=admin)
    assert response.status_code == 422
    assert "_schema" in response.json["error"]["fields"]
    assert services.methods_called() == [("partners", "resolve_session")]


@pytest.mark.parametrize(
    "body, field",
    [
        ({**OFFER, "capacity": -1}, "capacity"),
        ({**OFFER, "free_places": 11}, "free_places"),
        ({**OFFER, "municipalities": ["4408"]}, "municipalities.0"),
        ({**OFFER, "municipalities": []}, "municipalities"),
        ({**OFFER, "capacity": "10"}, "capacity"),
    ],
)
def test_bad_offer_input(client, services, network, coordinator, body, field):
    response = client.post(f"/api/networks/{network['id']}/offers", json=body, headers=coordinator)
    assert response.status_code == 422
    assert field in response.json["error"]["fields"]
    assert services.methods_called() == [("partners", "resolve_session")]


@pytest.mark.parametrize(
    "over, field",
    [
        (
            {
                "household": {
                    "carers": [{"name": "An"}],
                    "children": [
                        {
                            "first_name": "Lotte",
                            "birth_date": (dt.date.today() + dt.timedelta(days=3)).isoformat(),
                        }
                    ],
                }
            },
            "household.children.0.birth_date",
        ),
        (
            {
                "household": {
                    "carers": [{"name": "An"}],
                    "children": [{"first_name": "Jan", "birth_date": "1990-01-01"}],
                }
            },
            "household.children.0.birth_date",
        ),
        ({"household": {"carers": [], "children": []}}, "household.carers"),
        ({"offer_id": "not-a-uuid"}, "offer_id"),
        ({"municipality": "Deinze"}, "municipality"),
        ({"concern": "a lot"}, "concern"),
        (
            {"consent": {"given_by": "An", "given_on": "2026-11-20", "sharing": ["everyone"]}},
            "consent.sharing.0",
        ),
    ],
)
def test_bad_referral_input(client, services, network, coordinator, over, field):
    response = client.post(
        f"/api/networks/{network['id']}/referrals",
        json=referral(str(uuid.uuid4()), **over),
        headers=coordinator,
    )
    assert response.status_code == 422
    assert field in response.json["error"]["fields"]
    assert services.methods_called() == [("partners", "resolve_session")]


def test_a_referral_without_consent_is_refused(client, services, network, coordinator):
    body = referral(str(uuid.uuid4()))
    del body["consent"]
    response = client.post(
        f"/api/networks/{network['id']}/referrals", json=body, headers=coordinator
    )
    assert response.status_code == 422
    assert response.json["error"]["fields"]["consent"] == ["Dit veld is verplicht."]


def test_a_bad_id_in_the_path_is_404_without_a_call(client, services, admin):
    assert client.get("/api/networks/not-a-uuid", headers=admin).status_code == 404
    assert services.calls == []


@pytest.mark.parametrize(
    "exc, status, code",
    [
        (
            ValidationFailed("De invoer is ongeldig.", {"offer_id": ["Onbekend aanbod."]}),
            422,
            "validation_failed",
        ),
        (
            NotFound("Dit netwerk bestaat niet.", {"network_id": ["Onbekend netwerk."]}),
            404,
            "not_found",
        ),
        (Conflict("Bestaat al.", {"name": ["In gebruik."]}), 409, "conflict"),
        (Forbidden("Dat mag je niet."), 403, "forbidden"),
        (Unauthenticated("Je sessie is verlopen."), 401, "unauthenticated"),
        (ServiceUnavailable("De berichtenbus is niet bereikbaar."), 503, "service_unavailable"),
    ],
)
def test_service_errors_map_to_http(client, services, network, coordinator, exc, status, code):
    services.fail("cases", "receive_referral", exc)
    response = client.post(
        f"/api/networks/{network['id']}/referrals",
        json=referral(str(uuid.uuid4())),
        headers=coordinator,
    )
    assert response.status_code == status
    assert response.json["error"]["code"] == code
    assert response.json["error"]["message"] == exc.message
    assert response.json["error"].get("fields", {}) == exc.fields


def test_referral_count_answer_is_checked_against_its_contract(
    client, services, network, coordinator
):
    services.answer(
        "reporting",
        "referral_count",
        {"network_id": network["id"], "referrals": 3, "last_event_at": network["created_at"]},
    )
    url = f"/api/networks/{network['id']}/indicators/referrals"
    response = client.get(url, headers=coordinator)
    assert response.status_code == 200
    assert response.json["referrals"] == 3

    # An answer that breaks the contract is the service's fault, reported as such.
    services.answer("reporting", "referral_count", {"network_id": network["id"]})
    response = client.get(url, headers=coordinator)
    assert response.status_code == 502
    assert response.json["error"]["code"] == "bad_service_answer"
