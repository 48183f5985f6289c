"""A kernteam through the gateway: a coordinator sets it up with its seats, plans its series
(at least every 14 days, never on a Belgian public holiday), a member proposes an agenda item,
the secretary publishes the agenda, later items need the meeting itself and its approval,
the calendar feed is iCalendar, and another network does not see the body at all."""

import datetime as dt
import re
import time
import uuid
from zoneinfo import ZoneInfo

import icalendar
import pytest

from verband_testkit.api import (
    PASSWORD,
    Team,
    accept_as_new,
    create_team,
    expect,
    invite,
    poll,
    portal_session,
    publish_offer,
    refer_once_offer_known,
)

BRUSSELS = ZoneInfo("Europe/Brussels")


def refused(response, status: int, *fields: str) -> dict:
    assert response.status_code == status, f"{response.status_code}: {response.text[:300]}"
    error = response.json()["error"]
    named = error.get("fields", {})
    for f in fields:
        assert any(n == f or n.startswith(f + ".") for n in named), (f, named)
    return error


def easter(year: int) -> dt.date:
    """Easter Sunday (anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month = (h + l_ - 7 * m + 114) // 31
    day = (h + l_ - 7 * m + 114) % 31 + 1
    return dt.date(year, month, day)


def belgian_holidays(year: int) -> set[dt.date]:
    e = easter(year)
    fixed = [(1, 1), (5, 1), (7, 21), (8, 15), (11, 1), (11, 11), (12, 25)]
    moving = [e + dt.timedelta(days=n) for n in (1, 39, 50)]  # Easter/Whit Monday, Ascension
    return {dt.date(year, mo, d) for mo, d in fixed} | set(moving)


def local(timestamp: str) -> dt.datetime:
    return dt.datetime.fromisoformat(timestamp).astimezone(BRUSSELS)


def add_person(team: Team, role: str) -> dict:
    """One more person of the team's organisation with a role, signed in, as create_team does."""
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


def body_input(team: Team, **overrides) -> dict:
    people = team.people
    return {
        "name": f"Kernteam {team.network['name']}",
        "kind": "kernteam",
        "mandate": "Casusoverleg en knelpunten van het netwerk.",
        "members": [
            {"person_id": people["coordinator"]["id"], "role": "chair"},
            {"person_id": people["secretary"]["id"], "role": "secretary"},
            {"person_id": people["referrer"]["id"], "role": "member"},
            {"person_id": people["case_manager"]["id"], "role": "member"},
            {"person_id": people["partner_worker"]["id"], "role": "adviser", "voting": False},
        ],
        "quorum": {"kind": "majority"},
        "decision_rule": {"method": "consensus"},
        # At least every 14 days, on Tuesdays at 14:00.
        "cadence": {"kind": "every_days", "days": 14, "weekday": 1, "time": "14:00"},
        "location": "Stadhuis, zaal 2",
        "agenda_deadline_days": 2,
        **overrides,
    }


def create_body_once_roles_known(team: Team, payload: dict, timeout: float = 30) -> dict:
    """POST the body, retrying only while meetings has not yet learned, from partners'
    role_granted events, the coordinator's role (404) or a member's (422 on members.N)."""

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

    return poll(attempt, timeout, interval=0.3, what="meetings knowing the team's roles")


@pytest.fixture(scope="module")
def kernteam(stack):
    team = create_team(stack)
    add_person(team, "secretary")
    body = create_body_once_roles_known(team, body_input(team))
    # A second chair is refused (a body has at most one), and nothing is stored.
    two_chairs = body_input(team, name="Kernteam bis")
    two_chairs["members"][2] = {**two_chairs["members"][2], "role": "chair"}
    refused(
        team.http("coordinator", "POST", f"/api/networks/{team.id}/bodies", json=two_chairs),
        422,
        "members",
    )
    # A body without a cadence that yields meetings is refused naming it.
    refused(
        team.http(
            "coordinator",
            "POST",
            f"/api/networks/{team.id}/bodies",
            json=body_input(team, cadence={"kind": "every_days", "days": 3}),
        ),
        422,
        "cadence.days",
    )
    bodies = expect(team.http("coordinator", "GET", f"/api/networks/{team.id}/bodies"), 200)
    assert [b["id"] for b in bodies] == [body["id"]]
    return team, body


