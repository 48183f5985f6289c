"""API tokens: they act for one network and one role, expire, are listed and revoked by their
issuer and the network admin, never carry more than the issuer holds, and die at once with the
role that backed them."""

import datetime as dt
import time

import pytest

from partners.service import PartnersService
from verband_common.errors import Forbidden, NotFound, Unauthenticated, ValidationFailed

pytestmark = pytest.mark.service


def network_admin(world, network_id, organisation_id, name="beheer"):
    with world.rpc(world.admin) as rpc:
        person = world.join(
            rpc, network_id, name, f"{name}@verband.test", organisation_id, ["network_admin"]
        )
    return person["actor"], person["person_id"]


def at(iso: str) -> dt.datetime:
    return dt.datetime.fromisoformat(iso)


def tokens_in_db(world) -> int:
    return world.verband.count(world.db, "api_tokens")


def test_a_token_acts_for_its_network_and_role_with_its_expiry_shown(world):
    a = world.network_a
    with world.rpc(world.referrer_a) as rpc:
        issued = rpc.partners.issue_api_token(a, "referrer", "Koppeling OCMW")
    assert issued["token"].startswith("vbt_") and issued["state"] == "active"
    # No lifetime asked: the maximum, 90 days by default.
    lifetime = at(issued["expires_at"]) - at(issued["created_at"])
    assert dt.timedelta(days=89, hours=23) < lifetime <= dt.timedelta(days=90, minutes=1)
    assert issued["issued_by"] == world.referrer_a_id
    with world.rpc(None) as rpc:
        principal = rpc.partners.resolve_session(issued["token"])
    assert principal["actor"] == f"token:{issued['id']}" and not principal["platform_admin"]
    assert principal["token_scope"] == {
        "network_id": a,
        "role": "referrer",
        "expires_at": issued["expires_at"],
    }
    with world.rpc(principal["actor"]) as rpc:
        assert [n["id"] for n in rpc.partners.list_networks()] == [a]
        # another network does not exist for it
        for call, args in (
            ("get_network", (world.network_b,)),
            ("list_organisations", (world.network_b,)),
            ("list_people", (world.network_b,)),
        ):
            with pytest.raises(NotFound):
                getattr(rpc.partners, call)(*args)
        # a token issues, lists and revokes no tokens
        with pytest.raises(Forbidden):
            rpc.partners.issue_api_token(a, "referrer", "Nog een")
        with pytest.raises(Forbidden):
            rpc.partners.list_api_tokens(a)
    assert tokens_in_db(world) == 1
    # Only the hash is stored.
    stored = world.verband.sql(world.db, "SELECT token_hash FROM api_tokens")[0]["token_hash"]
    assert issued["token"].encode() not in bytes(stored)


def test_a_token_never_carries_more_than_its_issuer_holds(world):
    a, b = world.network_a, world.network_b
    with world.rpc(world.coordinator_a) as rpc:
        with pytest.raises(Forbidden):
            rpc.partners.issue_api_token(a, "network_admin", "Volledige toegang")
        with pytest.raises(Forbidden):  # not held, though a coordinator may grant it
            rpc.partners.issue_api_token(a, "referrer", "Toeleiding")
        with pytest.raises(NotFound):
            rpc.partners.issue_api_token(b, "coordinator", "Ander netwerk")
        assert rpc.partners.issue_api_token(a, "coordinator", "Planning")["role"] == "coordinator"
    with world.rpc(world.referrer_a) as rpc:
        with pytest.raises(Forbidden):
            rpc.partners.issue_api_token(a, "coordinator", "Meer dan ik")
    admin_a, _ = network_admin(world, a, world.org_a)
    with world.rpc(admin_a) as rpc:  # a network admin: any role a network admin grants
        assert rpc.partners.issue_api_token(a, "referrer", "Toeleiding")["role"] == "referrer"
        with pytest.raises(NotFound):
            rpc.partners.issue_api_token(b, "referrer", "Ander netwerk")
    assert tokens_in_db(world) == 2


def test_a_lifetime_beyond_the_maximum_or_in_the_past_is_refused(world):
    a = world.network_a
    soon = dt.datetime.now(dt.UTC)
    with world.rpc(world.referrer_a) as rpc:
        for when in (soon + dt.timedelta(days=91), soon - dt.timedelta(minutes=1)):
            with pytest.raises(ValidationFailed) as refused:
                rpc.partners.issue_api_token(a, "referrer", "X", when.isoformat())
            assert set(refused.value.fields) == {"expires_at"}
        with pytest.raises(ValidationFailed) as naive:
            rpc.partners.issue_api_token(a, "referrer", "X", "2026-12-31T10:00:00")
        assert set(naive.value.fields) == {"expires_at"}
    assert tokens_in_db(world) == 0


def test_the_maximum_lifetime_is_configurable(verband):
    from verband_servicekit import admin_actor, seed_partners

    verband.start(PartnersService, API_TOKEN_MAX_DAYS="7")
    seeded = seed_partners(verband)
    with verband.rpc(context_data={"actor": admin_actor(verband)}) as rpc:
        issued = rpc.partners.issue_api_token(seeded["network"]["id"], "referrer", "Kort")
        lifetime = at(issued["expires_at"]) - at(issued["created_at"])
        assert dt.timedelta(days=6, hours=23) < lifetime <= dt.timedelta(days=7, minutes=1)
        with pytest.raises(ValidationFailed):
            late = dt.datetime.now(dt.UTC) + dt.timedelta(days=8)
            rpc.partners.issue_api_token(seeded["network"]["id"], "referrer", "X", late.isoformat())


