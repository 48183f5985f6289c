"""A network is the tenant: nothing of one network is visible or usable in another."""

import time

from verband_testkit.api import (
    create_network,
    expect,
    publish_offer,
    refer_once_offer_known,
    referral_count,
    referral_input,
    wait_referral_count,
)


def test_a_referral_to_another_networks_offer_is_refused_and_counts_for_neither(stack):
    a, b, c = create_network(stack), create_network(stack), create_network(stack)
    offer_a = publish_offer(stack, a["id"], title="Aanbod A")
    offer_b = publish_offer(stack, b["id"], title="Aanbod B")
    # Both offers known to cases, one referral in each network.
    refer_once_offer_known(stack, a["id"], offer_a["id"])
    refer_once_offer_known(stack, b["id"], offer_b["id"])

    # Network A's offer, referred to under network B (and under C): refused, naming offer_id.
    for net in (b, c):
        r = stack.http(
            "POST", f"/api/networks/{net['id']}/referrals", json=referral_input(offer_a["id"])
        )
        assert r.status_code == 422, r.text
        assert "offer_id" in r.json()["error"]["fields"]
    # ...and B's offer under A.
    r = stack.http("POST", f"/api/networks/{a['id']}/referrals", json=referral_input(offer_b["id"]))
    assert r.status_code == 422 and "offer_id" in r.json()["error"]["fields"], r.text

    # One more accepted referral in A, so that any late event has had its turn to arrive.
    expect(
        stack.http(
            "POST", f"/api/networks/{a['id']}/referrals", json=referral_input(offer_a["id"])
        ),
        201,
    )
    wait_referral_count(stack, a["id"], 2)
    wait_referral_count(stack, b["id"], 1)
    time.sleep(0.5)
    assert [referral_count(stack, n["id"]) for n in (a, b, c)] == [2, 1, 0]

    # Each network lists only its own offer.
    assert [o["id"] for o in expect(stack.http("GET", f"/api/networks/{a['id']}/offers"), 200)] == [
        offer_a["id"]
    ]
    assert [o["id"] for o in expect(stack.http("GET", f"/api/networks/{b['id']}/offers"), 200)] == [
        offer_b["id"]
    ]
    assert expect(stack.http("GET", f"/api/networks/{c['id']}/offers"), 200) == []
