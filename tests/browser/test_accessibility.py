"""axe-core in the browser: no serious or critical violation on the sign-in page, on the main
page of each portal (referrer, partner, coordinator, IROJ) and on the referral form.

Each portal's home page is also kept as a screenshot (build/artefacts/screenshots/), at a
desktop and at a phone's width.
"""

import pytest

from verband_testkit.api import publish_offer

# The four portals, by the role whose home page each is.
PORTALS = {
    "referrer": "toeleider",
    "partner_worker": "partner",
    "coordinator": "coordinator",
    "iroj_viewer": "iroj",
}
PHONE = {"width": 390, "height": 844}


def test_the_sign_in_page_is_accessible(people):
    person = people.anonymous()
    person.goto("/aanmelden")
    person.assert_accessible()
    # With errors shown next to their fields, too.
    person.page.get_by_role("button", name="Aanmelden").click()
    assert person.page.locator("#e-email").is_visible()
    person.assert_accessible()


@pytest.fixture(scope="module")
def offer(team):
    """Something on the network's pages, so the tables are drawn."""
    return publish_offer(team, title="Gezinscoaching (toegankelijkheid)")


@pytest.mark.parametrize("role", PORTALS, ids=PORTALS.values())
def test_each_portals_home_page_is_accessible(people, team, offer, role):
    person = people.of(team, role)
    person.goto("/")
    assert person.heading(), "the home page has a main heading"
    person.screenshot(f"home-{PORTALS[role]}")
    person.assert_accessible()

    # On a phone: the same page, nothing wider than the screen.
    person.page.set_viewport_size(PHONE)
    person.goto("/")
    person.screenshot(f"home-{PORTALS[role]}-telefoon")
    overflow = person.sideways_overflow()
    assert not overflow, f"the {PORTALS[role]} home page scrolls sideways on a phone: {overflow}"
    person.assert_accessible()


def test_the_referral_form_is_accessible(people, team, offer):
    referrer = people.of(team, "referrer")
    referrer.goto("/gezin-aanmelden")
    assert referrer.heading() == "Een gezin aanmelden"
    referrer.screenshot("aanmeldformulier")
    referrer.assert_accessible()
    # Sent empty: every mistake next to its field, and still no violation.
    referrer.page.get_by_role("button", name="Aanmelding versturen").click()
    invalid = referrer.page.locator("[aria-invalid=true]")
    assert invalid.count() >= 3
    for n in range(invalid.count()):
        described = invalid.nth(n).get_attribute("aria-describedby")
        assert described, f"{invalid.nth(n).get_attribute('id')} has no message tied to it"
    referrer.screenshot("aanmeldformulier-fouten")
    referrer.assert_accessible()
    referrer.page.set_viewport_size(PHONE)
    assert not referrer.sideways_overflow(), referrer.sideways_overflow()


@pytest.mark.parametrize("role", PORTALS, ids=PORTALS.values())
def test_every_page_in_a_portals_menu_is_accessible_and_fits_a_phone(people, team, offer, role):
    """Beyond the main pages: each page the role's menu links to, at a desktop's and at a
    phone's width."""
    person = people.of(team, role)
    person.goto("/")
    menu = person.page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link")
    pages = sorted({menu.nth(i).get_attribute("href") for i in range(menu.count())})
    assert len(pages) >= 3, pages
    problems = []
    for path in pages:
        person.page.set_viewport_size({"width": 1280, "height": 900})
        person.goto(path)
        found = person.accessibility_problems()
        if found:
            problems.append(f"{path}:\n{found}")
        person.page.set_viewport_size(PHONE)
        overflow = person.sideways_overflow()
        if overflow:
            problems.append(f"{path} scrolls sideways on a phone: {overflow}")
    assert not problems, f"{PORTALS[role]} portal:\n" + "\n".join(problems)
