"""An organisation belongs to itself: a network links an existing organisation only through
a request its own admins accept, never rewrites one that other networks also use, and learns
nothing of other networks from an enterprise number that is already registered."""

import pytest
from verband_servicekit import wait_until

from verband_common.errors import Conflict, Forbidden, NotFound, ValidationFailed

pytestmark = pytest.mark.service

NEW_ORG = {"name": "CGG Noord", "kbo": "0471.982.303", "sector": "cgg", "municipalities": []}
TERMS = {"role": "partner", "starts_on": "2025-06-01"}


def person_in(world, network_id, role, name, organisation_id):
    """A person of `organisation_id` with `role` in the network, made by the platform admin."""
    with world.rpc(world.admin) as rpc:
        person = world.join(rpc, network_id, name, f"{name}@verband.test", organisation_id, [role])
    return person["person_id"]


def organisation_row(world, organisation_id):
    return world.verband.sql(
        world.db,
        "SELECT name, kbo, sector, municipalities, contact, profile, updated_at"
        " FROM organisations WHERE id = %s",
        (organisation_id,),
    )[0]


def memberships(world, organisation_id):
    rows = world.verband.sql(
        world.db,
        "SELECT network_id::text FROM memberships WHERE organisation_id = %s",
        (organisation_id,),
    )
    return {r["network_id"] for r in rows}


def shared(world):
    """Network A registers a new organisation; network B links it with the consent of the
    admin the platform admin named for it. Returns (organisation id, its admin's actor)."""
    with world.rpc(world.coordinator_a) as rpc:
        org = rpc.partners.create_organisation({**NEW_ORG, "network_id": world.network_a})
        rpc.partners.add_membership(world.network_a, {"organisation_id": org["id"], **TERMS})
    admin_id = person_in(world, world.network_a, "partner_worker", "beheer-cgg", org["id"])
    with world.rpc(world.admin) as rpc:
        rpc.partners.grant_organisation_admin(org["id"], {"person_id": admin_id})
    with world.rpc(world.coordinator_b) as rpc:
        asked = rpc.partners.request_organisation_link(
            world.network_b, {"kbo": NEW_ORG["kbo"], **TERMS}
        )
    with world.rpc(f"person:{admin_id}") as rpc:
        rpc.partners.decide_organisation_link(asked["id"], "accept")
    assert memberships(world, org["id"]) == {world.network_a, world.network_b}
    return org["id"], f"person:{admin_id}"


def test_a_manager_registers_an_organisation_for_their_network_and_keeps_it_while_alone(world):
    with world.rpc(world.coordinator_a) as rpc:
        with pytest.raises(Forbidden):  # for which network?
            rpc.partners.create_organisation(NEW_ORG)
        with pytest.raises(NotFound):  # not theirs
            rpc.partners.create_organisation({**NEW_ORG, "network_id": world.network_b})
        org = rpc.partners.create_organisation({**NEW_ORG, "network_id": world.network_a})
        # registered, in no network yet: its network sees it, adds it, changes it
        assert rpc.partners.get_organisation(org["id"])["name"] == "CGG Noord"
        rpc.partners.add_membership(world.network_a, {"organisation_id": org["id"], **TERMS})
        changed = rpc.partners.update_organisation(org["id"], {"name": "CGG Noord-Limburg"})
        assert changed["name"] == "CGG Noord-Limburg"
    with world.rpc(world.coordinator_b) as rpc:
        with pytest.raises(NotFound):
            rpc.partners.get_organisation(org["id"])
    assert world.verband.count(world.db, "organisations", "kbo = %s", ("0471982303",)) == 1


