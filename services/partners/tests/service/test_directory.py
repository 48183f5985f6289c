"""The directory at work: memberships, roles, offer and its capacity, gaps, agreements,
task groups and settings, each change with the event others need, per contract."""

import datetime as dt
import uuid

import pytest
from verband_servicekit import offer

from verband_common.contracts import load_event
from verband_common.errors import Forbidden, ValidationFailed

pytestmark = pytest.mark.service


def events(world, *types):
    rows = world.verband.sql(
        world.db,
        "SELECT event_type, body FROM outbox WHERE event_type = ANY(%s) ORDER BY id",
        (list(types),),
    )
    # Every event written is valid by its contract.
    return [load_event("partners", r["event_type"], r["body"]) for r in rows]


def test_an_organisation_joins_several_networks_and_leaves_one(world):
    with world.rpc(world.admin) as rpc:
        membership = rpc.partners.add_membership(
            world.network_b,
            {"organisation_id": world.org_a, "role": "observer", "starts_on": "2026-01-01"},
        )
        assert membership["role"] == "observer"
        org = rpc.partners.get_organisation(world.org_a)
        assert {m["network_id"] for m in org["memberships"]} == {world.network_a, world.network_b}
        left = rpc.partners.end_membership(world.network_b, world.org_a, "2026-06-30")
        assert left["ends_on"] == "2026-06-30"
    joined = events(world, "partner_joined")
    assert [(str(e["network_id"]), str(e["organisation_id"])) for e in joined][-1] == (
        world.network_b,
        world.org_a,
    )
    assert [str(e["organisation_id"]) for e in events(world, "partner_left")] == [world.org_a]
    with world.rpc(world.coordinator_b) as rpc:
        listed = rpc.partners.list_organisations(world.network_b)
        assert {o["id"]: o["membership"]["role"] for o in listed} == {
            world.org_b: "kernpartner",
            world.org_a: "observer",
        }
        # B's coordinator sees A's organisation, but not its membership of A.
        seen = rpc.partners.get_organisation(world.org_a)
        assert [m["network_id"] for m in seen["memberships"]] == [world.network_b]


def test_roles_are_granted_and_revoked_with_events(world):
    a = world.network_a
    with world.rpc(world.coordinator_a) as rpc:
        granted = rpc.partners.grant_role(a, world.referrer_a_id, "family_coach")
        assert granted["roles"] == ["family_coach", "referrer"]
        # Granting twice changes nothing and says nothing twice.
        rpc.partners.grant_role(a, world.referrer_a_id, "family_coach")
        people = {p["id"]: p["roles"] for p in rpc.partners.list_people(a)}
        assert people[world.referrer_a_id] == ["family_coach", "referrer"]
        assert rpc.partners.revoke_role(a, world.referrer_a_id, "family_coach")["roles"] == [
            "referrer"
        ]
    # Someone from IROJ needs no partner organisation; the network admin invites them.
    with world.rpc(world.admin) as rpc:
        world.join(rpc, a, "IROJ", "iroj@verband.test", roles=["iroj_viewer"])
    granted = [e for e in events(world, "role_granted") if str(e["network_id"]) == a]
    assert [e["role"] for e in granted][-2:] == ["family_coach", "iroj_viewer"]
    assert [e["role"] for e in events(world, "role_revoked")] == ["family_coach"]
    # Each change of a role carries a version, the later change the higher one: consumers
    # order grant and revoke by it, whatever order the broker delivers them in.
    coach = [e for e in granted if e["role"] == "family_coach"][-1]
    revoked = events(world, "role_revoked")[-1]
    regranted = granted[-1]
    assert 0 < coach["role_version"] < revoked["role_version"] < regranted["role_version"]
    # Names and e-mails of professionals travel with their role (meetings mails them) ...
    assert granted[-1]["person_email"] == "iroj@verband.test"
    # ... and in no other event.
    body = world.verband.sql(
        world.db, "SELECT body::text AS b FROM outbox WHERE event_type <> 'role_granted'"
    )
    assert not any("@verband.test" in r["b"] for r in body)


