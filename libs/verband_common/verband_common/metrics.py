"""Prometheus metrics of a nameko service: `metrics = Metrics()` on the service class.

Every entrypoint (RPC, event handler, timer) is counted and timed as it runs. What a person
must act on is read when Prometheus scrapes, never cached: the outbox lag (unsent rows and the
age of the oldest), the mail outbox where the service has one, the depth of the service's own
queues and the dead letters parked for an operator. With METRICS_PORT set (the images set
9100) the service serves them at http://HOST:METRICS_PORT/metrics; that port is for the cell's
monitoring only (not published by compose, opened only to the monitoring namespace on
Kubernetes).
"""

import logging
import time

from amqp.exceptions import NotFound
from kombu import Connection
from nameko.extensions import DependencyProvider
from prometheus_client import CollectorRegistry, Counter, Histogram, start_http_server
from prometheus_client.core import GaugeMetricFamily

from verband_common import config
from verband_common.consumer import DEAD_LETTER_QUEUE
from verband_common.db import Database

log = logging.getLogger(__name__)

# Seconds: an RPC answers in milliseconds, a batch projection may take seconds.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)


def entrypoint_kind(entrypoint) -> str:
    name = type(entrypoint).__name__.lower()
    for kind in ("rpc", "timer", "http"):
        if kind in name:
            return kind
    return "event"


class ServiceCollector:
    """Gauges read at scrape time from the service's database and the broker."""

    def __init__(self, provider: "Metrics"):
        self.provider = provider

    def collect(self):
        service = self.provider.container.service_name
        yield from self._database(service)
        yield from self._queues(service)

    def _database(self, service):
        pool = self.provider.database_pool()
        if pool is None:
            return
        unsent = GaugeMetricFamily(
            "verband_outbox_unsent_events",
            "Events written but not yet published",
            labels=["service"],
        )
        oldest = GaugeMetricFamily(
            "verband_outbox_oldest_unsent_age_seconds",
            "Age of the oldest unpublished outbox event (0 when the outbox is drained)",
            labels=["service"],
        )
        unroutable = GaugeMetricFamily(
            "verband_outbox_unroutable_events",
            "Events kept unsent because no queue was bound to them (tried again; see outbox.py)",
            labels=["service"],
        )
        mail = GaugeMetricFamily(
            "verband_mail_outbox_unsent", "E-mails waiting to be sent", labels=["service"]
        )
        mail_parked = GaugeMetricFamily(
            "verband_mail_outbox_parked",
            "E-mails set aside after failing (their network admin sees them)",
            labels=["service"],
        )
        up = GaugeMetricFamily(
            "verband_database_up",
            "1 if the service's database answered the scrape",
            labels=["service"],
        )
        try:
            with pool.connection(timeout=5) as conn:
                row = conn.execute(
                    "SELECT count(*) AS unsent,"
                    " coalesce(extract(epoch FROM now() - min(created_at)), 0) AS age,"
                    " count(*) FILTER (WHERE unroutable_since IS NOT NULL) AS unroutable"
                    " FROM outbox WHERE sent_at IS NULL"
                ).fetchone()
                has_mail = conn.execute(
                    "SELECT to_regclass('mail_outbox') IS NOT NULL AS present"
                ).fetchone()
                mail_row = None
                if _value(has_mail, "present"):
                    mail_row = conn.execute(
                        "SELECT count(*) FILTER (WHERE parked_at IS NULL) AS unsent,"
                        " count(*) FILTER (WHERE parked_at IS NOT NULL) AS parked"
                        " FROM mail_outbox WHERE sent_at IS NULL"
                    ).fetchone()
        except Exception as exc:  # noqa: BLE001 - a scrape reports the database down, never fails
            log.warning("metrics: database not readable", extra={"error": repr(exc)})
            up.add_metric([service], 0)
            yield up
            return
        up.add_metric([service], 1)
        unsent.add_metric([service], float(_value(row, "unsent")))
        oldest.add_metric([service], float(_value(row, "age")))
        yield up
        unroutable.add_metric(
            [service], float(row["unroutable"] if isinstance(row, dict) else row[2])
        )
        yield unsent
        yield oldest
        yield unroutable
        if mail_row is not None:
            mail.add_metric([service], float(_value(mail_row, "unsent")))
            mail_parked.add_metric(
                [service],
                float(mail_row["parked"] if isinstance(mail_row, dict) else mail_row[1]),
            )
            yield mail
            yield mail_parked

    def _queues(self, service):
        depth = GaugeMetricFamily(
            "verband_queue_messages", "Messages ready in a queue of this service", labels=["queue"]
        )
        consumers = GaugeMetricFamily(
            "verband_queue_consumers", "Consumers of a queue of this service", labels=["queue"]
        )
        parked = GaugeMetricFamily(
            "verband_dead_letters_parked",
            "Events parked in the dead-letter queue, waiting for an operator",
        )
        try:
            with Connection(self.provider.amqp_uri, connect_timeout=5) as conn:
                channel = conn.channel()
                for queue in self.provider.queue_names():
                    try:
                        _, messages, count = channel.queue_declare(queue=queue, passive=True)
                    except NotFound:  # not declared yet: nothing to report
                        channel = conn.channel()
                        continue
                    depth.add_metric([queue], messages)
                    consumers.add_metric([queue], count)
                try:
                    _, messages, _ = channel.queue_declare(queue=DEAD_LETTER_QUEUE, passive=True)
                except NotFound:  # declared with the first parked event: none parked yet
                    messages = 0
                parked.add_metric([], messages)
        except Exception as exc:  # noqa: BLE001 - a scrape reports what it could read
            log.warning("metrics: broker not readable", extra={"error": repr(exc)})
        yield depth
        yield consumers
        if parked.samples:
            yield parked


