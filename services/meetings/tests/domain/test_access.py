"""Who may do what: network roles from partners' events, seats in a body."""

import uuid

from meetings.domain.access import (
    Principal,
    can_lead,
    can_manage_documents,
    can_organise,
    is_secretary,
    seat_of,
    sees_body,
    sees_meeting,
)

NETWORK, OTHER = str(uuid.uuid4()), str(uuid.uuid4())
CHAIR, DELEGATE, COORDINATOR = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
MEMBERS = [
    {"id": 1, "person_id": CHAIR, "delegate_id": None, "role": "chair", "active": True},
    {"id": 2, "person_id": None, "delegate_id": DELEGATE, "role": "secretary", "active": True},
    {"id": 3, "person_id": COORDINATOR, "delegate_id": None, "role": "adviser", "active": False},
]


def test_a_delegate_sits_for_the_organisation():
    p = Principal(DELEGATE, {NETWORK: {"partner_worker"}})
    assert seat_of(p, MEMBERS)["id"] == 2
    assert is_secretary(p, MEMBERS) and can_lead(p, NETWORK, MEMBERS)


def test_a_seat_given_up_counts_no_more():
    p = Principal(COORDINATOR, {NETWORK: {"coordinator"}})
    assert seat_of(p, MEMBERS) is None
    assert can_organise(p, NETWORK) and not can_organise(p, OTHER)


def test_roles_are_per_network_and_tokens_have_no_seat():
    p = Principal(CHAIR, {NETWORK: {"partner_worker"}})
    assert p.in_network(NETWORK) and not p.in_network(OTHER)
    assert not can_organise(p, NETWORK)
    assert seat_of(Principal(None, {}), MEMBERS) is None


def test_documents_are_for_seats_guests_and_organisers_only():
    outsider = Principal(uuid.uuid4(), {NETWORK: {"referrer"}})
    assert not sees_meeting(outsider, NETWORK, MEMBERS, guest=False)
    assert sees_meeting(outsider, NETWORK, MEMBERS, guest=True)
    assert not can_manage_documents(outsider, NETWORK, MEMBERS)
    delegate = Principal(DELEGATE, {NETWORK: {"partner_worker"}})
    assert sees_meeting(delegate, NETWORK, MEMBERS, guest=False)
    assert can_manage_documents(delegate, NETWORK, MEMBERS)  # the secretary's seat
    # an organiser of the network, though their seat was given up; not in another network
    organiser = Principal(COORDINATOR, {NETWORK: {"coordinator"}})
    assert sees_meeting(organiser, NETWORK, MEMBERS, guest=False)
    assert can_manage_documents(organiser, NETWORK, MEMBERS)
    assert not sees_meeting(organiser, OTHER, [], guest=False)


def test_a_body_is_for_its_members_and_organisers_a_meeting_also_for_its_guests():
    outsider = Principal(uuid.uuid4(), {NETWORK: {"referrer", "case_manager"}})
    assert not sees_body(outsider, NETWORK, MEMBERS)
    assert sees_meeting(outsider, NETWORK, MEMBERS, guest=True)
    # a seat given up is no seat; an organiser sees the body all the same
    assert not sees_body(Principal(COORDINATOR, {NETWORK: {"partner_worker"}}), NETWORK, MEMBERS)
    assert sees_body(Principal(COORDINATOR, {NETWORK: {"secretary"}}), NETWORK, MEMBERS)
    assert sees_body(Principal(DELEGATE, {NETWORK: {"partner_worker"}}), NETWORK, MEMBERS)


def test_a_guest_is_let_into_the_meetings_and_works_in_nothing_else():
    """The guest role (someone from outside the network) passes the network check of the
    meetings, where each body and meeting decides; the library, vorming and the network's
    people are for those who work in or watch the network."""
    guest = Principal(person_id=uuid.uuid4(), roles={NETWORK: frozenset({"guest"})})
    assert guest.in_network(NETWORK) and not guest.works_in(NETWORK)
    assert not sees_body(guest, NETWORK, MEMBERS)
    assert not can_organise(guest, NETWORK)
    assert not sees_meeting(guest, NETWORK, MEMBERS, guest=False)
    assert sees_meeting(guest, NETWORK, MEMBERS, guest=True)
    assert not can_manage_documents(guest, NETWORK, MEMBERS)
    secretary = Principal(person_id=uuid.uuid4(), roles={NETWORK: frozenset({"secretary"})})
    assert secretary.in_network(NETWORK) and secretary.works_in(NETWORK)
