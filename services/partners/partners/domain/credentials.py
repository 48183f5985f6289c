"""Passwords, session and API tokens, and the sign-in lockout.

Passwords are hashed with argon2id; tokens are random and only their SHA-256 is stored, so
a copy of the database signs nobody in.
"""

import datetime as dt
import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

API_TOKEN_PREFIX = "vbt_"  # noqa: S105 (a prefix, not a secret)
SESSION_IDLE = dt.timedelta(hours=8)
SESSION_ABSOLUTE = dt.timedelta(hours=24)
RESET_VALID = dt.timedelta(hours=1)
LOCKOUT_FAILURES = 5
LOCKOUT_WINDOW = dt.timedelta(minutes=15)

_hasher = PasswordHasher()  # argon2id, RFC 9106 low-memory profile
# Verified when an e-mail is unknown, so that answering takes as long either way.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


def new_api_token() -> str:
    return API_TOKEN_PREFIX + secrets.token_urlsafe(32)


def new_reset_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()


def is_api_token(token: str) -> bool:
    return token.startswith(API_TOKEN_PREFIX)


def locked(failures: list[dt.datetime], now: dt.datetime) -> bool:
    """Locked after LOCKOUT_FAILURES failed sign-ins within LOCKOUT_WINDOW, until the window
    has moved past them (attempts while locked are not counted, so the lock ends)."""
    recent = [at for at in failures if now - at < LOCKOUT_WINDOW]
    return len(recent) >= LOCKOUT_FAILURES


def session_alive(created_at: dt.datetime, last_seen_at: dt.datetime, now: dt.datetime) -> bool:
    """Sliding idle expiry within an absolute lifetime."""
    return now - last_seen_at < SESSION_IDLE and now - created_at < SESSION_ABSOLUTE


def session_expires_at(created_at: dt.datetime, last_seen_at: dt.datetime) -> dt.datetime:
    return min(last_seen_at + SESSION_IDLE, created_at + SESSION_ABSOLUTE)
