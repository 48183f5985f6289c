"""One family, one record: what a referral adds to a known family's record, likely
duplicates; and the bounds of a journal line."""

import datetime as dt

import pytest
from marshmallow import ValidationError

from cases.domain.families import likely_duplicates, merged_contact, merged_household, similar
from verband_common.schemas.cases import JournalEntryInput


def key(child) -> str:
    return f"{' '.join(child['first_name'].casefold().split())}:{child['birth_date']}"


def test_a_new_referral_adds_children_and_carers_the_record_did_not_know():
    old = {
        "carers": [{"name": "Mieke Janssens"}],
        "children": [{"first_name": "Lotte", "birth_date": "2019-03-01"}],
    }
    new = {
        "carers": [{"name": " mieke  janssens"}, {"name": "Karim"}],
        "children": [
            {"first_name": "LOTTE", "birth_date": "2019-03-01"},
            {"first_name": "Noor", "birth_date": "2024-01-05"},
        ],
    }
    merged = merged_household(old, new, key)
    assert merged["carers"] == [{"name": "Mieke Janssens"}, {"name": "Karim"}]
    assert [c["first_name"] for c in merged["children"]] == ["Lotte", "Noor"]
    assert merged_household(old, old, key) == old


def test_the_newest_contact_data_wins_field_by_field():
    old = {"phone": "09 123 45 67", "email": "mieke@example.org", "address": None}
    new = {"phone": "0470 12 34 56", "email": None, "address": ""}
    assert merged_contact(old, new) == {**old, "phone": "0470 12 34 56"}


def test_likely_duplicates_share_a_birth_date_and_a_similar_first_name():
    assert similar("Lotte", "lote") and similar("Mohamed", "Mohammed")
    assert not similar("Lotte", "Lisa") and not similar("", "")
    families = [
        {
            "id": "a",
            "household": {"children": [{"first_name": "Lotte", "birth_date": "2019-03-01"}]},
        },
        {
            "id": "b",
            "household": {"children": [{"first_name": "Lote", "birth_date": "2019-03-01"}]},
        },
        {
            "id": "c",
            "household": {"children": [{"first_name": "Lisa", "birth_date": "2019-03-01"}]},
        },
        {
            "id": "d",
            "household": {"children": [{"first_name": "Lotte", "birth_date": "2019-03-02"}]},
        },
    ]
    assert likely_duplicates(families) == [
        {"family_ids": ["a", "b"], "birth_date": "2019-03-01", "names": ["Lote", "Lotte"]}
    ]


def at(**ago) -> str:
    return (dt.datetime.now(dt.UTC) - dt.timedelta(**ago)).isoformat()


@pytest.mark.parametrize(
    "occurred_at, ok",
    [
        (at(minutes=1), True),
        (at(days=365), True),
        (at(minutes=-2), True),  # a device clock a little ahead
        (at(hours=-1), False),
        (at(days=367), False),
        ("2026-01-01T10:00:00", False),  # no time zone: which hour was it?
    ],
)
def test_a_journal_line_is_dated_not_in_the_future_and_not_long_ago(occurred_at, ok):
    line = {"occurred_at": occurred_at, "kind": "note", "text": "Notitie."}
    if ok:
        assert JournalEntryInput().load(line)["corrects_id"] is None
    else:
        with pytest.raises(ValidationError) as refused:
            JournalEntryInput().load(line)
        assert set(refused.value.messages) == {"occurred_at"}
