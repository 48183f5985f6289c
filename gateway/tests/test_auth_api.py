"""Signing in to the JSON API, bearer tokens (session and API tokens), and CSRF with cookies."""

import uuid


def test_login_answers_a_token_and_the_principal(client, services, network):
    person = services.partners.add_person(
        email="an@example.be", roles={network["id"]: ["referrer"]}
    )
    response = client.post(
        "/api/auth/login",
        json={"email": "an@example.be", "password": services.partners.PASSWORD},
        headers={"User-Agent": "koppeling/1.0"},
    )
    assert response.status_code == 200
    assert response.json["principal"]["person_id"] == person["person_id"]
    assert response.json["principal"]["memberships"][0]["roles"] == ["referrer"]
    assert "password" not in response.json["principal"]
    assert response.headers["Cache-Control"] == "no-store"
    (login,) = services.calls
    # Signing in acts for nobody yet.
    assert (login.method, login.actor) == ("open_session", None)
    assert login.args[2] == {"ip": "127.0.0.1", "user_agent": "koppeling/1.0"}

    me = client.get("/api/auth/me", headers={"Authorization": f"Bearer {response.json['token']}"})
    assert me.status_code == 200
    assert me.json["email"] == "an@example.be"
    assert me.json["actor"] == f"person:{person['person_id']}"
    assert "csrf_token" not in me.json  # a bearer needs none


def test_wrong_credentials_are_401_with_one_generic_message(client, services):
    services.partners.add_person(email="an@example.be")
    wrong_password = client.post(
        "/api/auth/login", json={"email": "an@example.be", "password": "nope"}
    )
    unknown = client.post("/api/auth/login", json={"email": "x@example.be", "password": "nope"})
    assert wrong_password.status_code == unknown.status_code == 401
    assert wrong_password.json["error"]["message"] == services.partners.WRONG_CREDENTIALS
    assert unknown.json["error"]["message"] == services.partners.WRONG_CREDENTIALS


def test_too_many_failures_answer_429_with_the_delay(client, services):
    services.partners.add_person(email="an@example.be")
    for _ in range(4):
        client.post("/api/auth/login", json={"email": "an@example.be", "password": "nope"})
    response = client.post(
        "/api/auth/login", json={"email": "an@example.be", "password": services.partners.PASSWORD}
    )
    assert response.status_code == 429
    assert response.json["error"]["message"] == services.partners.THROTTLED
    assert response.json["error"]["fields"] == {"retry_after": ["2"]}


def test_bad_login_input_is_422_naming_the_field(client, services):
    response = client.post("/api/auth/login", json={"email": "geen-adres", "password": "x"})
    assert response.status_code == 422
    assert "email" in response.json["error"]["fields"]
    response = client.post("/api/auth/login", json={"email": "an@example.be"})
    assert "password" in response.json["error"]["fields"]
    assert services.calls == []


def test_no_bad_or_malformed_credentials_are_401(client, services):
    assert client.get("/api/auth/me").status_code == 401
    bad = client.get("/api/auth/me", headers={"Authorization": "Bearer nope"})
    assert bad.status_code == 401
    assert bad.json["error"]["code"] == "unauthenticated"
    basic = client.get("/api/auth/me", headers={"Authorization": "Basic YTpi"})
    assert basic.status_code == 401
    assert "Bearer" in basic.json["error"]["message"]


def test_a_principal_is_resolved_once_for_a_few_seconds(client, services, coordinator):
    for _ in range(3):
        assert client.get("/api/auth/me", headers=coordinator).status_code == 200
    assert services.methods_called().count(("partners", "resolve_session")) == 1


def test_logout_ends_the_session_at_once(client, services, coordinator):
    assert client.get("/api/auth/me", headers=coordinator).status_code == 200
    assert client.post("/api/auth/logout", headers=coordinator).status_code == 204
    close = services.calls_to("close_session")[0]
    assert close.args == (coordinator["Authorization"].split()[1],) and close.actor is None
    # The cached principal went with it: the next request is refused, not served from cache.
    assert client.get("/api/auth/me", headers=coordinator).status_code == 401


def test_logout_without_credentials_is_401(client, services):
    assert client.post("/api/auth/logout").status_code == 401


def test_an_api_token_acts_as_itself_within_its_scope(client, services, bearer, network):
    admin = bearer({network["id"]: ["network_admin"]})
    issued = client.post(
        f"/api/networks/{network['id']}/tokens",
        json={"role": "referrer", "label": "OCMW Deinze"},
        headers=admin,
    )
    assert issued.status_code == 201
    secret = issued.json["token"]
    assert secret.startswith("vbt_")
    as_token = {"Authorization": f"Bearer {secret}"}

    services.calls.clear()
    offers = client.get(f"/api/networks/{network['id']}/offers", headers=as_token)
    assert offers.status_code == 200
    assert services.calls_to("list_offers")[0].actor == f"token:{issued.json['id']}"

    # Its role is referrer: no directory changes, and no other network.
    assert (
        client.post(
            f"/api/networks/{network['id']}/invitations",
            json={"name": "X", "email": "x@example.be"},
            headers=as_token,
        ).status_code
        == 403
    )
    assert client.get(f"/api/networks/{uuid.uuid4()}/gaps", headers=as_token).status_code == 404

    listed = client.get(f"/api/networks/{network['id']}/tokens", headers=admin)
    assert [t["label"] for t in listed.json] == ["OCMW Deinze"]
    assert "token" not in listed.json[0]

    assert client.delete(f"/api/tokens/{issued.json['id']}", headers=admin).status_code == 204
    assert client.get("/api/auth/me", headers=as_token).status_code == 401


