"""Nothing waits forever, nothing is dropped silently, timeouts tell the truth:
- a mail that cannot be sent does not hold back the next one, and its network admin sees it;
- an event published while no queue is bound to it is kept, and arrives once one is;
- a dead-letter replay interrupted by a broker restart loses nothing and doubles nothing;
- a request that reaches a service after its caller's deadline writes nothing;
- a referral retried with the same Idempotency-Key makes one referral, one family."""

import datetime as dt
import json
import threading
import time
import uuid

import pytest
import requests
from kombu import Connection, Queue
from nameko.standalone.rpc import ClusterRpcProxy

from verband_common import deadletters
from verband_common.consumer import (
    ATTEMPTS,
    DEAD_LETTER_QUEUE,
    DL_AT,
    DL_QUEUE,
    DL_REASON,
    DL_SERVICE,
    ORIGINAL_EXCHANGE,
    ORIGINAL_ROUTING_KEY,
    dead_letter_queue,
)
from verband_common.contracts import new_event
from verband_testkit import AMQP_PASSWORD, AMQP_USER, rpc_health, wait_for
from verband_testkit.api import (
    create_team,
    expect,
    poll,
    publish_offer,
    refer_once_offer_known,
    referral_input,
)
from verband_testkit.faults import scalar


def queue_depth(stack, name: str) -> int:
    with Connection(stack.broker.amqp_uri) as conn:
        return (
            Queue(name, no_declare=True)(conn.channel()).queue_declare(passive=True).message_count
        )


def delete_queue(stack, name: str) -> None:
    r = requests.delete(
        f"{stack.broker.management_url}/api/queues/%2F/{name}",
        auth=(AMQP_USER, AMQP_PASSWORD),
        timeout=10,
    )
    r.raise_for_status()


# --- the mail queue -----------------------------------------------------------------------


def create_body(team) -> dict:
    people = team.people
    payload = {
        "name": f"Kernteam {team.network['name']}",
        "kind": "kernteam",
        "members": [
            {"person_id": people["coordinator"]["id"], "role": "chair"},
            {"person_id": people["referrer"]["id"], "role": "member"},
            {"person_id": people["case_manager"]["id"], "role": "member"},
        ],
        "quorum": {"kind": "majority"},
        "decision_rule": {"method": "consensus"},
        "cadence": {"kind": "every_days", "days": 14, "weekday": 1, "time": "14:00"},
        "agenda_deadline_days": 0,
    }

    def attempt():  # until meetings learned the team's roles from partners' events
        r = team.http("coordinator", "POST", f"/api/networks/{team.id}/bodies", json=payload)
        if r.status_code == 201:
            return r.json()
        assert r.status_code in (404, 422), f"body refused: {r.status_code} {r.text[:300]}"
        return None

    return poll(attempt, 30, interval=0.3, what="meetings knowing the team's roles")


@pytest.fixture(scope="module")
def team(stack):
    """One team for the module (each costs seconds of password hashing), whose offer and
    referrer cases already knows."""
    team = create_team(stack)
    team.offer = publish_offer(team)
    refer_once_offer_known(team, team.offer["id"])
    return team


