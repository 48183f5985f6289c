"""Signing in through a region's identity provider (OpenID Connect), against a fake provider.

The fake is a real HTTP server on loopback, in a thread: discovery, JWKS with a freshly made
RSA key, and a token endpoint that checks the client secret, the code, the redirect address
and the PKCE verifier before it hands out the ID token the test asks for.
"""

import base64
import hashlib
import json
import secrets
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from verband_common.errors import Unauthenticated
from verband_gateway import create_app

CLIENT_ID = "verband-portaal"
CLIENT_SECRET = "geheim-van-de-client-" + "x" * 20  # noqa: S105 - a test's own secret
EMAIL = "an.peeters@cawoost.be"


def _rsa_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class FakeProvider:
    """An identity provider as far as the authorization code flow needs one."""

    def __init__(self):
        self.key = _rsa_key()
        self.kid = "sleutel-1"
        self.codes: dict[str, dict] = {}  # code -> what the authorization request carried
        self.token_requests: list[dict] = []
        self.token_status = 200
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _json(self, status, body):
                raw = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def do_GET(self):
                if self.path == "/.well-known/openid-configuration":
                    self._json(200, provider.discovery())
                elif self.path == "/jwks":
                    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(provider.key.public_key()))
                    self._json(200, {"keys": [{**jwk, "kid": provider.kid, "use": "sig"}]})
                else:
                    self._json(404, {})

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                auth = self.headers.get("Authorization", "")
                self._json(*provider.token(form, auth))

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.issuer = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()

    def discovery(self):
        return {
            "issuer": self.issuer,
            "authorization_endpoint": self.issuer + "/authorize",
            "token_endpoint": self.issuer + "/token",
            "jwks_uri": self.issuer + "/jwks",
            "response_types_supported": ["code"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic"],
        }

    def authorize(self, location: str, **claims) -> str:
        """What the provider does when the person signs in there: a code for the request."""
        query = {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}
        code = secrets.token_urlsafe(16)
        self.codes[code] = {"request": query, "claims": claims}
        return code

    def id_token(self, nonce, key=None, **over):
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "sub": "idp-subject-123",
            "aud": CLIENT_ID,
            "exp": now + 300,
            "iat": now,
            "nonce": nonce,
            "email": EMAIL,
            "email_verified": True,
            **over,
        }
        claims = {k: v for k, v in claims.items() if v is not None}
        return jwt.encode(claims, key or self.key, algorithm="RS256", headers={"kid": self.kid})

    def token(self, form, auth):
        self.token_requests.append(form)
        if self.token_status != 200:
            return self.token_status, {"error": "server_error"}
        expected = "Basic " + base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
        if auth != expected:
            return 401, {"error": "invalid_client"}
        issued = self.codes.pop(form.get("code", ""), None)
        if issued is None or form.get("grant_type") != "authorization_code":
            return 400, {"error": "invalid_grant"}
        request = issued["request"]
        challenge = (
            base64.urlsafe_b64encode(hashlib.sha256(form["code_verifier"].encode()).digest())
            .rstrip(b"=")
            .decode()
        )
        if (
            challenge != request["code_challenge"]
            or form["redirect_uri"] != request["redirect_uri"]
        ):
            return 400, {"error": "invalid_grant"}
        claims = dict(issued["claims"])
        nonce = claims.pop("nonce", request["nonce"])
        key = claims.pop("key", None)
        return 200, {
            "access_token": "at",
            "token_type": "Bearer",
            "id_token": self.id_token(nonce, key=key, **claims),
        }


@pytest.fixture
def idp():
    provider = FakeProvider()
    yield provider
    provider.close()


def oidc_app(services, mail_dir, issuer):
    return create_app(
        {
            "TESTING": True,
            "MAIL_DIR": str(mail_dir),
            "OIDC_ISSUER": issuer,
            "OIDC_CLIENT_ID": CLIENT_ID,
            "OIDC_CLIENT_SECRET": CLIENT_SECRET,
            "PUBLIC_URL": "https://verband.example.be",
        },
        rpc=services,
    )


@pytest.fixture
def oidc_client(services, mail_dir, idp):
    return oidc_app(services, mail_dir, idp.issuer).test_client()


