"""Who keeps an organisation: its own admins, the platform admin, and the one network that
alone uses it; nobody links it to a network without its consent."""

import uuid

from hypothesis import given
from hypothesis import strategies as st

from partners.domain import organisations as rules
from partners.domain.access import Principal
from verband_common.contracts.partners import ROLES

A, B, C = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
ORG = uuid.uuid4()
FIELDS = ("name", "kbo", "sector", "municipalities", "contact", "profile")

role_sets = st.frozensets(st.sampled_from(ROLES))
networks = st.sampled_from([None, A, B, C])
user_sets = st.frozensets(st.sampled_from([A, B, C]))


def person(roles=None, **kw) -> Principal:
    return Principal(actor="person:x", person_id=uuid.uuid4(), roles=roles or {}, **kw)


def token(network, role) -> Principal:
    return Principal(actor="token:x", person_id=None, roles={network: frozenset({role})})


@given(roles_a=role_sets, roles_b=role_sets, registered=networks, users=user_sets)
def test_no_network_role_changes_an_organisation_another_network_also_uses(
    roles_a, roles_b, registered, users
):
    """A manager of A (or of A and B) changes it only when A (or B) is its one user/keeper."""
    p = person({n: r for n, r in ((A, roles_a), (B, roles_b)) if r})
    allowed = rules.may_change(p, ORG, registered, set(users), {"name"})
    if len(users) > 1:
        assert not allowed
    if allowed:
        (keeper,) = rules.keeping_networks(p, registered, set(users))
        assert set(users) <= {keeper}


def test_a_manager_of_the_one_network_that_uses_it_keeps_it():
    coordinator = person({A: frozenset({"coordinator"})})
    assert rules.may_change(coordinator, ORG, A, {A}, set(FIELDS))
    assert rules.may_change(coordinator, ORG, None, {A}, {"name"})
    # registered by A, no network uses it yet: A keeps it
    assert rules.may_change(coordinator, ORG, A, set(), {"name"})
    # registered by A, but B uses it too (or only B): not A's to change
    assert not rules.may_change(coordinator, ORG, A, {A, B}, {"name"})
    assert not rules.may_change(coordinator, ORG, A, {B}, {"name"})
    # registered by nobody (the platform admin), used by nobody: nobody's but its admins'
    assert not rules.may_change(coordinator, ORG, None, set(), {"name"})
    referrer = person({A: frozenset({"referrer"})})
    assert not rules.may_change(referrer, ORG, A, {A}, {"name"})


@given(users=user_sets, registered=networks, changed=st.sets(st.sampled_from(FIELDS), min_size=1))
def test_its_own_admins_and_the_platform_admin_always_change_it(users, registered, changed):
    admin_of_org = person(administers=frozenset({ORG}))
    assert rules.may_change(admin_of_org, ORG, registered, set(users), changed)
    assert not rules.may_change(
        person(administers=frozenset({uuid.uuid4()})), ORG, registered, set(users), changed
    )
    assert rules.may_change(person(platform_admin=True), ORG, registered, set(users), changed)


def test_a_partner_worker_edits_the_profile_of_their_own_organisation_while_one_network_uses_it():
    worker = person({A: frozenset({"partner_worker"})}, organisation_id=ORG)
    assert rules.may_change(worker, ORG, A, {A}, {"profile"})
    assert not rules.may_change(worker, ORG, A, {A}, {"profile", "kbo"})
    assert not rules.may_change(worker, uuid.uuid4(), A, {A}, {"profile"})
    # shared: only its admins (a network could otherwise rewrite it through a person it made)
    assert not rules.may_change(worker, ORG, A, {A, B}, {"profile"})


@given(roles_a=role_sets, registered=networks, users=user_sets)
def test_a_network_links_directly_only_what_it_alone_keeps(roles_a, registered, users):
    p = person({A: roles_a} if roles_a else {})
    direct = rules.may_link_directly(p, A, registered, set(users))
    expected = bool(roles_a & {"network_admin", "coordinator"}) and (
        set(users) <= {A} and (A in users or registered == A)
    )
    assert direct == expected
    assert rules.may_link_directly(person(platform_admin=True), A, registered, set(users))


@given(roles_a=role_sets, registered=networks, users=user_sets)
def test_link_requests_are_decided_by_the_organisation_alone(roles_a, registered, users):
    assert not rules.may_decide_links(person({A: roles_a} if roles_a else {}), ORG)
    assert rules.may_decide_links(person(administers=frozenset({ORG})), ORG)
    assert rules.may_decide_links(person(platform_admin=True), ORG)
    assert not rules.may_decide_links(token(A, "network_admin"), ORG)


def test_organisation_admins_are_named_by_the_registering_network_while_it_alone_uses_it():
    admin_a = person({A: frozenset({"network_admin"})})
    assert rules.may_name_admins(admin_a, ORG, A, {A})
    assert rules.may_name_admins(admin_a, ORG, A, set())
    assert not rules.may_name_admins(admin_a, ORG, A, {A, B})
    assert not rules.may_name_admins(admin_a, ORG, B, {A})
    assert not rules.may_name_admins(admin_a, ORG, None, {A})
    assert not rules.may_name_admins(person({A: frozenset({"coordinator"})}), ORG, A, {A})
    assert rules.may_name_admins(person(administers=frozenset({ORG})), ORG, B, {A, B})
    assert rules.may_name_admins(person(platform_admin=True), ORG, None, {A, B})
    assert not rules.may_name_admins(token(A, "network_admin"), ORG, A, {A})
