"""Attacks on identity, played through HTTP against the real stack by someone who holds a
valid account in one network and has read the code. Each must be refused and leave nothing
changed; the suite fails if any one is reopened.

The attack this suite began with: the coordinator of network A grants a person of network B
a role in A (the IROJ viewer role needed no membership), after which A's network admin reads
that person, sets their password and signs in as them - B's coordinator, with all of B's
families.
"""

import time
import uuid

import pytest

from verband_testkit.api import (
    PASSWORD,
    accept_as_new,
    create_team,
    expect,
    invitation_token,
    invite,
)


@pytest.fixture(scope="module")
def teams(stack):
    return create_team(stack), create_team(stack, region="Antwerpen")


def me(stack, token) -> dict:
    return expect(stack.http("GET", "/api/auth/me", token=token), 200)


def people_of(team) -> list[dict]:
    return expect(team.http("network_admin", "GET", f"/api/networks/{team.id}/people"), 200)


def test_a_coordinator_cannot_grant_a_person_of_another_network_a_role(stack, teams):
    a, b = teams
    victim = b.people["coordinator"]
    before_b = me(stack, b.tokens["coordinator"])
    before_a = people_of(a)
    path = f"/api/networks/{a.id}/people/{victim['id']}/roles"
    # The IROJ viewer role: only the network admin grants it.
    refused = a.http("coordinator", "POST", path, json={"role": "iroj_viewer"})
    assert refused.status_code == 403, refused.text
    # Any role, by the coordinator or the network admin: B's person is unknown in A.
    for role_holder in ("coordinator", "network_admin"):
        for role in ("iroj_viewer", "referrer", "coordinator"):
            r = a.http(role_holder, "POST", path, json={"role": role})
            if role_holder == "coordinator" and role == "iroj_viewer":
                continue
            assert r.status_code == 404, (role_holder, role, r.status_code, r.text[:200])
    assert me(stack, b.tokens["coordinator"]) == before_b
    assert people_of(a) == before_a


def test_a_person_of_another_network_is_not_found_by_id_or_by_email(stack, teams):
    a, b = teams
    victim = b.people["coordinator"]
    for role in a.tokens:
        by_id = a.http(role, "GET", f"/api/people/{victim['id']}")
        nobody = a.http(role, "GET", f"/api/people/{uuid.uuid4()}")
        assert by_id.status_code == nobody.status_code == 404, (role, by_id.text[:200])
        same = ("code", "message", "fields")
        assert {k: by_id.json()["error"].get(k) for k in same} == {
            k: nobody.json()["error"].get(k) for k in same
        }
    # Inviting B's coordinator's address answers exactly as a new address does.
    known = a.http(
        "network_admin",
        "POST",
        f"/api/networks/{a.id}/invitations",
        json={"name": "Wie ben jij", "email": victim["email"]},
    )
    fresh = a.http(
        "network_admin",
        "POST",
        f"/api/networks/{a.id}/invitations",
        json={"name": "Wie ben jij", "email": f"nieuw.{uuid.uuid4().hex[:8]}@verband.test"},
    )
    assert known.status_code == fresh.status_code == 201
    differing = {k for k in known.json() if known.json()[k] != fresh.json()[k]}
    assert differing <= {"id", "email", "created_at", "expires_at"}, differing
    assert set(known.headers) - {"Date", "X-Correlation-ID", "Content-Length"} == set(
        fresh.headers
    ) - {"Date", "X-Correlation-ID", "Content-Length"}
    # Invited is not joined: still nothing to read or grant.
    assert a.http("network_admin", "GET", f"/api/people/{victim['id']}").status_code == 404
    assert victim["id"] not in {p["id"] for p in people_of(a)}
    # The invitation's token went to the victim's mailbox; the attacker, signed in as
    # themselves, cannot accept it for the victim.
    token = invitation_token(stack, victim["email"])
    r = a.http("network_admin", "POST", "/api/invitations/accept", json={"token": token})
    assert r.status_code == 403, r.text
    r = stack.http(
        "POST", "/api/invitations/accept-new", json={"token": token, "password": "x" * 20}
    )
    assert r.status_code == 409, r.text  # the address has an account: only its owner accepts
    assert victim["id"] not in {p["id"] for p in people_of(a)}
    assert stack.login(victim["email"], PASSWORD)


