"""The walking skeleton, end to end: a coordinator creates a network and publishes an offer,
a referrer refers a family, and the referral shows in the network's monitoring and portal.

Each step crosses a real boundary: gateway -> partners (RPC), partners -> cases (event via
outbox and broker), gateway -> cases (RPC), cases -> reporting (event), gateway -> reporting.
"""

import re
import uuid

from openapi_spec_validator import validate

from verband_testkit.api import (
    create_team,
    expect,
    not_known_yet,
    poll,
    portal_session,
    publish_offer,
    referral_input,
    wait_referral_count,
)

SERVICES = ("partners", "cases", "meetings", "reporting")


def test_a_referral_travels_from_the_api_to_monitoring_and_the_portal(stack):
    team = create_team(stack, kind="1G1P", region="Vlaams-Brabant/Brussel")
    network, nid = team.network, team.id
    assert uuid.UUID(nid) and network["kind"] == "1G1P"
    assert expect(team.http("coordinator", "GET", f"/api/networks/{nid}"), 200) == network
    listed = expect(team.http("coordinator", "GET", "/api/networks/"), 200)
    assert [n["id"] for n in listed] == [nid]  # only the networks the person works in

    offer = publish_offer(team, title="Gezinscoaching Asse", capacity=8, free_places=2)
    assert offer["network_id"] == nid and offer["status"] == "active"
    assert expect(team.http("referrer", "GET", f"/api/networks/{nid}/offers"), 200) == [offer]
    assert (
        expect(team.http("coordinator", "GET", f"/api/networks/{nid}/indicators/referrals"), 200)[
            "referrals"
        ]
        == 0
    )

    # cases learns the offer (offer_published) and the referrer (role_granted) from partners'
    # events; until it has, the only acceptable refusals are those that say "not known yet".
    payload = referral_input(offer["id"])
    refusals = []

    def refer():
        r = team.http("referrer", "POST", f"/api/networks/{nid}/referrals", json=payload)
        if r.status_code == 201:
            return r.json()
        assert not_known_yet(r), f"referral refused: {r.status_code} {r.text[:300]}"
        refusals.append(r.json())
        return None

    receipt = poll(refer, 30, interval=0.1, what="cases learning the offer")
    assert receipt["network_id"] == nid and receipt["offer_id"] == offer["id"]
    assert receipt["status"] == "received" and uuid.UUID(receipt["referral_id"])

    # reporting counts it from cases' referral_received event.
    wait_referral_count(team, 1, timeout=30)

    # The coordinator sees it on the portal's home page, signed in through the form.
    assert stack.http("GET", "/", allow_redirects=False).status_code in (302, 303)
    browser = portal_session(stack, team.people["coordinator"]["email"])
    page = browser.get(stack.base_url + "/", timeout=15)
    assert page.status_code == 200
    assert page.headers["Content-Type"].startswith("text/html")
    html = page.text
    assert '<html lang="nl-BE">' in html
    section = html[html.index(f'id="n-{nid}"') :]
    section = section[: section.find("</section>")]
    assert network["name"] in section and "Gezinscoaching Asse" in section
    assert re.search(r"<strong>1</strong>\s*aanmelding\b", section), section


def test_health_reports_every_service_and_database_ok(stack):
    body = expect(stack.http("GET", "/health"), 200)
    assert body["status"] == "ok"
    assert set(body["services"]) == set(SERVICES)
    for name, status in body["services"].items():
        assert status["status"] == "ok", (name, status)
        assert status["service"] == name and status["database"] == "ok"

    assert expect(stack.http("GET", "/alive"), 200) == {"status": "alive"}


def expected_api_routes() -> set[tuple[str, str]]:
    """Every (path, method) the gateway app routes under /api, in OpenAPI path syntax.

    Read from the gateway's own URL map (built without a broker), so a route added later
    without documentation makes the OpenAPI test fail.
    """
    from verband_gateway import create_app

    app = create_app({"TESTING": True}, rpc=object())
    routes = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/") or rule.endpoint.startswith("api-docs."):
            continue
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
        routes |= {(path, m.lower()) for m in rule.methods - {"HEAD", "OPTIONS"}}
    return routes


def test_openapi_document_is_valid_and_lists_every_api_route(stack):
    spec = expect(stack.http("GET", "/api/openapi.json"), 200)
    validate(spec)  # raises if not a valid OpenAPI 3 document
    assert spec["openapi"].startswith("3.")

    documented = {
        (path, method)
        for path, ops in spec["paths"].items()
        for method in ops
        if method in ("get", "post", "put", "patch", "delete")
    }
    skeleton = {
        ("/api/networks/", "get"),
        ("/api/networks/", "post"),
        ("/api/networks/{network_id}", "get"),
        ("/api/networks/{network_id}/offers", "get"),
        ("/api/networks/{network_id}/offers", "post"),
        ("/api/networks/{network_id}/referrals", "post"),
        ("/api/networks/{network_id}/indicators/referrals", "get"),
    }
    routes = expected_api_routes()
    assert skeleton <= routes
    assert routes <= documented, f"undocumented: {sorted(routes - documented)}"
    assert documented <= routes, f"documented but not routed: {sorted(documented - routes)}"

    for path, method in skeleton:
        op = spec["paths"][path][method]
        codes = set(op["responses"])
        assert {"200", "201"} & codes, (path, method, codes)
        if method == "post":  # a body that breaks the schema is documented as a 422
            assert "422" in codes and "requestBody" in op, (path, method, codes)


def test_every_response_carries_a_correlation_id_and_a_supplied_one_is_echoed(stack):
    cid = uuid.uuid4().hex
    for method, path, kwargs in [
        ("GET", "/alive", {}),
        ("GET", "/health", {}),
        ("GET", "/", {}),  # a redirect to the sign-in page
        ("GET", "/api/networks/", {"token": stack.admin_token}),
        ("GET", "/api/openapi.json", {}),
        ("POST", "/api/networks/", {"json": {}, "token": stack.admin_token}),  # 422
        ("GET", "/api/networks/", {}),  # 401: nobody signed in
        ("GET", f"/api/networks/{uuid.uuid4()}", {"token": stack.admin_token}),  # 404
        ("GET", "/api/networks/not-an-id", {}),  # 404 from routing
        ("DELETE", "/api/networks/", {}),  # 405
    ]:
        r = stack.http(method, path, headers={"X-Correlation-ID": cid}, **kwargs)
        assert r.headers["X-Correlation-ID"] == cid, (method, path, r.status_code)
        if r.status_code >= 400 and path.startswith("/api/"):
            assert r.json()["error"]["correlation_id"] == cid, (method, path)

    # Without one, each request gets its own; an unsafe one is replaced, never echoed.
    a = stack.http("GET", "/alive").headers["X-Correlation-ID"]
    b = stack.http("GET", "/alive").headers["X-Correlation-ID"]
    assert a != b and a.isalnum() and b.isalnum()
    r = stack.http("GET", "/alive", headers={"X-Correlation-ID": "evil-value;DROP"})
    assert r.headers["X-Correlation-ID"] != "evil-value;DROP"
    assert r.headers["X-Correlation-ID"].isalnum()
