"""Report-back to IROJ (terugkoppeling, Afsprakenkader Kerngroep RTJ): per meeting one
member reports back to IROJ on the items that matter to it. What goes is what the body
marked "voor IROJ" and the signals it raised; IROJ's answer to a signal comes back as an
item on the body's next agenda."""

from verband_common.errors import ValidationFailed

ANSWER_PREFIX = "Antwoord van IROJ op signaal: "


def check_for_iroj(decision: dict, item: dict) -> None:
    """A decision about a bottleneck case is about a family: it never goes to IROJ."""
    if decision.get("for_iroj") and item["kind"] == "bottleneck_case":
        raise ValidationFailed(
            "Een beslissing over een knelpuntdossier gaat niet naar IROJ: ze gaat over een gezin.",
            {"decision.for_iroj": ["Niet voor een knelpuntdossier."]},
        )


def reported_decisions(decisions: list[dict]) -> list[dict]:
    """The decisions of a meeting that its report-back carries, in the order taken."""
    return [
        {
            "decision_id": str(d["id"]),
            "method": d["method"],
            "outcome": d["outcome"],
            "text": d["text"],
        }
        for d in decisions
        if d["for_iroj"] and d["case_pseudonym"] is None
    ]


def reported_signals(signals: list[dict]) -> list[dict]:
    return [
        {
            "signal_id": str(s["id"]),
            "kind": s["kind"],
            "title": s["title"],
            "description": s["description"],
        }
        for s in signals
    ]


def answer_item(answer: dict) -> dict:
    """The agenda item that puts IROJ's answer to a signal before the body."""
    return {
        "kind": "iroj_answer",
        "title": ANSWER_PREFIX + answer["signal_title"],
        "explanation": answer["answer"],
        "decision_asked": None,
        "ref": str(answer["signal_id"]),
    }
