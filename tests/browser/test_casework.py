"""A family's way through the portals, in a browser: the referrer refers it through the form
and follows its status, the coordinator triages it onto a waiting list and starts a
trajectory, a partner logs a warm contact and works on the family's one plan.

What is not the journey under test is set up over the JSON API, as another person would have
done it in their own portal.
"""

import datetime as dt
import re
import uuid

import pytest

from verband_testkit.api import (
    MUNICIPALITY,
    expect,
    poll,
    publish_offer,
    refer_once_offer_known,
)

TODAY = dt.date.today()
BELGIAN_DATE = re.compile(r"\d{2}/\d{2}/\d{4}")


@pytest.fixture(scope="module")
def offer(team):
    """The team's gezinscoaching, known to the cases service, as the referrer's role is (one
    referral each proves it: partners' events reach cases in their own time)."""
    offer = publish_offer(team, title=f"Gezinscoaching {uuid.uuid4().hex[:6]}", free_places=2)
    for role in ("coordinator", "referrer"):
        refer_once_offer_known(team, offer["id"], role=role)
    return offer


def family_name() -> str:
    return f"Els Janssens {uuid.uuid4().hex[:6]}"


def refer_over_api(team, offer, carer: str) -> str:
    """A referral as the referrer sends it from their portal; returns the case id."""
    receipt = refer_once_offer_known(
        team,
        offer["id"],
        household={
            "carers": [{"name": carer}],
            # A child of its own: the same child referred again would join one family's
            # record (one family, one record), and each test follows a family of its own.
            "children": [{"first_name": f"Lotte {carer[-6:]}", "birth_date": "2019-04-01"}],
        },
        consent={
            "given_by": carer,
            "given_on": TODAY.isoformat(),
            "sharing": ["network_partners", "referrer_follow_up"],
        },
    )
    return receipt["case_id"]


def triage_over_api(team, offer, case_id: str):
    expect(
        team.http(
            "coordinator",
            "POST",
            f"/api/cases/{case_id}/triage",
            json={
                "decision": "waiting_list",
                "reason": "Past bij gezinscoaching.",
                "offer_ids": [offer["id"]],
            },
        ),
        200,
    )


def fill_referral(page, carer: str, offer: dict, birth_date: str = "2018-03-02"):
    page.get_by_label("Naam van opvoeder 1").fill(carer)
    page.get_by_label("Voornaam van kind 1").fill("Lotte")
    page.get_by_label("Geboortedatum van kind 1").fill(birth_date)
    municipality = page.get_by_label(re.compile("^Gemeente waar het gezin woont"))
    if municipality.evaluate("el => el.tagName") == "SELECT":
        municipality.select_option(MUNICIPALITY)
    else:
        municipality.fill(MUNICIPALITY)
    page.get_by_label("De vraag, in de woorden van het gezin").fill(
        "Het gezin zoekt steun bij de opvoeding van Lotte."
    )
    page.get_by_label("Enige zorgen").check()
    page.get_by_label(offer["title"]).check()
    page.get_by_label("Wie meldt aan?").select_option(label="OCMW / Sociaal Huis")
    page.get_by_label("Het gezin gaf toestemming om deze gegevens te delen").check()
    page.get_by_label("Wie gaf de toestemming?").fill(carer)
    page.get_by_label("Wanneer?").fill(TODAY.isoformat())
    page.get_by_label("Delen met de partners van het netwerk die het gezin helpen").check()
    page.get_by_label("De aanmelder volgt op wie welke hulp start").check()


def referral_panel(page, carer: str):
    return page.get_by_role("region", name=re.compile(re.escape(carer)))


def test_a_referrer_refers_a_family_through_the_form_and_follows_its_status(people, team, offer):
    referrer = people.of(team, "referrer")
    page = referrer.page
    referrer.goto("/")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Gezin aanmelden"
    ).click()
    assert referrer.heading() == "Een gezin aanmelden"
    referrer.assert_accessible()

    carer = family_name()
    fill_referral(page, carer, offer)
    page.get_by_role("button", name="Aanmelding versturen").click()
    assert "De aanmelding is verstuurd." in referrer.text()
    assert referrer.heading() == "Mijn aanmeldingen"
    panel = referral_panel(page, carer)
    assert "Aangemeld, wacht op triage" in panel.inner_text()
    referrer.assert_accessible()

    # The coordinator puts the family on the offer's waiting list; the referrer sees it.
    cases = expect(team.http("coordinator", "GET", f"/api/networks/{team.id}/cases"), 200)
    (case_id,) = [c["id"] for c in cases if c.get("family_name") and carer in c["family_name"]]
    triage_over_api(team, offer, case_id)
    page.reload()
    panel = referral_panel(page, carer)
    assert "Op de wachtlijst" in panel.inner_text()
    waiting = panel.get_by_role("table", name="Wachtlijsten").inner_text()
    assert offer["title"] in waiting
    assert BELGIAN_DATE.search(waiting), waiting


