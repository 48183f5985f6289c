"""A resident, not signed in, on a phone: finds family coaching for a toddler in Eeklo in
the public offer guide, opens it and prints it. axe-core finds nothing serious on the way."""

import uuid

import pytest

from verband_testkit.api import create_team, publish_offer

PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def coaching(stack):
    team = create_team(stack, region="Oost-Vlaanderen")
    return publish_offer(
        team,
        title=f"Gezinscoaching voor jonge gezinnen {uuid.uuid4().hex[:6]}",
        kind="family_coaching",
        municipalities=["43005"],
        target_ages={"min": 0, "max": 6},
        address={"street": "Stationsstraat 1", "postcode": "9900", "city": "Eeklo"},
        opening_hours="Elke werkdag van 9 tot 17 uur.",
        contact_phone="09 000 00 00",
        contact_email="gezinscoaching@example.be",
        languages=["nl", "fr"],
        cost="Gratis",
        referral="Zelf bellen, of via Kind en Gezin of je huisarts.",
    )


def test_a_resident_finds_family_coaching_for_a_toddler_in_eeklo_and_prints_it(people, coaching):
    resident = people.anonymous()
    page = resident.page
    page.set_viewport_size(PHONE)
    resident.goto("/aanbodgids")
    assert resident.heading().startswith("Aanbodgids")
    resident.assert_accessible()

    page.get_by_label("Gemeente of postcode").fill("Eeklo")
    page.get_by_label("Leeftijd van het kind of de jongere").fill("2")
    page.get_by_label("Soort hulp").select_option(label="Gezinscoaching")
    page.get_by_role("button", name="Zoeken").click()
    page.wait_for_load_state()
    assert "gevonden in Eeklo" in resident.text()
    result = page.get_by_role("link", name=coaching["title"])
    assert result.is_visible()
    assert not resident.sideways_overflow(), resident.sideways_overflow()
    resident.screenshot("aanbodgids-resultaten-telefoon")
    resident.assert_accessible()

    result.click()
    page.wait_for_load_state()
    assert resident.heading() == coaching["title"]
    text = resident.text()
    for shown in (
        "Stationsstraat 1, 9900 Eeklo",
        "Elke werkdag van 9 tot 17 uur.",
        "09 000 00 00",
        "Nederlands, Frans",
        "Gratis",
        "Zelf bellen, of via Kind en Gezin",
        "Wachttijd nu",
    ):
        assert shown in text, shown
    assert not resident.sideways_overflow(), resident.sideways_overflow()
    resident.screenshot("aanbodgids-aanbod-telefoon")
    resident.assert_accessible()

    # Printed: the offer itself, without the header, the way back or the print button.
    page.emulate_media(media="print")
    assert page.get_by_text("Stationsstraat 1, 9900 Eeklo").is_visible()
    assert not page.get_by_role("button", name="Afdrukken").is_visible()
    assert not page.locator("header").is_visible()
    assert not page.get_by_role("link", name="Terug naar de zoekresultaten").is_visible()
    resident.screenshot("aanbodgids-aanbod-afdruk")


def test_an_unknown_municipality_is_told_next_to_the_field(people, coaching):
    resident = people.anonymous()
    resident.page.set_viewport_size(PHONE)
    resident.goto("/aanbodgids?municipality=Atlantis", expect_status=422)
    error = resident.page.locator("#e-municipality")
    assert error.is_visible() and "Geen Vlaamse gemeente of postcode" in error.inner_text()
    assert resident.page.get_by_label("Gemeente of postcode").input_value() == "Atlantis"
    resident.assert_accessible()
