"""Payloads of the partners service: networks, organisations, people, offer, agreements,
task groups, sign-in. Rules that need the service's data (KBO check digits, known NIS codes,
membership of a network) are checked by the service after these schemas."""

from marshmallow import ValidationError, fields, validate, validates_schema

from verband_common.contracts.partners import (
    AGREEMENT_KINDS,
    AGREEMENT_STATUSES,
    MEMBERSHIP_ROLES,
    NETWORK_KINDS,
    OFFER_STATUSES,
    ROLES,
)
from verband_common.notifications import MAIL_PREFERENCES, MAX_MARKED, MAX_PAGE, NOTIFICATION_KINDS
from verband_common.schemas.common import (
    BIGINT_MAX,
    NIS_CODE,
    Email,
    Strict,
    String,
    Whole,
    choice_message,
    line,
    single_line,
    text,
)
from verband_common.waiting import DEFAULT_WAITING_WEIGHTS, NETWORK_WAITING_WEIGHTS

OFFER_KINDS = (
    "family_coaching",
    "first_line_psychology",
    "parenting_course",
    "group_offer",
    "consultation",
    "home_guidance",
    "other",
)
IROJ_REGIONS = (
    "Antwerpen",
    "Limburg",
    "Oost-Vlaanderen",
    "Vlaams-Brabant/Brussel",
    "West-Vlaanderen",
)
SECTORS = (
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
    "other",
)
RTJ = ("RTJ", "NRTJ")
# Languages an offer can be given in (ISO 639-1), with their Dutch names for the guide.
LANGUAGES = {
    "nl": "Nederlands",
    "fr": "Frans",
    "en": "Engels",
    "de": "Duits",
    "ar": "Arabisch",
    "tr": "Turks",
    "pl": "Pools",
    "ro": "Roemeens",
    "bg": "Bulgaars",
    "uk": "Oekraïens",
    "ru": "Russisch",
    "es": "Spaans",
    "it": "Italiaans",
    "pt": "Portugees",
    "so": "Somalisch",
    "ti": "Tigrinya",
    "fa": "Perzisch",
    "ps": "Pasjtoe",
    "am": "Amhaars",
}
TASK_GROUP_THEMES = ("diversity", "poverty", "participation", "mental_health", "other")
IMPORT_KINDS = ("organisations", "offer")
# Youth care runs up to the 25th birthday.
MAX_AGE = 24
PASSWORD_MIN_LENGTH = 12
# What the identity audit trail records (partners.identity_trail.record).
IDENTITY_EVENT_KINDS = (
    "invitation_sent",
    "invitation_accepted",
    "invitation_withdrawn",
    "role_granted",
    "role_revoked",
    "password_changed",
    "password_reset_requested",
    "password_reset",
    "signed_in",
    "sign_in_failed",
    "token_issued",
    "token_revoked",
    "organisation_link_requested",
    "organisation_link_accepted",
    "organisation_link_refused",
    "organisation_admin_granted",
    "organisation_admin_revoked",
)

fields.Email.default_error_messages.update({"invalid": "Geef een geldig e-mailadres."})
fields.Float.default_error_messages.update({"invalid": "Geef een getal."})


def one_of(choices) -> validate.OneOf:
    return validate.OneOf(choices, error=choice_message(choices))


def count(maximum: int = 100000, **kwargs) -> fields.Integer:
    return fields.Integer(
        strict=True,
        validate=validate.Range(min=0, max=maximum, error="Geef een aantal van {min} tot {max}."),
        **kwargs,
    )


def nis_codes(minimum: int = 0, **kwargs) -> fields.List:
    return fields.List(
        String(validate=NIS_CODE),
        validate=validate.Length(min=minimum, error="Geef minstens één gemeente."),
        **kwargs,
    )


def at_least_one_field(data):
    if not data:
        raise ValidationError("Geef minstens één veld om te wijzigen.", "_schema")


