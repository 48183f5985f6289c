"""Pure rules of the cases service: age bands and pseudonyms."""

import datetime as dt
import re

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from cases.domain import AGE_BANDS, age_band, age_on, pseudonym
from verband_common.contracts.cases import AGE_BANDS as CONTRACT_AGE_BANDS
from verband_common.schemas.cases import YOUTH_CARE_MAX_AGE

days = st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2100, 12, 31))
keys = st.binary(min_size=16, max_size=64)
families = st.uuids()


def test_age_bands_cover_0_to_24_without_gaps_or_overlaps():
    assert AGE_BANDS[0][0] == 0
    assert AGE_BANDS[-1][1] == YOUTH_CARE_MAX_AGE == 24
    for (_, high, _), (low, _, _) in zip(AGE_BANDS, AGE_BANDS[1:]):
        assert low == high + 1
    for age in range(0, 25):
        assert len([label for low, high, label in AGE_BANDS if low <= age <= high]) == 1


def test_the_bands_are_the_ones_the_contract_allows():
    assert tuple(label for _, _, label in AGE_BANDS) == CONTRACT_AGE_BANDS


@pytest.mark.parametrize(
    "age, band",
    [
        (0, "0-2"),
        (2, "0-2"),
        (3, "3-5"),
        (5, "3-5"),
        (6, "6-11"),
        (11, "6-11"),
        (12, "12-17"),
        (17, "12-17"),
        (18, "18-24"),
        (24, "18-24"),
    ],
)
def test_band_edges(age, band):
    day = dt.date(2026, 6, 15)
    assert age_band(dt.date(2026 - age, 6, 15), day) == band  # birthday today
    if age < 24:
        assert age_band(dt.date(2026 - age - 1, 6, 16), day) == band  # birthday tomorrow


def test_age_counts_whole_years():
    assert age_on(dt.date(2020, 2, 29), dt.date(2024, 2, 28)) == 3
    assert age_on(dt.date(2020, 2, 29), dt.date(2024, 2, 29)) == 4
    assert age_on(dt.date(2020, 2, 29), dt.date(2025, 3, 1)) == 5


@given(birth=days, day=days)
def test_every_age_in_youth_care_has_exactly_its_band(birth, day):
    age = age_on(birth, day)
    if 0 <= age <= 24:
        label = age_band(birth, day)
        low, high = next((lo, hi) for lo, hi, lab in AGE_BANDS if lab == label)
        assert low <= age <= high
    else:
        with pytest.raises(ValueError):
            age_band(birth, day)


@given(key=keys, family=families)
def test_a_pseudonym_is_stable_and_fits_the_contract(key, family):
    first = pseudonym(key, family)
    assert first == pseudonym(key, family) == pseudonym(key, str(family))
    assert re.fullmatch(r"[0-9a-f]{32}", first)


@given(key=keys, other=keys, family=families)
def test_one_family_has_unrelated_pseudonyms_in_two_networks(key, other, family):
    assume(key != other)
    assert pseudonym(key, family) != pseudonym(other, family)


@given(key=keys, family=families, other=families)
def test_two_families_have_different_pseudonyms_in_one_network(key, family, other):
    assume(family != other)
    assert pseudonym(key, family) != pseudonym(key, other)


@given(key=keys, family=families)
def test_a_pseudonym_does_not_contain_the_family_id(key, family):
    assert family.hex not in pseudonym(key, family)
