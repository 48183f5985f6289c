"""Report-back to IROJ through the real stack: a body closes its meeting and IROJ of the
region reads what it reported back (the decisions marked for IROJ, the signals) at once, not
a quarter later; IROJ answers a signal and the answer is on the body's next agenda. IROJ of
another region and people of the network without a say find nothing."""

import datetime as dt
import time
import uuid
from zoneinfo import ZoneInfo

from verband_testkit.api import PASSWORD, Team, accept_as_new, create_team, expect, invite, poll

BRUSSELS = ZoneInfo("Europe/Brussels")


def add_person(team: Team, role: str) -> dict:
    stack, nid = team.stack, team.id
    email = f"{role}.{uuid.uuid4().hex[:8]}@verband.test"
    invited = invite(
        stack,
        stack.admin_token,
        nid,
        {
            "name": f"{role.title()} {nid[:4]}",
            "email": email,
            "organisation_id": team.organisation["id"],
            "roles": [role],
        },
    )
    opened = accept_as_new(stack, email, PASSWORD)
    person = {**invited, "id": opened["principal"]["person_id"]}
    team.people[role] = person
    team.tokens[role] = stack.login(email, PASSWORD)
    return person


def refused(response, status: int, field: str | None = None) -> None:
    assert response.status_code == status, f"{response.status_code}: {response.text[:300]}"
    if field:
        assert field in response.json()["error"]["fields"], response.json()


def create_body(team: Team) -> dict:
    people = team.people
    payload = {
        "name": f"Kerngroep {team.network['name']}",
        "kind": "kerngroep",
        "members": [
            {"person_id": people["coordinator"]["id"], "role": "chair"},
            {"person_id": people["secretary"]["id"], "role": "secretary"},
            {"person_id": people["referrer"]["id"], "role": "member"},
            {"person_id": people["case_manager"]["id"], "role": "member"},
        ],
        "quorum": {"kind": "majority"},
        "decision_rule": {"method": "consensus"},
        "cadence": {"kind": "monthly", "week": 2, "weekday": 3},
        "agenda_deadline_days": 0,
    }

    def attempt():
        r = team.http("coordinator", "POST", f"/api/networks/{team.id}/bodies", json=payload)
        if r.status_code == 201:
            return r.json()
        # meetings learns the roles from partners' events: 404 / 422 on members until then
        fields = r.json().get("error", {}).get("fields", {}) if r.status_code < 500 else {}
        not_yet = r.status_code == 404 or (
            r.status_code == 422 and fields and all(f.startswith("members.") for f in fields)
        )
        assert not_yet, f"body refused: {r.status_code} {r.text[:500]}"
        return None

    return poll(attempt, 30, interval=0.3, what="meetings knowing the team's roles")


def meeting_today(team: Team, body_id: str, minutes_ahead: int) -> dict:
    starts_at = dt.datetime.now(BRUSSELS) + dt.timedelta(minutes=minutes_ahead)
    # on_holiday: today may be a Belgian public holiday; the body then meets anyway.
    payload = {"starts_at": starts_at.isoformat(), "duration_minutes": 30, "on_holiday": True}
    return expect(
        team.http("secretary", "POST", f"/api/bodies/{body_id}/meetings", json=payload), 201
    )


