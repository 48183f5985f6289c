"""The cases service decides with the platform's declared role rules (verband_common.roles),
the sets the gateway's coarse check uses too: each decision, role by role, is the rule."""

import pytest

from cases.domain.access import Principal, can_audit, can_coordinate, can_read_offer_list, can_refer
from verband_common import roles as rules

NET = "n1"
ORG = "o1"


def holding(role: str) -> Principal:
    return Principal(person_id="p1", roles={NET: frozenset({role})}, organisations={NET: ORG})


@pytest.mark.parametrize("role", rules.ROLES)
def test_each_decision_follows_the_declared_rule(role):
    p = holding(role)
    assert can_refer(p, NET) == (role in rules.REFERRERS)
    assert can_coordinate(p, NET) == (role in rules.CASE_COORDINATORS)
    assert can_audit(p, NET) == (role in rules.CASE_AUDITORS)
    # Their own organisation's offer: the coordinator and its workers read the list.
    assert can_read_offer_list(p, NET, ORG) == (role in rules.WAITING_LIST_READERS)


def test_everyone_working_with_families_refers_oversight_and_secretariat_do_not():
    for role in ("family_coach", "first_line_psychologist", "partner_worker", "case_manager"):
        assert can_refer(holding(role), NET)
    for role in ("iroj_viewer", "secretary"):
        assert not can_refer(holding(role), NET)


def test_a_guest_of_one_meeting_is_no_one_of_the_network_for_families():
    guest = holding("guest")
    assert not guest.in_network(NET)
    assert not can_refer(guest, NET) and not can_coordinate(guest, NET)
    assert not can_read_offer_list(guest, NET, ORG)
