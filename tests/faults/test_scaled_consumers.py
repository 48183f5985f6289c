"""Scaling: a second cases instance joins and competes for the same queues (RPC requests and
partners' offer_published events). Under a stream of offers and referrals, every event is
applied exactly once: cases knows each offer once, reporting counts each referral once, and
only one outbox relay at a time publishes cases' events."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import quote

import pytest

from verband_testkit import wait_for
from verband_testkit.api import (
    create_team,
    offer_input,
    publish_offer,
    refer_once_offer_known,
    referral_count,
    referral_input,
    wait_referral_count,
)
from verband_testkit.faults import assert_exactly_once, counted_in_reporting, referrals_in_cases

RPC_QUEUE = "rpc-cases"
OFFER_QUEUE = "evt-partners-offer_published--cases.on_offer_published"


@pytest.fixture
def second_cases(healthy):
    stack = healthy
    container = stack.start_instance("cases")
    try:
        yield container
    finally:
        stack.stop_instance(container)


def consumers(stack, queue: str) -> list[dict]:
    return stack.management(f"/api/queues/%2F/{quote(queue, safe='')}")["consumer_details"]


def peers(stack, queue: str) -> set[str]:
    return {c["channel_details"]["peer_host"] for c in consumers(stack, queue)}


def acks_per_peer(stack, queue: str) -> dict[str, int]:
    """Messages each consuming instance acked, from the broker's channel statistics."""
    out = {}
    for c in consumers(stack, queue):
        details = c["channel_details"]
        channel = stack.management(f"/api/channels/{quote(details['name'], safe='')}")
        acked = channel.get("message_stats", {}).get("ack", 0)
        out[details["peer_host"]] = out.get(details["peer_host"], 0) + acked
    return out


def test_two_cases_instances_apply_every_event_exactly_once(healthy, second_cases):
    stack = healthy
    # The second instance has joined both queues: two consumers, from two hosts.
    for queue in (RPC_QUEUE, OFFER_QUEUE):
        wait_for(
            lambda q=queue: len(peers(stack, q)) == 2,
            90,
            interval=0.5,
            what=f"two cases instances consuming {queue}",
        )
    acked_before = {q: acks_per_peer(stack, q) for q in (RPC_QUEUE, OFFER_QUEUE)}

    team = create_team(stack)
    nid = team.id
    first_offer = publish_offer(team)
    first = refer_once_offer_known(team, first_offer["id"])

    # 160 referrals and 40 offers, interleaved, from 6 threads.
    work = [("offer" if i % 5 == 0 else "referral", i) for i in range(200)]
    results = {"offer": [], "referral": []}
    lock = threading.Lock()

    def do(item):
        kind, i = item
        if kind == "offer":
            r = team.http(
                "coordinator",
                "POST",
                f"/api/networks/{nid}/offers",
                json=offer_input(
                    team.organisation["id"], title=f"Aanbod {i}", capacity=i, free_places=0
                ),
                timeout=30,
            )
        else:
            r = team.http(
                "referrer",
                "POST",
                f"/api/networks/{nid}/referrals",
                json=referral_input(first_offer["id"], question=f"Vraag scale#{i}"),
                timeout=30,
            )
        with lock:
            results[kind].append((r.status_code, r.json()))

    with ThreadPoolExecutor(6) as pool:
        list(pool.map(do, work))

    assert {s for s, _ in results["offer"]} == {201}, results["offer"][:3]
    assert {s for s, _ in results["referral"]} == {201}, results["referral"][:3]
    offer_ids = {first_offer["id"]} | {b["id"] for _, b in results["offer"]}
    referral_ids = {first["referral_id"]} | {b["referral_id"] for _, b in results["referral"]}
    assert len(offer_ids) == 41 and len(referral_ids) == 161

    # cases learned every offer, each once (the inbox has one row per offer_published event).
    def cases_offers():
        rows = stack.sql(
            "cases", "SELECT id::text AS id, capacity FROM offers WHERE network_id = %s", (nid,)
        )
        return {r["id"]: r["capacity"] for r in rows}

    wait_for(
        lambda: set(cases_offers()) == offer_ids,
        60,
        interval=0.5,
        what="cases knowing all 41 offers",
    )
    assert sorted(cases_offers().values()) == sorted([12] + list(range(0, 200, 5)))

    # Reporting counts each referral once.
    wait_referral_count(team, 161, timeout=90)
    assert set(referrals_in_cases(stack, nid)) == referral_ids
    assert counted_in_reporting(stack, nid) == referral_ids

    # Both instances took part: each acked RPC requests and offer events of this stream
    # (the broker's channel statistics lag by a few seconds).
    def both_worked(queue):
        now = acks_per_peer(stack, queue)
        return len(now) == 2 and all(n > acked_before[queue].get(p, 0) for p, n in now.items())

    for queue in (RPC_QUEUE, OFFER_QUEUE):
        wait_for(
            lambda q=queue: both_worked(q),
            30,
            interval=1,
            what=f"both cases instances acking from {queue}",
        )

    # A referral to each new offer works, whichever instance answers.
    for offer_id in sorted(offer_ids - {first_offer["id"]})[:5]:
        refer_once_offer_known(team, offer_id)
    wait_referral_count(team, 166)

    assert_exactly_once(stack)
    time.sleep(1)
    assert referral_count(team) == 166
