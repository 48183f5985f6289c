"""RPC payload schemas: the rules of a referral and an offer, with Dutch messages."""

import datetime as dt
import uuid

import pytest
from marshmallow import ValidationError

from verband_common.contracts.cases import CHOSEN_REMOVAL_REASONS
from verband_common.schemas import cases as cases_schemas
from verband_common.schemas.cases import YOUTH_CARE_MAX_AGE, ReferralInput
from verband_common.schemas.partners import NetworkInput, OfferInput, OfferUpdate


def years_ago(years: int, days: int = 0) -> dt.date:
    today = dt.date.today()
    try:
        day = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        day = today.replace(year=today.year - years, day=28)
    return day - dt.timedelta(days=days)


def referral(**overrides) -> dict:
    payload = {
        "offer_id": str(uuid.uuid4()),
        "source_sector": "huis_van_het_kind",
        "municipality": "23002",
        "concern": "some",
        "question": "Ondersteuning bij de opvoeding gevraagd.",
        "household": {
            "carers": [{"name": "An Peeters"}],
            "children": [{"first_name": "Noor", "birth_date": years_ago(4).isoformat()}],
        },
        "consent": {
            "given_by": "An Peeters",
            "given_on": dt.date.today().isoformat(),
            "sharing": ["network_partners", "referrer_follow_up"],
        },
    }
    payload.update(overrides)
    return payload


def child_born(day: dt.date) -> dict:
    return {
        "carers": [{"name": "An Peeters"}],
        "children": [{"first_name": "Noor", "birth_date": day.isoformat()}],
    }


def errors(schema, payload) -> dict:
    with pytest.raises(ValidationError) as refused:
        schema.load(payload)
    return refused.value.messages


def test_a_valid_referral_loads():
    data = ReferralInput().load(referral())
    assert isinstance(data["offer_id"], uuid.UUID)
    assert data["household"]["children"][0]["birth_date"] == years_ago(4)


def test_a_birth_date_in_the_future_is_refused():
    messages = errors(
        ReferralInput(), referral(household=child_born(dt.date.today() + dt.timedelta(days=1)))
    )
    assert messages == {
        "household": {"children": {0: {"birth_date": ["Deze datum ligt in de toekomst."]}}}
    }


def test_a_child_older_than_24_is_refused_and_24_is_not():
    assert YOUTH_CARE_MAX_AGE == 24
    ReferralInput().load(referral(household=child_born(years_ago(24))))
    ReferralInput().load(referral(household=child_born(years_ago(0))))
    messages = errors(ReferralInput(), referral(household=child_born(years_ago(25))))
    assert messages == {
        "household": {
            "children": {0: {"birth_date": ["Dit kind is ouder dan 24 jaar: buiten de jeugdhulp."]}}
        }
    }
    # The day before the 25th birthday the child is still 24.
    ReferralInput().load(referral(household=child_born(years_ago(25, days=-1))))


def test_unknown_fields_are_refused_at_every_level():
    payload = referral(family_name="Peeters")
    payload["household"]["children"][0]["nickname"] = "Noortje"
    messages = errors(ReferralInput(), payload)
    assert messages == {
        "family_name": ["Onbekend veld."],
        "household": {"children": {0: {"nickname": ["Onbekend veld."]}}},
    }


@pytest.mark.parametrize("code", ["2300", "230021", "abcde", "2300a", ""])
def test_a_bad_nis_code_is_refused(code):
    assert errors(ReferralInput(), referral(municipality=code)) == {
        "municipality": ["Geef een NIS-code van vijf cijfers."]
    }


def test_a_referral_needs_a_carer_a_child_and_consent_in_dutch():
    messages = errors(
        ReferralInput(),
        referral(household={"carers": [], "children": []}, consent=None, concern="x", question=""),
    )
    assert messages == {
        "household": {
            "carers": ["Geef minstens één opvoeder."],
            "children": ["Geef minstens één kind."],
        },
        "consent": ["Dit veld mag niet leeg zijn."],
        "concern": ["Kies een van: Geen zorgen, Enige zorgen, Ernstige zorgen."],
        "question": ["Geef tussen 1 en 4000 tekens."],
    }
    # Issue 4's additions (requested offers, contact, life domains, urgency, ...) have defaults.
    assert errors(ReferralInput(), {}) == {
        name: ["Dit veld is verplicht."]
        for name, field in ReferralInput().fields.items()
        if field.required
    }


OFFER = {
    "organisation_id": "6f0c7c0e-3b7e-4d39-9f7e-0c3f5d2b8a11",
    "title": "Opvoedingsondersteuning",
    "kind": "parenting_course",
    "capacity": 12,
    "free_places": 12,
    "municipalities": ["71016"],
}


def test_a_valid_offer_loads_with_defaults():
    loaded = OfferInput().load(OFFER)
    assert loaded == {
        **OFFER,
        "organisation_id": uuid.UUID(OFFER["organisation_id"]),
        "status": "active",
        "warm_waiting_list": True,
        "description": "",
        "rtj": "RTJ",
        "target_ages": {"min": 0, "max": 24},
        "situations": [],
        "can_start_from": None,
        "flanking_offer_ids": [],
        # The public guide's fields: nothing to show until the organisation fills them in.
        "address": None,
        "opening_hours": "",
        "contact_phone": None,
        "contact_email": None,
        "languages": ["nl"],
        "cost": "",
        "referral": "",
    }


def test_an_offer_update_is_partial_and_keeps_its_organisation():
    assert OfferUpdate().load({"free_places": 3}) == {"free_places": 3}
    assert errors(OfferUpdate(), {}) == {"_schema": ["Geef minstens één veld om te wijzigen."]}
    assert errors(OfferUpdate(), {"organisation_id": OFFER["organisation_id"]}) == {
        "organisation_id": ["Onbekend veld."]
    }


def test_an_offer_with_more_free_places_than_capacity_is_refused():
    assert errors(OfferInput(), {**OFFER, "free_places": 13}) == {
        "free_places": ["Er kunnen niet meer vrije plaatsen zijn dan de capaciteit."]
    }


def test_offer_numbers_are_whole_and_in_range():
    assert errors(OfferInput(), {**OFFER, "capacity": "12"}) == {
        "capacity": ["Geef een geheel getal."]
    }
    assert errors(OfferInput(), {**OFFER, "capacity": -1, "free_places": 0}) == {
        "capacity": ["Geef een aantal van 0 tot 100000."]
    }
    assert errors(OfferInput(), {**OFFER, "municipalities": ["7101"]}) == {
        "municipalities": {0: ["Geef een NIS-code van vijf cijfers."]}
    }


def test_a_network_has_a_known_kind():
    assert errors(NetworkInput(), {"name": "X", "kind": "club", "region": "Limburg"}) == {
        "kind": ["Kies een van: RTJ, 1G1P, kerngroep, other."]
    }


@pytest.mark.parametrize("reason", ["erased", "declined_by_provider"])
def test_no_client_claims_a_removal_only_the_platform_records(reason):
    # An erasure (art. 17) and a provider's decline are recorded by their own flows; a form
    # or API client giving them would falsify the list's history and the monitoring.
    with pytest.raises(ValidationError) as err:
        cases_schemas.RemovalInput().load({"reason": reason})
    assert "reason" in err.value.messages


def test_every_reason_a_person_chooses_is_taken():
    for reason in CHOSEN_REMOVAL_REASONS:
        assert cases_schemas.RemovalInput().load({"reason": reason})["reason"] == reason
