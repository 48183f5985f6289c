"""A body's series from its cadence (holidays avoided), single meetings moved or cancelled,
and the iCalendar feeds per body and per person, parsed as RFC 5545."""

import datetime as dt
import json
from zoneinfo import ZoneInfo

import icalendar
import pytest
from meetings_support import World
from verband_servicekit import wait_until

from meetings.domain.holidays import is_working_day
from verband_common.errors import ValidationFailed

pytestmark = pytest.mark.service
TZ = ZoneInfo("Europe/Brussels")


def test_the_series_of_a_kernteam_follows_its_rule_and_feeds_the_calendars(verband):
    w = World(verband)
    tap = verband.tap("meetings", "meeting_scheduled")
    body = w.create_body(
        name="Kernteam",
        kind="kernteam",
        decision_rule={"method": "consensus"},
        cadence={
            "kind": "every_days",
            "days": 14,
            "weekday": 1,
            "time": "09:30",
            "duration_minutes": 90,
        },
    )
    start = dt.date.today() + dt.timedelta(days=1)
    until = start + dt.timedelta(days=365)
    with w.rpc(w.coordinator) as rpc:
        series = rpc.meetings.schedule_series(
            body["id"], {"from": start.isoformat(), "until": until.isoformat()}
        )
        # planning the same period again adds nothing
        assert (
            rpc.meetings.schedule_series(
                body["id"], {"from": start.isoformat(), "until": until.isoformat()}
            )
            == []
        )
    starts = [dt.datetime.fromisoformat(m["starts_at"]).astimezone(TZ) for m in series]
    days = [s.date() for s in starts]
    assert all(is_working_day(d) for d in days)
    assert all((s.hour, s.minute) == (9, 30) for s in starts)
    assert max((b - a).days for a, b in zip(days, days[1:], strict=False)) <= 14
    assert len(series) >= 26 and days[-1] <= until

    # one meeting moved, one cancelled; a move onto a holiday is refused
    moved_to = dt.datetime.combine(days[2] - dt.timedelta(days=1), dt.time(15, 0), TZ)
    if not is_working_day(moved_to.date()):
        moved_to += dt.timedelta(days=3)
    with w.rpc(w.secretary) as rpc:
        rpc.meetings.move_meeting(
            series[2]["id"], {"starts_at": moved_to.isoformat(), "reason": "Staking"}
        )
        rpc.meetings.cancel_meeting(series[3]["id"], {"reason": "Te weinig agendapunten"})
        today = dt.date.today()
        year = today.year if today < dt.date(today.year, 12, 24) else today.year + 1
        next_christmas = dt.datetime(year, 12, 25, 10, 0, tzinfo=TZ)
        with pytest.raises(ValidationFailed) as refused:
            rpc.meetings.move_meeting(series[4]["id"], {"starts_at": next_christmas.isoformat()})
        assert refused.value.fields == {"starts_at": [f"{next_christmas.date()} is Kerstmis."]}
        # ...unless the planner confirms that the body meets on the holiday anyway.
        confirmed = rpc.meetings.move_meeting(
            series[4]["id"], {"starts_at": next_christmas.isoformat(), "on_holiday": True}
        )
        assert dt.datetime.fromisoformat(confirmed["starts_at"]) == next_christmas

    with w.rpc(w.contractant) as rpc:
        feed = rpc.meetings.body_calendar(body["id"])
    assert feed["content_type"].startswith("text/calendar")
    cal = icalendar.Calendar.from_ical(feed["ics"])
    events = {str(e["UID"]).split("@")[0]: e for e in cal.walk("VEVENT")}
    assert len(events) == len(series)
    moved = events[series[2]["id"]]
    assert moved.decoded("DTSTART") == moved_to
    assert int(moved["SEQUENCE"]) == 1 and str(moved["DESCRIPTION"]) == "Staking"
    assert str(events[series[3]["id"]]["STATUS"]) == "CANCELLED"
    assert events[series[0]["id"]].decoded("DTEND") - events[series[0]["id"]].decoded(
        "DTSTART"
    ) == dt.timedelta(minutes=90)

    # a member's own feed: the body's meetings; someone outside it: none
    with w.rpc(w.chair) as rpc:
        mine = icalendar.Calendar.from_ical(rpc.meetings.person_calendar()["ics"])
        assert len(mine.walk("VEVENT")) == len(series)
    with w.rpc(w.outsider) as rpc:
        assert (
            icalendar.Calendar.from_ical(rpc.meetings.person_calendar()["ics"]).walk("VEVENT") == []
        )

    def published():
        return [json.loads(m.body) for m in verband.drain(tap)]

    seen = []
    wait_until(lambda: seen.extend(published()) or len(seen) >= len(series) + 3)
    statuses = [e["status"] for e in seen]
    assert statuses.count("scheduled") == len(series)
    # the move for a strike, the confirmed move onto Christmas; one cancellation
    assert statuses.count("moved") == 2 and statuses.count("cancelled") == 1
