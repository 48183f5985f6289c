"""Signing in to the JSON API, and the API tokens integrations use instead of a person."""

import datetime as dt

from flask import g, request, session
from flask.views import MethodView
from flask_smorest import Blueprint

from verband_common.roles import NETWORK_ROLES
from verband_gateway import auth, call, csrf
from verband_gateway.api.schemas import (
    ApiToken,
    ApiTokenInput,
    LoginInput,
    LoginResult,
    Me,
)

blp = Blueprint(
    "auth",
    __name__,
    url_prefix="/api",
    description="Aanmelden bij de API en API-tokens voor koppelingen.",
)


def client_info() -> dict:
    """What the partners service logs about a sign-in: where from, with what."""
    return {
        "ip": request.remote_addr or "",
        "user_agent": request.headers.get("User-Agent", "")[:300],
    }


@blp.route("/auth/login")
class Login(MethodView):
    @blp.arguments(LoginInput)
    @blp.response(200, LoginResult)
    @blp.alt_response(401, "UNAUTHORIZED")
    def post(self, data):
        """Sign in with e-mail and password; use the token as `Authorization: Bearer`.

        Wrong credentials and a locked account both answer 401, with a Dutch message that
        does not tell whether the e-mail address is known.
        """
        return call(
            "partners",
            "open_session",
            data["email"],
            data["password"],
            client_info(),
            schema=LoginResult(),
            anonymous=True,
        )


@blp.route("/auth/logout")
class Logout(MethodView):
    @blp.response(204)
    @blp.alt_response(401, "UNAUTHORIZED")
    def post(self):
        """End the session of the bearer token (or of the session cookie)."""
        creds = auth.credentials()
        if creds is None:
            auth.signed_in()  # 401
            return None
        source, token = creds
        auth.forget(token)
        if token.startswith("vbt_"):
            # An API token is revoked by its id (DELETE /api/tokens/<id>), not signed out.
            return None
        call("partners", "close_session", token, anonymous=True)
        if source == "session":
            session.clear()
            csrf.renew()
        return None


@blp.route("/auth/me")
class WhoAmI(MethodView):
    @auth.requires()
    @blp.response(200, Me)
    def get(self):
        """Who is signed in: person, platform-admin flag, networks and roles there."""
        who = dict(auth.signed_in())
        scope = who.get("token_scope")
        if scope and isinstance(scope.get("expires_at"), str):
            # As the service sent it (text); the answer's schema dumps a moment.
            who["token_scope"] = {
                **scope,
                "expires_at": dt.datetime.fromisoformat(scope["expires_at"]),
            }
        if g.auth_source == "session":
            who["csrf_token"] = csrf.token()
        return who


@blp.route("/networks/<uuid:network_id>/tokens")
class Tokens(MethodView):
    # Not a guest of one meeting: a token speaks for a role in the network, hers grants nothing.
    @auth.requires(*NETWORK_ROLES, platform_admin=True)
    @blp.response(200, ApiToken(many=True))
    def get(self, network_id):
        """The network's API tokens (without their secret): all of them to its network admin,
        one's own to anyone else, with each one's expiry and state."""
        return call("partners", "list_api_tokens", str(network_id), schema=ApiToken(many=True))

    @auth.requires(*NETWORK_ROLES, platform_admin=True)
    @blp.arguments(ApiTokenInput)
    @blp.response(201, ApiToken)
    def post(self, data, network_id):
        """Issue a token for an integration, scoped to this network and one role.

        The role must be one you hold in the network (a network admin: any role). The token
        expires at `expires_at` (at most the platform's maximum lifetime, 90 days unless set
        otherwise; that long when left out) and dies when you lose the role. The token itself
        is in this answer only; keep it somewhere safe.
        """
        expires_at = data.get("expires_at")
        return call(
            "partners",
            "issue_api_token",
            str(network_id),
            data["role"],
            data["label"],
            expires_at.isoformat() if expires_at else None,
            schema=ApiToken(),
        )


@blp.route("/tokens/<uuid:token_id>")
class TokenById(MethodView):
    @auth.requires()
    @blp.response(204)
    def delete(self, token_id):
        """Revoke an API token (its issuer, or the network admin of its network)."""
        call("partners", "revoke_api_token", str(token_id))
        # Other gateway processes may answer for it a few seconds more (their cache);
        # this one forgets every cached principal at once.
        auth.forget_all()
        return None
