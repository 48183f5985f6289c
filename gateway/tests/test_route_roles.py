"""Route by role: for every route of the gateway (app.url_map), each role of the platform
gets past the gateway's coarse check exactly when the rule of the service that owns the data
lets that role act, as the service declares its rule in `verband_common.roles`.

The expectation comes from the services' rules, never from the gateway's own sets: a route
gated by role names the service rule it stands for in SERVICE_RULES below; every other route
must let every role through to the service (which then decides on its own data). So a route
that refuses a role the service allows (the JSON referral endpoint refusing a family coach,
while the cases service lets them refer) fails here, and so does a route that lets through a
role the service's rule forbids at this coarse level.

The role is held in the route's own network (chosen in the session for the pages). Each role
is also tried holding the same role in a second network at once, which must change nothing.
"""

import uuid

import pytest

from verband_common import roles as rules
from verband_common.roles import ROLES

from .test_access_matrix import CSRF, OWN, ROUTES, RULES, Outcome, _app, _routes, _url

SECOND = str(uuid.uuid4())

# Where the platform admin alone may act (the partners service's rule); no network role does.
PLATFORM_ADMIN = frozenset()

# The service rule each role-gated route stands for, by route. Read this table as "which rule
# of which service does this route's action fall under"; the sets come from verband_common.
SERVICE_RULES: dict[str, frozenset] = {
    # --- partners: the platform and the network's set-up
    "POST /api/networks/": PLATFORM_ADMIN,
    "POST /api/people/<uuid:person_id>/password-reset": PLATFORM_ADMIN,
    "GET /api/identity-trail": PLATFORM_ADMIN,
    "GET /api/test/mails": PLATFORM_ADMIN,
    "PATCH /api/networks/<uuid:network_id>/settings": rules.NETWORK_MANAGERS,
    "POST /api/networks/<uuid:network_id>/memberships": rules.NETWORK_MANAGERS,
    "POST /api/networks/<uuid:network_id>/memberships/<uuid:organisation_id>/end": (
        rules.NETWORK_MANAGERS
    ),
    "GET /api/networks/<uuid:network_id>/invitations": rules.NETWORK_MANAGERS,
    "POST /api/networks/<uuid:network_id>/invitations": rules.NETWORK_MANAGERS,
    "GET /api/networks/<uuid:network_id>/identity-trail": rules.IDENTITY_AUDITORS,
    "POST /api/networks/<uuid:network_id>/people/<uuid:person_id>/roles": rules.NETWORK_MANAGERS,
    "DELETE /api/networks/<uuid:network_id>/people/<uuid:person_id>/roles/<role>": (
        rules.NETWORK_MANAGERS
    ),
    "GET /api/networks/<uuid:network_id>/organisation-links": rules.NETWORK_MANAGERS,
    "POST /api/networks/<uuid:network_id>/organisation-links": rules.NETWORK_MANAGERS,
    "POST /api/networks/<uuid:network_id>/offers": rules.NETWORK_MANAGERS,
    "GET /api/networks/<uuid:network_id>/agreements": rules.AGREEMENT_READERS,
    "POST /api/networks/<uuid:network_id>/agreements": rules.NETWORK_MANAGERS,
    "POST /api/networks/<uuid:network_id>/task-groups": rules.NETWORK_MANAGERS,
    "POST /api/networks/<uuid:network_id>/imports/<any(organisations, offer):kind>": (
        rules.NETWORK_MANAGERS
    ),
    "POST /organisaties": rules.NETWORK_MANAGERS,
    # An organisation's profile: its own partner workers keep it too, but the person asking
    # here works for another organisation than the one in the URL.
    "GET /organisaties/<uuid:organisation_id>": rules.NETWORK_MANAGERS,
    "POST /organisaties/<uuid:organisation_id>": rules.NETWORK_MANAGERS,
    "POST /personen": rules.NETWORK_MANAGERS,
    "POST /aanbod": rules.NETWORK_MANAGERS,
    "GET /mijn-aanbod": rules.OWN_ORGANISATION_KEEPERS,
    "POST /werkgroepen": rules.NETWORK_MANAGERS,
    "GET /afspraken": rules.AGREEMENT_READERS,
    "POST /afspraken": rules.NETWORK_MANAGERS,
    "GET /afspraken/<uuid:agreement_id>/opvolging": rules.AGREEMENT_READERS,
    "POST /afspraken/<uuid:agreement_id>/opvolging": rules.AGREEMENT_READERS,
    "GET /lacunes": rules.NETWORK_MANAGERS,
    "GET /netwerk/instellingen": rules.NETWORK_MANAGERS,
    "POST /netwerk/instellingen": rules.NETWORK_MANAGERS,
    "GET /netwerk/spoor": rules.IDENTITY_AUDITORS,
    "GET /import": rules.NETWORK_MANAGERS,
    "POST /import": rules.NETWORK_MANAGERS,
    "POST /organisaties/koppeling": rules.NETWORK_MANAGERS,
    # --- cases: refer (anyone working in the network), the lists a role may hold cases in
    "POST /api/networks/<uuid:network_id>/referrals": rules.REFERRERS,
    "GET /api/networks/<uuid:network_id>/referral-drafts": rules.REFERRERS,
    "POST /api/networks/<uuid:network_id>/referral-drafts": rules.REFERRERS,
    "POST /api/networks/<uuid:network_id>/consultations": rules.REFERRERS,
    # Cases are listed to whoever reads them whole or follows up what they referred.
    "GET /api/networks/<uuid:network_id>/cases": rules.REFERRERS,
    "GET /api/networks/<uuid:network_id>/warm-contacts/overdue": rules.WAITING_LIST_READERS,
    "GET /api/networks/<uuid:network_id>/pickup-clocks": rules.CASE_COORDINATORS,
    "POST /api/networks/<uuid:network_id>/family-search": rules.CASE_COORDINATORS,
    "GET /api/networks/<uuid:network_id>/likely-duplicates": rules.CASE_COORDINATORS,
    "GET /api/networks/<uuid:network_id>/family-merges": rules.CASE_COORDINATORS,
    "POST /api/networks/<uuid:network_id>/family-merges": rules.CASE_COORDINATORS,
    "POST /api/networks/<uuid:network_id>/family-merges/<uuid:merge_id>/confirm": (
        rules.CASE_COORDINATORS
    ),
    "POST /api/networks/<uuid:network_id>/family-merges/<uuid:merge_id>/undo": (
        rules.CASE_COORDINATORS
    ),
    "GET /gezinnen": rules.CASE_COORDINATORS,
    "POST /gezinnen": rules.CASE_COORDINATORS,
    "POST /gezinnen/samenvoegen": rules.CASE_COORDINATORS,
    "POST /gezinnen/samenvoegingen/<uuid:merge_id>/bevestigen": rules.CASE_COORDINATORS,
    "POST /gezinnen/samenvoegingen/<uuid:merge_id>/ongedaan-maken": rules.CASE_COORDINATORS,
    "GET /api/networks/<uuid:network_id>/audit-log": rules.CASE_AUDITORS,
    "GET /gezin-aanmelden": rules.REFERRERS,
    "POST /gezin-aanmelden": rules.REFERRERS,
    "GET /consultatie": rules.REFERRERS,
    "POST /consultatie": rules.REFERRERS,
    "GET /mijn-aanmeldingen": rules.REFERRERS,
    "GET /wachtlijst": rules.WAITING_LIST_READERS,
    "GET /wachtlijst/importeren": rules.CASE_COORDINATORS,
    "POST /wachtlijst/importeren": rules.CASE_COORDINATORS,
    "POST /api/networks/<uuid:network_id>/offers/<uuid:offer_id>/waiting-list/import": (
        rules.CASE_COORDINATORS
    ),
    "GET /caseload": rules.WAITING_LIST_READERS,
    "GET /dossiers/<uuid:case_id>": rules.REFERRERS,
    "POST /dossiers/<uuid:case_id>/<action>": rules.REFERRERS,
    "GET /dossiers/<uuid:case_id>/plan": rules.REFERRERS,
    "POST /dossiers/<uuid:case_id>/plan": rules.REFERRERS,
    "GET /dossiers/<uuid:case_id>/triage": rules.CASE_COORDINATORS,
    "POST /dossiers/<uuid:case_id>/triage": rules.CASE_COORDINATORS,
    "GET /dossiers/<uuid:case_id>/privacy": rules.PRIVACY_HANDLERS,
    "POST /dossiers/<uuid:case_id>/privacy": rules.PRIVACY_HANDLERS,
    "GET /dossiers/<uuid:case_id>/export.json": rules.PRIVACY_HANDLERS,
    "GET /toegangslogboek": rules.CASE_AUDITORS,
    # --- meetings
    "POST /api/networks/<uuid:network_id>/bodies": rules.BODY_ORGANISERS,
    "GET /api/networks/<uuid:network_id>/parked-mails": rules.MAIL_KEEPERS,
    "POST /organen": rules.BODY_ORGANISERS,
    # The network's library and vorming: its keepers write and see who registered.
    "POST /api/networks/<uuid:network_id>/procedures": rules.KNOWLEDGE_KEEPERS,
    "PATCH /api/networks/<uuid:network_id>/procedures/<uuid:procedure_id>": (
        rules.KNOWLEDGE_KEEPERS
    ),
    "POST /api/networks/<uuid:network_id>/trainings": rules.KNOWLEDGE_KEEPERS,
    "GET /api/networks/<uuid:network_id>/trainings/<uuid:training_id>/registrations": (
        rules.KNOWLEDGE_KEEPERS
    ),
    "POST /kennis": rules.KNOWLEDGE_KEEPERS,
    "POST /vorming": rules.KNOWLEDGE_KEEPERS,
    # --- reporting
    "GET /api/networks/<uuid:network_id>/indicators": rules.REPORT_KEEPERS,
    "GET /api/networks/<uuid:network_id>/indicators/<string:key>/trend": rules.REPORT_KEEPERS,
    "GET /api/networks/<uuid:network_id>/reports": rules.REPORT_KEEPERS,
    "POST /api/networks/<uuid:network_id>/reports": rules.REPORT_KEEPERS,
    "GET /rapportering": rules.REPORT_KEEPERS,
    "GET /rapporten": rules.REPORT_KEEPERS,
    "POST /rapporten": rules.REPORT_KEEPERS,
    "GET /iroj": frozenset({rules.IROJ_VIEWER}),
    # the network's report-backs to IROJ, read by its managers (reporting's rule)
    "GET /terugkoppeling": rules.REPORT_KEEPERS,
    "POST /iroj": frozenset({rules.IROJ_VIEWER}),
}