def ends_after_start(data, start="starts_on", end="ends_on"):
    if data.get(start) and data.get(end) and data[end] < data[start]:
        raise ValidationError("De einddatum ligt voor de begindatum.", end)


# -- networks -------------------------------------------------------------------------------


def weight(name: str) -> fields.Float:
    return fields.Float(
        load_default=DEFAULT_WAITING_WEIGHTS[name],
        validate=validate.Range(min=0, max=100, error="Geef 0 tot 100."),
    )


class WaitingWeights(Strict):
    # The defaults and why: verband_common.waiting.
    waiting_days = weight("waiting_days")
    concern = weight("concern")
    multiproblem = weight("multiproblem")


class Target(Strict):
    code = String(
        required=True,
        validate=validate.Regexp(r"^[a-z0-9_]{1,40}$", error="Kleine letters, cijfers en _."),
    )
    label = text(200)
    value = count(1000000, required=True)
    period = String(load_default="year", validate=one_of(("year",)))


DEFAULT_SETTINGS = {
    "waiting_weights": {k: DEFAULT_WAITING_WEIGHTS[k] for k in NETWORK_WAITING_WEIGHTS},
    "warm_contact_interval_days": 14,
    "pickup_guideline_days": 30,
    "targets": [],
}


def days(default=None) -> fields.Integer:
    kwargs = {"load_default": default} if default is not None else {}
    return fields.Integer(
        strict=True,
        validate=validate.Range(min=1, max=365, error="Geef 1 tot 365 dagen."),
        **kwargs,
    )


class NetworkSettings(Strict):
    waiting_weights = Whole(
        WaitingWeights, load_default=lambda: dict(DEFAULT_SETTINGS["waiting_weights"])
    )
    warm_contact_interval_days = days(DEFAULT_SETTINGS["warm_contact_interval_days"])
    pickup_guideline_days = days(DEFAULT_SETTINGS["pickup_guideline_days"])
    targets = fields.List(Whole(Target), load_default=list)

    @validates_schema
    def unique_targets(self, data, **kwargs):
        codes = [t["code"] for t in data.get("targets", [])]
        if len(codes) != len(set(codes)):
            raise ValidationError("Elke doelstelling heeft een eigen code.", "targets")


class NetworkInput(Strict):
    name = text(200)
    kind = String(required=True, validate=one_of(NETWORK_KINDS))
    region = String(required=True, validate=one_of(IROJ_REGIONS))
    municipalities = nis_codes(load_default=list)
    settings = Whole(NetworkSettings, load_default=lambda: NetworkSettings().load({}))


class NetworkSettingsUpdate(Strict):
    """Partial: only the fields given change."""

    municipalities = nis_codes()
    waiting_weights = Whole(WaitingWeights)
    warm_contact_interval_days = days()
    pickup_guideline_days = days()
    targets = fields.List(Whole(Target))

    @validates_schema
    def not_empty(self, data, **kwargs):
        at_least_one_field(data)
        NetworkSettings.unique_targets(self, data)


class Network(Strict):
    id = fields.UUID(required=True)
    name = String(required=True)
    kind = String(required=True)
    region = String(required=True)
    municipalities = fields.List(String(), required=True)
    settings = fields.Dict(required=True)
    created_at = fields.AwareDateTime(required=True)


class Municipality(Strict):
    nis = String(required=True)
    name = String(required=True)
    province = String(required=True)


# Enough for every municipality of a region in one form, no more.
MAX_MUNICIPALITY_NAMES = 400


class MunicipalityNames(Strict):
    """Municipalities as people type them (a name, a postcode or a NIS code) to resolve."""

    given = fields.List(
        line(100),
        required=True,
        validate=validate.Length(
            max=MAX_MUNICIPALITY_NAMES, error=f"Hoogstens {MAX_MUNICIPALITY_NAMES} gemeenten."
        ),
    )


class ResolvedMunicipality(Strict):
    given = String(required=True)
    nis = String(required=True, allow_none=True)
    name = String(required=True, allow_none=True)


