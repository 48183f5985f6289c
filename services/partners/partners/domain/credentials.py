"""Passwords, session, reset, invitation and API tokens, and the sign-in throttle.

Passwords are hashed with argon2id; tokens are random and only their SHA-256 is stored, so
a copy of the database signs nobody in.
"""

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

API_TOKEN_PREFIX = "vbt_"  # noqa: S105 (a prefix, not a secret)
SESSION_IDLE = dt.timedelta(hours=8)
SESSION_ABSOLUTE = dt.timedelta(hours=24)
RESET_VALID = dt.timedelta(hours=1)
INVITATION_VALID = dt.timedelta(days=14)

# The sign-in throttle: failures within THROTTLE_WINDOW count. After a few free failures
# each further attempt must wait a delay that doubles with every failure, up to a cap.
# There is no hard lock: a stranger guessing someone's password slows down only their own
# guessing (per address and account, per address), and the account-wide delay - the brake
# against guessing from many addresses - is short and does not apply where the person
# signed in before, so the real person always gets in after at most a short wait.
THROTTLE_WINDOW = dt.timedelta(minutes=15)
KNOWN_SOURCE_DAYS = 30


@dataclass(frozen=True)
class Throttle:
    free: int  # failures allowed before any delay
    cap: dt.timedelta  # the longest delay


PER_ADDRESS_AND_ACCOUNT = Throttle(free=3, cap=dt.timedelta(seconds=60))
PER_ADDRESS = Throttle(free=20, cap=dt.timedelta(minutes=15))
PER_ACCOUNT = Throttle(free=10, cap=dt.timedelta(seconds=30))

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


def delay(throttle: Throttle, failures: int) -> dt.timedelta:
    """How long after the last of `failures` recent failures the next attempt must wait:
    nothing for the first `free`, then 1 s, 2 s, 4 s, ... up to the cap."""
    if failures < throttle.free:
        return dt.timedelta(0)
    seconds = 2.0 ** min(failures - throttle.free, 30)
    return min(dt.timedelta(seconds=seconds), throttle.cap)


def wait_before(
    now: dt.datetime,
    pair: tuple[int, dt.datetime | None],
    address: tuple[int, dt.datetime | None],
    account: tuple[int, dt.datetime | None],
    known_source: bool,
) -> dt.timedelta:
    """How long this sign-in attempt must still wait (zero: go ahead).

    Each argument is (number of recent failures, time of the latest) for this address and
    account together, this address, and this account. Attempts refused for waiting are not
    counted, so a delay always ends. `known_source`: the person signed in from this address
    lately; the per-address and account-wide delays, which a stranger could hold up, do not
    apply there.
    """
    waits = [_remaining(now, PER_ADDRESS_AND_ACCOUNT, *pair)]
    if not known_source:
        # Brakes on guessing many accounts from one address and one account from many
        # addresses; a person signing in from where they did before (an office behind one
        # address shared with a careless colleague, or with a stranger) is not held by them.
        waits.append(_remaining(now, PER_ADDRESS, *address))
        waits.append(_remaining(now, PER_ACCOUNT, *account))
    return max(waits)


def _remaining(now, throttle: Throttle, failures: int, latest) -> dt.timedelta:
    if not failures or latest is None:
        return dt.timedelta(0)
    return max(dt.timedelta(0), latest + delay(throttle, failures) - now)


def new_invitation_token() -> str:
    return secrets.token_urlsafe(32)


def session_alive(created_at: dt.datetime, last_seen_at: dt.datetime, now: dt.datetime) -> bool:
    """Sliding idle expiry within an absolute lifetime."""
    return now - last_seen_at < SESSION_IDLE and now - created_at < SESSION_ABSOLUTE


def session_expires_at(created_at: dt.datetime, last_seen_at: dt.datetime) -> dt.datetime:
    return min(last_seen_at + SESSION_IDLE, created_at + SESSION_ABSOLUTE)
