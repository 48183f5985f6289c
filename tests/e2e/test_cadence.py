"""A kernteam's rhythm through the real stack: a meeting moved to 20 days after the previous
one still moves, and its answer warns, in Dutch, of the gap and the kernteam's rule; the
network's home page then lists the kernteam among the bodies out of rhythm."""

import datetime as dt
import html
from zoneinfo import ZoneInfo

from verband_testkit.api import create_team, expect, poll, portal_session

BRUSSELS = ZoneInfo("Europe/Brussels")
MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus")
MONTHS += ("september", "oktober", "november", "december")
RULE = "een kernteam komt minstens om de 14 dagen samen."


def at_ten(day: dt.date) -> str:
    return dt.datetime.combine(day, dt.time(10), BRUSSELS).isoformat()


def said(day: dt.date, with_year: bool) -> str:
    return f"{day.day} {MONTHS[day.month - 1]}" + (f" {day.year}" if with_year else "")


def create_kernteam(team) -> dict:
    payload = {
        "name": f"Kernteam {team.network['name']}",
        "kind": "kernteam",
        "members": [{"person_id": team.people["coordinator"]["id"], "role": "chair"}],
        "decision_rule": {"method": "consensus"},
        "cadence": {"kind": "every_days", "days": 14, "weekday": 1, "time": "14:00"},
    }

    def attempt():
        # Meetings learns the coordinator's role from partners' events: 404 until then.
        r = team.http("coordinator", "POST", f"/api/networks/{team.id}/bodies", json=payload)
        if r.status_code == 201:
            return r.json()
        assert r.status_code in (404, 422), f"{r.status_code}: {r.text[:300]}"
        return None

    return poll(attempt, 30, interval=0.3, what="meetings knowing the coordinator's role")


def test_a_kernteam_meeting_moved_20_days_on_is_warned_and_listed_out_of_rhythm(stack):
    team = create_team(stack)
    body = create_kernteam(team)
    bid = body["id"]
    first_day = dt.datetime.now(BRUSSELS).date() + dt.timedelta(days=3)

    def plan(day: dt.date) -> dict:
        # on_holiday: dates counted from today may fall on a public holiday.
        return expect(
            team.http(
                "coordinator",
                "POST",
                f"/api/bodies/{bid}/meetings",
                json={"starts_at": at_ten(day), "on_holiday": True},
            ),
            201,
        )

    first = plan(first_day)
    second = plan(first_day + dt.timedelta(days=14))
    assert first["rhythm_warnings"] == [] and second["rhythm_warnings"] == []

    moved_to = first_day + dt.timedelta(days=20)
    moved = expect(
        team.http(
            "coordinator",
            "POST",
            f"/api/meetings/{second['id']}/move",
            json={"starts_at": at_ten(moved_to), "reason": "Zaal bezet", "on_holiday": True},
        ),
        200,
    )
    # The network decides: the move stands, with the gap and the rule named.
    assert dt.datetime.fromisoformat(moved["starts_at"]).astimezone(BRUSSELS).date() == moved_to
    years = first_day.year != moved_to.year
    warning = f"Tussen {said(first_day, years)} en {said(moved_to, years)} liggen 20 dagen; {RULE}"
    assert moved["rhythm_warnings"] == [warning]
    listed = expect(team.http("coordinator", "GET", f"/api/bodies/{bid}/meetings"), 200)
    assert "rhythm_warnings" not in listed[0]

    # The coordinator's home page: the kernteam among the bodies out of rhythm, with why.
    browser = portal_session(stack, team.people["coordinator"]["email"])
    page = browser.get(stack.base_url + "/", timeout=15).text
    start = page.index("<caption>Organen buiten hun ritme</caption>")
    table = page[start : page.index("</table>", start)]
    assert html.escape(body["name"]) in table
    assert html.escape(warning) in table
