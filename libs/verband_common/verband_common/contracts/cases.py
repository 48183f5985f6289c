"""Events published by the cases service.

They leave the service, so they carry no name, address, birth date or free text about a
family: a pseudonym (keyed hash per network), age bands, a municipality code, the concern
level and dates. A test reads every published event and checks exactly that.
"""

from marshmallow import fields, validate

from verband_common.contracts.envelope import Envelope, contract

CONCERN_LEVELS = ("none", "some", "serious")
AGE_BANDS = ("0-2", "3-5", "6-11", "12-17", "18-24")
# Who referred: one of a fixed list, so the field can never carry free text.
SOURCE_SECTORS = (
    "ocmw",
    "huis_van_het_kind",
    "caw",
    "cgg",
    "clb",
    "kind_en_gezin",
    "ckg",
    "ota",
    "bjb",
    "mandated_body",
    "crisis_point",
    "first_line_psychology",
    "local_government",
    "partner",
    "coordinator",
    "other",
)


@contract("cases", "referral_received")
class ReferralReceived(Envelope):
    referral_id = fields.UUID(required=True)
    offer_id = fields.UUID(required=True, allow_none=True)
    family_pseudonym = fields.String(required=True, validate=validate.Regexp(r"^[0-9a-f]{32}$"))
    age_bands = fields.List(fields.String(validate=validate.OneOf(AGE_BANDS)), required=True)
    municipality = fields.String(required=True, validate=validate.Regexp(r"^\d{5}$"))
    concern = fields.String(required=True, validate=validate.OneOf(CONCERN_LEVELS))
    source_sector = fields.String(required=True, validate=validate.OneOf(SOURCE_SECTORS))
    received_on = fields.Date(required=True)
