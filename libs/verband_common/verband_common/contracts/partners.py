"""Events published by the partners service."""

from marshmallow import fields, validate

from verband_common.contracts.envelope import Envelope, contract

NETWORK_KINDS = ("RTJ", "1G1P", "kerngroep", "other")
OFFER_STATUSES = ("active", "paused", "ended")


@contract("partners", "network_created")
class NetworkCreated(Envelope):
    name = fields.String(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(NETWORK_KINDS))
    region = fields.String(required=True)


@contract("partners", "offer_published")
class OfferPublished(Envelope):
    offer_id = fields.UUID(required=True)
    title = fields.String(required=True)
    kind = fields.String(required=True)
    capacity = fields.Integer(required=True, validate=validate.Range(min=0))
    free_places = fields.Integer(required=True, validate=validate.Range(min=0))
    municipalities = fields.List(fields.String(), required=True)
    status = fields.String(required=True, validate=validate.OneOf(OFFER_STATUSES))
    warm_waiting_list = fields.Boolean(required=True)
