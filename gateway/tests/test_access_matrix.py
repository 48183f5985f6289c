"""The access matrix: every route of the gateway (API and portal pages, as app.url_map has
them), run as every role, the platform admin and nobody, for its own network and for another,
against one explicit table of who may.

A route that is added without a row in RULES fails `test_every_route_has_a_rule`, so new
routes cannot slip past the matrix. The gateway's check is coarse (the services check again
against their own data): this matrix tests the gateway's layer, and for routes that name an
object instead of a network it tests that the service's refusal passes through unchanged.

What counts as refused:
- API: 401 (nobody signed in), 403 (role), 404 without any RPC beyond resolving the caller
  (another network is answered as if it did not exist);
- pages: a redirect to sign-in (nobody signed in) or to the network choice (the session names
  a network the person has no role in), a 403 page, a 404 page without any RPC.
Anything else is "let through": the view ran (it may still answer 422 for the empty body the
matrix sends, or show an empty page from the fake services).
"""

import uuid
from dataclasses import dataclass
from typing import NamedTuple

import pytest

from verband_common.errors import Forbidden, NotFound, VerbandError
from verband_common.roles import MEETING_ROLES, NETWORK_ROLES, ROLES
from verband_gateway import create_app

from .conftest import (
    Call,
    clock_row,
    duplicate_row,
    family_record,
    journal_row,
    merge_row,
    offer_row,
    plan_version_row,
    priority_row,
)

OWN = str(uuid.uuid4())
OTHER = str(uuid.uuid4())
CSRF = "matrix-csrf-token"
ADMIN = "platform_admin"
ANONYMOUS = "anonymous"
ACTORS = (*ROLES, ADMIN)


@dataclass(frozen=True)
class Rule:
    """Who may use a route.

    kind:
      public     anyone, also nobody signed in;
      mine       anyone signed in (or holding one of `roles` in any network); answers only
                 about the caller or their region (no other network to aim at);
      object     anyone signed in passes the gateway; the service decides from the object's
                 network (another network: its refusal passes through);
      network    the network is in the URL: `roles` there (None: any role of those who work
                 in or watch the network, NETWORK_ROLES: not a guest), `admin` also lets
                 a platform admin through; another network is a 404 from the gateway itself;
      page       a portal page of the network chosen in the session: `roles` there, `admin`
                 also lets a platform admin through; a session naming a network the person
                 has no role in is sent to the network choice;
      page_object  a page of the chosen network about one object (a case, a meeting, a report):
                 as `page`, and the service decides about the object.
    """

    kind: str
    roles: frozenset | None = None
    admin: bool = False

    def allows(self, actor: str) -> bool:
        if actor == ANONYMOUS:
            return self.kind == "public"
        if self.kind == "object" or (self.kind in ("public", "mine") and self.roles is None):
            return True
        if actor == ADMIN:
            return self.admin
        return actor in (NETWORK_ROLES if self.roles is None else self.roles)


def roles(*names: str) -> frozenset:
    unknown = set(names) - set(ROLES)
    assert not unknown, f"not a role: {unknown}"
    return frozenset(names)


PUBLIC = Rule("public")
MINE = Rule("mine")
OBJECT = Rule("object")


def network(*allowed: str, admin: bool = False) -> Rule:
    return Rule("network", roles(*allowed) if allowed else None, admin)


def page(*allowed: str) -> Rule:
    # A platform admin holds no role in a network, so cannot have one chosen for the pages.
    return Rule("page", roles(*allowed) if allowed else None)


def page_object(*allowed: str) -> Rule:
    return Rule("page_object", roles(*allowed) if allowed else None)


# Who is who, as the services' READMEs describe it.
EDITORS = ("network_admin", "coordinator")
AGREEMENT_READERS = (*EDITORS, "case_manager", "iroj_viewer")
# Everyone of a network who works with families (no IROJ viewer, no secretary, no guest).
CASE_PEOPLE = tuple(r for r in ROLES if r not in ("iroj_viewer", "secretary", "guest"))
WORKERS = ("case_manager", "family_coach", "first_line_psychologist", "partner_worker")
WAITING_LIST = ("coordinator", *WORKERS)
REPORT_KEEPERS = ("coordinator", "network_admin")
BODY_ORGANISERS = ("network_admin", "coordinator", "secretary")

ANY_ROLE = network()
PLATFORM_ADMIN_ONLY = Rule("mine", frozenset(), admin=True)
ANY_ROLE_PAGE = page()
# The meetings' own pages and list of bodies: a guest of one meeting reaches them too, and the
# meetings service decides per body and meeting (she sees the meetings she is invited to).
MEETING_PAGE = page(*MEETING_ROLES)
MEETING_OBJECT_PAGE = page_object(*MEETING_ROLES)
EDITOR_PAGE = page(*EDITORS)