# -- organisations --------------------------------------------------------------------------


class Contact(Strict):
    email = Email(load_default=None, allow_none=True)
    phone = String(
        load_default=None,
        allow_none=True,
        validate=validate.Regexp(r"^\+?[0-9 ./()-]{6,20}$", error="Geef een telefoonnummer."),
    )
    address = String(
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=300, error="Geef hoogstens 300 tekens."),
    )


class OrganisationInput(Strict):
    name = text(200)
    kbo = String(
        required=True,
        validate=validate.Length(min=1, max=20, error="Geef een ondernemingsnummer."),
    )
    sector = String(required=True, validate=one_of(SECTORS))
    municipalities = nis_codes(load_default=list)
    contact = Whole(Contact, load_default=lambda: Contact().load({}))
    profile = String(
        load_default="",
        multiline=True,
        validate=validate.Length(max=5000, error="Hoogstens 5000 tekens."),
    )


class OrganisationUpdate(OrganisationInput):
    """Partial: only the fields given change (defaults would overwrite what is stored)."""

    def __init__(self, **kwargs):
        super().__init__(partial=True, **kwargs)

    @validates_schema
    def not_empty(self, data, **kwargs):
        at_least_one_field(data)


class Membership(Strict):
    network_id = fields.UUID(required=True)
    organisation_id = fields.UUID(required=True)
    role = String(required=True)
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(allow_none=True)


class Organisation(Strict):
    id = fields.UUID(required=True)
    name = String(required=True)
    kbo = String(required=True)
    sector = String(required=True)
    municipalities = fields.List(String(), required=True)
    contact = fields.Dict(required=True)
    profile = String(required=True)
    # get/create/update: every membership; list_organisations: the one in that network.
    memberships = fields.List(Whole(Membership))
    membership = Whole(Membership)
    created_at = fields.AwareDateTime(required=True)
    updated_at = fields.AwareDateTime(required=True)


class MembershipInput(Strict):
    organisation_id = fields.UUID(required=True)
    role = String(required=True, validate=one_of(MEMBERSHIP_ROLES))
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(load_default=None, allow_none=True)

    @validates_schema
    def period(self, data, **kwargs):
        ends_after_start(data)


class MembershipEnd(Strict):
    ends_on = fields.Date(required=True)


# -- an organisation's consent: its admins and the networks' link requests ------------------

LINK_STATUSES = ("pending", "accepted", "refused")
LINK_DECISIONS = ("accept", "refuse")


class OrganisationRegistration(OrganisationInput):
    """create_organisation: the organisation, and the network a network manager registers it
    for (that network keeps it while it alone uses it; the platform admin may leave it out)."""

    network_id = fields.UUID(load_default=None, allow_none=True)


class LinkRequestInput(Strict):
    """A network asks an organisation, known by its enterprise number, to become its partner
    on these terms; the organisation's admins accept or refuse."""

    kbo = String(
        required=True,
        validate=validate.Length(min=1, max=20, error="Geef een ondernemingsnummer."),
    )
    role = String(required=True, validate=one_of(MEMBERSHIP_ROLES))
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(load_default=None, allow_none=True)
    message = String(
        load_default="",
        multiline=True,
        validate=validate.Length(max=1000, error="Hoogstens 1000 tekens."),
    )

    @validates_schema
    def period(self, data, **kwargs):
        ends_after_start(data)


class LinkRequest(Strict):
    id = fields.UUID(required=True)
    organisation_id = fields.UUID(required=True)
    organisation_name = String(required=True)
    kbo = String(required=True)
    network_id = fields.UUID(required=True)
    network_name = String(required=True)
    role = String(required=True)
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(allow_none=True)
    message = String(required=True)
    status = String(required=True, validate=one_of(LINK_STATUSES))
    requested_at = fields.AwareDateTime(required=True)
    decided_at = fields.AwareDateTime(allow_none=True)


