"""The meetings pages in a browser, against the real stack: the coordinator sets up a kernteam
and its members through the forms, the secretary plans a meeting today, publishes its agenda
and records it; every page passes axe-core, at a desktop's and at a phone's width, with and
without errors shown; a member reaches the proposal form with the keyboard alone."""

import datetime as dt
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from verband_testkit.api import expect, poll

BRUSSELS = ZoneInfo("Europe/Brussels")
PHONE = {"width": 390, "height": 844}


def accessible_everywhere(person, name: str):
    """axe-core at the desktop's width, then on a phone: accessible and not wider than it."""
    person.assert_accessible()
    person.screenshot(f"vergaderen-{name}")
    desktop = person.page.viewport_size
    person.page.set_viewport_size(PHONE)
    try:
        overflow = person.sideways_overflow()
        assert not overflow, f"{name} scrolls sideways on a phone: {overflow}"
        person.assert_accessible()
        person.screenshot(f"vergaderen-{name}-telefoon")
    finally:
        person.page.set_viewport_size(desktop)


def test_a_kernteam_is_set_up_and_its_meeting_recorded_in_the_browser(people, team):
    # meetings learns the network's roles from partners' events: wait until it knows them.
    poll(
        lambda: (
            team.http("coordinator", "GET", f"/api/networks/{team.id}/bodies").status_code == 200
        ),
        30,
        what="meetings knowing the coordinator",
    )
    coordinator = people.of(team, "coordinator")
    page = coordinator.page
    coordinator.goto("/organen")
    accessible_everywhere(coordinator, "organen")

    # The set-up form: a mistake is named next to its field, what was typed stays.
    name = f"Kernteam {team.network['name']}"
    page.get_by_label("Naam", exact=True).fill(name)
    page.get_by_label("Soort orgaan").select_option("kernteam")
    page.get_by_label("Soort ritme").select_option("every_days")
    page.get_by_label("Minstens om de … dagen (bij ‘om de zoveel dagen’)").fill("3")
    page.get_by_role("button", name="Orgaan oprichten").click()
    days = page.get_by_label("Minstens om de … dagen (bij ‘om de zoveel dagen’)")
    assert days.get_attribute("aria-invalid") == "true"
    assert page.locator(f"#{days.get_attribute('aria-describedby')}").inner_text()
    assert page.get_by_label("Naam", exact=True).input_value() == name
    accessible_everywhere(coordinator, "organen-fout")
    days.fill("14")
    page.get_by_label("Vaste weekdag").select_option(label="dinsdag")
    page.get_by_role("button", name="Orgaan oprichten").click()
    assert coordinator.heading() == name

    # Members: the secretary, a member, and an adviser without a vote. A person whose role
    # meetings has not learned yet is refused at the field: the coordinator tries again.
    def added(role: str, seat: str, voting: bool = True) -> bool:
        page.get_by_label("Wie zetelt?").select_option("person")
        page.get_by_label("Persoon (als persoon)").select_option(team.people[role]["id"])
        page.get_by_label("Rol", exact=True).select_option(seat)
        page.get_by_label("Heeft stemrecht").set_checked(voting)
        page.get_by_role("button", name="Lid toevoegen").click()
        return "Het lid is toegevoegd." in coordinator.text()

    for role, seat, voting in (
        ("secretary", "secretary", True),
        ("referrer", "member", True),
        ("partner_worker", "adviser", False),
    ):
        poll(lambda: added(role, seat, voting), 30, interval=1, what=f"{role} added")
    assert page.get_by_role("table", name="Leden").get_by_role("row").count() == 4
    accessible_everywhere(coordinator, "orgaan")
    body_path = urlsplit(page.url).path

    # The secretary plans a meeting for later today, publishes the agenda and records it.
    now = dt.datetime.now(BRUSSELS)
    if (now + dt.timedelta(minutes=20)).date() != now.date():
        return  # the last minutes of a Brussels day: no meeting "today" to record
    secretary = people.of(team, "secretary")
    page = secretary.page
    secretary.goto(body_path)
    starts = now + dt.timedelta(minutes=15)
    page.get_by_label("Datum", exact=True).fill(starts.date().isoformat())
    page.get_by_label("Uur (UU:MM)", exact=True).fill(starts.strftime("%H:%M"))
    page.get_by_role("button", name="Vergadering plannen").click()
    if "De vergadering is gepland." not in secretary.text():
        # Today is a public holiday: the refusal names it; the secretary confirms.
        assert page.locator("#e-one_on").is_visible(), secretary.text()[:600]
        page.get_by_label("Het orgaan vergadert bewust op een feestdag").check()
        page.get_by_role("button", name="Vergadering plannen").click()
    assert "De vergadering is gepland." in secretary.text()
    page.get_by_role("link", name=starts.strftime("%d/%m/%Y")).first.click()
    meeting_path = urlsplit(page.url).path
    page.get_by_role("link", name="Agenda", exact=True).click()
    accessible_everywhere(secretary, "agenda")
    page.get_by_role("button", name="Agenda publiceren").click()
    assert "De agenda is gepubliceerd" in secretary.text()
    accessible_everywhere(secretary, "agenda-gepubliceerd")

    secretary.goto(meeting_path)
    accessible_everywhere(secretary, "vergadering")
    meeting = expect(
        team.http("secretary", "GET", "/api" + meeting_path.replace("vergaderingen", "meetings")),
        200,
    )
    seats = expect(team.http("secretary", "GET", f"/api/bodies/{meeting['body_id']}"), 200)[
        "members"
    ]
    for seat in seats:
        page.locator(f"#f-presence-{seat['id']}").select_option("present")
    page.get_by_label("Wie koppelt terug aan IROJ?").select_option(seats[0]["id"])
    page.get_by_role("button", name="Aanwezigheid bewaren").click()
    assert "De aanwezigheid is geregistreerd." in secretary.text()

    # An action without owner: the error is next to the owner's choice, and accessible.
    item = meeting["agenda"][-1]["id"]
    form = page.locator(f"details:has(#f-notes-{item})")
    form.locator("summary").click()
    page.locator(f"#f-action_title-{item}-0").fill("Terugkoppeling voorbereiden")
    page.locator(f"#f-action_due-{item}-0").fill(
        (dt.date.today() + dt.timedelta(days=7)).isoformat()
    )
    form.locator("button[type=submit]").click()
    owner = page.locator(f"#f-action_owner-{item}-0")
    assert owner.get_attribute("aria-invalid") == "true"
    assert page.locator(f"#e-action_owner-{item}-0").inner_text() == "Kies wie de actie opneemt."
    assert page.locator(f"#f-action_title-{item}-0").input_value() == "Terugkoppeling voorbereiden"
    accessible_everywhere(secretary, "vergadering-fout")
    secretary.goto(meeting_path + "/verslag")
    accessible_everywhere(secretary, "verslag")

    # Every member's own pages; the proposal form reached with the keyboard alone.
    member = people.of(team, "referrer")
    member.goto("/mijn-vergaderingen")
    accessible_everywhere(member, "mijn-vergaderingen")
    member.goto("/mijn-acties")
    accessible_everywhere(member, "mijn-acties")
    member.goto(meeting_path + "/punt-voorstellen")
    accessible_everywhere(member, "punt-voorstellen")
    for _ in range(80):
        member.page.keyboard.press("Tab")
        if member.page.evaluate("document.activeElement && document.activeElement.id") == "f-title":
            break
    else:
        raise AssertionError("the proposal's title is not reachable with the Tab key")
