"""The warm waiting list's default weights, in one home: partners stores them as a new
network's settings, cases ranks with them where a network set none, and the settings page
shows them with the reasoning below.

The source (warm wachtlijstbeheer, 1G1P Asse-Meise-Vilvoorde; see DESIGN.md) asks for "the
longest waiting and the most worrying first", with specific attention to multiproblem
families, and for care requests to be picked up within about a month. Both aims only hold
together if worry can overtake a few weeks of waiting: with a day of waiting as the unit,
the weights below make a family of serious concern (level 2 x 22 = 44 points) go ahead of a
family of no concern that has waited up to six weeks longer (42 days), and a family of some
concern (22 points) ahead of one that waited up to three weeks longer. A family still climbs
one point a day, so no family waits forever behind newer, more worrying ones: after about
six weeks extra, waiting wins again. Each life domain under pressure counts like a week,
an urgent situation like two weeks (urgent and dangerous ones follow the crisis point's
agreements anyway). The earlier defaults (concern 1, i.e. serious concern worth two days)
let a family of serious concern fall behind anyone referred three days earlier.
"""

DEFAULT_WAITING_WEIGHTS = {
    "waiting_days": 1.0,
    "concern": 22.0,
    "multiproblem": 7.0,
    "urgency": 14.0,
}
# The weights a network sets itself (partners' WaitingWeights); urgency keeps its default.
NETWORK_WAITING_WEIGHTS = ("waiting_days", "concern", "multiproblem")

# Shown beside the weights on the network settings page (nl-BE).
DEFAULT_WEIGHTS_REASONING = (
    "Eén dag wachten telt als 1 punt. Met de standaardgewichten (zorgen 22, meervoudige"
    " problematiek 7) gaat een gezin met ernstige zorgen (2 × 22 = 44 punten) vóór een gezin"
    " zonder zorgen dat tot zes weken langer wacht, en een gezin met enige zorgen vóór een"
    " gezin dat tot drie weken langer wacht. Elk levensdomein onder druk telt als een week."
    " Wie langer wacht, stijgt elke dag: na die weken gaat de wachttijd weer voor, zodat"
    " niemand blijft wachten. Zo gaan de meest zorgwekkende en de langst wachtende gezinnen"
    " voor, zoals het warm wachtlijstbeheer vraagt."
)
