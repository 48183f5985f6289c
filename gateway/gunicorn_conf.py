"""gunicorn settings of the gateway image: the master serves the workers' Prometheus metrics
(prometheus_client's multiprocess mode) on METRICS_PORT, apart from the public port.

    gunicorn --config python:gunicorn_conf verband_gateway.wsgi:app

A module beside the package, not in it: importing verband_gateway in the master would create
metric files before on_starting has made their directory.
"""

import os
import shutil

from prometheus_client import CollectorRegistry, multiprocess, start_http_server

METRICS_DIR = os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")
METRICS_PORT = int(os.environ.get("METRICS_PORT", "0") or 0)


def on_starting(server):
    # Files of an earlier run would add its counts to this one's.
    if METRICS_DIR:
        shutil.rmtree(METRICS_DIR, ignore_errors=True)
        os.makedirs(METRICS_DIR, exist_ok=True)


def when_ready(server):
    if METRICS_DIR and METRICS_PORT:
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        start_http_server(METRICS_PORT, registry=registry)
        server.log.info("metrics on port %s", METRICS_PORT)


def child_exit(server, worker):
    if METRICS_DIR:
        multiprocess.mark_process_dead(worker.pid)