def test_offer_capacity_changes_are_events_and_partner_workers_keep_their_places(world):
    a = world.network_a
    with world.rpc(world.coordinator_a) as rpc:
        published = rpc.partners.publish_offer(
            a,
            offer(
                world.org_a,
                rtj="NRTJ",
                target_ages={"min": 0, "max": 12},
                situations=["scheiding"],
                can_start_from="2026-12-01",
            ),
        )
        flanking = rpc.partners.publish_offer(
            a,
            offer(
                world.org_a,
                title="Opvoedingscursus",
                kind="parenting_course",
                flanking_offer_ids=[published["id"]],
            ),
        )
        assert flanking["flanking_offer_ids"] == [published["id"]]
    with world.rpc(world.partner_worker_a) as rpc:
        changed = rpc.partners.update_offer(published["id"], {"free_places": 0, "status": "active"})
        assert changed["free_places"] == 0 and changed["capacity"] == 10
        with pytest.raises(Forbidden):
            rpc.partners.update_offer(published["id"], {"capacity": 50})
    with world.rpc(world.coordinator_a) as rpc:
        rpc.partners.update_offer(published["id"], {"title": "Gezinscoaching Asse"})

    capacity = events(world, "capacity_changed")
    assert [(e["previous_free_places"], e["free_places"]) for e in capacity] == [(4, 0)]
    offer_changed = events(world, "offer_changed")
    assert [e["changed"] for e in offer_changed] == [["free_places"], ["title"]]
    assert offer_changed[-1]["title"] == "Gezinscoaching Asse"
    assert len(events(world, "offer_published")) == 2

    with world.rpc(world.referrer_a) as rpc:
        assert [o["id"] for o in rpc.partners.list_offers(a, {"has_free_places": False})] == [
            published["id"]
        ]
        assert [o["id"] for o in rpc.partners.list_offers(a, {"age": 15})] == [flanking["id"]]
        assert rpc.partners.list_offers(a, {"municipality": "23088"}) == []
        got = rpc.partners.get_offer(published["id"])
        assert got["target_ages"] == {"min": 0, "max": 12} and got["rtj"] == "NRTJ"
        assert got["organisation_name"] == "Huis van het Kind Asse"


def test_gaps_show_uncovered_municipalities_and_full_offers(world):
    a = world.network_a
    with world.rpc(world.coordinator_a) as rpc:
        full = rpc.partners.publish_offer(
            a, offer(world.org_a, municipalities=["23002", "23050", "23088"], free_places=0)
        )
        gaps = rpc.partners.gaps(a)
    uncovered = {(g["municipality"], g["kind"]) for g in gaps["uncovered"]}
    assert ("23002", "family_coaching") not in uncovered
    assert ("23088", "first_line_psychology") in uncovered
    assert {g["municipality_name"] for g in gaps["uncovered"]} == {"Asse", "Meise", "Vilvoorde"}
    assert gaps["full_with_waiting"] == [
        {"offer_id": full["id"], "title": full["title"], "waiting": 0}
    ]


