"""The portal's shell in a browser: signing in, choosing a network, the directory pages, the
region's offer, and the refusal of another network's pages."""

import datetime as dt
import uuid

from verband_testkit.api import (
    MUNICIPALITY,
    PASSWORD,
    accept_as_new,
    create_network,
    expect,
    invitation_token,
    invite,
    kbo_number,
    publish_offer,
)


def test_signing_in_with_a_wrong_password_keeps_the_email_and_says_why(people, team):
    person = people.anonymous()
    page = person.page
    person.goto("/aanmelden")
    email = team.people["referrer"]["email"]
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill("niet-het-wachtwoord")
    page.get_by_role("button", name="Aanmelden").click()
    # The service's one message for a wrong address or password, tied to the form.
    assert "wachtwoord" in page.get_by_role("alert").inner_text().lower()
    # What was typed stays, the password does not.
    assert page.get_by_label("E-mailadres").input_value() == email
    assert page.get_by_label("Wachtwoord").input_value() == ""

    # A malformed address is named next to its field, tied to it for screen readers.
    page.get_by_label("E-mailadres").fill("geen-adres")
    page.get_by_role("button", name="Aanmelden").click()
    field = page.get_by_label("E-mailadres")
    assert field.get_attribute("aria-invalid") == "true"
    described = field.get_attribute("aria-describedby")
    assert page.locator(f"#{described}").inner_text() == "Geef een geldig e-mailadres."
    assert field.input_value() == "geen-adres"


def test_signing_in_works_with_the_keyboard_alone_and_focus_is_visible(people, team):
    person = people.anonymous()
    page = person.page
    person.goto("/aanmelden")
    # From the top of the page, Tab reaches the e-mail field before anything else on the form.
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "f-email":
            break
    assert page.evaluate("document.activeElement.id") == "f-email"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none"), "the focused field shows no outline"
    page.keyboard.type(team.people["referrer"]["email"])
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "f-password"
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/aanmelden" not in page.url
    assert "Aangemeld als" in person.text()


def test_a_page_asks_to_sign_in_first_and_returns_there_after(people, team):
    person = people.anonymous()
    person.goto("/aanbod/zoeken?municipality=" + MUNICIPALITY)
    assert "/aanmelden" in person.page.url
    assert person.heading() == "Aanmelden"
    person.sign_in(team.people["referrer"]["email"])
    assert person.page.url.endswith("/aanbod/zoeken?municipality=" + MUNICIPALITY)
    assert person.heading() == "Aanbod zoeken in de regio"

    # Signing out ends the session: the page asks to sign in again.
    person.page.get_by_role("button", name="Afmelden").click()
    assert person.page.get_by_role("status").first.inner_text() == "Je bent afgemeld."
    person.goto("/aanbod/zoeken")
    assert "/aanmelden" in person.page.url


def test_a_person_of_two_networks_chooses_the_one_they_work_in(stack, people, team):
    # A casemanager of the team who also reads IROJ reports of another network.
    email = f"twee.netwerken.{uuid.uuid4().hex[:6]}@verband.test"
    invite(
        stack,
        stack.admin_token,
        team.id,
        {
            "name": "Sofie Twee Netwerken",
            "email": email,
            "organisation_id": team.organisation["id"],
            "roles": ["case_manager"],
        },
    )
    opened = accept_as_new(stack, email)
    second = create_network(stack, region="Limburg", name=f"Tweede netwerk {uuid.uuid4().hex[:6]}")
    # The second network invites her as IROJ viewer; she accepts, signed in as herself.
    invite(
        stack,
        stack.admin_token,
        second["id"],
        {"name": "Sofie Twee Netwerken", "email": email, "roles": ["iroj_viewer"]},
    )
    expect(
        stack.http(
            "POST",
            "/api/invitations/accept",
            token=opened["token"],
            json={"token": invitation_token(stack, email)},
        ),
        200,
    )

    browser = people.as_(email, "person of two networks")
    page = browser.page
    # No network chosen yet: a page of a network sends them to choose one first.
    browser.goto("/organisaties")
    assert "/netwerk" in page.url
    assert browser.heading() == "In welk netwerk werk je?"
    assert "Kies eerst het netwerk waarin je werkt." in browser.text()
    choice = page.get_by_label(f"{second['name']} (Limburg) – IROJ-lezer")
    assert choice.is_visible()
    page.get_by_label(f"{team.network['name']} (Limburg) – Casemanager").check()
    page.get_by_role("button", name="Kiezen").click()
    assert page.url.endswith("/organisaties")
    assert f"Je werkt nu in {team.network['name']}." in browser.text()
    assert team.organisation["name"] in page.get_by_role("table").inner_text()

    # Choosing nothing is refused, next to the choice, and nothing changes.
    browser.goto("/netwerk")
    page.evaluate(
        "document.querySelectorAll('input[name=network_id]').forEach(i => i.checked = false)"
    )
    page.get_by_role("button", name="Kiezen").click()
    assert page.locator("#e-network").inner_text() == "Kies een van je netwerken."
    browser.goto("/organisaties")
    assert team.organisation["name"] in page.get_by_role("table").inner_text()