@pytest.fixture
def known_person(services):
    """The partners service knows EMAIL; opens a session for it as the RPC does."""
    person = services.partners.add_person(email=EMAIL, roles={"n-1": ["coordinator"]})

    def open_session_for_identity(identity, client):
        if identity["email"] != EMAIL:
            raise Unauthenticated("Er is op Verband geen account met dit e-mailadres.")
        token = services.partners.session_for(person)
        return {"token": token, "expires_at": "", "principal": services.partners.principal(person)}

    services.answer("partners", "open_session_for_identity", open_session_for_identity)
    return person


def begin(client, path="/aanmelden/oidc"):
    response = client.get(path)
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"]


def sign_in(client, idp, **claims):
    location = begin(client)
    code = idp.authorize(location, **claims)
    state = parse_qs(urlsplit(location).query)["state"][0]
    return client.get(f"/aanmelden/oidc/terug?code={code}&state={state}")


def signed_in(client) -> bool:
    return client.get("/aanmelden").status_code == 302


def refused(response, status, words):
    page = response.get_data(as_text=True)
    assert response.status_code == status, page
    assert words in page
    assert 'role="alert"' in page  # shown on the sign-in page, as a problem


def test_the_sign_in_page_offers_the_provider_when_configured(oidc_client):
    page = oidc_client.get("/aanmelden").get_data(as_text=True)
    assert "Aanmelden via je organisatie" in page
    assert 'href="/aanmelden/oidc"' in page
    # Sent to sign in from a page: back there afterwards, whichever way.
    asked = oidc_client.get("/aanmelden?volgende=/netwerken").get_data(as_text=True)
    assert 'href="/aanmelden/oidc?volgende=/netwerken"' in asked


def test_the_request_to_the_provider_carries_pkce_state_and_nonce(oidc_client, idp):
    location = begin(oidc_client, "/aanmelden/oidc?volgende=/netwerken")
    parts = urlsplit(location)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert location.startswith(idp.issuer + "/authorize?")
    assert query["response_type"] == "code" and query["client_id"] == CLIENT_ID
    assert query["code_challenge_method"] == "S256" and len(query["code_challenge"]) == 43
    assert "openid" in query["scope"].split() and "email" in query["scope"].split()
    assert query["redirect_uri"] == "https://verband.example.be/aanmelden/oidc/terug"
    assert len(query["state"]) >= 32 and len(query["nonce"]) >= 32
    assert CLIENT_SECRET not in location
    # A second attempt gets new secrets.
    again = {k: v[0] for k, v in parse_qs(urlsplit(begin(oidc_client)).query).items()}
    assert again["state"] != query["state"] and again["nonce"] != query["nonce"]


def test_happy_path_opens_a_session_and_lands_on_the_portal(
    oidc_client, idp, services, known_person
):
    location = begin(oidc_client, "/aanmelden/oidc?volgende=/netwerken")
    code = idp.authorize(location)
    state = parse_qs(urlsplit(location).query)["state"][0]
    response = oidc_client.get(f"/aanmelden/oidc/terug?code={code}&state={state}")
    assert response.status_code == 302, response.get_data(as_text=True)
    assert response.headers["Location"] == "/netwerken"
    assert "verband_session=" in response.headers["Set-Cookie"]
    # The partners service got only what was validated, and no password.
    (called,) = services.calls_to("open_session_for_identity")
    identity, client = called.args
    assert identity == {"issuer": idp.issuer, "subject": "idp-subject-123", "email": EMAIL}
    assert called.actor is None
    # The code went to the token endpoint with the PKCE verifier.
    (form,) = idp.token_requests
    assert form["code"] == code and len(form["code_verifier"]) >= 43
    assert signed_in(oidc_client)
    home = oidc_client.get("/")
    assert home.status_code == 200
    assert "Aanmelden" not in home.get_data(as_text=True).split("<h1", 1)[1][:60]
    # The same answer a second time is refused: its state was used.
    replay = oidc_client.get(f"/aanmelden/oidc/terug?code={code}&state={state}")
    refused(replay, 400, "verlopen of niet op deze browser begonnen")


def test_default_landing_is_the_portal_home(oidc_client, idp, known_person):
    response = sign_in(oidc_client, idp)
    assert response.status_code == 302 and response.headers["Location"] == "/"


def test_wrong_state_signs_nobody_in(oidc_client, idp, services, known_person):
    location = begin(oidc_client)
    code = idp.authorize(location)
    response = oidc_client.get(f"/aanmelden/oidc/terug?code={code}&state=iets-anders")
    refused(response, 400, "verlopen of niet op deze browser begonnen")
    assert idp.token_requests == []  # the code was never exchanged
    assert services.calls_to("open_session_for_identity") == []
    assert not signed_in(oidc_client)