# One row per route and method. Objects named without their network (a case, a meeting, a
# report...) are decided by the service that owns them: OBJECT / page_object.
RULES: dict[str, Rule] = {
    # --- signing in, health, the API's own description
    "GET /alive": PUBLIC,
    "GET /health": PUBLIC,
    "GET /favicon.svg": PUBLIC,
    "GET /favicon.ico": PUBLIC,
    "GET /aanmelden": PUBLIC,
    "POST /aanmelden": PUBLIC,
    "GET /aanmelden/oidc": PUBLIC,
    "GET /aanmelden/oidc/terug": PUBLIC,
    "POST /afmelden": PUBLIC,
    "GET /wachtwoord-vergeten": PUBLIC,
    "POST /wachtwoord-vergeten": PUBLIC,
    "GET /wachtwoord-herstellen": PUBLIC,
    "POST /wachtwoord-herstellen": PUBLIC,
    # Accepting an invitation: as oneself when signed in, or new with the mail's token.
    "GET /uitnodiging": PUBLIC,
    "POST /uitnodiging": PUBLIC,
    "GET /api/openapi.json": PUBLIC,
    "GET /api/municipalities": PUBLIC,
    # The public offer guide: residents without an account, public fields only.
    "GET /aanbodgids": PUBLIC,
    "GET /aanbodgids/<uuid:offer_id>": PUBLIC,
    "GET /api/public/hsds/services": PUBLIC,
    "GET /api/public/hsds/services/<uuid:service_id>": PUBLIC,
    "POST /api/auth/login": PUBLIC,
    "POST /api/auth/logout": MINE,
    "GET /api/auth/me": MINE,
    # --- the portal's shell
    "GET /": MINE,
    "GET /netwerk": MINE,
    "POST /netwerk": MINE,
    "GET /mijn-wachtwoord": MINE,
    "POST /mijn-wachtwoord": MINE,
    "GET /aanbod/zoeken": MINE,
    # The offer's entry in the public guide: the partners service decides who keeps it.
    "GET /aanbod/<uuid:offer_id>/gids": OBJECT,
    "POST /aanbod/<uuid:offer_id>/gids": OBJECT,
    # --- networks and the directory (API)
    "GET /api/networks/": MINE,
    "POST /api/networks/": PLATFORM_ADMIN_ONLY,
    "GET /api/networks/<uuid:network_id>": network(*NETWORK_ROLES, admin=True),
    "PATCH /api/networks/<uuid:network_id>/settings": network(*EDITORS),
    "GET /api/networks/<uuid:network_id>/organisations": ANY_ROLE,
    "POST /api/networks/<uuid:network_id>/memberships": network(*EDITORS, admin=True),
    "POST /api/networks/<uuid:network_id>/memberships/<uuid:organisation_id>/end": network(
        *EDITORS, admin=True
    ),
    "GET /api/networks/<uuid:network_id>/people": ANY_ROLE,
    # --- identity: invitations, one's own password, the platform admin's reset, the trail
    "GET /api/networks/<uuid:network_id>/invitations": network(*EDITORS, admin=True),
    "POST /api/networks/<uuid:network_id>/invitations": network(*EDITORS, admin=True),
    "DELETE /api/invitations/<uuid:invitation_id>": OBJECT,
    "POST /api/invitations/describe": PUBLIC,
    "POST /api/invitations/accept": MINE,
    "POST /api/invitations/accept-new": PUBLIC,
    "PUT /api/me/password": MINE,
    # One's own notifications: the partners service knows whose by the actor.
    "GET /api/me/notifications": MINE,
    "GET /api/me/notifications/unread": MINE,
    "POST /api/me/notifications/read": MINE,
    "GET /api/me/notifications/preferences": MINE,
    "PUT /api/me/notifications/preferences": MINE,
    "GET /meldingen": MINE,
    "POST /meldingen/gelezen": MINE,
    "POST /meldingen/voorkeur": MINE,
    "POST /api/people/<uuid:person_id>/password-reset": PLATFORM_ADMIN_ONLY,
    "GET /api/networks/<uuid:network_id>/identity-trail": network("network_admin", admin=True),
    "GET /api/identity-trail": PLATFORM_ADMIN_ONLY,
    # Demo and test stacks only (mails written to files), for their own tests.
    "GET /api/test/mails": PLATFORM_ADMIN_ONLY,
    "POST /api/networks/<uuid:network_id>/people/<uuid:person_id>/roles": network(
        *EDITORS, admin=True
    ),
    "DELETE /api/networks/<uuid:network_id>/people/<uuid:person_id>/roles/<role>": network(
        *EDITORS, admin=True
    ),
    "POST /api/organisations": OBJECT,
    "GET /api/organisations/<uuid:organisation_id>": OBJECT,
    "PATCH /api/organisations/<uuid:organisation_id>": OBJECT,
    "GET /api/people/<uuid:person_id>": OBJECT,
    # API tokens: anyone with a role issues one within what they hold (the service decides
    # which role) and lists their own; the network admin lists and revokes all.
    "GET /api/networks/<uuid:network_id>/tokens": network(*NETWORK_ROLES, admin=True),
    "POST /api/networks/<uuid:network_id>/tokens": network(*NETWORK_ROLES, admin=True),
    "DELETE /api/tokens/<uuid:token_id>": OBJECT,
    # An organisation's consent: a network's managers ask; its own admins decide.
    "GET /api/networks/<uuid:network_id>/organisation-links": network(*EDITORS, admin=True),
    "POST /api/networks/<uuid:network_id>/organisation-links": network(*EDITORS, admin=True),
    "GET /api/organisation-links": MINE,
    "POST /api/organisation-links/<uuid:request_id>/decision": OBJECT,
    "GET /api/organisations/<uuid:organisation_id>/admins": OBJECT,
    "POST /api/organisations/<uuid:organisation_id>/admins": OBJECT,
    "DELETE /api/organisations/<uuid:organisation_id>/admins/<uuid:person_id>": OBJECT,
    # offer: a network's offer is readable region-wide, the partners service decides
    "GET /api/networks/<uuid:network_id>/offers": OBJECT,
    "POST /api/networks/<uuid:network_id>/offers": network(*EDITORS),
    "GET /api/offers/search": MINE,
    "GET /api/offers/<uuid:offer_id>": OBJECT,
    "PATCH /api/offers/<uuid:offer_id>": OBJECT,
    "GET /api/networks/<uuid:network_id>/gaps": ANY_ROLE,
    "GET /api/networks/<uuid:network_id>/agreements": network(*AGREEMENT_READERS),
    "POST /api/networks/<uuid:network_id>/agreements": network(*EDITORS),
    "PATCH /api/agreements/<uuid:agreement_id>": OBJECT,
    "POST /api/agreements/<uuid:agreement_id>/follow-ups": OBJECT,
    "GET /api/networks/<uuid:network_id>/task-groups": ANY_ROLE,
    "POST /api/networks/<uuid:network_id>/task-groups": network(*EDITORS),
    "PATCH /api/task-groups/<uuid:task_group_id>": OBJECT,
    "GET /api/networks/<uuid:network_id>/hsds.json": ANY_ROLE,
    "POST /api/networks/<uuid:network_id>/imports/<any(organisations, offer):kind>": network(
        *EDITORS
    ),
    # --- cases (API)
    "POST /api/networks/<uuid:network_id>/referrals": network(*CASE_PEOPLE),
    "GET /api/networks/<uuid:network_id>/referral-drafts": network(*CASE_PEOPLE),
    "POST /api/networks/<uuid:network_id>/referral-drafts": network(*CASE_PEOPLE),
    "PUT /api/referral-drafts/<uuid:draft_id>": OBJECT,
    "POST /api/referral-drafts/<uuid:draft_id>/submit": OBJECT,
    "POST /api/networks/<uuid:network_id>/consultations": network(*CASE_PEOPLE),
    "GET /api/networks/<uuid:network_id>/cases": network(*CASE_PEOPLE),
    "GET /api/cases/<uuid:case_id>": OBJECT,
    "GET /api/cases/<uuid:case_id>/follow-up": OBJECT,
    "POST /api/cases/<uuid:case_id>/triage": OBJECT,
    "POST /api/cases/<uuid:case_id>/waiting-list": OBJECT,
    # Taking over a waiting list from a spreadsheet: the coordinator's; its template holds
    # column names only.
    "POST /api/networks/<uuid:network_id>/offers/<uuid:offer_id>/waiting-list/import": network(
        "coordinator"
    ),
    "GET /api/waiting-list-import-template.csv": MINE,
    "GET /api/offers/<uuid:offer_id>/waiting-list": OBJECT,
    "GET /api/waiting-list-entries/<uuid:entry_id>/priority": OBJECT,
    "POST /api/waiting-list-entries/<uuid:entry_id>/warm-contacts": OBJECT,
    "POST /api/waiting-list-entries/<uuid:entry_id>/removal": OBJECT,
    "GET /api/networks/<uuid:network_id>/warm-contacts/overdue": network(*WAITING_LIST),
    "GET /api/networks/<uuid:network_id>/pickup-clocks": network("coordinator"),
    "POST /api/networks/<uuid:network_id>/family-search": network("coordinator"),
    "GET /api/networks/<uuid:network_id>/likely-duplicates": network("coordinator"),
    "GET /api/networks/<uuid:network_id>/family-merges": network("coordinator"),
    "POST /api/networks/<uuid:network_id>/family-merges": network("coordinator"),
    "POST /api/networks/<uuid:network_id>/family-merges/<uuid:merge_id>/confirm": network(
        "coordinator"
    ),
    "POST /api/networks/<uuid:network_id>/family-merges/<uuid:merge_id>/undo": network(
        "coordinator"
    ),
    "POST /api/cases/<uuid:case_id>/bridging": OBJECT,
    "POST /api/cases/<uuid:case_id>/trajectories": OBJECT,
    "POST /api/trajectories/<uuid:trajectory_id>/contact-point": OBJECT,
    "POST /api/trajectories/<uuid:trajectory_id>/status": OBJECT,
    "POST /api/trajectories/<uuid:trajectory_id>/closure": OBJECT,
    "POST /api/trajectories/<uuid:trajectory_id>/reopening": OBJECT,
    "GET /api/cases/<uuid:case_id>/plan": OBJECT,
    "PUT /api/cases/<uuid:case_id>/plan": OBJECT,
    "GET /api/cases/<uuid:case_id>/plan/history": OBJECT,
    "POST /api/cases/<uuid:case_id>/plan/action-status": OBJECT,
    "GET /api/cases/<uuid:case_id>/journal": OBJECT,
    "POST /api/cases/<uuid:case_id>/journal": OBJECT,
    "POST /api/cases/<uuid:case_id>/answers": OBJECT,
    "POST /api/cases/<uuid:case_id>/bottlenecks": OBJECT,
    "GET /api/networks/<uuid:network_id>/audit-log": network("network_admin"),
    "POST /api/cases/<uuid:case_id>/legal-hold": OBJECT,
    "GET /api/cases/<uuid:case_id>/export": OBJECT,
    "POST /api/cases/<uuid:case_id>/erasure": OBJECT,
    # --- meetings (API)
    "GET /api/networks/<uuid:network_id>/bodies": network(*MEETING_ROLES),
    "POST /api/networks/<uuid:network_id>/bodies": network(*BODY_ORGANISERS),
    "GET /api/networks/<uuid:network_id>/parked-mails": network("network_admin"),
    "GET /api/bodies/<uuid:body_id>": OBJECT,
    "PATCH /api/bodies/<uuid:body_id>": OBJECT,
    "POST /api/bodies/<uuid:body_id>/members": OBJECT,
    "DELETE /api/bodies/<uuid:body_id>/members/<uuid:member_id>": OBJECT,
    "POST /api/bodies/<uuid:body_id>/series": OBJECT,
    "GET /api/bodies/<uuid:body_id>/meetings": OBJECT,
    "POST /api/bodies/<uuid:body_id>/meetings": OBJECT,
    "GET /api/bodies/<uuid:body_id>/actions": OBJECT,
    "GET /api/bodies/<uuid:body_id>/calendar.ics": OBJECT,
    "GET /api/me/calendar.ics": MINE,
    "GET /api/meetings/<uuid:meeting_id>": OBJECT,
    "POST /api/meetings/<uuid:meeting_id>/move": OBJECT,
    "POST /api/meetings/<uuid:meeting_id>/cancellation": OBJECT,
    "POST /api/meetings/<uuid:meeting_id>/items": OBJECT,
    "PUT /api/meetings/<uuid:meeting_id>/agenda-order": OBJECT,
    "POST /api/meetings/<uuid:meeting_id>/agenda-publication": OBJECT,
    "POST /api/meetings/<uuid:meeting_id>/items-at-meeting": OBJECT,
    "PUT /api/meetings/<uuid:meeting_id>/attendance": OBJECT,
    "PUT /api/meetings/<uuid:meeting_id>/items/<uuid:item_id>": OBJECT,
    "POST /api/meetings/<uuid:meeting_id>/closure": OBJECT,
    "POST /api/meetings/<uuid:meeting_id>/signals": OBJECT,
    "POST /api/actions/<uuid:action_id>/completion": OBJECT,
    "PUT /api/meetings/<uuid:meeting_id>/minutes": OBJECT,
    "POST /api/meetings/<uuid:meeting_id>/minutes/draft": OBJECT,
    "POST /api/meetings/<uuid:meeting_id>/minutes/approval": OBJECT,
    "GET /api/meetings/<uuid:meeting_id>/agenda.pdf": OBJECT,
    "GET /api/meetings/<uuid:meeting_id>/minutes.pdf": OBJECT,
    # meeting documents and guests: the meetings service decides (members, guests, organisers)
    "GET /api/meetings/<uuid:meeting_id>/documents": OBJECT,
    "POST /api/meetings/<uuid:meeting_id>/documents": OBJECT,
    "POST /api/meetings/<uuid:meeting_id>/documents/<uuid:document_id>/versions": OBJECT,
    "GET /api/meeting-documents/<uuid:document_id>/content": OBJECT,
    "GET /api/meetings/<uuid:meeting_id>/guests": OBJECT,
    "POST /api/meetings/<uuid:meeting_id>/guests": OBJECT,
    "DELETE /api/meetings/<uuid:meeting_id>/guests/<uuid:person_id>": OBJECT,
    # votes of a meeting: the meetings service decides (seats with a vote, leaders)
    "GET /api/meetings/<uuid:meeting_id>/votes": OBJECT,
    "POST /api/meetings/<uuid:meeting_id>/votes": OBJECT,
    "PUT /api/votes/<uuid:vote_id>/ballot": OBJECT,
    "POST /api/votes/<uuid:vote_id>/closure": OBJECT,
    "GET /api/bodies/<uuid:body_id>/written-procedures": OBJECT,
    "POST /api/bodies/<uuid:body_id>/written-procedures": OBJECT,
    "GET /api/written-procedures/<uuid:procedure_id>": OBJECT,
    "PUT /api/written-procedures/<uuid:procedure_id>/answer": OBJECT,
    "GET /api/networks/<uuid:network_id>/meeting-people": ANY_ROLE,
    # the network's library and vorming: any role reads and registers, its keepers write;
    # the meetings service decides about the owner's new version and another network's item
    "GET /api/networks/<uuid:network_id>/procedures": ANY_ROLE,
    "POST /api/networks/<uuid:network_id>/procedures": network(*EDITORS),
    "GET /api/networks/<uuid:network_id>/procedures/<uuid:procedure_id>": ANY_ROLE,
    "PATCH /api/networks/<uuid:network_id>/procedures/<uuid:procedure_id>": network(*EDITORS),
    "POST /api/networks/<uuid:network_id>/procedures/<uuid:procedure_id>/versions": ANY_ROLE,
    "GET /api/networks/<uuid:network_id>/procedures/<uuid:procedure_id>/file": ANY_ROLE,
    "GET /api/networks/<uuid:network_id>/trainings": ANY_ROLE,
    "POST /api/networks/<uuid:network_id>/trainings": network(*EDITORS),
    "GET /api/networks/<uuid:network_id>/trainings/<uuid:training_id>": ANY_ROLE,
    "PUT /api/networks/<uuid:network_id>/trainings/<uuid:training_id>/registration": ANY_ROLE,
    "DELETE /api/networks/<uuid:network_id>/trainings/<uuid:training_id>/registration": (ANY_ROLE),
    "GET /api/networks/<uuid:network_id>/trainings/<uuid:training_id>/registrations": network(
        *EDITORS
    ),
    # --- reporting (API): indicators of the network for its coordinators; IROJ viewers read
    # published reports of their region through the reporting service
    "GET /api/networks/<uuid:network_id>/indicators/referrals": ANY_ROLE,
    "GET /api/networks/<uuid:network_id>/indicators": network(*REPORT_KEEPERS),
    "GET /api/networks/<uuid:network_id>/indicators/<string:key>/trend": network(*REPORT_KEEPERS),
    "GET /api/networks/<uuid:network_id>/reports": network(*REPORT_KEEPERS),
    "POST /api/networks/<uuid:network_id>/reports": network(*REPORT_KEEPERS),
    "GET /api/reporting/catalogue": MINE,
    "GET /api/reporting/rollup": MINE,
    "GET /api/reporting/report-backs": MINE,
    "POST /api/reporting/signals/<uuid:signal_id>/answer": OBJECT,
    "GET /api/reports": MINE,
    "GET /api/reports/<uuid:report_id>": OBJECT,
    "POST /api/reports/<uuid:report_id>/approval": OBJECT,
    "POST /api/reports/<uuid:report_id>/publication": OBJECT,
    "POST /api/reports/<uuid:report_id>/corrections": OBJECT,
    "GET /api/reports/<uuid:report_id>/export.<string:fmt>": OBJECT,
    # --- directory pages
    "GET /organisaties": ANY_ROLE_PAGE,
    "POST /organisaties": EDITOR_PAGE,
    "GET /organisaties/<uuid:organisation_id>": EDITOR_PAGE,
    "POST /organisaties/<uuid:organisation_id>": EDITOR_PAGE,
    "GET /personen": ANY_ROLE_PAGE,
    "POST /personen": EDITOR_PAGE,
    "GET /aanbod": ANY_ROLE_PAGE,
    "POST /aanbod": EDITOR_PAGE,
    "POST /aanbod/<uuid:offer_id>/plaatsen": page_object(),
    "GET /mijn-aanbod": page("partner_worker"),
    # Sends a partner to their organisation's page, which decides (see above).
    "GET /mijn-organisatie": ANY_ROLE_PAGE,
    "GET /werkgroepen": ANY_ROLE_PAGE,
    "POST /werkgroepen": EDITOR_PAGE,
    "GET /afspraken": page(*AGREEMENT_READERS),
    "POST /afspraken": EDITOR_PAGE,
    "GET /afspraken/<uuid:agreement_id>/opvolging": page(*AGREEMENT_READERS),
    "POST /afspraken/<uuid:agreement_id>/opvolging": page(*AGREEMENT_READERS),
    "GET /lacunes": EDITOR_PAGE,
    "GET /netwerk/instellingen": EDITOR_PAGE,
    "POST /netwerk/instellingen": EDITOR_PAGE,
    "GET /netwerk/spoor": page("network_admin"),
    "GET /import": EDITOR_PAGE,
    "POST /import": EDITOR_PAGE,
    # an organisation's consent and API tokens (consent_pages)
    "POST /organisaties/koppeling": EDITOR_PAGE,
    "GET /koppelingsverzoeken": MINE,
    "POST /koppelingsverzoeken/<uuid:request_id>": OBJECT,
    "GET /api-sleutels": ANY_ROLE_PAGE,
    "POST /api-sleutels": ANY_ROLE_PAGE,
    "POST /api-sleutels/<uuid:token_id>/intrekken": page_object(),
    # --- case pages
    "GET /gezin-aanmelden": page(*CASE_PEOPLE),
    "POST /gezin-aanmelden": page(*CASE_PEOPLE),
    "GET /consultatie": page(*CASE_PEOPLE),
    "POST /consultatie": page(*CASE_PEOPLE),
    "GET /mijn-aanmeldingen": page(*CASE_PEOPLE),
    "GET /wachtlijst": page(*WAITING_LIST),
    "GET /wachtlijst/importeren": page("coordinator"),
    "POST /wachtlijst/importeren": page("coordinator"),
    "GET /wachtlijst/importeren/sjabloon.csv": ANY_ROLE_PAGE,
    "GET /caseload": page(*WAITING_LIST),
    "GET /dossiers/<uuid:case_id>": page_object(*CASE_PEOPLE),
    "POST /dossiers/<uuid:case_id>/<action>": page_object(*CASE_PEOPLE),
    "GET /dossiers/<uuid:case_id>/plan": page_object(*CASE_PEOPLE),
    "POST /dossiers/<uuid:case_id>/plan": page_object(*CASE_PEOPLE),
    "GET /dossiers/<uuid:case_id>/triage": page_object("coordinator"),
    "POST /dossiers/<uuid:case_id>/triage": page_object("coordinator"),
    "GET /dossiers/<uuid:case_id>/privacy": page_object(*EDITORS),
    "POST /dossiers/<uuid:case_id>/privacy": page_object(*EDITORS),
    "GET /dossiers/<uuid:case_id>/export.json": page_object(*EDITORS),
    "GET /toegangslogboek": page("network_admin"),
    "GET /gezinnen": page("coordinator"),
    "POST /gezinnen": page("coordinator"),
    "POST /gezinnen/samenvoegen": page("coordinator"),
    "POST /gezinnen/samenvoegingen/<uuid:merge_id>/bevestigen": page("coordinator"),
    "POST /gezinnen/samenvoegingen/<uuid:merge_id>/ongedaan-maken": page("coordinator"),
    # --- meeting pages: the meetings service knows who sits in which body
    "GET /organen": MEETING_PAGE,
    "POST /organen": page(*BODY_ORGANISERS),
    # --- the network's library and vorming
    "GET /kennis": ANY_ROLE_PAGE,
    "POST /kennis": EDITOR_PAGE,
    "GET /kennis/<uuid:procedure_id>": page_object(),
    "POST /kennis/<uuid:procedure_id>": page_object(),
    "GET /kennis/<uuid:procedure_id>/bestand": page_object(),
    "GET /vorming": ANY_ROLE_PAGE,
    "POST /vorming": EDITOR_PAGE,
    "GET /vorming/<uuid:training_id>": page_object(),
    "POST /vorming/<uuid:training_id>": page_object(),
    "GET /organen/<uuid:body_id>": MEETING_OBJECT_PAGE,
    "POST /organen/<uuid:body_id>": MEETING_OBJECT_PAGE,
    "GET /vergaderingen/<uuid:meeting_id>": MEETING_OBJECT_PAGE,
    "POST /vergaderingen/<uuid:meeting_id>": MEETING_OBJECT_PAGE,
    "GET /vergaderingen/<uuid:meeting_id>/agenda": MEETING_OBJECT_PAGE,
    "POST /vergaderingen/<uuid:meeting_id>/agenda": MEETING_OBJECT_PAGE,
    "GET /vergaderingen/<uuid:meeting_id>/punt-voorstellen": MEETING_OBJECT_PAGE,
    "POST /vergaderingen/<uuid:meeting_id>/punt-voorstellen": MEETING_OBJECT_PAGE,
    "GET /vergaderingen/<uuid:meeting_id>/verslag": MEETING_OBJECT_PAGE,
    "POST /vergaderingen/<uuid:meeting_id>/verslag": MEETING_OBJECT_PAGE,
    "GET /vergaderingen/<uuid:meeting_id>/stukken": MEETING_OBJECT_PAGE,
    "POST /vergaderingen/<uuid:meeting_id>/stukken": MEETING_OBJECT_PAGE,
    "GET /vergaderingen/<uuid:meeting_id>/stukken/<uuid:document_id>": MEETING_OBJECT_PAGE,
    "GET /vergaderingen/<uuid:meeting_id>/stemmingen": page_object(),
    "POST /vergaderingen/<uuid:meeting_id>/stemmingen": page_object(),
    "GET /organen/<uuid:body_id>/schriftelijke-procedures": page_object(),
    "GET /terugkoppeling": page(*REPORT_KEEPERS),
    "POST /organen/<uuid:body_id>/schriftelijke-procedures": page_object(),
    "GET /mijn-acties": MEETING_PAGE,
    "POST /mijn-acties": MEETING_PAGE,
    "GET /mijn-vergaderingen": MEETING_PAGE,
    # --- reporting pages
    "GET /rapportering": page(*REPORT_KEEPERS),
    "GET /rapportering/indicatoren": MINE,
    "GET /rapporten": page(*REPORT_KEEPERS),
    "POST /rapporten": page(*REPORT_KEEPERS),
    "GET /rapporten/<uuid:report_id>": OBJECT,
    "POST /rapporten/<uuid:report_id>": OBJECT,
    "GET /rapporten/<uuid:report_id>/export.<fmt>": OBJECT,
    # The region of the viewer's own IROJ role; the reporting service picks what they see.
    "GET /iroj": Rule("mine", roles("iroj_viewer")),
    "POST /iroj": Rule("mine", roles("iroj_viewer")),
}