def test_a_poisoned_mail_does_not_delay_the_next_one(healthy, team):
    stack = healthy
    body = create_body(team)
    # A mail whose subject holds a line break (as a body named so once made): before, the
    # sender raised on it every round, and every later mail of every network waited.
    [poison] = stack.sql(
        "meetings",
        "INSERT INTO mail_outbox (network_id, recipients, subject, body)"
        " VALUES (%s, %s, %s, 'Beste, ...') RETURNING id",
        (team.id, [team.people["referrer"]["email"]], "Agenda Kernteam\nBcc: allen@example.org"),
    )
    starts = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
    meeting = expect(
        team.http(
            "coordinator",
            "POST",
            f"/api/bodies/{body['id']}/meetings",
            json={"starts_at": starts.isoformat(), "on_holiday": True},
        ),
        201,
    )
    published = time.monotonic()
    expect(
        team.http("coordinator", "POST", f"/api/meetings/{meeting['id']}/agenda-publication"), 200
    )

    address = team.people["case_manager"]["email"]
    [mail] = wait_for(lambda: stack.smtp.to(address), 20, what="the agenda mail")
    waited = time.monotonic() - published
    print(f"agenda mail arrived {waited:.1f}s after publication, behind a poisoned mail")
    assert mail["Subject"].startswith("Agenda Kernteam")
    assert not any("allen@example.org" in m["X-Envelope-To"] for m in stack.smtp.messages())
    [row] = stack.sql(
        "meetings",
        "SELECT sent_at, parked_at, last_error FROM mail_outbox WHERE id = %s",
        (poison["id"],),
    )
    assert row["sent_at"] is None and row["parked_at"] is not None

    # The network admin sees it, and why; the coordinator does not.
    parked = expect(team.http("network_admin", "GET", f"/api/networks/{team.id}/parked-mails"), 200)
    assert [m["id"] for m in parked] == [poison["id"]]
    assert "kan niet opgemaakt worden" in parked[0]["last_error"]
    r = team.http("coordinator", "GET", f"/api/networks/{team.id}/parked-mails")
    assert r.status_code == 403


# --- an event nobody listens to yet ------------------------------------------------------

# Crisis alerts are consumed by reporting (its counts) and by partners (the coordinators'
# notices).
CRISIS_QUEUES = {
    "reporting": "evt-cases-crisis_alert_raised--reporting.on_crisis_alert_raised",
    "partners": "evt-cases-crisis_alert_raised--partners.notify_crisis_alert",
}


def test_an_event_published_while_no_queue_is_bound_is_not_lost(healthy, team):
    stack = healthy
    offer = team.offer
    # Both consumers are stopped and their queues removed (as before the services were first
    # deployed), so the alert below has nowhere to go. With partners stopped the gateway
    # cannot sign anyone in: the referrer's referral goes to cases over RPC directly.
    stopped = [stack.services[name].get_wrapped_container() for name in CRISIS_QUEUES]
    for container in stopped:
        container.stop(timeout=10)
    try:
        for queue in CRISIS_QUEUES.values():
            delete_queue(stack, queue)
        referrer = f"person:{team.people['referrer']['id']}"
        with ClusterRpcProxy(
            {"AMQP_URI": stack.broker.amqp_uri}, timeout=30, context_data={"actor": referrer}
        ) as rpc:
            crisis = rpc.cases.receive_referral(
                team.id, referral_input(offer["id"], urgency="urgent_dangerous")
            )

        def outbox_row():
            rows = stack.sql(
                "cases",
                "SELECT sent_at, unroutable_since, attempts FROM outbox"
                " WHERE event_type = 'crisis_alert_raised' AND body->>'referral_id' = %s",
                (crisis["referral_id"],),
            )
            return rows and rows[0]["unroutable_since"] is not None and rows[0]

        kept = wait_for(outbox_row, 30, what="the alert kept as unroutable")
        assert kept["sent_at"] is None
        cases_health = rpc_health(stack.broker.amqp_uri, "cases")
        assert cases_health["outbox_unroutable"] >= 1 and cases_health["outbox_unroutable_since"]
    finally:
        for container in stopped:
            container.start()  # declares and binds its queues again
        for name in CRISIS_QUEUES:
            stack.wait_service(name)

    def arrived():
        return scalar(
            stack,
            "reporting",
            "SELECT count(*) FROM event_log"
            " WHERE event_type = 'crisis_alert_raised' AND body->>'referral_id' = %s",
            (crisis["referral_id"],),
        )

    assert wait_for(arrived, 60, what="the alert in reporting, once its queue is bound") == 1
    wait_for(
        lambda: (
            scalar(
                stack,
                "cases",
                "SELECT count(*) FROM outbox WHERE sent_at IS NULL"
                " AND event_type = 'crisis_alert_raised'",
            )
            == 0
        ),
        30,
        what="the alert marked sent",
    )


