"""Who is asking, and may they: the request's principal and the gateway's coarse role check.

A request brings its credentials one of two ways: `Authorization: Bearer <token>` (a session
token from /api/auth/login, or an integration's `vbt_` API token) or the portal's session
cookie holding a session token. Either is resolved by the partners service
(`resolve_session`), which knows the person, their memberships and roles. The answer is
kept a few seconds per process, so a page that makes five RPCs resolves its caller once.

The role check here is coarse (memberships as the principal carries them); every service
checks again against its own data. A network the principal has no role in answers 404, so
that a stranger cannot learn which networks exist.
"""

import datetime as dt
import functools
import hashlib
import inspect
import threading
import time

from flask import current_app, g, request, session

from verband_common.errors import Forbidden, NotFound, Unauthenticated
from verband_common.roles import NETWORK_ROLES


class PrincipalCache:
    """Resolved principals by token, for a few seconds; keyed by a hash, never the token."""

    def __init__(self, ttl: float, max_entries: int = 10_000):
        self.ttl = ttl
        self.max_entries = max_entries
        self._entries: dict[str, tuple[float, dict]] = {}
        self._lock = threading.Lock()

    @staticmethod
    def _key(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    def get(self, token: str) -> dict | None:
        key = self._key(token)
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            if entry[0] < time.monotonic():
                del self._entries[key]
                return None
            return entry[1]

    def put(self, token: str, principal: dict) -> None:
        ttl = min(self.ttl, _seconds_left(principal))
        if ttl <= 0:
            return
        now = time.monotonic()
        with self._lock:
            if len(self._entries) >= self.max_entries:
                # Drop what expired; if that is not enough, start over: a cache miss costs
                # one RPC, an unbounded dict costs the process.
                self._entries = {k: v for k, v in self._entries.items() if v[0] >= now}
                if len(self._entries) >= self.max_entries:
                    self._entries.clear()
            self._entries[self._key(token)] = (now + ttl, principal)

    def drop(self, token: str) -> None:
        with self._lock:
            self._entries.pop(self._key(token), None)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def _seconds_left(principal: dict) -> float:
    """How long an API token has left (infinity for a person's session): a cached principal
    never outlives the token's expiry."""
    scope = principal.get("token_scope") or {}
    expires_at = scope.get("expires_at")
    if not expires_at:
        return float("inf")
    try:
        until = dt.datetime.fromisoformat(str(expires_at))
    except ValueError:
        return 0.0
    if until.tzinfo is None:
        return 0.0
    return (until - dt.datetime.now(dt.UTC)).total_seconds()


def bearer_token() -> str | None:
    """The token of an `Authorization: Bearer` header; a malformed header is refused."""
    header = request.headers.get("Authorization", "")
    if not header:
        return None
    scheme, _, value = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        raise Unauthenticated("Geef je token mee als 'Authorization: Bearer <token>'.")
    return value.strip()


def credentials() -> tuple[str, str] | None:
    """(source, token) of the request: ("bearer", ...) or ("session", ...), or None."""
    token = bearer_token()
    if token:
        return "bearer", token
    token = session.get("token")
    if token:
        return "session", token
    return None


def principal() -> dict | None:
    """The signed-in principal of this request, resolved once; None when nobody is."""
    if "principal" in g:
        return g.principal
    g.principal, g.actor, g.auth_source = None, None, None
    creds = credentials()
    if creds is not None:
        source, token = creds
        found = _resolve(token)
        if found is None and source == "bearer":
            raise Unauthenticated("Dit token is ongeldig of verlopen.")
        if found is None:
            # The session ended at the partners service (expired, or closed elsewhere).
            session.pop("token", None)
            g.session_expired = True
        else:
            g.principal, g.actor, g.auth_source = found, found.get("actor"), source
    return g.principal


def _resolve(token: str) -> dict | None:
    from verband_gateway import call

    cache: PrincipalCache = current_app.extensions["principals"]
    found = cache.get(token)
    if found is not None:
        return found
    try:
        found = call("partners", "resolve_session", token, anonymous=True)
    except Unauthenticated:
        return None
    cache.put(token, found)
    return found


def forget(token: str) -> None:
    """Drop a token from this process's cache (on sign-out or revocation)."""
    current_app.extensions["principals"].drop(token)


def forget_all() -> None:
    """Drop every cached principal of this process (after a change of roles or tokens)."""
    current_app.extensions["principals"].clear()


def signed_in() -> dict:
    found = principal()
    if found is None:
        raise Unauthenticated("Meld je aan om verder te gaan.")
    return found


def roles_in(who: dict, network_id) -> set[str]:
    """The roles `who` holds in the network; an API token holds only its own scope."""
    network_id = str(network_id)
    scope = who.get("token_scope")
    if scope:
        return {scope["role"]} if str(scope["network_id"]) == network_id else set()
    roles: set[str] = set()
    for membership in who.get("memberships") or ():
        if str(membership["network_id"]) == network_id:
            roles.update(membership.get("roles") or ())
    return roles


def is_platform_admin(who: dict) -> bool:
    # An API token speaks for one network and role, never for the platform.
    return bool(who.get("platform_admin")) and not who.get("token_scope")


def require(network_id, *roles: str, platform_admin: bool = False) -> dict:
    """The principal, if they hold one of `roles` in the network; none given: any role of
    those who work in or watch it (NETWORK_ROLES), so a guest of one meeting passes only
    where a route names the meeting roles (the meetings service decides per meeting).

    401 when nobody is signed in, 404 for a network they have no role in, 403 when their
    role there does not allow it. `platform_admin=True` also lets a platform admin through
    (they set up networks, but see no network's families: leave it False for cases).
    """
    who = signed_in()
    if platform_admin and is_platform_admin(who):
        return who
    held = roles_in(who, network_id)
    if not held:
        raise NotFound("Dit netwerk bestaat niet.", {"network_id": ["Onbekend netwerk."]})
    if not held.intersection(roles or NETWORK_ROLES):
        raise Forbidden("Je rol in dit netwerk laat dit niet toe.")
    return who


def require_platform_admin() -> dict:
    who = signed_in()
    if not is_platform_admin(who):
        raise Forbidden("Alleen een platformbeheerder mag dit.")
    return who


def requires(
    *roles: str,
    platform_admin: bool = False,
    region_wide: bool = False,
    network_arg: str = "network_id",
):
    """View decorator: `require(<network id from the URL>, *roles)` before the view runs.

    Views without a network in their URL only need someone signed in; the service then
    decides from the object's network. The check runs before the body is validated, so a
    stranger learns nothing from validation messages.

    `region_wide`: what any role holder of a network in the same region may read (offer).
    The gateway does not know another network's region, so anyone with a role somewhere
    passes here and the partners service answers the rest (404).
    """

    def decorate(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            if region_wide and network_arg in kwargs:
                who = signed_in()
                if not (is_platform_admin(who) or who.get("memberships") or who.get("token_scope")):
                    raise NotFound(
                        "Dit netwerk bestaat niet.", {"network_id": ["Onbekend netwerk."]}
                    )
            elif network_arg in kwargs:
                require(kwargs[network_arg], *roles, platform_admin=platform_admin)
            elif platform_admin and not roles:
                require_platform_admin()
            else:
                signed_in()
            return view(*args, **kwargs)

        _document(wrapper, network=network_arg in _path_args(view), roles=roles)
        return wrapper

    return decorate


def _path_args(view) -> tuple[str, ...]:
    # signature() follows functools.wraps, so it sees through flask-smorest's decorators.
    return tuple(inspect.signature(view).parameters)


def _document(view, network: bool, roles) -> None:
    """Add the security requirement and the 401/403/404 answers to the OpenAPI operation."""
    doc = dict(getattr(view, "_apidoc", {}))
    manual = dict(doc.get("manual_doc", {}))
    responses = dict(manual.get("responses", {}))
    responses["401"] = "UNAUTHORIZED"
    if roles or network:
        responses["403"] = "FORBIDDEN"
    if network:
        responses["404"] = "NOT_FOUND"
    manual["responses"] = responses
    manual["security"] = [{"bearerAuth": []}, {"sessionCookie": [], "csrfHeader": []}]
    doc["manual_doc"] = manual
    view._apidoc = doc