class LinkDecision(Strict):
    decision = String(required=True, validate=one_of(LINK_DECISIONS))


class OrganisationAdminInput(Strict):
    person_id = fields.UUID(required=True)


class OrganisationAdmin(Strict):
    organisation_id = fields.UUID(required=True)
    person_id = fields.UUID(required=True)
    name = String(required=True)
    email = String(required=True)
    granted_at = fields.AwareDateTime(required=True)


# -- people, roles, sign-in -----------------------------------------------------------------


def password(required=False) -> String:
    kwargs = {"required": True} if required else {"load_default": None, "allow_none": True}
    return String(
        validate=validate.Length(
            min=PASSWORD_MIN_LENGTH,
            max=200,
            error=f"Een wachtwoord heeft minstens {PASSWORD_MIN_LENGTH} tekens.",
        ),
        **kwargs,
    )


def email(**kwargs) -> fields.Email:
    return Email(validate=[validate.Length(max=320), single_line], **kwargs)


class InvitationInput(Strict):
    """A network invites a person by e-mail; the roles are granted when they accept."""

    name = line(200)
    email = email(required=True)
    organisation_id = fields.UUID(load_default=None, allow_none=True)
    roles = fields.List(
        String(validate=one_of(ROLES)),
        load_default=list,
        validate=validate.Length(max=len(ROLES)),
    )


class Invitation(Strict):
    id = fields.UUID(required=True)
    network_id = fields.UUID(required=True)
    name = String(required=True)
    email = String(required=True)
    organisation_id = fields.UUID(allow_none=True)
    roles = fields.List(String(), required=True)
    created_at = fields.AwareDateTime(required=True)
    expires_at = fields.AwareDateTime(required=True)
    status = String(required=True, validate=one_of(("pending", "accepted", "withdrawn", "expired")))


class InvitationToken(Strict):
    token = String(required=True, validate=validate.Length(min=20, max=200))


class NewAccount(InvitationToken):
    """A new person accepts an invitation from its mail: they choose their own password."""

    password = password(required=True)


class PasswordChange(Strict):
    """A person changes their own password: only with the current one."""

    current_password = String(required=True, validate=validate.Length(min=1, max=200))
    new_password = password(required=True)


class Person(Strict):
    id = fields.UUID(required=True)
    name = String(required=True)
    email = String(required=True)
    organisation_id = fields.UUID(allow_none=True)
    platform_admin = fields.Boolean(required=True)
    # list_people: roles in that network; get_person: roles per network the reader sees.
    roles = fields.List(String())
    networks = fields.List(fields.Dict())
    created_at = fields.AwareDateTime(required=True)


class PersonRoles(Strict):
    network_id = fields.UUID(required=True)
    person_id = fields.UUID(required=True)
    roles = fields.List(String(), required=True)


class RoleInput(Strict):
    role = String(required=True, validate=one_of(ROLES))


class Credentials(Strict):
    email = email(required=True)
    password = String(required=True, validate=validate.Length(max=200))


class Client(Strict):
    ip = String(load_default=None, allow_none=True, validate=validate.Length(max=100))
    user_agent = String(load_default=None, allow_none=True, validate=validate.Length(max=300))


class Identity(Strict):
    """An identity an OpenID Connect provider vouched for: the gateway checked the ID token."""

    issuer = fields.Url(
        required=True,
        schemes={"https", "http"},
        require_tld=False,
        validate=validate.Length(max=500),
    )
    subject = String(required=True, validate=[validate.Length(min=1, max=255), single_line])
    email = email(required=True)


class NewPassword(Strict):
    new_password = password(required=True)


TOKEN_STATES = ("active", "expired", "revoked", "issuer_lost_role")


class ApiTokenInput(Strict):
    role = String(required=True, validate=one_of(ROLES))
    label = text(200)
    # Left out: the longest lifetime the service allows (API_TOKEN_MAX_DAYS, 90 by default).
    expires_at = fields.AwareDateTime(
        load_default=None,
        allow_none=True,
        error_messages={"invalid": "Geef een datum en tijd (ISO 8601, met tijdzone)."},
    )