# Routes nobody signed in may use and that no role changes (signing in, the API's own
# description): the role check does not apply.
PUBLIC_PREFIXES = (
    "/alive",
    "/health",
    "/aanmelden",
    "/afmelden",
    "/wachtwoord-",
    "/api/auth/login",
)


# The meetings' own pages and list of bodies: a guest of one meeting reaches them as any role
# does (meetings' MEETING_ROLES), and the service decides per body and meeting. Every other
# route without a row above lets through the roles of those who work in or watch the network.
MEETING_ROUTES = frozenset(
    {
        "GET /api/networks/<uuid:network_id>/bodies",
        "GET /organen",
        "GET /organen/<uuid:body_id>",
        "POST /organen/<uuid:body_id>",
        "GET /vergaderingen/<uuid:meeting_id>",
        "POST /vergaderingen/<uuid:meeting_id>",
        "GET /vergaderingen/<uuid:meeting_id>/agenda",
        "POST /vergaderingen/<uuid:meeting_id>/agenda",
        "GET /vergaderingen/<uuid:meeting_id>/punt-voorstellen",
        "POST /vergaderingen/<uuid:meeting_id>/punt-voorstellen",
        "GET /vergaderingen/<uuid:meeting_id>/verslag",
        "POST /vergaderingen/<uuid:meeting_id>/verslag",
        "GET /vergaderingen/<uuid:meeting_id>/stukken",
        "POST /vergaderingen/<uuid:meeting_id>/stukken",
        "GET /vergaderingen/<uuid:meeting_id>/stukken/<uuid:document_id>",
        "GET /mijn-vergaderingen",
        "GET /mijn-acties",
        "POST /mijn-acties",
    }
)


