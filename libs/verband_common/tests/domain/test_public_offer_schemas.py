"""The offer's public fields and the guide's search are bounded and checked, naming the
field, in Dutch."""

import pytest
from marshmallow import ValidationError

from verband_common.schemas.partners import OfferInput, OfferUpdate, PublicOfferQuery

OFFER = {
    "organisation_id": "7c9e6679-7425-40de-944b-e07fc1f90ae7",
    "title": "Gezinscoaching",
    "kind": "family_coaching",
    "municipalities": ["43005"],
    "capacity": 10,
    "free_places": 2,
}


def test_public_fields_have_defaults_that_show_nothing():
    loaded = OfferInput().load(OFFER)
    assert loaded["address"] is None and loaded["languages"] == ["nl"]
    assert loaded["opening_hours"] == loaded["cost"] == loaded["referral"] == ""


@pytest.mark.parametrize(
    ("given", "field"),
    [
        ({"address": {"street": "Markt 1", "postcode": "990", "city": "Eeklo"}}, "address"),
        ({"address": {"street": "Markt 1", "postcode": "9900"}}, "address"),
        ({"address": {"street": "Markt\n1", "postcode": "9900", "city": "Eeklo"}}, "address"),
        ({"opening_hours": "x" * 1001}, "opening_hours"),
        ({"contact_phone": "bel me"}, "contact_phone"),
        ({"contact_email": "geen-adres"}, "contact_email"),
        ({"languages": ["nl", "xx"]}, "languages"),
        ({"languages": "nl"}, "languages"),
        ({"cost": "x" * 301}, "cost"),
        ({"cost": "gratis\n"}, "cost"),
        ({"referral": "x" * 1001}, "referral"),
    ],
)
def test_bad_public_fields_are_refused_naming_the_field(given, field):
    with pytest.raises(ValidationError) as refused:
        OfferInput().load({**OFFER, **given})
    assert set(refused.value.messages) == {field}
    with pytest.raises(ValidationError) as refused:
        OfferUpdate().load(given)
    assert set(refused.value.messages) == {field}


@pytest.mark.parametrize(
    ("given", "field"),
    [
        ({"municipality": ""}, "municipality"),
        ({"municipality": "x" * 101}, "municipality"),
        ({"municipality": "Ee\nklo"}, "municipality"),
        ({"age": 25}, "age"),
        ({"age": "2"}, "age"),
        ({"kind": "magic"}, "kind"),
        ({"concern": "x" * 101}, "concern"),
        ({"capacity": 3}, "capacity"),
    ],
)
def test_the_guide_search_is_bounded(given, field):
    with pytest.raises(ValidationError) as refused:
        PublicOfferQuery().load(given)
    assert set(refused.value.messages) == {field}
