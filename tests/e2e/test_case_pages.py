"""A family's way through the portal pages, as the people of a network click through them on
the real stack: the referrer fills in the referral form (a mistake stays next to its field,
nothing is stored), the coordinator triages from the waiting-list board, the partner
worker logs a warm contact from the caseload, the contact point is given and the plan
written; the referrer follows up, and someone of another network does not find the case."""

import datetime as dt
import re

from verband_testkit.api import create_team, poll, portal_session, publish_offer

TODAY = dt.date.today()
QUESTION = "We willen terug rust in huis, de ochtenden lopen telkens vast."


def be(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def token_of(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def field_error(html: str, name: str) -> str:
    found = re.search(rf'<span class="field-error" id="e-{re.escape(name)}">([^<]*)</span>', html)
    return found.group(1) if found else ""


def signed_in(team, role):
    return portal_session(team.stack, team.people[role]["email"])


def referral_form(token, offer_id, **over):
    form = {
        "csrf_token": token,
        "action": "send",
        "carer_rows": "1",
        "child_rows": "2",
        "carer_name_0": "Sofie Claes",
        "child_first_name_0": "Mila",
        "child_birth_date_0": be(TODAY.replace(year=TODAY.year - 6, day=1)),
        "municipality": "71016",
        "question": QUESTION,
        "concern": "serious",
        "life_domains": ["housing", "parenting"],
        "urgency": "normal",
        "source_sector": "ocmw",
        "offers": offer_id,
        "consent_given": "yes",
        "consent_given_by": "Sofie Claes",
        "consent_given_on": be(TODAY),
        "sharing": ["network_partners", "referrer_follow_up"],
    }
    form.update(over)
    return form


def test_a_family_through_the_portal_pages(stack):
    team = create_team(stack)
    offer = publish_offer(team, title="Gezinscoaching Genk")
    url = stack.base_url

    # The referrer: a birth date in the future is refused next to its field, the form keeps
    # what was typed and nothing is stored.
    referrer = signed_in(team, "referrer")
    form_page = referrer.get(url + "/gezin-aanmelden", timeout=15)
    assert form_page.status_code == 200, form_page.text[:500]
    token = token_of(form_page.text)
    future = referrer.post(
        url + "/gezin-aanmelden",
        data=referral_form(token, offer["id"], child_birth_date_0=be(TODAY + dt.timedelta(days=5))),
        timeout=15,
    )
    assert future.status_code == 422
    assert field_error(future.text, "child_birth_date_0")
    assert QUESTION in future.text
    none = referrer.get(url + "/mijn-aanmeldingen", timeout=15)
    assert "Sofie Claes" not in none.text

    # Sent once cases knows the offer (partners' event); then followed up.
    def send():
        r = referrer.post(
            url + "/gezin-aanmelden", data=referral_form(token, offer["id"]), timeout=15
        )
        if r.status_code == 422 and "Onbekend aanbod" in field_error(r.text, "offers"):
            return None
        assert r.status_code == 200 and r.url.endswith("/mijn-aanmeldingen"), (
            r.status_code,
            r.text[:800],
        )
        return r

    sent = poll(send, 30, interval=0.5, what="cases knowing the offer")
    assert "Sofie Claes" in sent.text and "Aangemeld, wacht op triage" in sent.text

    # The coordinator sees the referral to triage on the board, refuses a decision without
    # a reason, then puts the family on the offer's warm waiting list.
    coordinator = signed_in(team, "coordinator")
    board = coordinator.get(url + f"/wachtlijst?aanbod={offer['id']}", timeout=15)
    assert board.status_code == 200, board.text[:500]
    case_id = re.search(r'href="/dossiers/([0-9a-f-]{36})/triage"', board.text).group(1)
    triage_url = url + f"/dossiers/{case_id}/triage"
    triage = coordinator.get(triage_url, timeout=15)
    assert QUESTION in triage.text
    no_reason = coordinator.post(
        triage_url,
        data={
            "csrf_token": token_of(triage.text),
            "decision": "waiting_list",
            "offer_ids": offer["id"],
        },
        timeout=15,
    )
    assert no_reason.status_code == 422 and field_error(no_reason.text, "reason")
    decided = coordinator.post(
        triage_url,
        data={
            "csrf_token": token_of(triage.text),
            "decision": "waiting_list",
            "offer_ids": offer["id"],
            "reason": "Past bij gezinscoaching; nu geen plaats voor dit profiel.",
        },
        timeout=15,
    )
    assert decided.status_code == 200 and decided.url.endswith(f"/dossiers/{case_id}")
    board = coordinator.get(url + f"/wachtlijst?aanbod={offer['id']}", timeout=15)
    assert "Sofie Claes" in board.text and "ernstige zorg" in board.text.lower()
    assert "4 vrije plaatsen van 12" in board.text

    # The offer's partner worker logs a warm contact from the caseload; one dated before the
    # referral is refused next to its field on the case page.
    worker = signed_in(team, "partner_worker")

    def listed():
        page = worker.get(url + "/caseload", timeout=15)
        return page if "Sofie Claes" in page.text else None

    caseload = poll(listed, 30, interval=0.5, what="the family on the worker's caseload")
    assert f'href="/dossiers/{case_id}"' in caseload.text
    case_page = worker.get(url + f"/dossiers/{case_id}", timeout=15)
    assert case_page.status_code == 200
    # The warm-contact form's own list of places (the page has other lists naming the offer).
    entry_id = re.search(
        r'name="warm_contact__entry_id".*?<option value="([0-9a-f-]{36})"[^>]*>'
        r"Gezinscoaching Genk</option>",
        case_page.text,
        re.S,
    ).group(1)
    early = worker.post(
        url + f"/dossiers/{case_id}/warm_contact",
        data={
            "csrf_token": token_of(case_page.text),
            "warm_contact__entry_id": entry_id,
            "warm_contact__contact_on": be(TODAY - dt.timedelta(days=3)),
            "warm_contact__channel": "phone",
            "warm_contact__note": "Gebeld, het gaat even.",
        },
        timeout=15,
    )
    assert early.status_code == 422
    assert "aanmelding" in field_error(early.text, "warm_contact__contact_on")
    logged = worker.post(
        url + f"/dossiers/{case_id}/warm_contact",
        data={
            "csrf_token": token_of(case_page.text),
            "warm_contact__entry_id": entry_id,
            "warm_contact__contact_on": be(TODAY),
            "warm_contact__channel": "phone",
            "warm_contact__note": "Gebeld, het gaat even.",
        },
        timeout=15,
    )
    assert logged.status_code == 200 and "Het warm contact is bewaard" in logged.text

    # The coordinator starts the trajectory with the case manager as contact point.
    manager = team.people["case_manager"]["id"]
    page = coordinator.get(url + f"/dossiers/{case_id}", timeout=15)
    started = coordinator.post(
        url + f"/dossiers/{case_id}/start",
        data={
            "csrf_token": token_of(page.text),
            "start__case_manager_id": manager,
            "start__offer_id": offer["id"],
            "start__started_on": be(TODAY),
        },
        timeout=15,
    )
    assert started.status_code == 200 and "Het traject is gestart" in started.text, started.text[
        :800
    ]
    assert team.people["case_manager"]["name"] in started.text

    # The plan: an action for an organisation outside the network is refused at its field;
    # a good one is saved as version 1, with who wrote it.
    plan_url = url + f"/dossiers/{case_id}/plan"
    plan_page = coordinator.get(plan_url, timeout=15)
    assert plan_page.status_code == 200
    plan = {
        "csrf_token": token_of(plan_page.text),
        "action": "save",
        "based_on_version": "0",
        "goal_0_text": "De ochtenden verlopen rustig.",
        "goal_0_action_0_text": "Samen een ochtendschema maken.",
        "goal_0_action_0_org": team.organisation["id"],
        "goal_0_action_0_due": be(TODAY + dt.timedelta(days=14)),
        "family_part": "Mama legt de kleren 's avonds klaar.",
        "review_0": be(TODAY + dt.timedelta(days=42)),
    }
    stranger = "00000000-0000-4000-8000-000000000001"
    outside = coordinator.post(plan_url, data={**plan, "goal_0_action_0_org": stranger}, timeout=15)
    assert outside.status_code == 422
    assert field_error(outside.text, "goal_0_action_0_org")
    saved = coordinator.post(plan_url, data=plan, timeout=15)
    assert saved.status_code == 200 and "Versie 1 van het plan is bewaard" in saved.text
    assert team.people["coordinator"]["name"] in saved.text

    # The referrer follows up: who starts which help and when; no note of the partners.
    follow = referrer.get(url + "/mijn-aanmeldingen", timeout=15)
    assert "Gezinscoaching Genk" in follow.text and be(TODAY) in follow.text
    assert "Gebeld, het gaat even." not in follow.text
    assert "ochtendschema" not in follow.text

    # The network admin finds the reads in the access log and cannot erase the family while
    # a legal hold applies; the export of an access request (the whole case) is the
    # coordinator's, refused to the admin.
    admin = signed_in(team, "network_admin")
    assert admin.get(url + f"/dossiers/{case_id}", timeout=15).status_code == 403
    log = admin.get(url + f"/toegangslogboek?case_id={case_id}", timeout=15)
    assert log.status_code == 200
    assert "read_case" in log.text and "access_denied" in log.text
    assert team.people["coordinator"]["name"] in log.text
    refused = admin.get(url + f"/dossiers/{case_id}/export.json", timeout=15)
    assert refused.status_code == 403 and "Sofie Claes" not in refused.text
    exported = coordinator.get(url + f"/dossiers/{case_id}/export.json", timeout=15)
    assert exported.status_code == 200
    assert exported.json()["household"]["carers"] == [{"name": "Sofie Claes"}]
    privacy_url = url + f"/dossiers/{case_id}/privacy"
    privacy = admin.get(privacy_url, timeout=15)
    hold = admin.post(
        privacy_url,
        data={
            "csrf_token": token_of(privacy.text),
            "action": "legal_hold",
            "on": "yes",
            "hold_reason": "Lopend gerechtelijk onderzoek.",
        },
        timeout=15,
    )
    assert hold.status_code == 200 and "bewaarplicht is ingesteld" in hold.text
    held = admin.post(
        privacy_url,
        data={
            "csrf_token": token_of(privacy.text),
            "action": "erase",
            "confirm": "yes",
            "erase_reason": "Verzoek van het gezin.",
        },
        timeout=15,
    )
    assert held.status_code == 422 and "bewaarplicht" in held.text
    still = coordinator.get(url + f"/dossiers/{case_id}/export.json", timeout=15).json()
    assert still["household"]["carers"] == [{"name": "Sofie Claes"}]

    # Someone of another network does not find the case at all.
    other = create_team(stack)
    elsewhere = signed_in(other, "coordinator").get(url + f"/dossiers/{case_id}", timeout=15)
    assert elsewhere.status_code == 404
    assert "Sofie Claes" not in elsewhere.text
