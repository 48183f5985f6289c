"""Input a careless client or a fuzzer sends, through the real gateway and services: no
answer is a server error, and nothing is half written.

- A follow-up of an agreement without the optional count once answered 502 yet was stored,
  after which the network's agreements answered 502 for everyone.
- Text with NUL or a lone surrogate is 422 naming the field, and writes nothing.
- JSON nested thousands of levels deep is 400.
"""

import json

import pytest

from verband_testkit.api import create_team, expect, publish_offer, referral_input

AGREEMENT = {
    "title": "Volumeafspraak OCJ",
    "kind": "mandated_body",
    "parties": [{"name": "OCJ Limburg"}],
    "starts_on": "2026-01-01",
    "agreed_number": 12,
    "used_number": 3,
}


@pytest.fixture(scope="module")
def team(stack):
    return create_team(stack)


def test_a_follow_up_without_a_count_keeps_the_agreements_readable(team):
    agreements = f"/api/networks/{team.id}/agreements"
    recorded = expect(team.http("coordinator", "POST", agreements, json=AGREEMENT), 201)
    followed = expect(
        team.http(
            "coordinator",
            "POST",
            f"/api/agreements/{recorded['id']}/follow-ups",
            json={"held_on": "2026-03-01", "notes": "Geen nieuwe cijfers."},
        ),
        201,
    )
    assert followed["used_number"] == 3
    assert [f["used_number"] for f in followed["follow_ups"]] == [None]
    for role in ("coordinator", "network_admin"):
        listed = expect(team.http(role, "GET", agreements), 200)
        assert [a["id"] for a in listed] == [recorded["id"]]
    updated = expect(
        team.http(
            "coordinator", "PATCH", f"/api/agreements/{recorded['id']}", json={"status": "ended"}
        ),
        200,
    )
    assert updated["status"] == "ended" and len(updated["follow_ups"]) == 1


@pytest.mark.parametrize("bad", ["\x00", "\ud800"], ids=["nul", "lone-surrogate"])
def test_text_with_nul_or_a_lone_surrogate_is_422_and_writes_nothing(team, bad):
    offer = publish_offer(team)
    cases = f"/api/networks/{team.id}/cases"
    before = expect(team.http("coordinator", "GET", cases), 200)
    body = referral_input(offer["id"], question=f"Hulp{bad}bij de opvoeding.")
    response = team.http(
        "referrer",
        "POST",
        f"/api/networks/{team.id}/referrals",
        data=json.dumps(body),  # ASCII-escaped, as a client can send a lone surrogate
        headers={"Content-Type": "application/json"},
    )
    error = expect(response, 422)["error"]
    assert error["code"] == "validation_failed" and "question" in error["fields"]
    assert expect(team.http("coordinator", "GET", cases), 200) == before


def test_json_nested_thousands_deep_is_400(team):
    deep = '{"title": ' + "[" * 5000 + "]" * 5000 + "}"
    response = team.http(
        "coordinator",
        "POST",
        f"/api/networks/{team.id}/agreements",
        data=deep,
        headers={"Content-Type": "application/json"},
    )
    assert expect(response, 400)["error"]["code"] == "bad_request"
