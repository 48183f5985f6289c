"""Payloads of the partners service: networks and their offer."""

from marshmallow import ValidationError, fields, validate, validates_schema

from verband_common.contracts.partners import NETWORK_KINDS, OFFER_STATUSES
from verband_common.schemas.common import NIS_CODE, Strict, text

OFFER_KINDS = (
    "family_coaching",
    "first_line_psychology",
    "parenting_course",
    "group_offer",
    "consultation",
    "home_guidance",
    "other",
)


class NetworkInput(Strict):
    name = text(200)
    kind = fields.String(
        required=True, validate=validate.OneOf(NETWORK_KINDS, error="Kies een van: {choices}.")
    )
    region = text(120)


class Network(Strict):
    id = fields.UUID(required=True)
    name = fields.String(required=True)
    kind = fields.String(required=True)
    region = fields.String(required=True)
    created_at = fields.AwareDateTime(required=True)


class OfferInput(Strict):
    title = text(200)
    kind = fields.String(
        required=True, validate=validate.OneOf(OFFER_KINDS, error="Kies een van: {choices}.")
    )
    capacity = fields.Integer(
        required=True,
        strict=True,
        validate=validate.Range(min=0, max=100000, error="Geef een aantal van {min} tot {max}."),
    )
    free_places = fields.Integer(
        required=True,
        strict=True,
        validate=validate.Range(min=0, max=100000, error="Geef een aantal van {min} tot {max}."),
    )
    municipalities = fields.List(
        fields.String(validate=NIS_CODE),
        required=True,
        validate=validate.Length(min=1, error="Geef minstens één gemeente."),
    )
    status = fields.String(
        load_default="active",
        validate=validate.OneOf(OFFER_STATUSES, error="Kies een van: {choices}."),
    )
    warm_waiting_list = fields.Boolean(load_default=True)

    @validates_schema
    def free_within_capacity(self, data, **kwargs):
        if data.get("free_places", 0) > data.get("capacity", 0):
            raise ValidationError(
                "Er kunnen niet meer vrije plaatsen zijn dan de capaciteit.", "free_places"
            )


class Offer(OfferInput):
    id = fields.UUID(required=True)
    network_id = fields.UUID(required=True)
    created_at = fields.AwareDateTime(required=True)
