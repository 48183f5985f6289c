"""The coordinator merges two records of one family on the families page, in a browser: the
likely duplicates with their "Samenvoegen" form (a reason is required, the mistake shown next
to its field), the open merge with "Bevestigen" and "Ongedaan maken"; every state of the page
axe-clean, at a desktop's and at a phone's width."""

import uuid

from verband_testkit.api import expect, publish_offer, refer_once_offer_known

PHONE = {"width": 390, "height": 844}
BORN = "2020-02-17"


def test_the_coordinator_merges_and_undoes_on_the_families_page(people, team):
    tag = uuid.uuid4().hex[:6]
    offer = publish_offer(team, title=f"Gezinscoaching {tag}")
    carers = (f"Sara Wouters {tag}", f"Tom Wouters {tag}")
    for carer, child in zip(carers, ("Mirte", "Mirtje"), strict=True):
        refer_once_offer_known(
            team,
            offer["id"],
            household={
                "carers": [{"name": carer}],
                "children": [{"first_name": child, "birth_date": BORN}],
            },
        )

    coordinator = people.of(team, "coordinator")
    page = coordinator.page
    coordinator.goto("/gezinnen")
    row = page.get_by_role("row").filter(has_text=carers[0]).filter(has_text=carers[1])
    assert row.get_by_role("button", name="Samenvoegen").is_visible()
    coordinator.assert_accessible()

    # Without a reason nothing is merged: the form again, the mistake next to its field.
    row.get_by_role("button", name="Samenvoegen").click()
    assert coordinator.heading() == "Dossiers samenvoegen"
    reason = page.get_by_label("Waarom is dit hetzelfde gezin?")
    assert reason.get_attribute("aria-invalid") == "true"
    coordinator.assert_accessible()
    assert (
        expect(team.http("coordinator", "GET", f"/api/networks/{team.id}/family-merges"), 200) == []
    )

    reason.fill("Zelfde ouders; Mirte werd Mirtje getypt.")
    page.get_by_role("button", name="Samenvoegen").click()
    assert "De dossiers zijn samengevoegd" in coordinator.text()
    merged = page.get_by_role("row").filter(has_text="Mirtje getypt")
    assert merged.get_by_role("button", name="Bevestigen").is_visible()
    coordinator.assert_accessible()
    page.set_viewport_size(PHONE)
    assert not coordinator.sideways_overflow(), coordinator.sideways_overflow()
    coordinator.assert_accessible()

    merged.get_by_role("button", name="Ongedaan maken").click()
    assert "De samenvoeging is ongedaan gemaakt" in coordinator.text()
    # Both records are back, and again likely one family.
    again = page.get_by_role("row").filter(has_text=carers[0]).filter(has_text=carers[1])
    assert again.get_by_role("button", name="Samenvoegen").is_visible()
    coordinator.assert_accessible()
