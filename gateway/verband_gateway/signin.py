"""Signing in to the portal: e-mail and password or the region's identity provider (OpenID
Connect, see `oidc`), signing out, and a forgotten password.

The session cookie (signed with SECRET_KEY) holds the partners session token, the CSRF
token and the network the person works in; who they are is asked of the partners service.
"""

import logging
import secrets
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from marshmallow import ValidationError, validate

from verband_common.errors import NotFound, Unauthenticated, ValidationFailed, VerbandError
from verband_gateway import auth, call, csrf, oidc
from verband_gateway.api.schemas import PASSWORD_MIN
from verband_gateway.api.session_api import client_info

log = logging.getLogger(__name__)

bp = Blueprint("signin", __name__)


def plausible_email(value: str) -> bool:
    """Shaped like an e-mail address, as the partners service checks it."""
    try:
        validate.Email()(value)
    except ValidationError:
        return False
    return len(value) <= 320


def safe_next(target: str | None) -> str:
    """Where to go after signing in: only a path on this site, never another site."""
    if not target:
        return url_for("portal.home")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return url_for("portal.home")
    # Browsers drop tabs and newlines and read a backslash as a slash: "/\t/evil.example"
    # would become "//evil.example", another site.
    if "\\" in target or any(ch.isspace() or ord(ch) < 32 for ch in target):
        return url_for("portal.home")
    return target


@bp.route("/aanmelden", methods=["GET", "POST"])
def sign_in():
    csrf.token()  # the form needs one before anyone is signed in
    target = request.values.get("volgende")
    if request.method in ("GET", "HEAD"):
        if auth.principal() is not None:
            return redirect(safe_next(target))
        expired = g.get("session_expired", False)
        return render_template(
            "signin.html", email="", errors={}, problem=None, target=target, expired=expired
        )

    email = request.form.get("email", "").strip()
    password = request.form.get("password", "")
    errors = {}
    if not plausible_email(email):
        errors["email"] = "Geef je e-mailadres." if not email else "Geef een geldig e-mailadres."
    if not password:
        errors["password"] = "Geef je wachtwoord."  # noqa: S105 - a message, no password
    problem = None
    if not errors:
        try:
            opened = call(
                "partners", "open_session", email, password, client_info(), anonymous=True
            )
        except Unauthenticated as exc:
            # The service's message: generic for a wrong e-mail or password, or that there
            # were too many attempts. Shown as it is, next to the form.
            problem = exc.message
        except ValidationFailed as exc:
            problem = exc.message
        else:
            start_session(opened)
            return redirect(safe_next(target))
    status = 401 if problem else 422
    return render_template(
        "signin.html", email=email, errors=errors, problem=problem, target=target, expired=False
    ), status


def start_session(opened: dict) -> None:
    # A new session from scratch (also a new CSRF token): nothing from before sign-in,
    # which someone else might have planted, carries over. Whoever was signed in on this
    # browser before is signed out.
    previous = session.get("token")
    if previous:
        _close(previous)
    session.clear()
    session.permanent = True
    session["token"] = opened["token"]
    csrf.renew()
    memberships = opened.get("principal", {}).get("memberships") or []
    if len(memberships) == 1:
        session["network_id"] = str(memberships[0]["network_id"])
    principal = opened.get("principal") or {}
    # Saves the first page a resolve_session; only with the `actor` key resolve_session
    # adds, or the cached principal would act for nobody.
    if principal.get("actor"):
        current_app.extensions["principals"].put(opened["token"], principal)


def _close(token: str) -> None:
    auth.forget(token)
    try:
        call("partners", "close_session", token, anonymous=True)
    except Exception as exc:  # noqa: BLE001 - signing out locally must work regardless
        log.warning("session not closed at partners", extra={"error": repr(exc)})


@bp.post("/afmelden")
def sign_out():
    token = session.get("token")
    if token:
        _close(token)
    session.clear()
    csrf.renew()
    flash("Je bent afgemeld.")
    return redirect(url_for("signin.sign_in"))


