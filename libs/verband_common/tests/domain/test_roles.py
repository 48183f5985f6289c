"""The guest role (issue 15): someone from outside the network invited to one of its meetings.
It lets her into the network's meetings (where the meetings service decides per meeting) and
is in no other rule of the platform: no family data, no people, no reports, no library."""

from verband_common import roles as rules
from verband_common.labels import ROLE_LABELS


def test_the_guest_is_a_role_with_a_dutch_name():
    assert rules.GUEST in rules.ROLES
    assert ROLE_LABELS[rules.GUEST] == "Gast bij een vergadering"
    assert set(ROLE_LABELS) == set(rules.ROLES)


def test_the_guest_opens_the_meetings_and_nothing_of_the_network():
    assert rules.GUEST in rules.MEETING_ROLES
    assert rules.NETWORK_ROLES == frozenset(rules.ROLES) - {rules.GUEST}
    others = {
        name: value
        for name, value in vars(rules).items()
        if isinstance(value, frozenset) and name not in ("MEETING_ROLES", "WITHOUT_MEMBERSHIP")
    }
    assert "REFERRERS" in others and "PEOPLE_READERS" in others and "TRAINEES" in others
    for name, allowed in others.items():
        assert rules.GUEST not in allowed, name


def test_a_guest_from_outside_needs_no_organisation_in_the_network():
    assert rules.GUEST in rules.WITHOUT_MEMBERSHIP


def test_only_the_guest_is_left_out_of_the_network_roles():
    """Every role that worked in or watched the network before keeps doing so: the guest
    changes no other role's reach."""
    for role in rules.ROLES:
        assert (role in rules.NETWORK_ROLES) == (role != rules.GUEST)
        assert role in rules.MEETING_ROLES
