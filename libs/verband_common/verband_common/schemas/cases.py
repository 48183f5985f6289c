"""Payloads of the cases service: a referral (aanmelding) of a family."""

import datetime as dt

from marshmallow import ValidationError, fields, validate

from verband_common.contracts.cases import CONCERN_LEVELS, SOURCE_SECTORS
from verband_common.schemas.common import NIS_CODE, Strict, not_in_future, text

# Youth care in Flanders runs up to the 25th birthday.
YOUTH_CARE_MAX_AGE = 24

SHARING = ("network_partners", "referrer_follow_up", "mandated_body")


def youth_care_age(value: dt.date) -> None:
    not_in_future(value)
    today = dt.date.today()
    age = today.year - value.year - ((today.month, today.day) < (value.month, value.day))
    if age > YOUTH_CARE_MAX_AGE:
        raise ValidationError(
            f"Dit kind is ouder dan {YOUTH_CARE_MAX_AGE} jaar: buiten de jeugdhulp."
        )


class Carer(Strict):
    name = text(200)


class Child(Strict):
    first_name = text(100)
    birth_date = fields.Date(required=True, validate=youth_care_age)


class Household(Strict):
    carers = fields.List(
        fields.Nested(Carer),
        required=True,
        validate=validate.Length(min=1, error="Geef minstens één opvoeder."),
    )
    children = fields.List(
        fields.Nested(Child),
        required=True,
        validate=validate.Length(min=1, error="Geef minstens één kind."),
    )


class Consent(Strict):
    given_by = text(200)
    given_on = fields.Date(required=True, validate=not_in_future)
    sharing = fields.List(
        fields.String(validate=validate.OneOf(SHARING, error="Kies een van: {choices}.")),
        required=True,
    )


class ReferralInput(Strict):
    offer_id = fields.UUID(required=True)
    source_sector = fields.String(
        required=True, validate=validate.OneOf(SOURCE_SECTORS, error="Kies een van: {choices}.")
    )
    municipality = fields.String(required=True, validate=NIS_CODE)
    concern = fields.String(
        required=True, validate=validate.OneOf(CONCERN_LEVELS, error="Kies een van: {choices}.")
    )
    question = text(4000)
    household = fields.Nested(Household, required=True)
    consent = fields.Nested(Consent, required=True)


class ReferralReceipt(Strict):
    referral_id = fields.UUID(required=True)
    network_id = fields.UUID(required=True)
    offer_id = fields.UUID(required=True)
    status = fields.String(required=True)
    received_at = fields.AwareDateTime(required=True)
