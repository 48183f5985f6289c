"""What the gateway refuses before any view runs: a body over the size limit (413, decided
from Content-Length before a byte is read, and a chunked body cut off at the limit), JSON
nested deeper than any payload of ours (400), and text no field may hold anywhere (422).

The schemas check every field again (verband_common.schemas.common); this is the edge's
own guard for what would otherwise break the parser itself: the stdlib JSON parser raises
RecursionError on a few thousand levels, and a lone surrogate in a key cannot even be
written back in the error that names it.
"""

import io
import json

from flask import abort, current_app, request

from verband_common.errors import ValidationFailed, VerbandError
from verband_common.schemas.common import refused_character

# The deepest payload of ours is a few levels (a meeting series' cadence phases); JSON that
# goes deeper than this is no request of ours.
MAX_JSON_DEPTH = 32
_WRITES = ("POST", "PUT", "PATCH", "DELETE")


class TooDeep(VerbandError):
    code = "bad_request"
    http_status = 400


def _too_deep():
    return TooDeep(
        "Het verzoek is ongeldig.",
        {"_body": [f"De JSON is te diep genest (hoogstens {MAX_JSON_DEPTH} niveaus)."]},
    )


TOO_LARGE = "verband.body_too_large"


class BoundedBody:
    """WSGI middleware: a streamed body (chunked, no Content-Length) is read up to the limit
    and one byte more, never further; over the limit it is marked too large, else handed on
    as a body of known length.

    werkzeug alone stops reading such a body at the limit without complaint, so a body
    over it arrived cut short (a 400 for broken JSON, or worse, half a CSV taken as whole).
    """

    def __init__(self, app, limit: int | None):
        self.app, self.limit = app, limit

    def __call__(self, environ, start_response):
        streamed = environ.get("HTTP_TRANSFER_ENCODING", "").lower() == "chunked" or (
            environ.get("CONTENT_LENGTH") in (None, "") and environ.get("wsgi.input_terminated")
        )
        if self.limit is not None and streamed:
            body = _read_at_most(environ["wsgi.input"], self.limit + 1)
            if len(body) > self.limit:
                environ[TOO_LARGE] = True
                body = b""
            environ["wsgi.input"] = io.BytesIO(body)
            environ["CONTENT_LENGTH"] = str(len(body))
            environ.pop("HTTP_TRANSFER_ENCODING", None)
        return self.app(environ, start_response)


def _read_at_most(stream, size: int) -> bytes:
    chunks, left = [], size
    while left > 0:
        chunk = stream.read(min(left, 64 * 1024))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def check_request() -> None:
    """before_request: refuse what no view should see."""
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    too_large = request.environ.get(TOO_LARGE) or (
        limit is not None and (request.content_length or 0) > limit
    )
    if too_large:
        # Refused on the header alone (or, streamed, after reading one byte past the limit).
        abort(413)
    if request.method in _WRITES and request.is_json:
        check_json(request.get_data(cache=True))


def check_json(raw: bytes) -> None:
    """400 for JSON nested deeper than MAX_JSON_DEPTH; 422 naming the field for text that
    holds a character no text may hold. Invalid JSON is left to the view's parser (400)."""
    try:
        document = json.loads(raw)
    except RecursionError:
        raise _too_deep() from None
    except ValueError:
        return
    problems = {}
    # Depth first over an explicit stack: recursion is exactly what deep input attacks.
    stack = [(document, "", 1)]
    while stack:
        value, path, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            raise _too_deep()
        if isinstance(value, dict):
            items = value.items()
        elif isinstance(value, list):
            items = ((str(i), v) for i, v in enumerate(value))
        else:
            problem = isinstance(value, str) and refused_character(value, multiline=True)
            if problem:
                problems[path or "_body"] = [problem]
            continue
        for key, child in items:
            child_path = f"{path}.{key}" if path else key
            if refused_character(key, multiline=True):
                problems[printable(child_path)] = ["Deze veldnaam bevat een ongeldig teken."]
                continue
            stack.append((child, child_path, depth + 1))
    if problems:
        raise ValidationFailed("De invoer is ongeldig.", problems)


def printable(text: str) -> str:
    """`text` with what cannot be written as UTF-8 (lone surrogates) or shown (NUL and other
    control characters) escaped, so an error can name even a field a hostile caller chose."""
    return "".join(
        ch.encode("unicode_escape").decode("ascii") if refused_character(ch) else ch for ch in text
    )