def test_a_kernteam_plans_its_series_and_publishes_its_agenda(stack, kernteam):
    team, body = kernteam
    nid, bid = team.id, body["id"]
    seats = {m["person_id"]: m for m in body["members"]}
    assert body["kind"] == "kernteam" and len(seats) == 5
    assert seats[team.people["secretary"]["id"]]["role"] == "secretary"
    assert seats[team.people["partner_worker"]["id"]]["voting"] is False
    listed = expect(team.http("referrer", "GET", f"/api/networks/{nid}/bodies"), 200)
    assert listed == [body]
    assert expect(team.http("referrer", "GET", f"/api/bodies/{bid}"), 200) == body

    # A second secretary is refused naming the role.
    refused(
        team.http(
            "coordinator",
            "POST",
            f"/api/bodies/{bid}/members",
            json={"person_id": team.people["network_admin"]["id"], "role": "secretary"},
        ),
        422,
        "role",
    )

    # The series for the coming half year: at least every 14 days, on working days, never
    # on a Belgian public holiday, at 14:00 Brussels time.
    today = dt.date.today()
    until = today + dt.timedelta(days=182)
    series = expect(
        team.http(
            "secretary",
            "POST",
            f"/api/bodies/{bid}/series",
            json={"from": today.isoformat(), "until": until.isoformat()},
        ),
        201,
    )
    assert len(series) >= 12, series
    starts = [local(m["starts_at"]) for m in series]
    assert starts == sorted(starts)
    days = [s.date() for s in starts]
    holidays = set().union(*(belgian_holidays(y) for y in {d.year for d in days}))
    for day, start in zip(days, starts, strict=True):
        assert day.weekday() < 5 and day not in holidays, day
        assert (start.hour, start.minute) == (14, 0), start
    gaps = [(b - a).days for a, b in zip(days, days[1:], strict=False)]
    assert max(gaps) <= 14, gaps
    assert all(m["status"] == "scheduled" and m["in_series"] for m in series)
    listed = expect(team.http("referrer", "GET", f"/api/bodies/{bid}/meetings"), 200)
    assert [m["id"] for m in listed] == [m["id"] for m in series]
    # Planning the same stretch again adds nothing.
    again = team.http(
        "secretary",
        "POST",
        f"/api/bodies/{bid}/series",
        json={"from": today.isoformat(), "until": until.isoformat()},
    )
    assert expect(again, 201) == []

    # The first meeting whose proposal deadline (two days before) has not passed.
    soon = dt.datetime.now(dt.UTC) + dt.timedelta(days=3)
    meeting = next(m for m in series if dt.datetime.fromisoformat(m["starts_at"]) > soon)
    mid = meeting["id"]

    # A member proposes an item; someone without a seat cannot.
    item = {
        "title": "Wachttijden gezinscoaching",
        "explanation": "Gezinnen wachten langer dan een maand op een eerste contact.",
        "documents": [{"name": "Cijfers oktober", "url": "https://verband.test/cijfers.pdf"}],
        "decision_asked": "Een warme overbrugging afspreken.",
    }
    proposed = expect(team.http("referrer", "POST", f"/api/meetings/{mid}/items", json=item), 201)
    assert proposed["title"] == item["title"] and proposed["kind"] == "proposal"
    assert proposed["proposed_by"] == team.people["referrer"]["id"]
    refused(
        team.http("network_admin", "POST", f"/api/meetings/{mid}/items", json=item),
        403,
    )
    refused(
        team.http("referrer", "POST", f"/api/meetings/{mid}/items", json={"title": ""}),
        422,
        "title",
    )

    # Only the chair or secretary publishes; the secretary does.
    refused(team.http("referrer", "POST", f"/api/meetings/{mid}/agenda-publication"), 403)
    published = expect(
        team.http("secretary", "POST", f"/api/meetings/{mid}/agenda-publication"), 200
    )
    assert published["agenda_published_at"]
    assert item["title"] in [i["title"] for i in published["agenda"]]
    detail = expect(team.http("case_manager", "GET", f"/api/meetings/{mid}"), 200)
    assert detail["agenda"] == published["agenda"]
    refused(team.http("secretary", "POST", f"/api/meetings/{mid}/agenda-publication"), 409)

    # After publication an item is no longer proposed to the secretary: refused, naming the
    # meeting; nor added before the meeting itself, even with its approval.
    late = {"title": "Nog een punt"}
    refused(
        team.http("referrer", "POST", f"/api/meetings/{mid}/items", json=late), 409, "meeting_id"
    )
    refused(
        team.http(
            "secretary",
            "POST",
            f"/api/meetings/{mid}/items-at-meeting",
            json={**late, "approved_by_meeting": False},
        ),
        409,
        "meeting_id",
    )
    after = expect(team.http("referrer", "GET", f"/api/meetings/{mid}"), 200)
    assert [i["title"] for i in after["agenda"]] == [i["title"] for i in published["agenda"]]

    # The agenda as a PDF.
    pdf = team.http("referrer", "GET", f"/api/meetings/{mid}/agenda.pdf")
    assert pdf.status_code == 200, pdf.text[:300]
    assert pdf.headers["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")

    # The body's calendar feed: iCalendar, one event per meeting.
    feed = team.http("case_manager", "GET", f"/api/bodies/{bid}/calendar.ics")
    assert feed.status_code == 200, feed.text[:300]
    assert feed.headers["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(feed.content)
    events = [c for c in calendar.walk("VEVENT")]
    assert len(events) == len(series)
    assert len({str(e["UID"]) for e in events}) == len(events)
    event_starts = sorted(e.decoded("DTSTART").astimezone(BRUSSELS) for e in events)
    assert event_starts == starts
    # A member's own feed holds the body's meetings too.
    mine = team.http("referrer", "GET", "/api/me/calendar.ics")
    assert mine.status_code == 200 and mine.headers["Content-Type"].startswith("text/calendar")
    assert len(list(icalendar.Calendar.from_ical(mine.content).walk("VEVENT"))) >= len(series)

    # Another network's people do not learn the body exists.
    other = create_team(stack)
    for path in (
        f"/api/bodies/{bid}",
        f"/api/bodies/{bid}/meetings",
        f"/api/bodies/{bid}/calendar.ics",
        f"/api/meetings/{mid}",
        f"/api/networks/{nid}/bodies",
    ):
        refused(other.http("coordinator", "GET", path), 404)


def test_an_item_added_at_the_meeting_needs_its_approval(kernteam):
    team, body = kernteam
    now = dt.datetime.now(BRUSSELS)
    if (now + dt.timedelta(minutes=2)).date() != now.date():
        # The meeting must be today: in the last minutes of a Brussels day, wait for the next.
        time.sleep((dt.timedelta(minutes=3)).total_seconds())
        now = dt.datetime.now(BRUSSELS)
    starts_at = now + dt.timedelta(minutes=2)
    r = team.http(
        "secretary",
        "POST",
        f"/api/bodies/{body['id']}/meetings",
        json={"starts_at": starts_at.isoformat(), "duration_minutes": 60},
    )
    if now.date() in belgian_holidays(now.year):
        # A public holiday is refused until the planner confirms the body meets anyway.
        refused(r, 422, "starts_at")
        r = team.http(
            "secretary",
            "POST",
            f"/api/bodies/{body['id']}/meetings",
            json={"starts_at": starts_at.isoformat(), "duration_minutes": 60, "on_holiday": True},
        )
    meeting = expect(r, 201)
    assert meeting["in_series"] is False
    mid = meeting["id"]
    expect(team.http("secretary", "POST", f"/api/meetings/{mid}/agenda-publication"), 200)

    item = {"title": "Dringend: crisisopvang", "explanation": "Vandaag gemeld."}
    # Proposed to the secretary after publication: refused, naming the meeting.
    refused(
        team.http("referrer", "POST", f"/api/meetings/{mid}/items", json=item), 409, "meeting_id"
    )
    # At the meeting, without its approval: refused naming the field.
    refused(
        team.http(
            "secretary",
            "POST",
            f"/api/meetings/{mid}/items-at-meeting",
            json={**item, "approved_by_meeting": False},
        ),
        422,
        "approved_by_meeting",
    )
    # Without saying whether it approved: the gateway refuses it, naming the field.
    refused(
        team.http("secretary", "POST", f"/api/meetings/{mid}/items-at-meeting", json=item),
        422,
        "approved_by_meeting",
    )
    # A member cannot add one at the meeting; the secretary can, with the approval.
    refused(
        team.http(
            "referrer",
            "POST",
            f"/api/meetings/{mid}/items-at-meeting",
            json={**item, "approved_by_meeting": True},
        ),
        403,
    )
    added = expect(
        team.http(
            "secretary",
            "POST",
            f"/api/meetings/{mid}/items-at-meeting",
            json={**item, "approved_by_meeting": True},
        ),
        201,
    )
    assert added["kind"] == "added_at_meeting" and added["approved_by_meeting"] is True
    agenda = expect(team.http("referrer", "GET", f"/api/meetings/{mid}"), 200)["agenda"]
    assert agenda[-1]["id"] == added["id"]


def _meeting_today(team: Team, body_id: str, minutes_ahead: int) -> dict:
    """A meeting of the body later today (confirmed when today is a public holiday)."""
    now = dt.datetime.now(BRUSSELS)
    starts_at = now + dt.timedelta(minutes=minutes_ahead)
    payload = {"starts_at": starts_at.isoformat(), "duration_minutes": 30}
    if now.date() in belgian_holidays(now.year):
        payload["on_holiday"] = True
    return expect(
        team.http("secretary", "POST", f"/api/bodies/{body_id}/meetings", json=payload), 201
    )


def test_a_bottleneck_case_reaches_the_kernteam_and_its_decision_flows_back_to_the_case(stack):
    """Cases flags a bottleneck case; over the broker it becomes a pseudonymised standing item
    of the next kernteam agenda (not of the beleidsgroep's); the kernteam's decision goes back
    to the case by event."""
    now = dt.datetime.now(BRUSSELS)
    if (now + dt.timedelta(minutes=15)).date() != now.date():
        # The meetings must be today: in the last minutes of a Brussels day, wait for the next.
        time.sleep(16 * 60)
    team = create_team(stack)
    add_person(team, "secretary")
    offer = publish_offer(team)
    case_id = refer_once_offer_known(team, offer["id"])["case_id"]
    kern = create_body_once_roles_known(team, body_input(team))
    policy = create_body_once_roles_known(
        team,
        body_input(
            team,
            name=f"Beleidsgroep {team.network['name']}",
            kind="beleidsgroep",
            cadence={"kind": "monthly", "week": 2, "weekday": 3},
        ),
    )

    # Flagging needs a known reason; a bad one is refused naming the field.
    refused(
        team.http(
            "coordinator",
            "POST",
            f"/api/cases/{case_id}/bottlenecks",
            json={"reason_category": "geen idee"},
        ),
        422,
        "reason_category",
    )
    flagged = expect(
        team.http(
            "coordinator",
            "POST",
            f"/api/cases/{case_id}/bottlenecks",
            json={"reason_category": "no_suitable_offer", "note": "Lotte vindt geen plek."},
        ),
        201,
    )
    pseudonym = flagged["case_pseudonym"]

    # The beleidsgroep is no case table: its agenda never carries the case.
    policy_meeting = _meeting_today(team, policy["id"], 5)
    published = expect(
        team.http("secretary", "POST", f"/api/meetings/{policy_meeting['id']}/agenda-publication"),
        200,
    )
    assert all(i["kind"] != "bottleneck_case" for i in published["agenda"])

    # The kernteam's next agenda carries it, once meetings has the cases' event: each try
    # publishes one more meeting of today, as a secretary would publish the next agenda.
    tries = []

    def published_with_case():
        meeting = _meeting_today(team, kern["id"], 5 + len(tries))
        tries.append(meeting["id"])
        detail = expect(
            team.http("secretary", "POST", f"/api/meetings/{meeting['id']}/agenda-publication"),
            200,
        )
        return detail if any(i["kind"] == "bottleneck_case" for i in detail["agenda"]) else None

    detail = poll(published_with_case, 30, interval=1, what="the case on the kernteam agenda")
    mid = detail["id"]
    (item,) = [i for i in detail["agenda"] if i["kind"] == "bottleneck_case"]
    assert item["ref"] == pseudonym
    shown = " ".join(str(item.get(k) or "") for k in ("title", "explanation", "decision_asked"))
    for personal in ("Lotte", "An Peeters", "opvoeding", str(case_id)):
        assert personal not in shown, personal
    # Once on an agenda, the case does not come back on the next one.
    later = _meeting_today(team, kern["id"], 60)
    again = expect(
        team.http("secretary", "POST", f"/api/meetings/{later['id']}/agenda-publication"), 200
    )
    assert all(i["kind"] != "bottleneck_case" for i in again["agenda"])

    # At the meeting: attendance, then the decision on the case's item.
    members = kern["members"]
    expect(
        team.http(
            "secretary",
            "PUT",
            f"/api/meetings/{mid}/attendance",
            json={
                "attendance": [{"member_id": m["id"], "status": "present"} for m in members],
                "iroj_reporter_member_id": members[0]["id"],
            },
        ),
        200,
    )
    decision = "De casemanager zoekt met de crisisopvang een plaats binnen de week."
    # The kernteam decides by consensus: a vote is refused naming the method, nothing kept.
    voter = next(m for m in members if m["voting"])
    refused(
        team.http(
            "secretary",
            "PUT",
            f"/api/meetings/{mid}/items/{item['id']}",
            json={
                "decision": {
                    "method": "vote",
                    "text": decision,
                    "votes": [{"member_id": voter["id"], "choice": "for"}],
                }
            },
        ),
        422,
        "decision.method",
    )
    assert expect(team.http("secretary", "GET", f"/api/meetings/{mid}"), 200)["decisions"] == []
    recorded = expect(
        team.http(
            "secretary",
            "PUT",
            f"/api/meetings/{mid}/items/{item['id']}",
            json={"notes": "Besproken.", "decision": {"method": "consensus", "text": decision}},
        ),
        200,
    )
    (taken,) = recorded["decisions"]
    assert taken["case_pseudonym"] == pseudonym and taken["text"] == decision

    # The decision reaches the case over the broker.
    def case_with_decision():
        case = expect(
            team.http("coordinator", "GET", f"/api/cases/{case_id}?purpose=knelpuntoverleg"), 200
        )
        decided = [b for b in case["bottlenecks"] if b.get("decision")]
        return decided or None

    (bottleneck,) = poll(case_with_decision, 30, interval=0.5, what="the decision on the case")
    assert bottleneck["decision"]["text"] == decision
    assert bottleneck["decision"]["meeting_id"] == mid
    assert bottleneck["decision"]["body_kind"] == "kernteam"


def _working_day_ahead(days: int) -> dt.datetime:
    day = dt.datetime.now(BRUSSELS).date() + dt.timedelta(days=days)
    while day.weekday() > 4 or day in belgian_holidays(day.year):
        day += dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(14, 0), BRUSSELS)


