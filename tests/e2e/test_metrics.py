"""Prometheus metrics on the real stack: every service and the gateway serve the named series
on their metrics port (9100), the gauges say what the database and the broker say, and the
gateway's public port does not serve them."""

import pathlib
import re

import requests
import yaml
from kombu import Connection
from prometheus_client.parser import text_string_to_metric_families

from verband_testkit import BROKER_METRICS_PORT, METRICS_PORT, SERVICES, host_port, wait_for
from verband_testkit.api import create_team, expect, publish_offer, referral_input

ALERTS = pathlib.Path(__file__).resolve().parents[2] / "deploy" / "monitoring" / "alerts.yaml"


def scrape(container, port: int = METRICS_PORT) -> dict:
    """{(sample name, sorted labels): value} of one metrics endpoint."""
    url = f"http://127.0.0.1:{host_port(container, port)}/metrics"
    r = requests.get(url, timeout=15)
    assert r.status_code == 200, f"{url}: {r.status_code}"
    assert r.headers["Content-Type"].startswith("text/plain")
    samples = {}
    for family in text_string_to_metric_families(r.text):
        for s in family.samples:
            samples[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return samples


def value(samples, name, **labels):
    key = (name, tuple(sorted(labels.items())))
    assert key in samples, f"no {name}{labels} among {sorted({n for n, _ in samples})}"
    return samples[key]


def names(samples) -> set:
    return {n for n, _ in samples}


def test_every_service_serves_its_entrypoints_outbox_and_queues(stack):
    # Traffic through every service: a network, an offer, a referral (events partners -> cases
    # -> reporting) and the health RPC the gateway sends each service.
    team = create_team(stack)
    offer = publish_offer(team, title="Contextbegeleiding metrics", capacity=4, free_places=1)
    expect(
        team.http(
            "referrer",
            "POST",
            f"/api/networks/{team.id}/referrals",
            json=referral_input(offer["id"]),
        ),
        201,
    )
    expect(stack.http("GET", "/health"), 200)

    for service in SERVICES:
        samples = scrape(stack.services[service])
        labels = {"service": service, "entrypoint": "health", "kind": "rpc"}
        assert value(samples, "verband_entrypoint_calls_total", **labels, outcome="ok") >= 1
        assert value(samples, "verband_entrypoint_duration_seconds_count", **labels) >= 1
        assert value(samples, "verband_database_up", service=service) == 1
        assert value(samples, "verband_outbox_unsent_events", service=service) >= 0
        assert value(samples, "verband_outbox_oldest_unsent_age_seconds", service=service) >= 0
        assert value(samples, "verband_queue_consumers", queue=f"rpc-{service}") >= 1
        assert value(samples, "verband_queue_messages", queue=f"rpc-{service}") >= 0
        assert "verband_dead_letters_parked" in names(samples)
    assert "verband_mail_outbox_unsent" in names(scrape(stack.services["meetings"]))

    # Events were handled: cases consumed partners' events, reporting the referral.
    cases = scrape(stack.services["cases"])
    handled = [
        v
        for (name, labels), v in cases.items()
        if name == "verband_entrypoint_calls_total" and ("kind", "event") in labels
    ]
    assert sum(handled) >= 1


def test_outbox_and_dead_letter_gauges_say_what_the_database_and_broker_say(stack):
    def outbox_matches():
        unsent = stack.sql("cases", "SELECT count(*) AS n FROM outbox WHERE sent_at IS NULL")
        gauge = value(
            scrape(stack.services["cases"]), "verband_outbox_unsent_events", service="cases"
        )
        return gauge == unsent[0]["n"]

    wait_for(outbox_matches, 30, interval=1, what="outbox gauge equal to the unsent rows")

    # A poison message on one of reporting's event queues is parked at once, with its reason.
    reporting = scrape(stack.services["reporting"])
    event_queue = next(
        dict(labels)["queue"]
        for name, labels in reporting
        if name == "verband_queue_messages" and not dict(labels)["queue"].startswith("rpc-")
    )
    before = value(reporting, "verband_dead_letters_parked")
    with Connection(stack.broker.amqp_uri) as conn:
        conn.Producer().publish(
            b"{not json", routing_key=event_queue, content_type="application/json"
        )

    def parked_matches():
        parked = value(scrape(stack.services["reporting"]), "verband_dead_letters_parked")
        queue = stack.management("/api/queues/%2F/verband.dead-letters")
        return parked == before + 1 == queue.get("messages")

    wait_for(parked_matches, 30, interval=1, what="parked gauge one up, as the broker counts")


def test_the_gateway_counts_requests_and_rpc_calls_on_its_metrics_port_only(stack):
    expect(stack.http("GET", "/health"), 200)
    expect(stack.http("GET", "/api/networks/00000000-0000-0000-0000-000000000000"), 401)

    samples = scrape(stack.gateway)
    assert (
        value(samples, "verband_http_requests_total", method="GET", route="/health", status="200")
        >= 1
    )
    assert (
        value(samples, "verband_http_request_duration_seconds_count", method="GET", route="/health")
        >= 1
    )
    # A path with an id is counted under its route's pattern, not a series per id.
    routes = {
        dict(labels).get("route") for n, labels in samples if n == "verband_http_requests_total"
    }
    assert not any("00000000" in r for r in routes if r)
    for service in SERVICES:
        assert value(samples, "verband_gateway_rpc_calls_total", service=service, outcome="ok") >= 1
        assert value(samples, "verband_gateway_rpc_duration_seconds_count", service=service) >= 1
    assert "verband_gateway_mail_queue" in names(samples)

    # Not on the public port: there /metrics is just an unknown page.
    assert stack.http("GET", "/metrics").status_code == 404


def test_the_broker_serves_the_series_the_alerts_read(stack):
    served = names(scrape(stack.broker.container, BROKER_METRICS_PORT))
    assert {"rabbitmq_identity_info", "rabbitmq_queue_messages_ready"} <= served
    rules = yaml.safe_load(ALERTS.read_text())["spec"]["groups"]
    read = {s for g in rules for r in g["rules"] for s in re.findall(r"\brabbitmq_\w+", r["expr"])}
    assert read and read <= served, read - served
