"""An IROJ viewer reads a body's report-back in the browser right after its meeting closed
and answers a signal in it: the page is accessible at a desktop's and a phone's width, also
with a mistake shown at its field."""

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

from verband_testkit.api import expect, poll

BRUSSELS = ZoneInfo("Europe/Brussels")
PHONE = {"width": 390, "height": 844}


def closed_meeting(team) -> dict:
    """A kerngroep that met today, marked one decision for IROJ and raised a signal."""
    people = team.people
    payload = {
        "name": f"Kerngroep {uuid.uuid4().hex[:6]}",
        "kind": "kerngroep",
        "members": [
            {"person_id": people["coordinator"]["id"], "role": "chair"},
            {"person_id": people["secretary"]["id"], "role": "secretary"},
            {"person_id": people["partner_worker"]["id"], "role": "member"},
        ],
        "cadence": {"kind": "monthly", "week": 2, "weekday": 3},
        "agenda_deadline_days": 0,
    }

    def attempt():
        r = team.http("coordinator", "POST", f"/api/networks/{team.id}/bodies", json=payload)
        if r.status_code == 201:
            return r.json()
        assert r.status_code in (404, 422), r.text[:500]  # roles not known to meetings yet
        return None

    body = poll(attempt, 30, interval=0.3, what="meetings knowing the team's roles")
    starts_at = dt.datetime.now(BRUSSELS) + dt.timedelta(minutes=5)
    meeting = expect(
        team.http(
            "secretary",
            "POST",
            f"/api/bodies/{body['id']}/meetings",
            json={"starts_at": starts_at.isoformat(), "on_holiday": True},
        ),
        201,
    )
    mid = meeting["id"]
    item = expect(
        team.http(
            "partner_worker", "POST", f"/api/meetings/{mid}/items", json={"title": "Werkgroep"}
        ),
        201,
    )
    expect(team.http("secretary", "POST", f"/api/meetings/{mid}/agenda-publication"), 200)
    expect(
        team.http(
            "secretary",
            "PUT",
            f"/api/meetings/{mid}/attendance",
            json={
                "attendance": [
                    {"member_id": m["id"], "status": "present"} for m in body["members"]
                ],
                "iroj_reporter_member_id": body["members"][0]["id"],
            },
        ),
        200,
    )
    decision = {"method": "consensus", "text": "De werkgroep start in maart.", "for_iroj": True}
    expect(
        team.http(
            "secretary",
            "PUT",
            f"/api/meetings/{mid}/items/{item['id']}",
            json={"decision": decision},
        ),
        200,
    )
    expect(
        team.http(
            "partner_worker",
            "POST",
            f"/api/meetings/{mid}/signals",
            json={"kind": "pain_point", "title": "Wachttijd gezinscoaching loopt op"},
        ),
        201,
    )
    expect(team.http("secretary", "POST", f"/api/meetings/{mid}/closure"), 200)
    return body


def test_an_iroj_viewer_reads_the_report_back_and_answers_a_signal(people, team):
    now = dt.datetime.now(BRUSSELS)
    if (now + dt.timedelta(minutes=10)).date() != now.date():
        return  # the meeting must be today; a minute before midnight there is no today left
    body = closed_meeting(team)
    viewer = people.of(team, "iroj_viewer")
    page = viewer.page

    def shown():
        viewer.goto("/iroj")
        return body["name"] in viewer.text() or None

    poll(shown, 30, interval=1, what="the report-back on the IROJ page")
    assert "De werkgroep start in maart." in viewer.text()
    viewer.assert_accessible()

    # Sent empty: the mistake at the answer, nothing sent.
    section = page.get_by_role("region", name=body["name"])
    section.get_by_role("button", name="Antwoord versturen").click()
    answer = page.get_by_label("Antwoord van IROJ op “Wachttijd gezinscoaching loopt op”").first
    assert answer.get_attribute("aria-invalid") == "true"
    viewer.assert_accessible()
    page.set_viewport_size(PHONE)
    assert not viewer.sideways_overflow(), viewer.sideways_overflow()
    viewer.assert_accessible()

    answer.fill("We nemen dit op met het agentschap.")
    page.get_by_role("button", name="Antwoord versturen").first.click()
    page.wait_for_load_state()  # the whole answer page, not only its first lines
    assert "Je antwoord is verstuurd" in viewer.text()
    assert "We nemen dit op met het agentschap." in viewer.text()
    viewer.assert_accessible()
