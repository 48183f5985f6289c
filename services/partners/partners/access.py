"""Loads the acting principal from the service's own data and turns access decisions of the
domain into the errors callers see."""

import datetime as dt

from partners import store
from partners.domain import tokens
from partners.domain.access import Principal, can_read_network
from verband_common.errors import Forbidden, NotFound, Unauthenticated

NETWORK_NOT_FOUND = ("Dit netwerk bestaat niet.", {"network_id": ["Onbekend netwerk."]})
NOT_STANDING = "Deze API-sleutel is niet (meer) geldig."


def standing_token(db, token_id=None, token_hash=None) -> dict:
    """The token, if it stands now: not revoked, not expired, and its issuer still holds a
    role that backs it (checked at every use, so revoking that role ends it at once)."""
    token = store.api_token(db, token_id=token_id, token_hash=token_hash)
    if token is None or tokens.state(token, dt.datetime.now(dt.UTC)) != tokens.ACTIVE:
        raise Unauthenticated(NOT_STANDING)
    return token


def load_principal(db, actor) -> Principal:
    """The principal behind an actor reference; Unauthenticated when there is none."""
    if actor is None:
        raise Unauthenticated("Meld je aan om verder te gaan.")
    if actor.kind == "token":
        token = standing_token(db, token_id=actor.id)
        return Principal(
            actor=str(actor),
            person_id=None,
            roles={token["network_id"]: frozenset({token["role"]})},
            regions={token["network_id"]: token["region"]},
        )
    person = store.get_person(db, actor.id)
    if person is None:
        raise Unauthenticated("Meld je aan om verder te gaan.")
    roles, regions = {}, {}
    for r in store.person_roles(db, person["id"]):
        roles.setdefault(r["network_id"], set()).add(r["role"])
        regions[r["network_id"]] = r["region"]
    return Principal(
        actor=str(actor),
        person_id=person["id"],
        organisation_id=person["organisation_id"],
        platform_admin=person["platform_admin"],
        roles={n: frozenset(r) for n, r in roles.items()},
        regions=regions,
        administers=store.administered_by(db, person["id"]),
    )


def readable_network(db, principal: Principal, network_id) -> dict:
    """The network, if the principal may read its directory. A network it has no role in
    is answered as unknown: its existence is not revealed."""
    network = store.get_network(db, network_id)
    if network is None or not can_read_network(principal, network_id):
        raise NotFound(*NETWORK_NOT_FOUND)
    return network


def require(allowed: bool, message: str = "Je hebt hiervoor niet de nodige rol in dit netwerk."):
    if not allowed:
        raise Forbidden(message)
