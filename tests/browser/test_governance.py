"""Governance and oversight in a browser: a member proposes an agenda item, an IROJ viewer
reads a published report of their region, and nobody opens another network's case or meeting.
"""

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

from verband_testkit.api import expect, poll, publish_offer, refer_once_offer_known

BRUSSELS = ZoneInfo("Europe/Brussels")


def create_body(team) -> dict:
    """A kernteam with the coordinator as chair, the secretary, and members; retried while the
    meetings service has not yet learned the team's roles from partners' events."""
    people = team.people
    payload = {
        "name": f"Kernteam {uuid.uuid4().hex[:6]}",
        "kind": "kernteam",
        "mandate": "Casusoverleg en knelpunten van het netwerk.",
        "members": [
            {"person_id": people["coordinator"]["id"], "role": "chair"},
            {"person_id": people["secretary"]["id"], "role": "secretary"},
            {"person_id": people["partner_worker"]["id"], "role": "member"},
            {"person_id": people["case_manager"]["id"], "role": "member"},
        ],
        "quorum": {"kind": "majority"},
        "decision_rule": {"method": "consensus"},
        "cadence": {"kind": "every_days", "days": 14, "weekday": 1, "time": "14:00"},
        "location": "Stadhuis, zaal 2",
        "agenda_deadline_days": 2,
    }

    def attempt():
        r = team.http("coordinator", "POST", f"/api/networks/{team.id}/bodies", json=payload)
        if r.status_code == 201:
            return r.json()
        fields = r.json().get("error", {}).get("fields", {}) if r.status_code < 500 else {}
        not_yet = r.status_code == 404 or (
            r.status_code == 422 and fields and all(f.startswith("members.") for f in fields)
        )
        assert not_yet, f"body refused: {r.status_code} {r.text[:500]}"
        return None

    return poll(attempt, 30, interval=0.3, what="meetings knowing the team's roles")


def schedule_meeting(team, body: dict, days_ahead: int = 10) -> dict:
    day = dt.datetime.now(BRUSSELS).date() + dt.timedelta(days=days_ahead)
    starts_at = dt.datetime.combine(day, dt.time(14, 0), BRUSSELS).isoformat()
    path = f"/api/bodies/{body['id']}/meetings"
    r = team.http("secretary", "POST", path, json={"starts_at": starts_at, "duration_minutes": 90})
    if r.status_code == 422 and "starts_at" in r.json()["error"].get("fields", {}):
        # A public holiday: the planner confirms the body meets anyway.
        r = team.http(
            "secretary",
            "POST",
            path,
            json={"starts_at": starts_at, "duration_minutes": 90, "on_holiday": True},
        )
    return expect(r, 201)


def test_a_member_proposes_an_agenda_item(people, team):
    body = create_body(team)
    meeting = schedule_meeting(team, body)

    member = people.of(team, "partner_worker")
    page = member.page
    member.goto("/")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Mijn vergaderingen"
    ).click()
    row = page.get_by_role("row").filter(has_text=body["name"]).first
    row.get_by_role("link", name="Punt voorstellen").click()
    assert member.heading().startswith(f"Punt voorstellen voor {body['name']}")
    member.assert_accessible()

    # Without a title nothing is proposed; the explanation stays.
    page.get_by_label("Toelichting").fill("Drie gezinnen wachten langer dan een maand.")
    page.get_by_role("button", name="Voorstel indienen").click()
    title = page.get_by_label("Titel", exact=True)
    assert title.get_attribute("aria-invalid") == "true"
    assert page.locator("#e-title").inner_text()
    assert page.get_by_label("Toelichting").input_value().startswith("Drie gezinnen")
    detail = expect(team.http("secretary", "GET", f"/api/meetings/{meeting['id']}"), 200)
    assert detail["agenda"] == []

    title.fill("Wachttijden gezinscoaching")
    page.get_by_label("Gevraagde beslissing").fill("Een extra tafel inplannen?")
    page.get_by_role("button", name="Voorstel indienen").click()
    assert "Je voorstel ‘Wachttijden gezinscoaching’ is bezorgd aan de secretaris." in (
        member.text()
    )

    # The secretary finds it on the agenda they build.
    secretary = people.of(team, "secretary")
    secretary.goto(f"/vergaderingen/{meeting['id']}/agenda")
    assert "Wachttijden gezinscoaching" in secretary.text()
    detail = expect(team.http("secretary", "GET", f"/api/meetings/{meeting['id']}"), 200)
    assert [i["title"] for i in detail["agenda"]] == ["Wachttijden gezinscoaching"]


