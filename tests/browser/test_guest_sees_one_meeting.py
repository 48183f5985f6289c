"""A guest at one meeting, in a browser against the real stack: the family coach holds a
role in the network but no seat in the body; invited to one of its meetings, they open that
meeting's page (and see the body with only that meeting), and the body's other meeting is
"niet gevonden", as it was for them before the invitation. The guest's pages pass axe-core
at a desktop's and at a phone's width."""

import datetime as dt

from verband_testkit.api import expect, poll

PHONE = {"width": 390, "height": 844}


def accessible_everywhere(person, name: str):
    person.assert_accessible()
    person.screenshot(f"genodigde-{name}")
    desktop = person.page.viewport_size
    person.page.set_viewport_size(PHONE)
    try:
        overflow = person.sideways_overflow()
        assert not overflow, f"{name} scrolls sideways on a phone: {overflow}"
        person.assert_accessible()
    finally:
        person.page.set_viewport_size(desktop)


def _body_with_two_meetings(team) -> tuple[dict, str, str]:
    """A beleidsgroep without the family coach, two meetings ahead (through the API)."""
    people = team.people
    payload = {
        "name": f"Beleidsgroep genodigden {team.network['name']}",
        "kind": "beleidsgroep",
        "members": [
            {"person_id": people["secretary"]["id"], "role": "secretary"},
            {"person_id": people["referrer"]["id"], "role": "member"},
        ],
        "cadence": {"kind": "every_days", "days": 14, "weekday": 2},
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
    for days in (22, 36):
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


def test_a_guest_sees_the_meeting_they_are_invited_to_and_not_the_bodys_other(people, team):
    body, first, second = _body_with_two_meetings(team)
    coach = team.people["family_coach"]
    guest = people.of(team, "family_coach")

    # Before the invitation: a role in the network is no seat at the table.
    guest.goto(f"/vergaderingen/{first}", expect_status=404)
    assert "niet gevonden" in guest.text().lower()
    assert team.http("family_coach", "GET", f"/api/bodies/{body['id']}").status_code == 404

    expect(
        team.http(
            "secretary", "POST", f"/api/meetings/{first}/guests", json={"person_id": coach["id"]}
        ),
        201,
    )

    guest.goto(f"/vergaderingen/{first}")
    assert body["name"] in guest.text()
    accessible_everywhere(guest, "vergadering")
    # the body shows the guest that one meeting, none of its others
    listed = expect(team.http("family_coach", "GET", f"/api/bodies/{body['id']}/meetings"), 200)
    assert [m["id"] for m in listed] == [first]
    guest.goto(f"/organen/{body['id']}")
    assert guest.page.locator(f"a[href$='/vergaderingen/{first}']").count() >= 1
    assert guest.page.locator(f"a[href$='/vergaderingen/{second}']").count() == 0

    # The body's other meeting: niet gevonden, its page, documents and agenda alike.
    guest.goto(f"/vergaderingen/{second}", expect_status=404)
    assert "niet gevonden" in guest.text().lower()
    accessible_everywhere(guest, "niet-gevonden")
    guest.goto(f"/vergaderingen/{second}/stukken", expect_status=404)
    for path in (f"/api/meetings/{second}", f"/api/meetings/{second}/agenda.pdf"):
        assert team.http("family_coach", "GET", path).status_code == 404, path
    # a member of the body sees both
    member = people.of(team, "referrer")
    member.goto(f"/vergaderingen/{second}")
    assert body["name"] in member.text()
