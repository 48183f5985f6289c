"""The OpenAPI document is valid and describes every API route the app serves."""

import re

from openapi_spec_validator import validate


def test_openapi_document_is_valid(client):
    spec = client.get("/api/openapi.json").json
    validate(spec)
    assert spec["openapi"].startswith("3.")


def test_every_api_route_is_documented(app, client):
    documented = set(client.get("/api/openapi.json").json["paths"])
    served = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/") and rule.endpoint != "api-docs.openapi_json":
            served.add(re.sub(r"<(?:\w+(?:\([^)]*\))?:)?(\w+)>", r"{\1}", rule.rule))
    assert served and served <= documented


# Actions whose whole meaning is in the path and the credentials: no body to validate.
BODILESS = {("post", "/api/auth/logout"), ("post", "/api/people/{person_id}/password-reset")}


def test_every_write_documents_its_validation_error(client):
    spec = client.get("/api/openapi.json").json
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method in ("post", "put", "patch") and (method, path) not in BODILESS:
                assert "422" in operation["responses"], f"{method.upper()} {path}"
                assert "requestBody" in operation, f"{method.upper()} {path}"


def test_every_write_documents_its_retry_key(client):
    spec = client.get("/api/openapi.json").json
    writes = 0
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method not in ("post", "put", "patch", "delete"):
                continue
            writes += 1
            keys = [p for p in operation.get("parameters", []) if p["name"] == "Idempotency-Key"]
            assert len(keys) == 1 and keys[0]["in"] == "header", f"{method.upper()} {path}"
            assert "422" in operation["responses"], f"{method.upper()} {path}"
    assert writes > 20


def test_the_documented_retry_key_is_the_one_the_gateway_checks(client):
    spec = client.get("/api/openapi.json").json
    (key,) = [
        p
        for p in spec["paths"]["/api/networks/{network_id}/referrals"]["post"]["parameters"]
        if p["name"] == "Idempotency-Key"
    ]
    pattern = re.compile(key["schema"]["pattern"])
    assert pattern.match("retry-2026-12-03#a") and not pattern.match("met spatie")
    answer = client.post(
        "/api/networks/00000000-0000-0000-0000-000000000001/referrals",
        json={},
        headers={"Idempotency-Key": "met spatie"},
    )
    assert answer.status_code == 422
    assert "Idempotency-Key" in answer.json["error"]["fields"]


PARTNERS_PATHS = {
    "/api/auth/login",
    "/api/auth/logout",
    "/api/auth/me",
    "/api/networks/{network_id}/tokens",
    "/api/tokens/{token_id}",
    "/api/networks/{network_id}/settings",
    "/api/organisations",
    "/api/organisations/{organisation_id}",
    "/api/networks/{network_id}/organisations",
    "/api/networks/{network_id}/memberships",
    "/api/networks/{network_id}/people",
    "/api/networks/{network_id}/invitations",
    "/api/invitations/accept",
    "/api/invitations/accept-new",
    "/api/me/password",
    "/api/networks/{network_id}/identity-trail",
    "/api/networks/{network_id}/people/{person_id}/roles",
    "/api/networks/{network_id}/offers",
    "/api/offers/search",
    "/api/offers/{offer_id}",
    "/api/networks/{network_id}/gaps",
    "/api/networks/{network_id}/agreements",
    "/api/agreements/{agreement_id}/follow-ups",
    "/api/networks/{network_id}/task-groups",
    "/api/networks/{network_id}/hsds.json",
    "/api/networks/{network_id}/imports/{kind}",
    "/api/municipalities",
}


def test_the_partners_api_is_documented(client):
    assert PARTNERS_PATHS <= set(client.get("/api/openapi.json").json["paths"])


def test_protected_operations_document_how_to_authenticate_and_401(client):
    spec = client.get("/api/openapi.json").json
    assert {"bearerAuth", "sessionCookie", "csrfHeader"} <= set(
        spec["components"]["securitySchemes"]
    )
    for path, operations in spec["paths"].items():
        if path in (
            "/api/auth/login",
            "/api/auth/logout",
            "/api/municipalities",
            # Anonymous by design: the invitation's token (from its mail) is the credential.
            "/api/invitations/describe",
            "/api/invitations/accept-new",
        ):
            continue
        if path.startswith("/api/public/"):
            # The public offer guide: no sign-in, said so, and a budget per address instead.
            for method, operation in operations.items():
                if method == "parameters":
                    continue
                assert method == "get", f"{method.upper()} {path}: the guide is read-only"
                assert operation.get("security") == [], f"{method.upper()} {path}"
                assert "429" in operation["responses"], f"{method.upper()} {path}"
            continue
        for method, operation in operations.items():
            if method in ("get", "post", "put", "patch", "delete"):
                assert operation.get("security"), f"{method.upper()} {path}"
                assert "401" in operation["responses"], f"{method.upper()} {path}"
                if "{network_id}" in path:
                    assert "404" in operation["responses"], f"{method.upper()} {path}"


def test_errors_are_documented_with_the_one_error_body(client):
    spec = client.get("/api/openapi.json").json
    body = spec["components"]["schemas"]["ErrorBody"]
    assert body["required"] == ["error"]
    ref = spec["components"]["responses"]["UNAUTHORIZED"]["content"]["application/json"]
    assert ref["schema"]["$ref"] == "#/components/schemas/ErrorBody"