class ApiToken(Strict):
    id = fields.UUID(required=True)
    network_id = fields.UUID(required=True)
    role = String(required=True)
    label = String(required=True)
    created_at = fields.AwareDateTime(required=True)
    expires_at = fields.AwareDateTime(required=True)
    revoked_at = fields.AwareDateTime(allow_none=True)
    issued_by = fields.UUID(allow_none=True)
    issued_by_name = String(allow_none=True)
    # active, expired, revoked, or issuer_lost_role (the issuer no longer holds a backing role)
    state = String(required=True, validate=one_of(TOKEN_STATES))
    # Only in the answer to issuing it: the secret itself.
    token = String()


class PrincipalMembership(Strict):
    network_id = fields.UUID(required=True)
    network_name = String(required=True)
    region = String(required=True)
    roles = fields.List(String(), required=True)


class TokenScope(Strict):
    network_id = fields.UUID(required=True)
    role = String(required=True)
    expires_at = fields.AwareDateTime(required=True)


class Principal(Strict):
    actor = String(required=True)
    person_id = fields.UUID(allow_none=True)
    name = String(required=True)
    email = String(allow_none=True)
    organisation_id = fields.UUID(allow_none=True)
    platform_admin = fields.Boolean(required=True)
    token_scope = Whole(TokenScope, allow_none=True)
    memberships = fields.List(Whole(PrincipalMembership), required=True)
    # The organisations this person is an organisation admin of.
    administers = fields.List(fields.UUID(), load_default=list, dump_default=list)


class IdentityTrailQuery(Strict):
    # An event id (bigint): a cursor beyond it would reach PostgreSQL as an error (500).
    before = fields.Integer(
        strict=True, load_default=None, validate=validate.Range(min=1, max=BIGINT_MAX)
    )
    limit = fields.Integer(strict=True, load_default=100, validate=validate.Range(min=1, max=500))


class IdentityEvent(Strict):
    id = fields.Integer(required=True)
    occurred_at = fields.AwareDateTime(required=True)
    kind = String(required=True, validate=one_of(IDENTITY_EVENT_KINDS))
    actor = String(required=True)
    target_person_id = fields.UUID(allow_none=True)
    target = String(allow_none=True)
    network_id = fields.UUID(allow_none=True)
    ip = String(allow_none=True)
    details = fields.Dict(required=True)


# -- offer ----------------------------------------------------------------------------------


class AgeRange(Strict):
    min = fields.Integer(
        strict=True,
        load_default=0,
        validate=validate.Range(min=0, max=MAX_AGE, error="Geef 0 tot 24 jaar."),
    )
    max = fields.Integer(
        strict=True,
        load_default=MAX_AGE,
        validate=validate.Range(min=0, max=MAX_AGE, error="Geef 0 tot 24 jaar."),
    )

    @validates_schema
    def min_not_above_max(self, data, **kwargs):
        if data.get("min", 0) > data.get("max", MAX_AGE):
            raise ValidationError("De minimumleeftijd is hoger dan de maximumleeftijd.", "min")


class OfferAddress(Strict):
    """Where a resident goes: a Belgian address, as the guide prints it."""

    street = line(200)
    postcode = String(
        required=True,
        validate=validate.Regexp(r"^\d{4}$", error="Geef een postcode van 4 cijfers."),
    )
    city = line(100)


