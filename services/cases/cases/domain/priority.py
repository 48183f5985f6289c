"""The warm waiting list's priority: documented, explainable, weighted per network.

The source (warm wachtlijstbeheer, 1G1P Asse-Meise-Vilvoorde) asks for the longest waiting
and most worrying families first, with specific attention to multiproblem families. Each
entry scores

    score = w_days * days waiting + w_concern * concern level
            + w_multiproblem * life domains + w_urgency * urgency level

with the weights of the network (partners' `waiting_weights`; defaults below). The score
grows by w_days every day for every family alike, so the order between two families never
changes with the date; `rank_key` is the score minus that common part and is stored, which
lets an index serve the list in priority order without computing anything per row:

    rank_key = w_concern * c + w_multiproblem * m + w_urgency * u - w_days * ordinal(waiting_since)
    score(today) = rank_key + w_days * ordinal(today)

Defaults: a family of serious concern goes ahead of a family of no concern that waited up
to six weeks longer (2 x 22 points against 42 days), because the source asks for the most
worrying families first and for care requests to be picked up within about a month; a
longer wait still wins after that, so nobody waits forever. The reasoning in full is in
verband_common.waiting, the one home of the default numbers.

Ties go to the family waiting longest, then the more worrying, the more domains, the more
urgent, then the entry id: the order is total, so no family moves between two reads.
"""

import datetime as dt
import math
from dataclasses import dataclass

from verband_common.dutch import count_text, number_text
from verband_common.waiting import DEFAULT_WAITING_WEIGHTS

CONCERN_LEVELS = {"none": 0, "some": 1, "serious": 2}
URGENCY_LEVELS = {"normal": 0, "urgent": 1, "urgent_dangerous": 2}
CONCERN_LABELS = {"none": "geen", "some": "enige", "serious": "ernstige"}
URGENCY_LABELS = {
    "normal": "niet dringend",
    "urgent": "dringend",
    "urgent_dangerous": "dringend en gevaarlijk",
}

# Used where a network has not set a weight: a day of waiting is the unit; serious concern
# outweighs six weeks of extra waiting, each life domain in trouble weighs like a week. The
# numbers and their reasoning live in verband_common.waiting (partners stores the same ones
# as a new network's settings, and the settings page explains them).
DEFAULT_WEIGHTS = dict(DEFAULT_WAITING_WEIGHTS)
MAX_WEIGHT = 1000.0


@dataclass(frozen=True)
class Weights:
    waiting_days: float = DEFAULT_WEIGHTS["waiting_days"]
    concern: float = DEFAULT_WEIGHTS["concern"]
    multiproblem: float = DEFAULT_WEIGHTS["multiproblem"]
    urgency: float = DEFAULT_WEIGHTS["urgency"]

    @classmethod
    def from_settings(cls, settings: dict | None) -> "Weights":
        """The network's weights; a missing, negative or non-number weight falls back or is
        clamped, because a negative weight would rank longer waiting lower (never allowed)."""
        settings = settings or {}
        chosen = {}
        for name, default in DEFAULT_WEIGHTS.items():
            value = settings.get(name, default)
            try:
                value = float(value)
            except (TypeError, ValueError):
                value = default
            if math.isnan(value):
                value = default
            chosen[name] = min(max(value, 0.0), MAX_WEIGHT)
        return cls(**chosen)


@dataclass(frozen=True)
class Candidate:
    """What the rank looks at, and nothing else."""

    waiting_since: dt.date
    concern: str
    domains: int
    urgency: str = "normal"
    id: str = ""


def rank_key(c: Candidate, w: Weights) -> float:
    # One fixed order of operations, so that the stored value and a recomputation agree bit
    # for bit, and each step is monotone in its input.
    static = (
        w.concern * CONCERN_LEVELS[c.concern]
        + w.multiproblem * c.domains
        + w.urgency * URGENCY_LEVELS[c.urgency]
    )
    return static - w.waiting_days * c.waiting_since.toordinal()


def sort_key(c: Candidate, w: Weights) -> tuple:
    """Ascending sort puts the first family first (the index in 0002 has the same order)."""
    return (
        -rank_key(c, w),
        c.waiting_since,
        -CONCERN_LEVELS[c.concern],
        -c.domains,
        -URGENCY_LEVELS[c.urgency],
        str(c.id),
    )


def rank(candidates: list[Candidate], w: Weights) -> list[Candidate]:
    return sorted(candidates, key=lambda c: sort_key(c, w))


def days_waiting(c: Candidate, today: dt.date) -> int:
    return max((today - c.waiting_since).days, 0)


def score(c: Candidate, w: Weights, today: dt.date) -> float:
    return (
        w.waiting_days * days_waiting(c, today)
        + w.concern * CONCERN_LEVELS[c.concern]
        + w.multiproblem * c.domains
        + w.urgency * URGENCY_LEVELS[c.urgency]
    )


def _num(x: float) -> str:
    return number_text(x)


def _points(x: float) -> str:
    return count_text(x, "punt", "punten")


def explain(c: Candidate, w: Weights, today: dt.date, position: int | None = None) -> dict:
    """Why this place: every factor with its value, weight and points, and a sentence."""
    days = days_waiting(c, today)
    parts = [
        {
            "factor": "waiting_days",
            "value": days,
            "weight": w.waiting_days,
            "points": w.waiting_days * days,
            "label": f"wacht {count_text(days, 'dag', 'dagen')}",
        },
        {
            "factor": "concern",
            "value": CONCERN_LEVELS[c.concern],
            "weight": w.concern,
            "points": w.concern * CONCERN_LEVELS[c.concern],
            "label": f"{CONCERN_LABELS[c.concern]} zorg",
        },
        {
            "factor": "multiproblem",
            "value": c.domains,
            "weight": w.multiproblem,
            "points": w.multiproblem * c.domains,
            "label": f"{count_text(c.domains, 'levensdomein', 'levensdomeinen')} onder druk",
        },
        {
            "factor": "urgency",
            "value": URGENCY_LEVELS[c.urgency],
            "weight": w.urgency,
            "points": w.urgency * URGENCY_LEVELS[c.urgency],
            "label": URGENCY_LABELS[c.urgency],
        },
    ]
    total = sum(p["points"] for p in parts)
    sentence = "; ".join(
        f"{p['label']} ({_num(p['value'])} × {_num(p['weight'])} = {_points(p['points'])})"
        for p in parts
    )
    where = f"Plaats {position}: " if position is not None else ""
    return {
        "position": position,
        "score": total,
        "components": parts,
        "text": f"{where}{sentence}. Samen {_points(total)}; bij gelijke punten gaat wie"
        " het langst wacht voor.",
    }
