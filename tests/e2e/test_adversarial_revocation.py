"""A revoked role stays revoked: an old grant, redelivered or replayed from the dead letters
by an operator, cannot bring it back in cases.

Someone becomes coordinator of a network and so reads a family's case a referrer sent. The
network admin revokes the role. Then partners' own role_granted message from before the
revoke comes back twice: redelivered as it was, and as a parked copy (a new message id, as if
its first delivery to cases had failed and been parked) put back on cases' queue by the
operator's replay tool. Cases still refuses the case to them. The gateway lets anyone signed
in ask for a case, so what answers is cases' own projection of their roles.
"""

import json
import uuid

from kombu import Connection, Exchange, Queue

from verband_common import deadletters
from verband_common.consumer import (
    DEAD_LETTER_QUEUE,
    DL_QUEUE,
    DL_REASON,
    DL_SERVICE,
    dead_letter_queue,
)
from verband_testkit.api import (
    accept_as_new,
    create_team,
    expect,
    invite,
    poll,
    publish_offer,
    refer_once_offer_known,
)

CASES_GRANT_QUEUE = "evt-partners-role_granted--cases.on_role_granted"


def _new_person(stack, team) -> tuple[dict, str]:
    """A person of the team's organisation without any role yet (invited by the network admin,
    accepted by mail link), and their signed-in token."""
    email = f"dubbel.{uuid.uuid4().hex[:8]}@verband.test"
    invite(
        stack,
        team.tokens["network_admin"],
        team.id,
        {"name": "Dubbele Rol", "email": email, "organisation_id": team.organisation["id"]},
    )
    opened = accept_as_new(stack, email)
    return {"id": opened["principal"]["person_id"]}, opened["token"]


def test_an_old_grant_replayed_after_the_revoke_leaves_the_role_revoked(stack):
    team = create_team(stack)
    offer = publish_offer(team)
    case_id = refer_once_offer_known(team, offer["id"])["case_id"]
    person, token = _new_person(stack, team)
    admin = team.tokens["network_admin"]
    roles_url = f"/api/networks/{team.id}/people/{person['id']}/roles"

    def case_status() -> int:
        return stack.http("GET", f"/api/cases/{case_id}", token=token).status_code

    with Connection(stack.broker.amqp_uri) as conn:
        # What partners publishes, seen from a queue of the test's own (as an operator could).
        events = Exchange("partners.events", type="topic", durable=True)
        watch = Queue(
            f"test-watch-{uuid.uuid4().hex[:8]}",
            exchange=events,
            routing_key="role_granted",
            auto_delete=True,
        )(conn.channel())
        watch.declare()

        expect(stack.http("POST", roles_url, token=admin, json={"role": "coordinator"}), 200)
        # Cases learns the grant from the event: as coordinator they read the network's case.
        poll(lambda: case_status() == 200, 60, what="cases applying the coordinator grant")

        def the_grant():
            message = watch.get(no_ack=True)
            while message is not None:
                body = json.loads(message.body)
                if body["person_id"] == person["id"] and body["role"] == "coordinator":
                    return body
                message = watch.get(no_ack=True)
            return None

        grant = poll(the_grant, 30, what="partners' role_granted message")
        watch.delete()

        expect(stack.http("DELETE", f"{roles_url}/coordinator", token=admin), 200)
        poll(lambda: case_status() == 404, 60, what="cases applying the revoke")

        producer = conn.Producer()
        # 1. The old grant redelivered as it was.
        producer.publish(
            json.dumps(grant),
            exchange=events,
            routing_key="role_granted",
            content_type="application/json",
            delivery_mode=2,
        )
        # 2. A parked copy of it (a new message id), replayed onto cases' queue by the
        # operator's tool.
        parked = {**grant, "event_id": str(uuid.uuid4())}
        dead_letter_queue()(conn.channel()).declare()  # made at the first parking otherwise
        producer.publish(
            json.dumps(parked),
            exchange="",  # the operator's account may publish straight to a queue
            routing_key=DEAD_LETTER_QUEUE,
            headers={
                DL_QUEUE: CASES_GRANT_QUEUE,
                DL_REASON: "database unavailable (played by the test)",
                DL_SERVICE: "cases",
            },
            content_type="application/json",
            delivery_mode=2,
        )
    replayed = deadletters.replay(stack.broker.amqp_uri, {parked["event_id"]})
    assert [r["event_id"] for r in replayed] == [parked["event_id"]]
    poll(
        lambda: stack.sql(
            "cases", "SELECT 1 FROM inbox WHERE event_id = %s", (parked["event_id"],)
        ),
        60,
        what="cases taking the replayed grant",
    )

    assert case_status() == 404
    versions = stack.sql(
        "cases",
        "SELECT version, granted FROM role_versions WHERE person_id = %s AND role = %s",
        (person["id"], "coordinator"),
    )
    assert len(versions) == 1 and versions[0]["granted"] is False
    assert versions[0]["version"] > grant["role_version"]
