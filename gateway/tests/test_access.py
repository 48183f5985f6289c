"""Who may call what: 401 without credentials, 404 for a network without a role in it, 403
for a role that does not allow it, and the actor on every RPC an allowed request makes."""

import uuid

import pytest

from verband_common.roles import NETWORK_ROLES, ROLES

NET = "{net}"
ORG = str(uuid.uuid4())
KBO = "0123456749"  # ten digits, 97 - (01234567 mod 97) = 49

EDITORS = ("network_admin", "coordinator")
# Anyone working in the network refers a family, as the cases service lets them.
SENDERS = tuple(r for r in ROLES if r not in ("iroj_viewer", "secretary", "guest"))
AGREEMENT_READERS = ("network_admin", "coordinator", "case_manager", "iroj_viewer")

REFERRAL = {
    "offer_id": str(uuid.uuid4()),
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

# (method, path, json body, roles allowed in the network (None: any role), success status)
NETWORK_ENDPOINTS = [
    ("get", "/api/networks/{net}", None, None, 200),
    ("patch", "/api/networks/{net}/settings", {"pickup_guideline_days": 20}, EDITORS, 200),
    ("get", "/api/networks/{net}/organisations", None, None, 200),
    (
        "post",
        "/api/networks/{net}/memberships",
        {"organisation_id": ORG, "role": "partner", "starts_on": "2026-01-01"},
        EDITORS,
        201,
    ),
    (
        "post",
        f"/api/networks/{{net}}/memberships/{ORG}/end",
        {"ends_on": "2026-12-31"},
        EDITORS,
        200,
    ),
    ("get", "/api/networks/{net}/people", None, None, 200),
    (
        "post",
        "/api/networks/{net}/invitations",
        {"name": "Bert Claes", "email": "bert@example.be"},
        EDITORS,
        201,
    ),
    ("get", "/api/networks/{net}/invitations", None, EDITORS, 200),
    ("get", "/api/networks/{net}/identity-trail", None, ("network_admin",), 200),
    (
        "post",
        f"/api/networks/{{net}}/people/{uuid.uuid4()}/roles",
        {"role": "referrer"},
        EDITORS,
        200,
    ),
    ("delete", f"/api/networks/{{net}}/people/{uuid.uuid4()}/roles/referrer", None, EDITORS, 200),
    ("post", "/api/networks/{net}/offers", OFFER, EDITORS, 201),
    ("get", "/api/networks/{net}/gaps", None, None, 200),
    ("get", "/api/networks/{net}/agreements", None, AGREEMENT_READERS, 200),
    ("post", "/api/networks/{net}/agreements", AGREEMENT, EDITORS, 201),
    ("get", "/api/networks/{net}/task-groups", None, None, 200),
    ("post", "/api/networks/{net}/task-groups", TASK_GROUP, EDITORS, 201),
    ("get", "/api/networks/{net}/hsds.json", None, None, 200),
    # Any role but a guest's issues and lists tokens at the gateway; the service keeps each
    # within what its issuer holds (services/partners/tests/service/test_api_tokens.py).
    ("get", "/api/networks/{net}/tokens", None, None, 200),
    (
        "post",
        "/api/networks/{net}/tokens",
        {"role": "referrer", "label": "OCMW Deinze"},
        None,
        201,
    ),
    ("post", "/api/networks/{net}/referrals", REFERRAL, SENDERS, 201),
    ("get", "/api/networks/{net}/indicators/referrals", None, None, 200),
]

# Endpoints whose object names no network: signed in is the gateway's check, the
# partners service decides from the object's network.
OBJECT_ENDPOINTS = [
    ("get", "/api/networks/", None, 200),
    ("get", f"/api/organisations/{uuid.uuid4()}", None, 200),
    (
        "post",
        "/api/organisations",
        {"name": "CAW", "kbo": KBO, "sector": "caw"},
        201,
    ),
    ("patch", f"/api/organisations/{uuid.uuid4()}", {"profile": "Nieuw profiel."}, 200),
    ("get", f"/api/people/{uuid.uuid4()}", None, 200),
    ("put", "/api/me/password", {"current_password": "x", "new_password": "y" * 12}, 204),
    # An unknown invitation: the service answers 404, the gateway passes the actor on.
    ("delete", f"/api/invitations/{uuid.uuid4()}", None, 404),
    ("get", "/api/offers/search?municipality=44083&age=7", None, 200),
    ("get", f"/api/offers/{uuid.uuid4()}", None, 200),
    ("patch", f"/api/offers/{uuid.uuid4()}", {"free_places": 1}, 200),
    ("patch", f"/api/agreements/{uuid.uuid4()}", {"status": "ended"}, 200),
    (
        "post",
        f"/api/agreements/{uuid.uuid4()}/follow-ups",
        {"held_on": "2026-11-20", "notes": "Op schema."},
        201,
    ),
    ("patch", f"/api/task-groups/{uuid.uuid4()}", {"name": "Diversiteit"}, 200),
    ("get", "/api/auth/me", None, 200),
]


def send(client, method, path, body, headers):
    return getattr(client, method)(path, json=body, headers=headers)


def ids(rows):
    return [f"{r[0].upper()} {r[1]}" for r in rows]


@pytest.mark.parametrize(
    "method, path, body, roles, ok", NETWORK_ENDPOINTS, ids=ids(NETWORK_ENDPOINTS)
)
def test_network_endpoint_without_credentials_is_401(
    client, services, network, method, path, body, roles, ok
):
    response = send(client, method, path.format(net=network["id"]), body, {})
    assert response.status_code == 401
    assert response.json["error"]["code"] == "unauthenticated"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert services.calls == []


@pytest.mark.parametrize(
    "method, path, body, roles, ok", NETWORK_ENDPOINTS, ids=ids(NETWORK_ENDPOINTS)
)
def test_another_networks_endpoint_is_404(
    client, services, bearer, network, method, path, body, roles, ok
):
    # Every role, but in another network: this one does not exist as far as they know.
    headers = bearer({str(uuid.uuid4()): list(ROLES)})
    response = send(client, method, path.format(net=network["id"]), body, headers)
    assert response.status_code == 404
    assert response.json["error"]["code"] == "not_found"
    assert services.methods_called() == [("partners", "resolve_session")]


@pytest.mark.parametrize(
    "method, path, body, roles, ok",
    [e for e in NETWORK_ENDPOINTS if e[3]],
    ids=ids([e for e in NETWORK_ENDPOINTS if e[3]]),
)
def test_a_role_that_does_not_allow_it_is_403(
    client, services, bearer, network, method, path, body, roles, ok
):
    others = [r for r in ROLES if r not in roles]
    headers = bearer({network["id"]: others})
    response = send(client, method, path.format(net=network["id"]), body, headers)
    assert response.status_code == 403
    assert response.json["error"]["code"] == "forbidden"
    assert services.methods_called() == [("partners", "resolve_session")]


@pytest.mark.parametrize(
    "method, path, body, roles, ok", NETWORK_ENDPOINTS, ids=ids(NETWORK_ENDPOINTS)
)
def test_each_allowed_role_gets_through_and_the_actor_travels(
    client, services, bearer, network, method, path, body, roles, ok
):
    # None: any role of those who work in or watch the network (a guest of one meeting is
    # refused, test_a_guest_is_refused_where_no_meeting_is_concerned).
    for role in roles or NETWORK_ROLES:
        services.calls.clear()
        headers = bearer({network["id"]: [role]})
        response = send(client, method, path.format(net=network["id"]), body, headers)
        assert response.status_code == ok, (role, response.json)
        resolve, *rest = services.calls
        assert resolve.method == "resolve_session" and resolve.actor is None
        assert rest and all(c.actor and c.actor.startswith("person:") for c in rest)
        assert all(c.correlation_id == response.headers["X-Correlation-ID"] for c in rest)


@pytest.mark.parametrize("method, path, body, ok", OBJECT_ENDPOINTS, ids=ids(OBJECT_ENDPOINTS))
def test_object_endpoints_need_someone_signed_in(client, services, bearer, method, path, body, ok):
    assert send(client, method, path, body, {}).status_code == 401
    assert services.calls == []
    headers = bearer({str(uuid.uuid4()): ["partner_worker"]})
    response = send(client, method, path, body, headers)
    assert response.status_code == ok, response.json
    assert all(c.actor and c.actor.startswith("person:") for c in services.calls[1:])


def test_only_a_platform_admin_creates_a_network(client, services, bearer, admin):
    body = {"name": "Nieuw netwerk", "kind": "1G1P", "region": "Vlaams-Brabant/Brussel"}
    assert client.post("/api/networks/", json=body).status_code == 401
    admin_of_a_network = bearer({str(uuid.uuid4()): ["network_admin"]})
    response = client.post("/api/networks/", json=body, headers=admin_of_a_network)
    assert response.status_code == 403
    assert client.post("/api/networks/", json=body, headers=admin).status_code == 201


def test_a_platform_admin_sets_up_a_network_but_sees_no_families(client, services, admin, network):
    nid = network["id"]
    grant = client.post(
        f"/api/networks/{nid}/people/{uuid.uuid4()}/roles",
        json={"role": "network_admin"},
        headers=admin,
    )
    assert grant.status_code == 200
    assert grant.json["roles"] == ["network_admin"]
    assert client.get(f"/api/networks/{nid}", headers=admin).status_code == 200
    referral = client.post(f"/api/networks/{nid}/referrals", json=REFERRAL, headers=admin)
    assert referral.status_code == 404
    assert ("cases", "receive_referral") not in services.methods_called()


def test_offer_of_a_network_is_readable_region_wide(client, services, bearer, network):
    # Someone with a role in another network may ask; the partners service decides by region.
    headers = bearer({str(uuid.uuid4()): ["referrer"]})
    response = client.get(
        f"/api/networks/{network['id']}/offers?kind=family_coaching", headers=headers
    )
    assert response.status_code == 200
    call = services.calls_to("list_offers")[0]
    assert call.args == (network["id"], {"kind": "family_coaching"})
    assert call.actor.startswith("person:")
    # Without any role anywhere there is nothing to see.
    assert client.get(f"/api/networks/{network['id']}/offers", headers=bearer()).status_code == 404


def test_a_service_refusal_passes_through(client, services, coordinator, network):
    from verband_common.errors import Forbidden

    services.fail("partners", "update_offer", Forbidden("Alleen je eigen aanbod."))
    response = client.patch(
        f"/api/offers/{uuid.uuid4()}", json={"free_places": 1}, headers=coordinator
    )
    assert response.status_code == 403
    assert response.json["error"]["message"] == "Alleen je eigen aanbod."


@pytest.mark.parametrize(
    "method, path, body, roles, ok",
    [e for e in NETWORK_ENDPOINTS if not e[3] or "guest" not in e[3]],
    ids=ids([e for e in NETWORK_ENDPOINTS if not e[3] or "guest" not in e[3]]),
)
def test_a_guest_is_refused_where_no_meeting_is_concerned(
    client, services, bearer, network, method, path, body, roles, ok
):
    """Someone from outside the network invited to one of its meetings holds only the guest
    role: it lets her choose the network, and no route about the network itself opens to it."""
    headers = bearer({network["id"]: ["guest"]})
    response = send(client, method, path.format(net=network["id"]), body, headers)
    assert response.status_code == 403
    assert response.json["error"]["code"] == "forbidden"
    assert services.methods_called() == [("partners", "resolve_session")]
