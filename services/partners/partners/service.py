"""nameko entrypoints of the partners service: the network's directory (networks,
organisations, people and roles, offer, agreements, task groups) and sign-in.

Every RPC checks the actor itself (the gateway checks too); rules live in `partners.domain`,
SQL in `partners.store`. One transaction per RPC: nothing is half written.
"""

import datetime as dt
import logging
import math
import uuid
from pathlib import Path

from eventlet import tpool
from nameko.dependency_providers import Config

from partners import access, identity_trail, notifications, store
from partners.access import readable_network, require
from partners.domain import agreements as agreement_rules
from partners.domain import credentials, csv_rows, gaps, guide, hsds
from partners.domain import municipalities as reference
from partners.domain import organisations as organisation_rules
from partners.domain import tokens as token_rules
from partners.domain.access import (
    can_grant,
    can_manage,
    can_read_agreements,
    can_read_network,
    can_read_offer_of,
    can_read_people,
    offer_fields_allowed,
    regions_of,
    role_needs_membership,
)
from verband_common import config, kbo
from verband_common.actor import Actor
from verband_common.consumer import event_consumer
from verband_common.correlation import CorrelationId
from verband_common.db import Database
from verband_common.errors import (
    Conflict,
    Forbidden,
    NotFound,
    TooManyAttempts,
    Unauthenticated,
    ValidationFailed,
)
from verband_common.mailer import Mailer
from verband_common.metrics import Metrics
from verband_common.roles import IDENTITY_AUDITORS
from verband_common.rpc import answer, parse_id, rpc, validated
from verband_common.schemas import partners as schemas

MIGRATIONS = Path(__file__).with_name("migrations")
log = logging.getLogger(__name__)

WRONG_CREDENTIALS = "Dit e-mailadres en wachtwoord horen niet bij elkaar."
UNKNOWN_IDENTITY = (
    "Er is op Verband geen account met het e-mailadres dat je organisatie doorgaf. Vraag de "
    "coördinator van je netwerk om je toe te voegen."
)
OTHER_IDENTITY = (
    "Je account op Verband is al gekoppeld aan een ander account bij je organisatie. Meld je "
    "daarmee aan, of met je e-mailadres en wachtwoord."
)
UNKNOWN_MUNICIPALITY = (
    "Geen Vlaamse gemeente of postcode die we kennen. Geef de naam van je gemeente, bijvoorbeeld"
    " Eeklo."
)

ORGANISATION_EXISTS = (
    "Deze organisatie bestaat al op Verband. Vraag ze om een koppeling met je netwerk."
)
ORGANISATION_EXISTS_FIELD = "Dit ondernemingsnummer is al geregistreerd: vraag een koppeling aan."
NOT_YOURS_TO_LINK = (
    "Deze organisatie voeg je niet zelf toe: vraag ze om een koppeling met je netwerk; haar"
    " beheerders aanvaarden of weigeren."
)


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def invalid(message: str, fields: dict):
    return ValidationFailed(message, fields)


def check_municipalities(codes, field: str) -> None:
    errors = reference.unknown(codes, field)
    if errors:
        raise invalid("Onbekende gemeente.", errors)


def check_kbo(raw: str) -> str:
    number, problem = kbo.problem(raw)
    if problem:
        raise invalid("Ongeldig ondernemingsnummer.", {"kbo": [problem]})
    return number


def dump_network(row) -> dict:
    return schemas.Network().dump(row)


def dump_offer(row) -> dict:
    return schemas.Offer().dump(row)


def offer_event(row) -> dict:
    """The v1 fields of offer_published (cases and reporting read exactly these)."""
    return {
        "offer_id": str(row["id"]),
        "title": row["title"],
        "kind": row["kind"],
        "capacity": row["capacity"],
        "free_places": row["free_places"],
        "municipalities": row["municipalities"],
        "status": row["status"],
        "warm_waiting_list": row["warm_waiting_list"],
    }


def published_event(row) -> dict:
    """offer_published v2: the v1 fields, the provider and the start date."""
    return {
        **offer_event(row),
        "organisation_id": str(row["organisation_id"]),
        "can_start_from": row["can_start_from"].isoformat() if row["can_start_from"] else None,
    }


def settings_event(network) -> dict:
    settings = network["settings"]
    return {
        "municipalities": network["municipalities"],
        "waiting_weights": settings["waiting_weights"],
        "warm_contact_interval_days": settings["warm_contact_interval_days"],
        "pickup_guideline_days": settings["pickup_guideline_days"],
        "targets": settings["targets"],
    }


