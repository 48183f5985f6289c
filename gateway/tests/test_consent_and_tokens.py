"""The organisation's consent (link requests, its own admins) and the API tokens' lifetime,
as the gateway passes them on and refuses what it can itself."""

import datetime as dt
import time
import uuid

KBO = "0123456749"


def test_an_organisation_is_registered_only_for_a_network_of_ones_own(
    client, services, coordinator, network
):
    body = {"name": "CAW", "kbo": KBO, "sector": "caw"}
    other = client.post(
        "/api/organisations", json={**body, "network_id": str(uuid.uuid4())}, headers=coordinator
    )
    assert other.status_code == 404 and services.calls_to("create_organisation") == []
    own = client.post(
        "/api/organisations", json={**body, "network_id": network["id"]}, headers=coordinator
    )
    assert own.status_code == 201
    (sent,) = services.calls_to("create_organisation")[0].args
    assert sent["network_id"] == network["id"]


def test_a_link_request_reaches_the_service_and_bad_terms_do_not(
    client, services, coordinator, network
):
    url = f"/api/networks/{network['id']}/organisation-links"
    bad = client.post(url, json={"kbo": "12345", "role": "boss"}, headers=coordinator)
    assert bad.status_code == 422
    assert {"kbo", "role", "starts_on"} <= set(bad.json["error"]["fields"])
    terms = {"kbo": "BE 0123.456.749", "role": "partner", "starts_on": "2026-01-01"}
    asked = client.post(url, json=terms, headers=coordinator)
    assert asked.status_code == 201 and asked.json["status"] == "pending"
    nid, sent = services.calls_to("request_organisation_link")[0].args
    assert nid == network["id"] and sent["role"] == "partner" and sent["message"] == ""
    assert client.get(url, headers=coordinator).status_code == 200


def test_a_decision_is_accept_or_refuse(client, services, bearer):
    someone = bearer({str(uuid.uuid4()): ["partner_worker"]})
    url = f"/api/organisation-links/{uuid.uuid4()}/decision"
    assert client.post(url, json={"decision": "maybe"}, headers=someone).status_code == 422
    assert services.calls_to("decide_organisation_link") == []
    decided = client.post(url, json={"decision": "accept"}, headers=someone)
    assert decided.status_code == 200 and decided.json["status"] == "accepted"
    assert client.get("/api/organisation-links", headers=someone).status_code == 200


def test_a_token_shows_its_expiry_and_is_refused_after_it(client, services, bearer, network):
    referrer = bearer({network["id"]: ["referrer"]})
    url = f"/api/networks/{network['id']}/tokens"
    soon = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1)
    issued = client.post(
        url,
        json={"role": "referrer", "label": "Kort", "expires_at": soon.isoformat()},
        headers=referrer,
    )
    assert issued.status_code == 201
    assert dt.datetime.fromisoformat(issued.json["expires_at"]) == soon
    as_token = {"Authorization": f"Bearer {issued.json['token']}"}
    assert client.get("/api/auth/me", headers=as_token).status_code == 200
    time.sleep(1.2)
    # The gateway keeps principals a few seconds, but never past a token's expiry.
    assert client.get("/api/auth/me", headers=as_token).status_code == 401


def test_a_token_lifetime_must_be_a_moment_with_its_time_zone(client, services, bearer, network):
    referrer = bearer({network["id"]: ["referrer"]})
    response = client.post(
        f"/api/networks/{network['id']}/tokens",
        json={"role": "referrer", "label": "X", "expires_at": "volgende week"},
        headers=referrer,
    )
    assert response.status_code == 422 and "expires_at" in response.json["error"]["fields"]
    assert services.calls_to("issue_api_token") == []


# --- the portal's pages --------------------------------------------------------------------


