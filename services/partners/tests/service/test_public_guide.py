"""The public offer guide over RPC, without sign-in: only active offers, only their public
fields and a wait band; never capacity, places, waiting counts, people or agreements."""

import datetime as dt
import json
import re
import uuid
from pathlib import Path

import jsonschema
import pytest
from verband_servicekit import offer

from verband_common.errors import Forbidden, NotFound, ValidationFailed

pytestmark = pytest.mark.service

SCHEMA = json.loads(
    (Path(__file__).parents[1] / "hsds" / "service_with_definitions.json").read_text()
)
VALIDATOR = jsonschema.Draft202012Validator(
    SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
)
PUBLIC = {
    "address": {"street": "Stationsplein 3", "postcode": "1730", "city": "Asse"},
    "opening_hours": "Maandag tot vrijdag, 9 tot 17 uur.",
    "contact_phone": "02 452 00 00",
    "contact_email": "gezinscoaching@hvk-asse.be",
    "languages": ["nl", "fr"],
    "cost": "Gratis",
    "referral": "Zelf bellen, of via je huisarts of het CLB.",
}
# Figures that must never reach a public answer.
CAPACITY, FREE = 37, 0
INTERNAL_KEYS = {
    "capacity",
    "free_places",
    "waiting",
    "open_entries",
    "waiting_since",
    "network_id",
    "organisation_id",
    "warm_waiting_list",
    "flanking_offer_ids",
}


def figures_in(value, skip=("id", "last_modified", "updated_at", "extent")) -> set:
    """Every number an answer shows: numeric values, and numbers written in its texts (ids
    and timestamps left out, where digits are no figures)."""
    if isinstance(value, dict):
        return {
            n
            for k, v in value.items()
            if k not in skip and not k.endswith("_id")
            for n in figures_in(v, skip)
        }
    if isinstance(value, list):
        return {n for v in value for n in figures_in(v, skip)}
    if isinstance(value, bool):
        return set()
    if isinstance(value, int):
        return {value}
    if isinstance(value, str):
        return {int(n) for n in re.findall(r"\b\d+\b", value)}
    return set()


def keys_in(value) -> set:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in keys_in(v)}
    if isinstance(value, list):
        return {k for v in value for k in keys_in(v)}
    return set()


@pytest.fixture
def guide(world):
    """An active coaching offer with its public fields, full and with a family waiting for
    45 days; a free parenting course; a paused offer; an agreement."""
    from nameko.testing.services import entrypoint_waiter

    from verband_common.contracts import new_event

    a = world.network_a
    with world.rpc(world.coordinator_a) as rpc:
        coaching = rpc.partners.publish_offer(
            a,
            offer(
                world.org_a,
                title="Gezinscoaching Asse",
                capacity=CAPACITY,
                free_places=FREE,
                target_ages={"min": 0, "max": 6},
                situations=["opvoedingsvragen"],
                **PUBLIC,
            ),
        )
        course = rpc.partners.publish_offer(
            a,
            offer(world.org_a, title="Opvoedingscursus", kind="parenting_course", free_places=3),
        )
        paused = rpc.partners.publish_offer(
            a, offer(world.org_a, title="Gepauzeerd aanbod", status="paused")
        )
        rpc.partners.record_agreement(
            a,
            {
                "title": "Volumeafspraak OCJ geheim",
                "kind": "mandated_body",
                "parties": [{"name": "OCJ Halle-Vilvoorde"}],
                "starts_on": "2026-01-01",
                "agreed_number": 12,
            },
        )
    added_on = dt.date.today() - dt.timedelta(days=45)
    event = new_event(
        "cases",
        "waiting_list_entry_added",
        a,
        {
            "family_pseudonym": uuid.uuid4().hex,
            "entry_id": str(uuid.uuid4()),
            "offer_id": coaching["id"],
            "referral_id": str(uuid.uuid4()),
            "age_bands": ["0-2"],
            "municipality": "23002",
            "concern": "some",
            "waiting_since": added_on.isoformat(),
            "added_on": added_on.isoformat(),
        },
    )
    with entrypoint_waiter(world.container, "on_waiting_list_entry_added", timeout=15):
        world.verband.publish("cases", event)
    return {"coaching": coaching, "course": course, "paused": paused}