# --- a dead-letter replay across a broker restart -----------------------------------------

PLAN_QUEUE = "evt-cases-plan_updated--reporting.on_plan_updated"
PARKED = 500


def park(stack, events: list[dict]) -> None:
    """Park events as the consumer does when reporting's handler kept failing on them."""
    with Connection(stack.broker.amqp_uri, transport_options={"confirm_publish": True}) as conn:
        producer = conn.Producer()
        for event in events:
            producer.publish(
                json.dumps(event),
                exchange="",
                routing_key=DEAD_LETTER_QUEUE,
                declare=[dead_letter_queue()],
                content_type="application/json",
                content_encoding="utf-8",
                delivery_mode=2,
                headers={
                    ATTEMPTS: 5,
                    ORIGINAL_EXCHANGE: "cases.events",
                    ORIGINAL_ROUTING_KEY: "plan_updated",
                    DL_QUEUE: PLAN_QUEUE,
                    DL_REASON: "OperationalError('the database was away')",
                    DL_AT: dt.datetime.now(dt.UTC).isoformat(),
                    DL_SERVICE: "reporting",
                },
            )


def plan_updated(network_id) -> dict:
    return new_event(
        "cases",
        "plan_updated",
        network_id,
        {
            "family_pseudonym": uuid.uuid4().hex,
            "referral_id": str(uuid.uuid4()),
            "version_number": 1,
            "goals": 2,
            "actions": 3,
            "next_review_on": None,
            "updated_on": dt.date.today().isoformat(),
        },
    )


def test_a_replayed_dead_letter_survives_a_broker_restart_during_the_replay(healthy, monkeypatch):
    stack = healthy
    network_id = str(uuid.uuid4())
    events = [plan_updated(network_id) for _ in range(PARKED)]
    park(stack, events)
    assert queue_depth(stack, DEAD_LETTER_QUEUE) == PARKED

    broker = stack.broker.container.get_wrapped_container()
    real_batch = deadletters._replay_batch
    batches = []

    def batch_then_stop(publisher, batch):
        batches.append(len(batch))
        if len(batches) == 3:  # two batches replayed, the third fetched: the broker goes
            broker.stop(timeout=20)
        return real_batch(publisher, batch)

    monkeypatch.setattr(deadletters, "_replay_batch", batch_then_stop)
    with pytest.raises(deadletters.ReplayInterrupted) as interrupted:
        deadletters.replay(stack.broker.amqp_uri)
    monkeypatch.setattr(deadletters, "_replay_batch", real_batch)
    first = len(interrupted.value.replayed)
    assert first == 2 * deadletters.REPLAY_BATCH

    broker.start()
    stack.broker.wait_ready(timeout=90)
    stack.wait_healthy(timeout=120)
    # Nothing was lost while the broker was down: what was not confirmed is still parked.
    assert queue_depth(stack, DEAD_LETTER_QUEUE) >= PARKED - first
    rest = deadletters.replay(stack.broker.amqp_uri)
    print(f"replayed {first} before the restart, {len(rest)} after")
    assert first + len(rest) >= PARKED

    ids = [e["event_id"] for e in events]

    def logged():
        rows = stack.sql(
            "reporting",
            "SELECT count(*) AS n, count(DISTINCT event_id) AS d FROM event_log"
            " WHERE network_id = %s AND event_type = 'plan_updated'",
            (network_id,),
        )[0]
        return rows["n"] == rows["d"] == PARKED and rows

    wait_for(logged, 60, what="every replayed event in reporting, once")
    assert (
        scalar(
            stack,
            "reporting",
            "SELECT count(*) FROM inbox WHERE consumer = 'reporting.on_plan_updated'"
            " AND event_id = ANY(%s::uuid[])",
            (ids,),
        )
        == PARKED
    )
    # Acks the broker had not yet written when it stopped bring a few replayed messages back
    # (at least once, never at most once). They can only be copies of events reporting has
    # applied, and one more replay, as the operator's tool says, empties the queue.
    for _ in range(3):
        parked = deadletters.list_parked(stack.broker.amqp_uri)
        if not parked:
            break
        assert {row["event_id"] for row in parked} <= set(ids), parked[:3]
        deadletters.replay(stack.broker.amqp_uri)
    assert queue_depth(stack, DEAD_LETTER_QUEUE) == 0
    wait_for(lambda: queue_depth(stack, PLAN_QUEUE) == 0, 60, what="reporting taking the copies")
    assert logged(), "a copy replayed again was applied twice"


