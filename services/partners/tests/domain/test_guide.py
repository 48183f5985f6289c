"""The public guide's rules: a municipality by name, postcode or NIS code; the wait as a
band; the public view holding public fields only; its HSDS form valid against the schema."""

import datetime as dt
import json
import uuid
from pathlib import Path

import jsonschema
from hypothesis import given
from hypothesis import strategies as st

from partners.domain import guide, hsds
from partners.domain.municipalities import MUNICIPALITIES, POSTCODES, resolve
from verband_common.schemas.partners import PUBLIC_OFFER_FIELDS, WAIT_BANDS, PublicOffer

SCHEMA = json.loads(
    (Path(__file__).parents[1] / "hsds" / "service_with_definitions.json").read_text()
)
VALIDATOR = jsonschema.Draft202012Validator(
    SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
)
TODAY = dt.date(2026, 12, 3)
ROW = {
    "id": uuid.uuid4(),
    "title": "Gezinscoaching De Tafels",
    "description": "Een gezinscoach als één aanspreekpunt.",
    "kind": "family_coaching",
    "rtj": "RTJ",
    "target_ages": {"min": 0, "max": 18},
    "situations": ["opvoedingsvragen"],
    "municipalities": ["43005", "44084"],
    "address": {"street": "Stationsplein 10", "postcode": "9900", "city": "Eeklo"},
    "opening_hours": "Elke werkdag van 9 tot 16 uur.",
    "contact_phone": "09 000 10 10",
    "contact_email": "coaching@example.be",
    "languages": ["nl", "ar"],
    "cost": "Gratis",
    "referral": "Zelf bellen.",
    "updated_at": dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC),
    "organisation_name": "Kern De Tafels",
    "organisation_id": uuid.uuid4(),
    # What the store reads for the band, and must never come out.
    "free_places": 0,
    "can_start_from": None,
    "open_entries": 7,
    "waiting_since": TODAY - dt.timedelta(days=40),
    "capacity": 24,
    "network_id": uuid.uuid4(),
}


def test_a_municipality_is_found_by_name_postcode_or_nis_code():
    eeklo = MUNICIPALITIES["43005"]
    for given_text in ("Eeklo", " eeklo ", "EEKLO", "9900", "43005"):
        assert resolve(given_text) == eeklo, given_text
    # Accents, hyphens and spaces as residents type them; a deelgemeente's postcode.
    assert resolve("nazareth de pinte").nis == "44086"
    assert resolve("9910").nis == "44084"  # Knesselare and Ursel, Aalter since 2019
    for unknown in ("Atlantis", "1000", "99999", "Brussel", "", "99"):
        assert resolve(unknown) is None, unknown


def test_every_postcode_points_to_a_known_municipality():
    assert POSTCODES and set(POSTCODES.values()) <= set(MUNICIPALITIES)
    assert all(len(p) == 4 and p.isdigit() for p in POSTCODES)


def test_the_wait_band_follows_who_waits_free_places_and_the_start_date():
    band = guide.wait_band

    def since(days):
        return TODAY - dt.timedelta(days=days)

    assert band(3, 0, None, None, TODAY) == "none"
    assert band(3, 1, since(days=10), None, TODAY) == "up_to_1_month"
    assert band(0, 2, since(days=45), None, TODAY) == "1_to_3_months"
    assert band(0, 9, since(days=200), None, TODAY) == "over_3_months"
    assert band(0, 1, None, None, TODAY) == "unknown"
    assert band(0, 0, None, None, TODAY) == "unknown"
    assert band(0, 0, None, TODAY + dt.timedelta(days=20), TODAY) == "up_to_1_month"
    assert band(0, 0, None, TODAY - dt.timedelta(days=5), TODAY) == "unknown"


@given(
    st.integers(0, 100),
    st.integers(0, 100),
    st.one_of(st.none(), st.dates(dt.date(2020, 1, 1), TODAY)),
    st.one_of(st.none(), st.dates(dt.date(2020, 1, 1), dt.date(2030, 1, 1))),
)
def test_the_wait_band_is_always_a_band(free, waiting, since, start):
    assert guide.wait_band(free, waiting, since, start, TODAY) in WAIT_BANDS


def test_the_public_view_holds_public_fields_only():
    view = guide.public_view(ROW, TODAY)
    assert set(view) == {*PUBLIC_OFFER_FIELDS, "organisation_name", "municipalities", "wait_band"}
    assert view["wait_band"] == "1_to_3_months"
    assert view["municipalities"] == [
        {"nis": "43005", "name": "Eeklo"},
        {"nis": "44084", "name": "Aalter"},
    ]
    assert not PublicOffer().validate(PublicOffer().dump(view))
    text = json.dumps(PublicOffer().dump(view))
    assert str(ROW["network_id"]) not in text and str(ROW["organisation_id"]) not in text


def test_the_public_hsds_service_is_valid_and_tells_the_wait_in_words():
    service = hsds.public_service(guide.public_view(ROW, TODAY))
    VALIDATOR.validate(service)
    assert service["wait_time"] == "1 tot 3 maanden"
    assert service["fees_description"] == "Gratis"
    assert service["application_process"] == "Zelf bellen."
    assert [(lang["code"], lang["name"]) for lang in service["languages"]] == [
        ("nl", "Nederlands"),
        ("ar", "Arabisch"),
    ]
    [address] = service["service_at_locations"][0]["location"]["addresses"]
    assert address["state_province"] == "Oost-Vlaanderen" and address["country"] == "BE"
    text = json.dumps(service)
    assert '"7"' not in text and "capacity" not in text and "free_places" not in text


def test_an_offer_with_only_the_required_fields_is_valid_hsds_too():
    bare = {
        **ROW,
        "address": None,
        "opening_hours": "",
        "contact_phone": None,
        "contact_email": None,
        "languages": [],
        "cost": "",
        "referral": "",
        "organisation_name": None,
    }
    service = hsds.public_service(guide.public_view(bare, TODAY))
    VALIDATOR.validate(service)
    assert "organization" not in service and "service_at_locations" not in service
