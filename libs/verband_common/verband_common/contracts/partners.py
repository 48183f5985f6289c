"""Events published by the partners service.

They carry ids, codes, numbers and dates, and in `role_granted` the professional's name and
e-mail (meetings sends them agendas); nothing about families. `network_created` and
`offer_published` v1 are consumed by meetings and cases as they are; a change to their
fields needs a new version, not an edit.
"""

from marshmallow import fields, validate

from verband_common.contracts.envelope import Envelope, contract
from verband_common.roles import ROLES

NETWORK_KINDS = ("RTJ", "1G1P", "kerngroep", "other")
OFFER_STATUSES = ("active", "paused", "ended")
MEMBERSHIP_ROLES = ("kernpartner", "contractant", "partner", "observer")
AGREEMENT_KINDS = ("mandated_body", "crisis_point")
AGREEMENT_STATUSES = ("draft", "active", "ended")
NIS = validate.Regexp(r"^\d{5}$")


@contract("partners", "network_created")
class NetworkCreated(Envelope):
    name = fields.String(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(NETWORK_KINDS))
    region = fields.String(required=True)


@contract("partners", "network_settings_changed")
class NetworkSettingsChanged(Envelope):
    """The whole current settings, not a diff: a consumer can simply overwrite its copy."""

    municipalities = fields.List(fields.String(validate=NIS), required=True)
    waiting_weights = fields.Dict(keys=fields.String(), values=fields.Float(), required=True)
    warm_contact_interval_days = fields.Integer(required=True, validate=validate.Range(min=1))
    pickup_guideline_days = fields.Integer(required=True, validate=validate.Range(min=1))
    targets = fields.List(fields.Dict(), required=True)


@contract("partners", "partner_joined")
class PartnerJoined(Envelope):
    organisation_id = fields.UUID(required=True)
    name = fields.String(required=True)
    sector = fields.String(required=True)
    role = fields.String(required=True, validate=validate.OneOf(MEMBERSHIP_ROLES))
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True, allow_none=True)


@contract("partners", "partner_left")
class PartnerLeft(Envelope):
    organisation_id = fields.UUID(required=True)
    ends_on = fields.Date(required=True)


class OfferSnapshot(Envelope):
    offer_id = fields.UUID(required=True)
    title = fields.String(required=True)
    kind = fields.String(required=True)
    capacity = fields.Integer(required=True, validate=validate.Range(min=0))
    free_places = fields.Integer(required=True, validate=validate.Range(min=0))
    municipalities = fields.List(fields.String(), required=True)
    status = fields.String(required=True, validate=validate.OneOf(OFFER_STATUSES))
    warm_waiting_list = fields.Boolean(required=True)


@contract("partners", "offer_published")
class OfferPublished(OfferSnapshot):
    pass


@contract("partners", "offer_published", version=2)
class OfferPublishedV2(OfferSnapshot):
    """v1 plus who provides the offer and from when it can start: without the provider,
    cases could not tell which organisation's workers keep the offer's waiting list until
    the offer first changed. v1 stays registered for events already in queues and logs."""

    organisation_id = fields.UUID(required=True)
    can_start_from = fields.Date(required=True, allow_none=True)


@contract("partners", "offer_changed")
class OfferChanged(OfferSnapshot):
    """The offer as it is now (the v1 fields of offer_published, so a consumer of that can
    apply this with the same code), plus who provides it and which fields changed."""

    # None only for offers published before organisations were recorded.
    organisation_id = fields.UUID(required=True, allow_none=True)
    can_start_from = fields.Date(required=True, allow_none=True)
    changed = fields.List(fields.String(), required=True)


@contract("partners", "capacity_changed")
class CapacityChanged(Envelope):
    """Places of an offer changed: the waiting list (cases) reacts to free places."""

    offer_id = fields.UUID(required=True)
    capacity = fields.Integer(required=True, validate=validate.Range(min=0))
    free_places = fields.Integer(required=True, validate=validate.Range(min=0))
    previous_capacity = fields.Integer(required=True, validate=validate.Range(min=0))
    previous_free_places = fields.Integer(required=True, validate=validate.Range(min=0))
    status = fields.String(required=True, validate=validate.OneOf(OFFER_STATUSES))
    can_start_from = fields.Date(required=True, allow_none=True)


def _role_version():
    # Orders the grants and revokes of one (network, person, role): partners draws it after
    # the change took the role's row lock, so a later change always has a higher number.
    # Consumers keep the highest seen and ignore older changes (verband_common.roles).
    return fields.Integer(required=True, validate=validate.Range(min=1))


@contract("partners", "role_granted")
class RoleGranted(Envelope):
    person_id = fields.UUID(required=True)
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    role_version = _role_version()
    organisation_id = fields.UUID(required=True, allow_none=True)
    # Partners always sends them; optional so that a consumer needing only the role (cases)
    # can be fed events without them in its tests.
    person_name = fields.String(load_default=None, allow_none=True)
    person_email = fields.String(load_default=None, allow_none=True)


@contract("partners", "role_revoked")
class RoleRevoked(Envelope):
    person_id = fields.UUID(required=True)
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    role_version = _role_version()


@contract("partners", "agreement_recorded")
class AgreementRecorded(Envelope):
    agreement_id = fields.UUID(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(AGREEMENT_KINDS))
    organisation_ids = fields.List(fields.UUID(), required=True)
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True, allow_none=True)
    agreed_number = fields.Integer(required=True, validate=validate.Range(min=0))
    status = fields.String(required=True, validate=validate.OneOf(AGREEMENT_STATUSES))
