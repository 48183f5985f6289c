"""The network's own knowledge in a browser, against the real stack: a coordinator adds a
procedure to the library (a review date in the past is refused at its field), a partner
worker finds it by searching a word of its summary and registers for a vorming; the
coordinator then sees who registered. The pages pass axe-core at a desktop's and a phone's
width."""

import datetime as dt
import re

from verband_testkit.api import expect, poll

PHONE = {"width": 390, "height": 844}


def accessible_everywhere(person, name: str):
    person.assert_accessible()
    person.screenshot(f"kennis-{name}")
    desktop = person.page.viewport_size
    person.page.set_viewport_size(PHONE)
    try:
        overflow = person.sideways_overflow()
        assert not overflow, f"{name} scrolls sideways on a phone: {overflow}"
        person.assert_accessible()
    finally:
        person.page.set_viewport_size(desktop)


def _vorming(team) -> dict:
    """A vorming planned through the API (its form has its own gateway tests)."""
    starts = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(days=21)
    payload = {
        "title": f"Intervisie gezinscoaches {team.network['name'][-6:]}",
        "description": "Casusbespreking in kleine groep, met terugkoppeling naar het kernteam.",
        "starts_at": starts.isoformat(),
        "place": "Sociaal Huis Genk",
        "capacity": 8,
        "registration_deadline": (starts - dt.timedelta(days=7)).isoformat(),
    }
    made = {}

    def planned() -> bool:
        # meetings learns the coordinator's role from partners' events: it may come later.
        response = team.http(
            "coordinator", "POST", f"/api/networks/{team.id}/trainings", json=payload
        )
        if response.status_code == 201:
            made.update(response.json())
        else:
            assert response.status_code == 403, response.text
        return bool(made)

    poll(planned, 60, interval=1, what="the vorming planned")
    return made


def test_a_coordinator_adds_a_procedure_a_worker_finds_it_and_registers(people, team):
    owner_name = team.people["partner_worker"]["name"]
    title = f"Crisisprocedure {team.network['name'][-6:]}"

    coordinator = people.of(team, "coordinator")
    page = coordinator.page

    def owner_offered() -> bool:
        coordinator.goto("/kennis")
        return page.locator("#f-owner_id option", has_text=owner_name).count() > 0

    poll(owner_offered, 60, interval=1, what="the worker known to meetings")
    accessible_everywhere(coordinator, "leeg")

    page.get_by_label("Titel", exact=True).fill(title)
    page.locator("#f-kind").select_option(label="Procedure")
    page.get_by_label("Samenvatting", exact=True).fill(
        "Wat we doen bij dringende en gevaarlijke situaties, met het crisismeldpunt."
    )
    page.locator("#f-owner_id").select_option(label=owner_name)
    page.get_by_role("form", name="Een document toevoegen").locator("#f-status").select_option(
        label="Vastgesteld"
    )
    page.get_by_label("Herzien tegen").fill("2020-01-31")
    page.get_by_role("button", name="Toevoegen").click()
    page.wait_for_load_state()
    # A review date in the past: refused at its field, what was typed kept.
    assert "Kies een datum na vandaag." in page.locator("#e-review_on").inner_text()
    assert page.get_by_label("Titel", exact=True).input_value() == title
    accessible_everywhere(coordinator, "fout")

    next_year = (dt.date.today() + dt.timedelta(days=365)).isoformat()
    page.get_by_label("Herzien tegen").fill(next_year)
    page.get_by_role("button", name="Toevoegen").click()
    page.wait_for_load_state()
    assert re.search(r"/kennis/[0-9a-f-]{36}$", page.url), page.url
    assert coordinator.heading() == title
    assert owner_name in coordinator.text()
    accessible_everywhere(coordinator, "procedure")

    training = _vorming(team)

    worker = people.of(team, "partner_worker")
    wpage = worker.page
    worker.goto("/kennis")
    # The menu leads there, for every role.
    assert wpage.get_by_role("link", name="Kennisbank").count() >= 1
    assert "Een document toevoegen" not in worker.text()
    # "gevaarlijk" finds "gevaarlijke" (Dutch full text search).
    wpage.get_by_label("Zoek in titel en samenvatting").fill("gevaarlijk")
    wpage.get_by_role("button", name="Zoeken").click()
    wpage.wait_for_load_state()
    assert "1 document" in worker.text()
    accessible_everywhere(worker, "gezocht")
    wpage.get_by_role("link", name=title).click()
    wpage.wait_for_load_state()
    assert worker.heading() == title
    # The owner may add a version of the file; the status form is the coordinators'.
    assert wpage.get_by_role("button", name="Versie toevoegen").count() == 1
    assert "Status en herziening" not in worker.text()

    worker.goto("/vorming")
    accessible_everywhere(worker, "vorming")
    wpage.get_by_role("link", name=training["title"]).click()
    wpage.wait_for_load_state()
    assert "8 van 8 vrij" in worker.text()
    wpage.get_by_role("button", name="Inschrijven").click()
    wpage.wait_for_load_state()
    assert "Je bent ingeschreven voor deze vorming." in worker.text()
    assert "7 van 8 vrij" in worker.text()
    accessible_everywhere(worker, "ingeschreven")

    coordinator.goto(f"/vorming/{training['id']}")
    assert "Ingeschreven (1)" in coordinator.text()
    assert owner_name in coordinator.page.locator("ol[aria-labelledby=ingeschreven]").inner_text()
    listed = expect(
        team.http(
            "coordinator",
            "GET",
            f"/api/networks/{team.id}/trainings/{training['id']}/registrations",
        ),
        200,
    )
    assert [r["person_id"] for r in listed] == [team.people["partner_worker"]["id"]]