class PartnersService:
    name = "partners"

    # The first platform admin comes from `python -m partners.bootstrap`, never from a
    # default at start.
    db = Database(MIGRATIONS)
    metrics = Metrics()
    correlation_id = CorrelationId()
    actor = Actor()
    nameko_config = Config()
    # Notification mails: the service's mail outbox, sent over SMTP (verband_common.mailer);
    # each round first queues the daily overviews that have come due.
    mailer = Mailer(before_send=notifications.queue_digests)

    @rpc
    def health(self):
        return {"service": self.name, **self.db.health()}

    # -- helpers --------------------------------------------------------------------------

    def _principal(self):
        return access.load_principal(self.db, self.actor)

    def _managed_network(self, db, principal, network_id) -> dict:
        network = readable_network(db, principal, network_id)
        require(can_manage(principal, network_id))
        return network

    # -- reference data -------------------------------------------------------------------

    @rpc
    def list_municipalities(self):
        return [
            {"nis": m.nis, "name": m.name, "province": m.province}
            for m in sorted(reference.MUNICIPALITIES.values(), key=lambda m: m.name)
        ]

    @rpc
    def resolve_municipalities(self, given):
        """The municipalities people mean by what they typed (a name in any case or accents,
        a postcode, a NIS code), each with its NIS code and name, or None where none is
        meant: the portal's forms take names, the records keep NIS codes."""
        data = validated(schemas.MunicipalityNames(), {"given": given})
        found = [(g, reference.resolve(g)) for g in data["given"]]
        return answer(
            schemas.ResolvedMunicipality(many=True),
            [{"given": g, "nis": m and m.nis, "name": m and m.name} for g, m in found],
        )

    # -- networks -------------------------------------------------------------------------

    @rpc
    def create_network(self, payload):
        principal = self._principal()
        require(principal.platform_admin, "Alleen een platformbeheerder maakt netwerken aan.")
        data = validated(schemas.NetworkInput(), payload)
        check_municipalities(data["municipalities"], "municipalities")
        data["id"] = uuid.uuid4()
        data["settings"] = schemas.NetworkSettings().dump(data["settings"])
        with self.db.transaction() as tx:
            row = store.insert_network(tx, data)
            if row is None:
                raise Conflict(
                    "Er bestaat al een netwerk met deze naam.",
                    {"name": ["Deze naam is al in gebruik."]},
                )
            tx.emit(
                "network_created",
                row["id"],
                {"name": row["name"], "kind": row["kind"], "region": row["region"]},
            )
            tx.emit("network_settings_changed", row["id"], settings_event(row))
        return dump_network(row)

    @rpc
    def get_network(self, network_id):
        network_id = parse_id(network_id, "network_id")
        principal = self._principal()
        return dump_network(readable_network(self.db, principal, network_id))

    @rpc
    def list_networks(self):
        principal = self._principal()
        ids = None if principal.platform_admin else list(principal.roles)
        return [dump_network(r) for r in store.list_networks(self.db, ids)]

    @rpc
    def update_network_settings(self, network_id, payload):
        network_id = parse_id(network_id, "network_id")
        principal = self._principal()
        data = validated(schemas.NetworkSettingsUpdate(), payload)
        if "municipalities" in data:
            check_municipalities(data["municipalities"], "municipalities")
        with self.db.transaction() as tx:
            network = self._managed_network(tx, principal, network_id)
            network = store.lock_network(tx, network_id)
            settings = schemas.NetworkSettings().load(network["settings"] or {})
            for key in ("waiting_weights", "warm_contact_interval_days", "pickup_guideline_days"):
                if key in data:
                    settings[key] = data[key]
            if "targets" in data:
                settings["targets"] = data["targets"]
            row = store.update_network_settings(
                tx,
                network_id,
                data.get("municipalities", network["municipalities"]),
                schemas.NetworkSettings().dump(settings),
            )
            tx.emit("network_settings_changed", network_id, settings_event(row))
        return dump_network(row)

    # -- organisations ----------------------------------------------------------------------

    def _organisation(self, db, organisation_id) -> dict:
        org = store.get_organisation(db, organisation_id)
        if org is None:
            raise NotFound(
                "Deze organisatie bestaat niet.", {"organisation_id": ["Onbekende organisatie."]}
            )
        org["memberships"] = store.memberships_of(db, organisation_id)
        return org

    def _visible_organisation(self, db, principal, organisation_id) -> dict:
        org = self._organisation(db, organisation_id)
        keepers = store.organisation_keepers(db, organisation_id)
        networks = {m["network_id"] for m in org["memberships"]}
        own = principal.platform_admin or organisation_rules.is_organisation_admin(
            principal, organisation_id
        )
        visible = (
            own
            or principal.organisation_id == organisation_id
            or any(can_read_network(principal, n) for n in networks)
            # registered, in no network yet: the managers of the network that registered it
            or bool(organisation_rules.keeping_networks(principal, keepers["registered_by"], set()))
        )
        if not visible:
            raise NotFound(
                "Deze organisatie bestaat niet.", {"organisation_id": ["Onbekende organisatie."]}
            )
        if not own:
            org["memberships"] = [
                m for m in org["memberships"] if can_read_network(principal, m["network_id"])
            ]
        org["keepers"] = keepers
        return org

    @rpc
    def create_organisation(self, payload):
        """Register an organisation once for the platform. A network manager registers it
        for one of their networks (`network_id`), which keeps it while it alone uses it. An
        enterprise number already registered is answered with that fact alone: the network
        asks the organisation for a link (request_organisation_link)."""
        principal = self._principal()
        data = validated(schemas.OrganisationRegistration(), payload)
        network_id = data.pop("network_id")
        if network_id is not None:
            self._managed_network(self.db, principal, network_id)
        else:
            require(
                principal.platform_admin,
                "Geef het netwerk waarvoor je de organisatie toevoegt (network_id).",
            )
        data["kbo"] = check_kbo(data["kbo"])
        check_municipalities(data["municipalities"], "municipalities")
        data["id"] = uuid.uuid4()
        data["contact"] = schemas.Contact().dump(data["contact"])
        data["registered_by_network"] = network_id
        with self.db.transaction() as tx:
            row = store.insert_organisation(tx, data)
            if row is None:
                raise Conflict(ORGANISATION_EXISTS, {"kbo": [ORGANISATION_EXISTS_FIELD]})
            return answer(schemas.Organisation(), {**row, "memberships": []})

    @rpc
    def get_organisation(self, organisation_id):
        organisation_id = parse_id(organisation_id, "organisation_id")
        principal = self._principal()
        org = self._visible_organisation(self.db, principal, organisation_id)
        return schemas.Organisation().dump(org)

    @rpc
    def update_organisation(self, organisation_id, payload):
        """Its own admins and the platform admin; a manager of the one network that keeps it
        (see partners.domain.organisations). Nobody else rewrites an organisation."""
        organisation_id = parse_id(organisation_id, "organisation_id")
        principal = self._principal()
        data = validated(schemas.OrganisationUpdate(), payload)
        if "kbo" in data:
            data["kbo"] = check_kbo(data["kbo"])
        if "municipalities" in data:
            check_municipalities(data["municipalities"], "municipalities")
        if "contact" in data:
            data["contact"] = schemas.Contact().dump(data["contact"])
        with self.db.transaction() as tx:
            store.get_organisation(tx, organisation_id, lock=True)
            org = self._visible_organisation(tx, principal, organisation_id)
            keepers = org["keepers"]
            require(
                organisation_rules.may_change(
                    principal,
                    organisation_id,
                    keepers["registered_by"],
                    keepers["users"],
                    set(data),
                ),
                "Deze organisatie werkt ook met andere netwerken: alleen haar eigen beheerders"
                " en de platformbeheerder wijzigen ze.",
            )
            if "kbo" in data and data["kbo"] != org["kbo"]:
                if store.organisation_by_kbo(tx, data["kbo"]) is not None:
                    raise Conflict(
                        "Er bestaat al een organisatie met dit ondernemingsnummer.",
                        {"kbo": ["Dit ondernemingsnummer is al geregistreerd."]},
                    )
            row = store.update_organisation(tx, organisation_id, data)
            return answer(schemas.Organisation(), {**row, "memberships": org["memberships"]})

    @rpc
    def list_organisations(self, network_id):
        network_id = parse_id(network_id, "network_id")
        principal = self._principal()
        readable_network(self.db, principal, network_id)
        rows = store.list_organisations(self.db, network_id)
        return [
            schemas.Organisation().dump(
                {
                    **r,
                    "membership": {
                        "network_id": network_id,
                        "organisation_id": r["id"],
                        "role": r["membership_role"],
                        "starts_on": r["starts_on"],
                        "ends_on": r["ends_on"],
                    },
                }
            )
            for r in rows
        ]

    @rpc
    def add_membership(self, network_id, payload):
        """Make an organisation a partner of the network without asking it: the platform
        admin, or a manager of the network that alone keeps it. Any other organisation is
        asked (request_organisation_link); nothing changes here."""
        network_id = parse_id(network_id, "network_id")
        principal = self._principal()
        data = validated(schemas.MembershipInput(), payload)
        with self.db.transaction() as tx:
            self._managed_network(tx, principal, network_id)
            org = store.get_organisation(tx, data["organisation_id"], lock=True)
            if org is None:
                raise invalid(
                    "Deze organisatie bestaat niet.",
                    {"organisation_id": ["Onbekende organisatie."]},
                )
            self._not_yet_partner(tx, network_id, org["id"], data["starts_on"])
            keepers = store.organisation_keepers(tx, org["id"])
            require(
                organisation_rules.may_link_directly(
                    principal, network_id, keepers["registered_by"], keepers["users"]
                ),
                NOT_YOURS_TO_LINK,
            )
            row = self._join(tx, network_id, org, data)
            return answer(schemas.Membership(), row)

    @staticmethod
    def _not_yet_partner(tx, network_id, organisation_id, starts_on) -> None:
        current = store.membership(tx, network_id, organisation_id)
        if current is not None and (current["ends_on"] is None or current["ends_on"] >= starts_on):
            raise Conflict(
                "Deze organisatie is al partner van dit netwerk.",
                {"organisation_id": ["Al partner van dit netwerk."]},
            )

    @staticmethod
    def _join(tx, network_id, org, terms) -> dict:
        """The membership on these terms (role, starts_on, ends_on), and partner_joined."""
        row = store.upsert_membership(
            tx,
            {
                "network_id": network_id,
                "organisation_id": org["id"],
                "role": terms["role"],
                "starts_on": terms["starts_on"],
                "ends_on": terms.get("ends_on"),
            },
        )
        tx.emit(
            "partner_joined",
            network_id,
            {
                "organisation_id": str(org["id"]),
                "name": org["name"],
                "sector": org["sector"],
                "role": row["role"],
                "starts_on": row["starts_on"].isoformat(),
                "ends_on": row["ends_on"].isoformat() if row["ends_on"] else None,
            },
        )
        return row

    # -- an organisation's consent: link requests and its admins ----------------------------
    # Rules in partners.domain.organisations.

    @rpc
    def request_organisation_link(self, network_id, payload):
        """A network manager asks the organisation with this enterprise number to become a
        partner of the network on these terms. Only a pending request results; the
        organisation's admins (or the platform admin) accept or refuse it. The answer tells
        of the organisation its name and number, nothing of other networks."""
        network_id = parse_id(network_id, "network_id")
        principal = self._principal()
        data = validated(schemas.LinkRequestInput(), payload)
        number = check_kbo(data["kbo"])
        with self.db.transaction() as tx:
            self._managed_network(tx, principal, network_id)
            org = store.organisation_by_kbo(tx, number)
            if org is None:
                raise invalid(
                    "Er is geen organisatie met dit ondernemingsnummer.",
                    {"kbo": ["Onbekend ondernemingsnummer: voeg de organisatie toe."]},
                )
            self._not_yet_partner(tx, network_id, org["id"], data["starts_on"])
            row = store.insert_link_request(
                tx,
                {
                    "id": uuid.uuid4(),
                    "organisation_id": org["id"],
                    "network_id": network_id,
                    "role": data["role"],
                    "starts_on": data["starts_on"],
                    "ends_on": data["ends_on"],
                    "message": data["message"],
                    "requested_by": principal.actor,
                },
            )
            if row is None:
                raise Conflict(
                    "Er loopt al een verzoek van dit netwerk aan deze organisatie.",
                    {"kbo": ["Er loopt al een verzoek."]},
                )
            self._trail_link(tx, "organisation_link_requested", principal, row)
            return answer(schemas.LinkRequest(), row)

    @staticmethod
    def _trail_link(tx, kind, principal, request) -> None:
        """The identity audit trail's record of a link request or the decision on it, in the
        requesting network (its admin reads it there)."""
        identity_trail.record(
            tx,
            kind,
            actor=principal.actor,
            network_id=request["network_id"],
            target=f"organisation:{request['organisation_id']}",
            details={"request_id": str(request["id"]), "role": request["role"]},
        )

    @rpc
    def list_link_requests(self, network_id):
        """The requests a network made, to its managers."""
        network_id = parse_id(network_id, "network_id")
        principal = self._principal()
        self._managed_network(self.db, principal, network_id)
        return schemas.LinkRequest(many=True).dump(
            store.link_requests_of_network(self.db, network_id)
        )

    @rpc
    def organisation_link_requests(self):
        """The requests to the organisations the caller is an admin of (every organisation:
        the platform admin), pending first."""
        principal = self._principal()
        if principal.person_id is None:
            return []
        ids = None if principal.platform_admin else principal.administers
        if ids is not None and not ids:
            return []
        return schemas.LinkRequest(many=True).dump(store.link_requests_to(self.db, ids))

    @rpc
    def decide_organisation_link(self, request_id, decision):
        """The organisation's admin (or the platform admin) accepts - the membership is made
        on the request's terms - or refuses. Anyone else: no such request."""
        request_id = parse_id(request_id, "request_id")
        decision = validated(schemas.LinkDecision(), {"decision": decision})["decision"]
        principal = self._principal()
        with self.db.transaction() as tx:
            request = store.link_request(tx, request_id, lock=True)
            if request is None or not organisation_rules.may_decide_links(
                principal, request["organisation_id"]
            ):
                raise NotFound(
                    "Dit koppelingsverzoek bestaat niet.", {"request_id": ["Onbekend verzoek."]}
                )
            if request["status"] != "pending":
                raise Conflict("Over dit verzoek is al beslist.", {"decision": ["Al beslist."]})
            org = store.get_organisation(tx, request["organisation_id"], lock=True)
            status = "accepted" if decision == "accept" else "refused"
            if status == "accepted":
                current = store.membership(tx, request["network_id"], org["id"])
                if current is None or (
                    current["ends_on"] is not None and current["ends_on"] < request["starts_on"]
                ):
                    self._join(tx, request["network_id"], org, request)
            store.decide_link_request(tx, request_id, status, principal.actor)
            request = store.link_request(tx, request_id)
            self._trail_link(tx, f"organisation_link_{status}", principal, request)
            return answer(schemas.LinkRequest(), request)

    def _admin_naming(self, tx, principal, organisation_id) -> dict:
        org = self._visible_organisation(tx, principal, organisation_id)
        keepers = org["keepers"]
        require(
            organisation_rules.may_name_admins(
                principal, organisation_id, keepers["registered_by"], keepers["users"]
            ),
            "Alleen de platformbeheerder, de beheerders van de organisatie, of de"
            " netwerkbeheerder van het netwerk dat haar als enige gebruikt, duiden haar"
            " beheerders aan.",
        )
        return org

    @rpc
    def list_organisation_admins(self, organisation_id):
        organisation_id = parse_id(organisation_id, "organisation_id")
        principal = self._principal()
        self._visible_organisation(self.db, principal, organisation_id)
        return schemas.OrganisationAdmin(many=True).dump(
            store.organisation_admins(self.db, organisation_id)
        )

    @rpc
    def grant_organisation_admin(self, organisation_id, payload):
        """Make a person of the organisation one of its admins."""
        organisation_id = parse_id(organisation_id, "organisation_id")
        person_id = validated(schemas.OrganisationAdminInput(), payload)["person_id"]
        principal = self._principal()
        with self.db.transaction() as tx:
            store.get_organisation(tx, organisation_id, lock=True)
            self._admin_naming(tx, principal, organisation_id)
            person = store.get_person(tx, person_id)
            if person is None or person["organisation_id"] != organisation_id:
                raise invalid(
                    "Alleen iemand van de organisatie zelf wordt haar beheerder.",
                    {"person_id": ["Geen persoon van deze organisatie."]},
                )
            if store.grant_organisation_admin(tx, organisation_id, person_id, principal.actor):
                self._trail_organisation_admin(
                    tx, "organisation_admin_granted", principal, organisation_id, person_id
                )
            admins = store.organisation_admins(tx, organisation_id)
            return answer(schemas.OrganisationAdmin(many=True), admins)

    @rpc
    def revoke_organisation_admin(self, organisation_id, person_id):
        organisation_id = parse_id(organisation_id, "organisation_id")
        person_id = parse_id(person_id, "person_id")
        principal = self._principal()
        with self.db.transaction() as tx:
            store.get_organisation(tx, organisation_id, lock=True)
            self._admin_naming(tx, principal, organisation_id)
            if store.revoke_organisation_admin(tx, organisation_id, person_id):
                self._trail_organisation_admin(
                    tx, "organisation_admin_revoked", principal, organisation_id, person_id
                )
            admins = store.organisation_admins(tx, organisation_id)
            return answer(schemas.OrganisationAdmin(many=True), admins)

    @staticmethod
    def _trail_organisation_admin(tx, kind, principal, organisation_id, person_id) -> None:
        # Of the person, not of one network: the admins of the networks the person is in
        # read it (identity_trail.for_network).
        identity_trail.record(
            tx,
            kind,
            actor=principal.actor,
            target_person_id=person_id,
            target=f"organisation:{organisation_id}",
        )

    @rpc
    def end_membership(self, network_id, organisation_id, ends_on):
        network_id = parse_id(network_id, "network_id")
        organisation_id = parse_id(organisation_id, "organisation_id")
        ends_on = validated(schemas.MembershipEnd(), {"ends_on": ends_on})["ends_on"]
        principal = self._principal()
        with self.db.transaction() as tx:
            self._managed_network(tx, principal, network_id)
            current = store.membership(tx, network_id, organisation_id)
            if current is None:
                raise NotFound(
                    "Deze organisatie is geen partner van dit netwerk.",
                    {"organisation_id": ["Geen partner van dit netwerk."]},
                )
            if ends_on < current["starts_on"]:
                raise invalid(
                    "De einddatum ligt voor de begindatum.",
                    {"ends_on": ["De einddatum ligt voor de begindatum."]},
                )
            row = store.end_membership(tx, network_id, organisation_id, ends_on)
            tx.emit(
                "partner_left",
                network_id,
                {"organisation_id": str(organisation_id), "ends_on": ends_on.isoformat()},
            )
            return answer(schemas.Membership(), row)

    # -- people and roles -------------------------------------------------------------------

    # An invitation is the only way into a network: a network never attaches an existing
    # account or sets anyone's password. The answer to the inviter is the same whether or
    # not the address has an account on the platform; only the mail differs, and it goes to
    # the address itself.

    @rpc
    def invite_person(self, network_id, payload):
        """Invite a person by e-mail. Returns the invitation for the inviter and, for the
        gateway alone (which mails it and never passes it on), the token and whether the
        address already has an account."""
        network_id = parse_id(network_id, "network_id")
        principal = self._principal()
        data = validated(schemas.InvitationInput(), payload)
        roles = sorted(set(data["roles"]))
        token = credentials.new_invitation_token()
        at = now()
        with self.db.transaction() as tx:
            network = self._managed_network(tx, principal, network_id)
            refused = [r for r in roles if not can_grant(principal, network_id, r)]
            if refused:
                raise Forbidden(
                    "Je mag deze rol niet toekennen in dit netwerk.",
                    {"roles": [f"Niet toegestaan: {', '.join(refused)}."]},
                )
            self._check_invited_organisation(tx, network_id, data["organisation_id"], roles)
            row = store.insert_invitation(
                tx,
                {
                    **data,
                    "roles": roles,
                    "id": uuid.uuid4(),
                    "network_id": network_id,
                    "token_hash": credentials.token_hash(token),
                    "invited_by": principal.actor,
                    "expires_at": at + credentials.INVITATION_VALID,
                },
            )
            existing = store.person_by_email(tx, data["email"])
            identity_trail.record(
                tx,
                "invitation_sent",
                actor=principal.actor,
                network_id=network_id,
                target=f"invitation:{row['id']}",
                details={"roles": roles},
                at=at,
            )
        return {
            "invitation": self._dump_invitation(row, at),
            "token": token,
            "account_exists": existing is not None,
            "network_name": network["name"],
        }

    def _check_invited_organisation(self, tx, network_id, organisation_id, roles) -> None:
        if organisation_id is not None:
            if not store.active_member_ids(tx, network_id, [organisation_id]):
                raise invalid(
                    "Deze organisatie is geen partner van dit netwerk.",
                    {"organisation_id": ["Geen partner van dit netwerk."]},
                )
        elif any(role_needs_membership(r) for r in roles):
            raise invalid(
                "Deze rol kan alleen iemand van een partnerorganisatie van dit netwerk krijgen.",
                {"organisation_id": ["Kies de partnerorganisatie van deze persoon."]},
            )

    @staticmethod
    def _dump_invitation(row, at) -> dict:
        if row["accepted_at"] is not None:
            status = "accepted"
        elif row["withdrawn_at"] is not None:
            status = "withdrawn"
        elif row["expires_at"] <= at:
            status = "expired"
        else:
            status = "pending"
        return schemas.Invitation().dump({**row, "status": status})

    @rpc
    def list_invitations(self, network_id):
        network_id = parse_id(network_id, "network_id")
        principal = self._principal()
        self._managed_network(self.db, principal, network_id)
        at = now()
        return [self._dump_invitation(r, at) for r in store.list_invitations(self.db, network_id)]

    @rpc
    def withdraw_invitation(self, invitation_id):
        invitation_id = parse_id(invitation_id, "invitation_id")
        principal = self._principal()
        at = now()
        with self.db.transaction() as tx:
            row = store.get_invitation(tx, invitation_id, lock=True)
            if row is None or not can_manage(principal, row["network_id"]):
                raise NotFound("Deze uitnodiging bestaat niet.", {"invitation_id": ["Onbekend."]})
            if row["accepted_at"] is not None:
                raise Conflict(
                    "Deze uitnodiging is al aanvaard; trek de rollen in.",
                    {"invitation_id": ["Al aanvaard."]},
                )
            if row["withdrawn_at"] is None:
                row = store.withdraw_invitation(tx, invitation_id, at)
                identity_trail.record(
                    tx,
                    "invitation_withdrawn",
                    actor=principal.actor,
                    network_id=row["network_id"],
                    target=f"invitation:{invitation_id}",
                    at=at,
                )
        return self._dump_invitation(row, at)

    def _open_invitation(self, tx, token, at) -> dict:
        data = validated(schemas.InvitationToken(), {"token": token})
        row = store.invitation_by_token(tx, credentials.token_hash(data["token"]), lock=True)
        if (
            row is None
            or row["accepted_at"] is not None
            or row["withdrawn_at"] is not None
            or row["expires_at"] <= at
        ):
            raise invalid(
                "Deze uitnodiging is ongeldig, al gebruikt, ingetrokken of verlopen.",
                {"token": ["Deze uitnodiging is niet (meer) geldig."]},
            )
        return row

    @rpc
    def describe_invitation(self, token):
        """What the invitation page shows its holder (who has the mail): the network, the
        roles, and whether to sign in or to choose a password."""
        at = now()
        with self.db.transaction() as tx:
            row = self._open_invitation(tx, token, at)
            network = store.get_network(tx, row["network_id"])
            existing = store.person_by_email(tx, row["email"])
        return {
            "network_name": network["name"],
            "name": row["name"],
            "email": row["email"],
            "roles": row["roles"],
            "account_exists": existing is not None,
        }

    @rpc
    def accept_invitation(self, token):
        """The signed-in person accepts an invitation sent to their own address."""
        principal = self._principal()
        if principal.person_id is None:
            raise Forbidden("Een API-sleutel aanvaardt geen uitnodigingen.")
        at = now()
        with self.db.transaction() as tx:
            row = self._open_invitation(tx, token, at)
            person = store.get_person(tx, principal.person_id)
            if person["email"].lower() != row["email"].lower():
                raise Forbidden(
                    "Deze uitnodiging is voor een ander e-mailadres. Meld je aan met het"
                    " account van dat adres.",
                    {"token": ["Voor een ander e-mailadres."]},
                )
            self._join_network(tx, row, person, at)
            roles = store.roles_in(tx, row["network_id"], person["id"])
        return schemas.PersonRoles().dump(
            {"network_id": row["network_id"], "person_id": person["id"], "roles": roles}
        )

    @rpc
    def accept_invitation_as_new(self, token, password, client=None):
        """A person without an account accepts from the mail: the account is made with the
        password they choose, and a session opened."""
        data = validated(schemas.NewAccount(), {"token": token, "password": password})
        client = validated(schemas.Client(), client or {})
        password_hash = tpool.execute(credentials.hash_password, data["password"])
        at = now()
        session_token = credentials.new_session_token()
        with self.db.transaction() as tx:
            row = self._open_invitation(tx, data["token"], at)
            if store.person_by_email(tx, row["email"]) is not None:
                raise Conflict(
                    "Er bestaat al een account met dit e-mailadres. Meld je aan en aanvaard"
                    " dan de uitnodiging.",
                    {"token": ["Meld je eerst aan."]},
                )
            person = store.insert_person(
                tx,
                {
                    "id": uuid.uuid4(),
                    "name": row["name"],
                    "email": row["email"],
                    "organisation_id": row["organisation_id"],
                    "password_hash": password_hash,
                    "platform_admin": False,
                },
            )
            if person is None:  # made meanwhile by another acceptance
                raise Conflict(
                    "Er bestaat al een account met dit e-mailadres.", {"token": ["Al gebruikt."]}
                )
            self._join_network(tx, row, person, at)
            session = store.insert_session(
                tx, credentials.token_hash(session_token), person["id"], client, at
            )
            identity_trail.record(
                tx,
                "signed_in",
                actor=f"person:{person['id']}",
                target_person_id=person["id"],
                ip=client.get("ip"),
                details={"method": "invitation"},
                at=at,
            )
            principal = self._principal_view(tx, person)
        expires = credentials.session_expires_at(session["created_at"], session["last_seen_at"])
        return {"token": session_token, "expires_at": expires.isoformat(), "principal": principal}

    def _join_network(self, tx, invitation, person, at) -> None:
        """Register the person in the invitation's network and grant its roles."""
        network_id = invitation["network_id"]
        if invitation["organisation_id"] is not None:
            if person["organisation_id"] is None:
                store.set_person_organisation(tx, person["id"], invitation["organisation_id"])
                person["organisation_id"] = invitation["organisation_id"]
            elif person["organisation_id"] != invitation["organisation_id"]:
                raise Conflict(
                    "Je account hoort bij een andere organisatie dan deze uitnodiging noemt."
                    " Vraag het netwerk om een nieuwe uitnodiging.",
                    {"token": ["Andere organisatie."]},
                )
        store.accept_invitation(tx, invitation["id"], person["id"], at)
        store.register_in_network(tx, network_id, person["id"], invitation["id"])
        identity_trail.record(
            tx,
            "invitation_accepted",
            actor=f"person:{person['id']}",
            network_id=network_id,
            target_person_id=person["id"],
            target=f"invitation:{invitation['id']}",
            at=at,
        )
        for role in invitation["roles"]:
            if role_needs_membership(role) and (
                person["organisation_id"] is None
                or not store.active_member_ids(tx, network_id, [person["organisation_id"]])
            ):
                continue  # the organisation left the network since: no such role
            self._grant(tx, invitation["invited_by"], network_id, person, role)

    def _grant(self, tx, actor: str, network_id, person, role) -> None:
        if store.grant_role(tx, network_id, person["id"], role):
            identity_trail.record(
                tx,
                "role_granted",
                actor=actor,
                network_id=network_id,
                target_person_id=person["id"],
                details={"role": role},
            )
            tx.emit(
                "role_granted",
                network_id,
                {
                    "person_id": str(person["id"]),
                    "role": role,
                    "role_version": store.next_role_version(tx),
                    "organisation_id": (
                        str(person["organisation_id"]) if person["organisation_id"] else None
                    ),
                    "person_name": person["name"],
                    "person_email": person["email"],
                },
            )

    @rpc
    def get_person(self, person_id):
        """A person as one network sees them: only if they accepted its invitation. From
        any other network the answer is the same as for no person at all."""
        person_id = parse_id(person_id, "person_id")
        principal = self._principal()
        person = store.get_person(self.db, person_id)
        networks = store.person_networks(self.db, person_id) if person else set()
        visible = [n for n in networks if can_read_people(principal, n)]
        if person is None or not (
            principal.person_id == person_id or principal.platform_admin or visible
        ):
            raise NotFound("Deze persoon bestaat niet.", {"person_id": ["Onbekende persoon."]})
        shown = (
            networks if principal.person_id == person_id or principal.platform_admin else visible
        )
        person["networks"] = [
            {"network_id": str(n), "roles": store.roles_in(self.db, n, person_id)}
            for n in sorted(shown, key=str)
        ]
        return schemas.Person().dump(person)

    @rpc
    def list_people(self, network_id):
        network_id = parse_id(network_id, "network_id")
        principal = self._principal()
        readable_network(self.db, principal, network_id)
        require(
            can_read_people(principal, network_id),
            "Je hebt geen rol die de personen van dit netwerk mag zien.",
        )
        return schemas.Person(many=True).dump(store.list_people(self.db, network_id))

    def _role_change(self, network_id, person_id, role):
        network_id = parse_id(network_id, "network_id")
        person_id = parse_id(person_id, "person_id")
        role = validated(schemas.RoleInput(), {"role": role})["role"]
        return network_id, person_id, role

    @rpc
    def grant_role(self, network_id, person_id, role):
        network_id, person_id, role = self._role_change(network_id, person_id, role)
        principal = self._principal()
        with self.db.transaction() as tx:
            readable_network(tx, principal, network_id)
            require(
                can_grant(principal, network_id, role),
                "Je mag deze rol niet toekennen in dit netwerk.",
            )
            person = store.get_person(tx, person_id)
            # Only someone who accepted this network's invitation: a person of another
            # network is answered as unknown, like one who does not exist.
            if person is None or not store.registered(tx, network_id, person_id):
                raise NotFound("Deze persoon bestaat niet.", {"person_id": ["Onbekende persoon."]})
            if role_needs_membership(role) and (
                person["organisation_id"] is None
                or not store.active_member_ids(tx, network_id, [person["organisation_id"]])
            ):
                raise invalid(
                    "Deze rol kan alleen iemand van een partnerorganisatie van dit netwerk"
                    " krijgen.",
                    {"person_id": ["De organisatie van deze persoon is geen partner hier."]},
                )
            self._grant(tx, principal.actor, network_id, person, role)
            roles = store.roles_in(tx, network_id, person_id)
        return schemas.PersonRoles().dump(
            {"network_id": network_id, "person_id": person_id, "roles": roles}
        )

    @rpc
    def revoke_role(self, network_id, person_id, role):
        network_id, person_id, role = self._role_change(network_id, person_id, role)
        principal = self._principal()
        with self.db.transaction() as tx:
            readable_network(tx, principal, network_id)
            require(
                can_grant(principal, network_id, role),
                "Je mag deze rol niet intrekken in dit netwerk.",
            )
            if store.revoke_role(tx, network_id, person_id, role):
                identity_trail.record(
                    tx,
                    "role_revoked",
                    actor=principal.actor,
                    network_id=network_id,
                    target_person_id=person_id,
                    details={"role": role},
                )
                tx.emit(
                    "role_revoked",
                    network_id,
                    {
                        "person_id": str(person_id),
                        "role": role,
                        "role_version": store.next_role_version(tx),
                    },
                )
            roles = store.roles_in(tx, network_id, person_id)
        return schemas.PersonRoles().dump(
            {"network_id": network_id, "person_id": person_id, "roles": roles}
        )

    # -- sign-in ----------------------------------------------------------------------------

    def _principal_view(self, db, person) -> dict:
        memberships = {}
        for r in store.person_roles(db, person["id"]):
            m = memberships.setdefault(
                r["network_id"],
                {
                    "network_id": r["network_id"],
                    "network_name": r["network_name"],
                    "region": r["region"],
                    "roles": [],
                },
            )
            m["roles"].append(r["role"])
        return schemas.Principal().dump(
            {
                "actor": f"person:{person['id']}",
                "person_id": person["id"],
                "name": person["name"],
                "email": person["email"],
                "organisation_id": person["organisation_id"],
                "platform_admin": person["platform_admin"],
                "token_scope": None,
                "memberships": list(memberships.values()),
                "administers": sorted(store.administered_by(db, person["id"]), key=str),
            }
        )

    @rpc
    def open_session(self, email, password, client=None):
        creds = validated(schemas.Credentials(), {"email": email, "password": password})
        client = validated(schemas.Client(), client or {})
        ip = client.get("ip") or None
        at = now()
        with self.db.transaction() as tx:
            counts = store.failure_counts(tx, creds["email"], ip, at - credentials.THROTTLE_WINDOW)
            person = store.person_by_email(tx, creds["email"])
            known = store.signed_in_from(
                tx,
                person["id"] if person else None,
                ip,
                at - dt.timedelta(days=credentials.KNOWN_SOURCE_DAYS),
            )
        wait = credentials.wait_before(
            at, counts["pair"], counts["address"], counts["account"], known
        )
        if wait > dt.timedelta(0):
            # Refused before the password is even checked, and not counted: the delay
            # ends, whoever keeps trying.
            seconds = math.ceil(wait.total_seconds())
            raise TooManyAttempts(
                f"Te veel mislukte pogingen om aan te melden. Probeer het over {seconds}"
                f" seconden opnieuw.",
                {"retry_after": [str(seconds)]},
            )
        ok = tpool.execute(
            credentials.verify_password,
            person["password_hash"] if person else None,
            creds["password"],
        )
        token = credentials.new_session_token()
        with self.db.transaction() as tx:
            if not ok:
                # Committed on its own: the failure counts although the call fails.
                store.record_failure(tx, creds["email"], ip, at)
                identity_trail.record(
                    tx,
                    "sign_in_failed",
                    actor="anonymous",
                    target_person_id=person["id"] if person else None,
                    ip=ip,
                    at=at,
                )
            else:
                store.clear_failures(tx, creds["email"], ip)
                identity_trail.record(
                    tx,
                    "signed_in",
                    actor=f"person:{person['id']}",
                    target_person_id=person["id"],
                    ip=ip,
                    details={"method": "password"},
                    at=at,
                )
                session = store.insert_session(
                    tx, credentials.token_hash(token), person["id"], client, at
                )
                principal = self._principal_view(tx, person)
        if not ok:
            raise Unauthenticated(WRONG_CREDENTIALS)
        expires = credentials.session_expires_at(session["created_at"], session["last_seen_at"])
        return {"token": token, "expires_at": expires.isoformat(), "principal": principal}

    @rpc
    def open_session_for_identity(self, identity, client=None):
        """A session for the person an identity provider vouched for (no password).

        The gateway validated the provider's ID token (signature, issuer, audience, expiry,
        nonce, verified e-mail) and passes only its issuer, subject and e-mail. The first
        sign-in binds issuer and subject to the person with that e-mail; later sign-ins find
        the person by that binding alone.
        """
        data = validated(schemas.Identity(), identity)
        client = validated(schemas.Client(), client or {})
        issuer, subject, email = data["issuer"].rstrip("/"), data["subject"], data["email"]
        at = now()
        token = credentials.new_session_token()
        with self.db.transaction() as tx:
            bound = store.identity_person(tx, issuer, subject)
            if bound is not None:
                person = store.get_person(tx, bound)
            else:
                person = store.person_by_email(tx, email)
                if person is None:
                    raise Unauthenticated(UNKNOWN_IDENTITY)
                if store.identity_of(tx, person["id"], issuer) is not None:
                    # This person signs in with another account at the provider: an e-mail
                    # changed or reused there must not take over the account.
                    raise Unauthenticated(OTHER_IDENTITY)
                if not store.bind_identity(tx, issuer, subject, person["id"], at):
                    raise Unauthenticated(OTHER_IDENTITY)
                log.info("identity bound", extra={"person_id": str(person["id"]), "issuer": issuer})
            session = store.insert_session(
                tx, credentials.token_hash(token), person["id"], client, at
            )
            identity_trail.record(
                tx,
                "signed_in",
                actor=f"person:{person['id']}",
                target_person_id=person["id"],
                ip=client.get("ip"),
                details={"method": "identity_provider", "issuer": issuer},
                at=at,
            )
            principal = self._principal_view(tx, person)
        expires = credentials.session_expires_at(session["created_at"], session["last_seen_at"])
        return {"token": token, "expires_at": expires.isoformat(), "principal": principal}

    @rpc
    def resolve_session(self, token):
        if not isinstance(token, str) or not token:
            raise Unauthenticated("Meld je aan om verder te gaan.")
        digest = credentials.token_hash(token)
        if credentials.is_api_token(token):
            return self._token_principal(access.standing_token(self.db, token_hash=digest))
        at = now()
        with self.db.transaction() as tx:
            session = store.get_session(tx, digest)
            alive = session is not None and credentials.session_alive(
                session["created_at"], session["last_seen_at"], at
            )
            if alive:
                store.touch_session(tx, digest, at)
                person = store.get_person(tx, session["person_id"])
                principal = self._principal_view(tx, person)
            elif session is not None:
                store.delete_session(tx, digest)
        if not alive:
            raise Unauthenticated("Je sessie is verlopen. Meld je opnieuw aan.")
        return principal

    @rpc
    def close_session(self, token):
        if isinstance(token, str) and token:
            with self.db.transaction() as tx:
                store.delete_session(tx, credentials.token_hash(token))
        return {"closed": True}

    @rpc
    def request_password_reset(self, email):
        email = validated(schemas.Credentials(), {"email": email, "password": "-"})["email"]
        with self.db.transaction() as tx:
            person = store.person_by_email(tx, email)
            if person is None:
                return {"reset_token": None, "person": None}
            token = credentials.new_reset_token()
            store.insert_reset(
                tx, credentials.token_hash(token), person["id"], now() + credentials.RESET_VALID
            )
            identity_trail.record(
                tx, "password_reset_requested", actor="anonymous", target_person_id=person["id"]
            )
        return {"reset_token": token, "person": {"name": person["name"], "email": person["email"]}}

    @rpc
    def start_password_reset(self, person_id):
        """The platform admin starts a reset for a person: the gateway mails the link to the
        person's own address (never to the admin). No network role may."""
        person_id = parse_id(person_id, "person_id")
        principal = self._principal()
        require(
            principal.platform_admin,
            "Alleen de persoon zelf of een platformbeheerder start een wachtwoordherstel.",
        )
        with self.db.transaction() as tx:
            person = store.get_person(tx, person_id)
            if person is None:
                raise NotFound("Deze persoon bestaat niet.", {"person_id": ["Onbekende persoon."]})
            token = credentials.new_reset_token()
            store.insert_reset(
                tx, credentials.token_hash(token), person_id, now() + credentials.RESET_VALID
            )
            identity_trail.record(
                tx, "password_reset_requested", actor=principal.actor, target_person_id=person_id
            )
        return {"reset_token": token, "person": {"name": person["name"], "email": person["email"]}}

    @rpc
    def reset_password(self, reset_token, new_password):
        data = validated(schemas.NewPassword(), {"new_password": new_password})
        if not isinstance(reset_token, str) or not reset_token:
            raise invalid("Ongeldige link.", {"reset_token": ["Deze link is ongeldig."]})
        password_hash = tpool.execute(credentials.hash_password, data["new_password"])
        with self.db.transaction() as tx:
            person_id = store.use_reset(tx, credentials.token_hash(reset_token), now())
            if person_id is None:
                raise invalid(
                    "Deze link is ongeldig of verlopen.",
                    {"reset_token": ["Deze link is ongeldig, al gebruikt of verlopen."]},
                )
            store.set_password_hash(tx, person_id, password_hash)
            identity_trail.record(
                tx, "password_reset", actor=f"person:{person_id}", target_person_id=person_id
            )
        return {"reset": True}

    @rpc
    def change_password(self, current_password, new_password):
        """A person changes their own password, and only with the current one. Nobody else
        sets a person's password: not a network admin, not the platform admin (who may only
        start a reset that is mailed to the person)."""
        data = validated(
            schemas.PasswordChange(),
            {"current_password": current_password, "new_password": new_password},
        )
        principal = self._principal()
        if principal.person_id is None:
            raise Forbidden("Een API-sleutel heeft geen wachtwoord.")
        ok = tpool.execute(
            credentials.verify_password,
            store.password_hash(self.db, principal.person_id),
            data["current_password"],
        )
        if not ok:
            raise invalid(
                "Je huidige wachtwoord klopt niet.",
                {"current_password": ["Dit is niet je huidige wachtwoord."]},
            )
        password_hash = tpool.execute(credentials.hash_password, data["new_password"])
        with self.db.transaction() as tx:
            store.set_password_hash(tx, principal.person_id, password_hash)
            identity_trail.record(
                tx,
                "password_changed",
                actor=principal.actor,
                target_person_id=principal.person_id,
            )
        return {"changed": True}

    # -- API tokens -------------------------------------------------------------------------
    # Rules in partners.domain.tokens; a token is checked again at every use
    # (access.standing_token), so expiry and the issuer's lost role end it at once.

    @staticmethod
    def _token_principal(row) -> dict:
        return schemas.Principal().dump(
            {
                "actor": f"token:{row['id']}",
                "person_id": None,
                "name": row["label"],
                "email": None,
                "organisation_id": None,
                "platform_admin": False,
                "token_scope": {
                    "network_id": row["network_id"],
                    "role": row["role"],
                    "expires_at": row["expires_at"],
                },
                "memberships": [
                    {
                        "network_id": row["network_id"],
                        "network_name": row["network_name"],
                        "region": row["region"],
                        "roles": [row["role"]],
                    }
                ],
                "administers": [],
            }
        )

    @staticmethod
    def _token_view(row, secret=None) -> dict:
        view = {**row, "state": token_rules.state(row, now())}
        if secret is not None:
            view["token"] = secret
        return schemas.ApiToken().dump(view)

    def _token_max_days(self) -> int:
        raw = self.nameko_config.get("API_TOKEN_MAX_DAYS") or config.env(
            "API_TOKEN_MAX_DAYS", str(token_rules.DEFAULT_MAX_LIFETIME_DAYS)
        )
        try:
            days = int(raw)
        except (TypeError, ValueError):
            days = 0
        if not 1 <= days <= 3650:
            raise RuntimeError(f"API_TOKEN_MAX_DAYS must be 1 to 3650 days, not {raw!r}")
        return days

    @rpc
    def issue_api_token(self, network_id, role, label, expires_at=None):
        """A token for an integration, in one network with one role the issuer may hand on,
        living until `expires_at` (at most API_TOKEN_MAX_DAYS; that long when left out)."""
        network_id = parse_id(network_id, "network_id")
        data = validated(
            schemas.ApiTokenInput(), {"role": role, "label": label, "expires_at": expires_at}
        )
        principal = self._principal()
        expires, problem = token_rules.expiry(data["expires_at"], now(), self._token_max_days())
        if problem:
            raise invalid("Ongeldige vervaldatum.", {"expires_at": [problem]})
        token = credentials.new_api_token()
        with self.db.transaction() as tx:
            readable_network(tx, principal, network_id)
            require(
                token_rules.may_issue(principal, network_id, data["role"]),
                "Je kan alleen een API-sleutel uitgeven met een rol die je zelf in dit netwerk"
                " hebt (een netwerkbeheerder: elke rol die die mag toekennen).",
            )
            row = store.insert_api_token(
                tx,
                {
                    "id": uuid.uuid4(),
                    "network_id": network_id,
                    "role": data["role"],
                    "label": data["label"],
                    "token_hash": credentials.token_hash(token),
                    "created_by": principal.person_id,
                    "expires_at": expires,
                },
            )
            self._trail_token(tx, "token_issued", principal, row)
        return self._token_view(row, secret=token)

    @rpc
    def list_api_tokens(self, network_id):
        """The network's tokens to its network admin (and the platform admin); to anyone
        else with a role there, the tokens they issued themselves."""
        network_id = parse_id(network_id, "network_id")
        principal = self._principal()
        readable_network(self.db, principal, network_id)
        require(principal.person_id is not None, "Een API-sleutel beheert geen API-sleutels.")
        everyone = token_rules.may_manage(principal, network_id, issuer_id=None)
        rows = store.list_api_tokens(
            self.db, network_id, issued_by=None if everyone else principal.person_id
        )
        return [self._token_view(r) for r in rows]

    @rpc
    def revoke_api_token(self, token_id):
        """Revoke a token: its issuer, its network's admin, the platform admin."""
        token_id = parse_id(token_id, "token_id")
        principal = self._principal()
        with self.db.transaction() as tx:
            row = store.api_token(tx, token_id=token_id)
            if row is None or not can_read_network(principal, row["network_id"]):
                raise NotFound("Deze API-sleutel bestaat niet.", {"token_id": ["Onbekend."]})
            require(
                token_rules.may_manage(principal, row["network_id"], row["issued_by"]),
                "Alleen wie de API-sleutel uitgaf of de netwerkbeheerder trekt ze in.",
            )
            if store.revoke_api_token(tx, token_id, principal.actor):
                self._trail_token(tx, "token_revoked", principal, row)
            row = store.api_token(tx, token_id=token_id)
        return self._token_view(row)

    # -- identity audit trail ---------------------------------------------------------------

    @rpc
    def identity_trail(self, network_id=None, query=None):
        """The identity audit trail of one network (its network admin, the platform admin)
        or, without a network, of the whole platform (the platform admin only)."""
        query = validated(schemas.IdentityTrailQuery(), query or {})
        principal = self._principal()
        if network_id is None:
            require(principal.platform_admin, "Alleen een platformbeheerder ziet alles.")
            rows = identity_trail.everything(
                self.db, before_id=query["before"], limit=query["limit"]
            )
        else:
            network_id = parse_id(network_id, "network_id")
            readable_network(self.db, principal, network_id)
            require(
                principal.platform_admin
                or (
                    principal.person_id is not None
                    and bool(principal.roles_in(network_id) & IDENTITY_AUDITORS)
                ),
                "Alleen een netwerkbeheerder ziet het spoor van aanmeldingen en rollen.",
            )
            rows = identity_trail.for_network(
                self.db, network_id, before_id=query["before"], limit=query["limit"]
            )
        return schemas.IdentityEvent(many=True).dump(rows)

    @staticmethod
    def _trail_token(tx, kind, principal, row) -> None:
        """The identity audit trail's record of a token issued or revoked."""
        identity_trail.record(
            tx,
            kind,
            actor=principal.actor,
            network_id=row["network_id"],
            target_person_id=row["issued_by"],
            target=f"token:{row['id']}",
            details={
                "role": row["role"],
                "label": row["label"],
                "expires_at": row["expires_at"].isoformat(),
            },
        )

    # -- offer ------------------------------------------------------------------------------

    def _check_offer_links(self, db, network_id, data, offer_id=None) -> None:
        if "municipalities" in data:
            check_municipalities(data["municipalities"], "municipalities")
        flanking = data.get("flanking_offer_ids") or []
        if flanking:
            known = store.offer_ids_in_network(db, network_id, flanking)
            errors = {
                f"flanking_offer_ids.{i}": ["Onbekend aanbod in dit netwerk."]
                for i, f in enumerate(flanking)
                if f not in known or f == offer_id
            }
            if errors:
                raise invalid("Onbekend flankerend aanbod.", errors)

    @rpc
    def publish_offer(self, network_id, payload):
        network_id = parse_id(network_id, "network_id")
        principal = self._principal()
        data = validated(schemas.OfferInput(), payload)
        data.update(id=uuid.uuid4(), network_id=network_id)
        with self.db.transaction() as tx:
            self._managed_network(tx, principal, network_id)
            self._check_offer_links(tx, network_id, data)
            if not store.active_member_ids(tx, network_id, [data["organisation_id"]]):
                raise invalid(
                    "Deze organisatie is geen partner van dit netwerk.",
                    {"organisation_id": ["Geen partner van dit netwerk."]},
                )
            row = store.insert_offer(tx, data)
            tx.emit("offer_published", network_id, published_event(row), version=2)
        return dump_offer(row)

    @rpc
    def update_offer(self, offer_id, payload):
        offer_id = parse_id(offer_id, "offer_id")
        principal = self._principal()
        data = validated(schemas.OfferUpdate(), payload)
        with self.db.transaction() as tx:
            offer = store.get_offer(tx, offer_id, lock=True)
            if offer is None or not can_read_offer_of(
                principal, offer["network_id"], offer["region"]
            ):
                raise NotFound("Dit aanbod bestaat niet.", {"offer_id": ["Onbekend aanbod."]})
            require(
                offer_fields_allowed(
                    principal, offer["network_id"], offer["organisation_id"], set(data)
                ),
                "Je mag dit aanbod niet wijzigen.",
            )
            merged = {**offer, **data}
            if merged["free_places"] > merged["capacity"]:
                raise invalid(
                    "Er kunnen niet meer vrije plaatsen zijn dan de capaciteit.",
                    {"free_places": ["Meer vrije plaatsen dan de capaciteit."]},
                )
            if merged["target_ages"]["min"] > merged["target_ages"]["max"]:
                raise invalid(
                    "De minimumleeftijd is hoger dan de maximumleeftijd.",
                    {"target_ages.min": ["Hoger dan de maximumleeftijd."]},
                )
            self._check_offer_links(tx, offer["network_id"], data, offer_id)
            row = store.update_offer(tx, offer_id, merged)
            changed = sorted(k for k in data if data[k] != offer[k])
            if changed:
                tx.emit(
                    "offer_changed",
                    row["network_id"],
                    {
                        **offer_event(row),
                        "organisation_id": (
                            str(row["organisation_id"]) if row["organisation_id"] else None
                        ),
                        "can_start_from": (
                            row["can_start_from"].isoformat() if row["can_start_from"] else None
                        ),
                        "changed": changed,
                    },
                )
            if {"capacity", "free_places"} & set(changed):
                tx.emit(
                    "capacity_changed",
                    row["network_id"],
                    {
                        "offer_id": str(offer_id),
                        "capacity": row["capacity"],
                        "free_places": row["free_places"],
                        "previous_capacity": offer["capacity"],
                        "previous_free_places": offer["free_places"],
                        "status": row["status"],
                        "can_start_from": (
                            row["can_start_from"].isoformat() if row["can_start_from"] else None
                        ),
                    },
                )
        return dump_offer(row)

    @rpc
    def get_offer(self, offer_id):
        offer_id = parse_id(offer_id, "offer_id")
        principal = self._principal()
        offer = store.get_offer(self.db, offer_id)
        if offer is None or not can_read_offer_of(principal, offer["network_id"], offer["region"]):
            raise NotFound("Dit aanbod bestaat niet.", {"offer_id": ["Onbekend aanbod."]})
        return dump_offer(offer)

    @rpc
    def list_offers(self, network_id, filters=None):
        network_id = parse_id(network_id, "network_id")
        filters = validated(schemas.OfferFilters(), filters or {})
        principal = self._principal()
        network = store.get_network(self.db, network_id)
        if network is None or not can_read_offer_of(principal, network_id, network["region"]):
            raise NotFound(*access.NETWORK_NOT_FOUND)
        return [dump_offer(r) for r in store.offers_in(self.db, [network_id], filters)]

    @rpc
    def search_region_offer(self, filters=None):
        filters = validated(schemas.OfferFilters(), filters or {})
        principal = self._principal()
        networks = store.networks_in_regions(self.db, regions_of(principal))
        if not networks:
            return []
        return [
            dump_offer(r) for r in store.offers_in(self.db, [n["id"] for n in networks], filters)
        ]

    @rpc
    def gaps(self, network_id):
        network_id = parse_id(network_id, "network_id")
        principal = self._principal()
        network = readable_network(self.db, principal, network_id)
        offers = store.offers_in(self.db, [network_id])
        waiting = store.waiting_counts(self.db, network_id)
        return schemas.Gaps().dump(gaps.gaps(network["municipalities"], offers, waiting))

    # -- the public offer guide: no sign-in, so no principal; only active offers, only their
    # public fields and a wait band (partners.domain.guide) ------------------------------

    def _public_views(self, query) -> tuple[dict | None, list[dict]]:
        filters = validated(schemas.PublicOfferQuery(), query or {})
        municipality = None
        if "municipality" in filters:
            found = reference.resolve(filters["municipality"])
            if found is None:
                raise invalid(
                    "Deze gemeente kennen we niet.",
                    {"municipality": [UNKNOWN_MUNICIPALITY]},
                )
            filters["municipality"] = found.nis
            municipality = {"nis": found.nis, "name": found.name}
        rows = store.public_offers(self.db, filters, schemas.PUBLIC_PAGE_SIZE)
        today = dt.date.today()
        return municipality, [guide.public_view(r, today) for r in rows]

    def _public_view(self, offer_id) -> dict:
        offer_id = parse_id(offer_id, "offer_id")
        rows = store.public_offers(self.db, {}, 1, offer_id=offer_id)
        if not rows:
            raise NotFound(
                "Dit aanbod bestaat niet of staat niet in de aanbodgids.",
                {"offer_id": ["Onbekend aanbod."]},
            )
        return guide.public_view(rows[0], dt.date.today())

    @rpc
    def public_offers(self, query=None):
        municipality, views = self._public_views(query)
        return answer(schemas.PublicOfferPage(), {"municipality": municipality, "offers": views})

    @rpc
    def public_offer(self, offer_id):
        return answer(schemas.PublicOffer(), self._public_view(offer_id))

    @rpc
    def public_services(self, query=None):
        """The guide as an HSDS 3.0 page of services."""
        return hsds.public_page(self._public_views(query)[1])

    @rpc
    def public_service(self, offer_id):
        return hsds.public_service(self._public_view(offer_id))

    # Waiting counts come from the cases service's waiting list, by event.

    @event_consumer("cases", "referral_received")
    def on_referral_received(self, event):
        # Only referrals that count against an agreement are kept.
        if event["source_sector"] not in store.AGREEMENT_SOURCES.values():
            return
        with self.db.transaction() as tx:
            if tx.first_delivery(event):
                store.record_agreement_referral(tx, event)

    @event_consumer("cases", "waiting_list_entry_added")
    def on_waiting_list_entry_added(self, event):
        with self.db.transaction() as tx:
            if tx.first_delivery(event):
                store.waiting_entry_added(tx, event)

    @event_consumer("cases", "waiting_list_entry_removed")
    def on_waiting_list_entry_removed(self, event):
        with self.db.transaction() as tx:
            if tx.first_delivery(event):
                store.waiting_entry_removed(tx, event)

    # -- agreements -------------------------------------------------------------------------

    def _check_parties(self, db, parties) -> None:
        ids = [p["organisation_id"] for p in parties if p.get("organisation_id")]
        # Parties arrive dumped (ids as text), as they are stored.
        known = {str(k) for k in store.organisations_by_id(db, ids)} if ids else set()
        errors = {
            f"parties.{i}.organisation_id": ["Onbekende organisatie."]
            for i, p in enumerate(parties)
            if p.get("organisation_id") and str(p["organisation_id"]) not in known
        }
        if errors:
            raise invalid("Onbekende partij.", errors)

    def _agreement_view(self, db, rows) -> list[dict]:
        follow_ups = store.follow_ups(db, [r["id"] for r in rows])
        counted = store.referrals_counted(db, rows)
        today = dt.date.today()
        # Checked against the schema: the writes call this inside their transaction, so an
        # agreement that could not be answered is never stored.
        return [
            answer(
                schemas.Agreement(),
                {
                    **r,
                    "follow_ups": follow_ups.get(r["id"], []),
                    "follow_up_due": agreement_rules.follow_up_due(r, today),
                    "referrals_counted": counted[r["id"]],
                },
            )
            for r in rows
        ]

    @rpc
    def record_agreement(self, network_id, payload):
        network_id = parse_id(network_id, "network_id")
        principal = self._principal()
        data = validated(schemas.AgreementInput(), payload)
        data["parties"] = schemas.Party(many=True).dump(data["parties"])
        with self.db.transaction() as tx:
            self._managed_network(tx, principal, network_id)
            self._check_parties(tx, data["parties"])
            row = store.insert_agreement(tx, {**data, "id": uuid.uuid4(), "network_id": network_id})
            self._agreement_recorded(tx, row)
            view = self._agreement_view(tx, [row])[0]
        return view

    @staticmethod
    def _agreement_recorded(tx, row) -> None:
        """The whole agreement as it now stands, also after a change: cases keeps the
        mandated bodies' volume by it and reporting the agreed numbers, the latest copy
        winning, so a changed number, period or status reaches them."""
        tx.emit(
            "agreement_recorded",
            row["network_id"],
            {
                "agreement_id": str(row["id"]),
                "kind": row["kind"],
                "organisation_ids": [
                    str(p["organisation_id"]) for p in row["parties"] if p.get("organisation_id")
                ],
                "starts_on": row["starts_on"].isoformat(),
                "ends_on": row["ends_on"].isoformat() if row["ends_on"] else None,
                "agreed_number": row["agreed_number"],
                "status": row["status"],
            },
        )

    def _managed_agreement(self, tx, principal, agreement_id) -> dict:
        row = store.get_agreement(tx, agreement_id, lock=True)
        if row is None or not can_read_agreements(principal, row["network_id"]):
            raise NotFound("Deze afspraak bestaat niet.", {"agreement_id": ["Onbekend."]})
        require(can_manage(principal, row["network_id"]))
        return row

    @rpc
    def update_agreement(self, agreement_id, payload):
        agreement_id = parse_id(agreement_id, "agreement_id")
        principal = self._principal()
        data = validated(schemas.AgreementUpdate(), payload)
        if "parties" in data:
            data["parties"] = schemas.Party(many=True).dump(data["parties"])
        with self.db.transaction() as tx:
            row = self._managed_agreement(tx, principal, agreement_id)
            merged = {**row, **data}
            if merged["ends_on"] is not None and merged["ends_on"] < merged["starts_on"]:
                raise invalid(
                    "De einddatum ligt voor de begindatum.",
                    {"ends_on": ["De einddatum ligt voor de begindatum."]},
                )
            if "parties" in data:
                self._check_parties(tx, data["parties"])
            row = store.update_agreement(tx, agreement_id, data)
            self._agreement_recorded(tx, row)
            view = self._agreement_view(tx, [row])[0]
        return view

    @rpc
    def list_agreements(self, network_id):
        network_id = parse_id(network_id, "network_id")
        principal = self._principal()
        readable_network(self.db, principal, network_id)
        require(
            can_read_agreements(principal, network_id),
            "Je hebt geen rol die de afspraken van dit netwerk mag zien.",
        )
        return self._agreement_view(self.db, store.list_agreements(self.db, network_id))

    @rpc
    def add_agreement_follow_up(self, agreement_id, payload):
        agreement_id = parse_id(agreement_id, "agreement_id")
        principal = self._principal()
        data = validated(schemas.FollowUpInput(), payload)
        with self.db.transaction() as tx:
            self._managed_agreement(tx, principal, agreement_id)
            store.insert_follow_up(tx, {**data, "id": uuid.uuid4(), "agreement_id": agreement_id})
            changes = {"next_follow_up_on": data["next_follow_up_on"]}
            if data["used_number"] is not None:
                changes["used_number"] = data["used_number"]
            row = store.update_agreement(tx, agreement_id, changes)
            view = self._agreement_view(tx, [row])[0]
        return view

    # -- task groups ------------------------------------------------------------------------

    def _check_task_group_links(self, db, network_id, data) -> None:
        errors = {}
        if data.get("members"):
            known = store.registered_people(db, network_id, data["members"])
            errors.update(
                {
                    f"members.{i}": ["Geen persoon van dit netwerk."]
                    for i, m in enumerate(data["members"])
                    if m not in known
                }
            )
        if data.get("organisations"):
            known = store.active_member_ids(db, network_id, data["organisations"])
            errors.update(
                {
                    f"organisations.{i}": ["Geen partner van dit netwerk."]
                    for i, o in enumerate(data["organisations"])
                    if o not in known
                }
            )
        if errors:
            raise invalid("Onbekende leden.", errors)

    @rpc
    def create_task_group(self, network_id, payload):
        network_id = parse_id(network_id, "network_id")
        principal = self._principal()
        data = validated(schemas.TaskGroupInput(), payload)
        with self.db.transaction() as tx:
            self._managed_network(tx, principal, network_id)
            self._check_task_group_links(tx, network_id, data)
            row = store.insert_task_group(
                tx, {**data, "id": uuid.uuid4(), "network_id": network_id}
            )
            return answer(schemas.TaskGroup(), row)

    @rpc
    def list_task_groups(self, network_id):
        network_id = parse_id(network_id, "network_id")
        principal = self._principal()
        readable_network(self.db, principal, network_id)
        return schemas.TaskGroup(many=True).dump(store.list_task_groups(self.db, network_id))

    @rpc
    def update_task_group(self, task_group_id, payload):
        task_group_id = parse_id(task_group_id, "task_group_id")
        principal = self._principal()
        data = validated(schemas.TaskGroupUpdate(), payload)
        with self.db.transaction() as tx:
            row = store.get_task_group(tx, task_group_id, lock=True)
            if row is None or not can_read_network(principal, row["network_id"]):
                raise NotFound("Deze taakgroep bestaat niet.", {"task_group_id": ["Onbekend."]})
            require(can_manage(principal, row["network_id"]))
            self._check_task_group_links(tx, row["network_id"], data)
            row = store.update_task_group(tx, task_group_id, data)
            return answer(schemas.TaskGroup(), row)

    # -- export and import ------------------------------------------------------------------

    @rpc
    def export_hsds(self, network_id):
        network_id = parse_id(network_id, "network_id")
        principal = self._principal()
        readable_network(self.db, principal, network_id)
        offers = store.offers_in(self.db, [network_id])
        organisations = store.organisations_by_id(
            self.db, {o["organisation_id"] for o in offers if o["organisation_id"]}
        )
        return hsds.catalogue(offers, organisations)

    @rpc
    def import_csv(self, network_id, kind, csv_text, dry_run=True):
        network_id = parse_id(network_id, "network_id")
        request = validated(
            schemas.ImportRequest(), {"kind": kind, "csv_text": csv_text, "dry_run": dry_run}
        )
        principal = self._principal()
        self._managed_network(self.db, principal, network_id)
        kind = request["kind"]
        try:
            rows, errors = csv_rows.read(kind, request["csv_text"])
        except csv_rows.BadFile as bad:
            return self._report(request, 0, [csv_rows.error(1, bad.field, bad.message)], 0)
        total = len(rows) + len({e["line"] for e in errors})
        checked = []
        with self.db.transaction() as tx:
            check = self._import_organisation if kind == "organisations" else self._import_offer
            seen = set()
            for line, payload in rows:
                try:
                    checked.append(check(tx, network_id, payload, seen))
                except ValidationFailed as failed:
                    errors.extend(csv_rows.field_errors(kind, line, failed.fields))
            errors.sort(key=lambda e: (e["line"], e["field"]))
            if errors or request["dry_run"]:
                return self._report(request, total, errors, 0)
            apply = self._apply_organisation if kind == "organisations" else self._apply_offer
            for item in checked:
                apply(tx, network_id, item)
        return self._report(request, total, [], len(checked))

    @staticmethod
    def _report(request, rows, errors, created) -> dict:
        return schemas.ImportReport().dump(
            {"dry_run": request["dry_run"], "rows": rows, "errors": errors, "created": created}
        )

    def _import_organisation(self, tx, network_id, payload, seen) -> dict:
        """One row checked like create_organisation + add_membership, every problem named."""
        membership = payload.pop("membership", {})
        problems = {}
        try:
            org = validated(schemas.OrganisationInput(), payload)
        except ValidationFailed as failed:
            problems.update(failed.fields)
            org = None
        number = None
        if "kbo" not in problems:
            number, problem = kbo.problem(payload["kbo"])
            if problem:
                problems["kbo"] = [problem]
            elif number in seen:
                problems["kbo"] = ["Dit ondernemingsnummer staat al hoger in het bestand."]
            elif store.organisation_by_kbo(tx, number) is not None:
                problems["kbo"] = ["Er bestaat al een organisatie met dit ondernemingsnummer."]
        if not any(f.startswith("municipalities") for f in problems):
            problems.update(reference.unknown(payload.get("municipalities", []), "municipalities"))
        try:
            membership = validated(
                schemas.MembershipInput(), {**membership, "organisation_id": str(uuid.uuid4())}
            )
        except ValidationFailed as failed:
            problems.update({f"membership.{k}": v for k, v in failed.fields.items()})
        if number is not None:
            seen.add(number)
        if problems:
            raise invalid("Ongeldige rij.", problems)
        org.update(
            id=uuid.uuid4(),
            kbo=number,
            contact=schemas.Contact().dump(org["contact"]),
            registered_by_network=network_id,
        )
        return {"organisation": org, "membership": {**membership, "organisation_id": org["id"]}}

    def _apply_organisation(self, tx, network_id, item) -> None:
        row = store.insert_organisation(tx, item["organisation"])
        if row is None:  # someone registered the number since the check: all or nothing
            raise Conflict(
                "Er bestaat al een organisatie met een ondernemingsnummer uit dit bestand.",
                {"kbo": ["Dit ondernemingsnummer is al geregistreerd."]},
            )
        m = store.upsert_membership(tx, {**item["membership"], "network_id": network_id})
        tx.emit(
            "partner_joined",
            network_id,
            {
                "organisation_id": str(row["id"]),
                "name": row["name"],
                "sector": row["sector"],
                "role": m["role"],
                "starts_on": m["starts_on"].isoformat(),
                "ends_on": m["ends_on"].isoformat() if m["ends_on"] else None,
            },
        )

    def _import_offer(self, tx, network_id, payload, seen) -> dict:
        raw_kbo = payload.pop("organisation", {}).get("kbo", "")
        problems = {}
        number, problem = kbo.problem(raw_kbo)
        organisation = None
        if problem:
            problems["organisation.kbo"] = [problem]
        else:
            organisation = store.organisation_by_kbo(tx, number)
            if organisation is None or not store.active_member_ids(
                tx, network_id, [organisation["id"]]
            ):
                problems["organisation.kbo"] = ["Geen partnerorganisatie van dit netwerk."]
        payload["organisation_id"] = str(organisation["id"]) if organisation else str(uuid.uuid4())
        try:
            offer = validated(schemas.OfferInput(), payload)
        except ValidationFailed as failed:
            problems.update(failed.fields)
            offer = None
        if offer is not None:
            problems.update(reference.unknown(offer["municipalities"], "municipalities"))
            if offer["flanking_offer_ids"]:
                problems["flanking_offer_ids"] = ["Flankerend aanbod kan niet via import."]
        if problems:
            raise invalid("Ongeldige rij.", problems)
        return {**offer, "id": uuid.uuid4(), "network_id": network_id}

    def _apply_offer(self, tx, network_id, offer) -> None:
        row = store.insert_offer(tx, offer)
        tx.emit("offer_published", network_id, published_event(row), version=2)

    # -- notifications ----------------------------------------------------------------------
    # Cases events tell people (partners.notifications): each handler writes its inbox rows
    # and mails in the transaction that records the event as handled.

    def _notify(self, event_type: str, event: dict) -> None:
        with self.db.transaction() as tx:
            mailed = tx.first_delivery(event) and notifications.tell(tx, event_type, event)
        if mailed:
            self.mailer.kick()

    @event_consumer("cases", "crisis_alert_raised")
    def notify_crisis_alert(self, event):
        self._notify("crisis_alert_raised", event)

    @event_consumer("cases", "referral_received")
    def notify_referral_received(self, event):
        self._notify("referral_received", event)

    @event_consumer("cases", "referral_triaged")
    def notify_referral_triaged(self, event):
        self._notify("referral_triaged", event)

    @event_consumer("cases", "trajectory_started")
    def notify_trajectory_started(self, event):
        self._notify("trajectory_started", event)

    @event_consumer("cases", "referral_answered")
    def notify_referral_answered(self, event):
        self._notify("referral_answered", event)

    @event_consumer("cases", "waiting_list_entry_added")
    def notify_waiting_list_entry_added(self, event):
        self._notify("waiting_list_entry_added", event)

    # Notices that time passing raises (issue 14): cases' hourly sweep emits each once.

    @event_consumer("cases", "warm_contact_due")
    def notify_warm_contact_due(self, event):
        self._notify("warm_contact_due", event)

    @event_consumer("cases", "pickup_guideline_due")
    def notify_pickup_guideline_due(self, event):
        self._notify("pickup_guideline_due", event)

    @event_consumer("cases", "plan_action_due")
    def notify_plan_action_due(self, event):
        self._notify("plan_action_due", event)

    @event_consumer("cases", "bottleneck_decision_reached")
    def notify_bottleneck_decision_reached(self, event):
        self._notify("bottleneck_decision_reached", event)

    def _notified_person(self):
        """The signed-in person whose inbox this is (an API key has none)."""
        principal = self._principal()
        if principal.person_id is None:
            raise Forbidden("Een API-sleutel heeft geen meldingen.")
        return principal.person_id

    @rpc
    def my_notifications(self, limit=20, before=None):
        person_id = self._notified_person()
        query = validated(schemas.NotificationQuery(), {"limit": limit, "before": before})
        rows = notifications.inbox(self.db, person_id, query["limit"], query["before"])
        return answer(
            schemas.NotificationPage(),
            {"notifications": rows, "unread": notifications.unread_count(self.db, person_id)},
        )

    @rpc
    def mark_notifications_read(self, payload):
        person_id = self._notified_person()
        data = validated(schemas.MarkRead(), payload)
        with self.db.transaction() as tx:
            marked = notifications.mark_read(tx, person_id, data["ids"], data["all"])
            unread = notifications.unread_count(tx, person_id)
        return answer(schemas.MarkedRead(), {"marked": marked, "unread": unread})

    @rpc
    def unread_count(self):
        """The header of every portal page: one cheap call."""
        person_id = self._notified_person()
        return answer(
            schemas.UnreadCount(),
            {
                "unread": notifications.unread_count(self.db, person_id),
                "crisis": notifications.newest_unread_crisis(self.db, person_id),
            },
        )

    @rpc
    def notification_preferences(self):
        person_id = self._notified_person()
        return {"mail": notifications.preference(self.db, person_id)}

    @rpc
    def set_notification_preferences(self, payload):
        person_id = self._notified_person()
        data = validated(schemas.NotificationPreferences(), payload)
        with self.db.transaction() as tx:
            notifications.set_preference(tx, person_id, data["mail"])
        return {"mail": data["mail"]}
