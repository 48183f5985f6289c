"""Reporting consumes every event contract: the event history is complete, and no event a
service publishes is unroutable once the stack runs (the outbox publishes mandatory and
keeps an event no queue is bound to)."""

from nameko.extensions import iter_extensions

from reporting.service import ReportingService
from verband_common.consumer import EventConsumer
from verband_common.contracts import EVENTS


def test_every_published_event_type_has_a_reporting_consumer():
    consumed = set()
    for name in dir(ReportingService):
        for entrypoint in getattr(getattr(ReportingService, name), "nameko_entrypoints", ()):
            for ext in [entrypoint, *iter_extensions(entrypoint)]:
                if isinstance(ext, EventConsumer):
                    consumed.add((ext.source_service, ext.event_type))
    published = {(source, event_type) for source, event_type, _version in EVENTS}
    assert published - consumed == set()