# Where the gateway lets through what the rules refuse, and only the service refuses (defence
# in depth is one layer short). Each is reported; when the gateway closes it, the matrix says
# so and the row goes.
KNOWN_GAPS: dict[str, set[str]] = {}


# --- running a route -------------------------------------------------------------------------

# Values for the URL's variables; every other *_id is a fresh UUID.
ARGUMENTS = {
    "kind": "organisations",
    "fmt": "csv",
    "key": "referrals",
    "role": "referrer",
    "action": "warm_contact",
    "filename": "x.css",
}


def _routes(app) -> dict[str, tuple]:
    """{"METHOD /rule": (rule, method)} for every route but Flask's own static files."""
    found = {}
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            found[f"{method} {rule.rule}"] = (rule, method)
    return found


def _url(app, rule, method: str, network_id: str) -> str:
    values = {}
    for name in rule.arguments:
        if name == "network_id":
            values[name] = network_id
        elif name in ARGUMENTS:
            values[name] = ARGUMENTS[name]
        else:
            values[name] = str(uuid.uuid4())
    return app.url_map.bind("localhost").build(rule.endpoint, values, method=method)


@dataclass
class Outcome:
    status: int
    location: str
    rpcs: list

    @property
    def refused(self) -> bool:
        if self.status in (401, 403):
            return True
        if self.status in (301, 302, 303, 307, 308):
            return "/aanmelden" in self.location or "/netwerk" in self.location
        return self.status == 404 and not self.rpcs

    def __str__(self):
        where = f" -> {self.location}" if self.location else ""
        return f"{self.status}{where} after {self.rpcs or 'no RPC'}"


