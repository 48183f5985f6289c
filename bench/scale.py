"""Scaling out: the event pipeline and a portal page with 1 and with 3 replicas of the
service doing the work, in the same run, on the same stack.

- Event pipeline: the pipeline benchmark's round (bench/pipeline.py: N referral_received
  events written to cases' outbox, relayed with confirms, consumed and projected by
  reporting) with one reporting container, then with three competing for the same quorum
  queue. One relay publishes at a time by design (events leave in outbox order), so the
  figure is how far more consumers lift the whole pipeline.
- Portal page: the coordinator's dashboard (GET /: cases.dashboard and cases.pickup_clocks
  with partners and meetings) under `users` signed-in sessions (bench/portal.py), with one
  cases container and then with three; the gateway stays one container.

Each pair is measured one after the other in the same run (1 replica, 3 replicas, and 1
again, the median of the two 1-replica figures as the baseline), so background load hits
both alike. The ratio is 3 replicas' throughput over 1 replica's. Aim: 3 replicas at least
1.8 x one, where the machine has the cores: replicas add workers, not processors, and on a
machine whose cores one replica already keeps busy the ratio stays near 1 (bench/README.md).
"""

import os
import uuid
from urllib.parse import quote

from common import Result, median, wait_until
from pipeline import pipeline, referral_events
from portal import _load, prepare

from verband_testkit.api import portal_session

NAME = "scale-out"
AIM = 1.8
REPORTING_QUEUE = "evt-cases-referral_received--reporting.on_referral_received"


def consumers(stack, queue: str) -> int:
    return stack.management(f"/api/queues/%2F/{quote(queue, safe='')}")["consumers"]


def scaled(stack, service: str, queue: str, replicas: int, running: list) -> None:
    """Start or stop instances of `service` until `replicas` consume from `queue`."""
    while len(running) + 1 < replicas:
        running.append(stack.start_instance(service))
    while len(running) + 1 > replicas:
        stack.stop_instance(running.pop())
    # One consumer per instance on the queue: a new instance is in only once it consumes.
    wait_until(
        lambda: consumers(stack, queue) == replicas,
        120,
        0.5,
        f"{replicas} {service} instance(s) consuming {queue}",
    )


def pipeline_rate(stack, events: int, networks: int) -> float:
    nets = [uuid.uuid4() for _ in range(networks)]
    result = pipeline(
        stack.database.url("cases"),
        stack.database.url("reporting"),
        referral_events(events, nets),
        nets,
        timeout=max(60.0, events / 20),
    )
    return events / result["seconds"]


def run(stack, events: int = 3000, users: int = 30, seconds: float = 10) -> Result:
    cores = os.cpu_count() or 1
    details = []
    extra_reporting: list = []
    extra_cases: list = []
    try:
        # -- the event pipeline -----------------------------------------------------------
        pipeline_rate(stack, min(500, events), 10)  # warm-up
        rates = {}
        for replicas in (1, 3, 1):
            scaled(stack, "reporting", REPORTING_QUEUE, replicas, extra_reporting)
            pipeline_rate(stack, min(300, events), 10)  # new consumers warm
            rates.setdefault(replicas, []).append(pipeline_rate(stack, events, 20))
        pipe_one, pipe_three = median(rates[1]), median(rates[3])
        pipe_ratio = pipe_three / pipe_one
        details.append(
            f"event pipeline ({events} events): 1 reporting replica {pipe_one:.0f} ev/s"
            f" ({', '.join(f'{r:.0f}' for r in rates[1])}), 3 replicas {pipe_three:.0f} ev/s"
            f" -> {pipe_ratio:.2f} x"
        )

        # -- a portal page ----------------------------------------------------------------
        world = prepare(stack, families=20)
        email = world["team"].people["coordinator"]["email"]
        sessions = [portal_session(stack, email) for _ in range(users)]
        url, text = f"{stack.base_url}/", "Dashboard van het netwerk"
        page = {}
        for replicas in (1, 3, 1):
            scaled(stack, "cases", "rpc-cases", replicas, extra_cases)
            _load(sessions, url, text, min(3.0, seconds))  # warm-up
            page.setdefault(replicas, []).append(_load(sessions, url, text, seconds))
        for s in sessions:
            s.close()
        page_one = median([f["rps"] for f in page[1]])
        page_three = median([f["rps"] for f in page[3]])
        page_ratio = page_three / page_one
        details.append(
            f"portal dashboard ({users} users, {seconds:.0f} s): 1 cases replica"
            f" {page_one:.1f} req/s (p95 {page[1][0]['p95_ms']:.0f} ms), 3 replicas"
            f" {page_three:.1f} req/s (p95 {page[3][0]['p95_ms']:.0f} ms) -> {page_ratio:.2f} x"
        )
    finally:
        for c in extra_reporting + extra_cases:
            stack.stop_instance(c)
    ratio = min(pipe_ratio, page_ratio)
    details.append(f"this machine has {cores} core(s); every container and this process share them")
    line = (
        f"{NAME}: 3 replicas vs 1 - event pipeline {pipe_ratio:.2f} x, portal dashboard"
        f" {page_ratio:.2f} x -> ratio {ratio:.2f} (aim >= {AIM} where cores allow)"
    )
    return Result(NAME, line, ratio, f">= {AIM}", ratio >= AIM, details)
