"""Gaps (lacunes) in a network's offer: places and kinds of help nobody offers, and offers
that are full while families wait."""

from partners.domain.municipalities import name_of

# "other" is no kind of help one can miss.
GAP_KINDS = (
    "family_coaching",
    "first_line_psychology",
    "parenting_course",
    "group_offer",
    "consultation",
    "home_guidance",
)


def uncovered(municipalities, offers, kinds=GAP_KINDS) -> list[dict]:
    """Every (municipality, kind) of the network with no active offer of that kind there."""
    covered = {
        (m, o["kind"]) for o in offers if o["status"] == "active" for m in o["municipalities"]
    }
    return [
        {"municipality": m, "municipality_name": name_of(m), "kind": k}
        for m in sorted(set(municipalities))
        for k in kinds
        if (m, k) not in covered
    ]


def full_with_waiting(offers, waiting: dict) -> list[dict]:
    """Active offers without a free place that keep a waiting list, with how many wait
    (`waiting`: offer id -> count; offers the waiting list has not reported wait 0)."""
    return [
        {"offer_id": o["id"], "title": o["title"], "waiting": int(waiting.get(o["id"], 0))}
        for o in sorted(offers, key=lambda o: o["title"])
        if o["status"] == "active" and o["free_places"] == 0 and o["warm_waiting_list"]
    ]


def gaps(municipalities, offers, waiting: dict | None = None) -> dict:
    return {
        "uncovered": uncovered(municipalities, offers),
        "full_with_waiting": full_with_waiting(offers, waiting or {}),
    }
