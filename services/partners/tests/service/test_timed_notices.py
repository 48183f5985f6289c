"""The notices time passing raises (issue 14), as partners tells them: a warm contact due
to the offer's organisation's workers, the one-month guideline to the network's coordinators,
a plan action to the responsible partner's workers, a bottleneck decision to the case's
contact point; each once, in the inbox and by mail, and no one of another network."""

import uuid

import pytest
from nameko.testing.services import entrypoint_waiter
from verband_servicekit import offer

from verband_common.contracts import new_event

pytestmark = pytest.mark.service


def cases_event(event_type, network_id, **payload):
    return new_event("cases", event_type, network_id, payload)


def deliver(world, handler, event):
    with entrypoint_waiter(world.container, handler, timeout=15):
        world.verband.publish("cases", event)


def told(world, actor) -> list[dict]:
    with world.rpc(actor) as rpc:
        return rpc.partners.my_notifications(50)["notifications"]


def mails_to(world, email):
    return world.verband.sql(
        world.db, "SELECT subject, body FROM mail_outbox WHERE %s = ANY(recipients)", (email,)
    )


def test_a_warm_contact_due_tells_the_offers_organisation_once(world):
    with world.rpc(world.coordinator_a) as rpc:
        listed = rpc.partners.publish_offer(world.network_a, offer(world.org_a))
    referral = uuid.uuid4()
    event = cases_event(
        "warm_contact_due",
        world.network_a,
        entry_id=str(uuid.uuid4()),
        referral_id=str(referral),
        offer_id=listed["id"],
        organisation_id=world.org_a,
        due_on="2026-12-01",
        stage="passed",
    )
    deliver(world, "notify_warm_contact_due", event)
    deliver(world, "notify_warm_contact_due", event)  # redelivered: told once
    [notice] = told(world, world.partner_worker_a)
    assert notice["kind"] == "warm_contact_due"
    assert notice["title"] == f"Warm contact te laat: {listed['title']}"
    assert "01/12/2026" in notice["body"] and notice["link"] == f"/dossiers/{referral}"
    [mail] = mails_to(world, "partner_worker.a@verband.test")
    assert mail["subject"] == f"[Verband] Warm contact te laat: {listed['title']}"
    assert f"/dossiers/{referral}" in mail["body"]
    # Not the coordinators, not the referrer, not another network's worker.
    for actor in (world.coordinator_a, world.referrer_a, world.partner_worker_b):
        assert told(world, actor) == []


def test_the_one_month_guideline_tells_the_coordinators_of_its_network_only(world):
    referral = uuid.uuid4()
    for stage, due_on in (("nearing", "2026-12-05"), ("passed", "2026-12-05")):
        deliver(
            world,
            "notify_pickup_guideline_due",
            cases_event(
                "pickup_guideline_due",
                world.network_a,
                referral_id=str(referral),
                received_on="2026-11-05",
                due_on=due_on,
                stage=stage,
            ),
        )
    titles = [n["title"] for n in told(world, world.coordinator_a)]
    assert titles == [
        "Aanmelding over de termijn van een maand in 1G1P Asse-Meise-Vilvoorde",
        "Aanmelding nadert de termijn van een maand in 1G1P Asse-Meise-Vilvoorde",
    ]
    assert len(mails_to(world, "coordinator.a@verband.test")) == 2
    for actor in (world.coordinator_b, world.partner_worker_a, world.referrer_a):
        assert told(world, actor) == []
    assert mails_to(world, "coordinator.b@verband.test") == []


def test_a_plan_action_due_tells_the_responsible_partners_workers(world):
    deliver(
        world,
        "notify_plan_action_due",
        cases_event(
            "plan_action_due",
            world.network_a,
            referral_id=str(uuid.uuid4()),
            organisation_id=world.org_a,
            due_on="2026-12-04",
            stage="nearing",
        ),
    )
    [notice] = told(world, world.partner_worker_a)
    assert notice["kind"] == "plan_action_due" and "04/12/2026" in notice["body"]
    assert told(world, world.coordinator_a) == []


def test_a_bottleneck_decision_tells_the_contact_point_or_else_the_coordinators(world):
    referral = uuid.uuid4()

    def decided(contact_point):
        return cases_event(
            "bottleneck_decision_reached",
            world.network_a,
            referral_id=str(referral),
            contact_point_id=contact_point,
            decision_id=str(uuid.uuid4()),
            outcome="adopted",
            taken_on="2026-12-02",
        )

    deliver(world, "notify_bottleneck_decision_reached", decided(world.partner_worker_a_id))
    [notice] = told(world, world.partner_worker_a)
    assert notice["kind"] == "bottleneck_decision" and "aanspreekpunt" in notice["body"]
    assert told(world, world.coordinator_a) == []
    deliver(world, "notify_bottleneck_decision_reached", decided(None))
    [fallback] = told(world, world.coordinator_a)
    assert fallback["kind"] == "bottleneck_decision"
    assert "nog geen aanspreekpunt" in fallback["body"]
