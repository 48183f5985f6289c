"""A body's rhythm, checked on every write that plans, moves or cancels a meeting: the write
stands and its answer names the gap and the rule in Dutch; the network's overview lists the
bodies out of rhythm, and none of another network."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from meetings_support import World

pytestmark = pytest.mark.service

TZ = ZoneInfo("Europe/Brussels")
MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus")
MONTHS += ("september", "oktober", "november", "december")
RULE = "een kernteam komt minstens om de 14 dagen samen."


def day_text(day: dt.date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]}"


def at_ten(day: dt.date) -> str:
    return dt.datetime.combine(day, dt.time(10), TZ).isoformat()


def kernteam(w, **overrides) -> dict:
    payload = {
        "name": "Kernteam 1G1P",
        "kind": "kernteam",
        "members": [
            {"person_id": str(w.chair.id), "role": "chair"},
            {"person_id": str(w.secretary.id), "role": "secretary"},
        ],
        "decision_rule": {"method": "consensus"},
        "cadence": {"kind": "every_days", "days": 14},
    }
    return w.create_body(**{**payload, **overrides})


def plan(rpc, body, day) -> dict:
    # on_holiday: the dates are relative to today and may fall on a public holiday.
    return rpc.meetings.schedule_meeting(body["id"], {"starts_at": at_ten(day), "on_holiday": True})


def test_plan_move_and_cancel_answer_the_gaps_they_make(verband):
    w = World(verband)
    core = kernteam(w)
    base = dt.date.today() + dt.timedelta(days=30)
    first_of_year = base.year != (base + dt.timedelta(days=40)).year
    with w.rpc(w.coordinator) as rpc:
        first = plan(rpc, core, base)
        second = plan(rpc, core, base + dt.timedelta(days=14))  # exactly 14 days: kept
        third = plan(rpc, core, base + dt.timedelta(days=28))
        assert first["rhythm_warnings"] == []
        assert second["rhythm_warnings"] == []
        assert third["rhythm_warnings"] == []

        moved = rpc.meetings.move_meeting(
            second["id"],
            {
                "starts_at": at_ten(base + dt.timedelta(days=20)),
                "reason": "Voorzitter met verlof",
                "on_holiday": True,
            },
        )
        new_day = base + dt.timedelta(days=20)
        assert dt.datetime.fromisoformat(moved["starts_at"]).astimezone(TZ).date() == new_day
        if not first_of_year:  # across new year the days carry their years
            assert moved["rhythm_warnings"] == [
                f"Tussen {day_text(base)} en {day_text(new_day)} liggen 20 dagen; {RULE}"
            ]
        else:
            assert "liggen 20 dagen; " + RULE in moved["rhythm_warnings"][0]

        cancelled = rpc.meetings.cancel_meeting(third["id"], {"reason": "Te weinig punten"})
        assert cancelled["status"] == "cancelled"
        (said,) = cancelled["rhythm_warnings"]
        assert said.startswith(f"Na {day_text(new_day)}") and said.endswith(
            f"is er geen vergadering meer gepland; {RULE}"
        )

        # The cancelled meeting does not count: a new one 17 days after the moved one is late.
        late = plan(rpc, core, base + dt.timedelta(days=37))
        (said,) = late["rhythm_warnings"]
        assert "liggen 17 dagen; " + RULE in said
        assert [m["status"] for m in rpc.meetings.list_meetings(core["id"])] == [
            "scheduled",
            "scheduled",
            "cancelled",
            "scheduled",
        ]


def test_a_series_tells_each_gap_once_on_the_meeting_that_ends_it(verband):
    w = World(verband)
    # A kernteam planned monthly: every gap of its series is too long for its kind.
    core = kernteam(w, cadence={"kind": "monthly", "week": 1, "weekday": 1})
    start = dt.date.today() + dt.timedelta(days=1)
    with w.rpc(w.secretary) as rpc:
        series = rpc.meetings.schedule_series(
            core["id"],
            {"from": start.isoformat(), "until": (start + dt.timedelta(days=120)).isoformat()},
        )
    assert len(series) >= 3
    assert series[0]["rhythm_warnings"] == []
    for meeting in series[1:]:
        (said,) = meeting["rhythm_warnings"]
        assert said.endswith(RULE)
        assert said.startswith("Tussen ")

    # A kernteam planned on its own rhythm is told nothing.
    fine = kernteam(w, name="Kernteam regio")
    with w.rpc(w.secretary) as rpc:
        series = rpc.meetings.schedule_series(
            fine["id"],
            {"from": start.isoformat(), "until": (start + dt.timedelta(days=120)).isoformat()},
        )
    assert series and all(m["rhythm_warnings"] == [] for m in series)


def test_the_overview_lists_the_bodies_out_of_rhythm(verband):
    w = World(verband)
    core = kernteam(w)
    today = dt.date.today()
    with w.rpc(w.coordinator) as rpc:
        plan(rpc, core, today + dt.timedelta(days=3))
        middle = plan(rpc, core, today + dt.timedelta(days=10))
        last = plan(rpc, core, today + dt.timedelta(days=17))
        # Without the middle meeting the gap is exactly 14 days: still in rhythm.
        rpc.meetings.cancel_meeting(middle["id"], {"reason": "Geen agendapunten"})
        # A task group has no rhythm to keep; a beleidsgroep without any meeting has.
        w.create_body(name="Werkgroep kansarmoede", kind="task_group")
        policy = w.create_body()
    with w.rpc(w.chair) as rpc:  # a member sees the bodies they sit in
        listed = rpc.meetings.overview(str(w.network))["out_of_rhythm"]
    assert [b["body_id"] for b in listed] == [policy["id"]]
    with w.rpc(w.outsider) as rpc:  # a role in the network, no seat: no body's rhythm
        assert rpc.meetings.overview(str(w.network))["out_of_rhythm"] == []
    assert listed[0]["warning"] == (
        "Er is geen enkele vergadering gepland; een beleidsgroep komt na de beginfase minstens"
        " om de twee maanden samen (hoogstens 63 dagen ertussen)."
    )

    with w.rpc(w.coordinator) as rpc:
        rpc.meetings.move_meeting(
            last["id"],
            {"starts_at": at_ten(today + dt.timedelta(days=23)), "on_holiday": True},
        )
        listed = rpc.meetings.overview(str(w.network))["out_of_rhythm"]
    (row,) = [b for b in listed if b["body_id"] == core["id"]]
    assert row["body_name"] == "Kernteam 1G1P"
    assert row["body_kind"] == "kernteam"
    assert row["days"] == 20
    assert row["since"] == (today + dt.timedelta(days=3)).isoformat()
    assert row["until"] == (today + dt.timedelta(days=23)).isoformat()
    assert row["warning"].endswith("liggen 20 dagen; " + RULE)

    with w.rpc(w.stranger) as rpc:  # another network: nothing of network A
        assert rpc.meetings.overview(str(w.other_network))["out_of_rhythm"] == []