class OfferInput(Strict):
    organisation_id = fields.UUID(required=True)
    title = text(200)
    description = String(
        load_default="",
        multiline=True,
        validate=validate.Length(max=4000, error="Hoogstens 4000 tekens."),
    )
    kind = String(required=True, validate=one_of(OFFER_KINDS))
    rtj = String(load_default="RTJ", validate=one_of(RTJ))
    target_ages = Whole(AgeRange, load_default=lambda: {"min": 0, "max": MAX_AGE})
    situations = fields.List(
        String(validate=validate.Length(min=1, max=100, error="1 tot 100 tekens.")),
        load_default=list,
    )
    municipalities = nis_codes(1, required=True)
    capacity = count(required=True)
    free_places = count(required=True)
    can_start_from = fields.Date(load_default=None, allow_none=True)
    status = String(load_default="active", validate=one_of(OFFER_STATUSES))
    warm_waiting_list = fields.Boolean(load_default=True)
    flanking_offer_ids = fields.List(fields.UUID(), load_default=list)
    # What the public guide shows (PUBLIC_OFFER_FIELDS); kept by the offering organisation.
    address = Whole(OfferAddress, load_default=None, allow_none=True)
    opening_hours = String(
        load_default="",
        multiline=True,
        validate=validate.Length(max=1000, error="Hoogstens 1000 tekens."),
    )
    contact_phone = String(
        load_default=None,
        allow_none=True,
        validate=validate.Regexp(r"^\+?[0-9 ./()-]{6,20}$", error="Geef een telefoonnummer."),
    )
    contact_email = Email(load_default=None, allow_none=True, validate=single_line)
    languages = fields.List(
        String(validate=one_of(LANGUAGES)),
        load_default=lambda: ["nl"],
        validate=validate.Length(max=len(LANGUAGES), error="Te veel talen."),
    )
    cost = String(load_default="", validate=validate.Length(max=300, error="Hoogstens 300 tekens."))
    referral = String(
        load_default="",
        multiline=True,
        validate=validate.Length(max=1000, error="Hoogstens 1000 tekens."),
    )

    @validates_schema
    def free_within_capacity(self, data, **kwargs):
        if "free_places" in data and "capacity" in data and data["free_places"] > data["capacity"]:
            raise ValidationError(
                "Er kunnen niet meer vrije plaatsen zijn dan de capaciteit.", "free_places"
            )


class OfferUpdate(OfferInput):
    """Partial; the providing organisation of an offer does not change."""

    def __init__(self, **kwargs):
        super().__init__(partial=True, exclude=("organisation_id",), **kwargs)

    @validates_schema
    def not_empty(self, data, **kwargs):
        at_least_one_field(data)


class Offer(OfferInput):
    id = fields.UUID(required=True)
    network_id = fields.UUID(required=True)
    organisation_name = String(allow_none=True)
    created_at = fields.AwareDateTime(required=True)
    updated_at = fields.AwareDateTime(required=True)


class OfferFilters(Strict):
    municipality = String(validate=NIS_CODE)
    age = fields.Integer(
        strict=True, validate=validate.Range(min=0, max=MAX_AGE, error="Geef 0 tot 24 jaar.")
    )
    kind = String(validate=one_of(OFFER_KINDS))
    has_free_places = fields.Boolean()
    status = String(validate=one_of(OFFER_STATUSES))


# -- the public offer guide (aanbodgids): no sign-in, only what residents may read ----------

# How long one waits now, as a band: the guide never shows a count of families or places.
WAIT_BANDS = {
    "none": "Geen wachttijd",
    "up_to_1_month": "Tot 1 maand",
    "1_to_3_months": "1 tot 3 maanden",
    "over_3_months": "Meer dan 3 maanden",
    "unknown": "Onbekend",
}
# The only offer fields a public answer may carry (besides the wait band and names).
PUBLIC_OFFER_FIELDS = (
    "id",
    "title",
    "description",
    "kind",
    "rtj",
    "target_ages",
    "situations",
    "address",
    "opening_hours",
    "contact_phone",
    "contact_email",
    "languages",
    "cost",
    "referral",
    "updated_at",
)
PUBLIC_PAGE_SIZE = 50