def test_agreements_are_followed_up(world):
    a = world.network_a
    yesterday = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    with world.rpc(world.coordinator_a) as rpc:
        recorded = rpc.partners.record_agreement(
            a,
            {
                "title": "Snellere toegang OCJ",
                "kind": "mandated_body",
                "parties": [
                    {"name": "OCJ Vlaams-Brabant"},
                    {"name": "Huis van het Kind Asse", "organisation_id": world.org_a},
                ],
                "starts_on": "2026-01-01",
                "ends_on": "2026-12-31",
                "agreed_number": 12,
                "next_follow_up_on": yesterday,
            },
        )
        assert recorded["follow_up_due"] is True and recorded["used_number"] == 0
        followed = rpc.partners.add_agreement_follow_up(
            recorded["id"],
            {
                "held_on": yesterday,
                "notes": "Vijf gezinnen sneller toegeleid.",
                "used_number": 5,
                "next_follow_up_on": "2099-01-01",
            },
        )
        assert followed["used_number"] == 5 and followed["follow_up_due"] is False
        assert [f["notes"] for f in followed["follow_ups"]] == ["Vijf gezinnen sneller toegeleid."]
        updated = rpc.partners.update_agreement(recorded["id"], {"status": "ended"})
        assert updated["status"] == "ended"
    # Recorded, then sent whole again on the change: consumers keep the latest copy.
    recorded_events = events(world, "agreement_recorded")
    assert [e["organisation_ids"] for e in recorded_events] == [
        [__import__("uuid").UUID(world.org_a)]
    ] * 2
    assert [e["status"] for e in recorded_events] == ["active", "ended"]
    with world.rpc(world.admin) as rpc:
        viewer = world.join(rpc, a, "IROJ", "iroj@verband.test", roles=["iroj_viewer"])
    with world.rpc(viewer["actor"]) as rpc:
        assert [x["id"] for x in rpc.partners.list_agreements(a)] == [recorded["id"]]
    with world.rpc(world.partner_worker_a) as rpc:
        with pytest.raises(Forbidden):
            rpc.partners.list_agreements(a)


def test_task_groups_and_settings(world):
    a = world.network_a
    with world.rpc(world.coordinator_a) as rpc:
        group = rpc.partners.create_task_group(
            a,
            {
                "name": "Taakgroep diversiteit",
                "theme": "diversity",
                "mandate": "Aanbod toegankelijk maken voor elk gezin.",
                "members": [world.referrer_a_id],
                "organisations": [world.org_a],
            },
        )
        updated = rpc.partners.update_task_group(group["id"], {"theme": "poverty"})
        assert updated["theme"] == "poverty" and updated["members"] == [world.referrer_a_id]
        assert [g["id"] for g in rpc.partners.list_task_groups(a)] == [group["id"]]

        network = rpc.partners.update_network_settings(
            a,
            {
                "pickup_guideline_days": 21,
                "targets": [
                    {"code": "extra_guidance", "label": "Extra gezinsbegeleidingen", "value": 200}
                ],
            },
        )
        assert network["settings"]["pickup_guideline_days"] == 21
        assert network["settings"]["warm_contact_interval_days"] == 14  # untouched
        assert network["settings"]["targets"][0]["period"] == "year"
    changed = events(world, "network_settings_changed")
    assert changed[-1]["pickup_guideline_days"] == 21
    assert changed[-1]["targets"][0]["value"] == 200
    with world.rpc(None) as rpc:
        municipalities = rpc.partners.list_municipalities()
    assert len(municipalities) == 285
    assert {"nis": "23002", "name": "Asse", "province": "Vlaams-Brabant"} in municipalities
    with world.rpc(None) as rpc:
        read = rpc.partners.resolve_municipalities(["asse", "9800", "44083", "Nergensdorp"])
    assert [(m["nis"], m["name"]) for m in read] == [
        ("23002", "Asse"),
        ("44083", "Deinze"),
        ("44083", "Deinze"),
        (None, None),
    ]
    with world.rpc(None) as rpc, pytest.raises(ValidationFailed) as refused:
        rpc.partners.resolve_municipalities(["Asse\x00"] + ["x" * 101])
    assert set(refused.value.fields) == {"given.0", "given.1"}