def test_an_api_token_cannot_sign_out_or_act_as_platform_admin(client, services, bearer, network):
    admin = bearer({network["id"]: ["network_admin"]}, platform_admin=True)
    issued = client.post(
        f"/api/networks/{network['id']}/tokens",
        json={"role": "network_admin", "label": "Beheer"},
        headers=admin,
    ).json
    as_token = {"Authorization": f"Bearer {issued['token']}"}
    body = {"name": "Ander netwerk", "kind": "RTJ", "region": "Limburg"}
    assert client.post("/api/networks/", json=body, headers=as_token).status_code == 403
    assert client.post("/api/auth/logout", headers=as_token).status_code == 204
    assert services.calls_to("close_session") == []


def test_bad_token_input_is_422(client, services, bearer, network):
    admin = bearer({network["id"]: ["network_admin"]})
    response = client.post(
        f"/api/networks/{network['id']}/tokens", json={"role": "king", "label": ""}, headers=admin
    )
    assert response.status_code == 422
    assert {"role", "label"} <= set(response.json["error"]["fields"])


def test_the_api_with_the_session_cookie_needs_the_csrf_header(
    client, services, network, portal_sign_in
):
    portal_sign_in({network["id"]: ["coordinator"]})
    me = client.get("/api/auth/me")
    assert me.status_code == 200
    token = me.json["csrf_token"]
    url = f"/api/networks/{network['id']}/settings"

    refused = client.patch(url, json={"pickup_guideline_days": 20})
    assert refused.status_code == 403
    assert refused.json["error"]["code"] == "csrf_failed"
    wrong = client.patch(url, json={"pickup_guideline_days": 20}, headers={"X-CSRF-Token": "x"})
    assert wrong.status_code == 403
    assert services.calls_to("update_network_settings") == []

    ok = client.patch(url, json={"pickup_guideline_days": 20}, headers={"X-CSRF-Token": token})
    assert ok.status_code == 200
    assert services.calls_to("update_network_settings")[0].actor.startswith("person:")


def test_the_actor_is_set_and_cleared_per_call_on_the_real_rpc_client(monkeypatch):
    """RpcClient puts the actor, the deadline and an idempotency key beside the correlation
    id, and leaves none behind."""
    import time

    from verband_gateway.rpc import RpcClient

    seen = []

    class Method:
        def __init__(self, context):
            self.context = context

        def __call__(self, *args):
            seen.append(dict(self.context))
            return "ok"

    class Proxy(dict):
        pass

    client = RpcClient("memory://")
    context = {}
    proxy = Proxy(partners=type("S", (), {"list_networks": Method(context)})())
    client._local.proxy, client._local.context, client._local.runner = proxy, context, None
    before = time.time()
    client.call(
        "partners",
        "list_networks",
        correlation_id="c1",
        actor="person:abc",
        idempotency=("k-1#1", "f" * 64),
    )
    client.call("partners", "list_networks", correlation_id="c2")
    deadlines = [float(s.pop("deadline")) for s in seen]
    assert all(before + 9.99 <= d <= time.time() + 10.01 for d in deadlines)  # its timeout
    assert seen == [
        {
            "correlation_id": "c1",
            "actor": "person:abc",
            "idempotency_key": "k-1#1",
            "idempotency_fingerprint": "f" * 64,
        },
        {"correlation_id": "c2"},
    ]


def test_the_principal_cache_forgets_after_its_time_and_stays_bounded(monkeypatch):
    from verband_gateway import auth

    now = [1000.0]
    monkeypatch.setattr(auth.time, "monotonic", lambda: now[0])
    cache = auth.PrincipalCache(ttl=5, max_entries=3)
    cache.put("a", {"actor": "person:a"})
    assert cache.get("a") == {"actor": "person:a"}
    now[0] += 6
    assert cache.get("a") is None
    for name in ("token-b", "token-c", "token-d", "token-e"):
        cache.put(name, {"actor": name})
    assert len(cache._entries) <= 3
    # Keyed by a hash, never by the token itself (a memory dump shows no live token).
    assert not any(key.startswith("token-") for key in cache._entries)


def test_api_logout_with_the_session_cookie_needs_csrf_and_ends_the_portal_session(
    client, services, network, portal_sign_in
):
    portal_sign_in({network["id"]: ["referrer"]})
    token = client.get("/api/auth/me").json["csrf_token"]
    assert client.post("/api/auth/logout").status_code == 403
    assert client.post("/api/auth/logout", headers={"X-CSRF-Token": token}).status_code == 204
    assert len(services.calls_to("close_session")) == 1
    assert client.get("/api/auth/me").status_code == 401


def test_the_actor_reaches_the_nameko_message_headers():
    """The dict RpcClient changes per call is the one nameko turns into message headers."""
    from nameko.messaging import HeaderEncoder

    from verband_gateway.rpc import _RpcProxy

    context = {}
    runner = _RpcProxy({"AMQP_URI": "memory://"}, 1.0, context_data=context)  # not started
    context.update({"correlation_id": "c1", "actor": "token:0b7e0e4e-7c0c-4a53-a3b9-13d2d1f4b1a7"})
    headers = HeaderEncoder().get_message_headers(runner._worker_ctx)
    assert headers["nameko.actor"] == "token:0b7e0e4e-7c0c-4a53-a3b9-13d2d1f4b1a7"
    assert headers["nameko.correlation_id"] == "c1"
    context.pop("actor")
    assert "nameko.actor" not in HeaderEncoder().get_message_headers(runner._worker_ctx)
