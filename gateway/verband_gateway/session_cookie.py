"""The portal's session cookie, encrypted: the browser holds it but cannot read it.

Flask's own session is signed, not encrypted: anyone holding the cookie (a script on the
page, a shared computer, a log that caught a header) could read the API session token in
it, base64-decoded. Here the session is sealed with Fernet (`cryptography`: AES-CBC and
HMAC-SHA256, with a timestamp) under a key derived from SECRET_KEY.

Why an encrypted cookie rather than a server-side session: the gateway holds no database,
and keeping sessions in partners would cost an RPC on every request of every page besides
the one that resolves the principal. The cookie needs nothing shared but SECRET_KEY, which
every gunicorn process and every gateway instance already has, so any of them can open a
cookie another one sealed. Signing out ends the API session at partners, so a copy of an
old cookie opens a dead token.
"""

import base64

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask.json.tag import TaggedJSONSerializer
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import BadSignature

# Binds the derived key to this one use: the same SECRET_KEY yields other keys elsewhere.
_KEY_PURPOSE = b"verband gateway session cookie v1"


def cookie_key(secret_key: str) -> bytes:
    """The Fernet key for `secret_key` (HKDF-SHA256, so any long secret will do)."""
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_KEY_PURPOSE).derive(
        secret_key.encode("utf-8")
    )
    return base64.urlsafe_b64encode(derived)


class SealedSerializer:
    """What Flask's session interface asks of a serializer (dumps, and loads with max_age),
    with Fernet's authenticated encryption instead of a signature."""

    def __init__(self, secret_key: str):
        self.fernet = Fernet(cookie_key(secret_key))
        self.json = TaggedJSONSerializer()  # what Flask's own session cookie uses

    def dumps(self, session: dict) -> str:
        return self.fernet.encrypt(self.json.dumps(session).encode("utf-8")).decode("ascii")

    def loads(self, value: str, max_age: int | None = None) -> dict:
        try:
            plain = self.fernet.decrypt(value.encode("ascii"), ttl=max_age)
        except (InvalidToken, UnicodeEncodeError, ValueError):
            # Flask answers BadSignature by starting an empty session.
            raise BadSignature("session cookie cannot be opened") from None
        return self.json.loads(plain.decode("utf-8"))


class SealedSessionInterface(SecureCookieSessionInterface):
    """Flask's cookie session (same cookie flags, lifetime, refresh), sealed."""

    def get_signing_serializer(self, app):
        if not app.secret_key:
            return None
        serializer = app.extensions.get("sealed_session")
        if serializer is None or serializer[0] != app.secret_key:
            serializer = app.extensions["sealed_session"] = (
                app.secret_key,
                SealedSerializer(app.secret_key),
            )
        return serializer[1]
