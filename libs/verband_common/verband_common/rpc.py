"""RPC plumbing shared by the services: the entrypoint and input validation."""

import uuid

from marshmallow import Schema, ValidationError
from nameko.extensions import register_entrypoint
from nameko.rpc import Rpc

from verband_common.errors import EXPECTED, ValidationFailed, from_marshmallow



def rpc(fn):
    """nameko's @rpc, with domain errors as expected answers rather than crashes: nameko then
    logs them as warnings and the caller receives them as the same exception type."""
    register_entrypoint(fn, Rpc(expected_exceptions=EXPECTED))
    return fn


def validated(schema: Schema, data) -> dict:
    """Load `data` with `schema` or raise ValidationFailed naming each bad field."""
    if not isinstance(data, dict):
        raise ValidationFailed("De invoer moet een JSON-object zijn.", {"_schema": ["Geen object."]})
    try:
        return schema.load(data)
    except ValidationError as err:
        raise from_marshmallow(err) from None


def parse_id(value, field: str) -> uuid.UUID:
    """An id from a caller, or ValidationFailed naming the field."""
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise ValidationFailed("Ongeldige id.", {field: ["Geen geldige id."]}) from None
