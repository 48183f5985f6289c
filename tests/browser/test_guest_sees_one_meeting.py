"""A guest at one meeting, in a browser against the real stack: the family coach holds a
role in the network but no seat in the body; invited to one of its meetings, they open that
meeting's page (and see the body with only that meeting), and the body's other meeting is
"niet gevonden", as it was for them before the invitation. The guest's pages pass axe-core
at a desktop's and at a phone's width.

Someone from outside the network (issue 15) holds its `guest` role only: invited into the
network by the coordinator without an organisation, she signs in, her home lists the one
meeting she is invited to, her menu nothing of the network, and the body's other meeting is
"niet gevonden" for her too."""

import datetime as dt
import uuid

from verband_testkit.api import accept_as_new, expect, invite, poll

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


def test_a_guest_from_outside_the_network_signs_in_and_sees_her_one_meeting(people, team):
    body, first, second = _body_with_two_meetings(team)
    email = f"expert.{uuid.uuid4().hex[:8]}@verband.test"
    # The coordinator invites her into the network with the guest role only: no organisation.
    invite(
        team.stack,
        team.tokens["coordinator"],
        team.id,
        {"name": "Lies Vermeulen", "email": email, "roles": ["guest"]},
    )
    expert_id = accept_as_new(team.stack, email)["principal"]["person_id"]

    # The secretary picks her as a guest of the first meeting, once meetings knows her role.
    def invited() -> bool:
        response = team.http(
            "secretary", "POST", f"/api/meetings/{first}/guests", json={"person_id": expert_id}
        )
        return response.status_code == 201

    poll(invited, 60, interval=1, what="the outside guest invited")

    expert = people.as_(email, "outside guest")
    expert.goto("/")
    assert expert.heading() == "Vergaderingen waarop je uitgenodigd bent"
    assert "Gast bij een vergadering" in expert.text()
    assert expert.page.locator(f"a[href$='/vergaderingen/{first}']").count() >= 1
    assert expert.page.locator(f"a[href$='/vergaderingen/{second}']").count() == 0
    # her menu: her meetings, nothing of the network's directory, offer or library
    for path in ("/personen", "/organisaties", "/aanbod", "/kennis", "/gezin-aanmelden"):
        assert expert.page.locator(f"a[href='{path}']").count() == 0, path
    accessible_everywhere(expert, "gast-home")

    expert.goto(f"/vergaderingen/{first}")
    assert body["name"] in expert.text()
    accessible_everywhere(expert, "gast-vergadering")

    expert.goto(f"/vergaderingen/{second}", expect_status=404)
    assert "niet gevonden" in expert.text().lower()
    accessible_everywhere(expert, "gast-niet-gevonden")
    # the network's people and partners are not hers to read
    expert.goto("/personen", expect_status=403)
    expert.goto("/organisaties", expect_status=403)
