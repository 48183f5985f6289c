"""Carries one correlation id through gateway, RPC and events into the logs.

nameko copies a worker's context data into message headers (`nameko.<key>`) on RPC calls
and unpacks them on the receiving side; the outbox relay writes the same header, so the id
survives the hop through the database as well.
"""

import uuid

from nameko.extensions import DependencyProvider

from verband_common import logs

CONTEXT_KEY = "correlation_id"
HEADER = "nameko." + CONTEXT_KEY


def new_id() -> str:
    return uuid.uuid4().hex


class CorrelationId(DependencyProvider):
    """Makes the worker's correlation id current for logging and returns it to the service."""

    def worker_setup(self, worker_ctx):
        cid = worker_ctx.data.get(CONTEXT_KEY)
        if not cid:
            cid = new_id()
            worker_ctx.data[CONTEXT_KEY] = cid
        logs.correlation_id.set(cid)

    def worker_teardown(self, worker_ctx):
        logs.correlation_id.set(None)

    def get_dependency(self, worker_ctx):
        return worker_ctx.data.get(CONTEXT_KEY)
