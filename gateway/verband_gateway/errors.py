"""One error body for the whole JSON API: {"error": {"code", "message", "fields"?}}.

The portal gets the same errors as a Dutch page instead (or, when nobody is signed in, the
sign-in page).
"""

from apispec import BasePlugin
from flask import current_app, flash, g, jsonify, redirect, render_template, request, url_for
from marshmallow import Schema, fields
from werkzeug.exceptions import HTTPException

from verband_common import idempotency as idem
from verband_common.errors import Unauthenticated, VerbandError, flatten_messages
from verband_gateway import edge

_CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "validation_failed",
    500: "internal_error",
    502: "bad_service_answer",
    503: "service_unavailable",
}
_MESSAGES = {
    400: "Het verzoek is ongeldig.",
    401: "Meld je aan om verder te gaan.",
    403: "Dit mag je niet doen.",
    404: "Niet gevonden.",
    405: "Deze methode is hier niet toegestaan.",
    413: "Wat je stuurt is te groot.",
    415: "Stuur JSON (Content-Type: application/json).",
    422: "De invoer is ongeldig.",
    500: "Er ging iets mis aan onze kant.",
    503: "Even niet bereikbaar. Probeer het zo dadelijk opnieuw.",
}


class ErrorDetail(Schema):
    code = fields.String(required=True, metadata={"description": "machine-readable code"})
    message = fields.String(required=True, metadata={"description": "for people, in Dutch"})
    fields_ = fields.Dict(
        data_key="fields",
        keys=fields.String(),
        values=fields.List(fields.String()),
        metadata={"description": "per field (dotted path), its messages"},
    )
    correlation_id = fields.String()


class ErrorBody(Schema):
    error = fields.Nested(ErrorDetail, required=True)


IDEMPOTENCY_KEY = {
    "name": idem.HEADER,
    "in": "header",
    "required": False,
    "description": (
        "Een sleutel per schrijfverzoek: wie hetzelfde verzoek opnieuw stuurt met dezelfde "
        "sleutel, krijgt het eerste antwoord terug in plaats van een tweede schrijfactie. "
        "Dezelfde sleutel met een ander verzoek wordt geweigerd (422)."
    ),
    "schema": {"type": "string", "pattern": idem.KEY_PATTERN, "maxLength": idem.MAX_LENGTH},
}


class ErrorAnswers(BasePlugin):
    """apispec plugin: every operation documents the errors any request to it can meet, each
    with the one error body, so the document tells a client (and the fuzzing tier, which
    holds every answer to it) the whole truth.

    Any operation: 403 (no role for it), 404 (an unknown id, or one out of the caller's
    reach), 502 (a service answered outside its contract), 503 (a service or the broker is
    unreachable). One with a body besides: 400 (broken or too deeply nested JSON) and 413
    (a body over the size limit).
    """

    ANY = {
        "403": "FORBIDDEN",
        "404": "NOT_FOUND",
        "502": "BAD_GATEWAY",
        "503": "SERVICE_UNAVAILABLE",
    }
    WITH_BODY = {"400": "BAD_REQUEST", "413": "REQUEST_ENTITY_TOO_LARGE"}

    WRITES = ("post", "put", "patch", "delete")

    def operation_helper(self, path=None, operations=None, **kwargs):
        for method, operation in (operations or {}).items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            answers = dict(self.ANY)
            if "requestBody" in operation:
                answers.update(self.WITH_BODY)
            if method in self.WRITES and (path or "").startswith("/api/"):
                # Every write of the JSON API takes a retry key (the gateway's
                # idempotency_key hook); a malformed one is refused with 422.
                operation.setdefault("parameters", []).append(IDEMPOTENCY_KEY)
                answers["422"] = "UNPROCESSABLE_ENTITY"
            for status, name in answers.items():
                operation["responses"].setdefault(status, name)


def document(api) -> None:
    """Describe the ways to authenticate (ErrorBody is the Api's ERROR_SCHEMA)."""
    spec = api.spec
    spec.components.security_scheme(
        "bearerAuth",
        {
            "type": "http",
            "scheme": "bearer",
            "description": "Een sessietoken (POST /api/auth/login) of een API-token (vbt_...).",
        },
    )
    spec.components.security_scheme(
        "sessionCookie", {"type": "apiKey", "in": "cookie", "name": "verband_session"}
    )
    spec.components.security_scheme(
        "csrfHeader",
        {
            "type": "apiKey",
            "in": "header",
            "name": "X-CSRF-Token",
            "description": "Verplicht bij schrijven met de sessiecookie; zie GET /api/auth/me.",
        },
    )


def _for_portal() -> bool:
    return not request.path.startswith("/api/") and request.path not in ("/health", "/alive")


def error_response(status: int, code: str, message: str, fields: dict | None = None):
    body = {"code": code, "message": message}
    if fields:
        # A field name can be the caller's own invention (an unknown field): escaped, so a
        # lone surrogate in it cannot break writing the answer.
        body["fields"] = {
            edge.printable(str(name)): [edge.printable(str(m)) for m in messages]
            for name, messages in fields.items()
        }
    cid = getattr(g, "correlation_id", None)
    if cid:
        body["correlation_id"] = cid
    response = jsonify({"error": body})
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="verband"'
    response.headers.update(_retry_after(status))
    return response


def _retry_after(status: int) -> dict:
    """A 503 says when to try again: the broker or a service is away for a moment."""
    if status != 503:
        return {}
    return {"Retry-After": str(current_app.config.get("RETRY_AFTER_SECONDS", 5))}


def _page(status: int, message: str):
    return (
        render_template("error.html", status=status, message=message),
        status,
        _retry_after(status),
    )


def from_domain(exc: VerbandError):
    if _for_portal():
        if isinstance(exc, Unauthenticated):
            if g.get("session_expired"):
                flash("Je sessie is verlopen. Meld je opnieuw aan.")
            return redirect(url_for("signin.sign_in", volgende=request.full_path.rstrip("?")))
        return _page(exc.http_status, exc.message)
    return error_response(exc.http_status, exc.code, exc.message, exc.fields)


def from_http(exc: HTTPException):
    status = exc.code or 500
    if _for_portal():
        return _page(status, _MESSAGES.get(status, exc.description or exc.name))
    data = getattr(exc, "data", None) or {}
    fields = None
    if "messages" in data:  # webargs: {"json": {...}} per location
        messages = data["messages"]
        body_errors = messages.get("json", messages.get("query", messages))
        # webargs reports a body that is not JSON at all as a bare list of English messages.
        fields = (
            flatten_messages(body_errors)
            if isinstance(body_errors, dict)
            else {"_body": ["Geen geldige JSON."]}
        )
    return error_response(
        status,
        _CODES.get(status, "error"),
        _MESSAGES.get(status, exc.description or exc.name),
        fields,
    )
