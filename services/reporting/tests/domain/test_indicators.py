"""Indicators from aggregates: statistics, units, Dutch displays, suppression per unit, the
region roll-up, periods and the single rules, each on small cases worked out by hand."""

import datetime as dt

import pytest

from reporting.domain import display, indicators, rules, stats
from reporting.domain.catalogue import DEFINITIONS, KEYS, catalogue
from reporting.domain.periods import Period, last_periods, one_month_later


def shown(aggregates, threshold=5):
    return {i["key"]: i for i in indicators.present(aggregates, threshold)}


def test_medians_percentiles_and_maxima_from_histograms():
    assert stats.median({5: 1, 20: 1, 29: 1, 31: 1}) == 24.5
    assert stats.median({3: 2, 9: 1}) == 3
    assert stats.percentile({d: 1 for d in range(1, 11)}, 90) == 9
    assert stats.percentile({d: 1 for d in range(1, 12)}, 90) == 10  # ceil(9.9) = 10th
    assert stats.maximum({"4": 1, "61": 2}) == 61
    assert stats.median({}) is None
    assert stats.merge({1: 1}, {"1": 2, 3: 1}) == {1: 3, 3: 1}


def test_periods_and_their_boundaries():
    q = Period("quarter", dt.date(2026, 10, 1))
    assert q.end == dt.date(2026, 12, 31) and q.shifted(1).start == dt.date(2027, 1, 1)
    assert Period.containing("quarter", dt.date(2026, 3, 31)).start == dt.date(2026, 1, 1)
    assert Period("month", dt.date(2028, 2, 1)).end == dt.date(2028, 2, 29)
    assert [p.start.month for p in last_periods("month", 3, dt.date(2026, 1, 15))] == [11, 12, 1]
    assert one_month_later(dt.date(2026, 1, 31)) == dt.date(2026, 2, 28)
    assert one_month_later(dt.date(2028, 1, 31)) == dt.date(2028, 2, 29)


def test_the_single_rules():
    d = dt.date
    assert rules.answered_within_month(d(2026, 1, 1), d(2026, 2, 1))
    assert not rules.answered_within_month(d(2026, 1, 31), d(2026, 3, 1))
    assert rules.answered_within_month(d(2026, 1, 31), d(2026, 2, 28))
    assert rules.warm_contact_on_time(d(2026, 3, 31), d(2026, 3, 1), d(2026, 3, 31), 14)
    assert not rules.warm_contact_on_time(d(2026, 3, 31), d(2026, 3, 1), d(2026, 3, 30), 14)
    assert rules.warm_contact_on_time(d(2026, 3, 31), d(2026, 3, 17), None, 14)
    assert not rules.warm_contact_on_time(d(2026, 3, 31), d(2026, 3, 16), None, 14)
    assert rules.warm_contact_on_time(d(2026, 3, 31), d(2026, 3, 16), None, 15)
    assert rules.minutes_on_time(d(2026, 1, 28), d(2026, 1, 28))
    assert not rules.minutes_on_time(d(2026, 1, 28), None)
    assert rules.multiproblem(2) and not rules.multiproblem(1)
    assert rules.target_of([{"code": "family_guidances", "value": 200}]) == 200
    assert rules.target_of([]) is None


def test_dutch_displays():
    assert display.count(1234) == "1.234"
    assert display.share(0.732) == "73,2 %"
    assert display.days(12.5) == "12,5 d" and display.days(12.0) == "12 d"


def test_the_catalogue_defines_every_indicator_in_dutch():
    entries = catalogue()
    assert [e["key"] for e in entries] == list(KEYS) and len(set(KEYS)) == len(KEYS)
    for e in entries:
        assert e["unit"] in ("count", "share", "days")
        assert e["title"] and e["definition"] and e["numerator"] and e["period_rule"]
        if e["unit"] == "share":
            assert e["denominator"]
    assert {d.statistic for d in DEFINITIONS if d.unit == "days"} == {"median", "p90", "max"}


def test_each_unit_is_suppressed_its_own_way():
    out = shown(
        {
            "indicators": {
                "referrals": {"total": 3, "breakdowns": {}},
                "answered_within_month": {"numerator": 38, "denominator": 40},
                "concern_share": {"numerator": 20, "denominator": 40},
                "days_to_first_answer_median": {"hist": {4: 2, 10: 2}},
                "waiting_days_median": {"hist": {4: 3, 10: 2}},
                "actions_overdue": {"total": 2, "breakdowns": {}},
            }
        }
    )
    assert out["referrals"]["display"] == "<5" and out["referrals"]["value"] is None
    assert out["answered_within_month"]["suppressed"]  # 2 families not answered in time
    assert out["concern_share"]["value"] == 0.5 and out["concern_share"]["numerator"] == 20
    assert out["days_to_first_answer_median"]["display"] == "<5"  # 4 families
    assert (
        out["waiting_days_median"]["value"] == 4 and out["waiting_days_median"]["denominator"] == 5
    )
    assert out["actions_overdue"]["value"] == 2  # not about families
    assert out["meetings_held"]["display"] == "–"  # nothing planned: no share at all


def test_a_hidden_share_takes_its_breakdown_with_it():
    out = shown(
        {
            "indicators": {
                "agreements_used": {
                    "numerator": 3,
                    "denominator": 20,
                    "breakdowns": {"kind": {"mandated_body": 3, "crisis_point": 0}},
                }
            }
        }
    )
    cells = out["agreements_used"]["breakdowns"]["kind"]
    assert out["agreements_used"]["suppressed"]
    assert [c["value"] for c in cells if c["key"] == "mandated_body"] == [None]


def test_a_region_rolls_up_counts_histograms_and_targets_then_suppresses_again():
    a = {
        "indicators": {
            "referrals": {"total": 3, "breakdowns": {"municipality": {"71016": 3}}},
            "days_to_first_answer_median": {"hist": {"10": 3}},
            "family_guidances": {"total": 120, "breakdowns": {}, "target": 200},
            "concern_share": {"numerator": 10, "denominator": 30},
        }
    }
    b = {
        "indicators": {
            "referrals": {"total": 4, "breakdowns": {"municipality": {"71072": 4}}},
            "days_to_first_answer_median": {"hist": {"2": 1, "30": 3}},
            "family_guidances": {"total": 90, "breakdowns": {}, "target": 200},
            "concern_share": {"numerator": 30, "denominator": 40},
        }
    }
    merged = indicators.merge([("n1", a), ("n2", b)])
    merged["labels"]["network"] = {"n1": "Netwerk A", "n2": "Netwerk B"}
    out = shown(merged)
    assert out["referrals"]["value"] == 7
    networks = {c["label"]: c["display"] for c in out["referrals"]["breakdowns"]["network"]}
    assert networks == {"Netwerk A": "<5", "Netwerk B": "<5"}
    # median of 2, 10, 10, 10, 30, 30, 30 (not the mean of two medians)
    assert out["days_to_first_answer_median"]["value"] == 10
    assert out["family_guidances"]["value"] == 210 and out["family_guidances"]["target"] == 400
    assert out["concern_share"]["value"] == pytest.approx(40 / 70)
    assert (out["concern_share"]["numerator"], out["concern_share"]["denominator"]) == (40, 70)
