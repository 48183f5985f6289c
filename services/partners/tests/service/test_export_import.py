"""The offer catalogue as HSDS 3.0 (validated against the Open Referral schema), and CSV
import of organisations and offer: a dry run names every bad row, the import is all or
nothing."""

import json
from pathlib import Path

import jsonschema
import pytest
from verband_servicekit import offer

pytestmark = pytest.mark.service

SCHEMA = json.loads(
    (Path(__file__).parents[1] / "hsds" / "service_with_definitions.json").read_text()
)
VALIDATOR = jsonschema.Draft202012Validator(
    SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
)

ORGANISATIONS = (
    "\ufeffnaam;kbo;sector;gemeenten;email;telefoon;adres;profiel;rol;start;einde\n"
    "CGG Ruisbroek;0471.982.303;cgg;23077|23027;info@cgg.be;02 123 45 67;Kerkstraat 1, Halle;"
    "Geestelijke gezondheid;partner;2025-01-01;\n"
    "OCMW Meise;0551 234 568;ocmw;23050;;;;;contractant;2025-03-01;2026-12-31\n"
)
BAD_ORGANISATIONS = (
    "naam;kbo;sector;gemeenten;rol;start\n"
    "Goed;0471.982.303;cgg;23077;partner;2025-01-01\n"
    ";0471.982.304;bank;99999;vriend;gisteren\n"
    "Dubbel;0471.982.303;cgg;23077;partner;2025-01-01\n"
    "Bestaat al;0207.437.468;cgg;23077;partner;2025-01-01\n"
    "Te kort;0551.234.568\n"
)
OFFER = (
    "titel;kbo;soort;rtj;leeftijd_min;leeftijd_max;situaties;gemeenten;capaciteit;"
    "vrije_plaatsen;start_vanaf;status;warme_wachtlijst;beschrijving\n"
    "Eerstelijnspsychologie;0207.437.468;first_line_psychology;RTJ;12;24;angst|somberheid;"
    "23002|23050;20;5;2026-12-01;active;nee;Snelle psychologische hulp.\n"
)
BAD_OFFER = (
    "titel;kbo;soort;gemeenten;capaciteit;vrije_plaatsen\n"
    "Te veel vrij;0207.437.468;consultation;23002;2;3\n"
    "Geen partner;0412.134.786;consultation;23002;2;1\n"
    "Negatief;0207.437.468;consultation;23002;-1;0\n"
)


def test_the_catalogue_exports_as_valid_hsds(world):
    with world.rpc(world.coordinator_a) as rpc:
        published = rpc.partners.publish_offer(
            world.network_a, offer(world.org_a, description="Coaching aan huis.")
        )
        rpc.partners.update_organisation(
            world.org_a, {"contact": {"email": "info@hvk-asse.be"}, "profile": "Huis van het Kind."}
        )
    with world.rpc(world.referrer_a) as rpc:
        page = rpc.partners.export_hsds(world.network_a)
    assert page["total_items"] == 1
    service = page["contents"][0]
    VALIDATOR.validate(service)
    assert service["id"] == published["id"]
    assert service["organization"]["name"] == "Huis van het Kind Asse"
    assert service["organization"]["email"] == "info@hvk-asse.be"
    assert [a["name"] for a in service["service_areas"]] == ["Asse", "Meise"]
    capacity = {a["taxonomy_term"]["code"]: a["value"] for a in service["attributes"]}
    assert capacity["capacity"] == "10" and capacity["free_places"] == "4"


def test_organisations_import_after_a_clean_dry_run(world):
    a = world.network_a
    before = world.verband.counts(world.db)
    with world.rpc(world.coordinator_a) as rpc:
        dry = rpc.partners.import_csv(a, "organisations", ORGANISATIONS, True)
        assert dry == {"dry_run": True, "rows": 2, "errors": [], "created": 0}
        assert world.verband.counts(world.db) == before
        done = rpc.partners.import_csv(a, "organisations", ORGANISATIONS, False)
        assert done == {"dry_run": False, "rows": 2, "errors": [], "created": 2}
        listed = {o["name"]: o for o in rpc.partners.list_organisations(a)}
    assert listed["CGG Ruisbroek"]["kbo"] == "0471982303"
    assert listed["CGG Ruisbroek"]["contact"]["phone"] == "02 123 45 67"
    assert listed["OCMW Meise"]["membership"]["ends_on"] == "2026-12-31"
    joined = world.verband.count(world.db, "outbox", "event_type = 'partner_joined'")
    assert joined == 4  # two from the world, two imported


def test_a_dry_run_names_every_bad_row_and_nothing_is_imported(world):
    a = world.network_a
    before = world.verband.counts(world.db)
    with world.rpc(world.coordinator_a) as rpc:
        report = rpc.partners.import_csv(a, "organisations", BAD_ORGANISATIONS, True)
        assert report["rows"] == 5 and report["created"] == 0
        by_line = {}
        for e in report["errors"]:
            by_line.setdefault(e["line"], set()).add(e["field"])
        assert by_line == {
            3: {"naam", "kbo", "sector", "gemeenten", "rol", "start"},
            4: {"kbo"},  # the same number as line 2
            5: {"kbo"},  # already registered
            6: {"_row"},
        }
        assert all(e["message"] for e in report["errors"])
        # The same file for real: still nothing, the good row included.
        assert rpc.partners.import_csv(a, "organisations", BAD_ORGANISATIONS, False)["created"] == 0

        offers = rpc.partners.import_csv(a, "offer", BAD_OFFER, False)
        assert {(e["line"], e["field"]) for e in offers["errors"]} == {
            (2, "vrije_plaatsen"),
            (3, "kbo"),
            (4, "capaciteit"),
        }
    assert world.verband.counts(world.db) == before


def test_offer_imports_for_partner_organisations(world):
    with world.rpc(world.coordinator_a) as rpc:
        report = rpc.partners.import_csv(world.network_a, "offer", OFFER, False)
        assert report["created"] == 1 and report["errors"] == []
        [imported] = rpc.partners.list_offers(world.network_a)
    assert imported["organisation_id"] == world.org_a
    assert imported["target_ages"] == {"min": 12, "max": 24}
    assert imported["situations"] == ["angst", "somberheid"]
    assert imported["warm_waiting_list"] is False
    assert imported["can_start_from"] == "2026-12-01"
    assert world.verband.count(world.db, "outbox", "event_type = 'offer_published'") == 1
