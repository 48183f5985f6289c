"""Notices that time passing raises, through the real stack: a referral whose one-month
clock has passed (its received date set back in cases' database, as if a month went by)
is told to the network's coordinator by cases' sweep, in the inbox and by one mail over real
SMTP; the sweep run again tells no one twice; another network's coordinator hears nothing.
The sweep runs every hour; the test calls it over the broker as an operator would."""

import time

from nameko.standalone.rpc import ClusterRpcProxy

from verband_testkit.api import create_team, expect, poll, publish_offer, refer_once_offer_known


def inbox(stack, token) -> list[dict]:
    return expect(stack.http("GET", "/api/me/notifications", token=token), 200)["notifications"]


def sweep(stack) -> dict:
    with ClusterRpcProxy({"AMQP_URI": stack.broker.amqp_uri}, timeout=30) as proxy:
        return proxy.cases.sweep_due_notices()


def test_a_referral_past_the_one_month_guideline_is_told_to_its_coordinator_once(stack):
    team = create_team(stack, roles=("coordinator", "referrer"))
    elsewhere = create_team(stack, roles=("coordinator",))
    offer = publish_offer(team)
    case_id = refer_once_offer_known(team, offer["id"])["case_id"]
    coordinator = team.tokens["coordinator"]
    address = team.people["coordinator"]["email"]
    poll(
        lambda: [n for n in inbox(stack, coordinator) if n["kind"] == "new_referral"],
        60,
        what="the new referral told",
    )

    # As if the referral came in 40 days ago: past the 30-day guideline, not picked up.
    [moved] = stack.sql(
        "cases",
        "UPDATE referrals SET received_at = received_at - interval '40 days' WHERE id = %s"
        " RETURNING id",
        (case_id,),
    )
    assert str(moved["id"]) == case_id
    first = sweep(stack)
    assert first["swept"] and first["raised"]["pickup_guideline"] >= 1

    def guideline_notices():
        return [n for n in inbox(stack, coordinator) if n["kind"] == "pickup_guideline_due"]

    [notice] = poll(guideline_notices, 60, what="the guideline notice in the inbox")
    assert notice["title"] == f"Aanmelding over de termijn van een maand in {team.network['name']}"
    assert notice["link"] == f"/dossiers/{case_id}"

    def guideline_mails():
        return [m for m in stack.smtp.to(address) if "termijn van een maand" in m["Subject"]]

    [mail] = poll(guideline_mails, 60, what="the guideline mail")
    text = mail.get_body(("plain",)).get_content()
    assert f"/dossiers/{case_id}" in text
    for name in ("Peeters", "Lotte"):  # the family of the test referral: never named
        assert name not in text and name not in str(notice)

    # The next round raises nothing for this referral: still one notice, one mail.
    assert sweep(stack)["raised"]["pickup_guideline"] == 0
    time.sleep(4)
    assert len(guideline_notices()) == 1 and len(guideline_mails()) == 1
    # The other network's coordinator is told nothing of it.
    other = elsewhere.tokens["coordinator"]
    assert [n for n in inbox(stack, other) if n["kind"] == "pickup_guideline_due"] == []
    assert stack.smtp.to(elsewhere.people["coordinator"]["email"]) == []