def last_quarter() -> dict:
    today = dt.date.today()
    first_month = (today.month - 1) // 3 * 3 + 1
    this_quarter = dt.date(today.year, first_month, 1)
    previous = this_quarter - dt.timedelta(days=1)
    return {
        "kind": "quarter",
        "start": dt.date(previous.year, (previous.month - 1) // 3 * 3 + 1, 1).isoformat(),
    }


def publish_report(team) -> dict:
    draft = expect(
        team.http("coordinator", "POST", f"/api/networks/{team.id}/reports", json=last_quarter()),
        201,
    )
    expect(
        team.http(
            "coordinator",
            "POST",
            f"/api/reports/{draft['id']}/approval",
            json={"body_name": "Beleidsgroep", "decided_on": dt.date.today().isoformat()},
        ),
        200,
    )
    return expect(team.http("coordinator", "POST", f"/api/reports/{draft['id']}/publication"), 200)


def test_an_iroj_viewer_reads_a_published_report_of_their_region(people, team, other_team):
    published = publish_report(team)
    # A report of a network in another region, published too: not for this viewer.
    elsewhere = publish_report(other_team)

    viewer = people.of(team, "iroj_viewer")
    page = viewer.page
    viewer.goto("/")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="IROJ").click()
    assert viewer.heading() == "IROJ Limburg"
    viewer.assert_accessible()
    reports = page.get_by_role("table", name="Gepubliceerde rapporten")
    listed = reports.inner_text()
    assert team.network["name"] in listed
    assert other_team.network["name"] not in listed

    reports.get_by_role("link", name=team.network["name"]).first.click()
    assert viewer.heading().startswith(f"Rapport {team.network['name']}")
    assert page.get_by_role("heading", name="Indicatoren").is_visible()
    viewer.assert_accessible()
    assert page.url.endswith(f"/rapporten/{published['id']}")

    # Another region's report is not theirs to read, even by its address.
    response = viewer.goto(f"/rapporten/{elsewhere['id']}", expect_status=None)
    assert response.status in (403, 404), response.status
    assert other_team.network["name"] not in viewer.text()


def test_a_user_of_one_network_is_refused_another_networks_case_and_meeting(
    people, team, other_team
):
    offer = publish_offer(other_team, title="Gezinscoaching Antwerpen")
    receipt = refer_once_offer_known(
        other_team,
        offer["id"],
        household={
            "carers": [{"name": "Karel Anders"}],
            "children": [{"first_name": "Mila", "birth_date": "2017-05-05"}],
        },
    )
    body = create_body(other_team)
    meeting = schedule_meeting(other_team, body)

    for role in ("coordinator", "case_manager", "partner_worker"):
        person = people.of(team, role)
        for path in (
            f"/dossiers/{receipt['case_id']}",
            f"/dossiers/{receipt['case_id']}/plan",
            f"/vergaderingen/{meeting['id']}",
            f"/vergaderingen/{meeting['id']}/punt-voorstellen",
        ):
            response = person.goto(path, expect_status=None)
            shown = person.text()
            assert response.status in (403, 404), (role, path, response.status)
            assert "Karel Anders" not in shown and "Mila" not in shown, (role, path)
            assert body["name"] not in shown, (role, path)
        person.context.close()
