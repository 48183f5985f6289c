"""Each indicator on a small quarter worked out by hand, including the days on both sides
of the period; suppression at the configured threshold; a rebuild from the event log equal
to what live updates gave, whatever order the events arrived in."""

import random
import uuid

import pytest
from reporting_world import EXPECTED_Q1, Q1, World, hand_computed_q1

from reporting.service import ReportingService
from verband_common.errors import Forbidden, NotFound

pytestmark = pytest.mark.service

PROJECTIONS = (
    "networks", "role_holders", "people", "offers", "agreements", "month_counts",
    "month_days", "first_answers", "waiting_entries", "warm_contacts", "trajectories",
    "meetings", "minutes", "actions", "signals", "referral_counts",
)  # fmt: skip


def coordinator_world(verband, **config):
    reporting = verband.start(ReportingService, **config)
    w = World(verband, reporting)
    network_id, events = w.network()
    coordinator, grant = w.role(network_id, "coordinator")
    w.send(*events, grant)
    return w, reporting, network_id, {"actor": f"person:{coordinator}"}


def by_key(answer):
    return {i["key"]: i for i in answer["indicators"]}


def test_every_indicator_of_a_quarter_worked_out_by_hand(verband):
    w, _, network_id, actor = coordinator_world(verband, SUPPRESSION_THRESHOLD=1)
    w.send(*hand_computed_q1(w, network_id))
    with verband.rpc(context_data=actor) as rpc:
        answer = rpc.reporting.indicators(str(network_id), Q1)
    assert answer["period"] == {"kind": "quarter", "start": "2026-01-01", "end": "2026-03-31"}
    assert answer["network_name"] == "RTJ Noord-Limburg" and answer["region"] == "Limburg"
    shown = by_key(answer)
    assert set(shown) == set(EXPECTED_Q1)
    for key, (value, numerator, denominator) in EXPECTED_Q1.items():
        got = shown[key]
        assert got["value"] == pytest.approx(value), key
        assert got["suppressed"] is False, key
        assert (got["numerator"], got["denominator"]) == (numerator, denominator), key
    assert shown["family_guidances"]["target"] == 200

    referrals = {
        d: {c["key"]: c["value"] for c in cells}
        for d, cells in shown["referrals"]["breakdowns"].items()
    }
    assert referrals["municipality"] == {"71016": 2, "71072": 2}
    assert referrals["source_sector"] == {"ocmw": 1, "mandated_body": 2, "clb": 1}
    assert referrals["concern"] == {"serious": 2, "some": 1, "none": 1}
    assert referrals["offer_kind"] == {"family_coaching": 4}
    assert referrals["month"] == {"2026-01": 2, "2026-02": 1, "2026-03": 1}
    labels = {c["key"]: c["label"] for c in shown["referrals"]["breakdowns"]["municipality"]}
    assert labels == {"71016": "Genk", "71072": "Hasselt"}
    closed = shown["trajectories_closed"]["breakdowns"]["outcome"]
    assert [(c["key"], c["value"]) for c in closed] == [("goals_reached", 1)]
    assert shown["answered_within_month"]["display"] == "50,0 %"
    assert shown["days_to_first_answer_median"]["display"] == "24,5 d"
    assert answer["signals"] == [
        {
            "raised_at": "2026-03-31",
            "body_kind": "kernteam",
            "kind": "pain_point",
            "title": "Wachttijd gezinscoaching te lang",
        }
    ]

    # The month of March alone: its own boundaries.
    with verband.rpc(context_data=actor) as rpc:
        march = by_key(
            rpc.reporting.indicators(str(network_id), {"kind": "month", "start": "2026-03-01"})
        )
    assert march["referrals"]["value"] == 1
    assert march["days_to_first_answer_median"]["value"] == 29  # r2's answer of 1 March
    assert march["waiting_list_size"]["value"] == 3
    assert march["bottlenecks_raised"]["value"] == 1
    assert "month" not in march["referrals"]["breakdowns"]


def test_small_counts_are_suppressed_at_the_configured_threshold(verband):
    w, _, network_id, actor = coordinator_world(verband)  # default threshold: 5
    w.send(*hand_computed_q1(w, network_id))
    with verband.rpc(context_data=actor) as rpc:
        answer = rpc.reporting.indicators(str(network_id), Q1)
    assert answer["threshold"] == 5
    shown = by_key(answer)
    for key in (
        "referrals",
        "waiting_list_size",
        "answered_within_month",
        "days_to_first_answer_median",
        "waiting_days_longest",
        "concern_share",
    ):
        assert shown[key]["suppressed"] is True, key
        assert shown[key]["value"] is None and shown[key]["display"] == "<5", key
        assert shown[key]["numerator"] is None, key
    for cells in shown["referrals"]["breakdowns"].values():
        assert all(c["value"] is None for c in cells if c["display"] != "0")
    # Meetings and actions are not about families: shown as they are.
    assert shown["meetings_held"]["value"] == pytest.approx(0.8)
    assert shown["actions_overdue"]["value"] == 2


