"""What a user does through the gateway's JSON API, as small building blocks for the tests.

Everything here goes over HTTP to `stack.http`; nothing reads a service's database.
"""

import datetime as dt
import random
import re
import time
import uuid
from dataclasses import dataclass, field

MUNICIPALITY = "71016"  # Genk
PASSWORD = "e2e-wachtwoord-voor-tests"  # noqa: S105 - people of a throwaway test stack
# The roles a test team holds, each given to a person of the team's partner organisation.
TEAM_ROLES = ("network_admin", "coordinator", "referrer", "case_manager", "partner_worker")


def kbo_number() -> str:
    """A fresh enterprise number with valid check digits (97 - first eight digits mod 97)."""
    base = random.randint(2_000_000, 19_999_999)  # noqa: S311 - uniqueness, not secrecy
    return f"{base:08d}{97 - base % 97:02d}"


@dataclass
class Team:
    """A network with one partner organisation and a signed-in person per role in it."""

    stack: object
    network: dict
    organisation: dict
    tokens: dict = field(default_factory=dict)
    people: dict = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.network["id"]

    def http(self, role: str, method: str, path: str, **kwargs):
        return self.stack.http(method, path, token=self.tokens[role], **kwargs)


def network_input(**overrides) -> dict:
    return {
        "name": f"Netwerk {uuid.uuid4().hex[:10]}",
        "kind": "RTJ",
        "region": "Limburg",
        "municipalities": [MUNICIPALITY],
        **overrides,
    }


def offer_input(organisation_id=None, **overrides) -> dict:
    return {
        **({"organisation_id": str(organisation_id)} if organisation_id else {}),
        "title": "Gezinscoaching",
        "kind": "family_coaching",
        "capacity": 12,
        "free_places": 4,
        "municipalities": [MUNICIPALITY],
        **overrides,
    }


def referral_input(offer_id, **overrides) -> dict:
    today = dt.date.today()
    return {
        "offer_id": str(offer_id),
        "source_sector": "ocmw",
        "municipality": MUNICIPALITY,
        "concern": "some",
        "question": "Het gezin vraagt ondersteuning bij de opvoeding.",
        "household": {
            "carers": [{"name": "An Peeters"}],
            "children": [
                {
                    "first_name": "Lotte",
                    "birth_date": today.replace(year=today.year - 7, day=1).isoformat(),
                }
            ],
        },
        "consent": {
            "given_by": "An Peeters",
            "given_on": today.isoformat(),
            "sharing": ["network_partners"],
        },
        **overrides,
    }


def poll(check, timeout: float, interval: float = 0.25, what="condition"):
    """Like wait_for, but an AssertionError from `check` fails at once instead of being retried:
    a check may say both "not yet" (falsy) and "never" (assert)."""
    deadline = time.monotonic() + timeout
    last = None
    while True:
        try:
            result = check()
        except AssertionError:
            raise
        except Exception as exc:  # e.g. a connection refused while something restarts
            last, result = exc, None
        if result:
            return result
        if time.monotonic() > deadline:
            what = what() if callable(what) else what
            raise AssertionError(f"{what} not reached within {timeout}s (last error: {last!r})")
        time.sleep(interval)


def expect(response, status: int) -> dict:
    assert response.status_code == status, (
        f"{response.request.method} {response.request.path_url}: expected {status}, got "
        f"{response.status_code}: {response.text[:500]}"
    )
    return response.json()


def create_network(stack, **overrides) -> dict:
    """A network made by the platform admin (nobody holds a role in it yet)."""
    return expect(
        stack.http(
            "POST", "/api/networks/", token=stack.admin_token, json=network_input(**overrides)
        ),
        201,
    )


def create_team(stack, roles=TEAM_ROLES, **network_overrides) -> Team:
    """What a network's first day looks like: the platform admin makes the network, adds a
    partner organisation and its people, grants each a role; each person signs in."""
    admin = stack.admin_token
    network = create_network(stack, **network_overrides)
    nid = network["id"]
    organisation = expect(
        stack.http(
            "POST",
            "/api/organisations",
            token=admin,
            json={
                "name": f"Huis van het Kind {uuid.uuid4().hex[:8]}",
                "kbo": kbo_number(),
                "sector": "huis_van_het_kind",
                "municipalities": [MUNICIPALITY],
            },
        ),
        201,
    )
    expect(
        stack.http(
            "POST",
            f"/api/networks/{nid}/memberships",
            token=admin,
            json={
                "organisation_id": organisation["id"],
                "role": "kernpartner",
                "starts_on": dt.date.today().isoformat(),
            },
        ),
        201,
    )
    team = Team(stack, network, organisation)
    for role in roles:
        email = f"{role}.{uuid.uuid4().hex[:8]}@verband.test"
        invited = invite(
            stack,
            admin,
            nid,
            {
                "name": f"{role.replace('_', ' ').title()} {nid[:4]}",
                "email": email,
                "organisation_id": organisation["id"],
                "roles": [role],
            },
        )
        opened = accept_as_new(stack, email)
        team.people[role] = {**invited, "id": opened["principal"]["person_id"]}
        team.tokens[role] = opened["token"]
    return team


