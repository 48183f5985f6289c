"""The network's directory: organisations and their membership, people and their roles."""

from flask.views import MethodView
from flask_smorest import Blueprint

from verband_common.errors import ValidationFailed
from verband_common.roles import NETWORK_MANAGERS, ROLES
from verband_common.schemas.common import choice_message
from verband_gateway import auth, call
from verband_gateway.api.schemas import (
    LinkDecision,
    LinkRequest,
    LinkRequestInput,
    Membership,
    MembershipEnd,
    MembershipInput,
    Municipality,
    Organisation,
    OrganisationAdmin,
    OrganisationAdminInput,
    OrganisationRegistration,
    OrganisationUpdate,
    Person,
    PersonRoles,
    RoleInput,
)

blp = Blueprint(
    "directory",
    __name__,
    url_prefix="/api",
    description="Partnerorganisaties, hun lidmaatschap van een netwerk, personen en rollen.",
)


@blp.route("/networks/<uuid:network_id>/organisations")
class NetworkOrganisations(MethodView):
    @auth.requires()
    @blp.response(200, Organisation(many=True))
    def get(self, network_id):
        """The organisations that are (or were) members of the network."""
        return call(
            "partners", "list_organisations", str(network_id), schema=Organisation(many=True)
        )


@blp.route("/organisations")
class Organisations(MethodView):
    @auth.requires()
    @blp.arguments(OrganisationRegistration)
    @blp.response(201, Organisation)
    @blp.alt_response(409, "CONFLICT")
    def post(self, data):
        """Register an organisation (once for the platform; it joins networks by membership).

        Network admins and coordinators register it for one of their networks (`network_id`),
        which keeps it while it alone uses it; the platform admin may leave `network_id` out.
        A KBO number already registered answers 409 and nothing more: ask the organisation
        for a link (`POST /api/networks/{id}/organisation-links`)."""
        if data.get("network_id") is not None:
            auth.require(data["network_id"], *NETWORK_MANAGERS, platform_admin=True)
        return call(
            "partners",
            "create_organisation",
            OrganisationRegistration().dump(data),
            schema=Organisation(),
        )


@blp.route("/organisations/<uuid:organisation_id>")
class OrganisationById(MethodView):
    @auth.requires()
    @blp.response(200, Organisation)
    def get(self, organisation_id):
        """One organisation."""
        return call("partners", "get_organisation", str(organisation_id), schema=Organisation())

    @auth.requires()
    @blp.arguments(OrganisationUpdate)
    @blp.response(200, Organisation)
    def patch(self, data, organisation_id):
        """Change an organisation; a partner worker may change their own one's profile."""
        return call(
            "partners",
            "update_organisation",
            str(organisation_id),
            OrganisationUpdate().dump(data),
            schema=Organisation(),
        )


@blp.route("/networks/<uuid:network_id>/memberships")
class Memberships(MethodView):
    @auth.requires(*NETWORK_MANAGERS, platform_admin=True)
    @blp.arguments(MembershipInput)
    @blp.response(201, Membership)
    def post(self, data, network_id):
        """Make an organisation a member of the network (kernpartner, contractant, ...).

        Only an organisation the network registered and alone uses (or as the platform
        admin); any other answers 403: ask it for a link instead."""
        return call(
            "partners",
            "add_membership",
            str(network_id),
            MembershipInput().dump(data),
            schema=Membership(),
        )


@blp.route("/networks/<uuid:network_id>/memberships/<uuid:organisation_id>/end")
class MembershipEnding(MethodView):
    @auth.requires(*NETWORK_MANAGERS, platform_admin=True)
    @blp.arguments(MembershipEnd)
    @blp.response(200, Membership)
    def post(self, data, network_id, organisation_id):
        """End an organisation's membership on a date (its history stays)."""
        return call(
            "partners",
            "end_membership",
            str(network_id),
            str(organisation_id),
            MembershipEnd().dump(data)["ends_on"],
            schema=Membership(),
        )


@blp.route("/networks/<uuid:network_id>/organisation-links")
class NetworkLinkRequests(MethodView):
    @auth.requires(*NETWORK_MANAGERS, platform_admin=True)
    @blp.response(200, LinkRequest(many=True))
    def get(self, network_id):
        """The link requests this network made, pending first."""
        return call(
            "partners", "list_link_requests", str(network_id), schema=LinkRequest(many=True)
        )

    @auth.requires(*NETWORK_MANAGERS, platform_admin=True)
    @blp.arguments(LinkRequestInput)
    @blp.response(201, LinkRequest)
    @blp.alt_response(409, "CONFLICT")
    def post(self, data, network_id):
        """Ask the organisation with this KBO number to become a partner on these terms.

        Only a pending request results; the organisation's own admins accept or refuse."""
        return call(
            "partners",
            "request_organisation_link",
            str(network_id),
            LinkRequestInput().dump(data),
            schema=LinkRequest(),
        )


