"""Who keeps an organisation, and how a network comes to work with one.

An organisation is registered once for the platform and joins networks by membership. It
belongs to itself: its own admins (people of the organisation holding the organisation-admin
role) and the platform admin change it and decide which networks may link it. The network
that registered it keeps it while that network alone uses it - its managers change it, add
it as a partner and name its first admins - but no network ever rewrites an organisation
another network also uses, and no network links an organisation without its consent (a
link request its admins accept or refuse).

Pure: the service loads the organisation's users (networks with a current membership), the
network that registered it and the principal; these functions decide.
"""

from partners.domain.access import (
    PARTNER_WORKER_ORGANISATION_FIELDS,
    Principal,
    can_manage,
)
from verband_common.roles import OWN_ORGANISATION_KEEPERS


def is_organisation_admin(p: Principal, organisation_id) -> bool:
    return organisation_id in p.administers


def kept_by(network_id, registered_by, users: set) -> bool:
    """Whether `network_id` keeps the organisation: it registered it or uses it, and no
    other network uses it."""
    if network_id is None:
        return False
    if users - {network_id}:
        return False
    return network_id in users or registered_by == network_id


def keeping_networks(p: Principal, registered_by, users: set) -> set:
    """The networks through which this principal keeps the organisation (as their manager)."""
    candidates = set(users) | ({registered_by} if registered_by else set())
    return {n for n in candidates if can_manage(p, n) and kept_by(n, registered_by, users)}


def may_change(p: Principal, organisation_id, registered_by, users: set, changed: set[str]) -> bool:
    """Its admins and the platform admin always; a manager of the one network that keeps
    it; a partner worker of the organisation its profile, while one network alone uses it."""
    if p.platform_admin or is_organisation_admin(p, organisation_id):
        return True
    if keeping_networks(p, registered_by, users):
        return True
    return (
        len(users) <= 1
        and p.organisation_id == organisation_id
        and any(p.roles_in(n) & OWN_ORGANISATION_KEEPERS for n in users)
        and changed <= PARTNER_WORKER_ORGANISATION_FIELDS
    )


def may_link_directly(p: Principal, network_id, registered_by, users: set) -> bool:
    """Make it a partner of the network without asking: the platform admin, or a manager of
    the network that keeps it. Anyone else asks the organisation (a link request)."""
    if p.platform_admin:
        return True
    return can_manage(p, network_id) and kept_by(network_id, registered_by, users)


def may_decide_links(p: Principal, organisation_id) -> bool:
    return p.person_id is not None and (
        p.platform_admin or is_organisation_admin(p, organisation_id)
    )


def may_name_admins(p: Principal, organisation_id, registered_by, users: set) -> bool:
    """Grant or revoke the organisation-admin role: the platform admin, the organisation's
    admins, and the network admin of the network that registered it while that network alone
    uses it."""
    if p.person_id is None:
        return False
    if p.platform_admin or is_organisation_admin(p, organisation_id):
        return True
    return (
        registered_by is not None
        and "network_admin" in p.roles_in(registered_by)
        and kept_by(registered_by, registered_by, users)
    )
