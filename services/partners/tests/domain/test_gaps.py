"""Gaps: municipality x kind with no active offer, and full offers with a waiting list."""

import uuid

from hypothesis import given
from hypothesis import strategies as st

from partners.domain import gaps
from partners.domain.municipalities import MUNICIPALITIES

codes = st.sampled_from(sorted(MUNICIPALITIES)[:12])
offers = st.lists(
    st.fixed_dictionaries(
        {
            "id": st.uuids(),
            "title": st.text(min_size=1, max_size=10),
            "kind": st.sampled_from(gaps.GAP_KINDS + ("other",)),
            "status": st.sampled_from(("active", "paused", "ended")),
            "municipalities": st.lists(codes, min_size=1, max_size=4),
            "capacity": st.integers(0, 5),
            "free_places": st.integers(0, 5),
            "warm_waiting_list": st.booleans(),
        }
    ),
    max_size=8,
)


@given(st.lists(codes, max_size=8), offers)
def test_a_pair_is_a_gap_exactly_when_no_active_offer_covers_it(municipalities, offer_list):
    found = {(g["municipality"], g["kind"]) for g in gaps.uncovered(municipalities, offer_list)}
    for m in set(municipalities):
        for kind in gaps.GAP_KINDS:
            covered = any(
                o["status"] == "active" and o["kind"] == kind and m in o["municipalities"]
                for o in offer_list
            )
            assert ((m, kind) in found) == (not covered)
    assert all(m in municipalities for m, _ in found)


@given(st.lists(codes, max_size=8), offers)
def test_adding_an_active_offer_never_adds_a_gap(municipalities, offer_list):
    before = gaps.uncovered(municipalities, offer_list)
    extra = {
        "id": uuid.uuid4(),
        "title": "x",
        "kind": "family_coaching",
        "status": "active",
        "municipalities": municipalities[:1] or ["23002"],
    }
    after = gaps.uncovered(municipalities, [*offer_list, extra])
    assert all(g in before for g in after)


def test_a_network_without_offer_lacks_every_kind_everywhere():
    found = gaps.uncovered(["23002", "23050"], [])
    assert len(found) == 2 * len(gaps.GAP_KINDS)
    assert found[0] == {
        "municipality": "23002",
        "municipality_name": "Asse",
        "kind": "family_coaching",
    }


def test_full_offers_with_a_waiting_list_report_how_many_wait():
    full = {"id": 1, "title": "B", "status": "active", "free_places": 0, "warm_waiting_list": True}
    room = {**full, "id": 2, "free_places": 1}
    no_list = {**full, "id": 3, "warm_waiting_list": False}
    paused = {**full, "id": 4, "status": "paused"}
    reported = gaps.full_with_waiting([full, room, no_list, paused], {1: 7})
    assert reported == [{"offer_id": 1, "title": "B", "waiting": 7}]
    # Until the waiting list reports counts, a full offer waits 0.
    assert gaps.full_with_waiting([full], {})[0]["waiting"] == 0
