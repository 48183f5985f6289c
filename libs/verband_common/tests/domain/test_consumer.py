"""Retry back-off of event consumers."""

from hypothesis import given
from hypothesis import strategies as st

from verband_common.consumer import DEFAULT_MAX_ATTEMPTS, retry_delay


def test_the_delay_doubles_from_a_fifth_of_a_second():
    assert [retry_delay(n) for n in range(1, 6)] == [0.2, 0.4, 0.8, 1.6, 3.2]


def test_the_delay_is_capped_at_five_seconds():
    assert retry_delay(6) == 5.0
    assert retry_delay(1000) == 5.0


@given(st.integers(min_value=1, max_value=10_000))
def test_the_delay_never_shrinks_and_stays_within_bounds(attempt):
    assert 0 < retry_delay(attempt) <= 5.0
    assert retry_delay(attempt) <= retry_delay(attempt + 1)


def test_all_default_attempts_together_wait_a_few_seconds_at_most():
    assert sum(retry_delay(n) for n in range(1, DEFAULT_MAX_ATTEMPTS)) < 5
