"""The network's directory: organisations and their membership, people and their roles."""

from flask.views import MethodView
from flask_smorest import Blueprint

from verband_common.errors import ValidationFailed
from verband_gateway import auth, call
from verband_gateway.api.schemas import (
    Membership,
    MembershipEnd,
    MembershipInput,
    Municipality,
    Organisation,
    OrganisationInput,
    OrganisationUpdate,
    PasswordInput,
    Person,
    PersonInput,
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
    @blp.arguments(OrganisationInput)
    @blp.response(201, Organisation)
    @blp.alt_response(409, "CONFLICT")
    def post(self, data):
        """Register an organisation (once for the platform; it joins networks by membership).

        Network admins and coordinators may; the KBO number is unique."""
        return call(
            "partners", "create_organisation", OrganisationInput().dump(data), schema=Organisation()
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
    @auth.requires(*auth.DIRECTORY_EDITORS, platform_admin=True)
    @blp.arguments(MembershipInput)
    @blp.response(201, Membership)
    def post(self, data, network_id):
        """Make an organisation a member of the network (kernpartner, contractant, ...)."""
        return call(
            "partners",
            "add_membership",
            str(network_id),
            MembershipInput().dump(data),
            schema=Membership(),
        )


@blp.route("/networks/<uuid:network_id>/memberships/<uuid:organisation_id>/end")
class MembershipEnding(MethodView):
    @auth.requires(*auth.DIRECTORY_EDITORS, platform_admin=True)
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


@blp.route("/networks/<uuid:network_id>/people")
class People(MethodView):
    @auth.requires()
    @blp.response(200, Person(many=True))
    def get(self, network_id):
        """The people with a role in the network."""
        return call("partners", "list_people", str(network_id), schema=Person(many=True))

    @auth.requires(*auth.DIRECTORY_EDITORS, platform_admin=True)
    @blp.arguments(PersonInput)
    @blp.response(201, Person)
    @blp.alt_response(409, "CONFLICT")
    def post(self, data, network_id):
        """Add a person (with a first password, or set later by a reset link)."""
        return call(
            "partners",
            "create_person",
            str(network_id),
            PersonInput().dump(data),
            schema=Person(),
        )


@blp.route("/people/<uuid:person_id>")
class PersonById(MethodView):
    @auth.requires()
    @blp.response(200, Person)
    def get(self, person_id):
        """One person."""
        return call("partners", "get_person", str(person_id), schema=Person())


@blp.route("/people/<uuid:person_id>/password")
class PersonPassword(MethodView):
    @auth.requires()
    @blp.arguments(PasswordInput)
    @blp.response(204)
    def put(self, data, person_id):
        """Set a password: one's own, or (network admin) a person's of the network."""
        call("partners", "set_password", str(person_id), data["password"])
        # The service ends the person's sessions; do not serve them from this cache either.
        auth.forget_all()
        return None


@blp.route("/networks/<uuid:network_id>/people/<uuid:person_id>/roles")
class RoleGrants(MethodView):
    @auth.requires(*auth.DIRECTORY_EDITORS, platform_admin=True)
    @blp.arguments(RoleInput)
    @blp.response(200, PersonRoles)
    def post(self, data, network_id, person_id):
        """Grant a person a role in the network (a platform admin: the first network admin)."""
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
    @auth.requires(*auth.DIRECTORY_EDITORS, platform_admin=True)
    @blp.response(200, PersonRoles)
    def delete(self, network_id, person_id, role):
        """Take a role away from a person."""
        if role not in auth.ROLES:
            raise ValidationFailed(
                "De invoer is ongeldig.", {"role": [f"Kies een van: {', '.join(auth.ROLES)}."]}
            )
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