def run(app, services, key: str, actor: str, target: str, holds: str | None = None) -> Outcome:
    """One request of `actor` to route `key` about network `target`; the actor's roles are in
    network `holds` (default: the target). The session has chosen `target` as its network."""
    rule, method = _routes(app)[key]
    client = app.test_client()
    with client.session_transaction() as session:
        session["csrf"] = CSRF
        if actor != ANONYMOUS:
            person = services.partners.add_person(
                roles={} if actor == ADMIN else {holds or target: [actor]},
                platform_admin=actor == ADMIN,
            )
            if actor != ADMIN:
                # (Organisation for the partner pages.) A platform admin holds no role in a
                # network, so has none chosen: /netwerk offers only the person's networks.
                person["organisation_id"] = str(uuid.uuid4())
                session["network_id"] = target
            session["token"] = services.partners.session_for(person)
    services.calls.clear()
    url = _url(app, rule, method, target)
    headers = {"X-CSRF-Token": CSRF}
    if method == "GET":
        response = client.get(url, headers=headers)
    elif url.startswith("/api/"):
        response = client.open(url, method=method, json={}, headers=headers)
    else:
        response = client.open(url, method=method, data={"csrf_token": CSRF}, headers=headers)
    # Who is signed in, and the header's unread count (asked for every page of a person
    # signed in, the error pages too): neither decides about the route.
    rpcs = [
        f"{c.service}.{c.method}"
        for c in services.calls
        if c.method not in ("resolve_session", "unread_count")
    ]
    return Outcome(response.status_code, response.headers.get("Location", ""), rpcs)


