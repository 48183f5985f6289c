"""Merging two records of one family: what the kept record's household gains, and that an
undo takes exactly that out again."""

from hypothesis import given
from hypothesis import strategies as st

from cases.domain.families import merged_records, unmerged_household


def key(child) -> str:
    return f"{' '.join(child['first_name'].casefold().split())}:{child['birth_date']}"


def test_a_merge_adds_what_the_kept_record_lacks_and_a_typo_is_one_child():
    keep = {
        "carers": [{"name": "Mieke Janssens"}],
        "children": [{"first_name": "Lotte", "birth_date": "2019-03-01"}],
        "notes": "kept",
    }
    other = {
        "carers": [{"name": "mieke janssens"}, {"name": "Karim"}],
        "children": [
            {"first_name": "Lote", "birth_date": "2019-03-01"},
            {"first_name": "Lotte", "birth_date": "2020-03-01"},
            {"first_name": "Noor", "birth_date": "2024-01-05"},
        ],
    }
    household, children, carers = merged_records(keep, other, key)
    assert carers == [{"name": "Karim"}]
    assert [(c["first_name"], c["birth_date"]) for c in household["children"]] == [
        ("Lotte", "2019-03-01"),
        ("Lotte", "2020-03-01"),
        ("Noor", "2024-01-05"),
    ]
    assert household["notes"] == "kept" and children == household["children"][1:]
    assert unmerged_household(household, children, carers) == keep


names = st.sampled_from(["Lotte", "Lote", "Jens", "Noor", "Mira", "Karim", "An"])
born = st.sampled_from(["2019-03-01", "2020-03-01", "2024-01-05"])
children = st.lists(st.fixed_dictionaries({"first_name": names, "birth_date": born}), max_size=4)
carers = st.lists(st.fixed_dictionaries({"name": names}), max_size=3)


@given(children, carers, children, carers)
def test_an_undo_gives_back_the_kept_household_exactly(kept_kids, kept_carers, kids, others):
    keep = {"carers": kept_carers, "children": kept_kids}
    household, added_children, added_carers = merged_records(
        keep, {"carers": others, "children": kids}, key
    )
    assert household["children"][: len(kept_kids)] == kept_kids
    assert unmerged_household(household, added_children, added_carers) == keep
