"""Voices at the table in a browser, against the real stack: in a meeting of today the
secretary opens a vote on the page "Stemmingen", a member with a voting right casts their
own ballot and the secretary closes it (aangenomen, 1 voor); the secretary starts a written
procedure and the member objects, naming the reason; the coordinator reads the network's
report-backs to IROJ. Each page passes axe-core at a desktop's and at a phone's width."""

import datetime as dt

from verband_testkit.api import expect, poll

PHONE = {"width": 390, "height": 844}


def accessible_everywhere(person, name: str):
    person.assert_accessible()
    person.screenshot(f"stemmen-{name}")
    desktop = person.page.viewport_size
    person.page.set_viewport_size(PHONE)
    try:
        overflow = person.sideways_overflow()
        assert not overflow, f"{name} scrolls sideways on a phone: {overflow}"
        person.assert_accessible()
    finally:
        person.page.set_viewport_size(desktop)


def _voting_body_in_session(team) -> tuple[dict, str]:
    """A beleidsgroep that votes, the secretary leading it and the referrer a voting member;
    a meeting of today with an item and everyone present (through the API)."""
    people = team.people
    payload = {
        "name": f"Beleidsgroep stemmen {team.network['name']}",
        "kind": "beleidsgroep",
        "members": [
            {"person_id": people["secretary"]["id"], "role": "secretary", "voting": False},
            {"person_id": people["referrer"]["id"], "role": "member"},
        ],
        "decision_rule": {"method": "vote", "majority": "simple"},
        "cadence": {"kind": "every_days", "days": 14, "weekday": 3},
    }
    created = {}

    def body_created() -> bool:
        response = team.http("coordinator", "POST", f"/api/networks/{team.id}/bodies", json=payload)
        if response.status_code == 201:
            created.update(response.json())
        return bool(created)

    poll(body_created, 60, interval=1, what="the body set up")
    starts = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(minutes=3)
    mid = expect(
        team.http(
            "coordinator",
            "POST",
            f"/api/bodies/{created['id']}/meetings",
            json={"starts_at": starts.isoformat(), "on_holiday": True},
        ),
        201,
    )["id"]
    expect(team.http("secretary", "POST", f"/api/meetings/{mid}/agenda-publication"), 200)
    expect(
        team.http(
            "secretary",
            "POST",
            f"/api/meetings/{mid}/items-at-meeting",
            json={"title": "Budget 2027", "approved_by_meeting": True},
        ),
        201,
    )
    expect(
        team.http(
            "secretary",
            "PUT",
            f"/api/meetings/{mid}/attendance",
            json={
                "attendance": [
                    {"member_id": m["id"], "status": "present"} for m in created["members"]
                ]
            },
        ),
        200,
    )
    return created, mid


def test_a_member_votes_and_answers_a_written_procedure(people, team):
    body, mid = _voting_body_in_session(team)

    secretary = people.of(team, "secretary")
    page = secretary.page
    secretary.goto(f"/vergaderingen/{mid}/stemmingen")
    # no proposal: named at the field
    page.get_by_label("Agendapunt").select_option(label="Budget 2027")
    page.get_by_role("button", name="Stemming openen").click()
    assert page.locator("#f-proposal").get_attribute("aria-invalid") == "true"
    accessible_everywhere(secretary, "fout")
    page.get_by_label("Agendapunt").select_option(label="Budget 2027")
    page.get_by_label("Voorstel waarover gestemd wordt").fill("Het budget 2027 goedkeuren.")
    page.get_by_role("button", name="Stemming openen").click()
    assert "De stemming is geopend." in secretary.text()

    member = people.of(team, "referrer")
    member.goto(f"/vergaderingen/{mid}/stemmingen")
    member.page.get_by_label("Voor", exact=True).check()
    member.page.get_by_role("button", name="Stem uitbrengen").click()
    assert "jouw stem: voor" in member.text()
    accessible_everywhere(member, "lid")

    secretary.goto(f"/vergaderingen/{mid}/stemmingen")
    page.get_by_role("button", name="Stemming afsluiten").click()
    assert "Aangenomen" in secretary.text() and "1 voor, 0 tegen" in secretary.text()

    # a written procedure: started by the secretary, the member objects with a reason
    secretary.goto(f"/organen/{body['id']}/schriftelijke-procedures")
    deadline = dt.date.today() + dt.timedelta(days=3)
    page.get_by_label("Onderwerp").fill("Zomerwerking")
    page.get_by_label("Voorstel", exact=True).fill("De werking loopt door in juli.")
    page.get_by_label("Termijn: datum").fill(deadline.isoformat())
    page.get_by_role("button", name="Procedure starten").click()
    assert "De schriftelijke procedure is gestart" in secretary.text()
    accessible_everywhere(secretary, "procedure")

    member.goto(f"/organen/{body['id']}/schriftelijke-procedures")
    member.page.get_by_label("Bezwaar", exact=True).check()
    member.page.get_by_role("button", name="Antwoord bewaren").click()
    assert "Geef de reden van je bezwaar." in member.text()
    accessible_everywhere(member, "bezwaar-fout")
    member.page.get_by_label("Bezwaar", exact=True).check()
    member.page.get_by_label("Reden van je bezwaar").fill("Eerst de cijfers van juni.")
    member.page.get_by_role("button", name="Antwoord bewaren").click()
    # the only voter answered: the procedure closed, not adopted, on the next agenda
    assert "Niet aangenomen" in member.text()
    assert "Bezwaar van" in member.text() and "Eerst de cijfers van juni." in member.text()

    # the network's report-backs, for its coordinator
    coordinator = people.of(team, "coordinator")
    coordinator.goto("/terugkoppeling")
    assert coordinator.heading() == "Terugkoppeling aan IROJ"
    accessible_everywhere(coordinator, "terugkoppeling")
