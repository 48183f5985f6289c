"""What a meeting reports back to IROJ, and how IROJ's answer comes back on an agenda."""

import uuid

import pytest

from meetings.domain import report_back
from verband_common.errors import ValidationFailed


def decision(text, for_iroj, case=None) -> dict:
    return {
        "id": uuid.uuid4(),
        "method": "consensus",
        "outcome": "adopted",
        "text": text,
        "for_iroj": for_iroj,
        "case_pseudonym": case,
    }


def test_only_decisions_marked_for_iroj_and_never_one_about_a_case_are_reported():
    marked = decision("De werkgroep start.", True)
    decisions = [
        marked,
        decision("Koffie wordt soep.", False),
        # marked before the rule existed, or by a bug: a case's decision still never goes
        decision("Gezin krijgt voorrang.", True, case="a" * 32),
    ]
    assert report_back.reported_decisions(decisions) == [
        {
            "decision_id": str(marked["id"]),
            "method": "consensus",
            "outcome": "adopted",
            "text": "De werkgroep start.",
        }
    ]


def test_marking_a_bottleneck_decision_for_iroj_is_refused_naming_the_field():
    with pytest.raises(ValidationFailed) as refused:
        report_back.check_for_iroj({"for_iroj": True}, {"kind": "bottleneck_case"})
    assert "decision.for_iroj" in refused.value.fields
    report_back.check_for_iroj({"for_iroj": False}, {"kind": "bottleneck_case"})
    report_back.check_for_iroj({"for_iroj": True}, {"kind": "proposal"})


def test_an_answer_becomes_an_agenda_item_naming_the_signal():
    signal_id = uuid.uuid4()
    item = report_back.answer_item(
        {"signal_id": signal_id, "signal_title": "Wachttijd", "answer": "Wordt opgevolgd."}
    )
    assert item["kind"] == "iroj_answer"
    assert item["title"] == "Antwoord van IROJ op signaal: Wachttijd"
    assert item["explanation"] == "Wordt opgevolgd."
    assert item["ref"] == str(signal_id)