def test_a_coordinator_adds_a_partner_and_a_mistake_is_shown_next_to_its_field(people, team, stack):
    coordinator = people.of(team, "coordinator")
    page = coordinator.page
    coordinator.goto("/")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Partners").click()
    assert coordinator.heading() == "Partnerorganisaties"

    name = f"CAW Limburg {uuid.uuid4().hex[:6]}"
    page.get_by_label("Naam", exact=True).fill(name)
    page.get_by_label("Ondernemingsnummer (KBO)").fill("0123.456.789")  # wrong check digits
    page.get_by_label("Sector").select_option(label="CAW")
    page.get_by_label("Gemeenten", exact=True).fill("Genk")  # by name, as people write it
    page.get_by_label("Rol in het netwerk").select_option(label="Partner")
    page.get_by_label("Lid vanaf").fill(dt.date.today().isoformat())
    page.get_by_role("button", name="Toevoegen").click()

    kbo = page.get_by_label("Ondernemingsnummer (KBO)")
    assert kbo.get_attribute("aria-invalid") == "true"
    error = page.locator("#e-kbo")
    assert "e-kbo" in kbo.get_attribute("aria-describedby").split()
    assert error.is_visible() and "ondernemingsnummer" in error.inner_text().lower()
    # The form keeps what was typed, and nothing was stored.
    assert page.get_by_label("Naam", exact=True).input_value() == name
    assert kbo.input_value() == "0123.456.789"
    assert page.get_by_label("Sector").input_value() == "caw"
    assert page.get_by_label("Rol in het netwerk").input_value() == "partner"
    listed = expect(team.http("coordinator", "GET", f"/api/networks/{team.id}/organisations"), 200)
    assert name not in [o["name"] for o in listed]
    coordinator.assert_accessible()

    kbo.fill(kbo_number())
    page.get_by_role("button", name="Toevoegen").click()
    assert f"{name} is toegevoegd als partner." in coordinator.text()
    assert name in page.get_by_role("table").inner_text()


def test_a_referrer_finds_the_regions_offer(people, team):
    offer = publish_offer(team, title=f"Gezinscoaching Genk {uuid.uuid4().hex[:6]}", free_places=3)
    referrer = people.of(team, "referrer")
    page = referrer.page
    referrer.goto("/")
    page.get_by_role("link", name="Aanbod zoeken").first.click()
    assert referrer.heading() == "Aanbod zoeken in de regio"

    # A wrong filter is named next to its field and kept.
    page.get_by_label("Leeftijd van het kind").fill("140")
    page.get_by_role("button", name="Zoeken").click()
    age = page.get_by_label("Leeftijd van het kind")
    assert age.get_attribute("aria-invalid") == "true"
    assert page.locator("#e-age").inner_text().startswith("Geef 0 tot")
    assert age.input_value() == "140"

    age.fill("7")
    page.get_by_label("Gemeente", exact=True).fill("Genk")  # by name, as people write it
    page.get_by_label("Alleen met vrije plaatsen").check()
    page.get_by_role("button", name="Zoeken").click()
    results = page.get_by_role("table").inner_text()
    assert offer["title"] in results
    row = page.get_by_role("row").filter(has_text=offer["title"])
    assert "3" in row.inner_text()
    referrer.assert_accessible()


def test_a_user_of_one_network_is_refused_another_networks_page(stack, people, team, other_team):
    # Something of the other network that has its own page: an agreement.
    agreement = expect(
        other_team.http(
            "coordinator",
            "POST",
            f"/api/networks/{other_team.id}/agreements",
            json={
                "title": "Volumeafspraak OCJ Antwerpen",
                "kind": "mandated_body",
                "parties": [{"name": "OCJ Antwerpen"}],
                "starts_on": dt.date.today().isoformat(),
                "agreed_number": 10,
            },
        ),
        201,
    )
    offer = publish_offer(other_team, title="Aanbod van een ander netwerk")
    coordinator = people.of(team, "coordinator")
    page = coordinator.page

    response = coordinator.goto(f"/afspraken/{agreement['id']}/opvolging", expect_status=404)
    assert "Volumeafspraak OCJ Antwerpen" not in coordinator.text()
    assert "Deze afspraak bestaat niet in dit netwerk." in coordinator.text()
    assert response.status == 404

    # Choosing the other network by tampering with the form is refused.
    coordinator.goto("/netwerk")
    page.locator("input[name=network_id]").first.evaluate(
        "(el, id) => { el.value = id; el.checked = true; }", other_team.id
    )
    page.get_by_role("button", name="Kiezen").click()
    assert page.locator("#e-network").inner_text() == "Kies een van je netwerken."
    coordinator.goto("/organisaties")
    table = page.get_by_role("table").inner_text()
    assert team.organisation["name"] in table
    assert other_team.organisation["name"] not in table

    # The other network's offer is in another region: not found in the region's search.
    coordinator.goto("/aanbod/zoeken?municipality=" + MUNICIPALITY)
    assert offer["title"] not in coordinator.text()
