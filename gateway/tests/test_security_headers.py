"""Security headers on every answer, and no inline script or style in any template.

Every route of app.url_map (API, portal, health, static files) is requested by nobody and by
a signed-in coordinator; each answer, whatever its status, carries the policy.
"""

import re
import uuid
from pathlib import Path

import pytest

from verband_gateway import CONTENT_SECURITY_POLICY, create_app

TEMPLATES = Path(__file__).resolve().parents[1] / "verband_gateway" / "templates"
STATIC = TEMPLATES.parent / "static"
CSRF = "matrix-csrf-token"
ARGUMENTS = {
    "kind": "organisations",
    "fmt": "csv",
    "key": "referrals",
    "role": "referrer",
    "reset_token": "some-reset-token",
    "action": "warm_contact",
    "filename": "verband.css",
}


def _app(services):
    return create_app(
        {
            "TESTING": True,
            # A view that breaks on the fake services' plain answers is still an answer
            # (a 500), which must carry the headers too.
            "PROPAGATE_EXCEPTIONS": False,
            "MAIL_DIR": "/nonexistent/verband-header-mail",
        },
        rpc=services,
    )


def _requests(app):
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            values = {name: ARGUMENTS.get(name, str(uuid.uuid4())) for name in rule.arguments}
            yield method, app.url_map.bind("localhost").build(rule.endpoint, values, method=method)


def _assert_headers(response, what: str):
    headers = response.headers
    assert headers.get("Content-Security-Policy") == CONTENT_SECURITY_POLICY, what
    assert headers.get("X-Content-Type-Options") == "nosniff", what
    assert headers.get("Referrer-Policy") in ("same-origin", "no-referrer"), what
    assert headers.get("X-Frame-Options") == "DENY", what


def test_the_policy_allows_no_inline_script_style_or_framing():
    directives = dict(d.split(" ", 1) for d in CONTENT_SECURITY_POLICY.split("; "))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["default-src"] == "'none'"
    assert "unsafe" not in CONTENT_SECURITY_POLICY


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "coordinator"])
def test_every_route_answers_with_the_security_headers(services, network, signed_in):
    app = _app(services)
    person = services.partners.add_person(roles={network["id"]: ["coordinator"]})
    seen = 0
    for method, url in _requests(app):
        client = app.test_client()
        with client.session_transaction() as session:
            session["csrf"] = CSRF
            if signed_in:
                session["token"] = services.partners.session_for(person)
                session["network_id"] = network["id"]
        kwargs = {"headers": {"X-CSRF-Token": CSRF}}
        if method != "GET":
            if url.startswith("/api/"):
                kwargs["json"] = {}
            else:
                kwargs["data"] = {"csrf_token": CSRF}
        response = client.open(url, method=method, **kwargs)
        _assert_headers(response, f"{method} {url} -> {response.status_code}")
        seen += 1
    assert seen > 100  # every route, not a handful


def test_a_missing_page_and_a_static_file_carry_them_too(client):
    _assert_headers(client.get("/bestaat-niet"), "404 page")
    _assert_headers(client.get("/api/bestaat-niet"), "404 API")
    _assert_headers(client.get("/static/verband.css"), "stylesheet")
    _assert_headers(client.get("/static/waiting.js"), "script")


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\ssrc=)[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)
INLINE_STYLE = re.compile(r"<style[\s>]|\sstyle\s*=", re.I)
JS_URL = re.compile(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", re.I)


def _templates():
    return sorted(
        p for p in TEMPLATES.rglob("*.html") if "mail" not in p.relative_to(TEMPLATES).parts
    )


@pytest.mark.parametrize("path", _templates(), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_no_template_has_inline_script_or_style(path):
    text = path.read_text(encoding="utf-8")
    for name, pattern in (
        ("inline <script>", INLINE_SCRIPT),
        ("inline event handler", EVENT_HANDLER),
        ("inline style", INLINE_STYLE),
        ("javascript: URL", JS_URL),
    ):
        found = pattern.search(text)
        assert found is None, f"{name} in {path.name}: {found.group(0)[:80]}"


def test_every_script_and_stylesheet_a_template_names_exists():
    named = set()
    for path in _templates():
        named.update(re.findall(r"filename='([^']+)'", path.read_text(encoding="utf-8")))
    assert named and all((STATIC / name).is_file() for name in named), named
