"""Payloads of the reporting service."""

from marshmallow import fields

from verband_common.schemas.common import Strict


class ReferralCount(Strict):
    network_id = fields.UUID(required=True)
    referrals = fields.Integer(required=True)
    last_event_at = fields.AwareDateTime(allow_none=True)
