"""The warm waiting list's priority: invariants checked property-based (hypothesis)."""

import datetime as dt

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from cases.domain.priority import (
    CONCERN_LEVELS,
    DEFAULT_WEIGHTS,
    URGENCY_LEVELS,
    Candidate,
    Weights,
    explain,
    rank,
    rank_key,
    score,
    sort_key,
)

TODAY = dt.date(2026, 11, 23)
days = st.dates(min_value=dt.date(2015, 1, 1), max_value=TODAY)
concerns = st.sampled_from(sorted(CONCERN_LEVELS))
urgencies = st.sampled_from(sorted(URGENCY_LEVELS))
domain_counts = st.integers(min_value=0, max_value=12)
weight = st.one_of(
    st.floats(min_value=0, max_value=1000, allow_nan=False), st.sampled_from([0.0, 1.0, 1e-9])
)
weights = st.builds(
    Weights, waiting_days=weight, concern=weight, multiproblem=weight, urgency=weight
)
candidates = st.builds(
    Candidate,
    waiting_since=days,
    concern=concerns,
    domains=domain_counts,
    urgency=urgencies,
    id=st.uuids().map(str),
)


def place(c: Candidate, others: list[Candidate], w: Weights) -> int:
    return rank([c, *others], w).index(c)


@given(
    c=candidates, others=st.lists(candidates, max_size=8), w=weights, earlier=st.integers(1, 900)
)
def test_longer_waiting_never_ranks_lower(c, others, w, earlier):
    longer = Candidate(
        c.waiting_since - dt.timedelta(days=earlier), c.concern, c.domains, c.urgency, c.id
    )
    assert place(longer, others, w) <= place(c, others, w)


@given(c=candidates, others=st.lists(candidates, max_size=8), w=weights, more=concerns)
def test_more_concern_never_ranks_lower(c, others, w, more):
    assume(CONCERN_LEVELS[more] > CONCERN_LEVELS[c.concern])
    worried = Candidate(c.waiting_since, more, c.domains, c.urgency, c.id)
    assert place(worried, others, w) <= place(c, others, w)


@given(c=candidates, others=st.lists(candidates, max_size=8), w=weights, extra=st.integers(1, 6))
def test_more_multiproblem_domains_never_rank_lower(c, others, w, extra):
    multi = Candidate(c.waiting_since, c.concern, c.domains + extra, c.urgency, c.id)
    assert place(multi, others, w) <= place(c, others, w)


@given(c=candidates, others=st.lists(candidates, max_size=8), w=weights, more=urgencies)
def test_more_urgency_never_ranks_lower(c, others, w, more):
    assume(URGENCY_LEVELS[more] > URGENCY_LEVELS[c.urgency])
    urgent = Candidate(c.waiting_since, c.concern, c.domains, more, c.id)
    assert place(urgent, others, w) <= place(c, others, w)


@given(a=candidates, b=candidates, w=weights, day=st.integers(0, 3000))
def test_the_order_does_not_change_with_the_date(a, b, w, day):
    """The stored rank_key orders as the day's score does, on any day: no re-ranking job."""
    today = max(a.waiting_since, b.waiting_since) + dt.timedelta(days=day)
    if score(a, w, today) > score(b, w, today) + 1e-6 * max(1.0, abs(score(b, w, today))):
        assert rank_key(a, w) >= rank_key(b, w)


@given(c=candidates, w=weights)
def test_the_explanation_adds_up_to_the_score(c, w):
    why = explain(c, w, TODAY, 3)
    assert why["score"] == pytest.approx(score(c, w, TODAY))
    assert sum(p["points"] for p in why["components"]) == pytest.approx(why["score"])
    assert why["text"].startswith("Plaats 3: wacht ")
    assert {p["factor"] for p in why["components"]} == {
        "waiting_days",
        "concern",
        "multiproblem",
        "urgency",
    }


@given(cs=st.lists(candidates, min_size=2, max_size=20, unique_by=lambda c: c.id), w=weights)
def test_the_order_is_total_and_stable(cs, w):
    once = rank(cs, w)
    assert rank(list(reversed(cs)), w) == once
    keys = [sort_key(c, w) for c in once]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)


def test_weights_come_from_the_network_and_are_never_negative():
    assert Weights.from_settings(None) == Weights(**DEFAULT_WEIGHTS)
    w = Weights.from_settings(
        {"waiting_days": 2, "concern": -5, "multiproblem": "x", "urgency": float("nan")}
    )
    assert w.waiting_days == 2.0 and w.concern == 0.0
    assert w.multiproblem == DEFAULT_WEIGHTS["multiproblem"]
    assert w.urgency == DEFAULT_WEIGHTS["urgency"]
    assert Weights.from_settings({"waiting_days": 1e9}).waiting_days == 1000.0


def test_a_worked_example_reads_as_the_coordinator_would_explain_it():
    w = Weights(waiting_days=1, concern=10, multiproblem=7, urgency=14)
    c = Candidate(TODAY - dt.timedelta(days=34), "serious", 3, "normal", "x")
    why = explain(c, w, TODAY, 1)
    assert why["score"] == 34 + 20 + 21
    assert why["text"] == (
        "Plaats 1: wacht 34 dagen (34 × 1 = 34 punten); ernstige zorg (2 × 10 = 20 punten);"
        " 3 levensdomeinen onder druk (3 × 7 = 21 punten); niet dringend (0 × 14 = 0 punten)."
        " Samen 75 punten; bij gelijke punten gaat wie het langst wacht voor."
    )


def test_one_day_one_domain_and_one_point_are_said_in_the_singular():
    w = Weights(waiting_days=1, concern=0.5, multiproblem=0, urgency=0)
    c = Candidate(TODAY - dt.timedelta(days=1), "none", 1, "normal", "x")
    text = explain(c, w, TODAY)["text"]
    assert text.startswith("wacht 1 dag (1 × 1 = 1 punt); geen zorg (0 × 0,5 = 0 punten);")
    assert " 1 levensdomein onder druk (1 × 0 = 0 punten);" in text
    assert "Samen 1 punt;" in text


def test_with_the_defaults_serious_concern_goes_before_six_weeks_more_waiting():
    w = Weights.from_settings(None)
    worried = Candidate(TODAY - dt.timedelta(days=3), "serious", 0, "normal", "worried")
    # Waited six weeks longer, but there is no concern.
    patient = Candidate(TODAY - dt.timedelta(days=3 + 42), "none", 0, "normal", "patient")
    assert [c.id for c in rank([patient, worried], w)] == ["worried", "patient"]
    # Some concern still outranks three weeks of extra waiting.
    some = Candidate(TODAY - dt.timedelta(days=3), "some", 0, "normal", "some")
    three_weeks = Candidate(TODAY - dt.timedelta(days=3 + 21), "none", 0, "normal", "three")
    assert [c.id for c in rank([three_weeks, some], w)] == ["some", "three"]
    # Waiting still counts: well beyond six weeks more, the longer wait goes first again.
    much_longer = Candidate(TODAY - dt.timedelta(days=3 + 50), "none", 0, "normal", "long")
    assert [c.id for c in rank([worried, much_longer], w)] == ["long", "worried"]


def test_partners_stores_the_same_defaults_the_rank_falls_back_to():
    from verband_common.schemas.partners import DEFAULT_SETTINGS

    stored = Weights.from_settings(DEFAULT_SETTINGS["waiting_weights"])
    assert stored == Weights.from_settings(None)