class Refused(NamedTuple):
    service: str
    method: str
    args: tuple


class RefusingServices:
    """The fake services, except that every RPC but the sign-in ones answers 404, as a
    service does about an object of a network the caller holds no role in."""

    def __init__(self, services):
        self.services = services
        self.partners = services.partners
        self.calls = services.calls

    def call(self, service, method, *args, **kwargs):
        if method in ("resolve_session", "open_session", "close_session"):
            return self.services.call(service, method, *args, **kwargs)
        self.calls.append(Refused(service, method, args))
        raise NotFound("Niet gevonden.")


# --- the tests -----------------------------------------------------------------------------


def matrix_app(rpc):
    return create_app(
        {
            "TESTING": True,
            # A view that breaks on the fake services' plain answers is a 500, not a crash
            # of the test: the matrix is about who gets through, not what they see.
            "PROPAGATE_EXCEPTIONS": False,
            "MAIL_DIR": "/nonexistent/verband-matrix-mail",
            "OIDC_ISSUER": "https://idp.example.invalid",
        },
        rpc=rpc,
    )


ROUTES = sorted(_routes(matrix_app(object())))


def test_every_route_has_a_rule():
    missing = [key for key in ROUTES if key not in RULES]
    stale = [key for key in RULES if key not in ROUTES]
    assert not missing, "routes without a row in RULES:\n" + "\n".join(missing)
    assert not stale, "rows in RULES for routes that do not exist:\n" + "\n".join(stale)