def test_an_enterprise_number_already_registered_tells_only_that_it_exists(world):
    with world.rpc(world.coordinator_a) as rpc:
        taken = {**NEW_ORG, "kbo": "0412.134.786", "network_id": world.network_a}  # org B's
        with pytest.raises(Conflict) as exists:
            rpc.partners.create_organisation(taken)
        with pytest.raises(NotFound):
            rpc.partners.get_organisation(world.org_b)
    said = str(exists.value.args)
    assert set(exists.value.fields) == {"kbo"} and "koppeling" in said
    for secret in (world.network_b, world.org_b, "CAW Limburg", "Kerngroep", "Limburg"):
        assert secret not in said
    assert world.verband.count(world.db, "organisations") == 2


def test_a_network_never_links_an_organisation_without_its_consent(world):
    tap = world.verband.tap("partners", "partner_joined")
    b = world.network_b
    with world.rpc(world.coordinator_b) as rpc:
        with pytest.raises(Forbidden):
            rpc.partners.add_membership(b, {"organisation_id": world.org_a, **TERMS})
        with pytest.raises(ValidationFailed) as unknown:
            rpc.partners.request_organisation_link(b, {"kbo": "0471.982.303", **TERMS})
        assert set(unknown.value.fields) == {"kbo"}
        asked = rpc.partners.request_organisation_link(
            b, {"kbo": "0207.437.468", **TERMS, "message": "Samen voor Genk?"}
        )
        assert asked["status"] == "pending" and asked["organisation_id"] == world.org_a
        with pytest.raises(Conflict):  # one open request at a time
            rpc.partners.request_organisation_link(b, {"kbo": "0207437468", **TERMS})
        assert [r["id"] for r in rpc.partners.list_link_requests(b)] == [asked["id"]]
        # nobody of a network decides for the organisation
        with pytest.raises(NotFound):
            rpc.partners.decide_organisation_link(asked["id"], "accept")
    with world.rpc(world.coordinator_a) as rpc:
        assert rpc.partners.list_link_requests(world.network_a) == []
        assert rpc.partners.organisation_link_requests() == []
        with pytest.raises(NotFound):
            rpc.partners.decide_organisation_link(asked["id"], "accept")

    # The world's own partner_joined events may reach the tap late: only organisation A's
    # joins into network B count.
    def joined_b():
        return [
            m
            for m in world.verband.drain(tap)
            if m.payload["network_id"] == b
            and str(m.payload["organisation_id"]) == str(world.org_a)
        ]

    assert memberships(world, world.org_a) == {world.network_a}
    assert joined_b() == []

    # The platform admin names the organisation's own admin, who accepts.
    with world.rpc(world.admin) as rpc:
        with pytest.raises(ValidationFailed):  # someone of another organisation
            rpc.partners.grant_organisation_admin(
                world.org_a, {"person_id": world.coordinator_b_id}
            )
        rpc.partners.grant_organisation_admin(world.org_a, {"person_id": world.partner_worker_a_id})
    with world.rpc(world.partner_worker_a) as rpc:
        waiting = rpc.partners.organisation_link_requests()
        assert [(r["id"], r["network_name"], r["status"]) for r in waiting] == [
            (asked["id"], "Kerngroep RTJ Limburg", "pending")
        ]
        decided = rpc.partners.decide_organisation_link(asked["id"], "accept")
        assert decided["status"] == "accepted" and decided["decided_at"]
        with pytest.raises(Conflict):
            rpc.partners.decide_organisation_link(asked["id"], "refuse")
    assert memberships(world, world.org_a) == {world.network_a, world.network_b}

    joined = wait_until(joined_b, what="partner_joined")
    assert len(joined) == 1, [m.payload for m in joined]
    with world.rpc(world.coordinator_b) as rpc:
        listed = rpc.partners.list_organisations(b)
        assert world.org_a in [o["id"] for o in listed]

    # The request and the decision are in the requesting network's identity trail.
    trail = world.verband.sql(
        world.db,
        "SELECT kind, actor, network_id::text, target, target_person_id::text"
        " FROM identity_events WHERE kind LIKE 'organisation_%%' ORDER BY id",
    )
    assert [(e["kind"], e["actor"], e["network_id"]) for e in trail] == [
        ("organisation_link_requested", world.coordinator_b, b),
        ("organisation_admin_granted", world.admin, None),
        ("organisation_link_accepted", world.partner_worker_a, b),
    ]
    assert trail[0]["target"] == f"organisation:{world.org_a}"
    assert trail[1]["target_person_id"] == world.partner_worker_a_id