def test_no_network_admin_sets_resets_or_changes_anothers_password_or_email(stack, teams):
    a, b = teams
    for victim_team, victim_role in ((a, "referrer"), (b, "coordinator")):
        victim = victim_team.people[victim_role]
        for method, path, body in (
            ("PUT", f"/api/people/{victim['id']}/password", {"password": "overgenomen-wachtwoord"}),
            ("POST", f"/api/people/{victim['id']}/password-reset", None),
            ("PATCH", f"/api/people/{victim['id']}", {"email": "aanvaller@verband.test"}),
            ("PUT", f"/api/people/{victim['id']}/email", {"email": "aanvaller@verband.test"}),
        ):
            r = a.http("network_admin", method, path, json=body)
            assert r.status_code in (403, 404, 405), (method, path, r.status_code, r.text[:200])
        # The own-password route changes only the caller's, and only with the current one.
        r = a.http(
            "network_admin",
            "PUT",
            "/api/me/password",
            json={"current_password": "geraden", "new_password": "overgenomen-wachtwoord"},
        )
        assert r.status_code == 422 and "current_password" in r.json()["error"]["fields"]
        # Nothing changed: the victim signs in as before, the attacker's password is not theirs.
        assert stack.login(victim["email"], PASSWORD)
        refused = stack.http(
            "POST",
            "/api/auth/login",
            json={"email": victim["email"], "password": "overgenomen-wachtwoord"},
        )
        assert refused.status_code == 401
        assert me(stack, victim_team.tokens[victim_role])["email"] == victim["email"]


def test_a_stranger_guessing_does_not_lock_the_real_person_out(stack, teams):
    a, b = teams
    victim = b.people["referrer"]
    statuses = []
    for _ in range(30):
        r = stack.http(
            "POST", "/api/auth/login", json={"email": victim["email"], "password": "geraden!"}
        )
        statuses.append(r.status_code)
    assert set(statuses) <= {401, 429} and 429 in statuses  # slowed down, growing
    # The real person: at most a short wait, then in.
    started = time.monotonic()
    for _ in range(5):
        r = stack.http(
            "POST", "/api/auth/login", json={"email": victim["email"], "password": PASSWORD}
        )
        if r.status_code == 200:
            break
        assert r.status_code == 429, r.text
        wait = int(r.json()["error"]["fields"]["retry_after"][0])
        assert wait <= 60
        time.sleep(wait + 0.2)
    assert r.status_code == 200, r.text
    assert time.monotonic() - started < 70


def test_line_breaks_in_names_and_addresses_are_refused_and_nothing_is_sent(stack, teams):
    a, _ = teams
    path = f"/api/networks/{a.id}/invitations"
    before = expect(a.http("network_admin", "GET", path), 200)
    for field, body in (
        ("name", {"name": "Jan\r\nBcc: iedereen@example.org", "email": "jan@verband.test"}),
        ("name", {"name": "Jan\nPeeters", "email": "jan@verband.test"}),
        ("email", {"name": "Jan", "email": "jan@verband.test\r\nBcc: iedereen@example.org"}),
    ):
        r = a.http("network_admin", "POST", path, json=body)
        assert r.status_code == 422, r.text
        assert field in r.json()["error"]["fields"], r.json()
    assert expect(a.http("network_admin", "GET", path), 200) == before
    r = stack.http(
        "GET", "/api/test/mails", token=stack.admin_token, params={"to": "jan@verband.test"}
    )
    assert r.json() == []


def test_an_invited_person_joins_only_the_network_that_invited_them(stack, teams):
    a, b = teams
    email = f"iroj.{uuid.uuid4().hex[:8]}@verband.test"
    # Only the network admin invites an IROJ viewer.
    r = a.http(
        "coordinator",
        "POST",
        f"/api/networks/{a.id}/invitations",
        json={"name": "IROJ", "email": email, "roles": ["iroj_viewer"]},
    )
    assert r.status_code == 403
    invite(
        stack,
        a.tokens["network_admin"],
        a.id,
        {"name": "IROJ", "email": email, "roles": ["iroj_viewer"]},
    )
    viewer = accept_as_new(stack, email)
    memberships = viewer["principal"]["memberships"]
    assert [(m["network_id"], m["roles"]) for m in memberships] == [(a.id, ["iroj_viewer"])]
    # An IROJ viewer reads published reports, not the network's people.
    r = stack.http("GET", f"/api/networks/{a.id}/people", token=viewer["token"])
    assert r.status_code == 403
    r = stack.http("GET", f"/api/networks/{b.id}/people", token=viewer["token"])
    assert r.status_code == 404
    # The network admin sees the invitation, acceptance and grant in the trail.
    trail = expect(a.http("network_admin", "GET", f"/api/networks/{a.id}/identity-trail"), 200)
    about = [e["kind"] for e in trail if e["target_person_id"] == viewer["principal"]["person_id"]]
    assert {"invitation_accepted", "role_granted", "signed_in"} <= set(about)
    # B's admin sees none of it.
    trail_b = expect(b.http("network_admin", "GET", f"/api/networks/{b.id}/identity-trail"), 200)
    assert viewer["principal"]["person_id"] not in {e["target_person_id"] for e in trail_b}
    r = b.http("network_admin", "GET", f"/api/networks/{a.id}/identity-trail")
    assert r.status_code == 404