def test_an_answer_without_a_sign_in_begun_is_refused(oidc_client, services):
    response = oidc_client.get("/aanmelden/oidc/terug?code=abc&state=abc")
    refused(response, 400, "Begin opnieuw")
    assert services.calls_to("open_session_for_identity") == []


@pytest.mark.parametrize(
    ("claims", "words"),
    [
        ({"nonce": "een-andere-nonce"}, "niet klopt"),
        ({"aud": "een-andere-client"}, "niet klopt"),
        ({"iss": "https://nep-provider.example"}, "niet klopt"),
        ({"exp": int(time.time()) - 3600, "iat": int(time.time()) - 7200}, "niet klopt"),
        ({"iat": int(time.time()) + 3600, "exp": int(time.time()) + 7200}, "niet klopt"),
        ({"exp": None}, "niet klopt"),
        ({"email_verified": False}, "bevestigt je e-mailadres niet"),
        ({"email_verified": "true"}, "bevestigt je e-mailadres niet"),
        ({"email": None}, "bevestigt je e-mailadres niet"),
    ],
    ids=[
        "wrong-nonce",
        "wrong-audience",
        "wrong-issuer",
        "expired",
        "issued-in-the-future",
        "no-expiry",
        "email-unverified",
        "email-verified-as-text",
        "no-email",
    ],
)
def test_an_id_token_that_fails_a_check_signs_nobody_in(
    oidc_client, idp, services, known_person, claims, words
):
    response = sign_in(oidc_client, idp, **claims)
    refused(response, 401, words)
    assert services.calls_to("open_session_for_identity") == []
    assert not signed_in(oidc_client)


def test_a_token_signed_by_another_key_is_refused(oidc_client, idp, services, known_person):
    response = sign_in(oidc_client, idp, key=_rsa_key())
    refused(response, 401, "niet klopt")
    assert services.calls_to("open_session_for_identity") == []
    assert not signed_in(oidc_client)


def test_an_unknown_person_is_told_and_not_signed_in(oidc_client, idp, services, known_person):
    response = sign_in(oidc_client, idp, email="onbekend@cawoost.be")
    refused(response, 401, "geen account met dit e-mailadres")
    assert len(services.calls_to("open_session_for_identity")) == 1
    assert not signed_in(oidc_client)


def test_the_provider_refusing_is_told(oidc_client, idp, services):
    location = begin(oidc_client)
    state = parse_qs(urlsplit(location).query)["state"][0]
    response = oidc_client.get(f"/aanmelden/oidc/terug?error=access_denied&state={state}")
    refused(response, 401, "geweigerd of afgebroken")
    assert idp.token_requests == []


def test_a_provider_down_at_the_token_endpoint_is_told(oidc_client, idp, services, known_person):
    location = begin(oidc_client)
    code = idp.authorize(location)
    idp.token_status = 503
    state = parse_qs(urlsplit(location).query)["state"][0]
    response = oidc_client.get(f"/aanmelden/oidc/terug?code={code}&state={state}")
    refused(response, 502, "niet bereikbaar")
    assert services.calls_to("open_session_for_identity") == []
    assert not signed_in(oidc_client)


def test_an_unreachable_provider_is_told_on_the_sign_in_page(services, mail_dir):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = oidc_app(services, mail_dir, f"http://127.0.0.1:{port}").test_client()
    response = client.get("/aanmelden/oidc")
    refused(response, 502, "niet bereikbaar")
    # The password form is still there to use.
    assert 'name="password"' in response.get_data(as_text=True)


def test_discovery_is_fetched_once(oidc_client, idp, known_person):
    fetched = []
    original = idp.discovery

    def counting():
        fetched.append(1)
        return original()

    idp.discovery = counting
    sign_in(oidc_client, idp)
    sign_in(oidc_client, idp)
    assert len(fetched) == 1


def test_without_configuration_the_password_path_works_and_oidc_is_404(
    client, services, portal_sign_in
):
    assert "Aanmelden via je organisatie" not in client.get("/aanmelden").get_data(as_text=True)
    assert client.get("/aanmelden/oidc").status_code == 404
    answer = client.get("/aanmelden/oidc/terug?code=abc&state=abc")
    assert answer.status_code == 404 and "niet ingesteld" in answer.get_data(as_text=True)
    portal_sign_in({"n-1": ["coordinator"]})
    assert signed_in(client)
    assert services.calls_to("open_session_for_identity") == []
