"""Protection against cross-site request forgery for everything the session cookie allows.

A browser sends the session cookie with any request to us, also one another site makes it
send. So every state-changing request that relies on the cookie must prove it came from our
own page: a per-session random token, put in each form as a hidden field (or sent by a
script as the X-CSRF-Token header), compared in constant time. A request carrying a bearer
token needs none: no browser adds that header by itself.

Portal forms are checked even before anyone signs in (the sign-in form too), so another
site cannot sign a visitor in as someone else.
"""

import hmac
import secrets

from flask import request, session

from verband_common.errors import VerbandError

FIELD = "csrf_token"
HEADER = "X-CSRF-Token"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")


class CsrfFailed(VerbandError):
    code = "csrf_failed"
    http_status = 403


def token() -> str:
    """This session's token, made on first use (it lives as long as the session)."""
    value = session.get("csrf")
    if not value:
        value = session["csrf"] = secrets.token_urlsafe(32)
    return value


def renew() -> None:
    """A fresh token at sign-in and sign-out, so one seen before cannot be replayed."""
    session["csrf"] = secrets.token_urlsafe(32)


def check(cookie_name: str) -> None:
    """Refuse a state-changing request that relies on the session without a valid token."""
    if request.method in SAFE_METHODS:
        return
    is_api = request.path.startswith("/api/")
    if is_api:
        if request.headers.get("Authorization"):
            return
        if cookie_name not in request.cookies or not session.get("token"):
            # No signed-in session to ride on, no ambient authority to abuse: the request
            # stands on its own credentials (or the API answers 401).
            return
        sent = request.headers.get(HEADER, "")
    else:
        sent = request.form.get(FIELD, "") or request.headers.get(HEADER, "")
    expected = session.get("csrf", "")
    if not expected or not sent or not hmac.compare_digest(sent.encode(), expected.encode()):
        raise CsrfFailed(
            "Dit formulier is verlopen of kwam niet van Verband. Laad de pagina opnieuw en "
            "probeer nog eens."
            if not is_api
            else f"Stuur het CSRF-token van deze sessie mee in de kop {HEADER}."
        )
