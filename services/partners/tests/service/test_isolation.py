"""No actor of one network can read or change another network's data through partners'
RPCs. Networks it has no role in are answered as unknown (NotFound), so their existence is
not revealed either; nothing is written by any of the attempts."""

import pytest
from verband_servicekit import offer

from verband_common.errors import Forbidden, NotFound, Unauthenticated

pytestmark = pytest.mark.service

CSV = "naam;kbo;sector;rol;start\nNieuw;0471.982.303;cgg;partner;2025-01-01\n"


def b_side(world):
    """Network B's things, made by B's coordinator."""
    with world.rpc(world.coordinator_b) as rpc:
        b = world.network_b
        return {
            "offer": rpc.partners.publish_offer(b, offer(world.org_b, municipalities=["71072"])),
            "agreement": rpc.partners.record_agreement(
                b,
                {
                    "title": "Crisismeldpunt Limburg",
                    "kind": "crisis_point",
                    "parties": [{"name": "Crisismeldpunt"}],
                    "starts_on": "2026-01-01",
                    "agreed_number": 5,
                },
            ),
            "task_group": rpc.partners.create_task_group(
                b, {"name": "Kansarmoede", "theme": "poverty", "mandate": "Drempels wegwerken."}
            ),
        }


def attempts(world, things):
    b, org_b, person_b = world.network_b, world.org_b, world.coordinator_b_id
    offer_b, agreement_b = things["offer"]["id"], things["agreement"]["id"]
    group_b = things["task_group"]["id"]
    return [
        ("get_network", (b,)),
        ("update_network_settings", (b, {"pickup_guideline_days": 10})),
        ("list_organisations", (b,)),
        ("get_organisation", (org_b,)),
        ("update_organisation", (org_b, {"profile": "overgenomen"})),
        (
            "add_membership",
            (b, {"organisation_id": world.org_a, "role": "partner", "starts_on": "2025-01-01"}),
        ),
        ("end_membership", (b, org_b, "2026-01-01")),
        ("list_people", (b,)),
        ("get_person", (person_b,)),
        ("invite_person", (b, {"name": "Indringer", "email": "in@verband.test"})),
        ("list_invitations", (b,)),
        ("identity_trail", (b,)),
        ("grant_role", (b, world.referrer_a_id, "iroj_viewer")),
        ("revoke_role", (b, person_b, "coordinator")),
        ("list_offers", (b,)),
        ("get_offer", (offer_b,)),
        ("update_offer", (offer_b, {"free_places": 0})),
        ("publish_offer", (b, offer(world.org_a))),
        ("gaps", (b,)),
        ("export_hsds", (b,)),
        ("import_csv", (b, "organisations", CSV, False)),
        ("list_agreements", (b,)),
        (
            "record_agreement",
            (
                b,
                {
                    "title": "x",
                    "kind": "crisis_point",
                    "parties": [{"name": "x"}],
                    "starts_on": "2026-01-01",
                    "agreed_number": 1,
                },
            ),
        ),
        ("update_agreement", (agreement_b, {"agreed_number": 99})),
        ("add_agreement_follow_up", (agreement_b, {"held_on": "2026-02-01", "notes": "x"})),
        ("list_task_groups", (b,)),
        ("create_task_group", (b, {"name": "x", "theme": "diversity", "mandate": "x"})),
        ("update_task_group", (group_b, {"mandate": "overgenomen"})),
        ("issue_api_token", (b, "referrer", "sleutel")),
        ("list_api_tokens", (b,)),
    ]


@pytest.mark.parametrize("who", ["coordinator_a", "partner_worker_a", "referrer_a", "token_a"])
def test_actors_of_network_a_cannot_read_or_change_network_b(world, who):
    things = b_side(world)
    if who == "token_a":
        with world.rpc(world.admin) as rpc:
            token = rpc.partners.issue_api_token(world.network_a, "coordinator", "koppeling")
        actor = f"token:{token['id']}"
    else:
        actor = getattr(world, who)
    before = world.verband.counts(world.db)
    with world.rpc(actor) as rpc:
        for method, args in attempts(world, things):
            with pytest.raises(NotFound):
                getattr(rpc.partners, method)(*args)
        # What the actor may list shows nothing of B.
        assert [n["id"] for n in rpc.partners.list_networks()] == [world.network_a]
        assert rpc.partners.search_region_offer({}) == []  # B is in another region
    assert world.verband.counts(world.db) == before


def test_a_role_in_one_network_gives_only_the_offer_of_its_region(world):
    """A third network in A's region: its offer is open to A's referrer, its directory not."""
    with world.rpc(world.admin) as rpc:
        c = rpc.partners.create_network(
            {"name": "RTJ Halle", "kind": "RTJ", "region": "Vlaams-Brabant/Brussel"}
        )["id"]
        org_c = rpc.partners.create_organisation(
            {"name": "CGG Halle", "kbo": "0661.234.548", "sector": "cgg"}
        )["id"]
        rpc.partners.add_membership(
            c, {"organisation_id": org_c, "role": "partner", "starts_on": "2025-01-01"}
        )
        offer_c = rpc.partners.publish_offer(c, offer(org_c, municipalities=["23027"]))
    with world.rpc(world.referrer_a) as rpc:
        assert [o["id"] for o in rpc.partners.list_offers(c)] == [offer_c["id"]]
        assert rpc.partners.get_offer(offer_c["id"])["title"] == offer_c["title"]
        assert [o["id"] for o in rpc.partners.search_region_offer({"municipality": "23027"})] == [
            offer_c["id"]
        ]
        for method, args in (
            ("get_network", (c,)),
            ("list_organisations", (c,)),
            ("gaps", (c,)),
            ("update_offer", (offer_c["id"], {"title": "x"})),
        ):
            with pytest.raises((NotFound, Forbidden)):
                getattr(rpc.partners, method)(*args)


def test_without_an_actor_nothing_is_answered(world):
    with world.rpc(None) as rpc:
        for method, args in (
            ("list_networks", ()),
            ("get_network", (world.network_a,)),
            ("list_offers", (world.network_a,)),
            ("create_network", ({"name": "x"},)),
        ):
            with pytest.raises(Unauthenticated):
                getattr(rpc.partners, method)(*args)
    with world.verband.rpc(context_data={"actor": "person:not-a-uuid"}) as rpc:
        with pytest.raises(Unauthenticated):
            rpc.partners.list_networks()


def test_roles_below_coordinator_cannot_change_the_directory(world):
    before = world.verband.counts(world.db)
    a = world.network_a
    with world.rpc(world.referrer_a) as rpc:
        assert rpc.partners.get_network(a)["id"] == a  # reading is fine
        for method, args in (
            ("update_network_settings", (a, {"pickup_guideline_days": 10})),
            ("publish_offer", (a, offer(world.org_a))),
            ("invite_person", (a, {"name": "X", "email": "x@verband.test"})),
            ("list_invitations", (a,)),
            ("identity_trail", (a,)),
            ("start_password_reset", (world.coordinator_a_id,)),
            ("grant_role", (a, world.referrer_a_id, "coordinator")),
            ("list_agreements", (a,)),
            ("update_organisation", (world.org_a, {"profile": "x"})),
            ("import_csv", (a, "organisations", CSV, True)),
        ):
            with pytest.raises(Forbidden):
                getattr(rpc.partners, method)(*args)
    with world.rpc(world.coordinator_a) as rpc:
        # A coordinator makes no network admins.
        with pytest.raises(Forbidden):
            rpc.partners.grant_role(a, world.referrer_a_id, "network_admin")
    assert world.verband.counts(world.db) == before