def _check(outcome: Outcome, allowed: bool, who: str, rule: Rule) -> str | None:
    if rule.kind == "public":
        # Signing in and out redirects by design; nobody is refused.
        refused = outcome.status in (401, 403)
    else:
        refused = outcome.refused
    if allowed and refused:
        return f"{who}: refused ({outcome}), the rules let them"
    if not allowed and not refused:
        return f"{who}: let through ({outcome}), the rules refuse"
    return None


_APPS: dict[str, tuple] = {}


def _app(kind: str, services):
    """One app per kind for the whole module (making one builds the OpenAPI document, which
    takes a second): fake services of the conftest's kind, or ones that refuse everything."""
    if kind not in _APPS:
        fake = type(services)()
        rpc = fake if kind == "own" else RefusingServices(fake)
        _APPS[kind] = (matrix_app(rpc), rpc)
    return _APPS[kind]


@pytest.mark.parametrize("key", ROUTES)
def test_own_network_every_role(key, services):
    """Nobody, the platform admin and each role in the route's own network."""
    rule = RULES.get(key)
    if rule is None:
        pytest.skip("no rule (test_every_route_has_a_rule fails)")
    app, services = _app("own", services)
    problems = []
    known, closed, gaps = KNOWN_GAPS.get(key, set()), [], []
    for actor in (ANONYMOUS, *ACTORS):
        outcome = run(app, services, key, actor, OWN)
        problem = _check(outcome, rule.allows(actor), actor, rule)
        if problem and actor in known:
            gaps.append(problem)
        elif problem:
            problems.append(problem)
        elif actor in known:
            closed.append(actor)
        if actor == ANONYMOUS and not rule.allows(actor):
            # Nobody signed in: 401 from the API, the sign-in page for the portal; and not a
            # single RPC beyond trying to resolve them.
            if key.split(" ", 1)[1].startswith("/api/"):
                if outcome.status != 401:
                    problems.append(f"anonymous: {outcome}, expected 401")
            elif "/aanmelden" not in outcome.location:
                problems.append(f"anonymous: {outcome}, expected the sign-in page")
            if outcome.rpcs:
                problems.append(f"anonymous reached {outcome.rpcs}")
    assert not problems, f"{key}:\n" + "\n".join(problems)
    assert not closed, f"{key}: the gateway now refuses {closed}: remove them from KNOWN_GAPS"
    if gaps:
        pytest.xfail("known gap, the service refuses: " + "; ".join(gaps))


@pytest.mark.parametrize(
    "key", [k for k in ROUTES if RULES.get(k, PUBLIC).kind not in ("public", "mine")]
)
def test_another_network_every_role(key, services):
    """Each role held in another network only, the request aimed at this network (its id in
    the URL, or chosen in the session): refused, by the gateway itself where the network is
    in the URL or the session, else by the service (whose refusal passes through)."""
    rule = RULES.get(key)
    if rule is None:
        pytest.skip("no rule (test_every_route_has_a_rule fails)")
    app, refusing = _app("other", services)
    problems = []
    for actor in ROLES:
        outcome = run(app, refusing, key, actor, OWN, holds=OTHER)
        if rule.kind in ("network", "page"):
            if not outcome.refused or outcome.rpcs:
                problems.append(f"{actor}: {outcome}, expected the gateway to refuse")
            elif rule.kind == "network" and outcome.status != 404:
                problems.append(f"{actor}: {outcome}, expected 404 (no such network for them)")
        else:
            # object / page_object: the service refuses; an empty body may be refused first.
            body_refused = outcome.status == 422 and not outcome.rpcs
            if not (outcome.refused or outcome.status == 404 or body_refused):
                problems.append(f"{actor}: {outcome}, expected the service's refusal")
    assert not problems, f"{key}:\n" + "\n".join(problems)


# --- family data: the cases service's one rule, route by route --------------------------------

FAMILY = "Familie Matrijs (fictief)"
READERS = ("coordinator", *WORKERS)  # whoever reads the whole case (their organisation on it)
PRIVACY = ("coordinator", "network_admin")

