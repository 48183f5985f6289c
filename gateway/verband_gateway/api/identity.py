"""Identity: invitations into a network, one's own password, a reset the platform admin
starts, and the identity audit trail.

A network never sets anyone's password or attaches an existing account: it invites an
e-mail address, and the person accepts (signed in, or by choosing a password from the mail).
The answer to the inviter is the same whether or not the address has an account anywhere on
the platform. Invitation and reset tokens travel only in mails and request bodies, never in
a URL the gateway or a proxy would log.
"""

import datetime as dt
from email import policy
from email.parser import BytesParser
from pathlib import Path

from flask import abort, current_app, render_template, request, url_for
from flask.views import MethodView
from flask_smorest import Blueprint

from verband_common.roles import IDENTITY_AUDITORS, NETWORK_MANAGERS
from verband_gateway import auth, call
from verband_gateway.api.schemas import (
    IdentityEvent,
    IdentityTrailQuery,
    Invitation,
    InvitationInput,
    InvitationToken,
    InvitationView,
    LoginResult,
    MailQuery,
    MailView,
    NewAccount,
    PasswordChange,
    PersonRoles,
)
from verband_gateway.api.session_api import client_info

blp = Blueprint(
    "identity",
    __name__,
    url_prefix="/api",
    description="Uitnodigingen, je eigen wachtwoord en het spoor van aanmeldingen en rollen.",
)


def public_url() -> str:
    return current_app.config["PUBLIC_URL"] or request.host_url.rstrip("/")


def send_invitation_mail(sent: dict) -> None:
    """The mail to the invited address: sign in and accept, or choose a password. The token
    is in the link's fragment, which browsers never send to a server."""
    invitation = sent["invitation"]
    # One line whatever a network's name holds: it goes into the Subject header.
    network = " ".join(sent["network_name"].split())
    link = public_url() + url_for("signin.invitation") + "#" + sent["token"]
    body = render_template(
        "mail/invitation.txt",
        name=invitation["name"],
        network=sent["network_name"],
        link=link,
        account_exists=sent["account_exists"],
    )
    current_app.extensions["mail"].send(
        invitation["email"], f"Uitnodiging voor {network} op Verband", body
    )


def send_reset_mail(person: dict, reset_token: str) -> None:
    link = public_url() + url_for("signin.reset_password") + "#" + reset_token
    body = render_template("mail/reset.txt", name=person.get("name", ""), link=link)
    current_app.extensions["mail"].send(person["email"], "Nieuw wachtwoord voor Verband", body)


@blp.route("/networks/<uuid:network_id>/invitations")
class Invitations(MethodView):
    @auth.requires(*NETWORK_MANAGERS, platform_admin=True)
    @blp.response(200, Invitation(many=True))
    def get(self, network_id):
        """The network's invitations: pending, accepted, withdrawn or expired."""
        return call("partners", "list_invitations", str(network_id), schema=Invitation(many=True))

    @auth.requires(*NETWORK_MANAGERS, platform_admin=True)
    @blp.arguments(InvitationInput)
    @blp.response(201, Invitation)
    def post(self, data, network_id):
        """Invite a person by e-mail, with the roles they get when they accept.

        The person accepts from the mail: signed in with their account, or by choosing a
        password. Roles that need membership need an organisation of the network; only a
        network admin invites network admins and IROJ viewers. The answer is the same
        whether or not the address has an account on the platform."""
        sent = call("partners", "invite_person", str(network_id), InvitationInput().dump(data))
        send_invitation_mail(sent)
        return Invitation().load(sent["invitation"])


@blp.route("/invitations/<uuid:invitation_id>")
class InvitationById(MethodView):
    @auth.requires()
    @blp.response(200, Invitation)
    def delete(self, invitation_id):
        """Withdraw a pending invitation (a manager of its network)."""
        return call("partners", "withdraw_invitation", str(invitation_id), schema=Invitation())


@blp.route("/invitations/describe")
class InvitationDescription(MethodView):
    @blp.arguments(InvitationToken)
    @blp.response(200, InvitationView)
    def post(self, data):
        """What an invitation is for, to the holder of its token (from the mail)."""
        return call(
            "partners",
            "describe_invitation",
            data["token"],
            schema=InvitationView(),
            anonymous=True,
        )


