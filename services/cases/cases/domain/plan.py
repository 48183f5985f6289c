"""One support plan per family (wrap-around, 1G1P): goals in the family's own words, per
goal actions with a responsible partner, a due date and a status (planned, running, done,
dropped), the family's own part, review dates. Every version is kept; `changes` says what
differs from the one before."""

import datetime as dt

# A due date or review date further ahead than this is a typing error, not a plan.
MAX_AHEAD_DAYS = 5 * 365

# What a version written before actions had a status means: nothing has changed there.
UNSET_ACTION = {"status": "planned"}

CLOSING_OUTCOMES = ("goals_reached", "flow_through", "outflow", "dropped_out", "moved_away")


def plan_problems(
    plan: dict,
    partners: set,
    not_before: dt.date,
    today: dt.date | None = None,
    kept: frozenset = frozenset(),
) -> dict[str, list[str]]:
    """`partners`: organisation ids that are partners of the case's network now; `kept`: the
    review dates of the current version. A review date set now is not in the past (one that
    was set earlier stays, as the record of a review that was planned)."""
    errors: dict[str, list[str]] = {}
    today = today or dt.date.today()
    not_after = today + dt.timedelta(days=MAX_AHEAD_DAYS)
    too_far = "Deze datum ligt te ver: hoogstens vijf jaar vooruit."
    for g, goal in enumerate(plan["goals"]):
        for a, action in enumerate(goal["actions"]):
            path = f"goals.{g}.actions.{a}"
            if action["responsible_organisation_id"] not in partners:
                errors[f"{path}.responsible_organisation_id"] = [
                    "Deze organisatie is geen partner van dit netwerk."
                ]
            if action["due_on"] < not_before:
                errors[f"{path}.due_on"] = ["Deze datum ligt voor de aanmelding."]
            elif action["due_on"] > not_after:
                errors[f"{path}.due_on"] = [too_far]
    for r, review in enumerate(plan["review_dates"]):
        if review < not_before:
            errors[f"review_dates.{r}"] = ["Deze datum ligt voor de aanmelding."]
        elif review < today and review not in kept:
            errors[f"review_dates.{r}"] = ["Een nieuwe evaluatiedatum ligt niet in het verleden."]
        elif review > not_after:
            errors[f"review_dates.{r}"] = [too_far]
    return errors


def with_action_status(plan: dict, goal: int, action: int, status: str) -> dict | None:
    """The plan with one action's status changed, as the next version; None when that action
    does not exist. A status change is a version like any other, so the history shows who
    marked what done, and when, and no earlier version is ever overwritten."""
    goals = plan.get("goals", [])
    if goal >= len(goals) or action >= len(goals[goal].get("actions", [])):
        return None
    new = {**plan, "goals": [dict(g, actions=list(g["actions"])) for g in goals]}
    new["goals"][goal]["actions"][action] = {
        **new["goals"][goal]["actions"][action],
        "status": status,
    }
    return new


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
            elif {**UNSET_ACTION, **b_actions[a]} != {**UNSET_ACTION, **a_actions[a]}:
                b = {**UNSET_ACTION, **b_actions[a]}
                fields = sorted(k for k in a_actions[a] if a_actions[a][k] != b.get(k))
                found.append({"path": path, "change": "changed", "fields": fields})
    return found


def counts(plan: dict) -> tuple[int, int]:
    return len(plan["goals"]), sum(len(g["actions"]) for g in plan["goals"])