def test_gaps_count_the_families_waiting_from_cases_events(world):
    from nameko.testing.services import entrypoint_waiter

    from verband_common.contracts import new_event

    a = world.network_a
    with world.rpc(world.coordinator_a) as rpc:
        full = rpc.partners.publish_offer(a, offer(world.org_a, free_places=0))

    def entry_event(event_type, entry_id, **payload):
        return new_event(
            "cases",
            event_type,
            a,
            {
                "family_pseudonym": uuid.uuid4().hex,
                "entry_id": str(entry_id),
                "offer_id": full["id"],
                **payload,
            },
        )

    def added(entry_id):
        return entry_event(
            "waiting_list_entry_added",
            entry_id,
            referral_id=str(uuid.uuid4()),
            age_bands=["6-11"],
            municipality="23002",
            concern="some",
            waiting_since="2026-10-01",
            added_on="2026-10-02",
        )

    def removed(entry_id):
        return entry_event(
            "waiting_list_entry_removed",
            entry_id,
            reason="started_here",
            removed_on="2026-11-02",
            days_waited=31,
        )

    first, second, third = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    second_added = added(second)
    steps = [
        ("on_waiting_list_entry_added", added(first)),
        ("on_waiting_list_entry_added", second_added),
        ("on_waiting_list_entry_added", second_added),  # a redelivery counts once
        ("on_waiting_list_entry_removed", removed(first)),
        ("on_waiting_list_entry_removed", removed(third)),  # overtook its own addition
        ("on_waiting_list_entry_added", added(third)),
    ]
    for handler, event in steps:
        with entrypoint_waiter(world.container, handler, timeout=15):
            world.verband.publish("cases", event)
    with world.rpc(world.coordinator_a) as rpc:
        gaps = rpc.partners.gaps(a)
    assert gaps["full_with_waiting"] == [
        {"offer_id": full["id"], "title": full["title"], "waiting": 1}
    ]
    # Nothing about the family is kept: ids and dates only.
    columns = world.verband.sql(
        world.db,
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'waiting_entries'",
    )
    assert {c["column_name"] for c in columns} == {
        "entry_id",
        "offer_id",
        "network_id",
        "added_on",
        "removed_on",
    }


def test_agreements_count_the_referrals_of_their_party_from_cases_events(world):
    from nameko.testing.services import entrypoint_waiter

    from verband_common.contracts import new_event

    a = world.network_a
    with world.rpc(world.coordinator_a) as rpc:
        volume = rpc.partners.record_agreement(
            a,
            {
                "title": "Volume-afspraak OCJ",
                "kind": "mandated_body",
                "parties": [{"name": "OCJ Vlaams-Brabant"}],
                "starts_on": "2026-01-01",
                "ends_on": "2026-12-31",
                "agreed_number": 12,
            },
        )
        crisis = rpc.partners.record_agreement(
            a,
            {
                "title": "Afspraak crisismeldpunt",
                "kind": "crisis_point",
                "parties": [{"name": "Crisismeldpunt"}],
                "starts_on": "2026-01-01",
                "agreed_number": 5,
            },
        )
    assert volume["referrals_counted"] == 0

    def referral(sector, on, network=a):
        return new_event(
            "cases",
            "referral_received",
            network,
            {
                "referral_id": str(uuid.uuid4()),
                "offer_id": None,
                "family_pseudonym": uuid.uuid4().hex,
                "age_bands": ["6-11"],
                "municipality": "23002",
                "concern": "some",
                "source_sector": sector,
                "received_on": on,
            },
        )

    twice = referral("mandated_body", "2026-03-02")
    events = [
        twice,
        twice,  # a redelivery counts once
        referral("mandated_body", "2026-12-31"),
        referral("mandated_body", "2025-12-31"),  # before the agreement
        referral("mandated_body", "2026-05-01", network=world.network_b),  # another network
        referral("ocmw", "2026-04-01"),
        referral("crisis_point", "2027-02-01"),  # open-ended agreement
    ]
    for event in events:
        with entrypoint_waiter(world.container, "on_referral_received", timeout=15):
            world.verband.publish("cases", event)
    with world.rpc(world.coordinator_a) as rpc:
        counted = {g["id"]: g["referrals_counted"] for g in rpc.partners.list_agreements(a)}
    assert counted == {volume["id"]: 2, crisis["id"]: 1}
    assert world.verband.count(world.db, "agreement_referrals") == 5
