"""Who may read and change what, from the actor's roles per network. Pure: the service loads
the principal and the target's network(s), these functions decide."""

import uuid
from dataclasses import dataclass, field

from verband_common.roles import (
    ADMIN_ONLY,
    AGREEMENT_READERS,
    NETWORK_MANAGERS,
    NETWORK_ROLES,
    OWN_ORGANISATION_KEEPERS,
    PEOPLE_READERS,
    WITHOUT_MEMBERSHIP,
)

# The role sets are the platform's one home of these rules (the gateway checks the same).
MANAGERS = NETWORK_MANAGERS

# What a partner worker may change on an offer of their own organisation.
# A partner worker keeps their organisation's offer current: its places and start date, and
# what the public guide tells residents about it.
PARTNER_WORKER_OFFER_FIELDS = frozenset(
    {
        "free_places",
        "status",
        "can_start_from",
        "address",
        "opening_hours",
        "contact_phone",
        "contact_email",
        "languages",
        "cost",
        "referral",
    }
)
PARTNER_WORKER_ORGANISATION_FIELDS = frozenset({"profile"})


@dataclass(frozen=True)
class Principal:
    actor: str
    person_id: uuid.UUID | None
    organisation_id: uuid.UUID | None = None
    platform_admin: bool = False
    # network id -> roles held there
    roles: dict = field(default_factory=dict)
    # network id -> IROJ region, for the networks in `roles`
    regions: dict = field(default_factory=dict)
    # ids of the organisations this person is an organisation admin of
    administers: frozenset = frozenset()

    def roles_in(self, network_id) -> frozenset:
        return frozenset(self.roles.get(network_id, ()))


def can_read_network(p: Principal, network_id) -> bool:
    """The network's partners, offer and task groups: a guest of one meeting reads none."""
    return p.platform_admin or bool(p.roles_in(network_id) & NETWORK_ROLES)


def can_read_people(p: Principal, network_id) -> bool:
    return p.platform_admin or bool(p.roles_in(network_id) & PEOPLE_READERS)


def can_manage(p: Principal, network_id) -> bool:
    return p.platform_admin or bool(p.roles_in(network_id) & MANAGERS)


def can_read_agreements(p: Principal, network_id) -> bool:
    return p.platform_admin or bool(p.roles_in(network_id) & AGREEMENT_READERS)


def can_read_offer_of(p: Principal, network_id, region: str) -> bool:
    """A network's offer is visible to its own people and to anyone with a role in a
    network of the same IROJ region: offer of one place should be open to the whole region."""
    return can_read_network(p, network_id) or region in regions_of(p)


def regions_of(p: Principal) -> set[str]:
    return {p.regions[n] for n in p.roles if p.roles_in(n) & NETWORK_ROLES and n in p.regions}


def can_grant(p: Principal, network_id, role: str) -> bool:
    if p.platform_admin:
        return True
    held = p.roles_in(network_id)
    if role in ADMIN_ONLY:
        return "network_admin" in held
    return bool(held & MANAGERS)


def role_needs_membership(role: str) -> bool:
    return role not in WITHOUT_MEMBERSHIP


def offer_fields_allowed(
    p: Principal, network_id, offer_organisation_id, changed: set[str]
) -> bool:
    if can_manage(p, network_id):
        return True
    return (
        bool(p.roles_in(network_id) & OWN_ORGANISATION_KEEPERS)
        and p.organisation_id is not None
        and p.organisation_id == offer_organisation_id
        and changed <= PARTNER_WORKER_OFFER_FIELDS
    )
