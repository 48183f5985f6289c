"""One family, one record within a network. A referral of a child the network knows already
(the same keyed fingerprint, `child_key`) joins that family's record, so the family keeps one
plan, one contact point and one history; what the new referral adds is merged in, nothing
the record held is lost. Families of another network are never matched: the fingerprint is
keyed per network.

The coordinator also sees likely duplicates: records that the fingerprint did not join
because a name was typed differently (same birth date, similar first name)."""

from difflib import SequenceMatcher
from itertools import combinations

# How alike two first names must be (difflib's ratio, 0..1) to call two records likely the
# same family: "Lotte"/"Lote" and "Mohamed"/"Mohammed" are, "Lotte"/"Lisa" is not.
SIMILAR_NAME = 0.8
MAX_DUPLICATES = 100


def normal(name: str) -> str:
    return " ".join((name or "").casefold().split())


def merged_household(old: dict, new: dict, key_of) -> dict:
    """The record's household with what a new referral adds: children not known yet (by
    `key_of(child)`, the fingerprint) and carers not named yet. Order: the record's first."""
    known = {key_of(c) for c in old.get("children", [])}
    children = list(old.get("children", []))
    for child in new.get("children", []):
        key = key_of(child)
        if key not in known:
            known.add(key)
            children.append(child)
    names = {normal(c["name"]) for c in old.get("carers", [])}
    carers = list(old.get("carers", []))
    for carer in new.get("carers", []):
        if normal(carer["name"]) not in names:
            names.add(normal(carer["name"]))
            carers.append(carer)
    return {**old, "carers": carers, "children": children}


def merged_contact(old: dict, new: dict) -> dict:
    """The newest contact data the referrer gave wins, field by field; a field left empty
    keeps what the record knew."""
    return {**(old or {}), **{k: v for k, v in (new or {}).items() if v not in (None, "")}}


def similar(a: str, b: str) -> bool:
    a, b = normal(a), normal(b)
    return bool(a and b) and (a == b or SequenceMatcher(None, a, b).ratio() >= SIMILAR_NAME)


def likely_duplicates(families: list[dict]) -> list[dict]:
    """Pairs of records that are likely one family: a child with the same birth date and a
    similar first name in both. `families`: {"id", "household"} each. At most MAX_DUPLICATES
    pairs, in a stable order."""
    by_birth: dict[str, list[tuple[str, str]]] = {}
    for f in families:
        for child in f["household"].get("children", []):
            born = str(child.get("birth_date") or "")
            if born:
                by_birth.setdefault(born, []).append((str(f["id"]), child.get("first_name", "")))
    pairs: dict[tuple[str, str], dict] = {}
    for born in sorted(by_birth):
        for (fa, na), (fb, nb) in combinations(by_birth[born], 2):
            if fa == fb or not similar(na, nb):
                continue
            key = tuple(sorted((fa, fb)))
            pairs.setdefault(key, {"family_ids": list(key), "birth_date": born, "names": []})
            pairs[key]["names"] = sorted({*pairs[key]["names"], na, nb})
    return [pairs[k] for k in sorted(pairs)][:MAX_DUPLICATES]


def merged_records(keep: dict, merge: dict, key_of) -> tuple[dict, list, list]:
    """The kept record's household when the coordinator merges another record of the same
    family into it: its children and carers first, then those of the other record it does not
    hold yet. A child counts as held by its fingerprint, or by the same birth date and a
    similar first name (the typing difference that kept the two records apart). Returns the
    household and the children and carers it added, so an undo can take exactly those out."""
    held = [(str(c.get("birth_date")), c.get("first_name", "")) for c in keep.get("children", [])]
    known = {key_of(c) for c in keep.get("children", [])}
    added_children = []
    for child in merge.get("children", []):
        born, name = str(child.get("birth_date")), child.get("first_name", "")
        if key_of(child) in known or any(b == born and similar(n, name) for b, n in held):
            continue
        known.add(key_of(child))
        held.append((born, name))
        added_children.append(child)
    names = {normal(c["name"]) for c in keep.get("carers", [])}
    added_carers = []
    for carer in merge.get("carers", []):
        if normal(carer["name"]) not in names:
            names.add(normal(carer["name"]))
            added_carers.append(carer)
    household = {
        **keep,
        "carers": [*keep.get("carers", []), *added_carers],
        "children": [*keep.get("children", []), *added_children],
    }
    return household, added_children, added_carers


def unmerged_household(household: dict, added_children: list, added_carers: list) -> dict:
    """The kept record's household without what a merge added (the undo); what came since by
    a new referral stays."""

    def without(items: list, taken: list) -> list:
        left = list(taken)
        kept = []
        for item in items:
            if item in left:
                left.remove(item)
            else:
                kept.append(item)
        return kept

    return {
        **household,
        "carers": without(household.get("carers", []), added_carers),
        "children": without(household.get("children", []), added_children),
    }