def test_a_resident_finds_active_offers_by_municipality_name_or_postcode(world, guide):
    with world.rpc(None) as rpc:
        by_name = rpc.partners.public_offers({"municipality": " asse "})
        by_postcode = rpc.partners.public_offers({"municipality": "1730"})
        toddler = rpc.partners.public_offers(
            {"municipality": "Asse", "age": 2, "kind": "family_coaching"}
        )
        teenager = rpc.partners.public_offers({"municipality": "Asse", "age": 15})
        by_concern = rpc.partners.public_offers({"concern": "OPVOEDINGSVRAGEN"})
        elsewhere = rpc.partners.public_offers({"municipality": "Hasselt"})
    assert by_name["municipality"] == {"nis": "23002", "name": "Asse"}
    assert by_name == by_postcode
    titles = [o["title"] for o in by_name["offers"]]
    assert titles == ["Gezinscoaching Asse", "Opvoedingscursus"]  # not the paused one
    assert [o["title"] for o in toddler["offers"]] == ["Gezinscoaching Asse"]
    assert [o["title"] for o in teenager["offers"]] == ["Opvoedingscursus"]
    assert [o["title"] for o in by_concern["offers"]] == ["Gezinscoaching Asse"]
    assert elsewhere["offers"] == []
    coaching = by_name["offers"][0]
    assert {k: coaching[k] for k in PUBLIC} == PUBLIC
    assert coaching["organisation_name"] == "Huis van het Kind Asse"
    assert {"nis": "23002", "name": "Asse"} in coaching["municipalities"]
    # Someone has waited 45 days for the full offer; the free course has no wait.
    assert coaching["wait_band"] == "1_to_3_months"
    assert by_name["offers"][1]["wait_band"] == "none"


def test_no_public_answer_carries_capacity_people_or_agreements(world, guide):
    coaching_id = guide["coaching"]["id"]
    with world.rpc(None) as rpc:
        answers = [
            rpc.partners.public_offers({}),
            rpc.partners.public_offer(coaching_id),
            rpc.partners.public_services({}),
            rpc.partners.public_service(coaching_id),
        ]
    people = world.verband.sql(world.db, "SELECT name, email FROM people")
    assert people
    for found in answers:
        assert not keys_in(found) & INTERNAL_KEYS, keys_in(found) & INTERNAL_KEYS
        text = json.dumps(found, ensure_ascii=False)
        for person in people:
            assert person["name"] not in text and person["email"] not in text
        assert "Volumeafspraak" not in text and "OCJ" not in text
        assert str(world.network_a) not in text and str(world.org_a) not in text
        assert CAPACITY not in figures_in(found)


def test_the_public_catalogue_is_valid_hsds(world, guide):
    with world.rpc(None) as rpc:
        page = rpc.partners.public_services({"municipality": "Asse"})
        one = rpc.partners.public_service(guide["coaching"]["id"])
    assert page["total_items"] == 2
    for service in [*page["contents"], one]:
        VALIDATOR.validate(service)
    assert one["wait_time"] == "1 tot 3 maanden"
    assert [lang["code"] for lang in one["languages"]] == ["nl", "fr"]
    address = one["service_at_locations"][0]["location"]["addresses"][0]
    assert (address["address_1"], address["postal_code"], address["city"]) == (
        "Stationsplein 3",
        "1730",
        "Asse",
    )
    assert one["organization"]["name"] == "Huis van het Kind Asse"


def test_an_unknown_municipality_is_refused_naming_the_field_and_stores_nothing(world, guide):
    before = world.verband.counts(world.db)
    with world.rpc(None) as rpc:
        for given in ("Atlantis", "1000", "99999", "Brussel"):
            with pytest.raises(ValidationFailed) as refused:
                rpc.partners.public_offers({"municipality": given})
            assert set(refused.value.fields) == {"municipality"}
        with pytest.raises(ValidationFailed) as refused:
            rpc.partners.public_offers({"age": 40, "kind": "magic", "network_id": "x"})
        assert set(refused.value.fields) == {"age", "kind", "network_id"}
    assert world.verband.counts(world.db) == before


def test_an_offer_not_in_the_guide_is_not_found(world, guide):
    with world.rpc(None) as rpc:
        for offer_id in (guide["paused"]["id"], str(uuid.uuid4())):
            with pytest.raises(NotFound):
                rpc.partners.public_offer(offer_id)
            with pytest.raises(NotFound):
                rpc.partners.public_service(offer_id)


def test_the_offering_organisation_keeps_the_public_fields(world, guide):
    coaching_id = guide["coaching"]["id"]
    with world.rpc(world.partner_worker_a) as rpc:
        changed = rpc.partners.update_offer(
            coaching_id, {"cost": "5 euro per gesprek", "languages": ["nl", "ar"]}
        )
        assert (changed["cost"], changed["languages"]) == ("5 euro per gesprek", ["nl", "ar"])
        with pytest.raises(ValidationFailed) as refused:
            rpc.partners.update_offer(
                coaching_id,
                {"languages": ["klingon"], "address": {"street": "x", "postcode": "17"}},
            )
        assert set(refused.value.fields) >= {"languages.0", "address.postcode", "address.city"}
    # A partner worker of another organisation may not.
    with world.rpc(world.partner_worker_b) as rpc, pytest.raises((Forbidden, NotFound)):
        rpc.partners.update_offer(coaching_id, {"cost": "Duur"})
    with world.rpc(None) as rpc:
        assert rpc.partners.public_offer(coaching_id)["cost"] == "5 euro per gesprek"
