"""Versioned event contracts: one marshmallow schema per (source service, event type, version).

Producers validate before writing to the outbox; consumers validate before handling, so a
message that does not match its contract is parked as poison instead of half-applied.
"""

# Importing the modules registers their contracts.
from verband_common.contracts import cases, meetings, partners, reporting  # noqa: F401,E402
from verband_common.contracts.envelope import (  # noqa: F401
    EVENTS,
    Envelope,
    UnknownEvent,
    contract,
    dump_event,
    event_json,
    load_event,
    new_event,
)
