"""Tried as an attacker with an account in one network would, through the real stack's HTTP
API: organisations that other networks use, and API tokens. Each attempt is refused and
leaves nothing changed; the suite fails if any one is reopened.

- a network admin rewrites an organisation shared with another network;
- a network links another network's organisation without its consent, or learns about the
  other network from an enterprise number that is already registered;
- a coordinator issues a network-admin token; a token is used on another network or as the
  platform admin;
- a token is used after its expiry, or after its issuer's role was revoked.
"""

import datetime as dt
import time

from verband_testkit.api import create_team, expect, kbo_number, referral_input

TODAY = dt.date.today().isoformat()
TERMS = {"role": "partner", "starts_on": TODAY}


def refused(response, *statuses: int) -> dict:
    assert response.status_code in statuses, (
        f"{response.request.method} {response.request.path_url}: expected {statuses}, got "
        f"{response.status_code}: {response.text[:300]}"
    )
    return response.json()


def organisations_of(team) -> list:
    listed = expect(team.http("coordinator", "GET", f"/api/networks/{team.id}/organisations"), 200)
    return sorted((o["id"], o["name"], o.get("profile")) for o in listed)


def tokens_of(team) -> list:
    return expect(team.http("network_admin", "GET", f"/api/networks/{team.id}/tokens"), 200)


def test_a_network_links_an_organisation_only_with_its_consent_and_never_rewrites_it(stack):
    a, b = create_team(stack), create_team(stack)
    org = a.organisation
    before_a, before_b = organisations_of(a), organisations_of(b)

    # B registers "its own" organisation with A's enterprise number: told it exists, no more.
    taken = {"name": "Overname", "kbo": org["kbo"], "sector": "caw", "network_id": b.id}
    said = refused(b.http("network_admin", "POST", "/api/organisations", json=taken), 409)
    assert set(said["error"]["fields"]) == {"kbo"} and "koppeling" in said["error"]["message"]
    for secret in (a.id, a.network["name"], org["id"], org["name"]):
        assert secret not in str(said)
    # B links A's organisation directly, or reads it: refused.
    membership = {"organisation_id": org["id"], **TERMS}
    refused(
        b.http("network_admin", "POST", f"/api/networks/{b.id}/memberships", json=membership), 403
    )
    refused(b.http("network_admin", "GET", f"/api/organisations/{org['id']}"), 404)
    # B asks for a link: only a request results.
    asked = expect(
        b.http(
            "network_admin",
            "POST",
            f"/api/networks/{b.id}/organisation-links",
            json={"kbo": org["kbo"], **TERMS, "message": "Samenwerken in Genk?"},
        ),
        201,
    )
    assert asked["status"] == "pending"
    assert (organisations_of(a), organisations_of(b)) == (before_a, before_b)
    # Nobody of either network decides for the organisation.
    decision = f"/api/organisation-links/{asked['id']}/decision"
    for team in (a, b):
        for role in ("network_admin", "coordinator"):
            r = team.http(role, "POST", decision, json={"decision": "accept"})
            refused(r, 404)
    assert (organisations_of(a), organisations_of(b)) == (before_a, before_b)

    # The platform admin names a person of the organisation its admin, who accepts.
    admin_person = a.people["partner_worker"]["id"]
    expect(
        stack.http(
            "POST",
            f"/api/organisations/{org['id']}/admins",
            token=stack.admin_token,
            json={"person_id": admin_person},
        ),
        200,
    )
    waiting = expect(a.http("partner_worker", "GET", "/api/organisation-links"), 200)
    assert [(r["id"], r["network_name"]) for r in waiting] == [(asked["id"], b.network["name"])]
    accepted = expect(a.http("partner_worker", "POST", decision, json={"decision": "accept"}), 200)
    assert accepted["status"] == "accepted"
    assert org["id"] in [o[0] for o in organisations_of(b)]

    # Shared now: neither network's admin nor coordinator rewrites it.
    shared_before = expect(a.http("partner_worker", "GET", f"/api/organisations/{org['id']}"), 200)
    for team in (a, b):
        for role in ("network_admin", "coordinator"):
            for change in ({"name": "Overgenomen"}, {"profile": "Overgenomen"}):
                r = team.http(role, "PATCH", f"/api/organisations/{org['id']}", json=change)
                refused(r, 403)
    after = expect(a.http("partner_worker", "GET", f"/api/organisations/{org['id']}"), 200)
    assert after == shared_before
    # Its own admin does.
    changed = expect(
        a.http(
            "partner_worker",
            "PATCH",
            f"/api/organisations/{org['id']}",
            json={"profile": "Gezinsondersteuning in Genk."},
        ),
        200,
    )
    assert changed["profile"] == "Gezinsondersteuning in Genk."


