"""Passwords, tokens, lockout and session expiry."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from partners.domain import credentials

NOW = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)
minutes = st.integers(min_value=0, max_value=60)


def test_passwords_are_argon2id_hashes_that_verify():
    hashed = credentials.hash_password("een goed wachtwoord")
    assert hashed.startswith("$argon2id$")
    assert "een goed wachtwoord" not in hashed
    assert credentials.verify_password(hashed, "een goed wachtwoord")
    assert not credentials.verify_password(hashed, "een ander wachtwoord")
    # An unknown e-mail (no hash) never verifies, whatever the password.
    assert not credentials.verify_password(None, "een goed wachtwoord")
    assert not credentials.verify_password("not-a-hash", "x")


def test_tokens_are_random_and_stored_only_as_their_hash():
    a, b = credentials.new_session_token(), credentials.new_session_token()
    assert a != b and len(a) >= 43
    assert credentials.token_hash(a) == credentials.token_hash(a) != credentials.token_hash(b)
    api = credentials.new_api_token()
    assert credentials.is_api_token(api) and not credentials.is_api_token(a)


@given(st.lists(minutes, max_size=10))
def test_locked_exactly_with_five_failures_in_the_last_quarter_hour(ages):
    failures = [NOW - dt.timedelta(minutes=m) for m in ages]
    recent = sum(1 for m in ages if m < 15)
    assert credentials.locked(failures, NOW) == (recent >= 5)


def test_a_lock_ends_fifteen_minutes_after_the_failures():
    failures = [NOW - dt.timedelta(seconds=s) for s in range(5)]
    assert credentials.locked(failures, NOW)
    assert not credentials.locked(failures, NOW + dt.timedelta(minutes=15))


@given(st.integers(0, 30 * 60), st.integers(0, 30 * 60))
def test_sessions_expire_idle_after_8h_and_always_after_24h(age_min, idle_min):
    idle_min = min(idle_min, age_min)
    created = NOW - dt.timedelta(minutes=age_min)
    last_seen = NOW - dt.timedelta(minutes=idle_min)
    alive = credentials.session_alive(created, last_seen, NOW)
    assert alive == (idle_min < 8 * 60 and age_min < 24 * 60)
    assert alive == (NOW < credentials.session_expires_at(created, last_seen))