@blp.route("/invitations/accept")
class InvitationAcceptance(MethodView):
    @auth.requires()
    @blp.arguments(InvitationToken)
    @blp.response(200, PersonRoles)
    def post(self, data):
        """Accept an invitation sent to the signed-in person's own address."""
        roles = call("partners", "accept_invitation", data["token"], schema=PersonRoles())
        auth.forget_all()
        return roles


@blp.route("/invitations/accept-new")
class NewAccountAcceptance(MethodView):
    @blp.arguments(NewAccount)
    @blp.response(201, LoginResult)
    def post(self, data):
        """Accept an invitation without an account yet: choose a password; signs in."""
        return call(
            "partners",
            "accept_invitation_as_new",
            data["token"],
            data["password"],
            client_info(),
            schema=LoginResult(),
            anonymous=True,
        )


@blp.route("/me/password")
class OwnPassword(MethodView):
    @auth.requires()
    @blp.arguments(PasswordChange)
    @blp.response(204)
    def put(self, data):
        """Change one's own password, with the current one. Ends one's other sessions."""
        call("partners", "change_password", data["current_password"], data["new_password"])
        auth.forget_all()
        return None


@blp.route("/people/<uuid:person_id>/password-reset")
class PasswordReset(MethodView):
    @auth.requires(platform_admin=True)
    @blp.response(202)
    def post(self, person_id):
        """Platform admin: mail the person a reset link, to their own address only."""
        started = call("partners", "start_password_reset", str(person_id))
        send_reset_mail(started["person"], started["reset_token"])
        return None


@blp.route("/networks/<uuid:network_id>/identity-trail")
class NetworkIdentityTrail(MethodView):
    @auth.requires(*IDENTITY_AUDITORS, platform_admin=True)
    @blp.arguments(IdentityTrailQuery, location="query")
    @blp.response(200, IdentityEvent(many=True))
    def get(self, query, network_id):
        """Invitations, role grants and revocations, sign-ins and failed sign-ins, password
        changes and resets, API tokens of the network's people; newest first."""
        return call(
            "partners",
            "identity_trail",
            str(network_id),
            IdentityTrailQuery().dump(query),
            schema=IdentityEvent(many=True),
        )


@blp.route("/identity-trail")
class IdentityTrail(MethodView):
    @auth.requires(platform_admin=True)
    @blp.arguments(IdentityTrailQuery, location="query")
    @blp.response(200, IdentityEvent(many=True))
    def get(self, query):
        """The whole platform's identity trail (platform admin)."""
        return call(
            "partners",
            "identity_trail",
            None,
            IdentityTrailQuery().dump(query),
            schema=IdentityEvent(many=True),
        )


# -- demo and test stacks only ------------------------------------------------------------

test_blp = Blueprint(
    "test_mail",
    __name__,
    url_prefix="/api/test",
    description="Alleen in demo en test: de mails die de gateway in MAIL_DIR schreef.",
)


@test_blp.route("/mails")
class Mails(MethodView):
    @auth.requires(platform_admin=True)
    @test_blp.arguments(MailQuery, location="query")
    @test_blp.response(200, MailView(many=True))
    def get(self, query):
        """The mails written to MAIL_DIR for one address, newest first (platform admin;
        registered only when VERBAND_ENV is demo or test, and mails go to files)."""
        if current_app.config["VERBAND_ENV"] not in ("demo", "test"):
            abort(404)
        folder = Path(current_app.config["MAIL_DIR"] or "/nonexistent")
        found = []
        for path in folder.glob("*.eml") if folder.is_dir() else ():
            message = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
            if str(message["To"]).lower() != query["to"].lower():
                continue
            found.append(
                {
                    "to": str(message["To"]),
                    "subject": str(message["Subject"]),
                    "body": message.get_content(),
                    "written_at": dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC),
                }
            )
        return sorted(found, key=lambda m: m["written_at"], reverse=True)