def test_the_token_page_offers_only_ones_own_roles_and_shows_the_expiry(
    client, services, network, portal_sign_in, page_token
):
    portal_sign_in({network["id"]: ["referrer"]})
    page = client.get("/api-sleutels").get_data(as_text=True)
    assert 'value="referrer"' in page and 'value="network_admin"' not in page
    day = dt.date.today() + dt.timedelta(days=10)
    response = client.post(
        "/api-sleutels",
        data={
            "csrf_token": page_token("/api-sleutels"),
            "label": "Koppeling OCMW",
            "role": "referrer",
            "expires_on": day.strftime("%d/%m/%Y"),
        },
    )
    shown = response.get_data(as_text=True)
    assert response.status_code == 200, shown
    assert "vbt_" in shown and day.strftime("%d/%m/%Y") in shown
    (call,) = services.calls_to("issue_api_token")
    nid, role, label, expires_at = call.args
    assert (nid, role, label) == (network["id"], "referrer", "Koppeling OCMW")
    # The start of that day in Brussels.
    moment = dt.datetime.fromisoformat(expires_at)
    assert moment.date() == day and moment.time() == dt.time(0, 0)
    assert moment.utcoffset() in (dt.timedelta(hours=1), dt.timedelta(hours=2))


def test_the_services_refusal_of_a_role_shows_on_the_token_page(
    client, services, network, portal_sign_in, page_token
):
    from verband_common.errors import Forbidden

    portal_sign_in({network["id"]: ["coordinator"]})
    services.fail("partners", "issue_api_token", Forbidden("Alleen een rol die je zelf hebt."))
    response = client.post(
        "/api-sleutels",
        data={"csrf_token": page_token("/api-sleutels"), "label": "X", "role": "coordinator"},
    )
    assert response.status_code == 403
    assert "Alleen een rol die je zelf hebt." in response.get_data(as_text=True)


def test_an_organisation_that_exists_already_is_asked_for_a_link(
    client, services, network, portal_sign_in, page_token
):
    from verband_common.errors import Conflict

    portal_sign_in({network["id"]: ["coordinator"]})
    services.fail(
        "partners",
        "create_organisation",
        Conflict("Deze organisatie bestaat al op Verband.", {"kbo": ["Bestaat al."]}),
    )
    form = {
        "name": "CAW",
        "kbo": "0123.456.749",
        "sector": "caw",
        "membership_role": "partner",
        "starts_on": "01/01/2026",
    }
    response = client.post(
        "/organisaties", data={**form, "csrf_token": page_token("/organisaties")}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 409 and "Koppeling aanvragen" in page
    (created,) = services.calls_to("create_organisation")
    assert created.args[0]["network_id"] == network["id"]
    asked = client.post(
        "/organisaties/koppeling",
        data={
            "csrf_token": page_token("/organisaties"),
            "kbo": form["kbo"],
            "membership_role": "partner",
            "starts_on": "01/01/2026",
        },
    )
    assert asked.status_code == 303
    (call,) = services.calls_to("request_organisation_link")
    assert call.args[0] == network["id"]
    assert call.args[1]["kbo"] == "0123.456.749" and call.args[1]["starts_on"] == "2026-01-01"


def test_an_organisation_admin_decides_on_the_requests(
    client, services, network, portal_sign_in, page_token
):
    person = portal_sign_in({network["id"]: ["partner_worker"]})
    services.partners.people[person["email"]]["administers"] = [str(uuid.uuid4())]
    client.application.extensions["principals"].clear()
    page = client.get("/koppelingsverzoeken").get_data(as_text=True)
    assert "RTJ De Tafels" in page and "Aanvaarden" in page
    request_id = str(uuid.uuid4())
    decided = client.post(
        f"/koppelingsverzoeken/{request_id}",
        data={"csrf_token": page_token("/koppelingsverzoeken"), "decision": "accept"},
    )
    assert decided.status_code == 303
    (call,) = services.calls_to("decide_organisation_link")
    assert call.args == (request_id, "accept")
    bad = client.post(
        f"/koppelingsverzoeken/{request_id}",
        data={"csrf_token": page_token("/koppelingsverzoeken"), "decision": "later"},
    )
    assert bad.status_code == 422 and len(services.calls_to("decide_organisation_link")) == 1
