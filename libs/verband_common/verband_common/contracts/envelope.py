"""The envelope every event carries, and the registry of event contracts."""

import datetime as dt
import uuid

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

EVENTS: dict[tuple[str, str, int], type["Envelope"]] = {}


class UnknownEvent(LookupError):
    pass


class Envelope(Schema):
    """`event_id`, `occurred_at`, `network_id` and `version` on every event, as DESIGN.md says."""

    class Meta:
        unknown = RAISE
        ordered = True

    event_id = fields.UUID(required=True)
    event_type = fields.String(required=True)
    source = fields.String(required=True)
    version = fields.Integer(required=True, validate=validate.Range(min=1))
    occurred_at = fields.AwareDateTime(required=True)
    network_id = fields.UUID(required=True)

    @validates_schema
    def names_its_own_contract(self, data, **kwargs):
        # A body routed as one event but naming another is not what it claims to be.
        expected = {
            "source": getattr(self, "source_service", None),
            "event_type": getattr(self, "event_type", None),
        }
        errors = {
            key: [f"Verwacht '{value}'."]
            for key, value in expected.items()
            if value is not None and data.get(key) != value
        }
        if errors:
            raise ValidationError(errors)


def contract(source: str, event_type: str, version: int = 1):
    """Class decorator registering a schema as the contract of one event version."""

    def register(schema_cls: type[Envelope]) -> type[Envelope]:
        key = (source, event_type, version)
        if key in EVENTS:
            raise ValueError(f"contract {key} registered twice")
        schema_cls.source_service = source
        schema_cls.event_type = event_type
        schema_cls.version = version
        EVENTS[key] = schema_cls
        return schema_cls

    return register


# One instance per contract: building a Schema deep-copies its fields, which cost more than
# the load or dump itself on every event. Instances hold no per-call state, so they are shared.
_INSTANCES: dict[type[Envelope], Envelope] = {}


def schema_for(source: str, event_type: str, version: int) -> Envelope:
    try:
        schema_cls = EVENTS[(source, event_type, version)]
    except KeyError:
        raise UnknownEvent(f"no contract for {source}.{event_type} v{version}") from None
    schema = _INSTANCES.get(schema_cls)
    if schema is None:
        schema = _INSTANCES[schema_cls] = schema_cls()
    return schema


def new_event(
    source: str,
    event_type: str,
    network_id,
    payload: dict,
    version: int = 1,
    occurred_at: dt.datetime | None = None,
) -> dict:
    """Build and validate an event; returns its JSON-ready body. Raises ValidationError."""
    body = {
        "event_id": str(uuid.uuid4()),
        "event_type": event_type,
        "source": source,
        "version": version,
        "occurred_at": (occurred_at or dt.datetime.now(dt.UTC)).isoformat(),
        "network_id": str(network_id),
        **payload,
    }
    return dump_event(source, event_type, body)


def dump_event(source: str, event_type: str, body: dict) -> dict:
    schema = schema_for(source, event_type, int(body.get("version", 1)))
    # load validates (and rejects unknown fields), dump gives the canonical JSON form.
    return schema.dump(schema.load(body))


def load_event(source: str, event_type: str, body: dict) -> dict:
    """Validate an incoming body against its contract; raises ValidationError or UnknownEvent."""
    if not isinstance(body, dict):
        raise UnknownEvent(f"{source}.{event_type}: body is not an object")
    version = body.get("version")
    if not isinstance(version, int):
        raise UnknownEvent(f"{source}.{event_type}: missing or invalid version")
    return schema_for(source, event_type, version).load(body)


def event_json(event: dict) -> dict:
    """A loaded event back in its canonical JSON form (ids and dates as strings)."""
    return schema_for(event["source"], event["event_type"], event["version"]).dump(event)
