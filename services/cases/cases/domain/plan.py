"""One support plan per family (wrap-around, 1G1P): goals in the family's own words, per
goal actions with a responsible partner and a due date, the family's own part, review
dates. Every version is kept; `changes` says what differs from the one before."""

import datetime as dt

CLOSING_OUTCOMES = ("goals_reached", "flow_through", "outflow", "dropped_out", "moved_away")


def plan_problems(plan: dict, partners: set, not_before: dt.date) -> dict[str, list[str]]:
    """`partners`: organisation ids that are partners of the case's network now."""
    errors: dict[str, list[str]] = {}
    for g, goal in enumerate(plan["goals"]):
        for a, action in enumerate(goal["actions"]):
            path = f"goals.{g}.actions.{a}"
            if action["responsible_organisation_id"] not in partners:
                errors[f"{path}.responsible_organisation_id"] = [
                    "Deze organisatie is geen partner van dit netwerk."
                ]
            if action["due_on"] < not_before:
                errors[f"{path}.due_on"] = ["Deze datum ligt voor de aanmelding."]
    for r, review in enumerate(plan["review_dates"]):
        if review < not_before:
            errors[f"review_dates.{r}"] = ["Deze datum ligt voor de aanmelding."]
    return errors


def next_review(plan: dict, today: dt.date) -> dt.date | None:
    upcoming = sorted(d for d in plan["review_dates"] if d >= today)
    return upcoming[0] if upcoming else None


def changes(old: dict | None, new: dict) -> list[dict]:
    """What changed, field by field, in terms a reader of the history understands."""
    if old is None:
        return [{"path": "plan", "change": "created"}]
    found = []
    if old.get("family_part") != new.get("family_part"):
        found.append({"path": "family_part", "change": "changed"})
    if sorted(old.get("review_dates", [])) != sorted(new.get("review_dates", [])):
        found.append({"path": "review_dates", "change": "changed"})
    old_goals, new_goals = old.get("goals", []), new.get("goals", [])
    for g in range(max(len(old_goals), len(new_goals))):
        if g >= len(old_goals):
            found.append({"path": f"goals.{g}", "change": "added"})
            continue
        if g >= len(new_goals):
            found.append({"path": f"goals.{g}", "change": "removed"})
            continue
        before, after = old_goals[g], new_goals[g]
        if before["text"] != after["text"]:
            found.append({"path": f"goals.{g}.text", "change": "changed"})
        b_actions, a_actions = before["actions"], after["actions"]
        for a in range(max(len(b_actions), len(a_actions))):
            path = f"goals.{g}.actions.{a}"
            if a >= len(b_actions):
                found.append({"path": path, "change": "added"})
            elif a >= len(a_actions):
                found.append({"path": path, "change": "removed"})
            elif b_actions[a] != a_actions[a]:
                fields = sorted(k for k in a_actions[a] if a_actions[a][k] != b_actions[a].get(k))
                found.append({"path": path, "change": "changed", "fields": fields})
    return found


def counts(plan: dict) -> tuple[int, int]:
    return len(plan["goals"]), sum(len(g["actions"]) for g in plan["goals"])
