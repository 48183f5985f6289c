"""Belgian enterprise numbers (KBO/BCE ondernemingsnummer): ten digits, the last two a
check on the first eight: 97 - (first eight mod 97).

One check for the gateway (before a call) and the partners service (before a write).
"""

import re

_SEPARATORS = re.compile(r"[\s.\-/]")


def check_digits(first_eight: int) -> int:
    return 97 - (first_eight % 97)


def normalise(raw: str) -> str | None:
    """The ten digits of `raw` ("0403.170.701", "BE 0403170701", "403170701"), or None when it
    is not shaped like an enterprise number at all. Check digits are not looked at here."""
    if not isinstance(raw, str):
        return None
    digits = _SEPARATORS.sub("", raw.strip()).upper()
    if digits.startswith("BE"):
        digits = digits[2:]
    if len(digits) == 9:  # the old nine-digit form, before the leading 0 was added
        digits = "0" + digits
    if len(digits) != 10 or not digits.isdigit():
        return None
    return digits


def is_valid(number: str) -> bool:
    """True for ten digits whose last two are the check digits of the first eight."""
    if len(number) != 10 or not number.isdigit():
        return False
    return int(number[8:]) == check_digits(int(number[:8]))


def problem(raw: str) -> tuple[str | None, str | None]:
    """(normalised number, None) when valid, else (None, Dutch message)."""
    number = normalise(raw)
    if number is None:
        return None, "Een ondernemingsnummer heeft tien cijfers, bv. 0403.170.701."
    if not is_valid(number):
        return None, "Dit ondernemingsnummer klopt niet: de controlecijfers zijn fout."
    return number, None


def formatted(number: str) -> str:
    """The usual written form: 0403.170.701."""
    return f"{number[:4]}.{number[4:7]}.{number[7:]}"
