"""The schemas are the contract at every edge: text holds no character it cannot hold,
numbers stay within their bounds, and a nested object is loaded whole (no KeyError can reach
a service). Property-based where the rule has an invariant."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from marshmallow import ValidationError

from verband_common.schemas import cases, meetings, partners
from verband_common.schemas.common import (
    BAD_CHARACTER,
    LINE_BREAK,
    MAX_OFFSET,
    String,
    refused_character,
    text,
)

CONTROL = [chr(c) for c in (*range(0x00, 0x20), *range(0x7F, 0xA0))]
SURROGATES = [chr(c) for c in (0xD800, 0xDBFF, 0xDC00, 0xDFFF)]


def errors_of(schema, data) -> dict:
    with pytest.raises(ValidationError) as refused:
        schema.load(data)
    return refused.value.messages


@pytest.mark.parametrize("bad", ["\x00", *SURROGATES, "\x01", "\x1b", "\x7f", "\x85", "\x9f"])
def test_no_text_holds_nul_a_lone_surrogate_or_a_control_character(bad):
    for field in (text(200), text(4000), String(), String(multiline=True)):
        with pytest.raises(ValidationError) as refused:
            field.deserialize(f"voor{bad}na")
        assert refused.value.messages == [BAD_CHARACTER]


@pytest.mark.parametrize("brk", ["\n", "\r", "\t", "\r\n"])
def test_line_breaks_and_tabs_only_in_prose(brk):
    assert text(4000).deserialize(f"een{brk}twee") == f"een{brk}twee"
    assert String(multiline=True).deserialize(f"een{brk}twee") == f"een{brk}twee"
    for one_line in (text(200), String()):
        with pytest.raises(ValidationError) as refused:
            one_line.deserialize(f"een{brk}twee")
        assert refused.value.messages == [LINE_BREAK]


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cs"))))
def test_any_printable_text_is_accepted_as_it_is(value):
    assert refused_character(value) is None
    assert String().deserialize(value) == value


@given(st.text(), st.sampled_from(["\x00", "\ud800", "\udfff"]), st.text())
def test_any_text_with_nul_or_a_lone_surrogate_is_refused(before, bad, after):
    assert refused_character(before + bad + after, multiline=True) == BAD_CHARACTER


def test_the_rule_holds_in_every_service_schema_naming_the_field():
    referral = {
        "offer_id": "2b1c1c9e-7d1b-4bb0-9d0b-1b0b7c9d3a11",
        "source_sector": "ocmw",
        "municipality": "44083",
        "concern": "some",
        "question": "Hulp\x00",
        "household": {
            "carers": [{"name": "An\ud800"}],
            "children": [{"first_name": "Lotte", "birth_date": "2018-03-02"}],
        },
        "consent": {"given_by": "An", "given_on": dt.date.today().isoformat()},
    }
    refused = errors_of(cases.ReferralInput(), referral)
    assert refused["question"] == [BAD_CHARACTER]
    assert refused["household"]["carers"][0]["name"] == [BAD_CHARACTER]
    assert errors_of(partners.InvitationInput(), {"name": "An", "email": "a\x00@b.be"})["email"]
    assert errors_of(meetings.BodyInput(), {"name": "Kern\nteam", "kind": "kernteam"})["name"] == [
        LINE_BREAK
    ]


@pytest.mark.parametrize("offset", [MAX_OFFSET + 1, 2**63, 2**64, 10**40, -1])
def test_an_offset_stays_far_inside_bigint(offset):
    assert "offset" in errors_of(cases.Paging(), {"offset": offset})
    assert MAX_OFFSET < 2**63 - 1


def test_a_cursor_stays_within_bigint():
    assert "before" in errors_of(partners.IdentityTrailQuery(), {"before": 2**63})
    assert partners.IdentityTrailQuery().load({"before": 2**63 - 1})["before"] == 2**63 - 1


def test_a_plan_version_stays_within_bounds():
    plan = {
        "goals": [{"text": "Rust thuis"}],
        "family_part": "Wij doen mee.",
        "based_on_version": 2**63,
    }
    assert "based_on_version" in errors_of(cases.PlanInput(), plan)


def test_target_ages_given_empty_in_an_update_are_loaded_whole():
    # {} in a partial update used to load as {} and reach the service as a KeyError.
    assert partners.OfferUpdate().load({"target_ages": {}}) == {
        "target_ages": {"min": 0, "max": partners.MAX_AGE}
    }
    assert "target_ages" in errors_of(partners.OfferUpdate(), {"target_ages": {"min": 30}})
    assert partners.OfferUpdate().load({"target_ages": {"max": 12}})["target_ages"] == {
        "min": 0,
        "max": 12,
    }


def test_a_cadence_phase_without_until_is_loaded_whole_in_an_update():
    cadence = {
        "kind": "monthly",
        "week": 2,
        "weekday": 1,
        "phases": [{"every_months": 1}, {"every_months": 2}],
    }
    refused = errors_of(meetings.BodyUpdate(), {"cadence": cadence})
    assert refused["cadence"]["phases.0.until"]
    last_open = {
        **cadence,
        "phases": [{"every_months": 1, "until": "2027-01-01"}, {"every_months": 2}],
    }
    loaded = meetings.BodyUpdate().load({"cadence": last_open})
    assert loaded["cadence"]["phases"][1] == {"every_months": 2, "until": None}
    assert errors_of(meetings.BodyRules(), {"cadence": {**cadence, "phases": [{}]}})
