"""Notifications from cases events: who is told, inbox and mail outbox written with the
event's inbox row (a redelivered event tells no one twice), the inbox and mail preference
RPCs of the person signed in."""

import uuid

import pytest
from nameko.testing.services import entrypoint_waiter
from verband_servicekit import offer

from verband_common.contracts import new_event
from verband_common.errors import Forbidden, ValidationFailed

pytestmark = pytest.mark.service


def cases_event(event_type, network_id, **payload):
    return new_event("cases", event_type, network_id, payload)


def crisis(network_id, referral_id):
    return cases_event(
        "crisis_alert_raised",
        network_id,
        family_pseudonym=uuid.uuid4().hex,
        referral_id=str(referral_id),
        municipality="23002",
        raised_on="2026-12-01",
    )


def received(network_id, referral_id, crisis_alert=False):
    return cases_event(
        "referral_received",
        network_id,
        referral_id=str(referral_id),
        offer_id=None,
        family_pseudonym=uuid.uuid4().hex,
        age_bands=["6-11"],
        municipality="23002",
        concern="serious",
        source_sector="ocmw",
        received_on="2026-12-01",
        crisis_alert=crisis_alert,
    )


def deliver(world, handler, event):
    with entrypoint_waiter(world.container, handler, timeout=15):
        world.verband.publish("cases", event)


def inbox(world, actor):
    with world.rpc(actor) as rpc:
        return rpc.partners.my_notifications(50)


def mails_to(world, email):
    return world.verband.sql(
        world.db, "SELECT subject, body FROM mail_outbox WHERE %s = ANY(recipients)", (email,)
    )


@pytest.fixture
def second_coordinator(world):
    with world.rpc(world.admin) as rpc:
        return world.join(
            rpc,
            world.network_a,
            "coördinator twee",
            "coord2.a@verband.test",
            world.org_a,
            ["coordinator"],
        )


def test_a_crisis_tells_every_coordinator_of_the_network_once_by_inbox_and_mail(
    world, second_coordinator
):
    referral_id = uuid.uuid4()
    alert = crisis(world.network_a, referral_id)
    deliver(world, "notify_crisis_alert", alert)
    deliver(world, "notify_crisis_alert", alert)  # a redelivery tells no one again
    # Its referral_received says a crisis alert follows: not told a second time as new.
    deliver(world, "notify_referral_received", received(world.network_a, referral_id, True))

    for actor, email in (
        (world.coordinator_a, "coordinator.a@verband.test"),
        (second_coordinator["actor"], "coord2.a@verband.test"),
    ):
        page = inbox(world, actor)
        [told] = page["notifications"]
        assert told["kind"] == "crisis_referral" and told["urgent"] is True
        assert told["title"] == "Nieuwe crisisaanmelding in 1G1P Asse-Meise-Vilvoorde"
        assert told["link"] == f"/dossiers/{referral_id}"
        assert page["unread"] == 1
        [mail] = mails_to(world, email)
        assert mail["subject"].startswith("[Verband] Nieuwe crisisaanmelding")
        assert f"/dossiers/{referral_id}" in mail["body"]
        with world.rpc(actor) as rpc:
            header = rpc.partners.unread_count()
        assert header["unread"] == 1 and header["crisis"]["id"] == told["id"]

    # Another network's coordinator, the partner worker and the referrer: nothing.
    for actor in (world.coordinator_b, world.partner_worker_a, world.referrer_a):
        assert inbox(world, actor)["notifications"] == []
    assert world.verband.count(world.db, "mail_outbox") == 2
    assert world.verband.count(world.db, "notifications") == 2


def test_a_new_referral_tells_the_coordinators_and_the_mail_follows_the_preference(world):
    with world.rpc(world.coordinator_a) as rpc:
        assert rpc.partners.notification_preferences() == {"mail": "immediately"}
        assert rpc.partners.set_notification_preferences({"mail": "off"}) == {"mail": "off"}
        assert rpc.partners.notification_preferences() == {"mail": "off"}
    deliver(world, "notify_referral_received", received(world.network_a, uuid.uuid4()))
    [told] = inbox(world, world.coordinator_a)["notifications"]
    assert told["kind"] == "new_referral" and told["urgent"] is False
    assert mails_to(world, "coordinator.a@verband.test") == []  # the inbox only

    # A crisis is mailed whatever the preference.
    deliver(world, "notify_crisis_alert", crisis(world.network_a, uuid.uuid4()))
    assert len(mails_to(world, "coordinator.a@verband.test")) == 1


