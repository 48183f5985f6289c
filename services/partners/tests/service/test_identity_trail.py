"""The identity audit trail: what is recorded, and who reads it."""

import pytest

from verband_common.errors import Forbidden, NotFound, Unauthenticated

pytestmark = pytest.mark.service

PASSWORD = "een-lang-en-geheim-wachtwoord"


def kinds(events):
    return [e["kind"] for e in events]


def test_grants_revocations_and_sign_ins_are_recorded_for_the_network_admin(world):
    with world.rpc(world.admin) as rpc:
        boss = world.join(rpc, world.network_a, "Beheer A", "beheer.a@verband.test", world.org_a)
        boss = {"id": boss["person_id"]}
        rpc.partners.grant_role(world.network_a, boss["id"], "network_admin")
        rpc.partners.revoke_role(world.network_a, world.referrer_a_id, "referrer")
    with world.rpc(world.coordinator_a) as rpc:
        rpc.partners.change_password(PASSWORD, PASSWORD + "-nieuw")
    new_password = PASSWORD + "-nieuw"
    with world.rpc(None) as rpc:
        with pytest.raises(Unauthenticated):
            rpc.partners.open_session("coordinator.a@verband.test", "fout", {"ip": "192.0.2.7"})
        rpc.partners.open_session("coordinator.a@verband.test", new_password, {"ip": "192.0.2.8"})

    with world.rpc(f"person:{boss['id']}") as rpc:
        trail = rpc.partners.identity_trail(world.network_a)
    assert kinds(trail)[:5] == [
        "signed_in",
        "sign_in_failed",
        "password_changed",
        "role_revoked",
        "role_granted",
    ]
    signed_in, failed, changed, revoked, granted = trail[:5]
    assert signed_in["target_person_id"] == world.coordinator_a_id
    assert signed_in["actor"] == world.coordinator_a and signed_in["ip"] == "192.0.2.8"
    assert failed["actor"] == "anonymous" and failed["ip"] == "192.0.2.7"
    assert failed["target_person_id"] == world.coordinator_a_id
    assert changed["actor"] == world.coordinator_a
    assert revoked["details"] == {"role": "referrer"} and revoked["actor"] == world.admin
    assert revoked["network_id"] == world.network_a
    assert revoked["target_person_id"] == world.referrer_a_id
    assert granted["details"] == {"role": "network_admin"}
    # Network B's own grants are not in A's trail.
    assert all(e["target_person_id"] != world.coordinator_b_id for e in trail)
    assert all(e["network_id"] in (world.network_a, None) for e in trail)
    # Paged by id, newest first.
    with world.rpc(f"person:{boss['id']}") as rpc:
        older = rpc.partners.identity_trail(world.network_a, {"before": trail[1]["id"], "limit": 2})
    assert [e["id"] for e in older] == [trail[2]["id"], trail[3]["id"]]


def test_only_the_network_admin_and_the_platform_admin_read_the_trail(world):
    with world.rpc(world.coordinator_a) as rpc:
        with pytest.raises(Forbidden):
            rpc.partners.identity_trail(world.network_a)
        # Another network's trail: the network is unknown to them.
        with pytest.raises(NotFound):
            rpc.partners.identity_trail(world.network_b)
        with pytest.raises(Forbidden):
            rpc.partners.identity_trail()
    with world.rpc(world.admin) as rpc:
        everything = rpc.partners.identity_trail()
        assert {e["network_id"] for e in everything} >= {world.network_a, world.network_b}
        assert rpc.partners.identity_trail(world.network_b)
