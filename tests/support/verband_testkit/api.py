"""What a user does through the gateway's JSON API, as small building blocks for the tests.

Everything here goes over HTTP to `stack.http`; nothing reads a service's database.
"""

import datetime as dt
import time
import uuid

MUNICIPALITY = "71016"  # Genk


def network_input(**overrides) -> dict:
    return {
        "name": f"Netwerk {uuid.uuid4().hex[:10]}",
        "kind": "RTJ",
        "region": "Limburg",
        **overrides,
    }


def offer_input(**overrides) -> dict:
    return {
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
    return expect(stack.http("POST", "/api/networks/", json=network_input(**overrides)), 201)


def publish_offer(stack, network_id, **overrides) -> dict:
    return expect(
        stack.http("POST", f"/api/networks/{network_id}/offers", json=offer_input(**overrides)), 201
    )


def offer_not_known_yet(response) -> bool:
    """The answer cases gives while it has not yet learned the offer from partners' event."""
    if response.status_code != 422:
        return False
    fields = response.json().get("error", {}).get("fields", {})
    return "offer_id" in fields


def refer_once_offer_known(stack, network_id, offer_id, timeout: float = 30, **overrides) -> dict:
    """POST a referral, retrying while cases answers 422 on offer_id (event not yet applied).

    Any other refusal fails at once: only the eventual consistency of the offer is waited for.
    """
    payload = referral_input(offer_id, **overrides)

    def attempt():
        r = stack.http("POST", f"/api/networks/{network_id}/referrals", json=payload)
        if r.status_code == 201:
            return r.json()
        assert offer_not_known_yet(r), f"referral refused: {r.status_code} {r.text[:500]}"
        return None

    return poll(attempt, timeout, interval=0.2, what="cases knowing the offer")


def referral_count(stack, network_id) -> int:
    return expect(stack.http("GET", f"/api/networks/{network_id}/indicators/referrals"), 200)[
        "referrals"
    ]


def wait_referral_count(stack, network_id, expected: int, timeout: float = 60) -> int:
    """Until reporting counts `expected` referrals; fails if it never does (or overshoots)."""
    seen = []

    def reached():
        n = referral_count(stack, network_id)
        seen.append(n)
        assert n <= expected, f"reporting counts {n} referrals, more than the {expected} made"
        return n == expected

    poll(
        reached,
        timeout,
        what=lambda: f"reporting counting {expected} referrals (last seen {seen[-3:]})",
    )
    return expected
