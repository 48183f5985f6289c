"""Who may read and change what, per network."""

import uuid

from hypothesis import given
from hypothesis import strategies as st

from partners.domain import access
from partners.domain.access import Principal
from verband_common.contracts.partners import ROLES

A, B = uuid.uuid4(), uuid.uuid4()
ORG = uuid.uuid4()

role_sets = st.frozensets(st.sampled_from(ROLES))


def principal(roles_a=frozenset(), roles_b=frozenset(), regions=None, **kw) -> Principal:
    roles = {n: r for n, r in ((A, roles_a), (B, roles_b)) if r}
    return Principal(
        actor="person:x",
        person_id=uuid.uuid4(),
        roles=roles,
        regions=regions or {A: "Limburg", B: "Antwerpen"},
        **kw,
    )


@given(role_sets)
def test_roles_in_one_network_give_nothing_in_another(roles):
    p = principal(roles_a=roles)
    assert not access.can_read_network(p, B)
    assert not access.can_manage(p, B)
    assert not access.can_read_agreements(p, B)
    for role in ROLES:
        assert not access.can_grant(p, B, role)
    assert not access.offer_fields_allowed(p, B, ORG, {"free_places"})


@given(role_sets)
def test_managing_needs_network_admin_or_coordinator(roles):
    p = principal(roles_a=roles)
    assert access.can_manage(p, A) == bool(roles & {"network_admin", "coordinator"})
    # A guest of one meeting reads nothing of the network's partners, people or offer.
    assert access.can_read_network(p, A) == bool(roles - {"guest"})
    assert access.can_read_people(p, A) == bool(roles - {"guest", "iroj_viewer"})


@given(role_sets, st.sampled_from(ROLES))
def test_only_a_network_admin_makes_network_admins(roles, role):
    p = principal(roles_a=roles)
    # Network admins and IROJ viewers (who need no organisation): the network admin's call.
    if role in ("network_admin", "iroj_viewer"):
        assert access.can_grant(p, A, role) == ("network_admin" in roles)
    else:
        assert access.can_grant(p, A, role) == access.can_manage(p, A)


def test_the_platform_admin_may_set_up_any_network():
    p = Principal(actor="person:x", person_id=uuid.uuid4(), platform_admin=True)
    assert access.can_manage(p, A) and access.can_grant(p, B, "network_admin")


def test_offer_is_visible_across_the_region_and_not_beyond():
    p = principal(roles_a={"referrer"}, regions={A: "Limburg"})
    assert access.can_read_offer_of(p, uuid.uuid4(), "Limburg")
    assert not access.can_read_offer_of(p, uuid.uuid4(), "Antwerpen")
    nobody = principal()
    assert not access.can_read_offer_of(nobody, A, "Limburg")


@given(st.sets(st.sampled_from(["free_places", "status", "can_start_from", "title", "capacity"])))
def test_a_partner_worker_changes_availability_of_own_offers_only(changed):
    worker = principal(roles_a={"partner_worker"}, organisation_id=ORG)
    allowed = changed <= {"free_places", "status", "can_start_from"}
    assert access.offer_fields_allowed(worker, A, ORG, changed) == allowed
    assert not access.offer_fields_allowed(worker, A, uuid.uuid4(), changed - {"title"} or {"x"})


def test_iroj_viewers_and_guests_need_no_partner_organisation():
    outside = ("iroj_viewer", "guest")
    assert not any(access.role_needs_membership(r) for r in outside)
    assert all(access.role_needs_membership(r) for r in ROLES if r not in outside)


def test_a_guest_is_granted_by_whoever_manages_the_network():
    """Inviting someone from outside to a meeting is the network's managers' call, as any
    invitation to the network is (not only the network admin's)."""
    assert access.can_grant(principal(roles_a={"coordinator"}), A, "guest")
    assert access.can_grant(principal(roles_a={"network_admin"}), A, "guest")
    for role in ("secretary", "referrer", "guest"):
        assert not access.can_grant(principal(roles_a={role}), A, "guest")


def test_a_guest_sees_no_offer_of_the_region():
    """The region's offer is open to those who work in one of its networks, not to a guest."""
    guest = principal(roles_a={"guest"})
    assert access.regions_of(guest) == set()
    assert not access.can_read_offer_of(guest, B, "Limburg")
    assert access.can_read_offer_of(principal(roles_a={"referrer"}), B, "Limburg")