def test_a_closed_meeting_reaches_iroj_at_once_and_iroj_answers_on_the_next_agenda(stack):
    now = dt.datetime.now(BRUSSELS)
    if (now + dt.timedelta(minutes=75)).date() != now.date():
        # Both meetings must be today: late in a Brussels day, wait for the next one.
        time.sleep(76 * 60)
    team = create_team(stack, region="Limburg")
    add_person(team, "secretary")
    add_person(team, "iroj_viewer")
    elsewhere = create_team(stack, roles=("coordinator",), region="Antwerpen")
    add_person(elsewhere, "iroj_viewer")
    body = create_body(team)
    members = body["members"]
    reporter = next(m for m in members if m["person_id"] == team.people["referrer"]["id"])

    meeting = meeting_today(team, body["id"], 5)
    mid = meeting["id"]
    items = [
        expect(
            team.http("referrer", "POST", f"/api/meetings/{mid}/items", json={"title": title}),
            201,
        )
        for title in ("Werkgroep kansarmoede", "Catering")
    ]
    expect(team.http("secretary", "POST", f"/api/meetings/{mid}/agenda-publication"), 200)
    expect(
        team.http(
            "secretary",
            "PUT",
            f"/api/meetings/{mid}/attendance",
            json={
                "attendance": [{"member_id": m["id"], "status": "present"} for m in members],
                "iroj_reporter_member_id": reporter["id"],
            },
        ),
        200,
    )
    # the mark is a yes or no, refused naming it otherwise
    refused(
        team.http(
            "secretary",
            "PUT",
            f"/api/meetings/{mid}/items/{items[0]['id']}",
            json={"decision": {"method": "consensus", "text": "Ja.", "for_iroj": "misschien"}},
        ),
        422,
        "decision.for_iroj",
    )
    for item, text, for_iroj in (
        (items[0], "De werkgroep kansarmoede start in maart.", True),
        (items[1], "Voortaan soep op de vergadering.", False),
    ):
        expect(
            team.http(
                "secretary",
                "PUT",
                f"/api/meetings/{mid}/items/{item['id']}",
                json={"decision": {"method": "consensus", "text": text, "for_iroj": for_iroj}},
            ),
            200,
        )
    signal = expect(
        team.http(
            "referrer",
            "POST",
            f"/api/meetings/{mid}/signals",
            json={"kind": "pain_point", "title": "Wachttijd gezinscoaching loopt op"},
        ),
        201,
    )
    # the body's next meeting is planned: IROJ's answer will go on its agenda
    nxt = meeting_today(team, body["id"], 60)

    iroj = team.tokens["iroj_viewer"]
    backs = expect(stack.http("GET", "/api/reporting/report-backs", token=iroj), 200)
    assert mid not in [b["meeting_id"] for b in backs]  # nothing before the meeting closes
    expect(team.http("secretary", "POST", f"/api/meetings/{mid}/closure"), 200)

    def reported():
        found = expect(
            stack.http(
                "GET", "/api/reporting/report-backs", token=iroj, params={"region": "Limburg"}
            ),
            200,
        )
        return next((b for b in found if b["meeting_id"] == mid), None)

    back = poll(reported, 30, interval=0.5, what="the report-back in IROJ's view")
    assert back["network_id"] == team.id
    assert back["body_name"] == body["name"]
    assert back["reporter_name"] == f"Referrer {team.id[:4]}"  # as create_team names people
    assert [d["text"] for d in back["decisions"]] == ["De werkgroep kansarmoede start in maart."]
    assert [(s["signal_id"], s["answer"]) for s in back["signals"]] == [(signal["id"], None)]
    # the network's coordinator reads it too
    mine = expect(
        team.http(
            "coordinator", "GET", "/api/reporting/report-backs", params={"network_id": team.id}
        ),
        200,
    )
    assert [b["meeting_id"] for b in mine] == [mid]

    # IROJ of another region and a member of the network without a say find nothing
    other = elsewhere.tokens["iroj_viewer"]
    for token in (other, team.tokens["referrer"]):
        refused(
            stack.http(
                "GET", "/api/reporting/report-backs", token=token, params={"network_id": team.id}
            ),
            404,
        )
    refused(
        stack.http("GET", "/api/reporting/report-backs", token=other, params={"region": "Limburg"}),
        404,
    )
    answer_path = f"/api/reporting/signals/{signal['id']}/answer"
    refused(stack.http("POST", answer_path, token=other, json={"answer": "Van elders."}), 404)
    refused(stack.http("POST", answer_path, token=iroj, json={"answer": ""}), 422, "answer")
    refused(stack.http("POST", answer_path, token=iroj, json={"answer": "x" * 2001}), 422, "answer")

    # IROJ answers; once
    answer = "We nemen dit op met het agentschap en komen erop terug in juni."
    expect(stack.http("POST", answer_path, token=iroj, json={"answer": answer}), 201)
    refused(stack.http("POST", answer_path, token=iroj, json={"answer": "Nog eens."}), 409)
    assert reported()["signals"][0]["answer"]["answer"] == answer

    def on_next_agenda():
        detail = expect(team.http("secretary", "GET", f"/api/meetings/{nxt['id']}"), 200)
        found = [i for i in detail["agenda"] if i["kind"] == "iroj_answer"]
        return found or None

    [item] = poll(on_next_agenda, 30, interval=0.5, what="IROJ's answer on the next agenda")
    assert item["title"] == "Antwoord van IROJ op signaal: Wachttijd gezinscoaching loopt op"
    assert item["explanation"] == answer
    published = expect(
        team.http("secretary", "POST", f"/api/meetings/{nxt['id']}/agenda-publication"), 200
    )
    assert [i["kind"] for i in published["agenda"]].count("iroj_answer") == 1
