"""Signing in through a region's identity provider: OpenID Connect, authorization code flow.

Only when OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET are set. The browser is sent to
the provider with PKCE (S256), a `state` and a `nonce` kept in the signed session cookie; the
provider sends it back with a code, which the gateway exchanges at the token endpoint with
the client secret. The ID token is checked here - signature against the provider's JWKS,
issuer, audience, expiry, issued-at, nonce and a verified e-mail - and only then are its
issuer, subject and e-mail passed to the partners service, which opens the session.

The provider's discovery document and keys are cached; a token signed with a key not in the
cache fetches the keys once more (the provider rotated them).
"""

import base64
import hashlib
import logging
import secrets
import threading
import time
from urllib.parse import urlencode

import jwt
import requests

log = logging.getLogger(__name__)

# Asymmetric algorithms only: with HS256 the client secret would sign, and anyone holding
# it (or a confused provider) could make tokens. RS256 is what every provider offers.
ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384")
CACHE_SECONDS = 3600
TIMEOUT_SECONDS = 5.0
LEEWAY_SECONDS = 60

PROVIDER_DOWN = (
    "De aanmeldservice van je organisatie is nu niet bereikbaar. Probeer het later opnieuw of "
    "meld je aan met je e-mailadres en wachtwoord."
)
BAD_STATE = (
    "Deze aanmelding via je organisatie is verlopen of niet op deze browser begonnen. "
    "Begin opnieuw."
)
ANSWER_INVALID = (
    "Je organisatie gaf een aanmelding door die niet klopt. Je bent niet aangemeld. Begin "
    "opnieuw of meld je aan met je e-mailadres en wachtwoord."
)
UNVERIFIED_EMAIL = (
    "Je organisatie bevestigt je e-mailadres niet. Vraag je organisatie om het te bevestigen, "
    "of meld je aan met je e-mailadres en wachtwoord."
)
REFUSED = "Je organisatie heeft de aanmelding geweigerd of afgebroken. Je bent niet aangemeld."


class OidcError(Exception):
    """Sign-in through the provider failed; `message` is Dutch, for the sign-in page."""

    def __init__(self, message: str, detail: str = ""):
        super().__init__(detail or message)
        self.message = message
        self.detail = detail


class ProviderUnavailable(OidcError):
    def __init__(self, detail: str):
        super().__init__(PROVIDER_DOWN, detail)


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def new_request() -> dict:
    """The secrets of one sign-in attempt, kept in the session until the provider answers."""
    verifier = _b64(secrets.token_bytes(48))  # 64 characters, within RFC 7636's 43..128
    return {
        "state": secrets.token_urlsafe(32),
        "nonce": secrets.token_urlsafe(32),
        "verifier": verifier,
    }


def code_challenge(verifier: str) -> str:
    """PKCE S256: base64url(sha256(verifier)) without padding."""
    return _b64(hashlib.sha256(verifier.encode("ascii")).digest())


