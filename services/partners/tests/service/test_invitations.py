"""Invitations are the only way into a network, and a network sees of a person only what it
granted: the attack where one network's coordinator grants a person of another network a
role, after which its admin reads them, sets their password and signs in as them, and every
path like it."""

import uuid

import pytest

from verband_common.errors import Conflict, Forbidden, NotFound, ValidationFailed

pytestmark = pytest.mark.service

PASSWORD = "een-lang-en-geheim-wachtwoord"


def admin_of(world, key="a") -> dict:
    with world.rpc(world.admin) as rpc:
        return world.join(
            rpc,
            getattr(world, f"network_{key}"),
            f"Beheerder {key}",
            f"beheer.{key}@verband.test",
            getattr(world, f"org_{key}"),
            ["network_admin"],
        )


def test_no_role_in_one_network_reaches_a_person_of_another(world):
    a, person_b = world.network_a, world.coordinator_b_id
    boss_a = admin_of(world)["actor"]
    before = world.verband.counts(world.db)
    with world.rpc(world.coordinator_a) as rpc:
        # The IROJ viewer role needs no membership: only the network admin grants it.
        with pytest.raises(Forbidden):
            rpc.partners.grant_role(a, person_b, "iroj_viewer")
    for actor in (world.coordinator_a, boss_a):
        with world.rpc(actor) as rpc:
            for role in ("referrer", "coordinator"):
                with pytest.raises(NotFound) as unknown_b:
                    rpc.partners.grant_role(a, person_b, role)
            with pytest.raises(NotFound) as nobody:
                rpc.partners.grant_role(a, str(uuid.uuid4()), "referrer")
            # B's person is answered exactly like no person at all.
            assert unknown_b.value.message == nobody.value.message
            assert unknown_b.value.fields == nobody.value.fields
            with pytest.raises(NotFound) as read_b:
                rpc.partners.get_person(person_b)
            with pytest.raises(NotFound) as read_nobody:
                rpc.partners.get_person(str(uuid.uuid4()))
            assert read_b.value.message == read_nobody.value.message
            # No password can be set or reset by a network.
            with pytest.raises(Forbidden):
                rpc.partners.start_password_reset(person_b)
    with world.rpc(boss_a) as rpc:
        with pytest.raises(NotFound):
            rpc.partners.grant_role(a, person_b, "iroj_viewer")
        assert person_b not in {p["id"] for p in rpc.partners.list_people(a)}
    assert world.verband.counts(world.db) == before


def test_inviting_tells_nothing_of_other_networks(world):
    """The inviter gets the same answer for an address with an account elsewhere and for a
    new one; only the gateway learns which mail to send, to that address."""
    with world.rpc(world.coordinator_a) as rpc:
        known = rpc.partners.invite_person(
            world.network_a, {"name": "Iemand", "email": "coordinator.b@verband.test"}
        )
        new = rpc.partners.invite_person(
            world.network_a, {"name": "Iemand", "email": "nieuw@verband.test"}
        )

    def shape(sent):
        shown = dict(sent["invitation"])
        for key in ("id", "created_at", "expires_at", "email"):
            shown.pop(key)
        return shown

    assert (
        shape(known)
        == shape(new)
        == {
            "network_id": world.network_a,
            "name": "Iemand",
            "organisation_id": None,
            "roles": [],
            "status": "pending",
        }
    )
    assert known["account_exists"] and not new["account_exists"]  # for the gateway's mail
    # Invited is not registered: A still sees nothing of B's coordinator.
    with world.rpc(world.coordinator_a) as rpc:
        with pytest.raises(NotFound):
            rpc.partners.get_person(world.coordinator_b_id)
        listed = rpc.partners.list_invitations(world.network_a)
        assert {"coordinator.b@verband.test", "nieuw@verband.test"} <= {i["email"] for i in listed}


def test_an_existing_person_accepts_only_signed_in_as_themselves(world):
    # B's organisation also joins A; A invites B's coordinator to work there too.
    with world.rpc(world.admin) as rpc:
        rpc.partners.add_membership(
            world.network_a,
            {"organisation_id": world.org_b, "role": "partner", "starts_on": "2025-01-01"},
        )
    with world.rpc(world.coordinator_a) as rpc:
        sent = rpc.partners.invite_person(
            world.network_a,
            {
                "name": "Iemand",
                "email": "Coordinator.B@verband.test",
                "organisation_id": world.org_b,
                "roles": ["secretary"],
            },
        )
    # Not by choosing a password from the link: the account is the person's.
    people = world.verband.count(world.db, "people")
    with world.rpc(None) as rpc:
        with pytest.raises(Conflict):
            rpc.partners.accept_invitation_as_new(sent["token"], PASSWORD + "-x", {})
        rpc.partners.open_session("coordinator.b@verband.test", PASSWORD, {})  # unchanged
    assert world.verband.count(world.db, "people") == people
    # Not by someone else signed in.
    with world.rpc(world.referrer_a) as rpc:
        with pytest.raises(Forbidden):
            rpc.partners.accept_invitation(sent["token"])
    # The person, signed in, accepts: registered in A with the invited role.
    with world.rpc(world.coordinator_b) as rpc:
        described = rpc.partners.describe_invitation(sent["token"])
        assert described["network_name"] == "1G1P Asse-Meise-Vilvoorde"
        assert described["account_exists"] and described["roles"] == ["secretary"]
        accepted = rpc.partners.accept_invitation(sent["token"])
        assert accepted["roles"] == ["secretary"]
        with pytest.raises(ValidationFailed) as used:
            rpc.partners.accept_invitation(sent["token"])
        assert set(used.value.fields) == {"token"}
    with world.rpc(world.coordinator_a) as rpc:
        seen = rpc.partners.get_person(world.coordinator_b_id)
        # A sees its own grant only, nothing of B.
        assert seen["networks"] == [{"network_id": world.network_a, "roles": ["secretary"]}]
    trail = world.verband.sql(
        world.db,
        "SELECT kind, actor FROM identity_events WHERE network_id = %s ORDER BY id",
        (world.network_a,),
    )
    assert [t["kind"] for t in trail][-3:] == [
        "invitation_sent",
        "invitation_accepted",
        "role_granted",
    ]
    assert trail[-1]["actor"] == world.coordinator_a  # granted by the inviter


