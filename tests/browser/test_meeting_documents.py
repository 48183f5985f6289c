"""Meeting documents and guests in a browser, against the real stack: the secretary uploads
a document (a program renamed to .pdf is refused at the field) and invites a guest to one
meeting; a member of the body downloads it; someone of the network outside the body cannot
reach it nor the meeting; the guest sees that meeting's documents and not those of the body's
next meeting.
The page passes axe-core at a desktop's and at a phone's width, with and without errors."""

import datetime as dt

from verband_testkit.api import expect, poll

PHONE = {"width": 390, "height": 844}
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 120


def accessible_everywhere(person, name: str):
    person.assert_accessible()
    person.screenshot(f"stukken-{name}")
    desktop = person.page.viewport_size
    person.page.set_viewport_size(PHONE)
    try:
        overflow = person.sideways_overflow()
        assert not overflow, f"{name} scrolls sideways on a phone: {overflow}"
        person.assert_accessible()
    finally:
        person.page.set_viewport_size(desktop)


def _body_and_meetings(team) -> tuple[dict, str, str]:
    """A beleidsgroep with the secretary as its secretary and the referrer as a member, and
    two meetings ahead (set up through the API: the forms have their own browser test)."""
    people = team.people
    payload = {
        "name": f"Beleidsgroep stukken {team.network['name']}",
        "kind": "beleidsgroep",
        "members": [
            {"person_id": people["secretary"]["id"], "role": "secretary"},
            {"person_id": people["referrer"]["id"], "role": "member"},
        ],
        "cadence": {"kind": "every_days", "days": 14, "weekday": 1},
    }
    created = {}

    def body_created() -> bool:
        # meetings learns the roles from partners' events: the members must be known first.
        response = team.http("coordinator", "POST", f"/api/networks/{team.id}/bodies", json=payload)
        if response.status_code == 201:
            created.update(response.json())
        return bool(created)

    poll(body_created, 60, interval=1, what="the body set up")
    meetings = []
    for days in (20, 34):
        starts = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(days=days)
        meetings.append(
            expect(
                team.http(
                    "coordinator",
                    "POST",
                    f"/api/bodies/{created['id']}/meetings",
                    json={"starts_at": starts.isoformat(), "on_holiday": True},
                ),
                201,
            )["id"]
        )
    return created, meetings[0], meetings[1]


def test_a_document_is_opened_by_members_and_a_guest_of_that_one_meeting(people, team):
    _body, first, second = _body_and_meetings(team)

    secretary = people.of(team, "secretary")
    page = secretary.page
    secretary.goto(f"/vergaderingen/{first}/stukken")
    accessible_everywhere(secretary, "leeg")

    # A program called nota.pdf: refused at the field, nothing stored.
    page.locator("#f-file").set_input_files(
        {"name": "nota.pdf", "mimeType": "application/pdf", "buffer": EXE}
    )
    page.get_by_role("button", name="Stuk toevoegen").click()
    assert page.locator("#f-file").get_attribute("aria-invalid") == "true"
    assert "niet aanvaard" in page.locator("#e-file").inner_text()
    accessible_everywhere(secretary, "fout")

    page.locator("#f-file").set_input_files(
        {"name": "begroting 2027.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_role("button", name="Stuk toevoegen").click()
    assert "Het stuk is toegevoegd." in secretary.text()
    page.get_by_label("Persoon").select_option(team.people["partner_worker"]["id"])
    page.get_by_role("button", name="Uitnodigen").click()
    assert "De genodigde ziet nu" in secretary.text()
    accessible_everywhere(secretary, "met-stuk")
    [doc] = expect(team.http("secretary", "GET", f"/api/meetings/{first}/documents"), 200)
    assert doc["name"] == "begroting 2027.pdf"

    # A member of the body finds it with the meeting and downloads it.
    member = people.of(team, "referrer")
    member.goto(f"/vergaderingen/{first}")
    with member.page.expect_download() as download:
        member.page.get_by_role("link", name="begroting 2027.pdf").click()
    with open(download.value.path(), "rb") as got:
        assert got.read() == PDF

    # Someone of the network outside the body: no page, no file, not even the meeting.
    outsider = people.of(team, "case_manager")
    outsider.goto(f"/vergaderingen/{first}/stukken", expect_status=404)
    outsider.goto(f"/vergaderingen/{first}", expect_status=404)
    assert "begroting" not in outsider.text()
    content = f"/api/meeting-documents/{doc['id']}/content"
    assert team.http("case_manager", "GET", content).status_code == 404
    assert team.http("referrer", "GET", content).status_code == 200

    # The guest: this meeting's documents, not those of the body's next meeting.
    guest = people.of(team, "partner_worker")
    guest.goto(f"/vergaderingen/{first}/stukken")
    assert "begroting 2027.pdf" in guest.text()
    accessible_everywhere(guest, "genodigde")
    guest.goto(f"/vergaderingen/{second}/stukken", expect_status=404)
    assert team.http("partner_worker", "GET", content).status_code == 200
    assert (
        team.http("partner_worker", "GET", f"/api/meetings/{second}/documents").status_code == 404
    )
