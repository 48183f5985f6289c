"""Portal pages under load: the coordinator's dashboard and the waiting-list page, beside a
page the same gateway serves without asking any service.

Set-up through the JSON API, as people do: a network with a partner organisation and its
people (verband_testkit.api.create_team), an offer, and `families` families referred and
triaged onto its waiting list by the coordinator; the coordinator's events reach cases and
meetings before the clock runs.

Load: `users` signed-in browser sessions of the coordinator (each signed in through the
portal's form: its own session cookie and session token), one thread each, requesting the
page over and over for `seconds` seconds; every answer must be 200 and hold what the page
is about. Pages, one after the other, each after a warm-up:
- dashboard: GET / (the coordinator's home: cases.coordinator_home and meetings.overview at
  once, partners.get_network kept a few seconds by the gateway);
- waiting list: GET /wachtlijst?aanbod=<offer> (the coordinator's waiting-list board), or,
  in a gateway without that page, GET /api/offers/<offer>/waiting-list;
- static: GET /aanmelden by signed-out sessions (the sign-in form: a template, no RPC).
Reported per page: requests per second (all users together) and the 95th-percentile
latency; the ratio is the page's throughput over the static page's. The aim, from the
issue: every page served in well under a second, so a p95 under 1 s with 50 users.
"""

import threading

import requests
from common import Result, median, now, percentile
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from verband_testkit.api import (
    create_team,
    expect,
    poll,
    portal_session,
    publish_offer,
    refer_once_offer_known,
)

NAME = "portal"
AIM_P95_MS = 1000.0


def _ms(seconds: float) -> float:
    return seconds * 1000


def prepare(stack, families: int) -> dict:
    team = create_team(stack, roles=("network_admin", "coordinator", "referrer", "case_manager"))
    offer = publish_offer(team, title="Gezinscoaching bench", capacity=10, free_places=0)
    for i in range(families):
        receipt = refer_once_offer_known(
            team, offer["id"], municipality="71016", concern=("some", "serious", "none")[i % 3]
        )
        expect(
            team.http(
                "coordinator",
                "POST",
                f"/api/cases/{receipt['case_id']}/triage",
                json={
                    "decision": "waiting_list",
                    "reason": "Past bij gezinscoaching.",
                    "offer_ids": [offer["id"]],
                },
            ),
            200,
        )
    return {"team": team, "offer": offer}


def _load(sessions, url: str, expect_text: str, seconds: float) -> dict:
    """Every session in its own thread, requesting `url` until the time is up."""
    latencies: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()
    start_gate = threading.Barrier(len(sessions) + 1)
    stop_at = [0.0]

    def user(session):
        own: list[float] = []
        start_gate.wait()
        while now() < stop_at[0]:
            t0 = now()
            try:
                response = session.get(url, timeout=30)
                ok = response.status_code == 200 and expect_text in response.text
                problem = None if ok else f"HTTP {response.status_code} {response.text[:200]}"
            except requests.RequestException as exc:
                problem = str(exc)
            own.append(now() - t0)
            if problem:
                with lock:
                    failures.append(problem)
        with lock:
            latencies.extend(own)

    threads = [threading.Thread(target=user, args=(s,), daemon=True) for s in sessions]
    for t in threads:
        t.start()
    stop_at[0] = now() + seconds
    began = now()
    start_gate.wait()
    for t in threads:
        t.join(seconds + 60)
    elapsed = now() - began
    if failures:
        raise AssertionError(f"{len(failures)} failed requests to {url}: {failures[:3]}")
    return {
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "p95_ms": _ms(percentile(latencies, 95)),
        "median_ms": _ms(median(latencies)),
    }


def run(stack, users: int = 50, seconds: float = 15, families: int = 40) -> Result:
    world = prepare(stack, families)
    team, offer = world["team"], world["offer"]
    email = team.people["coordinator"]["email"]
    base = stack.base_url
    signed = [portal_session(stack, email) for _ in range(users)]
    static = [requests.Session() for _ in range(users)]
    for s in (*signed, *static):
        # gunicorn closes a keep-alive connection after 2 s idle; a GET that meets a
        # connection closed just then is sent again on a new one, as browsers do.
        retry = Retry(total=2, connect=2, read=2, status=0, allowed_methods=["GET"])
        s.mount("http://", HTTPAdapter(pool_connections=1, pool_maxsize=1, max_retries=retry))

    # The waiting-list board when the gateway has it; else the cases API it is built on.
    board = signed[0].get(f"{base}/wachtlijst?aanbod={offer['id']}", timeout=30)
    if board.status_code == 200:
        waiting_url, waiting_text, waiting_name = (
            f"{base}/wachtlijst?aanbod={offer['id']}",
            "Gezinscoaching bench",
            "GET /wachtlijst?aanbod=<offer>",
        )
    else:
        waiting_url, waiting_text, waiting_name = (
            f"{base}/api/offers/{offer['id']}/waiting-list",
            '"entries"',
            "GET /api/offers/<offer>/waiting-list (no /wachtlijst page in this gateway)",
        )

    # The dashboard counts every family once cases has them all.
    def dashboard_complete():
        page = signed[0].get(f"{base}/", timeout=30).text
        return "Dashboard van het netwerk" in page and "Gezinscoaching bench" in page

    poll(dashboard_complete, 60, interval=0.5, what="the coordinator's dashboard")

    pages = (
        ("dashboard", signed, f"{base}/", "Dashboard van het netwerk", "GET / (dashboard)"),
        ("waiting list", signed, waiting_url, waiting_text, waiting_name),
        ("static", static, f"{base}/aanmelden", "csrf_token", "GET /aanmelden (no RPC)"),
    )
    figures = {}
    for key, sessions, url, text, _ in pages:
        _load(sessions, url, text, min(3.0, seconds))  # warm-up: threads, proxies, caches
        figures[key] = _load(sessions, url, text, seconds)
    for s in (*signed, *static):
        s.close()

    ratio = (
        min(figures["dashboard"]["rps"], figures["waiting list"]["rps"])
        / (figures["static"]["rps"])
    )
    worst_p95 = max(figures["dashboard"]["p95_ms"], figures["waiting list"]["p95_ms"])
    line = (
        f"{NAME}: {users} signed-in users, {seconds:.0f} s per page: dashboard "
        f"{figures['dashboard']['rps']:.1f} req/s (p95 {figures['dashboard']['p95_ms']:.0f} ms), "
        f"waiting list {figures['waiting list']['rps']:.1f} req/s "
        f"(p95 {figures['waiting list']['p95_ms']:.0f} ms) vs static page "
        f"{figures['static']['rps']:.1f} req/s (p95 {figures['static']['p95_ms']:.0f} ms) "
        f"-> ratio {ratio:.2f} of the static page's throughput (aim: p95 < "
        f"{AIM_P95_MS:.0f} ms)"
    )
    details = [
        f"{key}: {name}: {f['requests']} requests, {f['rps']:.1f} req/s, median "
        f"{f['median_ms']:.0f} ms, p95 {f['p95_ms']:.0f} ms, "
        f"{f['rps'] / figures['static']['rps']:.2f} x the static page's req/s"
        for (key, _, _, _, name), f in ((p, figures[p[0]]) for p in pages)
    ]
    details.append(
        f"{families} families on the offer's waiting list; each user a session of its own "
        "(the coordinator signed in through the form), one thread each, in this process"
    )
    return Result(NAME, line, ratio, f"p95 < {AIM_P95_MS:.0f} ms", worst_p95 < AIM_P95_MS, details)
