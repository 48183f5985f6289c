"""The volume agreement with the mandated bodies (OCJ/SDJ): which agreement governs a day,
and when taking a mandated body's referral into help needs an explicit override."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from cases.domain.volume import (
    OVERRIDE_FIELD,
    TAKES_A_PLACE,
    Volume,
    VolumeAgreement,
    in_force,
    mandated_referral,
    override_needed,
    volume_problems,
)

Q1 = VolumeAgreement("q1", 5, dt.date(2026, 1, 1), dt.date(2026, 3, 31))
Q2 = VolumeAgreement("q2", 8, dt.date(2026, 4, 1), dt.date(2026, 6, 30))


def places(used, agreed=5) -> Volume:
    return Volume("q1", agreed, used, Q1.starts_on, Q1.ends_on)


def test_the_agreement_in_force_is_the_one_whose_period_holds_the_day():
    assert in_force([Q1, Q2], dt.date(2026, 3, 31)) == Q1
    assert in_force([Q1, Q2], dt.date(2026, 4, 1)) == Q2
    assert in_force([Q1, Q2], dt.date(2026, 7, 1)) is None
    assert in_force([Q1, Q2], dt.date(2025, 12, 31)) is None


def test_an_agreement_not_active_governs_nothing():
    draft = VolumeAgreement("d", 5, dt.date(2026, 1, 1), None, status="draft")
    ended = VolumeAgreement("e", 5, dt.date(2026, 1, 1), None, status="ended")
    assert in_force([draft, ended], dt.date(2026, 2, 1)) is None


def test_of_two_overlapping_agreements_the_one_begun_last_holds():
    open_ended = VolumeAgreement("old", 3, dt.date(2025, 1, 1), None)
    renewal = VolumeAgreement("new", 6, dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert in_force([renewal, open_ended], dt.date(2026, 5, 1)) == renewal
    assert in_force([renewal, open_ended], dt.date(2025, 5, 1)) == open_ended


def test_within_the_volume_the_normal_path_holds():
    decision = {"decision": "waiting_list", "offer_ids": ["o"], "reason": "Past."}
    assert volume_problems(True, decision, places(4)) == {}
    assert not places(4).full


def test_beyond_the_volume_taking_the_family_in_needs_a_reason_to_override():
    decision = {"decision": "start_now", "reason": "Past.", OVERRIDE_FIELD: "  "}
    assert places(5).full
    assert set(volume_problems(True, decision, places(5))) == {OVERRIDE_FIELD}
    assert set(volume_problems(True, {**decision, OVERRIDE_FIELD: None}, places(7))) == {
        OVERRIDE_FIELD
    }
    given_reason = {**decision, OVERRIDE_FIELD: "Veiligheid van de kinderen gaat voor."}
    assert volume_problems(True, given_reason, places(5)) == {}


def test_a_decision_that_takes_no_place_or_a_referral_without_mandate_never_needs_one():
    for kind in ("refer_on", "decline"):
        assert volume_problems(True, {"decision": kind}, places(5)) == {}
    assert volume_problems(False, {"decision": "waiting_list"}, places(5)) == {}
    # No agreement in force: no volume to keep.
    assert volume_problems(True, {"decision": "waiting_list"}, None) == {}


def test_an_agreement_of_no_places_needs_an_override_for_every_family():
    assert override_needed(True, "waiting_list", places(0, agreed=0))


@given(
    agreed=st.integers(0, 50),
    used=st.integers(0, 60),
    decision=st.sampled_from(["waiting_list", "start_now", "refer_on", "decline"]),
    mandated=st.booleans(),
)
def test_an_override_is_needed_exactly_when_a_mandated_family_takes_a_place_past_the_last(
    agreed, used, decision, mandated
):
    needed = override_needed(mandated, decision, places(used, agreed))
    assert needed == (mandated and decision in TAKES_A_PLACE and used >= agreed)
    # One more place used never lifts the need once it is there.
    if needed:
        assert override_needed(mandated, decision, places(used + 1, agreed))


def test_a_referral_counts_when_flagged_or_sent_by_the_mandated_body():
    assert mandated_referral(True, "ocmw") and mandated_referral(False, "mandated_body")
    assert not mandated_referral(False, "ocmw")