def test_invitation_rules(world):
    a = world.network_a
    with world.rpc(world.coordinator_a) as rpc:
        # A coordinator invites no network admin or IROJ viewer.
        for role in ("network_admin", "iroj_viewer"):
            with pytest.raises(Forbidden):
                rpc.partners.invite_person(
                    a, {"name": "X", "email": "x@verband.test", "roles": [role]}
                )
        # Roles are held within an organisation that is a member of the network.
        with pytest.raises(ValidationFailed) as foreign:
            rpc.partners.invite_person(
                a,
                {
                    "name": "X",
                    "email": "x@verband.test",
                    "organisation_id": world.org_b,
                    "roles": ["referrer"],
                },
            )
        assert set(foreign.value.fields) == {"organisation_id"}
        withdrawn = rpc.partners.invite_person(a, {"name": "W", "email": "w@verband.test"})
        assert rpc.partners.withdraw_invitation(withdrawn["invitation"]["id"])["status"] == (
            "withdrawn"
        )
        late = rpc.partners.invite_person(a, {"name": "L", "email": "l@verband.test"})
    # Another network's managers do not see or withdraw A's invitations.
    with world.rpc(world.coordinator_b) as rpc:
        with pytest.raises(NotFound):
            rpc.partners.withdraw_invitation(late["invitation"]["id"])
    world.verband.sql(
        world.db,
        "UPDATE invitations SET expires_at = now() WHERE id = %s",
        (late["invitation"]["id"],),
    )
    people = world.verband.count(world.db, "people")
    with world.rpc(None) as rpc:
        for sent in (withdrawn, late):
            with pytest.raises(ValidationFailed) as refused:
                rpc.partners.accept_invitation_as_new(sent["token"], PASSWORD, {})
            assert set(refused.value.fields) == {"token"}
    assert world.verband.count(world.db, "people") == people
    # The network admin invites an IROJ viewer, who needs no organisation.
    boss = admin_of(world)
    with world.rpc(boss["actor"]) as rpc:
        viewer = world.join(rpc, a, "IROJ", "iroj@verband.test", roles=["iroj_viewer"])
    with world.rpc(viewer["actor"]) as rpc:
        # An IROJ viewer reads published reports, not the network's people.
        with pytest.raises(Forbidden):
            rpc.partners.list_people(a)
        with pytest.raises(NotFound):
            rpc.partners.get_person(world.coordinator_a_id)


def test_a_coordinator_invites_a_guest_from_outside_who_sees_nothing_of_the_network(world):
    """Issue 15: a local expert from outside the network is invited with the guest role only,
    by whoever invites people to the network; she needs no organisation in it. The role lets
    her choose the network (her session names it) and opens none of its directory."""
    a = world.network_a
    with world.rpc(world.coordinator_a) as rpc:
        guest = world.join(rpc, a, "Lies Vermeulen", "lies@verband.test", roles=["guest"])
    assert [(m["network_id"], m["roles"]) for m in guest["memberships"]] == [(a, ["guest"])]
    with world.rpc(guest["actor"]) as rpc:
        for call in (
            lambda: rpc.partners.list_people(a),
            lambda: rpc.partners.list_organisations(a),
            lambda: rpc.partners.list_offers(a, {}),
            lambda: rpc.partners.get_person(world.coordinator_a_id),
        ):
            with pytest.raises((Forbidden, NotFound)):
                call()
    # The coordinator sees her among the network's people, with the one role.
    with world.rpc(world.coordinator_a) as rpc:
        listed = {p["email"]: p for p in rpc.partners.list_people(a)}
    assert listed["lies@verband.test"]["roles"] == ["guest"]
    # A secretary or a referrer does not hand the role out.
    with world.rpc(world.referrer_a) as rpc:
        with pytest.raises(Forbidden):
            rpc.partners.invite_person(
                a, {"name": "X", "email": "x@verband.test", "roles": ["guest"]}
            )