def _token(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def _submit(stack, browser, path: str, data: dict, status: int = 302):
    """A portal form sent as a browser does: the page first (for its CSRF token), then the
    form; a mistake answers 422 with the page again."""
    page = browser.get(stack.base_url + path, timeout=15)
    assert page.status_code == 200, (path, page.status_code, page.text[:300])
    r = browser.post(
        stack.base_url + path,
        data={**data, "csrf_token": _token(page.text)},
        allow_redirects=False,
        timeout=15,
    )
    assert r.status_code == status, (path, r.status_code, r.text[:500])
    return r


def _field_error(page: str, name: str) -> str:
    found = re.search(rf'<span class="field-error" id="e-{re.escape(name)}">([^<]*)</span>', page)
    return found.group(1) if found else ""


def test_the_portal_pages_run_a_meeting_from_proposal_to_locked_minutes(stack):
    """The same path in the portal's pages, on the real services: a member proposes an item,
    the secretary publishes, records the meeting and drafts the minutes, the chair approves
    them at a next meeting, the owner closes an action; mistakes are shown at their field."""
    now = dt.datetime.now(BRUSSELS)
    if (now + dt.timedelta(minutes=45)).date() != now.date():
        time.sleep(46 * 60)
    team = create_team(stack)
    add_person(team, "secretary")
    body = create_body_once_roles_known(team, body_input(team))
    bid = body["id"]
    seat = {m["person_id"]: m for m in body["members"]}
    today = _meeting_today(team, bid, 10)
    approving = _meeting_today(team, bid, 40)
    far = expect(
        team.http(
            "secretary",
            "POST",
            f"/api/bodies/{bid}/meetings",
            json={"starts_at": _working_day_ahead(21).isoformat()},
        ),
        201,
    )
    browsers = {
        role: portal_session(stack, team.people[role]["email"])
        for role in ("referrer", "secretary", "coordinator")
    }
    member, secretary, chair = browsers["referrer"], browsers["secretary"], browsers["coordinator"]

    # Every member sees the body, its members with their voting right, and its series.
    page = member.get(stack.base_url + "/organen", timeout=15).text
    assert body["name"] in page
    page = member.get(stack.base_url + f"/organen/{bid}", timeout=15).text
    assert "Adviseur" in page and f"/api/bodies/{bid}/calendar.ics" in page
    assert f"/vergaderingen/{far['id']}" in page

    # A member proposes an item for the meeting in three weeks; without a title: refused.
    propose = f"/vergaderingen/{far['id']}/punt-voorstellen"
    r = _submit(stack, member, propose, {"title": "", "explanation": "Blijft staan"}, 422)
    assert _field_error(r.text, "title") and "Blijft staan" in r.text
    assert expect(team.http("secretary", "GET", f"/api/meetings/{far['id']}"), 200)["agenda"] == []
    _submit(
        stack,
        member,
        propose,
        {
            "title": "Aanbod voor tieners",
            "decision_asked": "Een werkgroep oprichten.",
            "doc_name-0": "Nota",
            "doc_url-0": "https://verband.example/nota.pdf",
        },
    )
    (proposed,) = expect(team.http("secretary", "GET", f"/api/meetings/{far['id']}"), 200)["agenda"]
    assert proposed["title"] == "Aanbod voor tieners"
    assert proposed["documents"] == [{"name": "Nota", "url": "https://verband.example/nota.pdf"}]

    # The secretary publishes today's agenda; an item added later needs the meeting's approval.
    mid = today["id"]
    _submit(stack, secretary, f"/vergaderingen/{mid}/agenda", {"action": "publish"})
    detail = expect(team.http("secretary", "GET", f"/api/meetings/{mid}"), 200)
    assert detail["agenda_published_at"] and detail["agenda"][-1]["kind"] == "iroj_report"
    r = _submit(
        stack,
        secretary,
        f"/vergaderingen/{mid}/agenda",
        {"action": "add", "add_title": "Crisisopvang"},
        422,
    )
    assert _field_error(r.text, "add_approved_by_meeting")
    _submit(
        stack,
        secretary,
        f"/vergaderingen/{mid}/agenda",
        {"action": "add", "add_title": "Crisisopvang", "add_approved_by_meeting": "ja"},
    )
    detail = expect(team.http("secretary", "GET", f"/api/meetings/{mid}"), 200)
    added = next(i for i in detail["agenda"] if i["title"] == "Crisisopvang")
    assert added["approved_by_meeting"] is True

    # At the meeting: attendance with the IROJ reporter, then the item's decision and action.
    chair_seat = seat[team.people["coordinator"]["id"]]
    owner_seat = seat[team.people["referrer"]["id"]]
    presence = {f"presence-{m['id']}": "present" for m in body["members"]}
    _submit(
        stack,
        secretary,
        f"/vergaderingen/{mid}",
        {"action": "attendance", **presence, "iroj_reporter": chair_seat["id"]},
    )
    detail = expect(team.http("secretary", "GET", f"/api/meetings/{mid}"), 200)
    assert detail["quorum_reached"] is True
    assert detail["iroj_reporter_member_id"] == chair_seat["id"]
    key = added["id"]
    due = (dt.date.today() + dt.timedelta(days=14)).isoformat()
    outcome = {
        "action": "item",
        "item_id": key,
        f"method-{key}": "consensus",
        f"decision-{key}": "De coördinator vraagt crisisplaatsen aan.",
        f"objection_member-{key}-0": owner_seat["id"],
        f"objection_text-{key}-0": "Liever eerst overleg met het CAW.",
        f"action_title-{key}-0": "Aanvraag crisisplaatsen opstellen",
        f"action_due-{key}-0": due,
    }
    # A vote where the kernteam decides by consensus, and an action without owner: refused.
    owned = {**outcome, f"action_owner-{key}-0": owner_seat["id"]}
    r = _submit(stack, secretary, f"/vergaderingen/{mid}", {**owned, f"method-{key}": "vote"}, 422)
    assert "consensus" in _field_error(r.text, f"method-{key}")
    r = _submit(stack, secretary, f"/vergaderingen/{mid}", outcome, 422)
    assert _field_error(r.text, f"action_owner-{key}-0")
    detail = expect(team.http("secretary", "GET", f"/api/meetings/{mid}"), 200)
    assert detail["decisions"] == [] and detail["actions"] == []
    _submit(stack, secretary, f"/vergaderingen/{mid}", owned)
    detail = expect(team.http("secretary", "GET", f"/api/meetings/{mid}"), 200)
    (decision,) = detail["decisions"]
    assert decision["objections"][0]["member_id"] == owner_seat["id"]
    (action,) = detail["actions"]
    assert action["owner_member_id"] == owner_seat["id"] and action["due_on"] == due
    _submit(stack, secretary, f"/vergaderingen/{mid}", {"action": "close"})

    # Minutes: drafted and sent by the secretary; approved by the chair at a meeting that
    # took place (not at one still to come), with an amendment; locked after.
    minutes = f"/vergaderingen/{mid}/verslag"
    _submit(stack, secretary, minutes, {"action": "save", "summary": "Korte vergadering."})
    _submit(stack, secretary, minutes, {"action": "send"})
    r = _submit(stack, chair, minutes, {"action": "approve", "in_meeting_id": far["id"]}, 422)
    assert _field_error(r.text, "in_meeting_id")
    _submit(
        stack,
        chair,
        minutes,
        {"action": "approve", "in_meeting_id": approving["id"], "amendments": "Typfout in punt 1."},
    )
    record = expect(team.http("secretary", "GET", f"/api/meetings/{mid}"), 200)["minutes"]
    assert record["status"] == "approved" and record["amendments"] == ["Typfout in punt 1."]
    page = secretary.get(stack.base_url + minutes, timeout=15).text
    assert "kan niet meer gewijzigd" in page and 'name="summary"' not in page
    r = secretary.post(
        stack.base_url + minutes,
        data={"action": "save", "summary": "Anders", "csrf_token": _token(page)},
        allow_redirects=False,
        timeout=15,
    )
    assert r.status_code == 422
    assert (
        expect(team.http("secretary", "GET", f"/api/meetings/{mid}"), 200)["minutes"]["summary"]
        == "Korte vergadering."
    )
    pdf = secretary.get(stack.base_url + f"/api/meetings/{mid}/minutes.pdf", timeout=15)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")

    # The owner finds the action under "my actions" and closes it there.
    page = member.get(stack.base_url + "/mijn-acties", timeout=15).text
    assert "Aanvraag crisisplaatsen opstellen" in page
    _submit(stack, member, "/mijn-acties", {"action_id": action["id"]})
    assert (
        expect(team.http("referrer", "GET", f"/api/bodies/{bid}/actions?open_only=true"), 200) == []
    )
    page = member.get(stack.base_url + "/mijn-vergaderingen", timeout=15).text
    assert f"/vergaderingen/{far['id']}" in page

    # Another network's coordinator does not find the body or the meeting in the portal.
    other = create_team(stack)
    stranger = portal_session(stack, other.people["coordinator"]["email"])
    for path in (f"/organen/{bid}", f"/vergaderingen/{mid}", minutes):
        assert stranger.get(stack.base_url + path, timeout=15).status_code == 404, path
    assert body["name"] not in stranger.get(stack.base_url + "/organen", timeout=15).text