# Every route that shows a family's data (names, birth dates, the question, consent, the plan,
# free text), with the cases RPC that decides about it. The gateway shows a family only in
# what that RPC answered for this caller; its refusal passes through.
FAMILY_ROUTES: dict[str, tuple[str, ...]] = {
    "GET /api/networks/<uuid:network_id>/cases": ("list_cases",),
    "GET /api/cases/<uuid:case_id>": ("get_case",),
    "GET /api/cases/<uuid:case_id>/follow-up": ("follow_up",),
    "GET /api/cases/<uuid:case_id>/plan": ("get_plan",),
    "GET /api/cases/<uuid:case_id>/plan/history": ("plan_history",),
    "GET /api/cases/<uuid:case_id>/journal": ("journal",),
    "GET /api/cases/<uuid:case_id>/export": ("export_family",),
    "GET /api/offers/<uuid:offer_id>/waiting-list": ("waiting_list",),
    "GET /api/waiting-list-entries/<uuid:entry_id>/priority": ("explain_priority",),
    "GET /api/networks/<uuid:network_id>/warm-contacts/overdue": ("overdue_contacts",),
    "GET /api/networks/<uuid:network_id>/pickup-clocks": ("pickup_clocks",),
    "GET /api/networks/<uuid:network_id>/likely-duplicates": ("likely_duplicates",),
    "GET /api/networks/<uuid:network_id>/family-merges": ("family_merges",),
    "GET /api/networks/<uuid:network_id>/referral-drafts": ("list_referral_drafts",),
    "GET /api/networks/<uuid:network_id>/audit-log": ("search_audit_log",),
    "GET /": ("list_cases", "waiting_list", "list_referral_drafts", "coordinator_home"),
    "GET /mijn-aanmeldingen": ("list_cases", "follow_up"),
    "GET /wachtlijst": ("waiting_board",),
    "GET /caseload": ("list_cases", "overdue_contacts", "waiting_list"),
    "GET /dossiers/<uuid:case_id>": ("get_case", "journal"),
    "GET /dossiers/<uuid:case_id>/plan": ("get_plan", "plan_history"),
    "GET /dossiers/<uuid:case_id>/triage": ("get_case",),
    "GET /dossiers/<uuid:case_id>/privacy": (),
    "GET /dossiers/<uuid:case_id>/export.json": ("export_family",),
    "GET /toegangslogboek": ("search_audit_log",),
    "GET /gezinnen": ("likely_duplicates", "family_merges"),
}


# The page-shaped reads of cases, made of the single reads they stand for (as in the
# service), so that each part follows the rule of its own read.
PAGE_PARTS = {
    "waiting_list",
    "list_cases",
    "overdue_contacts",
    "pickup_clocks",
    "dashboard",
}


def _access(role: str) -> str | None:
    """The cases README's table for one case of the network, every worker's organisation on
    it and the referrer its referrer: "full", "follow_up" or None."""
    if role in READERS:
        return "full"
    return "follow_up" if role == "referrer" else None


class CasesRule:
    """Fake services whose cases RPCs answer as the cases service's one rule does, for one
    family of network OWN (the actor's roles are read from the fake partners): the family's
    name wherever the rule names the caller, a refusal (403 in the network, 404 outside)
    where it does not, and lists that leave out the families the caller may not see."""

    def __init__(self, services):
        self.services = services
        self.partners = services.partners
        self.calls = services.calls
        self.decided: list[tuple[str, str | None]] = []

    def _role(self, actor) -> tuple[bool, str | None]:
        for person in self.partners.people.values():
            if actor and str(actor).endswith(person["person_id"]):
                for m in person["memberships"]:
                    if m["network_id"] == OWN:
                        return True, m["roles"][0]
                return False, None
        return False, None

    def _page(self, method, args, role, correlation_id, actor):
        def part(name, *part_args):
            return self.call("cases", name, *part_args, correlation_id=correlation_id, actor=actor)

        if method == "coordinator_home":
            (network_id,) = args
            home = {"board": part("dashboard", network_id), "clocks": None}
            if role == "coordinator":
                home["clocks"] = part("pickup_clocks", network_id)
            return home
        network_id, offer_id, limit, offset, purpose = args
        board = {
            "board": None,
            "board_problem": None,
            "to_triage": [],
            "returned": [],
            "clocks": {"warning": [], "escalated": []},
            "overdue": [],
        }
        if offer_id is not None:
            try:
                board["board"] = part("waiting_list", offer_id, limit, offset, purpose)
            except VerbandError as exc:
                board["board_problem"] = exc.message
        if role == "coordinator":
            board["to_triage"] = part("list_cases", network_id, {"status": "received"})
            board["returned"] = part("list_cases", network_id, {"status": "returned"})
            board["clocks"] = part("pickup_clocks", network_id)
        if role in READERS:
            board["overdue"] = part("overdue_contacts", network_id)
        return board

    def call(self, service, method, *args, correlation_id=None, actor=None, idempotency=None):
        known = {m for ms in FAMILY_ROUTES.values() for m in ms} | PAGE_PARTS
        if service != "cases" or method not in known:
            return self.services.call(
                service,
                method,
                *args,
                correlation_id=correlation_id,
                actor=actor,
                idempotency=idempotency,
            )
        self.calls.append(Call(service, method, args, correlation_id, actor, idempotency))
        member, role = self._role(actor)
        self.decided.append((method, role))
        if not member:
            raise NotFound("Dit dossier bestaat niet.")
        access = _access(role)
        if method in ("waiting_board", "coordinator_home"):
            return self._page(method, args, role, correlation_id, actor)
        named = self.services.call(service, method, *args)  # the plausible answer's shape
        if method == "list_cases":
            return [{**row, "family_name": FAMILY} for row in named] if access else []
        if method == "waiting_list":
            if role not in READERS:
                raise Forbidden("Je mag de wachtlijst van dit aanbod niet zien.")
            return {**named, "entries": [waiting_entry()], "total": 1}
        if method == "overdue_contacts":
            if role not in READERS:
                raise Forbidden("Je hebt geen wachtlijst in dit netwerk.")
            return []
        if method in ("search_families", "likely_duplicates", "family_merges"):
            if role != "coordinator":
                raise Forbidden("Alleen de coördinator.")
            record = family_record(carers=[FAMILY])
            if method == "family_merges":
                return [merge_row(record)]
            return [record] if method == "search_families" else [duplicate_row(record)]
        if method == "pickup_clocks":
            if role != "coordinator":
                raise Forbidden("Alleen de coördinator ziet dit.")
            return {"warning": [], "escalated": []}
        if method == "dashboard":
            if role not in PRIVACY:
                raise Forbidden("Alleen de coördinator of de netwerkbeheerder.")
            return {}
        if method == "search_audit_log":
            if role != "network_admin":
                raise Forbidden("Alleen de netwerkbeheerder.")
            return named  # actors, actions, case ids: no family
        if method == "list_referral_drafts":
            return [draft_row()] if role in CASE_PEOPLE else []
        if method == "follow_up":
            if access is None:
                raise Forbidden("Je hebt geen rol in dit dossier.")
            return named
        if method == "export_family":
            if role not in PRIVACY or access != "full":
                raise Forbidden("Je hebt geen rol in dit dossier.")
            return whole_case()
        if access != "full":  # get_case, the plan, the priority of an entry
            raise Forbidden("Je hebt geen rol in dit dossier.")
        if method == "get_case":
            return whole_case()
        if method == "journal":
            return [journal_row(text=f"Gesprek met {FAMILY}.")]
        if method in ("get_plan", "plan_history"):
            version = {**plan_version_row(), "plan": {"goals": [], "family_part": FAMILY}}
            return [version] if method == "plan_history" else version
        return named