def expected(key: str) -> frozenset:
    """The roles the owning service lets act on this route: its declared rule, or where the
    gateway has no role to check (the service decides on its own data) every role of the
    network (the guest only on the meetings' routes), where the route names a network or works
    in the one chosen in the session."""
    if key in SERVICE_RULES:
        return SERVICE_RULES[key]
    if key in MEETING_ROUTES:
        return rules.MEETING_ROLES
    if RULES[key].kind in ("network", "page", "page_object"):
        return rules.NETWORK_ROLES
    # Routes about the caller or an object named without its network: the service decides.
    return frozenset(ROLES)


def test_the_table_names_only_routes_that_exist_and_roles_of_the_platform():
    stale = [key for key in SERVICE_RULES.keys() | MEETING_ROUTES if key not in ROUTES]
    assert not stale, "rows for routes that do not exist:\n" + "\n".join(stale)
    for key, allowed in SERVICE_RULES.items():
        assert allowed <= set(ROLES), key


def test_the_referral_rule_is_the_cases_services_own():
    """The drift of issue 13, pinned: whoever may refer in the cases service is let through
    to the JSON referral endpoint, the draft route and the portal's form alike."""
    refer = "POST /api/networks/<uuid:network_id>/referrals"
    assert SERVICE_RULES[refer] is rules.REFERRERS
    assert {"family_coach", "first_line_psychologist", "partner_worker"} <= rules.REFERRERS
    for key in ("POST /api/networks/<uuid:network_id>/referral-drafts", "POST /gezin-aanmelden"):
        assert SERVICE_RULES[key] == SERVICE_RULES[refer]