def test_the_threshold_is_configurable(verband):
    w2, _, other, actor2 = coordinator_world(verband, SUPPRESSION_THRESHOLD=3)
    w2.send(*hand_computed_q1(w2, other))
    with verband.rpc(context_data=actor2) as rpc:
        three = by_key(rpc.reporting.indicators(str(other), Q1))
    # 4 referrals, 2 from each municipality: with both cells shown as "<3" (1 or 2), a
    # total of 4 would give both away, so the total is hidden too ("x").
    assert three["referrals"]["value"] is None and three["referrals"]["display"] == "x"
    assert three["waiting_list_size"]["display"] == "3"
    municipality = {
        c["key"]: c["display"] for c in three["referrals"]["breakdowns"]["municipality"]
    }
    assert municipality == {"71016": "<3", "71072": "<3"}


def snapshot(verband, db_url) -> dict:
    out = {}
    for table in PROJECTIONS:
        rows = verband.sql(db_url, f"SELECT * FROM {table}")
        out[table] = sorted(repr(sorted(r.items())) for r in rows)
    return out


def test_a_rebuild_gives_what_live_updates_gave_in_any_arrival_order(verband):
    w, reporting, network_id, actor = coordinator_world(verband, SUPPRESSION_THRESHOLD=1)
    events = hand_computed_q1(w, network_id)
    random.Random(7).shuffle(events)
    w.send(*events)
    live = snapshot(verband, reporting.db_url)
    with verband.rpc(context_data=actor) as rpc:
        before = rpc.reporting.indicators(str(network_id), Q1)
        assert rpc.reporting.rebuild_projections() == {"events_replayed": w.sent}
        after = rpc.reporting.indicators(str(network_id), Q1)
    assert snapshot(verband, reporting.db_url) == live
    assert after == before
    assert {i["key"]: i["value"] for i in after["indicators"]} == pytest.approx(
        {k: v[0] for k, v in EXPECTED_Q1.items()}
    )


def test_a_late_earlier_triage_replaces_the_first_answer(verband):
    w, _, network_id, actor = coordinator_world(verband, SUPPRESSION_THRESHOLD=1)
    offer_id, offer = w.offer(network_id)
    referral_id, received = w.referral(network_id, offer_id, "2026-01-10")
    w.send(offer, received, w.triage(network_id, referral_id, "2026-01-10", "2026-03-02"))
    with verband.rpc(context_data=actor) as rpc:
        first = by_key(rpc.reporting.indicators(str(network_id), Q1))
    assert first["answered_within_month"]["numerator"] == 0
    assert first["days_to_first_answer_median"]["value"] == 51
    # The triage of 20 January, delayed on its way, arrives after the one of 2 March.
    w.send(w.triage(network_id, referral_id, "2026-01-10", "2026-01-20", offers=2))
    with verband.rpc(context_data=actor) as rpc:
        then = by_key(rpc.reporting.indicators(str(network_id), Q1))
    assert then["answered_within_month"]["numerator"] == 1
    assert then["days_to_first_answer_median"]["value"] == 10
    assert then["days_to_first_answer_median"]["denominator"] == 1
    assert then["multiproblem_share"]["value"] == 1.0


def test_trend_goes_back_period_by_period(verband):
    w, _, network_id, actor = coordinator_world(verband, SUPPRESSION_THRESHOLD=1)
    offer_id, offer = w.offer(network_id)
    import datetime as dt

    from reporting.domain.periods import Period

    this_month = Period.containing("month", dt.date.today())
    last = this_month.shifted(-1)
    events = [offer]
    for day, count in ((this_month.start, 2), (last.start, 1)):
        for _ in range(count):
            events.append(w.referral(network_id, offer_id, day.isoformat())[1])
    w.send(*events)
    with verband.rpc(context_data=actor) as rpc:
        points = rpc.reporting.trend(str(network_id), "referrals", "month", 3)
    assert [p["start"] for p in points] == [
        this_month.shifted(-2).start.isoformat(),
        last.start.isoformat(),
        this_month.start.isoformat(),
    ]
    assert [p["value"] for p in points] == [0, 1, 2]


def test_a_revoke_is_never_overtaken_by_the_grant_before_it(verband):
    """Grant and revoke out of order, the grant replayed with a new message id and even a
    later occurred_at (another partners instance's clock): the role stays revoked, also
    after a rebuild from the event log. A grant made after the revoke counts."""
    w, reporting, network_id, _ = coordinator_world(verband, SUPPRESSION_THRESHOLD=1)
    person, grant = w.role(network_id, "coordinator")
    _, revoke = w.role(network_id, "coordinator", person_id=person, granted=False)
    replayed = {**grant, "event_id": str(uuid.uuid4()), "occurred_at": w.at().isoformat()}
    w.send(revoke, grant, replayed)
    actor = {"actor": f"person:{person}"}

    def refused():
        with verband.rpc(context_data=actor) as rpc, pytest.raises((NotFound, Forbidden)):
            rpc.reporting.indicators(str(network_id), Q1)

    refused()
    with verband.rpc() as rpc:
        assert rpc.reporting.rebuild_projections() == {"events_replayed": w.sent}
    refused()
    _, regrant = w.role(network_id, "coordinator", person_id=person)
    w.send(regrant)
    with verband.rpc(context_data=actor) as rpc:
        assert rpc.reporting.indicators(str(network_id), Q1)["network_name"]
