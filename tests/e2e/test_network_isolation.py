"""A network is the tenant: nothing of one network is visible or usable in another."""

import time

from verband_testkit.api import (
    create_team,
    expect,
    publish_offer,
    refer_once_offer_known,
    referral_count,
    referral_input,
    wait_referral_count,
)


def test_a_referral_to_another_networks_offer_is_refused_and_counts_for_neither(stack):
    a, b, c = create_team(stack), create_team(stack), create_team(stack)
    offer_a = publish_offer(a, title="Aanbod A")
    offer_b = publish_offer(b, title="Aanbod B")
    # Both offers known to cases, one referral in each network.
    refer_once_offer_known(a, offer_a["id"])
    refer_once_offer_known(b, offer_b["id"])

    # Network A's offer, referred to under network B: refused, naming offer_id.
    r = b.http(
        "referrer", "POST", f"/api/networks/{b.id}/referrals", json=referral_input(offer_a["id"])
    )
    assert r.status_code == 422, r.text
    assert "offer_id" in r.json()["error"]["fields"]
    # ...and B's offer under A.
    r = a.http(
        "referrer", "POST", f"/api/networks/{a.id}/referrals", json=referral_input(offer_b["id"])
    )
    assert r.status_code == 422 and "offer_id" in r.json()["error"]["fields"], r.text

    # One more accepted referral in A, so that any late event has had its turn to arrive.
    expect(
        a.http(
            "referrer",
            "POST",
            f"/api/networks/{a.id}/referrals",
            json=referral_input(offer_a["id"]),
        ),
        201,
    )
    wait_referral_count(a, 2)
    wait_referral_count(b, 1)
    time.sleep(0.5)
    assert [referral_count(n) for n in (a, b, c)] == [2, 1, 0]

    # Each network lists only its own offer.
    for team, offer in ((a, offer_a), (b, offer_b)):
        listed = expect(team.http("referrer", "GET", f"/api/networks/{team.id}/offers"), 200)
        assert [o["id"] for o in listed] == [offer["id"]]
    assert expect(c.http("referrer", "GET", f"/api/networks/{c.id}/offers"), 200) == []


def test_nobody_reads_or_changes_another_networks_data(stack):
    # Two networks in different regions: no offer is shared between them either.
    a, b = create_team(stack), create_team(stack, region="Antwerpen")
    offer_b = publish_offer(b, title="Aanbod B")
    for role in a.tokens:
        for method, path, body in (
            ("GET", f"/api/networks/{b.id}", None),
            ("GET", f"/api/networks/{b.id}/organisations", None),
            ("GET", f"/api/networks/{b.id}/people", None),
            ("GET", f"/api/networks/{b.id}/agreements", None),
            ("GET", f"/api/networks/{b.id}/indicators/referrals", None),
            ("GET", f"/api/networks/{b.id}/hsds.json", None),
            ("POST", f"/api/networks/{b.id}/referrals", referral_input(offer_b["id"])),
            ("PATCH", f"/api/offers/{offer_b['id']}", {"free_places": 0}),
            (
                "POST",
                f"/api/networks/{b.id}/people/{b.people['referrer']['id']}/roles",
                {"role": "coordinator"},
            ),
        ):
            r = a.http(role, method, path, json=body)
            # Another network is answered as if it did not exist.
            assert r.status_code == 404, (role, method, path, r.status_code, r.text[:200])
    # Nothing changed in B.
    assert expect(b.http("coordinator", "GET", f"/api/offers/{offer_b['id']}"), 200) == offer_b
    people = expect(b.http("coordinator", "GET", f"/api/networks/{b.id}/people"), 200)
    referrer = next(p for p in people if p["id"] == b.people["referrer"]["id"])
    assert referrer["roles"] == ["referrer"]


def test_offer_is_open_to_the_region_but_only_its_network_changes_it(stack):
    a, b = create_team(stack), create_team(stack)  # both in Limburg
    offer_b = publish_offer(b, title="Gezinscoaching in de regio")
    # A referrer of A finds B's offer in the region's catalogue...
    found = expect(a.http("referrer", "GET", "/api/offers/search"), 200)
    assert offer_b["id"] in [o["id"] for o in found]
    # ...but nobody of A changes it, and B's people and cases stay out of sight.
    for role in a.tokens:
        r = a.http(role, "PATCH", f"/api/offers/{offer_b['id']}", json={"free_places": 0})
        assert r.status_code in (403, 404), (role, r.status_code, r.text[:200])
        r = a.http(role, "GET", f"/api/networks/{b.id}/people")
        assert r.status_code == 404, (role, r.status_code)
    assert expect(b.http("coordinator", "GET", f"/api/offers/{offer_b['id']}"), 200) == offer_b