class PublicOfferQuery(Strict):
    """The guide's search: municipality by name, postcode or NIS code; age; kind; concern."""

    municipality = line(100, required=False)
    age = fields.Integer(
        strict=True, validate=validate.Range(min=0, max=MAX_AGE, error="Geef 0 tot 24 jaar.")
    )
    kind = String(validate=one_of(OFFER_KINDS))
    concern = line(100, required=False)


class PublicMunicipality(Strict):
    nis = String(required=True, validate=NIS_CODE)
    name = String(required=True)


class PublicOffer(Strict):
    id = fields.UUID(required=True)
    title = String(required=True)
    description = String(required=True, multiline=True)
    kind = String(required=True, validate=one_of(OFFER_KINDS))
    rtj = String(required=True, validate=one_of(RTJ))
    target_ages = Whole(AgeRange, required=True)
    situations = fields.List(String(), required=True)
    municipalities = fields.List(Whole(PublicMunicipality), required=True)
    organisation_name = String(required=True, allow_none=True)
    address = Whole(OfferAddress, required=True, allow_none=True)
    opening_hours = String(required=True, multiline=True)
    contact_phone = String(required=True, allow_none=True)
    contact_email = String(required=True, allow_none=True)
    languages = fields.List(String(validate=one_of(LANGUAGES)), required=True)
    cost = String(required=True)
    referral = String(required=True, multiline=True)
    wait_band = String(required=True, validate=one_of(WAIT_BANDS))
    updated_at = fields.AwareDateTime(required=True)


class PublicOfferPage(Strict):
    municipality = Whole(PublicMunicipality, required=True, allow_none=True)
    offers = fields.List(Whole(PublicOffer), required=True)


class UncoveredGap(Strict):
    municipality = String(required=True)
    municipality_name = String(required=True)
    kind = String(required=True)


class FullOffer(Strict):
    offer_id = fields.UUID(required=True)
    title = String(required=True)
    waiting = fields.Integer(required=True)


class Gaps(Strict):
    uncovered = fields.List(Whole(UncoveredGap), required=True)
    full_with_waiting = fields.List(Whole(FullOffer), required=True)


# -- agreements and task groups -------------------------------------------------------------


class Party(Strict):
    organisation_id = fields.UUID(load_default=None, allow_none=True)
    name = text(200)


class AgreementInput(Strict):
    title = text(200)
    kind = String(required=True, validate=one_of(AGREEMENT_KINDS))
    parties = fields.List(
        Whole(Party),
        required=True,
        validate=validate.Length(min=1, error="Geef minstens één partij."),
    )
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(load_default=None, allow_none=True)
    agreed_number = count(required=True)
    used_number = count(load_default=0)
    unit = String(
        load_default="gezinnen", validate=validate.Length(min=1, max=100, error="1 tot 100 tekens.")
    )
    status = String(load_default="active", validate=one_of(AGREEMENT_STATUSES))
    notes = String(
        load_default="",
        multiline=True,
        validate=validate.Length(max=4000, error="Hoogstens 4000 tekens."),
    )
    next_follow_up_on = fields.Date(load_default=None, allow_none=True)

    @validates_schema
    def period(self, data, **kwargs):
        ends_after_start(data)


class AgreementUpdate(AgreementInput):
    def __init__(self, **kwargs):
        super().__init__(partial=True, **kwargs)

    @validates_schema
    def not_empty(self, data, **kwargs):
        at_least_one_field(data)


class FollowUpInput(Strict):
    held_on = fields.Date(required=True)
    notes = text(4000)
    # Optional: a follow-up need not count anything; then the agreement's count stays.
    used_number = count(load_default=None, allow_none=True)
    next_follow_up_on = fields.Date(load_default=None, allow_none=True)


class FollowUp(FollowUpInput):
    id = fields.UUID(required=True)
    created_at = fields.AwareDateTime(required=True)


