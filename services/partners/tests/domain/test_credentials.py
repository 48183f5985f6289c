"""Passwords, tokens, the sign-in throttle and session expiry."""

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


NONE = (0, None)


@given(st.integers(0, 200))
def test_the_delay_doubles_after_the_free_failures_up_to_its_cap(failures):
    for throttle in (
        credentials.PER_ADDRESS_AND_ACCOUNT,
        credentials.PER_ADDRESS,
        credentials.PER_ACCOUNT,
    ):
        d = credentials.delay(throttle, failures)
        assert dt.timedelta(0) <= d <= throttle.cap
        if failures < throttle.free:
            assert d == dt.timedelta(0)
        else:
            expected = 2 ** min(failures - throttle.free, 30)
            assert d == min(throttle.cap, dt.timedelta(seconds=expected))
        assert credentials.delay(throttle, failures + 1) >= d


@given(st.integers(0, 500), st.integers(0, 500), st.integers(0, 500), st.booleans())
def test_no_number_of_failures_holds_anyone_longer_than_the_caps(pair, address, account, known):
    latest = NOW
    wait = credentials.wait_before(NOW, (pair, latest), (address, latest), (account, latest), known)
    assert wait <= max(credentials.PER_ADDRESS.cap, credentials.PER_ADDRESS_AND_ACCOUNT.cap)
    # From an address with no failures, where the person signed in before, nothing waits:
    # a stranger's guessing elsewhere never locks the real person out.
    held = credentials.wait_before(NOW, NONE, (address, latest), (account, latest), True)
    assert held == dt.timedelta(0)
    # From a new address the account-wide delay is short.
    assert credentials.wait_before(NOW, NONE, NONE, (account, latest), False) <= dt.timedelta(
        seconds=30
    )


def test_a_delay_counts_from_the_latest_failure_and_ends():
    four = (4, NOW - dt.timedelta(seconds=1))  # 3 free, the 4th asks 2 s from the latest
    assert credentials.wait_before(NOW, four, NONE, NONE, False) == dt.timedelta(seconds=1)
    later = NOW + dt.timedelta(seconds=1)
    assert credentials.wait_before(later, four, NONE, NONE, False) == dt.timedelta(0)


@given(st.integers(0, 30 * 60), st.integers(0, 30 * 60))
def test_sessions_expire_idle_after_8h_and_always_after_24h(age_min, idle_min):
    idle_min = min(idle_min, age_min)
    created = NOW - dt.timedelta(minutes=age_min)
    last_seen = NOW - dt.timedelta(minutes=idle_min)
    alive = credentials.session_alive(created, last_seen, NOW)
    assert alive == (idle_min < 8 * 60 and age_min < 24 * 60)
    assert alive == (NOW < credentials.session_expires_at(created, last_seen))
