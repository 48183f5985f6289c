"""Prometheus metrics of the gateway: HTTP requests by route and status, RPC calls to the
services by outcome, and the mail queue, each timed.

Gunicorn runs several worker processes, so the metrics are kept in prometheus_client's
multiprocess mode (PROMETHEUS_MULTIPROC_DIR, set in the image) and served by the gunicorn
master on its own port, METRICS_PORT (gunicorn_conf.py): never on the public port, so that
only the cell's monitoring can read them (compose does not publish it; Kubernetes opens it
to the monitoring namespace only).
"""

import time

from flask import Flask, g, request
from prometheus_client import Counter, Gauge, Histogram

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)

REQUESTS = Counter(
    "verband_http_requests",
    "HTTP requests answered, by route and status",
    ["method", "route", "status"],
)
REQUEST_SECONDS = Histogram(
    "verband_http_request_duration_seconds",
    "How long the gateway took to answer",
    ["method", "route"],
    buckets=LATENCY_BUCKETS,
)
RPC_CALLS = Counter(
    "verband_gateway_rpc_calls", "RPC calls to the services, by outcome", ["service", "outcome"]
)
RPC_SECONDS = Histogram(
    "verband_gateway_rpc_duration_seconds",
    "How long a service took to answer an RPC call",
    ["service"],
    buckets=LATENCY_BUCKETS,
)
MAIL_QUEUE = Gauge(
    "verband_gateway_mail_queue",
    "Mails waiting in the gateway's sender",
    multiprocess_mode="livesum",
)


def init_app(app: Flask) -> None:
    @app.before_request
    def start_timer():
        g.metrics_started = time.perf_counter()

    @app.after_request
    def count(response):
        started = g.pop("metrics_started", None)
        # The route's pattern, never the raw path: ids in paths would make a series per family.
        route = request.url_rule.rule if request.url_rule is not None else "unmatched"
        REQUESTS.labels(request.method, route, str(response.status_code)).inc()
        if started is not None:
            REQUEST_SECONDS.labels(request.method, route).observe(time.perf_counter() - started)
        mailer = app.extensions.get("mail")
        if mailer is not None:
            MAIL_QUEUE.set(mailer.queued())
        return response


def observe_rpc(service: str, started: float, outcome: str) -> None:
    RPC_CALLS.labels(service, outcome).inc()
    RPC_SECONDS.labels(service).observe(time.perf_counter() - started)
