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
            served.add(re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule))
    assert served and served <= documented


def test_every_write_documents_its_validation_error(client):
    spec = client.get("/api/openapi.json").json
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method in ("post", "put", "patch"):
                assert "422" in operation["responses"], f"{method.upper()} {path}"
                assert "requestBody" in operation, f"{method.upper()} {path}"
