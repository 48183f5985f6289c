"""The JSON API's schemas: the partners service's own payload schemas, plus what only the
gateway has (sign-in answers, query strings, the CSRF token).

Input is checked here with the very schemas the partners service checks it with again, so
both sides refuse the same input with the same Dutch message and field name, before any RPC.
Answers are loaded with the service's answer schemas, so a broken contract shows as 502.
Rules that need the service's data (a unique KBO number, known NIS codes, a member
organisation) stay with the service; its 422 comes through with the field named.
"""

from marshmallow import ValidationError, fields, validate, validates

from verband_common import kbo
from verband_common.schemas import partners as p
from verband_common.schemas.common import NIS_CODE, Email, Strict, String, Whole

# The partners service's schemas, under the names the views use.
NetworkInput = p.NetworkInput
Network = p.Network
NetworkSettingsUpdate = p.NetworkSettingsUpdate
Municipality = p.Municipality
Membership = p.Membership
MembershipInput = p.MembershipInput
MembershipEnd = p.MembershipEnd
Person = p.Person
InvitationInput = p.InvitationInput
PasswordChange = p.PasswordChange
NewAccount = p.NewAccount
InvitationToken = p.InvitationToken
IdentityEvent = p.IdentityEvent
PersonRoles = p.PersonRoles
RoleInput = p.RoleInput
ApiTokenInput = p.ApiTokenInput
ApiToken = p.ApiToken
Principal = p.Principal
Offer = p.Offer
OfferInput = p.OfferInput
OfferUpdate = p.OfferUpdate
Gaps = p.Gaps
Agreement = p.Agreement
AgreementInput = p.AgreementInput
AgreementUpdate = p.AgreementUpdate
FollowUpInput = p.FollowUpInput
TaskGroup = p.TaskGroup
TaskGroupInput = p.TaskGroupInput
TaskGroupUpdate = p.TaskGroupUpdate
ImportReport = p.ImportReport
Organisation = p.Organisation
LinkRequest = p.LinkRequest
LinkDecision = p.LinkDecision
OrganisationAdminInput = p.OrganisationAdminInput
OrganisationAdmin = p.OrganisationAdmin

MAX_AGE = p.MAX_AGE
PASSWORD_MIN = p.PASSWORD_MIN_LENGTH
OFFER_KINDS = p.OFFER_KINDS


class _KboChecked:
    @validates("kbo")
    def kbo_check_digits(self, value, **kwargs):
        _, problem = kbo.problem(value)
        if problem:
            raise ValidationError(problem)


class OrganisationInput(_KboChecked, p.OrganisationInput):
    pass


class OrganisationUpdate(_KboChecked, p.OrganisationUpdate):
    pass


class OrganisationRegistration(_KboChecked, p.OrganisationRegistration):
    pass


class LinkRequestInput(_KboChecked, p.LinkRequestInput):
    pass


# --- gateway only --------------------------------------------------------------------------


class LoginInput(Strict):
    email = Email(required=True)
    password = String(
        required=True, validate=validate.Length(min=1, max=1000, error="Geef je wachtwoord.")
    )


class LoginResult(Strict):
    token = String(required=True)
    expires_at = fields.AwareDateTime(required=True)
    principal = Whole(Principal, required=True)


class Me(Principal):
    csrf_token = String(
        metadata={"description": "Alleen bij de sessiecookie: mee te sturen in X-CSRF-Token."}
    )


class Invitation(p.Invitation):
    """What the inviter sees of an invitation: the same whether or not the address has an
    account on the platform (that goes, as a different mail, to the address only)."""


class InvitationView(Strict):
    """What the holder of an invitation (who has its mail) sees before accepting."""

    network_name = String(required=True)
    name = String(required=True)
    email = String(required=True)
    roles = fields.List(String(), required=True)
    account_exists = fields.Boolean(required=True)


class MailView(Strict):
    """A mail as the demo and test stacks write it (MAIL_DIR), for their own tests."""

    to = String(required=True)
    subject = String(required=True)
    body = String(required=True)
    written_at = fields.AwareDateTime(required=True)


class IdentityTrailQuery(Strict):
    """The trail's paging as a query string (numbers arrive as text there)."""

    before = fields.Integer(load_default=None, validate=validate.Range(min=1, max=2**62))
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=500))


class MailQuery(Strict):
    to = Email(required=True)


class OfferQuery(Strict):
    """The offer filters as a query string: numbers and flags arrive as text there."""

    municipality = String(validate=NIS_CODE)
    age = fields.Integer(
        validate=validate.Range(min=0, max=MAX_AGE, error="Geef 0 tot {max} jaar.")
    )
    kind = String(validate=p.one_of(OFFER_KINDS))
    has_free_places = fields.Boolean()
    status = String(validate=p.one_of(p.OFFER_STATUSES))


class ImportQuery(Strict):
    dry_run = fields.Boolean(
        load_default=True,
        metadata={"description": "Standaard waar: alleen controleren, niets wegschrijven."},
    )
