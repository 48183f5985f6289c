"""The public offer guide against the real stack: without sign-in, a resident's search by
municipality, the HSDS 3.0 answers valid against the Open Referral schema, and nothing
internal in any public answer."""

import json
import re
import uuid

import jsonschema
import pytest

from verband_testkit import ROOT
from verband_testkit.api import create_team, publish_offer

SCHEMA = json.loads(
    (ROOT / "services/partners/tests/hsds/service_with_definitions.json").read_text()
)
VALIDATOR = jsonschema.Draft202012Validator(
    SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
)
CAPACITY = 731  # a figure that must never show


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


@pytest.fixture(scope="module")
def eeklo(stack):
    team = create_team(stack, region="Oost-Vlaanderen")
    title = f"Gezinscoaching Eeklo {uuid.uuid4().hex[:6]}"
    coaching = publish_offer(
        team,
        title=title,
        kind="family_coaching",
        capacity=CAPACITY,
        free_places=0,
        municipalities=["43005"],
        target_ages={"min": 0, "max": 6},
        address={"street": "Stationsstraat 1", "postcode": "9900", "city": "Eeklo"},
        opening_hours="Elke werkdag van 9 tot 17 uur.",
        contact_phone="09 000 00 00",
        languages=["nl", "fr"],
        cost="Gratis",
        referral="Zelf bellen, of via Kind en Gezin.",
    )
    return team, coaching


def test_a_resident_finds_the_offer_by_name_or_postcode_without_signing_in(stack, eeklo):
    team, coaching = eeklo
    for given in ("Eeklo", "9900"):
        found = stack.http(
            "GET", "/api/public/hsds/services", params={"municipality": given, "age": 2}
        )
        assert found.status_code == 200, found.text
        ids = [s["id"] for s in found.json()["contents"]]
        assert coaching["id"] in ids
    page = stack.http("GET", "/aanbodgids", params={"municipality": "9900", "age": "2"})
    assert page.status_code == 200 and coaching["title"] in page.text
    detail = stack.http("GET", f"/aanbodgids/{coaching['id']}")
    assert detail.status_code == 200 and "Stationsstraat 1, 9900 Eeklo" in detail.text


def test_every_public_hsds_answer_is_valid_and_carries_nothing_internal(stack, eeklo):
    team, coaching = eeklo
    page = stack.http("GET", "/api/public/hsds/services", params={"municipality": "Eeklo"})
    one = stack.http("GET", f"/api/public/hsds/services/{coaching['id']}")
    assert page.status_code == one.status_code == 200
    services = [*page.json()["contents"], one.json()]
    for service in services:
        VALIDATOR.validate(service)
    assert one.json()["wait_time"] in ("Onbekend", "Geen wachttijd", "Tot 1 maand")
    assert CAPACITY not in figures_in(page.json()) | figures_in(one.json())
    html = stack.http("GET", "/aanbodgids/" + coaching["id"]).text
    assert not re.search(rf"\b{CAPACITY}\b", re.sub(r"[0-9a-f-]{36}", "", html))
    for answer in (page.text, one.text, html):
        assert team.id not in answer and team.organisation["id"] not in answer
        for person in team.people.values():
            assert person["email"] not in answer
        for key in ('"capacity"', '"free_places"', '"network_id"', '"agreed_number"'):
            assert key not in answer


def test_an_unknown_municipality_is_a_clear_error(stack, eeklo):
    api = stack.http("GET", "/api/public/hsds/services", params={"municipality": "Atlantis"})
    assert api.status_code == 422
    assert list(api.json()["error"]["fields"]) == ["municipality"]
    page = stack.http("GET", "/aanbodgids", params={"municipality": "Atlantis"})
    assert page.status_code == 422 and "Geen Vlaamse gemeente of postcode" in page.text


def test_the_public_api_is_read_only_and_needs_no_session(stack, eeklo):
    assert stack.http("POST", "/api/public/hsds/services", json={}).status_code == 405
    assert "set-cookie" not in {
        k.lower() for k in stack.http("GET", "/api/public/hsds/services").headers
    }
