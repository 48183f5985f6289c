"""Notifications through the real stack: a crisis referral warns every coordinator of the
network at once, in the inbox and by one mail over real SMTP (stack.smtp), and no one else;
the referrer reads the triage outcome in the inbox. No notification names the family."""

import time

from verband_testkit.api import (
    accept_as_new,
    create_team,
    expect,
    invite,
    poll,
    publish_offer,
    refer_once_offer_known,
)


def inbox(team_or_stack, token) -> dict:
    stack = getattr(team_or_stack, "stack", team_or_stack)
    return expect(stack.http("GET", "/api/me/notifications", token=token), 200)


def kinds(stack, token) -> list[str]:
    return [n["kind"] for n in inbox(stack, token)["notifications"]]


def test_a_crisis_referral_warns_each_coordinator_once_and_the_referrer_hears_of_triage(stack):
    team = create_team(stack, roles=("coordinator", "referrer", "partner_worker"))
    email = f"tweede.coordinator.{team.id[:8]}@verband.test"
    invite(
        stack,
        stack.admin_token,
        team.id,
        {
            "name": "Tweede coördinator",
            "email": email,
            "organisation_id": team.organisation["id"],
            "roles": ["coordinator"],
        },
    )
    coordinators = {
        team.people["coordinator"]["email"]: team.tokens["coordinator"],
        email: accept_as_new(stack, email)["token"],
    }
    elsewhere = create_team(stack, roles=("coordinator",))
    offer = publish_offer(team)

    receipt = refer_once_offer_known(team, offer["id"], urgency="urgent_dangerous")
    case_id = receipt["case_id"]

    for address, token in coordinators.items():
        told = poll(
            lambda token=token: inbox(stack, token)["notifications"],
            60,
            what=f"the crisis notification of {address}",
        )
        [crisis] = told
        assert crisis["kind"] == "crisis_referral" and crisis["urgent"] is True
        assert crisis["title"] == f"Nieuwe crisisaanmelding in {team.network['name']}"
        assert crisis["link"] == f"/dossiers/{case_id}"
        header = expect(stack.http("GET", "/api/me/notifications/unread", token=token), 200)
        assert header["unread"] == 1 and header["crisis"]["id"] == crisis["id"]
        [mail] = poll(lambda address=address: stack.smtp.to(address), 60, what="the crisis mail")
        assert "crisisaanmelding" in mail["Subject"].lower()
        text = mail.get_body(("plain",)).get_content()
        assert f"/dossiers/{case_id}" in text
        # Neither the carer's nor the child's name, in the inbox or the mail.
        for name in ("Peeters", "Lotte"):
            assert name not in text and name not in str(crisis)

    # Long enough for a second mail or a "new referral" to show, were there to be one.
    time.sleep(4)
    for address, token in coordinators.items():
        assert len(stack.smtp.to(address)) == 1, address
        assert kinds(stack, token) == ["crisis_referral"]
    # Another network's coordinator and the partner worker are told nothing.
    assert kinds(stack, elsewhere.tokens["coordinator"]) == []
    assert stack.smtp.to(elsewhere.people["coordinator"]["email"]) == []
    assert kinds(stack, team.tokens["partner_worker"]) == []
    assert stack.smtp.to(team.people["partner_worker"]["email"]) == []

    # The coordinator triages: the referrer reads the outcome in the inbox.
    expect(
        team.http(
            "coordinator",
            "POST",
            f"/api/cases/{case_id}/triage",
            json={
                "decision": "waiting_list",
                "reason": "Crisis opgevangen; nu op de wachtlijst voor gezinscoaching.",
                "offer_ids": [offer["id"]],
            },
        ),
        200,
    )
    [triaged] = poll(
        lambda: inbox(stack, team.tokens["referrer"])["notifications"],
        60,
        what="the referrer told of the triage",
    )
    assert triaged["kind"] == "referral_triaged"
    # Her follow-up, which she may open (the case page is for the family's workers).
    assert triaged["link"] == f"/mijn-aanmeldingen#aanmelding-{case_id}"
    assert "wachtlijst" in triaged["body"]
    # The offer's organisation hears that a family waits on its list.
    poll(
        lambda: kinds(stack, team.tokens["partner_worker"]) == ["waiting_list_added"],
        60,
        what="the partner worker told of the waiting list",
    )

    # Read: the count and the banner's crisis are gone.
    token = team.tokens["coordinator"]
    marked = expect(
        stack.http("POST", "/api/me/notifications/read", token=token, json={"all": True}), 200
    )
    assert marked["unread"] == 0
    header = expect(stack.http("GET", "/api/me/notifications/unread", token=token), 200)
    assert header == {"unread": 0, "crisis": None}
