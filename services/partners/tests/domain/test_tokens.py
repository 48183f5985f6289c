"""API tokens: lifetime, the role they may carry, and that they stand only while backed."""

import datetime as dt
import uuid

from hypothesis import given
from hypothesis import strategies as st

from partners.domain import tokens
from partners.domain.access import Principal
from verband_common.contracts.partners import ROLES

A, B = uuid.uuid4(), uuid.uuid4()
NOW = dt.datetime(2026, 12, 3, 9, 0, tzinfo=dt.UTC)
role_sets = st.frozensets(st.sampled_from(ROLES))


def person(roles_a=frozenset(), **kw) -> Principal:
    return Principal(
        actor="person:x", person_id=uuid.uuid4(), roles={A: roles_a} if roles_a else {}, **kw
    )


@given(held=role_sets, role=st.sampled_from(ROLES))
def test_a_token_carries_no_more_than_its_issuer_holds(held, role):
    p = person(held)
    allowed = tokens.may_issue(p, A, role)
    # A guest token would open nothing (meetings knows no token): none is issued.
    assert allowed == (role != "guest" and (role in held or "network_admin" in held))
    # never in a network the issuer holds no role in
    assert not tokens.may_issue(p, B, role)


def test_a_coordinator_issues_no_admin_token_and_a_token_issues_none():
    assert not tokens.may_issue(person({"coordinator"}), A, "network_admin")
    assert tokens.may_issue(person({"coordinator"}), A, "coordinator")
    assert tokens.may_issue(person({"network_admin"}), A, "referrer")
    assert tokens.may_issue(person(platform_admin=True), A, "network_admin")
    bearer = Principal(actor="token:x", person_id=None, roles={A: frozenset({"network_admin"})})
    assert not tokens.may_issue(bearer, A, "referrer")
    assert not tokens.may_manage(bearer, A, None)


def test_the_issuer_and_the_network_admin_manage_a_token():
    issuer = person({"referrer"})
    assert tokens.may_manage(issuer, A, issuer.person_id)
    assert not tokens.may_manage(person({"coordinator"}), A, issuer.person_id)
    assert tokens.may_manage(person({"network_admin"}), A, issuer.person_id)
    assert not tokens.may_manage(person({"network_admin"}), B, issuer.person_id)
    assert tokens.may_manage(person(platform_admin=True), B, issuer.person_id)


@given(days=st.integers(min_value=1, max_value=400), ask=st.integers(-(10**7), 10**8))
def test_every_token_expires_within_the_maximum(days, ask):
    requested = NOW + dt.timedelta(seconds=ask)
    expires, problem = tokens.expiry(requested, NOW, days)
    longest = NOW + dt.timedelta(days=days)
    if problem is None:
        assert NOW < expires <= longest
    else:
        assert expires is None
        assert requested <= NOW or requested > longest
    default, none = tokens.expiry(None, NOW, days)
    assert none is None and default == longest


def row(**kw) -> dict:
    base = {
        "role": "referrer",
        "revoked_at": None,
        "expires_at": NOW + dt.timedelta(days=1),
        "issuer_exists": True,
        "issuer_platform_admin": False,
        "issuer_roles": ["referrer"],
    }
    return {**base, **kw}


def test_a_token_stands_only_while_unexpired_unrevoked_and_backed():
    assert tokens.state(row(), NOW) == tokens.ACTIVE
    assert tokens.state(row(issuer_roles=["network_admin"]), NOW) == tokens.ACTIVE
    assert tokens.state(row(expires_at=NOW), NOW) == tokens.EXPIRED
    assert tokens.state(row(revoked_at=NOW), NOW) == tokens.REVOKED
    # the role that backed it was revoked (or granted again only after the issue)
    assert tokens.state(row(issuer_roles=[]), NOW) == tokens.ISSUER_GONE
    assert tokens.state(row(issuer_roles=["coordinator"]), NOW) == tokens.ISSUER_GONE
    assert tokens.state(row(issuer_exists=False), NOW) == tokens.ISSUER_GONE
    assert tokens.state(row(issuer_roles=[], issuer_platform_admin=True), NOW) == tokens.ACTIVE
