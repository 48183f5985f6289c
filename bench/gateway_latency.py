"""Gateway request latency, beside a bare nameko RPC of the same method.

Gateway: GET /api/networks/{id} on the real gateway container (gunicorn, gthread), signed
in as the test stack's platform admin (`Authorization: Bearer`), over a keep-alive
requests.Session. The gateway keeps a resolved token for AUTH_CACHE_SECONDS (5 s by
default) per process, so after the warm-up a request makes one RPC, partners.get_network;
only the first request after each expiry also asks partners.resolve_session.
Baseline: partners.get_network from a standalone ClusterRpcProxy kept open in this process,
carrying the same actor (`context_data={"actor": ...}` from the sign-in answer), since
partners checks who is asking.
References: partners.health over the same proxy (a small RPC with one trivial query), and
GET /alive on the gateway (HTTP and gunicorn alone, no RPC).

Calls are sequential and interleaved (gateway, bare, health, alive, gateway, ...), so that
background load on the machine hits all three alike. Warm-up first: the gateway opens one
RPC proxy per thread, lazily, and the first calls of each thread pay for it.
"""

import requests
from common import Result, median, now, percentile
from nameko.standalone.rpc import ClusterRpcProxy

from verband_testkit import ADMIN_EMAIL, ADMIN_PASSWORD

NAME = "gateway latency"
AIM = 2.0


def _ms(seconds: float) -> float:
    return seconds * 1000


def _checked(response, what: str):
    if response.status_code not in (200, 201):
        raise AssertionError(f"{what}: HTTP {response.status_code} {response.text[:500]}")
    return response.json()


def run(stack, calls: int, warmup: int) -> Result:
    session = requests.Session()
    base = stack.base_url
    # The test stack bootstraps this platform admin (python -m partners.bootstrap).
    login = _checked(
        session.post(
            f"{base}/api/auth/login",
            json={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD},
            timeout=15,
        ),
        "sign-in as the platform admin",
    )
    signed = {"Authorization": f"Bearer {login['token']}"}
    actor = login["principal"]["actor"]
    network_id = _checked(
        session.post(
            f"{base}/api/networks/",
            json={"name": "Bench netwerk", "kind": "1G1P", "region": "Vlaams-Brabant/Brussel"},
            headers=signed,
            timeout=15,
        ),
        "POST /api/networks/",
    )["id"]
    url = f"{base}/api/networks/{network_id}"

    with ClusterRpcProxy(
        {"AMQP_URI": stack.broker.amqp_uri}, context_data={"actor": actor}, timeout=10
    ) as proxy:
        partners = proxy["partners"]

        def gateway_call():
            response = session.get(url, headers=signed, timeout=15)
            if response.status_code != 200:
                raise AssertionError(f"gateway answered {response.status_code}: {response.text}")

        def bare_call():
            if partners.get_network(network_id)["id"] != network_id:
                raise AssertionError("partners.get_network returned another network")

        def health_call():
            partners.health()

        def alive_call():
            if session.get(f"{base}/alive", timeout=15).status_code != 200:
                raise AssertionError("gateway /alive did not answer 200")

        probes = (
            ("gateway", gateway_call),
            ("bare", bare_call),
            ("health", health_call),
            ("alive", alive_call),
        )
        for _ in range(warmup):
            for _, call in probes:
                call()
        timings: dict[str, list[float]] = {name: [] for name, _ in probes}
        for _ in range(calls):
            for name, call in probes:
                started = now()
                call()
                timings[name].append(now() - started)
    session.close()

    med = {k: _ms(median(v)) for k, v in timings.items()}
    p95 = {k: _ms(percentile(v, 95)) for k, v in timings.items()}
    ratio = med["gateway"] / med["bare"]
    line = (
        f"{NAME}: GET /api/networks/{{id}} (bearer) median {med['gateway']:.2f} ms "
        f"(p95 {p95['gateway']:.2f}) vs bare RPC partners.get_network median "
        f"{med['bare']:.2f} ms (p95 {p95['bare']:.2f}) -> ratio {ratio:.2f} (aim <= {AIM})"
    )
    details = [
        f"{calls} sequential calls each after {warmup} warm-up calls, interleaved; "
        f"keep-alive requests.Session; standalone ClusterRpcProxy kept open; both as the "
        f"platform admin (bearer token / actor in the context data)",
        f"reference: bare RPC partners.health median {med['health']:.2f} ms "
        f"(p95 {p95['health']:.2f})",
        f"reference: GET /alive (gateway, no RPC) median {med['alive']:.2f} ms "
        f"(p95 {p95['alive']:.2f})",
        f"gateway overhead over bare RPC: {med['gateway'] - med['bare']:.2f} ms (median)",
    ]
    return Result(NAME, line, ratio, f"<= {AIM}", ratio <= AIM, details)