def _value(row, key):
    return row[key] if isinstance(row, dict) else row[0]


class Metrics(DependencyProvider):
    """Times every entrypoint of its service and serves the service's metrics."""

    def setup(self):
        self.registry = CollectorRegistry(auto_describe=True)
        self.amqp_uri = self.container.config.get("AMQP_URI") or config.amqp_uri()
        labels = ["service", "entrypoint", "kind"]
        self.calls = Counter(
            "verband_entrypoint_calls",
            "Entrypoint runs (RPC calls, events handled, timer rounds) by outcome",
            labels + ["outcome"],
            registry=self.registry,
        )
        self.duration = Histogram(
            "verband_entrypoint_duration_seconds",
            "How long an entrypoint ran",
            labels,
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.registry.register(ServiceCollector(self))
        self._started = {}
        self.server = None

    def start(self):
        port = int(self.container.config.get("METRICS_PORT") or config.env("METRICS_PORT", "0"))
        if port:
            self.server, _ = start_http_server(port, registry=self.registry)
            log.info("metrics served", extra={"port": port})

    def stop(self):
        if self.server is not None:
            self.server.shutdown()
            self.server = None

    def kill(self):
        self.stop()

    def worker_setup(self, worker_ctx):
        self._started[worker_ctx] = time.perf_counter()

    def worker_result(self, worker_ctx, result=None, exc_info=None):
        started = self._started.pop(worker_ctx, None)
        if started is None:
            return
        entrypoint = worker_ctx.entrypoint
        labels = (self.container.service_name, entrypoint.method_name, entrypoint_kind(entrypoint))
        self.duration.labels(*labels).observe(time.perf_counter() - started)
        self.calls.labels(*labels, "error" if exc_info else "ok").inc()

    def get_dependency(self, worker_ctx):
        return self.registry

    def database_pool(self):
        """The pool of the service's Database provider, if it has one."""
        for dependency in self.container.dependencies:
            if isinstance(dependency, Database):
                return dependency.pool
        return None

    def queue_names(self) -> list[str]:
        """The service's own queues: its RPC queue and one per event handler."""
        names = {f"rpc-{self.container.service_name}"}
        for entrypoint in self.container.entrypoints:
            queue = getattr(entrypoint, "queue", None)
            if queue is not None and getattr(queue, "name", None):
                names.add(queue.name)
        return sorted(names)