def test_the_referral_form_shows_a_mistake_next_to_its_field_and_keeps_what_was_typed(
    people, team, offer
):
    referrer = people.of(team, "referrer")
    page = referrer.page
    referrer.goto("/gezin-aanmelden")
    carer = family_name()
    future = (TODAY + dt.timedelta(days=30)).isoformat()
    fill_referral(page, carer, offer, birth_date=future)
    # No consent: the form may not be sent.
    page.get_by_label("Het gezin gaf toestemming om deze gegevens te delen").uncheck()
    page.get_by_role("button", name="Aanmelding versturen").click()

    consent = page.get_by_label("Het gezin gaf toestemming om deze gegevens te delen")
    assert consent.get_attribute("aria-invalid") == "true"
    message = page.locator("#" + consent.get_attribute("aria-describedby")).inner_text()
    assert "toestemming" in message, message
    birth = page.get_by_label("Geboortedatum van kind 1")
    assert birth.get_attribute("aria-invalid") == "true"
    assert page.locator("#" + birth.get_attribute("aria-describedby")).inner_text()
    # Everything typed is still there.
    assert page.get_by_label("Naam van opvoeder 1").input_value() == carer
    assert page.get_by_label("Voornaam van kind 1").input_value() == "Lotte"
    assert (
        page.get_by_label("De vraag, in de woorden van het gezin")
        .input_value()
        .startswith("Het gezin zoekt steun")
    )
    assert page.get_by_label("Enige zorgen").is_checked()
    assert page.get_by_label(offer["title"]).is_checked()
    assert page.get_by_label("Wie gaf de toestemming?").input_value() == carer
    referrer.assert_accessible()
    # And nothing was stored.
    cases = expect(team.http("coordinator", "GET", f"/api/networks/{team.id}/cases"), 200)
    assert not [c for c in cases if carer in (c.get("family_name") or "")]


def test_a_coordinator_triages_onto_a_waiting_list_and_starts_a_trajectory(people, team, offer):
    carer = family_name()
    case_id = refer_over_api(team, offer, carer)

    coordinator = people.of(team, "coordinator")
    page = coordinator.page
    coordinator.goto("/")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Wachtlijst").click()
    assert coordinator.heading() == "Warme wachtlijst"
    to_triage = page.get_by_role("region", name=re.compile("Aanmeldingen om te triëren"))
    to_triage.get_by_role("link", name=re.compile(re.escape(carer))).click()
    assert coordinator.heading().startswith("Triage van de aanmelding")
    coordinator.assert_accessible()

    # A decision without its reason is refused next to the reason, the choice kept.
    page.get_by_label("Op de wachtlijst van een of meer aanbieders").check()
    page.get_by_role("group", name="Op de wachtlijst van").get_by_label(offer["title"]).check()
    page.get_by_role("button", name="Beslissing vastleggen").click()
    reason = page.get_by_label("Reden van de beslissing (verplicht)")
    assert reason.get_attribute("aria-invalid") == "true"
    assert "e-reason" in reason.get_attribute("aria-describedby").split()
    assert page.locator("#e-reason").inner_text()
    assert page.get_by_label("Op de wachtlijst van een of meer aanbieders").is_checked()
    case = expect(team.http("coordinator", "GET", f"/api/cases/{case_id}"), 200)
    assert case["status"] == "received"

    reason.fill("Past bij gezinscoaching; nu geen vrije plaats.")
    page.get_by_role("button", name="Beslissing vastleggen").click()
    assert "De beslissing is vastgelegd: Op de wachtlijst" in coordinator.text()

    # The family is on the offer's board.
    coordinator.goto(f"/wachtlijst?aanbod={offer['id']}")
    board = page.get_by_role("main").inner_text()
    assert carer in board
    coordinator.assert_accessible()

    # The coordinator starts the trajectory with the case manager as the contact point.
    coordinator.goto(f"/dossiers/{case_id}")
    case_manager = team.people["case_manager"]["name"]
    page.get_by_label("Aanspreekpunt van het gezin (casemanager)").select_option(label=case_manager)
    page.get_by_label("Aanbod", exact=True).last.select_option(label=offer["title"])
    page.get_by_role("button", name="Traject starten").click()
    assert page.get_by_role("status").first.is_visible()
    section = page.get_by_role("region", name="Traject en aanspreekpunt")
    assert case_manager in section.inner_text()
    case = expect(team.http("coordinator", "GET", f"/api/cases/{case_id}"), 200)
    assert case["status"] == "started"

    # The referrer follows it: help has started, with whom and since when.
    referrer = people.of(team, "referrer")
    referrer.goto("/mijn-aanmeldingen")
    panel = referral_panel(referrer.page, carer)
    assert "Hulp gestart" in panel.inner_text()
    started = panel.get_by_role("table", name="Gestarte hulp").inner_text()
    assert offer["title"] in started and BELGIAN_DATE.search(started)


