"""The platform's roles: their codes, their Dutch names, the rule sets each service decides
by, and the rule every consumer of partners' role_granted / role_revoked follows.

Each set below belongs to the service named above it, which decides with it against its own
data; the gateway's coarse check before a call uses the same set, so the two cannot drift
apart (a role the service lets refer is never refused at the gateway). Change a rule here,
in one place, and both follow.

Role changes that a late event cannot overtake:
Partners stamps each role change with a version that grows with every change of the same
(network, person, role) (partners.store.next_role_version). A consumer applies a change only
if its version is higher than the highest it has applied for that role, and records it in
`role_versions` in the same transaction. So a grant that arrives after the revoke that
followed it (broker order, redelivery, a retry, a parked event replayed by an operator)
changes nothing: the revoke's tombstone has the higher version.
"""

ROLES = (
    "network_admin",
    "coordinator",
    "case_manager",
    "family_coach",
    "first_line_psychologist",
    "referrer",
    "partner_worker",
    "secretary",
    "iroj_viewer",
    "guest",
)
ROLE_LABELS = {
    "network_admin": "Netwerkbeheerder",
    "coordinator": "Coördinator",
    "case_manager": "Casemanager",
    "family_coach": "Gezinscoach",
    "first_line_psychologist": "Eerstelijnspsycholoog",
    "referrer": "Toeleider",
    "partner_worker": "Partnermedewerker",
    "secretary": "Secretaris",
    "iroj_viewer": "IROJ-lezer",
    "guest": "Gast bij een vergadering",
}
IROJ_VIEWER = "iroj_viewer"
# Someone from outside the network (a local expert, another service's staff member) invited to
# one of its meetings. The role lets her choose the network in the portal and nothing more: the
# meetings service lets her into the meetings she is a guest of, one by one.
GUEST = "guest"
# The roles of those who work in the network or watch it: every "any role in the network"
# rule (its partners, offer, library, the network checks of cases and reports) means these.
# A guest is none of them.
NETWORK_ROLES = frozenset(ROLES) - {GUEST}

# -- partners: the network, its directory, offer and agreements ---------------------------------
# Who sets up the network: its settings, partners, people, offer, agreements, task groups.
NETWORK_MANAGERS = frozenset({"network_admin", "coordinator"})
AGREEMENT_READERS = frozenset({"network_admin", "coordinator", "case_manager", IROJ_VIEWER})
# Roles a coordinator may not hand out: only a network admin makes another network admin,
# and invites the IROJ viewers (who need no organisation in the network).
ADMIN_ONLY = frozenset({"network_admin", IROJ_VIEWER})
# Roles that see the network's people (names, e-mail addresses, roles): those who work in
# the network. An IROJ viewer reads the network's published reports, not its people.
PEOPLE_READERS = NETWORK_ROLES - {IROJ_VIEWER}
# Someone watching from IROJ, or a guest from outside, need not work for an organisation of
# the network.
WITHOUT_MEMBERSHIP = frozenset({IROJ_VIEWER, GUEST})
# Who keeps their own organisation's profile and the free places, status and start date of
# its offer.
OWN_ORGANISATION_KEEPERS = frozenset({"partner_worker"})
# Who reads the network's identity trail (invitations, grants, sign-ins).
IDENTITY_AUDITORS = frozenset({"network_admin"})

# -- cases: referrals, waiting lists, trajectories -------------------------------------------
CASE_COORDINATORS = frozenset({"coordinator"})
# Who works with families for a partner organisation: they see the cases their organisation
# is involved in, and the waiting lists of their organisation's offers.
CASE_WORKERS = frozenset(
    {"case_manager", "family_coach", "first_line_psychologist", "partner_worker"}
)
# Anyone working in the network may refer a family; oversight and the secretariat do not.
REFERRERS = frozenset({"referrer", "coordinator", "network_admin"} | CASE_WORKERS)
# Who reads the network's access log of family data.
CASE_AUDITORS = frozenset({"network_admin"})
# Who handles a privacy request (export, erasure, legal hold).
PRIVACY_HANDLERS = frozenset({"network_admin", "coordinator"})
# Who can be the family's one contact point.
CONTACT_POINTS = frozenset(
    {"case_manager", "family_coach", "first_line_psychologist", "coordinator"}
)
# Who reads an offer's waiting list (their own organisation's, for a worker).
WAITING_LIST_READERS = CASE_COORDINATORS | CASE_WORKERS

# -- meetings: governance bodies ------------------------------------------------------------
# Whose role lets them into the network's meetings at all (the service then decides per body
# and per meeting): anyone with a role, a guest included.
MEETING_ROLES = frozenset(ROLES)
# Network roles that set up bodies and plan their meetings.
BODY_ORGANISERS = frozenset({"network_admin", "coordinator", "secretary"})
# Who reads the mails the meetings service could not deliver.
MAIL_KEEPERS = frozenset({"network_admin"})
# The network's library of procedures and working agreements, and its vorming moments: the
# coordinators and network admins keep them (a procedure's owner adds versions of it); any
# role in the network reads them, and whoever works in the network registers for a vorming.
KNOWLEDGE_KEEPERS = frozenset({"network_admin", "coordinator"})
TRAINEES = PEOPLE_READERS

# -- reporting: indicators and reports ------------------------------------------------------
# Who reads the network's indicators and generates, approves, publishes and corrects reports.
REPORT_KEEPERS = frozenset({"coordinator", "network_admin"})


def newer_role_change(tx, event: dict, granted: bool) -> bool:
    """Record `event` as the role's newest change and say True, or False when a change with
    the same or a higher version was applied before (then leave the projection alone).

    The row lock taken here is held until the caller's transaction ends, so two changes of
    one role are applied one after the other, never interleaved.
    """
    row = tx.fetchone(
        "INSERT INTO role_versions (network_id, person_id, role, version, granted)"
        " VALUES (%s, %s, %s, %s, %s)"
        " ON CONFLICT (network_id, person_id, role) DO UPDATE"
        " SET version = EXCLUDED.version, granted = EXCLUDED.granted, changed_at = now()"
        " WHERE role_versions.version < EXCLUDED.version"
        " RETURNING version",
        (event["network_id"], event["person_id"], event["role"], event["role_version"], granted),
    )
    return row is not None