def whole_case() -> dict:
    return {
        "case_id": str(uuid.uuid4()),
        "network_id": OWN,
        "status": "waiting",
        "received_at": "2026-11-02T09:00:00+00:00",
        "municipality": "44083",
        "household": {"carers": [{"name": FAMILY}], "children": []},
        "contact": {},
        "question": "Hulp bij de opvoeding.",
        "concern": "some",
        "urgency": "normal",
        "mandated_body": False,
        "life_domains": [],
        "consent": {"given_by": FAMILY, "given_on": "2026-11-02", "sharing": []},
        "requested_offer_ids": [],
        "age_bands": ["6-11"],
        "triage": None,
        "clock": clock_row(),
        "waiting": [],
        "warm_contacts": [],
        "bridging": [],
        "trajectories": [],
        "plan": None,
        "bottlenecks": [],
        "also_waiting": [],
        "legal_hold": False,
        "anonymised": False,
        "plan_versions": [],
        "access_log": [],
    }


def waiting_entry() -> dict:
    return {
        "position": 1,
        "entry_id": str(uuid.uuid4()),
        "case_id": str(uuid.uuid4()),
        "family_name": FAMILY,
        "municipality": "44083",
        "age_bands": ["6-11"],
        "waiting_since": "2026-11-02",
        "days_waiting": 30,
        "concern": "some",
        "urgency": "normal",
        "domains": 1,
        "why": priority_row(),
        "last_contact_on": None,
        "next_contact_due": "2099-01-01",
        "contact_overdue": False,
        "clock": clock_row(),
        "also_waiting_on": [],
    }


def draft_row() -> dict:
    return {
        "id": str(uuid.uuid4()),
        "network_id": OWN,
        "payload": {"household": {"carers": [{"name": FAMILY}]}},
        "updated_at": "2026-11-02T09:00:00+00:00",
    }


def test_every_family_data_route_is_in_the_matrix():
    missing = [key for key in FAMILY_ROUTES if key not in RULES]
    assert not missing, missing


_FAMILY_APP: list = []


def _family_app(services):
    if not _FAMILY_APP:
        fake = CasesRule(type(services)())
        _FAMILY_APP.append((matrix_app(fake), fake))
    return _FAMILY_APP[0]


@pytest.mark.parametrize("key", sorted(FAMILY_ROUTES))
def test_family_data_only_where_the_cases_rule_names_the_caller(key, services):
    """Every role of the family's network and of another network: the family's name is in
    the answer only when the cases service's rule names the caller (and a deciding RPC
    answered for them); refused direct reads answer 403/404, never the family."""
    app, fake = _family_app(services)
    deciders = set(FAMILY_ROUTES[key])
    problems = []
    for holds in (OWN, OTHER):
        for actor in ROLES:
            fake.decided.clear()
            rule, method = _routes(app)[key]
            client = app.test_client()
            with client.session_transaction() as session:
                person = services_person(fake, actor, holds)
                session["csrf"] = CSRF
                session["network_id"] = OWN
                session["token"] = fake.partners.session_for(person)
            response = client.get(_url(app, rule, method, OWN))
            body = response.get_data(as_text=True)
            shown = FAMILY in body
            asked = {m for m, _ in fake.decided}
            where = "own" if holds == OWN else "other"
            if shown and not (asked & deciders):
                problems.append(f"{where} {actor}: family shown without asking cases")
            expected = holds == OWN and _may_see(key, actor)
            if shown != expected:
                problems.append(f"{where} {actor}: family shown {shown}, the rule says {expected}")
            if holds == OWN and not expected and key in DIRECT_READS and response.status_code < 400:
                problems.append(f"{where} {actor}: {response.status_code}, expected a refusal")
    assert not problems, f"{key}:\n" + "\n".join(problems)


ORGANISATION = str(uuid.uuid4())  # the caller's organisation, providing the network's offer

# Reads of one case: refused outright (403/404) to whoever the rule does not name.
DIRECT_READS = {
    "GET /api/cases/<uuid:case_id>",
    "GET /api/cases/<uuid:case_id>/plan",
    "GET /api/cases/<uuid:case_id>/plan/history",
    "GET /api/cases/<uuid:case_id>/export",
    "GET /dossiers/<uuid:case_id>",
    "GET /dossiers/<uuid:case_id>/plan",
    "GET /dossiers/<uuid:case_id>/export.json",
}


def services_person(fake, actor: str, holds: str) -> dict:
    person = fake.partners.add_person(roles={holds: [actor]})
    person["organisation_id"] = ORGANISATION
    fake.services.answer(
        "partners", "list_offers", lambda nid, f: [offer_row(nid, organisation_id=ORGANISATION)]
    )
    return person


def _may_see(key: str, role: str) -> bool:
    """Whether `role` of the family's network sees the family on this route: the route's own
    gate lets them in and the cases rule names them for what the route shows."""
    access = _access(role)
    if not RULES[key].allows(role):
        return False
    if key == "GET /api/networks/<uuid:network_id>/referral-drafts":
        return role in CASE_PEOPLE  # one's own drafts: the author typed the family in
    if key == "GET /" and role in CASE_PEOPLE and role not in PRIVACY:
        return True  # the partner's or referrer's home: their cases (and drafts)
    if key == "GET /":
        return False  # the dashboard, the meetings, the IROJ page: counts, no family
    if access is None:
        return False
    if key in ("GET /api/cases/<uuid:case_id>/follow-up", "GET /dossiers/<uuid:case_id>/privacy"):
        return False  # no name in the referrer's view, nor on the requests' page
    if key.endswith("/audit-log") or key == "GET /toegangslogboek":
        return False  # the access log names no family
    if key.endswith("/pickup-clocks") or key.endswith("/overdue") or key.endswith("/priority"):
        return False  # ids, days and clocks only
    if key in ("GET /api/cases/<uuid:case_id>/export", "GET /dossiers/<uuid:case_id>/export.json"):
        return role in PRIVACY and access == "full"
    if access == "follow_up":
        return key in ("GET /api/networks/<uuid:network_id>/cases", "GET /mijn-aanmeldingen")
    return True
