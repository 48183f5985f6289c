"""Errors that cross the RPC boundary as themselves, so the gateway can map them to HTTP.

nameko rebuilds a registered exception from its args on the calling side; the args must
therefore be JSON-safe (a message and a dict of field errors).
"""

from nameko.exceptions import deserialize_to_instance


class VerbandError(Exception):
    code = "error"
    http_status = 500

    def __init__(self, message: str, fields: dict | None = None):
        super().__init__(message, fields or {})
        self.message = message
        self.fields = fields or {}

    def __str__(self) -> str:
        if self.fields:
            return f"{self.message}: {self.fields}"
        return self.message

    def to_body(self) -> dict:
        body = {"code": self.code, "message": self.message}
        if self.fields:
            body["fields"] = self.fields
        return {"error": body}


@deserialize_to_instance
class ValidationFailed(VerbandError):
    """Input broke a rule; `fields` maps each field (dotted path) to its messages."""

    code = "validation_failed"
    http_status = 422


@deserialize_to_instance
class NotFound(VerbandError):
    code = "not_found"
    http_status = 404


@deserialize_to_instance
class Conflict(VerbandError):
    code = "conflict"
    http_status = 409


@deserialize_to_instance
class Forbidden(VerbandError):
    code = "forbidden"
    http_status = 403


@deserialize_to_instance
class Unauthenticated(VerbandError):
    """Nobody (or nobody valid) is signed in: wrong credentials, an expired session."""

    code = "unauthenticated"
    http_status = 401


@deserialize_to_instance
class NotRepeated(VerbandError):
    """A request that came back after a broker connection was lost is not run again: the
    first delivery may already have done it (rpc.py). The caller may look and try again."""

    code = "service_unavailable"
    http_status = 503


@deserialize_to_instance
class DeadlineExceeded(VerbandError):
    """The caller stopped waiting before the work could be done (or committed): nothing was
    changed, and a retry is safe."""

    code = "deadline_exceeded"
    http_status = 503


@deserialize_to_instance
class TooManyAttempts(VerbandError):
    """Too many failed attempts lately: try again after the delay in `retry_after`."""

    code = "too_many_attempts"
    http_status = 429


EXPECTED = (
    ValidationFailed,
    NotFound,
    Conflict,
    Forbidden,
    Unauthenticated,
    DeadlineExceeded,
    TooManyAttempts,
)


def from_marshmallow(err, message: str = "De invoer is ongeldig.") -> ValidationFailed:
    """Flatten marshmallow's nested messages into dotted field paths."""
    return ValidationFailed(message, flatten_messages(err.messages))


def flatten_messages(messages, prefix: str = "") -> dict:
    flat: dict[str, list[str]] = {}
    if isinstance(messages, dict):
        for key, value in messages.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            if isinstance(value, (dict,)):
                flat.update(flatten_messages(value, path))
            else:
                flat[path] = [str(m) for m in (value if isinstance(value, list) else [value])]
    elif isinstance(messages, list):
        flat[prefix or "_schema"] = [str(m) for m in messages]
    return flat
