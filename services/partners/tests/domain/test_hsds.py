"""The offer catalogue as HSDS 3.0, checked against the Open Referral schema."""

import datetime as dt
import json
import uuid
from pathlib import Path

import jsonschema
from hypothesis import given, settings
from hypothesis import strategies as st

from partners.domain import hsds
from partners.domain.municipalities import MUNICIPALITIES

SCHEMA = json.loads(
    (Path(__file__).parents[1] / "hsds" / "service_with_definitions.json").read_text()
)
VALIDATOR = jsonschema.Draft202012Validator(
    SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
)
ORG = {
    "id": uuid.uuid4(),
    "name": "CAW Oost-Brabant",
    "kbo": "0207437468",
    "profile": "Algemeen welzijnswerk.",
    "contact": {"email": "info@caw.be", "phone": None, "address": None},
}

OFFER = {
    "id": uuid.uuid4(),
    "organisation_id": ORG["id"],
    "title": "Gezinscoaching",
    "description": "",
    "kind": "family_coaching",
    "rtj": "RTJ",
    "target_ages": {"min": 0, "max": 17},
    "situations": ["scheiding"],
    "municipalities": ["23002"],
    "capacity": 10,
    "free_places": 3,
    "can_start_from": dt.date(2026, 12, 1),
    "status": "paused",
    "warm_waiting_list": True,
    "updated_at": dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC),
}

offers = st.fixed_dictionaries(
    {
        "id": st.uuids(),
        "organisation_id": st.just(ORG["id"]),
        "title": st.text(min_size=1, max_size=40),
        "description": st.text(max_size=40),
        "kind": st.sampled_from(("family_coaching", "consultation", "other")),
        "rtj": st.sampled_from(("RTJ", "NRTJ")),
        "target_ages": st.just({"min": 0, "max": 24}),
        "situations": st.lists(st.text(min_size=1, max_size=10), max_size=3),
        "municipalities": st.lists(st.sampled_from(sorted(MUNICIPALITIES)), min_size=1, max_size=3),
        "capacity": st.integers(0, 50),
        "free_places": st.integers(0, 50),
        "can_start_from": st.one_of(st.none(), st.dates()),
        "status": st.sampled_from(("active", "paused", "ended")),
        "warm_waiting_list": st.booleans(),
        "updated_at": st.just(dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)),
    }
)


@settings(max_examples=50)
@given(st.lists(offers, max_size=4))
def test_every_exported_service_is_valid_hsds(offer_list):
    page = hsds.catalogue(offer_list, {ORG["id"]: ORG})
    assert page["total_items"] == len(offer_list) == len(page["contents"])
    for service in page["contents"]:
        VALIDATOR.validate(service)


def test_a_service_carries_its_organisation_areas_and_capacity():
    service = hsds.service(OFFER, ORG)
    VALIDATOR.validate(service)
    assert service["status"] == "temporarily closed"
    assert service["organization"]["organization_identifiers"][0]["identifier"] == "0207.437.468"
    assert [a["name"] for a in service["service_areas"]] == ["Asse"]
    values = {a["taxonomy_term"]["code"]: a["value"] for a in service["attributes"]}
    assert values["capacity"] == "10" and values["free_places"] == "3"
    # Stable ids: the same offer exports the same nested ids.
    assert hsds.service(OFFER, ORG) == service


def test_an_invalid_service_is_caught_by_the_schema():
    service = hsds.service(OFFER, ORG)
    service["status"] = "open"
    assert not VALIDATOR.is_valid(service)


def test_an_offer_from_before_organisations_exports_without_one():
    page = hsds.catalogue([{**OFFER, "organisation_id": None}], {ORG["id"]: ORG})
    [service] = page["contents"]
    VALIDATOR.validate(service)
    assert "organization" not in service and "organization_id" not in service
