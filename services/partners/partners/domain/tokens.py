"""API tokens: how long one lives, which role it may carry, and whether it still stands.

A token speaks for its issuer in one network with one role, and never for more than the
issuer holds: its role is one the issuer held there when issuing, or any role a network
admin may grant when the issuer is that network's admin (or the platform admin). It stands
only while the issuer keeps, without interruption since the issue, a role that backs it:
revoking that role ends the token at once, and granting the role again later does not
bring it back. Only people issue tokens; a token never issues another.
"""

import datetime as dt

from partners.domain.access import Principal, can_grant
from verband_common.roles import NETWORK_ROLES
from verband_common.schemas.partners import TOKEN_STATES

DEFAULT_MAX_LIFETIME_DAYS = 90
# What a client's clock may be ahead when it asks for the longest lifetime.
LEEWAY = dt.timedelta(minutes=5)

ACTIVE, EXPIRED, REVOKED, ISSUER_GONE = TOKEN_STATES


def may_issue(p: Principal, network_id, role: str) -> bool:
    """Whether this principal may issue a token with `role` in the network."""
    if p.person_id is None or role not in NETWORK_ROLES:
        # The guest role opens only the meetings its holder is invited to, and a token
        # reaches no meeting (meetings knows no token): a guest token would grant nothing.
        return False
    if p.platform_admin:
        return True
    held = p.roles_in(network_id)
    if role in held:
        return True
    return "network_admin" in held and can_grant(p, network_id, role)


def may_manage(p: Principal, network_id, issuer_id) -> bool:
    """List or revoke a token: its issuer, the network's admin, the platform admin."""
    if p.person_id is None:
        return False
    return p.platform_admin or "network_admin" in p.roles_in(network_id) or p.person_id == issuer_id


def expiry(
    requested: dt.datetime | None, now: dt.datetime, max_days: int
) -> tuple[dt.datetime | None, str | None]:
    """(expires_at, problem): the longest lifetime when none is asked for; a moment in the
    past or beyond the maximum lifetime is a problem (a Dutch sentence)."""
    longest = now + dt.timedelta(days=max_days)
    if requested is None:
        return longest, None
    if requested <= now:
        return None, "Kies een moment in de toekomst."
    if requested > longest + LEEWAY:
        return None, f"Een API-sleutel is hoogstens {max_days} dagen geldig."
    return min(requested, longest), None


def backed(role: str, issuer_exists: bool, issuer_platform_admin: bool, held_since_issue) -> bool:
    """Whether the issuer still backs a token with `role`: `held_since_issue` are the roles
    the issuer holds in the token's network and held already when the token was issued."""
    if not issuer_exists:
        return False
    if issuer_platform_admin:
        return True
    held = set(held_since_issue or ())
    return role in held or "network_admin" in held


def state(token: dict, now: dt.datetime) -> str:
    """One of STATES for a token row as the store reads it (with its issuer's standing)."""
    if token["revoked_at"] is not None:
        return REVOKED
    if token["expires_at"] <= now:
        return EXPIRED
    if not backed(
        token["role"],
        token["issuer_exists"],
        token["issuer_platform_admin"],
        token["issuer_roles"],
    ):
        return ISSUER_GONE
    return ACTIVE