def invite(stack, token: str, network_id: str, body: dict) -> dict:
    """An invitation into a network, sent by the holder of `token`."""
    return expect(
        stack.http("POST", f"/api/networks/{network_id}/invitations", token=token, json=body), 201
    )


def invitation_token(stack, email: str, timeout: float = 20) -> str:
    """The token of the newest invitation mailed to `email`, read where a test stack writes
    its mails (GET /api/test/mails: demo and test stacks only, platform admin)."""

    def mailed():
        r = stack.http("GET", "/api/test/mails", token=stack.admin_token, params={"to": email})
        r.raise_for_status()
        for mail in r.json():
            found = re.search(r"/uitnodiging#(\S+)", mail["body"])
            if found:
                return found.group(1)
        return None

    return poll(mailed, timeout, what=f"an invitation mailed to {email}")


def accept_as_new(stack, email: str, password: str = PASSWORD) -> dict:
    """Accept the invitation mailed to `email` as a new person; the answer holds a token."""
    token = invitation_token(stack, email)
    return expect(
        stack.http(
            "POST", "/api/invitations/accept-new", json={"token": token, "password": password}
        ),
        201,
    )


def publish_offer(team: Team, **overrides) -> dict:
    """An offer of the team's organisation, published by its coordinator."""
    return expect(
        team.http(
            "coordinator",
            "POST",
            f"/api/networks/{team.id}/offers",
            json=offer_input(team.organisation["id"], **overrides),
        ),
        201,
    )


def offer_not_known_yet(response) -> bool:
    """The answer cases gives while it has not yet learned the offer from partners' event."""
    if response.status_code != 422:
        return False
    fields = response.json().get("error", {}).get("fields", {})
    return "offer_id" in fields


def role_not_known_yet(response) -> bool:
    """The answer cases gives while it has not yet learned, from partners' role_granted
    event, that the referrer holds a role in the network: it knows nobody there yet."""
    return response.status_code == 404 and response.json()["error"]["code"] == "not_found"


def not_known_yet(response) -> bool:
    return offer_not_known_yet(response) or role_not_known_yet(response)


def refer_once_offer_known(
    team: Team, offer_id, timeout: float = 30, role: str = "referrer", **overrides
) -> dict:
    """POST a referral, retrying only while cases has not yet learned the offer or the
    referrer's role from partners' events. Any other refusal fails at once."""
    payload = referral_input(offer_id, **overrides)

    def attempt():
        r = team.http(role, "POST", f"/api/networks/{team.id}/referrals", json=payload)
        if r.status_code == 201:
            return r.json()
        assert not_known_yet(r), f"referral refused: {r.status_code} {r.text[:500]}"
        return None

    return poll(attempt, timeout, interval=0.2, what="cases knowing the offer and referrer")


def referral_count(team: Team) -> int:
    return expect(
        team.http("coordinator", "GET", f"/api/networks/{team.id}/indicators/referrals"), 200
    )["referrals"]


def wait_referral_count(team: Team, expected: int, timeout: float = 60) -> int:
    """Until reporting counts `expected` referrals; fails if it never does (or overshoots)."""
    seen = []

    def reached():
        n = referral_count(team)
        seen.append(n)
        assert n <= expected, f"reporting counts {n} referrals, more than the {expected} made"
        return n == expected

    poll(
        reached,
        timeout,
        what=lambda: f"reporting counting {expected} referrals (last seen {seen[-3:]})",
    )
    return expected


def portal_session(stack, email: str, password: str = PASSWORD):
    """A browser-like session signed in through the portal's form (cookie and CSRF token)."""
    import re

    import requests

    browser = requests.Session()
    form = browser.get(stack.base_url + "/aanmelden", timeout=15)
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)
    r = browser.post(
        stack.base_url + "/aanmelden",
        data={"csrf_token": token, "email": email, "password": password},
        timeout=15,
    )
    assert r.status_code == 200 and "/aanmelden" not in r.url, (r.status_code, r.url)
    return browser