@blp.route("/organisation-links")
class OrganisationLinkRequests(MethodView):
    @auth.requires()
    @blp.response(200, LinkRequest(many=True))
    def get(self):
        """The link requests to the organisations the caller is an admin of, pending first."""
        return call("partners", "organisation_link_requests", schema=LinkRequest(many=True))


@blp.route("/organisation-links/<uuid:request_id>/decision")
class LinkRequestDecision(MethodView):
    @auth.requires()
    @blp.arguments(LinkDecision)
    @blp.response(200, LinkRequest)
    @blp.alt_response(409, "CONFLICT")
    def post(self, data, request_id):
        """Accept (the membership is made on the request's terms) or refuse: the
        organisation's admins and the platform admin."""
        return call(
            "partners",
            "decide_organisation_link",
            str(request_id),
            data["decision"],
            schema=LinkRequest(),
        )


@blp.route("/organisations/<uuid:organisation_id>/admins")
class OrganisationAdmins(MethodView):
    @auth.requires()
    @blp.response(200, OrganisationAdmin(many=True))
    def get(self, organisation_id):
        """The organisation's own admins."""
        return call(
            "partners",
            "list_organisation_admins",
            str(organisation_id),
            schema=OrganisationAdmin(many=True),
        )

    @auth.requires()
    @blp.arguments(OrganisationAdminInput)
    @blp.response(200, OrganisationAdmin(many=True))
    def post(self, data, organisation_id):
        """Make a person of the organisation one of its admins (the platform admin, its
        admins, or the network admin of the network that registered it and alone uses it)."""
        admins = call(
            "partners",
            "grant_organisation_admin",
            str(organisation_id),
            OrganisationAdminInput().dump(data),
            schema=OrganisationAdmin(many=True),
        )
        auth.forget_all()
        return admins


@blp.route("/organisations/<uuid:organisation_id>/admins/<uuid:person_id>")
class OrganisationAdminById(MethodView):
    @auth.requires()
    @blp.response(200, OrganisationAdmin(many=True))
    def delete(self, organisation_id, person_id):
        """Take the organisation-admin role away."""
        admins = call(
            "partners",
            "revoke_organisation_admin",
            str(organisation_id),
            str(person_id),
            schema=OrganisationAdmin(many=True),
        )
        auth.forget_all()
        return admins


@blp.route("/networks/<uuid:network_id>/people")
class People(MethodView):
    @auth.requires()
    @blp.response(200, Person(many=True))
    def get(self, network_id):
        """The people who accepted the network's invitation, with their roles there.

        People join a network only by invitation: POST .../invitations."""
        return call("partners", "list_people", str(network_id), schema=Person(many=True))


@blp.route("/people/<uuid:person_id>")
class PersonById(MethodView):
    @auth.requires()
    @blp.response(200, Person)
    def get(self, person_id):
        """One person, as far as a network of the reader registered them (else 404)."""
        return call("partners", "get_person", str(person_id), schema=Person())


@blp.route("/networks/<uuid:network_id>/people/<uuid:person_id>/roles")
class RoleGrants(MethodView):
    @auth.requires(*NETWORK_MANAGERS, platform_admin=True)
    @blp.arguments(RoleInput)
    @blp.response(200, PersonRoles)
    def post(self, data, network_id, person_id):
        """Grant a role to a person who accepted the network's invitation (else 404)."""
        roles = call(
            "partners",
            "grant_role",
            str(network_id),
            str(person_id),
            data["role"],
            schema=PersonRoles(),
        )
        auth.forget_all()
        return roles


@blp.route("/networks/<uuid:network_id>/people/<uuid:person_id>/roles/<role>")
class PersonRole(MethodView):
    @auth.requires(*NETWORK_MANAGERS, platform_admin=True)
    @blp.response(200, PersonRoles)
    def delete(self, network_id, person_id, role):
        """Take a role away from a person."""
        if role not in ROLES:
            raise ValidationFailed("De invoer is ongeldig.", {"role": [choice_message(ROLES)]})
        roles = call(
            "partners",
            "revoke_role",
            str(network_id),
            str(person_id),
            role,
            schema=PersonRoles(),
        )
        # The person's cached principal would keep the role a few seconds more here.
        auth.forget_all()
        return roles


@blp.route("/municipalities")
class Municipalities(MethodView):
    # Public reference data (the partners service asks no actor for it either), so forms
    # and integrations can offer the list before anyone signs in.
    @blp.response(200, Municipality(many=True))
    def get(self):
        """The Flemish municipalities with their NIS code and province."""
        return call("partners", "list_municipalities", schema=Municipality(many=True))
