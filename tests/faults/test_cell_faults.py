"""A region's cell under faults: three RabbitMQ nodes, PgBouncer, two replicas of cases and of
reporting (deploy/cells/cell.yml in containers).

- One broker node of three is stopped while referrals pour in (the node that leads the
  queues the stream uses, so that their leadership must move): quorum queues keep every
  message, clients reconnect to a surviving node, and reporting ends with every referral
  cases committed exactly once.
- A replica of cases and a replica of reporting are restarted mid-stream: the other replica
  carries on, the restarted one rejoins, and again every referral is counted exactly once.

Requests in flight at the instant of a fault may be answered 503 (the answer had no way
back); such a request may have committed, and is then counted like any other. Nothing
accepted is lost, nothing is counted twice.
"""

import time
from urllib.parse import quote

import pytest

from verband_testkit import BROKER_USERS, wait_for
from verband_testkit.api import (
    create_team,
    publish_offer,
    refer_once_offer_known,
    wait_referral_count,
)
from verband_testkit.cell import NODES, CellStack
from verband_testkit.faults import (
    Stream,
    assert_exactly_once,
    counted_in_reporting,
    referrals_in_cases,
    scalar,
)

REPLICAS = {"partners": 1, "cases": 2, "meetings": 1, "reporting": 2}
REFERRAL_QUEUE = "evt-cases-referral_received--reporting.on_referral_received"


@pytest.fixture(scope="module")
def cell():
    cell = CellStack.start(replicas=REPLICAS)
    try:
        yield cell
    finally:
        cell.stop()


@pytest.fixture
def healthy_cell(cell):
    cell.wait_healthy(timeout=120)
    assert_exactly_once(cell)
    return cell


def queue(cell, name: str) -> dict:
    return cell.management(f"/api/queues/%2F/{quote(name, safe='')}")


def check_stream_outcome(cell, team, first, stream, tag: str):
    """Every accepted referral committed once; refused ones committed only if in flight at
    the fault; reporting counts exactly what cases committed; the outbox is empty."""
    assert set(stream.summary()) <= {201, 503}, stream.summary()
    accepted = {first["referral_id"]} | {a.body["referral_id"] for a in stream.accepted}
    committed = referrals_in_cases(cell, team.id)
    markers = list(committed.values())
    assert not accepted - set(committed), "accepted referrals missing in cases"
    assert len(set(markers)) == len(markers), "a request created more than one referral"
    by_marker = {a.marker: a for a in stream.attempts}
    ambiguous = sorted(m for r, m in committed.items() if r not in accepted)
    print("refused yet committed (in flight at the fault):", ambiguous)
    assert all(
        m.startswith(f"{tag}#") and by_marker[m].status == 503 and not by_marker[m].after_fault
        for m in ambiguous
    ), ambiguous
    wait_referral_count(team, len(committed), timeout=120)
    assert counted_in_reporting(cell, team.id) == set(committed)
    assert scalar(cell, "cases", "SELECT count(*) FROM outbox WHERE sent_at IS NULL") == 0
    return committed


def test_every_service_and_the_gateway_connect_to_the_cluster_as_their_own_user(healthy_cell):
    """The cell's nodes run Verband's broker image: each has the per-service users, and each
    service and the gateway log in as its own (with its least permissions), not the operator."""
    assert set(BROKER_USERS) <= healthy_cell.broker.connected_users()


def test_a_broker_node_stopped_mid_stream_loses_and_doubles_nothing(healthy_cell):
    cell = healthy_cell
    team = create_team(cell)
    offer = publish_offer(team)
    first = refer_once_offer_known(team, offer["id"])
    # Every queue is replicated on all three nodes.
    for name in ("rpc-cases", REFERRAL_QUEUE):
        q = queue(cell, name)
        assert q["type"] == "quorum", (name, q["type"])
        assert {m.removeprefix("rabbit@") for m in q["members"]} == set(NODES), q["members"]
    leader = queue(cell, REFERRAL_QUEUE)["leader"].removeprefix("rabbit@")
    seen = {}

    def stop_leader():
        t0 = time.monotonic()
        cell.broker.stop_node(leader)
        seen["stopped_after_s"] = round(time.monotonic() - t0, 1)

    stream = Stream(
        cell,
        team.id,
        offer["id"],
        team.tokens["referrer"],
        total=150,
        workers=4,
        fault=stop_leader,
        fault_after=40,
        after_fault=40,
        tag="node",
    ).run()
    print("stream:", stream.summary(), "stopped:", leader, seen)

    # The cell went on with two nodes: the queues have a new leader on a surviving node.
    assert leader not in cell.broker.running()
    new_leader = queue(cell, REFERRAL_QUEUE)["leader"].removeprefix("rabbit@")
    assert new_leader != leader and new_leader in cell.broker.running()
    committed = check_stream_outcome(cell, team, first, stream, "node")
    assert len(committed) >= 80

    # The node comes back, rejoins, and the queues are whole again.
    cell.broker.start_node(leader)
    wait_for(
        lambda: len(queue(cell, REFERRAL_QUEUE).get("online", [])) == 3,
        120,
        interval=1,
        what="the referral queue online on all three nodes again",
    )
    refer_once_offer_known(team, offer["id"])
    wait_referral_count(team, len(committed) + 1)
    assert_exactly_once(cell)


def test_service_replicas_restarted_mid_stream_lose_and_double_nothing(healthy_cell):
    cell = healthy_cell
    team = create_team(cell)
    offer = publish_offer(team)
    first = refer_once_offer_known(team, offer["id"])
    cases_replica = cell.instances("cases")[1]
    reporting_replica = cell.instances("reporting")[0]

    def restart_replicas():
        # One cases replica (RPC, outbox relay) and one reporting replica (events) at once.
        cases_replica.get_wrapped_container().restart(timeout=10)
        reporting_replica.get_wrapped_container().restart(timeout=10)

    stream = Stream(
        cell,
        team.id,
        offer["id"],
        team.tokens["referrer"],
        total=150,
        workers=4,
        fault=restart_replicas,
        fault_after=40,
        after_fault=40,
        tag="replica",
    ).run()
    print("stream:", stream.summary())
    check_stream_outcome(cell, team, first, stream, "replica")

    # Both replicas of each are back and consuming.
    def consumers(name):
        return len(queue(cell, name)["consumer_details"])

    wait_for(lambda: consumers("rpc-cases") == 2, 90, interval=1, what="two cases replicas")
    wait_for(lambda: consumers(REFERRAL_QUEUE) == 2, 90, interval=1, what="two reporting replicas")
    assert_exactly_once(cell)