def test_a_refused_link_leaves_nothing(world):
    with world.rpc(world.coordinator_b) as rpc:
        asked = rpc.partners.request_organisation_link(
            world.network_b, {"kbo": "0207.437.468", **TERMS}
        )
    with world.rpc(world.admin) as rpc:  # the platform admin decides where nobody else can
        assert rpc.partners.decide_organisation_link(asked["id"], "refuse")["status"] == "refused"
    assert memberships(world, world.org_a) == {world.network_a}
    assert (
        world.verband.count(
            world.db,
            "identity_events",
            "kind = 'organisation_link_refused' AND actor = %s",
            (world.admin,),
        )
        == 1
    )
    with world.rpc(world.coordinator_b) as rpc:  # and may ask again
        again = rpc.partners.request_organisation_link(
            world.network_b, {"kbo": "0207.437.468", **TERMS}
        )
        assert again["status"] == "pending"


def test_no_network_rewrites_an_organisation_other_networks_also_use(world):
    org_id, org_admin = shared(world)
    before = organisation_row(world, org_id)
    worker = person_in(world, world.network_a, "partner_worker", "werker-cgg", org_id)
    for actor in (world.coordinator_a, world.coordinator_b, f"person:{worker}"):
        with world.rpc(actor) as rpc:
            for change in ({"name": "Overgenomen"}, {"profile": "Overgenomen"}):
                with pytest.raises(Forbidden):
                    rpc.partners.update_organisation(org_id, change)
    assert organisation_row(world, org_id) == before
    with world.rpc(org_admin) as rpc:
        assert rpc.partners.update_organisation(org_id, {"profile": "Ons aanbod"})["profile"]
    with world.rpc(world.admin) as rpc:
        assert rpc.partners.update_organisation(org_id, {"name": "CGG NL"})["name"] == "CGG NL"


def test_the_registering_network_names_admins_only_while_it_alone_uses_the_organisation(world):
    admin_a = person_in(world, world.network_a, "network_admin", "beheer-a", world.org_a)
    with world.rpc(world.coordinator_a) as rpc:
        org = rpc.partners.create_organisation({**NEW_ORG, "network_id": world.network_a})
        rpc.partners.add_membership(world.network_a, {"organisation_id": org["id"], **TERMS})
    first = person_in(world, world.network_a, "partner_worker", "eerste", org["id"])
    with world.rpc(world.coordinator_a) as rpc:  # a coordinator names no admins
        with pytest.raises(Forbidden):
            rpc.partners.grant_organisation_admin(org["id"], {"person_id": first})
    with world.rpc(f"person:{admin_a}") as rpc:
        named = rpc.partners.grant_organisation_admin(org["id"], {"person_id": first})
        assert [a["person_id"] for a in named] == [first]
        # not for an organisation registered by nobody (the platform admin)
        with pytest.raises(Forbidden):
            rpc.partners.grant_organisation_admin(
                world.org_a, {"person_id": world.partner_worker_a_id}
            )
    with world.rpc(world.coordinator_b) as rpc:
        asked = rpc.partners.request_organisation_link(
            world.network_b, {"kbo": NEW_ORG["kbo"], **TERMS}
        )
    with world.rpc(f"person:{first}") as rpc:
        rpc.partners.decide_organisation_link(asked["id"], "accept")
    # shared now: network A's admin no longer names or removes its admins
    with world.rpc(f"person:{admin_a}") as rpc:
        with pytest.raises(Forbidden):
            rpc.partners.revoke_organisation_admin(org["id"], first)
    with world.rpc(world.admin) as rpc:
        assert rpc.partners.revoke_organisation_admin(org["id"], first) == []
    assert world.verband.count(world.db, "organisation_admins") == 0