def test_the_referrer_hears_of_triage_start_and_answers_and_a_decline_reaches_coordinators(
    world,
):
    referral_id = uuid.uuid4()
    common = {"family_pseudonym": uuid.uuid4().hex, "referral_id": str(referral_id)}
    deliver(
        world,
        "notify_referral_triaged",
        cases_event(
            "referral_triaged",
            world.network_a,
            **common,
            decision="waiting_list",
            refer_to=None,
            offer_ids=[],
            concern="some",
            urgency="normal",
            received_on="2026-12-01",
            triaged_on="2026-12-02",
            referrer_id=world.referrer_a_id,
        ),
    )
    deliver(
        world,
        "notify_trajectory_started",
        cases_event(
            "trajectory_started",
            world.network_a,
            **common,
            trajectory_id=str(uuid.uuid4()),
            offer_id=None,
            organisation_id=None,
            started_on="2026-12-03",
            days_to_start=2,
            reopened=False,
            referrer_id=world.referrer_a_id,
        ),
    )
    deliver(
        world,
        "notify_referral_answered",
        cases_event(
            "referral_answered",
            world.network_a,
            **common,
            offer_id=str(uuid.uuid4()),
            organisation_id=str(world.org_a),
            answer="declined",
            starts_on=None,
            received_on="2026-12-01",
            answered_on="2026-12-03",
            referrer_id=world.referrer_a_id,
        ),
    )
    told = inbox(world, world.referrer_a)["notifications"]
    assert [n["kind"] for n in told] == ["referral_answered", "help_started", "referral_triaged"]
    assert "Op de wachtlijst" in told[2]["body"]
    assert "03/12/2026" in told[1]["body"]
    assert "terug" in told[0]["body"]
    [declined] = inbox(world, world.coordinator_a)["notifications"]
    assert declined["kind"] == "referral_declined"
    # An event of before the referrer was named (no referrer_id) tells no one.
    assert inbox(world, world.partner_worker_a)["notifications"] == []

    with world.rpc(world.referrer_a) as rpc:
        marked = rpc.partners.mark_notifications_read({"ids": [told[0]["id"]]})
        assert marked == {"marked": 1, "unread": 2}
        # Someone else's notification is not theirs to mark.
        assert rpc.partners.mark_notifications_read({"ids": [declined["id"]]})["marked"] == 0
        assert rpc.partners.mark_notifications_read({"all": True}) == {"marked": 2, "unread": 0}
        older = rpc.partners.my_notifications(1, told[0]["created_at"])["notifications"]
    assert [n["id"] for n in older] == [told[1]["id"]]
    assert inbox(world, world.coordinator_a)["unread"] == 1


def test_a_family_on_a_waiting_list_tells_the_organisations_workers(world):
    with world.rpc(world.coordinator_a) as rpc:
        listed = rpc.partners.publish_offer(world.network_a, offer(world.org_a))
    deliver(
        world,
        "notify_waiting_list_entry_added",
        cases_event(
            "waiting_list_entry_added",
            world.network_a,
            family_pseudonym=uuid.uuid4().hex,
            entry_id=str(uuid.uuid4()),
            referral_id=str(uuid.uuid4()),
            offer_id=listed["id"],
            age_bands=["6-11"],
            municipality="23002",
            concern="some",
            waiting_since="2026-12-01",
            added_on="2026-12-02",
        ),
    )
    [told] = inbox(world, world.partner_worker_a)["notifications"]
    assert told["kind"] == "waiting_list_added" and listed["title"] in told["title"]
    assert inbox(world, world.referrer_a)["notifications"] == []
    assert inbox(world, world.partner_worker_b)["notifications"] == []


def test_bad_input_names_the_field_and_a_key_has_no_inbox(world):
    with world.rpc(world.coordinator_a) as rpc:
        for call, field in (
            (lambda: rpc.partners.my_notifications(0), "limit"),
            (lambda: rpc.partners.my_notifications(10, "gisteren"), "before"),
            (lambda: rpc.partners.mark_notifications_read({}), "ids"),
            (lambda: rpc.partners.mark_notifications_read({"ids": ["x"]}), "ids"),
            (lambda: rpc.partners.set_notification_preferences({"mail": "weekly"}), "mail"),
        ):
            with pytest.raises(ValidationFailed) as refused:
                call()
            assert field in {key.split(".")[0] for key in refused.value.fields}
        token = rpc.partners.issue_api_token(world.network_a, "coordinator", "koppeling")
    with world.rpc(f"token:{token['id']}") as rpc, pytest.raises(Forbidden):
        rpc.partners.unread_count()


def test_a_daily_reader_gets_one_overview_mail_once_the_oldest_notice_waited_a_day(world):
    import psycopg
    from psycopg.rows import dict_row

    from partners import notifications

    with world.rpc(world.coordinator_a) as rpc:
        rpc.partners.set_notification_preferences({"mail": "daily"})
    for _ in range(2):
        deliver(world, "notify_referral_received", received(world.network_a, uuid.uuid4()))
    deliver(world, "notify_crisis_alert", crisis(world.network_a, uuid.uuid4()))
    address = "coordinator.a@verband.test"
    # The crisis at once; the two new referrals wait for the overview.
    [urgent] = mails_to(world, address)
    assert "crisisaanmelding" in urgent["subject"]

    def run_digests():
        with psycopg.connect(world.db, row_factory=dict_row) as conn:
            return notifications.queue_digests(conn)

    assert run_digests() == 0  # not a day yet
    world.verband.sql(
        world.db,
        "UPDATE notifications SET created_at = created_at - interval '25 hours'"
        " WHERE kind = 'new_referral'",
    )
    assert run_digests() == 1
    assert run_digests() == 0  # sent once
    overview = [m for m in mails_to(world, address) if "Overzicht" in m["subject"]]
    assert [m["subject"] for m in overview] == ["[Verband] Overzicht: 2 meldingen"]
    assert overview[0]["body"].count("Nieuwe aanmelding in 1G1P Asse-Meise-Vilvoorde") == 2
    # The inbox keeps them all, unread.
    assert inbox(world, world.coordinator_a)["unread"] == 3
