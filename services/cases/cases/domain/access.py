"""Who may see or change a case. Pure: the service loads the actor's roles (its projection
of partners' role events) and the case's facts; these functions decide.

- no role in the case's network: the case does not exist for them (NotFound);
- the coordinator sees every case of the network;
- the family's contact point (case manager) and the workers of an organisation involved in
  the case (the offer it was referred to, until that organisation declines; its offers on
  the waiting list or in the trajectory, the plan's responsible partners, bridging support,
  the contact point's organisation) see the whole case;
- the referrer sees the follow-up view only: who starts which help and when;
- anyone else with a role in the network is refused (Forbidden).

This is the one rule for every answer that holds a family's data: a case, its plan, its
export, and every list (cases, a waiting list's names, overdue warm contacts) is decided
case by case with `case_access`. Handling a privacy request (network admin, coordinator)
does not open the file: the export needs FULL access as well.
"""

from dataclasses import dataclass, field

from verband_common.roles import (
    CASE_AUDITORS,
    CASE_COORDINATORS,
    CASE_WORKERS,
    NETWORK_ROLES,
    REFERRERS,
)

# The role sets are the platform's one home of this rule (the gateway checks the same).
COORDINATORS = CASE_COORDINATORS
WORKERS = CASE_WORKERS
AUDITORS = CASE_AUDITORS

FULL = "full"
FOLLOW_UP = "follow_up"


@dataclass(frozen=True)
class Principal:
    person_id: str | None
    roles: dict = field(default_factory=dict)  # network id (str) -> frozenset of roles
    organisations: dict = field(default_factory=dict)  # network id (str) -> organisation id

    def roles_in(self, network_id) -> frozenset:
        return frozenset(self.roles.get(str(network_id), ()))

    def in_network(self, network_id) -> bool:
        # A guest of one meeting is no one of the network for families' data.
        return bool(self.roles_in(network_id) & NETWORK_ROLES)

    def organisation_in(self, network_id) -> str | None:
        org = self.organisations.get(str(network_id))
        return str(org) if org else None


@dataclass(frozen=True)
class CaseFacts:
    network_id: str
    referrer_id: str | None = None
    contact_points: frozenset = frozenset()  # person ids (current and active)
    organisations: frozenset = frozenset()  # organisation ids involved


def case_access(p: Principal, case: CaseFacts) -> str | None:
    roles = p.roles_in(case.network_id)
    if not roles:
        # A referrer from another network of the region follows up what they referred.
        if p.person_id is not None and p.person_id == case.referrer_id:
            return FOLLOW_UP
        return None
    if roles & COORDINATORS:
        return FULL
    if p.person_id is not None and p.person_id in case.contact_points:
        return FULL
    org = p.organisation_in(case.network_id)
    if roles & WORKERS and org is not None and org in case.organisations:
        return FULL
    if p.person_id is not None and p.person_id == case.referrer_id:
        return FOLLOW_UP
    return None


def listed(access: str | None) -> bool:
    """A case appears in a list (with the family's name) only to whoever the rule names:
    FULL readers, and the referrer who gave that name (FOLLOW_UP)."""
    return access in (FULL, FOLLOW_UP)


def can_refer(p: Principal, network_id) -> bool:
    return bool(p.roles_in(network_id) & REFERRERS)


def can_refer_from_region(p: Principal, network_id, regions: dict) -> bool:
    """Offers are open to the whole region: a referrer (OCMW, Huis van het Kind) of one
    network may refer a family to an offer of another network of the same IROJ region.
    `regions`: network id (str) -> region, for the target and the principal's networks."""
    target = regions.get(str(network_id))
    if not target:
        return False
    return any(
        "referrer" in roles and str(n) != str(network_id) and regions.get(str(n)) == target
        for n, roles in p.roles.items()
    )


def can_coordinate(p: Principal, network_id) -> bool:
    return bool(p.roles_in(network_id) & COORDINATORS)


def can_audit(p: Principal, network_id) -> bool:
    return bool(p.roles_in(network_id) & AUDITORS)


def works_for_offer(p: Principal, network_id, offer_organisation_id) -> bool:
    """A worker of the organisation that provides the offer."""
    org = p.organisation_in(network_id)
    return bool(
        p.roles_in(network_id) & WORKERS
        and org is not None
        and offer_organisation_id is not None
        and org == str(offer_organisation_id)
    )


def can_read_offer_list(p: Principal, network_id, offer_organisation_id) -> bool:
    """An offer's waiting list: the coordinator, and the workers of the offer's provider."""
    return can_coordinate(p, network_id) or works_for_offer(p, network_id, offer_organisation_id)


def can_answer_referral(p: Principal, network_id, offer_organisation_id) -> bool:
    """Accepting or declining a family for an offer is the provider's own call: its workers
    answer, not the coordinator (who triages) nor anyone else. The case itself must also be
    theirs to see (`case_access` FULL), which the offer it was referred to, or its place on
    the offer's waiting list, gives them."""
    return works_for_offer(p, network_id, offer_organisation_id)
