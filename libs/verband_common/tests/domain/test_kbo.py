"""KBO enterprise numbers: check digits mod 97."""

from hypothesis import given
from hypothesis import strategies as st

from verband_common import kbo

first_eight = st.integers(min_value=0, max_value=19_999_999)


def number(first: int) -> str:
    return f"{first:08d}{kbo.check_digits(first):02d}"


@given(first_eight)
def test_every_number_with_its_check_digits_is_valid(first):
    assert kbo.is_valid(number(first))


@given(first_eight, st.integers(min_value=0, max_value=99))
def test_any_other_check_digits_are_refused(first, digits):
    candidate = f"{first:08d}{digits:02d}"
    assert kbo.is_valid(candidate) == (digits == kbo.check_digits(first))


@given(first_eight, st.integers(min_value=0, max_value=7), st.integers(1, 9))
def test_a_single_mistyped_digit_is_caught(first, position, delta):
    valid = number(first)
    digit = (int(valid[position]) + delta) % 10
    typo = valid[:position] + str(digit) + valid[position + 1 :]
    assert not kbo.is_valid(typo)


@given(first_eight)
def test_written_forms_normalise_to_the_same_ten_digits(first):
    n = number(first)
    for written in (n, kbo.formatted(n), "BE" + n, f"BE {kbo.formatted(n)}", f" {n} "):
        assert kbo.normalise(written) == n


def test_known_numbers():
    assert kbo.problem("0403.170.701") == ("0403170701", None)
    assert kbo.problem("403170701") == ("0403170701", None)  # old nine-digit form
    assert kbo.problem("0403.170.702")[1] == (
        "Dit ondernemingsnummer klopt niet: de controlecijfers zijn fout."
    )
    for shapeless in ("", "abc", "04031707", "040317070112", "0403-17O-701"):
        assert kbo.problem(shapeless)[0] is None