def request_as(app, fake, key: str, role: str, networks: tuple[str, ...]) -> Outcome:
    """One request to route `key` about network OWN by a person holding `role` in each of
    `networks`, with OWN chosen in the session (as the matrix's `run`, for several networks)."""
    rule, method = _routes(app)[key]
    client = app.test_client()
    person = fake.partners.add_person(roles={n: [role] for n in networks})
    person["organisation_id"] = str(uuid.uuid4())
    with client.session_transaction() as session:
        session["csrf"] = CSRF
        session["network_id"] = OWN
        session["token"] = fake.partners.session_for(person)
    fake.calls.clear()
    url, headers = _url(app, rule, method, OWN), {"X-CSRF-Token": CSRF}
    if method == "GET":
        response = client.get(url, headers=headers)
    elif url.startswith("/api/"):
        response = client.open(url, method=method, json={}, headers=headers)
    else:
        response = client.open(url, method=method, data={"csrf_token": CSRF}, headers=headers)
    rpcs = [f"{c.service}.{c.method}" for c in fake.calls if c.method != "resolve_session"]
    return Outcome(response.status_code, response.headers.get("Location", ""), rpcs)


@pytest.mark.parametrize("key", ROUTES)
def test_the_gateway_lets_through_exactly_the_roles_the_service_allows(key, services):
    app, fake = _app("own", services)
    allowed = expected(key)
    public = key.split(" ", 1)[1].startswith(PUBLIC_PREFIXES)
    problems = []
    for role in ROLES:
        for networks in ((OWN,), (OWN, SECOND)):
            outcome = request_as(app, fake, key, role, networks)
            # Signing in and out redirects by design: only 401/403 is a refusal there.
            refused = outcome.status in (401, 403) if public else outcome.refused
            where = f"{role} (in {len(networks)} networks)"
            if role in allowed and refused:
                problems.append(f"{where}: refused ({outcome}), the service's rule lets them")
            if role not in allowed and not refused:
                problems.append(f"{where}: let through ({outcome}), the service's rule refuses")
    assert not problems, f"{key}:\n" + "\n".join(problems)