def test_an_expired_token_is_refused_at_once(world):
    soon = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=2)
    with world.rpc(world.referrer_a) as rpc:
        issued = rpc.partners.issue_api_token(world.network_a, "referrer", "Kort", soon.isoformat())
    assert at(issued["expires_at"]) == soon
    with world.rpc(None) as rpc:
        assert rpc.partners.resolve_session(issued["token"])
    time.sleep(max(0.0, (soon - dt.datetime.now(dt.UTC)).total_seconds()) + 0.2)
    with world.rpc(None) as rpc:
        with pytest.raises(Unauthenticated):
            rpc.partners.resolve_session(issued["token"])
    with world.rpc(f"token:{issued['id']}") as rpc:
        with pytest.raises(Unauthenticated):
            rpc.partners.list_networks()
    with world.rpc(world.referrer_a) as rpc:
        assert [t["state"] for t in rpc.partners.list_api_tokens(world.network_a)] == ["expired"]


def test_a_token_dies_with_the_role_of_its_issuer_and_stays_dead(world):
    a = world.network_a
    with world.rpc(world.coordinator_a) as rpc:
        issued = rpc.partners.issue_api_token(a, "coordinator", "Planning")
    with world.rpc(world.admin) as rpc:
        rpc.partners.revoke_role(a, world.coordinator_a_id, "coordinator")
    # No clean-up ran: the token is refused because its issuer no longer holds the role.
    assert world.verband.sql(world.db, "SELECT revoked_at FROM api_tokens")[0]["revoked_at"] is None
    with world.rpc(None) as rpc:
        with pytest.raises(Unauthenticated):
            rpc.partners.resolve_session(issued["token"])
    with world.rpc(f"token:{issued['id']}") as rpc:
        with pytest.raises(Unauthenticated):
            rpc.partners.list_organisations(a)
    # Granting the role again does not bring the token back.
    with world.rpc(world.admin) as rpc:
        rpc.partners.grant_role(a, world.coordinator_a_id, "coordinator")
    with world.rpc(None) as rpc:
        with pytest.raises(Unauthenticated):
            rpc.partners.resolve_session(issued["token"])
    admin_a, _ = network_admin(world, a, world.org_a)
    with world.rpc(admin_a) as rpc:
        listed = rpc.partners.list_api_tokens(a)
        assert [(t["id"], t["state"]) for t in listed] == [(issued["id"], "issuer_lost_role")]


def test_the_issuer_and_the_network_admin_list_and_revoke_tokens(world):
    a = world.network_a
    with world.rpc(world.coordinator_a) as rpc:
        own = rpc.partners.issue_api_token(a, "coordinator", "Planning")
    with world.rpc(world.referrer_a) as rpc:
        other = rpc.partners.issue_api_token(a, "referrer", "Toeleiding")
        # each sees their own tokens only
        assert [t["id"] for t in rpc.partners.list_api_tokens(a)] == [other["id"]]
        assert "token" not in rpc.partners.list_api_tokens(a)[0]
        with pytest.raises(Forbidden):
            rpc.partners.revoke_api_token(own["id"])
    with world.rpc(world.coordinator_b) as rpc:
        with pytest.raises(NotFound):
            rpc.partners.revoke_api_token(own["id"])
        with pytest.raises(NotFound):
            rpc.partners.list_api_tokens(a)
    assert world.verband.count(world.db, "api_tokens", "revoked_at IS NOT NULL") == 0
    with world.rpc(world.coordinator_a) as rpc:
        assert rpc.partners.revoke_api_token(own["id"])["state"] == "revoked"
    admin_a, _ = network_admin(world, a, world.org_a)
    with world.rpc(admin_a) as rpc:
        assert {t["id"] for t in rpc.partners.list_api_tokens(a)} == {own["id"], other["id"]}
        assert rpc.partners.revoke_api_token(other["id"])["state"] == "revoked"
    with world.rpc(None) as rpc:
        for token in (own, other):
            with pytest.raises(Unauthenticated):
                rpc.partners.resolve_session(token["token"])
        with pytest.raises(Unauthenticated):
            rpc.partners.resolve_session(own["token"] + "x")

    # Issue and revocation are in the network's identity trail, with actor and target.
    with world.rpc(admin_a) as rpc:
        trail = [e for e in rpc.partners.identity_trail(a) if e["kind"].startswith("token_")]
        # a second revocation changes nothing and records nothing
        rpc.partners.revoke_api_token(own["id"])
        again = [e for e in rpc.partners.identity_trail(a) if e["kind"].startswith("token_")]
    assert again == trail
    assert [(e["kind"], e["actor"], e["target"]) for e in trail] == [
        ("token_revoked", admin_a, f"token:{other['id']}"),
        ("token_revoked", world.coordinator_a, f"token:{own['id']}"),
        ("token_issued", world.referrer_a, f"token:{other['id']}"),
        ("token_issued", world.coordinator_a, f"token:{own['id']}"),
    ]
    issued = trail[-1]
    assert issued["network_id"] == a and issued["target_person_id"] == world.coordinator_a_id
    assert issued["details"]["role"] == "coordinator" and "token" not in str(issued["details"])