class Agreement(AgreementInput):
    id = fields.UUID(required=True)
    network_id = fields.UUID(required=True)
    follow_up_due = fields.Boolean(required=True)
    # Referrals from the agreement's kind of party (OCJ/SDJ, crisis point) within its period,
    # counted from the cases service's events; `used_number` is what follow-ups recorded.
    referrals_counted = fields.Integer(load_default=0, validate=validate.Range(min=0))
    follow_ups = fields.List(Whole(FollowUp), required=True)
    created_at = fields.AwareDateTime(required=True)
    updated_at = fields.AwareDateTime(required=True)


class TaskGroupInput(Strict):
    name = text(200)
    theme = String(required=True, validate=one_of(TASK_GROUP_THEMES))
    mandate = text(4000)
    members = fields.List(fields.UUID(), load_default=list)
    organisations = fields.List(fields.UUID(), load_default=list)


class TaskGroupUpdate(TaskGroupInput):
    def __init__(self, **kwargs):
        super().__init__(partial=True, **kwargs)

    @validates_schema
    def not_empty(self, data, **kwargs):
        at_least_one_field(data)


class TaskGroup(TaskGroupInput):
    id = fields.UUID(required=True)
    network_id = fields.UUID(required=True)
    created_at = fields.AwareDateTime(required=True)
    updated_at = fields.AwareDateTime(required=True)


# -- import ---------------------------------------------------------------------------------


class ImportRequest(Strict):
    kind = String(required=True, validate=one_of(IMPORT_KINDS))
    csv_text = String(
        required=True,
        multiline=True,
        validate=validate.Length(min=1, max=2_000_000, error="Geef een CSV-bestand (max 2 MB)."),
    )
    dry_run = fields.Boolean(required=True)


class ImportError_(Strict):
    line = fields.Integer(required=True)
    field = String(required=True)
    message = String(required=True)


class ImportReport(Strict):
    dry_run = fields.Boolean(required=True)
    rows = fields.Integer(required=True)
    errors = fields.List(Whole(ImportError_), required=True)
    created = fields.Integer(required=True)


# -- notifications ----------------------------------------------------------------------------


class Notification(Strict):
    """One notification in a person's inbox: what happened and where to look, never a
    family's name (the page it links to applies the cases service's access rule)."""

    id = fields.UUID(required=True)
    network_id = fields.UUID(required=True)
    kind = String(required=True, validate=one_of(NOTIFICATION_KINDS))
    title = String(required=True)
    body = String(required=True)
    link = String(required=True)
    urgent = fields.Boolean(required=True)
    created_at = fields.AwareDateTime(required=True)
    read_at = fields.AwareDateTime(required=True, allow_none=True)


class NotificationPage(Strict):
    notifications = fields.List(Whole(Notification), required=True)
    unread = fields.Integer(required=True)


class NotificationQuery(Strict):
    limit = fields.Integer(
        load_default=20,
        validate=validate.Range(min=1, max=MAX_PAGE, error=f"Geef 1 tot {MAX_PAGE}."),
    )
    # The page before this moment (the oldest `created_at` of the page shown).
    before = fields.AwareDateTime(load_default=None, allow_none=True)


class MarkRead(Strict):
    """Which notifications become read: the ones named, or all of them."""

    ids = fields.List(
        fields.UUID(),
        load_default=list,
        validate=validate.Length(max=MAX_MARKED, error=f"Hoogstens {MAX_MARKED} meldingen."),
    )
    all = fields.Boolean(load_default=False)

    @validates_schema
    def names_something(self, data, **kwargs):
        if not data["ids"] and not data["all"]:
            raise ValidationError("Noem de meldingen, of kies alle.", "ids")


class MarkedRead(Strict):
    marked = fields.Integer(required=True)
    unread = fields.Integer(required=True)


class UnreadCount(Strict):
    """What every portal page's header shows: the unread count, and the newest unread crisis
    notification for the banner (or none)."""

    unread = fields.Integer(required=True)
    crisis = fields.Nested(Notification, required=True, allow_none=True)


class NotificationPreferences(Strict):
    mail = String(required=True, validate=one_of(MAIL_PREFERENCES))