# --- deadlines and retries ------------------------------------------------------------------


def referrals_asking(stack, marker: str) -> list[dict]:
    return stack.sql(
        "cases",
        "SELECT id::text AS id, family_id::text AS family_id FROM referrals WHERE question = %s",
        (marker,),
    )


def test_a_service_that_receives_a_request_after_its_deadline_does_not_write(healthy, team):
    stack = healthy
    offer = team.offer
    marker = f"Te laat {uuid.uuid4().hex[:8]}"
    cases = stack.services["cases"].get_wrapped_container()
    # Frozen, cases still has the request delivered to it (its prefetch), but cannot work on
    # it before the gateway has given up and answered 503.
    cases.pause()
    try:
        r = team.http(
            "referrer",
            "POST",
            f"/api/networks/{team.id}/referrals",
            json=referral_input(offer["id"], question=marker),
            timeout=30,
        )
    finally:
        cases.unpause()
    assert r.status_code == 503, r.text[:300]
    assert r.headers["Retry-After"]

    wait_for(
        lambda: b"deadline has passed" in cases.logs(tail=200),
        20,
        what="cases refusing the late request",
    )
    time.sleep(1)
    assert referrals_asking(stack, marker) == [], "a request answered 503 was applied"


def test_a_retried_referral_with_the_same_idempotency_key_makes_one_family(healthy, team):
    stack = healthy
    offer = team.offer
    marker = f"Nog eens {uuid.uuid4().hex[:8]}"
    payload = referral_input(offer["id"], question=marker)
    key = {"Idempotency-Key": f"ref-{uuid.uuid4()}"}
    path = f"/api/networks/{team.id}/referrals"
    cases = stack.services["cases"].get_wrapped_container()

    # The client gives up before cases answers (cases is briefly frozen); cases does the
    # work once it runs again, but the answer reaches nobody.
    cases.pause()
    thawed = threading.Timer(2.0, cases.unpause)
    thawed.start()
    try:
        with pytest.raises(requests.exceptions.Timeout):
            team.http("referrer", "POST", path, json=payload, headers=key, timeout=1)
    finally:
        thawed.join()
    wait_for(lambda: referrals_asking(stack, marker), 20, what="the first attempt applied")

    # The client's retry, with the same key, gets the first answer, not a second referral.
    retried = expect(team.http("referrer", "POST", path, json=payload, headers=key), 201)
    [made] = referrals_asking(stack, marker)
    assert retried["referral_id"] == made["id"]
    again = expect(team.http("referrer", "POST", path, json=payload, headers=key), 201)
    assert again == retried
    time.sleep(1)
    assert len(referrals_asking(stack, marker)) == 1
    assert (
        scalar(stack, "cases", "SELECT count(*) FROM families WHERE id = %s", (made["family_id"],))
        == 1
    )

    # The same key with another question is refused, naming the header.
    other = referral_input(offer["id"], question=marker + " (anders)")
    r = team.http("referrer", "POST", path, json=other, headers=key)
    assert r.status_code == 422 and "Idempotency-Key" in r.json()["error"]["fields"]