PHONE = {"width": 390, "height": 844}


def this_quarter() -> tuple[dt.date, dt.date]:
    starts = TODAY.replace(month=3 * ((TODAY.month - 1) // 3) + 1, day=1)
    following = (starts + dt.timedelta(days=95)).replace(day=1)
    return starts, following - dt.timedelta(days=1)


def test_triage_shows_the_chosen_decisions_fields_and_keeps_the_mandated_volume(
    people, team, offer
):
    """Issue 13 and 14: the form starts from the asked offer and shows only the chosen
    decision's fields; a mandated body's referral beyond the network's volume agreement
    (here of no places this quarter) is taken in only with the reason for it."""
    starts, ends = this_quarter()
    agreement = expect(
        team.http(
            "coordinator",
            "POST",
            f"/api/networks/{team.id}/agreements",
            json={
                "title": "Snellere toegang OCJ Limburg",
                "kind": "mandated_body",
                "parties": [{"name": "OCJ Limburg"}],
                "starts_on": starts.isoformat(),
                "ends_on": ends.isoformat(),
                "agreed_number": 0,
            },
        ),
        201,
    )
    try:
        carer = family_name()
        case_id = refer_once_offer_known(
            team,
            offer["id"],
            mandated_body=True,
            household={
                "carers": [{"name": carer}],
                "children": [{"first_name": f"Mats {carer[-6:]}", "birth_date": "2016-05-01"}],
            },
        )["case_id"]
        coordinator = people.of(team, "coordinator")
        page = coordinator.page

        def volume_known():
            coordinator.goto(f"/dossiers/{case_id}/triage")
            return "Mandaat: 0 van 0 plaatsen dit kwartaal gebruikt." in coordinator.text()

        poll(volume_known, 30, interval=0.5, what="cases knowing the volume agreement")
        waiting = page.get_by_role("group", name=re.compile("^Bij “op de wachtlijst"))
        starting = page.get_by_role("group", name="Bij “meteen starten”")
        override = page.get_by_label("Reden om het gezin toch op te nemen")
        # Nothing chosen yet: no decision's fields.
        assert not waiting.is_visible() and not starting.is_visible()
        assert not override.is_visible()
        page.get_by_label("Op de wachtlijst van een of meer aanbieders").check()
        assert waiting.is_visible() and override.is_visible() and not starting.is_visible()
        # The offer the referrer asked for is already chosen.
        assert waiting.get_by_label(offer["title"]).is_checked()
        coordinator.assert_accessible()
        page.set_viewport_size(PHONE)
        coordinator.assert_accessible()
        assert coordinator.sideways_overflow() == []
        page.set_viewport_size({"width": 1280, "height": 900})

        page.get_by_label("Reden van de beslissing (verplicht)").fill("Past bij gezinscoaching.")
        page.get_by_role("button", name="Beslissing vastleggen").click()
        override = page.get_by_label("Reden om het gezin toch op te nemen")
        assert override.get_attribute("aria-invalid") == "true"
        assert "gebruikt" in page.locator("#e-volume_override_reason").inner_text()
        case = expect(team.http("coordinator", "GET", f"/api/cases/{case_id}"), 200)
        assert case["status"] == "received"

        override.fill("De veiligheid van de kinderen gaat voor; besproken met het OCJ.")
        page.get_by_role("button", name="Beslissing vastleggen").click()
        assert "De beslissing is vastgelegd: Op de wachtlijst" in coordinator.text()
        case = expect(team.http("coordinator", "GET", f"/api/cases/{case_id}"), 200)
        assert case["status"] == "waiting"
        assert case["triage"]["volume_override_reason"].startswith("De veiligheid")
    finally:
        # The team is shared by the run: its other referrals keep no volume to respect.
        expect(
            team.http(
                "coordinator",
                "PATCH",
                f"/api/agreements/{agreement['id']}",
                json={"status": "ended"},
            ),
            200,
        )


def test_a_partner_logs_a_warm_contact_and_edits_the_plan(people, team, offer):
    carer = family_name()
    case_id = refer_over_api(team, offer, carer)
    triage_over_api(team, offer, case_id)
    # The partner worker of the offer's organisation sees the family once cases knows who
    # provides the offer.
    poll(
        lambda: (
            team.http(
                "partner_worker", "GET", f"/api/offers/{offer['id']}/waiting-list"
            ).status_code
            == 200
        ),
        30,
        what="the partner worker seeing the offer's waiting list",
    )

    partner = people.of(team, "partner_worker")
    page = partner.page
    partner.goto("/")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Caseload").click()
    assert partner.heading() == "Mijn caseload"
    partner.assert_accessible()
    page.get_by_role("table").get_by_role("link", name=re.compile(re.escape(carer))).click()
    assert carer in partner.heading()

    # A contact dated before the referral is refused next to the date; the note is kept.
    before = (TODAY - dt.timedelta(days=5)).isoformat()
    page.get_by_label("Datum van het contact").fill(before)
    page.get_by_label("Hoe").first.select_option(label="Telefoon")
    page.get_by_label("Notitie").first.fill("Mama gebeld; het gaat iets beter.")
    page.get_by_role("button", name="Contact loggen").click()
    date = page.get_by_label("Datum van het contact")
    assert date.get_attribute("aria-invalid") == "true"
    assert page.locator("#" + date.get_attribute("aria-describedby").split()[0]).inner_text()
    assert page.get_by_label("Notitie").first.input_value() == "Mama gebeld; het gaat iets beter."

    date.fill(TODAY.isoformat())
    page.get_by_role("button", name="Contact loggen").click()
    logged = page.get_by_role("status").first.inner_text()
    assert logged.startswith("Het warm contact is bewaard. Volgend contact ten laatste op")
    assert BELGIAN_DATE.search(logged), logged

    # The trajectory starts (the coordinator, in their portal); the partner writes the plan.
    expect(
        team.http(
            "coordinator",
            "POST",
            f"/api/cases/{case_id}/trajectories",
            json={"case_manager_id": team.people["case_manager"]["id"], "offer_id": offer["id"]},
        ),
        201,
    )
    partner.goto(f"/dossiers/{case_id}/plan")
    assert partner.heading() == "Het plan van het gezin"
    goal = page.get_by_label("Het doel, in de woorden van het gezin").first
    goal.fill("Lotte gaat weer graag naar school.")
    page.get_by_label("Actie 1", exact=True).first.fill("Wekelijks huisbezoek van de gezinscoach")
    page.get_by_label("Verantwoordelijke partner").first.select_option(
        label=team.organisation["name"]
    )
    page.get_by_label("Tegen").first.fill((TODAY + dt.timedelta(days=30)).isoformat())
    page.get_by_label("Wat het gezin zelf doet").fill("Mama brengt Lotte elke ochtend.")
    page.get_by_role("button", name="Plan bewaren").click()
    assert "Versie 1 van het plan is bewaard." in partner.text()
    partner.assert_accessible()

    # Edited: a second version, the first kept in the history.
    goal = page.get_by_label("Het doel, in de woorden van het gezin").first
    assert goal.input_value() == "Lotte gaat weer graag naar school."
    goal.fill("Lotte gaat weer graag naar school en slaapt goed.")
    page.get_by_role("button", name="Plan bewaren").click()
    assert "Versie 2 van het plan is bewaard." in partner.text()
    plan = expect(team.http("case_manager", "GET", f"/api/cases/{case_id}/plan"), 200)
    assert plan["version"] == 2
    assert "slaapt goed" in str(plan)