@bp.route("/wachtwoord-vergeten", methods=["GET", "POST"])
def forgot_password():
    csrf.token()
    if request.method in ("GET", "HEAD"):
        return render_template("forgot.html", email="", errors={}, sent=False)
    email = request.form.get("email", "").strip()
    if not plausible_email(email):
        return render_template(
            "forgot.html", email=email, errors={"email": "Geef een geldig e-mailadres."}, sent=False
        ), 422
    answer = call("partners", "request_password_reset", email, anonymous=True)
    if answer.get("reset_token") and answer.get("person"):
        from verband_gateway.api.identity import send_reset_mail

        send_reset_mail(answer["person"], answer["reset_token"])
    # The same page whether or not the address is known, so it tells nobody who has an account.
    return render_template("forgot.html", email="", errors={}, sent=True)


def _new_password_errors(password: str, repeat: str) -> dict:
    errors = {}
    if len(password) < PASSWORD_MIN:
        errors["password"] = f"Kies een wachtwoord van minstens {PASSWORD_MIN} tekens."
    elif password != repeat:
        errors["password_repeat"] = "De twee wachtwoorden verschillen."  # noqa: S105
    return errors


@bp.route("/mijn-wachtwoord", methods=["GET", "POST"])
def own_password():
    """A signed-in person changes their own password, with the current one (the portal's
    form of PUT /api/me/password). The new password ends every session, this one too."""
    auth.signed_in()
    if request.method in ("GET", "HEAD"):
        return _own_password_page(errors={}, problem=None)
    current = request.form.get("current_password", "")
    password = request.form.get("password", "")
    errors = _new_password_errors(password, request.form.get("password_repeat", ""))
    if not current:
        errors["current_password"] = "Geef je huidige wachtwoord."  # noqa: S105
    if errors:
        return _own_password_page(errors=errors, problem=None, status=422)
    try:
        call("partners", "change_password", current, password)
    except ValidationFailed as exc:
        errors = {}
        if exc.fields.get("current_password"):
            errors["current_password"] = " ".join(exc.fields["current_password"])
        if exc.fields.get("new_password"):
            errors["password"] = " ".join(exc.fields["new_password"])
        return _own_password_page(errors=errors, problem=exc.message, status=422)
    auth.forget_all()
    session.clear()
    csrf.renew()
    flash("Je wachtwoord is gewijzigd. Meld je aan met je nieuwe wachtwoord.")
    return redirect(url_for("signin.sign_in"))


def _own_password_page(errors, problem, status=200):
    return render_template("own_password.html", errors=errors, problem=problem), status


# The reset and invitation links carry their token after "#" (see static/link-token.js):
# the token reaches the gateway only in a POST body, never in a logged request line.


@bp.route("/wachtwoord-herstellen", methods=["GET", "POST"])
def reset_password():
    csrf.token()
    if request.method in ("GET", "HEAD"):
        return _reset_page(token="", errors={}, problem=None)
    token = request.form.get("token", "").strip()
    password = request.form.get("password", "")
    errors = _new_password_errors(password, request.form.get("password_repeat", ""))
    if not token:
        errors["token"] = "Open de link uit de e-mail, of plak de code."  # noqa: S105
    if errors:
        return _reset_page(token=token, errors=errors, problem=None, status=422)
    try:
        call("partners", "reset_password", token, password, anonymous=True)
    except ValidationFailed as exc:
        if "reset_token" in exc.fields:
            # Used, expired or unknown link: say so and offer a new one.
            return _reset_page(token="", errors={}, problem=exc.message, expired=True, status=400)
        # The service's password rules, shown at the password field.
        messages = exc.fields.get("new_password") or exc.fields.get("password") or []
        errors = {"password": " ".join(messages)} if messages else {}
        return _reset_page(token=token, errors=errors, problem=exc.message, status=422)
    except (Unauthenticated, NotFound) as exc:
        return _reset_page(token="", errors={}, problem=exc.message, expired=True, status=400)
    flash("Je wachtwoord is gewijzigd. Meld je aan met je nieuwe wachtwoord.")
    return redirect(url_for("signin.sign_in"))


def _reset_page(token, errors, problem, expired=False, status=200):
    return render_template(
        "reset.html", token=token, errors=errors, problem=problem, expired=expired
    ), status


