"""A coordinator is warned on whatever page she is: after a crisis referral, the banner on
her page (desktop and phone width, axe-clean), "Bekijk" opens the case and the banner goes;
the page Meldingen lists it as read."""

import re
import time

from verband_testkit.api import create_team, publish_offer, refer_once_offer_known

PHONE = {"width": 390, "height": 844}


def test_the_coordinator_sees_the_crisis_banner_after_a_crisis_referral(people, stack):
    team = create_team(stack, roles=("coordinator", "referrer"))
    offer = publish_offer(team)
    coordinator = people.of(team, "coordinator")
    page = coordinator.page
    coordinator.goto("/personen")
    assert page.locator(".crisis-banner").count() == 0

    case_id = refer_once_offer_known(team, offer["id"], urgency="urgent_dangerous")["case_id"]

    # She stays on her page; the next page she loads carries the warning.
    deadline = time.monotonic() + 60
    while page.locator(".crisis-banner").count() == 0:
        assert time.monotonic() < deadline, "no crisis banner within 60 s"
        time.sleep(1)
        coordinator.goto("/personen")
    banner = page.get_by_role("alert").filter(has_text="Crisisaanmelding")
    assert f"Nieuwe crisisaanmelding in {team.network['name']}" in banner.inner_text()
    # The header's count, read out as such.
    assert page.get_by_role("link", name="Meldingen 1 ongelezen", exact=True).count() == 1
    coordinator.assert_accessible()
    page.set_viewport_size(PHONE)
    coordinator.assert_accessible()
    assert coordinator.sideways_overflow() == []
    coordinator.screenshot("crisis-banner-phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    banner.get_by_role("button", name="Bekijk").click()
    page.wait_for_load_state()
    assert f"/dossiers/{case_id}" in page.url
    assert page.locator(".crisis-banner").count() == 0

    coordinator.goto("/meldingen")
    assert coordinator.heading() == "Meldingen"
    assert "Nieuwe crisisaanmelding" in coordinator.text()
    assert page.locator(".badge").count() == 0  # read, by "Bekijk"
    coordinator.assert_accessible()
    page.set_viewport_size(PHONE)
    coordinator.assert_accessible()
    assert coordinator.sideways_overflow() == []


def test_the_referrer_reads_the_triage_outcome_in_her_inbox_and_opens_her_follow_up(people, stack):
    team = create_team(stack, roles=("coordinator", "referrer"))
    offer = publish_offer(team)
    case_id = refer_once_offer_known(team, offer["id"])["case_id"]
    triaged = team.http(
        "coordinator",
        "POST",
        f"/api/cases/{case_id}/triage",
        json={
            "decision": "waiting_list",
            "reason": "Past bij gezinscoaching; de wachtlijst is warm.",
            "offer_ids": [offer["id"]],
        },
    )
    assert triaged.status_code == 200, triaged.text

    referrer = people.of(team, "referrer")
    page = referrer.page
    deadline = time.monotonic() + 60
    referrer.goto("/meldingen")
    while "is getrieerd" not in referrer.text():
        assert time.monotonic() < deadline, "the referrer was not told of the triage in 60 s"
        time.sleep(1)
        referrer.goto("/meldingen")
    assert f"Je aanmelding in {team.network['name']} is getrieerd" in referrer.text()
    referrer.assert_accessible()
    page.set_viewport_size(PHONE)
    referrer.assert_accessible()
    assert referrer.sideways_overflow() == []
    page.set_viewport_size({"width": 1280, "height": 900})

    # Its link opens her follow-up at this referral, not a case page that refuses her.
    page.get_by_role("link", name=re.compile("is getrieerd")).first.click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/mijn-aanmeldingen#aanmelding-{case_id}")
    assert referrer.heading() == "Mijn aanmeldingen"
    assert "Geen toegang" not in referrer.text()
    assert "wachtlijst" in page.locator(f"#aanmelding-{case_id}").inner_text().lower()