def test_a_token_never_carries_more_than_its_issuer_nor_reaches_another_network(stack):
    a, b = create_team(stack), create_team(stack)
    before = tokens_of(a)

    # A coordinator issues no network-admin token (nor one for a role they lack).
    for role in ("network_admin", "referrer"):
        r = a.http(
            "coordinator",
            "POST",
            f"/api/networks/{a.id}/tokens",
            json={"role": role, "label": "Meer dan ik"},
        )
        refused(r, 403)
    # Nobody issues one for another network.
    for role in a.tokens:
        r = a.http(role, "POST", f"/api/networks/{b.id}/tokens", json={"role": role, "label": "B"})
        refused(r, 404)
    assert tokens_of(a) == before and tokens_of(b) == []

    # A network admin's token of A: nothing of B, and no platform admin's power.
    issued = expect(
        a.http(
            "network_admin",
            "POST",
            f"/api/networks/{a.id}/tokens",
            json={"role": "network_admin", "label": "Beheer A"},
        ),
        201,
    )
    assert issued["expires_at"] and issued["state"] == "active"
    secret = issued["token"]
    b_before = organisations_of(b)
    for method, path, body in (
        ("GET", f"/api/networks/{b.id}", None),
        ("GET", f"/api/networks/{b.id}/people", None),
        ("GET", f"/api/networks/{b.id}/organisations", None),
        ("POST", f"/api/networks/{b.id}/referrals", referral_input(b.organisation["id"])),
        ("POST", f"/api/networks/{b.id}/tokens", {"role": "referrer", "label": "B"}),
        ("PATCH", f"/api/organisations/{b.organisation['id']}", {"profile": "Van A"}),
    ):
        r = stack.http(method, path, token=secret, json=body)
        refused(r, 403, 404)
    network = {"name": "Eigen netwerk", "kind": "RTJ", "region": "Limburg"}
    refused(stack.http("POST", "/api/networks/", token=secret, json=network), 403)
    # A token issues no token either.
    r = stack.http(
        "POST",
        f"/api/networks/{a.id}/tokens",
        token=secret,
        json={"role": "referrer", "label": "Doorgegeven"},
    )
    refused(r, 403)
    assert organisations_of(b) == b_before and tokens_of(b) == []
    assert [t["id"] for t in tokens_of(a)] == [issued["id"]]


def test_a_token_is_refused_after_its_expiry(stack):
    a = create_team(stack)
    expires = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=3)
    issued = expect(
        a.http(
            "referrer",
            "POST",
            f"/api/networks/{a.id}/tokens",
            json={"role": "referrer", "label": "Kort", "expires_at": expires.isoformat()},
        ),
        201,
    )
    assert dt.datetime.fromisoformat(issued["expires_at"]) == expires
    path = f"/api/networks/{a.id}/organisations"
    expect(stack.http("GET", path, token=issued["token"]), 200)
    time.sleep(max(0.0, (expires - dt.datetime.now(dt.UTC)).total_seconds()) + 0.5)
    refused(stack.http("GET", path, token=issued["token"]), 401)
    refused(stack.http("GET", "/api/auth/me", token=issued["token"]), 401)
    # Longer than the maximum lifetime: refused, nothing issued.
    late = dt.datetime.now(dt.UTC) + dt.timedelta(days=400)
    r = a.http(
        "referrer",
        "POST",
        f"/api/networks/{a.id}/tokens",
        json={"role": "referrer", "label": "Eeuwig", "expires_at": late.isoformat()},
    )
    assert "expires_at" in refused(r, 422)["error"]["fields"]
    listed = expect(a.http("referrer", "GET", f"/api/networks/{a.id}/tokens"), 200)
    assert [(t["id"], t["state"]) for t in listed] == [(issued["id"], "expired")]


def test_a_token_dies_with_its_issuers_role(stack):
    a = create_team(stack)
    issued = expect(
        a.http(
            "coordinator",
            "POST",
            f"/api/networks/{a.id}/tokens",
            json={"role": "coordinator", "label": "Planning"},
        ),
        201,
    )
    path = f"/api/networks/{a.id}/organisations"
    expect(stack.http("GET", path, token=issued["token"]), 200)
    coordinator = a.people["coordinator"]["id"]
    roles = f"/api/networks/{a.id}/people/{coordinator}/roles"
    expect(a.http("network_admin", "DELETE", f"{roles}/coordinator"), 200)
    # At once: the partners service checks the issuer's role at every use.
    refused(stack.http("GET", path, token=issued["token"]), 401)
    # The role granted again does not bring the token back.
    expect(a.http("network_admin", "POST", roles, json={"role": "coordinator"}), 200)
    refused(stack.http("GET", path, token=issued["token"]), 401)
    # Whatever the token tried changed nothing.
    r = stack.http(
        "PATCH",
        f"/api/organisations/{a.organisation['id']}",
        token=issued["token"],
        json={"profile": "Na intrekking"},
    )
    refused(r, 401)
    listed = tokens_of(a)
    assert [(t["id"], t["state"]) for t in listed] == [(issued["id"], "issuer_lost_role")]
    org = expect(a.http("coordinator", "GET", f"/api/organisations/{a.organisation['id']}"), 200)
    assert org["profile"] == a.organisation["profile"]


def test_a_network_registers_its_own_new_organisation_and_keeps_it_alone(stack):
    """The other side of the rules: what a network may do without asking anyone."""
    a = create_team(stack)
    body = {
        "name": "CGG Genk",
        "kbo": kbo_number(),
        "sector": "cgg",
        "network_id": a.id,
    }
    made = expect(a.http("coordinator", "POST", "/api/organisations", json=body), 201)
    expect(
        a.http(
            "coordinator",
            "POST",
            f"/api/networks/{a.id}/memberships",
            json={"organisation_id": made["id"], **TERMS},
        ),
        201,
    )
    changed = expect(
        a.http(
            "coordinator", "PATCH", f"/api/organisations/{made['id']}", json={"name": "CGG LITP"}
        ),
        200,
    )
    assert changed["name"] == "CGG LITP"
