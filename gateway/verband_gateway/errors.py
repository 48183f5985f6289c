"""One error body for the whole JSON API: {"error": {"code", "message", "fields"?}}."""

from flask import g, jsonify
from werkzeug.exceptions import HTTPException

from verband_common.errors import VerbandError, flatten_messages

_CODES = {
    400: "bad_request",
    404: "not_found",
    405: "method_not_allowed",
    415: "unsupported_media_type",
    422: "validation_failed",
    500: "internal_error",
}
_MESSAGES = {
    400: "Het verzoek is ongeldig.",
    404: "Niet gevonden.",
    405: "Deze methode is hier niet toegestaan.",
    415: "Stuur JSON (Content-Type: application/json).",
    422: "De invoer is ongeldig.",
    500: "Er ging iets mis aan onze kant.",
}


def error_response(status: int, code: str, message: str, fields: dict | None = None):
    body = {"code": code, "message": message}
    if fields:
        body["fields"] = fields
    cid = getattr(g, "correlation_id", None)
    if cid:
        body["correlation_id"] = cid
    return jsonify({"error": body}), status


def from_domain(exc: VerbandError):
    return error_response(exc.http_status, exc.code, exc.message, exc.fields)


def from_http(exc: HTTPException):
    status = exc.code or 500
    data = getattr(exc, "data", None) or {}
    fields = None
    if "messages" in data:  # webargs: {"json": {...}} per location
        messages = data["messages"]
        body_errors = messages.get("json", messages)
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