class Provider:
    """One configured identity provider, its discovery document and keys cached."""

    def __init__(self, issuer: str, client_id: str, client_secret: str, timeout=TIMEOUT_SECONDS):
        self.issuer = issuer.rstrip("/")
        self.client_id = client_id
        self.client_secret = client_secret
        self.timeout = timeout
        self.http = requests.Session()
        self._lock = threading.Lock()
        self._metadata: dict | None = None
        self._metadata_at = 0.0
        self._keys: jwt.PyJWKSet | None = None
        self._keys_at = 0.0

    # -- fetching ---------------------------------------------------------------------------

    def _get_json(self, url: str) -> dict:
        try:
            response = self.http.get(url, timeout=self.timeout)
            response.raise_for_status()
            data = response.json()
        except (requests.RequestException, ValueError) as exc:
            raise ProviderUnavailable(f"GET {url}: {exc!r}") from None
        if not isinstance(data, dict):
            raise ProviderUnavailable(f"GET {url}: not a JSON object")
        return data

    def metadata(self) -> dict:
        """The discovery document, fetched at most once an hour."""
        with self._lock:
            if self._metadata and time.monotonic() - self._metadata_at < CACHE_SECONDS:
                return self._metadata
        data = self._get_json(self.issuer + "/.well-known/openid-configuration")
        # OpenID Connect Discovery 1.0, 4.3: the document's issuer is exactly the one asked.
        if str(data.get("issuer", "")).rstrip("/") != self.issuer:
            raise ProviderUnavailable(f"discovery names issuer {data.get('issuer')!r}")
        for key in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
            if not isinstance(data.get(key), str) or not data[key].startswith(("https:", "http:")):
                raise ProviderUnavailable(f"discovery lacks {key}")
        with self._lock:
            self._metadata, self._metadata_at = data, time.monotonic()
        return data

    def _key_set(self, refresh: bool = False) -> jwt.PyJWKSet:
        with self._lock:
            fresh = self._keys and time.monotonic() - self._keys_at < CACHE_SECONDS
            if fresh and not refresh:
                return self._keys
        data = self._get_json(self.metadata()["jwks_uri"])
        try:
            keys = jwt.PyJWKSet.from_dict(data)
        except jwt.PyJWTError as exc:
            raise ProviderUnavailable(f"JWKS unusable: {exc!r}") from None
        with self._lock:
            self._keys, self._keys_at = keys, time.monotonic()
        return keys

    def signing_key(self, token: str):
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise OidcError(ANSWER_INVALID, f"ID token header: {exc!r}") from None
        if header.get("alg") not in ALGORITHMS:
            raise OidcError(ANSWER_INVALID, f"ID token algorithm {header.get('alg')!r}")
        kid = header.get("kid")
        for refresh in (False, True):
            keys = [
                k
                for k in self._key_set(refresh=refresh).keys
                if (kid is None or k.key_id == kid) and k.public_key_use in (None, "sig")
            ]
            if len(keys) == 1 or (keys and kid is not None):
                return keys[0]
            if len(keys) > 1:
                raise OidcError(ANSWER_INVALID, "ID token without kid, several keys")
        raise OidcError(ANSWER_INVALID, f"no key {kid!r} in the provider's JWKS")

    # -- the flow -------------------------------------------------------------------------

    def authorization_url(self, redirect_uri: str, pending: dict) -> str:
        endpoint = self.metadata()["authorization_endpoint"]
        query = urlencode(
            {
                "response_type": "code",
                "client_id": self.client_id,
                "redirect_uri": redirect_uri,
                "scope": "openid email profile",
                "state": pending["state"],
                "nonce": pending["nonce"],
                "code_challenge": code_challenge(pending["verifier"]),
                "code_challenge_method": "S256",
            }
        )
        return endpoint + ("&" if "?" in endpoint else "?") + query

    def exchange(self, code: str, redirect_uri: str, verifier: str) -> str:
        """The code for an ID token, at the token endpoint, authenticated with the secret."""
        meta = self.metadata()
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "code_verifier": verifier,
        }
        methods = meta.get("token_endpoint_auth_methods_supported") or ["client_secret_basic"]
        auth = None
        if "client_secret_basic" in methods:
            auth = (self.client_id, self.client_secret)
        else:
            form.update(client_id=self.client_id, client_secret=self.client_secret)
        try:
            response = self.http.post(
                meta["token_endpoint"],
                data=form,
                auth=auth,
                timeout=self.timeout,
                headers={"Accept": "application/json"},
            )
        except requests.RequestException as exc:
            raise ProviderUnavailable(f"token endpoint: {exc!r}") from None
        if response.status_code >= 500:
            raise ProviderUnavailable(f"token endpoint answered {response.status_code}")
        try:
            data = response.json()
        except ValueError:
            data = {}
        if response.status_code != 200 or not isinstance(data, dict):
            # invalid_grant and the like: a used or forged code, a wrong verifier or secret.
            raise OidcError(ANSWER_INVALID, f"token endpoint {response.status_code}: {data!r}")
        id_token = data.get("id_token")
        if not isinstance(id_token, str) or not id_token:
            raise OidcError(ANSWER_INVALID, "token response without id_token")
        return id_token

    def validate(self, id_token: str, nonce: str) -> dict:
        """The ID token's claims, once every check passed; OidcError otherwise."""
        key = self.signing_key(id_token)
        try:
            claims = jwt.decode(
                id_token,
                key=key,
                algorithms=list(ALGORITHMS),
                audience=self.client_id,
                issuer=self.issuer,
                leeway=LEEWAY_SECONDS,
                options={"require": ["iss", "sub", "aud", "exp", "iat"]},
            )
        except jwt.PyJWTError as exc:
            raise OidcError(ANSWER_INVALID, f"ID token refused: {exc!r}") from None
        if float(claims["iat"]) > time.time() + LEEWAY_SECONDS:
            raise OidcError(ANSWER_INVALID, "ID token issued in the future")
        audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
        if len(audiences) > 1 and claims.get("azp") != self.client_id:
            raise OidcError(ANSWER_INVALID, "ID token for several parties, azp not ours")
        if not isinstance(claims.get("nonce"), str) or not secrets.compare_digest(
            claims["nonce"], nonce
        ):
            raise OidcError(ANSWER_INVALID, "ID token nonce differs")
        if not isinstance(claims["sub"], str) or not claims["sub"]:
            raise OidcError(ANSWER_INVALID, "ID token without subject")
        if claims.get("email_verified") is not True or not isinstance(claims.get("email"), str):
            raise OidcError(UNVERIFIED_EMAIL, "e-mail missing or not verified")
        return claims


def provider(app) -> Provider | None:
    """The app's provider, made on first use; None when OpenID Connect is not configured."""
    if not app.config.get("OIDC_ISSUER"):
        return None
    found = app.extensions.get("oidc")
    if found is None:
        found = app.extensions["oidc"] = Provider(
            app.config["OIDC_ISSUER"],
            app.config["OIDC_CLIENT_ID"],
            app.config["OIDC_CLIENT_SECRET"],
        )
    return found