@bp.route("/uitnodiging", methods=["GET", "POST"])
def invitation():
    """Accept an invitation: signed in, as oneself; or new, by choosing a password."""
    csrf.token()
    signed = auth.principal()
    if request.method in ("GET", "HEAD"):
        return _invitation_page(signed, token="", errors={}, problem=None)
    token = request.form.get("token", "").strip()
    errors = {} if token else {"token": "Open de link uit de e-mail, of plak de code."}
    if signed is None:
        password = request.form.get("password", "")
        errors.update(_new_password_errors(password, request.form.get("password_repeat", "")))
    if errors:
        return _invitation_page(signed, token=token, errors=errors, problem=None, status=422)
    try:
        if signed is not None:
            call("partners", "accept_invitation", token)
            auth.forget_all()
        else:
            opened = call(
                "partners",
                "accept_invitation_as_new",
                token,
                password,
                client_info(),
                anonymous=True,
            )
            start_session(opened)
    except VerbandError as exc:
        fields = {k: " ".join(v) for k, v in exc.fields.items() if k in ("token", "password")}
        return _invitation_page(
            signed, token=token, errors=fields, problem=exc.message, status=exc.http_status
        )
    flash("Welkom: je hebt de uitnodiging aanvaard.")
    return redirect(url_for("portal.home"))


def _invitation_page(signed, token, errors, problem, status=200):
    return render_template(
        "invitation.html", principal=signed, token=token, errors=errors, problem=problem
    ), status


@bp.get("/aanmelden/oidc")
def sign_in_oidc():
    provider = oidc.provider(current_app)
    if provider is None:
        return _oidc_not_configured()
    target = request.args.get("volgende")
    pending = oidc.new_request()
    try:
        location = provider.authorization_url(_oidc_redirect_uri(), pending)
    except oidc.OidcError as exc:
        return _oidc_problem(exc, 502)
    # Only this browser can finish the sign-in it began: the provider's answer must bring
    # back this state, its ID token this nonce, and the code is useless without the verifier.
    session["oidc"] = {**pending, "target": safe_next(target)}
    return redirect(location)


@bp.get("/aanmelden/oidc/terug")
def sign_in_oidc_return():
    provider = oidc.provider(current_app)
    if provider is None:
        return _oidc_not_configured()
    pending = session.pop("oidc", None)  # one answer per attempt, good or bad
    state = request.args.get("state", "")
    if (
        not isinstance(pending, dict)
        or not state
        or not secrets.compare_digest(state, str(pending.get("state", "")))
    ):
        return _oidc_problem(oidc.OidcError(oidc.BAD_STATE, "state differs or none pending"), 400)
    if request.args.get("error") or not request.args.get("code"):
        detail = f"provider error {request.args.get('error', 'no code')!r}"
        return _oidc_problem(oidc.OidcError(oidc.REFUSED, detail), 401)
    try:
        id_token = provider.exchange(
            request.args["code"], _oidc_redirect_uri(), pending["verifier"]
        )
        claims = provider.validate(id_token, pending["nonce"])
    except oidc.ProviderUnavailable as exc:
        return _oidc_problem(exc, 502)
    except oidc.OidcError as exc:
        return _oidc_problem(exc, 401)
    identity = {"issuer": provider.issuer, "subject": claims["sub"], "email": claims["email"]}
    try:
        opened = call(
            "partners", "open_session_for_identity", identity, client_info(), anonymous=True
        )
    except (Unauthenticated, ValidationFailed) as exc:
        log.info("identity refused by partners", extra={"reason": exc.message})
        return _sign_in_page(exc.message, 401)
    start_session(opened)
    return redirect(safe_next(pending.get("target")))


def _oidc_redirect_uri() -> str:
    # From PUBLIC_URL where set: never from a Host header a caller chooses.
    base = current_app.config["PUBLIC_URL"] or request.host_url.rstrip("/")
    return base + url_for("signin.sign_in_oidc_return")


def _oidc_problem(exc: "oidc.OidcError", status: int):
    log.warning("sign-in through the identity provider failed", extra={"reason": exc.detail})
    return _sign_in_page(exc.message, status)


def _sign_in_page(problem: str, status: int):
    csrf.token()
    return render_template(
        "signin.html", email="", errors={}, problem=problem, target=None, expired=False
    ), status


def _oidc_not_configured():
    return render_template(
        "error.html",
        status=404,
        message=(
            "Aanmelden via je organisatie (OpenID Connect) is op dit platform niet "
            "ingesteld. Meld je aan met je e-mailadres en wachtwoord."
        ),
    ), 404
