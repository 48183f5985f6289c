"""Portal pages on families' cases: the referral form, the referrer's follow-up, the
waiting-list board, triage, the caseload, the case page and the plan editor. Each is a thin
call to the cases service (faked here); bad input is refused next to its field, keeps what
was typed and reaches no service."""

import datetime as dt
import re
import uuid

import pytest

from verband_common.errors import Conflict, Forbidden, ValidationFailed

TODAY = dt.date.today()
NOW = "2026-11-23T10:00:00+00:00"
ORG = str(uuid.uuid4())
OTHER_ORG = str(uuid.uuid4())
MANAGER = str(uuid.uuid4())


def token_of(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def field_error(page: str, name: str) -> str:
    found = re.search(rf'<span class="field-error" id="e-{re.escape(name)}">([^<]*)</span>', page)
    return found.group(1) if found else ""


def be(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def years_ago(n: int) -> dt.date:
    return TODAY.replace(year=TODAY.year - n) - dt.timedelta(days=10)


def a_case(network_id, **over):
    case_id = over.pop("case_id", str(uuid.uuid4()))
    return {
        "case_id": case_id,
        "network_id": network_id,
        "status": "waiting",
        "received_at": f"{(TODAY - dt.timedelta(days=20)).isoformat()}T09:00:00+00:00",
        "municipality": "44083",
        "household": {
            "carers": [{"name": "Sara Janssens"}],
            "children": [{"first_name": "Lotte", "birth_date": years_ago(7).isoformat()}],
        },
        "contact": {"phone": "09 123 45 67", "email": None, "address": None},
        "question": "Rust in huis.",
        "concern": "serious",
        "urgency": "normal",
        "mandated_body": False,
        "life_domains": ["housing", "income"],
        "consent": {
            "given_by": "Sara",
            "given_on": TODAY.isoformat(),
            "sharing": ["network_partners"],
        },
        "requested_offer_ids": [],
        "age_bands": ["6-11"],
        "triage": {"decision": "waiting_list", "reason": "Past.", "on": TODAY.isoformat()},
        "clock": {
            "started_on": TODAY.isoformat(),
            "due_on": TODAY.isoformat(),
            "days": 20,
            "state": "running",
            "stopped_on": None,
        },
        "waiting": [
            {
                "id": "e1",
                "offer_id": "o1",
                "offer_title": "Gezinscoaching",
                "waiting_since": TODAY.isoformat(),
                "status": "waiting",
                "next_contact_due": TODAY.isoformat(),
                "contact_overdue": False,
                "why": {"text": "Plaats 1: wacht 20 dagen, ernstige zorg."},
            }
        ],
        "warm_contacts": [],
        "bridging": [],
        "trajectories": [],
        "plan": None,
        "bottlenecks": [],
        "also_waiting": [],
        "legal_hold": False,
        "anonymised": False,
        **over,
    }


@pytest.fixture
def coordinator_in(client, services, network, portal_sign_in):
    portal_sign_in({network["id"]: ["coordinator"]})
    services.answer(
        "partners",
        "list_organisations",
        [{"id": ORG, "name": "CAW Oost-Vlaanderen"}],
    )
    return network


def referral_form(token, **over):
    form = {
        "csrf_token": token,
        "action": "send",
        "carer_rows": "1",
        "child_rows": "2",
        "carer_name_0": "Sara Janssens",
        "child_first_name_0": "Lotte",
        "child_birth_date_0": be(years_ago(7)),
        "municipality": "44083",
        "question": "We lopen vast met de opvoeding.",
        "concern": "some",
        "urgency": "normal",
        "source_sector": "ocmw",
        "offers": "network",
        "consent_given": "yes",
        "consent_given_by": "Sara Janssens",
        "consent_given_on": be(TODAY),
        "sharing": "network_partners",
    }
    form.update(over)
    return {k: v for k, v in form.items() if v is not None}


# --- menu ----------------------------------------------------------------------------------


def test_the_menu_shows_the_case_pages_by_role(client, network, portal_sign_in):
    portal_sign_in({network["id"]: ["coordinator", "network_admin"]})
    page = client.get("/organisaties").get_data(as_text=True)
    for link in ("/gezin-aanmelden", "/mijn-aanmeldingen", "/wachtlijst", "/caseload"):
        assert f'href="{link}"' in page, link
    assert 'href="/toegangslogboek"' in page


def test_oversight_sees_no_case_pages(client, services, network, portal_sign_in):
    portal_sign_in({network["id"]: ["iroj_viewer"]})
    page = client.get("/organisaties").get_data(as_text=True)
    for link in ("/gezin-aanmelden", "/wachtlijst", "/caseload", "/toegangslogboek"):
        assert f'href="{link}"' not in page, link
    assert client.get("/gezin-aanmelden").status_code == 403
    assert client.get("/wachtlijst").status_code == 403
    assert [c for c in services.calls if c.service == "cases"] == []


# --- the referral form ---------------------------------------------------------------------


def test_the_referral_form_is_labelled_and_sends_a_referral(
    client, services, network, portal_sign_in
):
    portal_sign_in({network["id"]: ["referrer"]})
    page = client.get("/gezin-aanmelden").get_data(as_text=True)
    for name in ("carer_name_0", "child_first_name_0", "child_birth_date_1", "question"):
        assert f'<label for="f-{name}">' in page, name
    assert "<legend>Hoe groot zijn de zorgen? *</legend>" in page
    assert 'value="network"' in page and "Het netwerk beslist" in page
    sent = client.post("/gezin-aanmelden", data=referral_form(token_of(page)))
    assert sent.status_code == 303 and sent.headers["Location"].endswith("/mijn-aanmeldingen")
    (call,) = services.calls_to("receive_referral")
    network_id, payload = call.args
    assert network_id == network["id"]
    assert payload["offer_id"] is None and payload["requested_offer_ids"] == []
    assert payload["household"] == {
        "carers": [{"name": "Sara Janssens"}],
        "children": [{"first_name": "Lotte", "birth_date": years_ago(7).isoformat()}],
    }
    assert payload["consent"]["sharing"] == ["network_partners"]
    assert payload["consent"]["given_on"] == TODAY.isoformat()
    assert "al gekend in het netwerk" not in client.get("/mijn-aanmeldingen").get_data(as_text=True)
    # A child the network knows: the referral joined the family's record, and says so.
    services.answer(
        "cases",
        "receive_referral",
        lambda nid, p: {
            "referral_id": str(uuid.uuid4()),
            "network_id": nid,
            "offer_id": None,
            "status": "received",
            "received_at": NOW,
            "attached_to_family": True,
        },
    )
    again = client.post(
        "/gezin-aanmelden", data=referral_form(token_of(page)), follow_redirects=True
    )
    assert "al gekend in het netwerk" in again.get_data(as_text=True)


@pytest.mark.parametrize(
    "change, field, words",
    [
        (
            {"child_birth_date_0": be(TODAY + dt.timedelta(days=3))},
            "child_birth_date_0",
            "toekomst",
        ),
        ({"child_birth_date_0": be(years_ago(26))}, "child_birth_date_0", "ouder dan 24"),
        ({"consent_given": None}, "consent_given", "anonieme consultatie"),
        ({"carer_name_0": ""}, "carers", "opvoeder"),
        ({"municipality": "Atlantis"}, "municipality", "Onbekende gemeente: Atlantis"),
        ({"concern": ""}, "concern", ""),
    ],
)
def test_a_bad_referral_is_refused_next_to_its_field_and_keeps_what_was_typed(
    client, services, network, portal_sign_in, change, field, words
):
    portal_sign_in({network["id"]: ["referrer"]})
    token = token_of(client.get("/gezin-aanmelden").get_data(as_text=True))
    response = client.post("/gezin-aanmelden", data=referral_form(token, **change))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert field_error(page, field), page
    assert words in field_error(page, field)
    assert "We lopen vast met de opvoeding." in page  # what was typed stays
    assert services.calls_to("receive_referral") == []
    assert services.calls_to("save_referral_draft") == []


def test_the_family_municipality_is_typed_by_name_or_postcode_and_sent_as_its_code(
    client, services, network, portal_sign_in
):
    """A network without a list of municipalities asks for a name, never a NIS code."""
    portal_sign_in({network["id"]: ["referrer"]})
    token = token_of(client.get("/gezin-aanmelden").get_data(as_text=True))
    services.answer(
        "partners",
        "resolve_municipalities",
        lambda typed: [{"given": t, "nis": "44083", "name": "Deinze"} for t in typed],
    )
    response = client.post("/gezin-aanmelden", data=referral_form(token, municipality="Deinze"))
    assert response.status_code == 303
    assert services.calls_to("receive_referral")[0].args[1]["municipality"] == "44083"


def test_the_services_refusal_of_an_unknown_offer_or_municipality_names_the_field(
    client, services, network, portal_sign_in
):
    portal_sign_in({network["id"]: ["referrer"]})
    offer = services.defaults[("partners", "list_offers")](network["id"], {})[0]
    token = token_of(client.get("/gezin-aanmelden").get_data(as_text=True))
    services.fail(
        "cases",
        "receive_referral",
        ValidationFailed(
            "De aanmelding is niet volledig of niet juist.",
            {
                "municipality": [
                    "Deze gemeente hoort niet bij het werkingsgebied van dit netwerk."
                ],
                "offer_id": ["Onbekend aanbod in dit netwerk."],
            },
        ),
    )
    response = client.post("/gezin-aanmelden", data=referral_form(token, offers=offer["id"]))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "werkingsgebied" in field_error(page, "municipality")
    assert "Onbekend aanbod" in field_error(page, "offers")
    assert services.calls_to("receive_referral")[0].args[1]["offer_id"] == offer["id"]


def test_rows_are_added_and_removed_without_javascript(client, services, network, portal_sign_in):
    portal_sign_in({network["id"]: ["referrer"]})
    token = token_of(client.get("/gezin-aanmelden").get_data(as_text=True))
    form = referral_form(
        token, action="add_child", child_first_name_1="Jens", child_birth_date_1=be(years_ago(12))
    )
    added = client.post("/gezin-aanmelden", data=form).get_data(as_text=True)
    assert 'id="f-child_first_name_2"' in added and 'value="Jens"' in added
    removed = client.post(
        "/gezin-aanmelden", data={**form, "action": "remove_child_0", "child_rows": "3"}
    ).get_data(as_text=True)
    assert re.search(
        r'id="f-child_first_name_0" name="child_first_name_0" type="text" value="Jens"', removed
    )
    assert "Lotte" not in removed
    assert [
        c for c in services.calls if c.service == "cases" and c.method != "list_referral_drafts"
    ] == []


def test_a_draft_is_saved_and_opened_again(client, services, network, portal_sign_in):
    portal_sign_in({network["id"]: ["referrer"]})
    token = token_of(client.get("/gezin-aanmelden").get_data(as_text=True))
    draft_id = str(uuid.uuid4())
    stored = {}

    def save(network_id, payload, did=None):
        stored.update(payload)
        return {
            "id": draft_id,
            "network_id": network_id,
            "payload": payload,
            "updated_at": "2026-11-23T10:00:00+00:00",
        }

    services.answer("cases", "save_referral_draft", save)
    services.answer(
        "cases",
        "list_referral_drafts",
        lambda nid: (
            [
                {
                    "id": draft_id,
                    "network_id": nid,
                    "payload": stored,
                    "updated_at": "2026-11-23T10:00:00+00:00",
                }
            ]
            if stored
            else []
        ),
    )
    # A draft is kept even with a birth date in the future: it is checked when sent.
    half = referral_form(
        token,
        action="draft",
        child_birth_date_0=be(TODAY + dt.timedelta(days=1)),
        consent_given=None,
    )
    saved = client.post("/gezin-aanmelden", data=half)
    assert saved.status_code == 303 and f"concept={draft_id}" in saved.headers["Location"]
    assert services.calls_to("receive_referral") == []
    page = client.get(f"/gezin-aanmelden?concept={draft_id}").get_data(as_text=True)
    assert 'value="Sara Janssens"' in page and "We lopen vast met de opvoeding." in page
    assert f'name="draft_id" value="{draft_id}"' in page
    # Sent from the draft: saved as sent and submitted, so the draft goes.
    sent = client.post("/gezin-aanmelden", data=referral_form(token_of(page), draft_id=draft_id))
    assert sent.status_code == 303
    assert services.calls_to("submit_referral_draft")[0].args == (draft_id,)


def test_an_anonymous_consultation_needs_no_consent_and_names_nobody(
    client, services, network, portal_sign_in
):
    portal_sign_in({network["id"]: ["referrer"]})
    services.answer("cases", "register_consultation", lambda nid, p: {"id": "c1", **p})
    token = token_of(client.get("/consultatie").get_data(as_text=True))
    bad = client.post(
        "/consultatie", data={"csrf_token": token, "municipality": "44083", "concern": "some"}
    )
    assert bad.status_code == 422 and field_error(bad.get_data(as_text=True), "advice")
    assert services.calls_to("register_consultation") == []
    good = client.post(
        "/consultatie",
        data={
            "csrf_token": token,
            "municipality": "44083",
            "concern": "some",
            "age_bands": "6-11",
            "advice": "Doorverwezen naar het CAW.",
        },
    )
    assert good.status_code == 303
    assert services.calls_to("register_consultation")[0].args[1] == {
        "municipality": "44083",
        "concern": "some",
        "age_bands": ["6-11"],
        "life_domains": [],
        "advice": "Doorverwezen naar het CAW.",
    }


# --- the referrer's follow-up --------------------------------------------------------------


def test_the_referrer_sees_who_starts_which_help_and_when(
    client, services, network, portal_sign_in
):
    portal_sign_in({network["id"]: ["referrer"]})
    services.answer(
        "cases",
        "follow_up",
        lambda cid: {
            "case_id": cid,
            "received_at": "2026-11-01T09:00:00+00:00",
            "status": "started",
            "decision": "start_now",
            "refer_to": None,
            "waiting": [],
            "help": [
                {
                    "offer_title": "Gezinscoaching",
                    "organisation": "CAW Oost-Vlaanderen",
                    "contact_point_organisation": "CAW Oost-Vlaanderen",
                    "started_on": "2026-11-10",
                    "status": "active",
                    "closed_on": None,
                }
            ],
            "clock": {
                "started_on": "2026-11-01",
                "due_on": "2026-12-01",
                "days": 9,
                "state": "stopped",
                "stopped_on": "2026-11-10",
            },
        },
    )
    page = client.get("/mijn-aanmeldingen").get_data(as_text=True)
    assert services.calls_to("list_cases")[0].args[1] == {"referred_by_me": True}
    assert "Gezinscoaching" in page and "CAW Oost-Vlaanderen" in page and "10/11/2026" in page
    assert "<caption>Gestarte hulp</caption>" in page
    assert services.calls_to("get_case") == []  # never the whole case, notes and all


# --- the waiting-list board ----------------------------------------------------------------


def board(offer_id, entries):
    return {
        "offer": {
            "id": offer_id,
            "title": "Gezinscoaching",
            "capacity": 10,
            "free_places": 2,
            "status": "active",
            "can_start_from": None,
        },
        "weights": {"waiting_days": 1.0, "concern": 10.0, "multiproblem": 7.0, "urgency": 14.0},
        "total": len(entries),
        "limit": 50,
        "offset": 0,
        "entries": entries,
    }


def entry(**over):
    return {
        "position": 1,
        "entry_id": str(uuid.uuid4()),
        "case_id": str(uuid.uuid4()),
        "family_name": "Janssens",
        "municipality": "44083",
        "age_bands": ["6-11"],
        "waiting_since": "2026-10-01",
        "days_waiting": 53,
        "concern": "serious",
        "urgency": "normal",
        "domains": 2,
        "why": {
            "position": 1,
            "score": 87.0,
            "components": [],
            "text": "Plaats 1: wacht 53 dagen, ernstige zorg, 2 levensdomeinen onder druk.",
        },
        "last_contact_on": None,
        "next_contact_due": "2026-10-15",
        "contact_overdue": True,
        "clock": {
            "started_on": "2026-10-01",
            "due_on": "2026-10-31",
            "days": 53,
            "state": "escalated",
            "stopped_on": None,
        },
        "also_waiting_on": [
            {"offer_id": str(uuid.uuid4()), "offer_title": "Opvoedingsondersteuning"}
        ],
        **over,
    }


def test_the_board_shows_the_rank_why_clocks_contacts_and_free_places(
    client, services, coordinator_in
):
    network = coordinator_in
    offer = services.defaults[("partners", "list_offers")](network["id"], {})[0]
    services.answer("partners", "list_offers", [offer])
    services.answer(
        "cases", "waiting_list", lambda oid, limit, offset, purpose: board(oid, [entry()])
    )
    services.answer("cases", "pickup_clocks", {"warning": [], "escalated": []})
    services.answer("cases", "overdue_contacts", [])
    page = client.get(f"/wachtlijst?aanbod={offer['id']}").get_data(as_text=True)
    # the board is one call to cases (the offers are partners')
    assert [m for m in services.methods_called() if m[0] == "cases"] == [("cases", "waiting_board")]
    assert services.calls_to("waiting_board")[0].args == (
        network["id"],
        offer["id"],
        50,
        0,
        "wachtlijstbord",
    )
    assert "2 vrije plaatsen van 10" in page
    assert "Plaats 1: wacht 53 dagen, ernstige zorg" in page
    assert "richtlijn overschreden" in page and "Te laat: was 15/10/2026" in page
    assert "Opvoedingsondersteuning" in page
    assert '<th scope="col">Waarom deze plaats</th>' in page and "<caption>" in page
    assert "Dringend en gevaarlijk" not in page


def test_the_month_clock_and_late_contacts_name_the_family(client, services, coordinator_in):
    """A coordinator calls a family, not a case number: both lists say whom it is about."""
    network = coordinator_in
    offer = services.defaults[("partners", "list_offers")](network["id"], {})[0]
    services.answer("partners", "list_offers", [offer])
    services.answer("cases", "waiting_list", lambda oid, limit, offset, purpose: board(oid, []))
    late = {
        "case_id": str(uuid.uuid4()),
        "family_name": "Fam. Aerts",
        "status": "received",
        "urgency": "normal",
        "concern": "some",
        "started_on": "2026-10-01",
        "due_on": "2026-10-31",
        "days": 1,
        "state": "escalated",
        "stopped_on": None,
    }
    services.answer("cases", "pickup_clocks", {"warning": [], "escalated": [late]})
    services.answer(
        "cases",
        "overdue_contacts",
        [
            {
                "entry_id": str(uuid.uuid4()),
                "referral_id": str(uuid.uuid4()),
                "family_name": "Fam. Claes",
                "offer_id": offer["id"],
                "offer_title": "Gezinsbegeleiding",
                "next_contact_due": "2026-11-20",
                "days_overdue": 1,
            }
        ],
    )
    page = client.get(f"/wachtlijst?aanbod={offer['id']}").get_data(as_text=True)
    assert f'<a href="/dossiers/{late["case_id"]}">Fam. Aerts</a>' in page
    assert "Fam. Claes (Gezinsbegeleiding): contact was gepland op 20/11/2026" in page
    assert "(1 dag te laat)" in page


def test_an_urgent_and_dangerous_referral_alerts_the_coordinator_on_the_board(
    client, services, coordinator_in
):
    received = services.defaults[("cases", "list_cases")](coordinator_in["id"], {})[0]
    services.answer(
        "cases",
        "list_cases",
        [{**received, "status": "received", "urgency": "urgent_dangerous", "family_name": "Maes"}],
    )
    page = client.get("/wachtlijst").get_data(as_text=True)
    assert 'role="alert"' in page and "Dringend en gevaarlijk: meteen handelen" in page
    assert f'href="/dossiers/{received["id"]}/triage"' in page


def test_a_worker_sees_only_their_organisations_lists(client, services, network, portal_sign_in):
    person = portal_sign_in({network["id"]: ["family_coach"]})
    services.partners.people[person["email"]]["organisation_id"] = ORG
    client.application.extensions["principals"].clear()
    rows = services.defaults[("partners", "list_offers")](network["id"], {})
    mine = {**rows[0], "organisation_id": ORG, "title": "Ons aanbod"}
    theirs = {**rows[0], "id": str(uuid.uuid4()), "title": "Ander aanbod"}
    services.answer("partners", "list_offers", [theirs, mine])
    page = client.get("/wachtlijst").get_data(as_text=True)
    assert "Ons aanbod" in page and "Ander aanbod" not in page
    assert services.calls_to("waiting_board")[0].args[1] == mine["id"]
    assert "Aanmeldingen om te triëren" not in page


# --- triage --------------------------------------------------------------------------------


def test_triage_without_a_reason_is_refused_and_stores_nothing(client, services, coordinator_in):
    network = coordinator_in
    case = a_case(network["id"], status="received", triage=None, urgency="urgent_dangerous")
    services.answer("cases", "get_case", lambda cid, purpose: {**case, "case_id": cid})
    services.answer(
        "partners",
        "list_agreements",
        [
            {
                "id": "a",
                "kind": "crisis_point",
                "title": "Crisismeldpunt Oost-Vlaanderen",
                "parties": [{"name": "Crisisteam"}],
            }
        ],
    )
    url = f"/dossiers/{case['case_id']}/triage"
    page = client.get(url).get_data(as_text=True)
    assert "Dringend en gevaarlijk" in page and "Crisismeldpunt Oost-Vlaanderen" in page
    offer = services.defaults[("partners", "list_offers")](network["id"], {})[0]
    response = client.post(
        url,
        data={
            "csrf_token": token_of(page),
            "decision": "waiting_list",
            "offer_ids": offer["id"],
            "reason": " ",
        },
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "reden" in field_error(text, "reason")
    assert services.calls_to("triage_referral") == []
    none = client.post(url, data={"csrf_token": token_of(page), "reason": "Past."})
    assert none.status_code == 422 and field_error(none.get_data(as_text=True), "decision")
    done = client.post(
        url,
        data={
            "csrf_token": token_of(page),
            "decision": "waiting_list",
            "offer_ids": offer["id"],
            "reason": "Past bij coaching.",
        },
    )
    assert done.status_code == 303
    assert services.calls_to("triage_referral")[0].args == (
        case["case_id"],
        {
            "decision": "waiting_list",
            "reason": "Past bij coaching.",
            "offer_ids": [offer["id"]],
            "offer_id": None,
            "case_manager_id": None,
            "refer_to": None,
            "refer_to_detail": None,
            "volume_override_reason": None,
        },
    )


def test_only_the_coordinator_triages(client, services, network, portal_sign_in):
    portal_sign_in({network["id"]: ["case_manager"]})
    assert client.get(f"/dossiers/{uuid.uuid4()}/triage").status_code == 403
    assert services.calls_to("get_case") == []


# --- the case page -------------------------------------------------------------------------


def test_a_warm_contact_dated_before_the_referral_is_refused_next_to_its_field(
    client, services, coordinator_in
):
    network = coordinator_in
    case = a_case(network["id"])
    services.answer("cases", "get_case", lambda cid, purpose: case)
    page = client.get(f"/dossiers/{case['case_id']}").get_data(as_text=True)
    assert "Plaats 1: wacht 20 dagen" in page and "Sara Janssens" in page
    assert services.calls_to("get_case")[0].args == (case["case_id"], "dossier bekijken")
    services.fail(
        "cases",
        "log_warm_contact",
        ValidationFailed(
            "Een contact kan niet voor de aanmelding liggen.",
            {"contact_on": ["Deze datum ligt voor de aanmelding."]},
        ),
    )
    form = {
        "csrf_token": token_of(page),
        "warm_contact__entry_id": "e1",
        "warm_contact__contact_on": "01/01/2026",
        "warm_contact__channel": "phone",
        "warm_contact__note": "Gebeld, het gaat.",
    }
    response = client.post(f"/dossiers/{case['case_id']}/warm_contact", data=form)
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "voor de aanmelding" in field_error(text, "warm_contact__contact_on")
    assert "Gebeld, het gaat." in text
    assert services.calls_to("log_warm_contact")[0].args == (
        "e1",
        {"contact_on": "2026-01-01", "channel": "phone", "note": "Gebeld, het gaat."},
    )
    # A date in the future never reaches the service.
    future = client.post(
        f"/dossiers/{case['case_id']}/warm_contact",
        data={**form, "warm_contact__contact_on": be(TODAY + dt.timedelta(days=2))},
    )
    assert future.status_code == 422 and field_error(
        future.get_data(as_text=True), "warm_contact__contact_on"
    )
    assert len(services.calls_to("log_warm_contact")) == 1


def test_case_changes_need_their_reason_and_reach_the_service_when_right(
    client, services, coordinator_in
):
    network = coordinator_in
    trajectory = {
        "id": "t1",
        "status": "active",
        "started_on": TODAY.isoformat(),
        "case_manager_id": MANAGER,
        "offer_id": None,
        "history": [
            {
                "change": "contact_point_changed",
                "detail": {"from": OTHER_ORG, "to": MANAGER, "reason": "Verlof van de coach."},
                "by_person": MANAGER,
                "at": "2026-11-20T10:00:00+00:00",
            }
        ],
    }
    case = a_case(network["id"], status="started", trajectories=[trajectory])
    services.answer("cases", "get_case", lambda cid, purpose: case)
    services.answer(
        "partners",
        "list_people",
        [{"id": MANAGER, "name": "Els Wouters", "roles": ["case_manager"]}],
    )
    page = client.get(f"/dossiers/{case['case_id']}").get_data(as_text=True)
    assert "Aanspreekpunt van het gezin: <strong>Els Wouters</strong>" in page
    assert "naar Els Wouters: Verlof van de coach." in page
    token = token_of(page)
    for action, fields, bad in (
        (
            "contact_point",
            {"contact_point__trajectory_id": "t1", "contact_point__case_manager_id": MANAGER},
            "contact_point__reason",
        ),
        ("status", {"status__trajectory_id": "t1", "status__status": "paused"}, "status__reason"),
        ("closure", {"closure__trajectory_id": "t1"}, "closure__outcome"),
        ("bottleneck", {}, "bottleneck__reason_category"),
        ("removal", {"removal__entry_id": "e1"}, "removal__reason"),
    ):
        response = client.post(
            f"/dossiers/{case['case_id']}/{action}", data={"csrf_token": token, **fields}
        )
        assert response.status_code == 422, action
        assert field_error(response.get_data(as_text=True), bad), action
    assert [
        c
        for c in services.calls
        if c.service == "cases" and c.method not in ("get_case", "journal")
    ] == []
    closed = client.post(
        f"/dossiers/{case['case_id']}/closure",
        data={
            "csrf_token": token,
            "closure__trajectory_id": "t1",
            "closure__outcome": "flow_through",
            "closure__flow_to": "nrtj",
            "closure__closed_on": be(TODAY),
        },
    )
    assert closed.status_code == 303
    assert services.calls_to("close_trajectory")[0].args == (
        "t1",
        {"outcome": "flow_through", "flow_to": "nrtj", "closed_on": TODAY.isoformat(), "note": ""},
    )
    flagged = client.post(
        f"/dossiers/{case['case_id']}/bottleneck",
        data={"csrf_token": token, "bottleneck__reason_category": "waiting_too_long"},
    )
    assert flagged.status_code == 303
    assert services.calls_to("flag_bottleneck")[0].args == (
        case["case_id"],
        {"reason_category": "waiting_too_long", "note": ""},
    )


def test_the_journal_shows_on_the_case_page_and_a_line_is_written_or_refused_at_its_field(
    client, services, coordinator_in
):
    network = coordinator_in
    case = a_case(network["id"])
    first = {
        "id": str(uuid.uuid4()),
        "case_id": case["case_id"],
        "occurred_at": "2026-11-20T13:30:00+00:00",
        "kind": "home_visit",
        "text": "Huisbezoek: Lotte slaapt weer door.",
        "corrects_id": None,
        "corrected_by": None,
        "author_id": MANAGER,
        "written_at": NOW,
    }
    services.answer("cases", "get_case", lambda cid, purpose: case)
    services.answer("cases", "journal", lambda cid, purpose: [first])
    services.answer(
        "partners", "list_people", [{"id": MANAGER, "name": "Els Wouters", "roles": []}]
    )
    page = client.get(f"/dossiers/{case['case_id']}?waarom=teamoverleg").get_data(as_text=True)
    # Read under the same rule as the case, logged with the same purpose; Belgian time.
    assert services.calls_to("journal")[0].args == (case["case_id"], "teamoverleg")
    assert "20/11/2026 14:30" in page and "Huisbezoek: Lotte slaapt weer door." in page
    assert "Els Wouters" in page and "Huisbezoek" in page
    token = token_of(page)
    form = {
        "csrf_token": token,
        "journal__kind": "phone_call",
        "journal__occurred_at": be(TODAY),
        "journal__time": "",
        "journal__text": "Mama belde: het gaat beter.",
    }
    # No hour, an unknown kind, a moment in the future, no text: refused at the field,
    # what was typed kept, no call to the service.
    for change, name in (
        ({"journal__time": "half drie"}, "journal__occurred_at"),
        ({"journal__time": "10:00", "journal__kind": "duif"}, "journal__kind"),
        (
            {"journal__time": "10:00", "journal__occurred_at": be(TODAY + dt.timedelta(days=2))},
            "journal__occurred_at",
        ),
        ({"journal__time": "10:00", "journal__text": "  "}, "journal__text"),
    ):
        response = client.post(f"/dossiers/{case['case_id']}/journal", data={**form, **change})
        text = response.get_data(as_text=True)
        assert response.status_code == 422, change
        assert field_error(text, name), change
    assert services.calls_to("add_journal_entry") == []
    yesterday = TODAY - dt.timedelta(days=1)
    done = client.post(
        f"/dossiers/{case['case_id']}/journal",
        data={
            **form,
            "journal__occurred_at": be(yesterday),
            "journal__time": "9:05",
            "journal__corrects_id": first["id"],
        },
    )
    assert done.status_code == 303
    (call,) = services.calls_to("add_journal_entry")
    sent = call.args[1]
    assert call.args[0] == case["case_id"] and sent["kind"] == "phone_call"
    assert sent["corrects_id"] == first["id"] and sent["text"] == "Mama belde: het gaat beter."
    when = dt.datetime.fromisoformat(sent["occurred_at"])
    assert when.date() == yesterday and (when.hour, when.minute) == (9, 5)
    assert when.utcoffset() in (dt.timedelta(hours=1), dt.timedelta(hours=2))  # Brussels


def test_the_case_page_shows_the_plans_next_review(client, services, coordinator_in):
    network = coordinator_in
    soon, later = TODAY + dt.timedelta(days=10), TODAY + dt.timedelta(days=40)
    plan = {
        "version": 2,
        "plan": {
            "goals": [],
            "review_dates": [
                (TODAY - dt.timedelta(days=5)).isoformat(),
                later.isoformat(),
                soon.isoformat(),
            ],
        },
    }
    case = a_case(network["id"], plan=plan)
    services.answer("cases", "get_case", lambda cid, purpose: case)
    page = client.get(f"/dossiers/{case['case_id']}").get_data(as_text=True)
    assert f"Volgende evaluatie van het plan: <strong>{be(soon)}</strong>" in page


def test_a_case_without_a_role_on_it_is_refused(client, services, network, portal_sign_in):
    portal_sign_in({network["id"]: ["network_admin"]})
    services.fail("cases", "get_case", Forbidden("Je hebt geen rol in dit dossier."))
    response = client.get(f"/dossiers/{uuid.uuid4()}")
    assert response.status_code == 403 and "geen rol in dit dossier" in response.get_data(
        as_text=True
    )


# --- the plan ------------------------------------------------------------------------------


def plan_form(token, **over):
    form = {
        "csrf_token": token,
        "action": "save",
        "based_on_version": "1",
        "goal_0_text": "Rust in huis.",
        "goal_0_action_0_text": "Avondroutine maken.",
        "goal_0_action_0_org": ORG,
        "goal_0_action_0_due": be(TODAY + dt.timedelta(days=14)),
        "family_part": "Samen eten.",
        "review_0": be(TODAY + dt.timedelta(days=30)),
    }
    form.update(over)
    return {k: v for k, v in form.items() if v is not None}


def test_the_plan_editor_saves_a_new_version_and_shows_who_changed_what(
    client, services, coordinator_in
):
    case_id = str(uuid.uuid4())
    person = str(uuid.uuid4())
    services.answer(
        "partners", "list_people", [{"id": person, "name": "Bert Claes", "roles": ["case_manager"]}]
    )
    services.answer(
        "cases",
        "plan_history",
        lambda cid: [
            {
                "version": 1,
                "plan": {},
                "changes": [{"path": "goals.0", "change": "created"}],
                "author_id": person,
                "created_at": "2026-11-20T10:00:00+00:00",
            }
        ],
    )
    page = client.get(f"/dossiers/{case_id}/plan").get_data(as_text=True)
    assert "Bert Claes" in page and "goals.0: nieuw" in page and "<caption>" in page
    response = client.post(f"/dossiers/{case_id}/plan", data=plan_form(token_of(page)))
    assert response.status_code == 303
    assert services.calls_to("update_plan")[0].args == (
        case_id,
        {
            "goals": [
                {
                    "text": "Rust in huis.",
                    "actions": [
                        {
                            "text": "Avondroutine maken.",
                            "responsible_organisation_id": ORG,
                            "due_on": (TODAY + dt.timedelta(days=14)).isoformat(),
                            "status": "planned",
                        }
                    ],
                }
            ],
            "family_part": "Samen eten.",
            "review_dates": [(TODAY + dt.timedelta(days=30)).isoformat()],
            "based_on_version": 1,
        },
    )


def test_a_plan_action_for_a_partner_outside_the_network_is_refused_at_its_field(
    client, services, coordinator_in
):
    case_id = str(uuid.uuid4())
    token = token_of(client.get(f"/dossiers/{case_id}/plan").get_data(as_text=True))
    services.fail(
        "cases",
        "update_plan",
        ValidationFailed(
            "Het plan kan zo niet bewaard worden.",
            {"goals.0.actions.0.responsible_organisation_id": ["Geen partner van dit netwerk."]},
        ),
    )
    # The second goal row is empty and left out: the message still lands on the right row.
    response = client.post(
        f"/dossiers/{case_id}/plan",
        data=plan_form(
            token,
            goal_0_text="",
            goal_0_action_0_text="",
            goal_0_action_0_org="",
            goal_0_action_0_due="",
            goal_1_text="Naar school gaan.",
            goal_1_action_0_text="Schoolbus regelen.",
            goal_1_action_0_org=OTHER_ORG,
            goal_1_action_0_due=be(TODAY),
        ),
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Geen partner van dit netwerk." in field_error(text, "goal_1_action_0_org")
    assert "Naar school gaan." in text
    # Bad input the schema sees never reaches the service.
    before = len(services.calls_to("update_plan"))
    missing = client.post(
        f"/dossiers/{case_id}/plan", data=plan_form(token, goal_0_action_0_due="", family_part="")
    )
    page = missing.get_data(as_text=True)
    assert missing.status_code == 422
    assert field_error(page, "goal_0_action_0_due") and field_error(page, "family_part")
    assert len(services.calls_to("update_plan")) == before


def test_a_goal_and_an_action_row_are_added_without_saving(client, services, coordinator_in):
    case_id = str(uuid.uuid4())
    token = token_of(client.get(f"/dossiers/{case_id}/plan").get_data(as_text=True))
    page = client.post(
        f"/dossiers/{case_id}/plan", data=plan_form(token, action="add_action_0", goal_rows="2")
    ).get_data(as_text=True)
    assert 'id="f-goal_0_action_2_text"' in page and 'value="Avondroutine maken."' in page
    page = client.post(
        f"/dossiers/{case_id}/plan", data=plan_form(token, action="add_goal", goal_rows="2")
    ).get_data(as_text=True)
    assert 'id="f-goal_2_text"' in page
    assert services.calls_to("update_plan") == []


# --- caseload and access log ---------------------------------------------------------------


def test_the_caseload_lists_cases_and_the_warm_contacts_due(
    client, services, network, portal_sign_in
):
    person = portal_sign_in({network["id"]: ["family_coach"]})
    services.partners.people[person["email"]]["organisation_id"] = ORG
    client.application.extensions["principals"].clear()
    offer = {
        **services.defaults[("partners", "list_offers")](network["id"], {})[0],
        "organisation_id": ORG,
    }
    services.answer("partners", "list_offers", [offer])
    late = str(uuid.uuid4())
    services.answer(
        "cases",
        "overdue_contacts",
        [
            {
                "entry_id": late,
                "referral_id": str(uuid.uuid4()),
                "offer_id": offer["id"],
                "offer_title": "Gezinscoaching",
                "next_contact_due": "2026-11-01",
                "days_overdue": 22,
            }
        ],
    )
    soon = entry(
        contact_overdue=False,
        next_contact_due=(TODAY + dt.timedelta(days=3)).isoformat(),
        family_name="Peeters",
    )
    services.answer("cases", "waiting_list", lambda oid, limit, offset, purpose: board(oid, [soon]))
    page = client.get("/caseload").get_data(as_text=True)
    assert "22 dagen te laat" in page and "Peeters" in page
    assert f'value="{late}"' in page and f'value="{soon["entry_id"]}"' in page
    assert page.count('name="terug" value="caseload"') == 2
    response = client.post(
        f"/dossiers/{soon['case_id']}/warm_contact",
        data={
            "csrf_token": token_of(page),
            "entry_id": soon["entry_id"],
            "terug": "caseload",
            "contact_on": TODAY.isoformat(),
            "channel": "home_visit",
            "note": "",
        },
    )
    assert response.status_code == 303 and response.headers["Location"].endswith("/caseload")
    assert services.calls_to("log_warm_contact")[0].args[0] == soon["entry_id"]


def test_the_access_log_is_for_the_network_admin(client, services, network, portal_sign_in):
    portal_sign_in({network["id"]: ["network_admin"]})
    page = client.get("/toegangslogboek?action=read_case&since=01/11/2026").get_data(as_text=True)
    assert services.calls_to("search_audit_log")[0].args[1] == {
        "action": "read_case",
        "since": "2026-11-01",
        "limit": 200,
    }
    assert "read_case" in page
    bad = client.get("/toegangslogboek?case_id=geen-id")
    assert bad.status_code == 422 and field_error(bad.get_data(as_text=True), "case_id")
    assert len(services.calls_to("search_audit_log")) == 1


def test_the_access_log_is_closed_to_a_coordinator(client, services, coordinator_in):
    assert client.get("/toegangslogboek").status_code == 403
    assert services.calls_to("search_audit_log") == []


# --- privacy requests ----------------------------------------------------------------------


def test_erasure_needs_a_reason_and_a_confirmation_and_respects_a_legal_hold(
    client, services, network, portal_sign_in
):
    portal_sign_in({network["id"]: ["network_admin"]})
    case_id = str(uuid.uuid4())
    url = f"/dossiers/{case_id}/privacy"
    token = token_of(client.get(url).get_data(as_text=True))
    unconfirmed = client.post(
        url, data={"csrf_token": token, "action": "erase", "erase_reason": "Vraag van mama."}
    )
    assert unconfirmed.status_code == 422 and field_error(
        unconfirmed.get_data(as_text=True), "confirm"
    )
    no_reason = client.post(url, data={"csrf_token": token, "action": "erase", "confirm": "yes"})
    assert no_reason.status_code == 422 and field_error(
        no_reason.get_data(as_text=True), "erase_reason"
    )
    assert services.calls_to("erase_family") == []
    services.fail(
        "cases",
        "erase_family",
        Conflict(
            "Dit dossier valt onder een wettelijke bewaarplicht en kan niet gewist worden.",
            {"legal_hold": ["Gerechtelijk onderzoek."]},
        ),
    )
    held = client.post(
        url,
        data={
            "csrf_token": token,
            "action": "erase",
            "confirm": "yes",
            "erase_reason": "Vraag van mama.",
        },
    )
    text = held.get_data(as_text=True)
    assert held.status_code == 422 and "bewaarplicht" in text
    assert "Gerechtelijk onderzoek." in field_error(text, "confirm")
    assert services.calls_to("erase_family")[0].args == (case_id, {"reason": "Vraag van mama."})
    hold = client.post(
        url,
        data={
            "csrf_token": token,
            "action": "legal_hold",
            "on": "yes",
            "hold_reason": "Onderzoek.",
        },
    )
    assert hold.status_code == 303
    assert services.calls_to("set_legal_hold")[0].args == (
        case_id,
        {"on": True, "reason": "Onderzoek."},
    )


def test_the_network_admin_handles_requests_without_the_family_export(
    client, services, network, portal_sign_in
):
    """The export holds the whole case: the admin's page does not offer it, and the cases
    service's refusal of a direct try passes through."""
    portal_sign_in({network["id"]: ["network_admin"]})
    case_id = str(uuid.uuid4())
    page = client.get(f"/dossiers/{case_id}/privacy").get_data(as_text=True)
    assert "export.json" not in page and "coördinator" in page
    services.fail("cases", "export_family", Forbidden("Je hebt geen rol in dit dossier."))
    refused = client.get(f"/dossiers/{case_id}/export.json")
    assert refused.status_code == 403 and "Sara" not in refused.get_data(as_text=True)


def test_the_export_is_a_download_for_privacy_handlers_only(
    client, services, network, portal_sign_in
):
    portal_sign_in({network["id"]: ["coordinator"]})
    case_id = str(uuid.uuid4())
    assert "export.json" in client.get(f"/dossiers/{case_id}/privacy").get_data(as_text=True)
    services.answer(
        "cases",
        "export_family",
        lambda cid: {"case_id": cid, "household": {"carers": [{"name": "Sara"}]}, "access_log": []},
    )
    response = client.get(f"/dossiers/{case_id}/export.json")
    assert response.status_code == 200 and response.json["case_id"] == case_id
    assert "attachment" in response.headers["Content-Disposition"]


def test_a_referrer_handles_no_privacy_requests(client, services, network, portal_sign_in):
    portal_sign_in({network["id"]: ["referrer"]})
    case_id = str(uuid.uuid4())
    assert client.get(f"/dossiers/{case_id}/privacy").status_code == 403
    assert client.get(f"/dossiers/{case_id}/export.json").status_code == 403
    assert services.calls_to("export_family") == []


def test_a_draft_saved_over_the_api_in_any_shape_opens_in_the_form(
    client, services, network, portal_sign_in
):
    portal_sign_in({network["id"]: ["referrer"]})
    draft_id = str(uuid.uuid4())
    odd = {"household": ["niet", "zo"], "contact": "09 123", "question": "Half af", "consent": 3}
    services.answer(
        "cases",
        "list_referral_drafts",
        lambda nid: [{"id": draft_id, "network_id": nid, "payload": odd, "updated_at": NOW}],
    )
    page = client.get(f"/gezin-aanmelden?concept={draft_id}")
    assert page.status_code == 200 and "Half af" in page.get_data(as_text=True)
    assert client.get(f"/gezin-aanmelden?concept={uuid.uuid4()}").status_code == 404


def test_every_id_on_the_case_pages_is_unique_and_every_input_has_a_label(
    client, services, coordinator_in
):
    network = coordinator_in
    trajectory = {
        "id": "t1",
        "status": "active",
        "started_on": TODAY.isoformat(),
        "case_manager_id": MANAGER,
        "offer_id": None,
        "history": [],
    }
    case = a_case(network["id"], trajectories=[trajectory])
    services.answer("cases", "get_case", lambda cid, purpose: case)
    offer = services.defaults[("partners", "list_offers")](network["id"], {})[0]
    services.answer("partners", "list_offers", [offer])
    services.answer(
        "cases", "waiting_list", lambda oid, limit, offset, purpose: board(oid, [entry(), entry()])
    )
    for path in (
        "/gezin-aanmelden",
        "/consultatie",
        "/mijn-aanmeldingen",
        "/wachtlijst",
        "/caseload",
        f"/dossiers/{case['case_id']}",
        f"/dossiers/{case['case_id']}/plan",
        f"/dossiers/{case['case_id']}/privacy",
    ):
        page = client.get(path).get_data(as_text=True)
        ids = re.findall(r'\bid="([^"]+)"', page)
        assert len(ids) == len(set(ids)), (path, [i for i in ids if ids.count(i) > 1])
        labelled = set(re.findall(r'<label for="([^"]+)"', page))
        for tag, attrs in re.findall(r"<(input|select|textarea)\b([^>]*)>", page):
            if 'type="hidden"' in attrs or 'aria-hidden="true"' in attrs:
                continue
            found = re.search(r'\bid="([^"]+)"', attrs)
            assert found and found.group(1) in labelled, (path, tag, attrs)


# --- the closed loop: the offer's organisation answers, the plan's action statuses ---------

LOOP_OFFER = str(uuid.uuid4())


def worker_case(network_id, **over):
    return a_case(
        network_id,
        status="received",
        waiting=[],
        can_answer_offer_ids=[LOOP_OFFER],
        answers=[],
        **over,
    )


def test_the_offers_organisation_declines_with_a_reason_or_accepts_with_a_start(
    client, services, network, portal_sign_in
):
    portal_sign_in({network["id"]: ["family_coach"]})
    offer = services.defaults[("partners", "list_offers")](network["id"], {})[0]
    services.answer(
        "partners", "list_offers", [{**offer, "id": LOOP_OFFER, "title": "Thuisbegeleiding"}]
    )
    case = worker_case(network["id"])
    services.answer("cases", "get_case", lambda cid, purpose: case)
    page = client.get(f"/dossiers/{case['case_id']}").get_data(as_text=True)
    assert "Antwoord van de aanbieder" in page
    assert f'<option value="{LOOP_OFFER}" selected>Thuisbegeleiding</option>' in page
    token = token_of(page)
    url = f"/dossiers/{case['case_id']}/answer"
    base = {"csrf_token": token, "answer__offer_id": LOOP_OFFER}

    # Declining without a reason, accepting without a start: refused at the field.
    refused = client.post(url, data={**base, "answer__answer": "declined"})
    assert refused.status_code == 422
    assert "reden" in field_error(refused.get_data(as_text=True), "answer__reason").lower()
    refused = client.post(url, data={**base, "answer__answer": "accepted"})
    assert refused.status_code == 422
    assert field_error(refused.get_data(as_text=True), "answer__starts_on")
    far = be(TODAY + dt.timedelta(days=400))
    refused = client.post(
        url, data={**base, "answer__answer": "accepted", "answer__starts_on": far}
    )
    assert "een jaar" in field_error(refused.get_data(as_text=True), "answer__starts_on")
    assert services.calls_to("answer_referral") == []

    # The service's own refusal (a start before the referral) lands at the field too.
    services.fail(
        "cases",
        "answer_referral",
        ValidationFailed(
            "Dit antwoord kan zo niet.", {"starts_on": ["De start ligt voor de aanmelding."]}
        ),
    )
    early = client.post(
        url, data={**base, "answer__answer": "accepted", "answer__starts_on": be(TODAY)}
    )
    assert early.status_code == 422
    assert field_error(early.get_data(as_text=True), "answer__starts_on") == (
        "De start ligt voor de aanmelding."
    )
    services.errors.pop(("cases", "answer_referral"))
    declined = client.post(
        url, data={**base, "answer__answer": "declined", "answer__reason": "Geen plaats."}
    )
    assert declined.status_code == 303
    assert services.calls_to("answer_referral")[-1].args == (
        case["case_id"],
        {"offer_id": LOOP_OFFER, "answer": "declined", "reason": "Geen plaats.", "starts_on": None},
    )
    start = TODAY + dt.timedelta(days=7)
    accepted = client.post(
        url, data={**base, "answer__answer": "accepted", "answer__starts_on": be(start)}
    )
    assert accepted.status_code == 303
    assert services.calls_to("answer_referral")[-1].args[1]["starts_on"] == start.isoformat()


def test_answers_show_on_the_case_and_no_form_for_who_cannot_answer(
    client, services, coordinator_in
):
    answered = {
        "offer_id": LOOP_OFFER,
        "offer_title": "Thuisbegeleiding",
        "organisation": "CAW Oost-Vlaanderen",
        "answer": "declined",
        "reason": "Buiten ons werkingsgebied.",
        "starts_on": None,
        "answered_on": TODAY.isoformat(),
    }
    case = a_case(coordinator_in["id"], status="returned", answers=[answered])
    case["can_answer_offer_ids"] = []
    services.answer("cases", "get_case", lambda cid, purpose: case)
    page = client.get(f"/dossiers/{case['case_id']}").get_data(as_text=True)
    assert "<strong>Teruggewezen</strong>" in page and "Buiten ons werkingsgebied." in page
    assert "Antwoord geven" not in page
    assert f'href="/dossiers/{case["case_id"]}/triage"' in page
    triage = client.get(f"/dossiers/{case['case_id']}/triage").get_data(as_text=True)
    assert "Teruggewezen door CAW Oost-Vlaanderen" in triage
    assert "Beslissing vastleggen" in triage


def test_the_coordinator_sees_returned_families_with_the_reason(client, services, coordinator_in):
    row = services.defaults[("cases", "list_cases")](coordinator_in["id"], {})[0]
    returned = {**row, "status": "returned", "family_name": "Maes", "declined_reason": "Vol."}
    services.answer(
        "cases",
        "list_cases",
        lambda nid, filters: [returned] if filters.get("status") == "returned" else [],
    )
    page = client.get("/wachtlijst").get_data(as_text=True)
    assert "Teruggewezen door de aanbieder (1)" in page
    assert "teruggewezen: Vol." in page
    assert f'href="/dossiers/{returned["id"]}/triage"' in page


def test_the_referrer_reads_the_answer_in_the_follow_up(client, services, network, portal_sign_in):
    portal_sign_in({network["id"]: ["referrer"]})
    follow = services.defaults[("cases", "follow_up")]
    start = TODAY + dt.timedelta(days=5)
    services.answer(
        "cases",
        "follow_up",
        lambda cid: {
            **follow(cid),
            "answers": [
                {
                    "offer_id": LOOP_OFFER,
                    "offer_title": "Thuisbegeleiding",
                    "organisation": "CAW Oost-Vlaanderen",
                    "answer": "accepted",
                    "reason": "",
                    "starts_on": start.isoformat(),
                    "answered_on": TODAY.isoformat(),
                }
            ],
        },
    )
    page = client.get("/mijn-aanmeldingen").get_data(as_text=True)
    assert "<caption>Antwoord van de aanbieders</caption>" in page
    assert f"Aanvaard op {be(TODAY)}" in page and be(start) in page


def test_the_plan_editor_keeps_and_changes_each_actions_status(client, services, coordinator_in):
    case_id = str(uuid.uuid4())
    due = (TODAY + dt.timedelta(days=14)).isoformat()
    services.answer(
        "cases",
        "get_plan",
        lambda cid, version: {
            "version": 3,
            "plan": {
                "goals": [
                    {
                        "text": "Rust in huis.",
                        "actions": [
                            {
                                "text": "Avondroutine maken.",
                                "responsible_organisation_id": ORG,
                                "due_on": due,
                                "status": "running",
                            }
                        ],
                    }
                ],
                "family_part": "Samen eten.",
                "review_dates": [],
            },
            "changes": [],
            "author_id": str(uuid.uuid4()),
            "created_at": "2026-11-20T10:00:00+00:00",
        },
    )
    page = client.get(f"/dossiers/{case_id}/plan").get_data(as_text=True)
    assert '<option value="running" selected>Loopt</option>' in page
    form = {
        "csrf_token": token_of(page),
        "action": "save",
        "based_on_version": "3",
        "goal_0_text": "Rust in huis.",
        "goal_0_action_0_text": "Avondroutine maken.",
        "goal_0_action_0_org": ORG,
        "goal_0_action_0_due": be(TODAY + dt.timedelta(days=14)),
        "goal_0_action_0_status": "finished",
        "family_part": "Samen eten.",
    }
    refused = client.post(f"/dossiers/{case_id}/plan", data=form)
    assert refused.status_code == 422
    assert field_error(refused.get_data(as_text=True), "goal_0_action_0_status")
    assert services.calls_to("update_plan") == []
    saved = client.post(
        f"/dossiers/{case_id}/plan", data={**form, "goal_0_action_0_status": "done"}
    )
    assert saved.status_code == 303
    (call,) = services.calls_to("update_plan")
    assert call.args[1]["goals"][0]["actions"][0]["status"] == "done"


# --- one family, one record ------------------------------------------------------------------


def test_the_coordinator_searches_families_with_a_purpose_and_sees_likely_duplicates(
    client, services, coordinator_in
):
    network = coordinator_in
    case_id = str(uuid.uuid4())
    record = {
        "family_id": str(uuid.uuid4()),
        "municipality": "44083",
        "carers": ["Sara Janssens"],
        "children": [{"first_name": "Lotte", "birth_date": years_ago(7).isoformat()}],
        "case_ids": [case_id],
    }
    other = {**record, "carers": ["Sara Jansens"], "case_ids": [str(uuid.uuid4())]}
    services.answer("cases", "search_families", lambda nid, p: [record])
    services.answer(
        "cases",
        "likely_duplicates",
        lambda nid: [
            {
                "birth_date": years_ago(7).isoformat(),
                "names": ["Lote", "Lotte"],
                "records": [record, other],
            }
        ],
    )
    page = client.get("/gezinnen")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Mogelijk dubbele dossiers" in text
    assert "Sara Jansens" in text and "Lote, Lotte" in text
    token = token_of(text)
    # No purpose, or nothing to search on: refused at the field, no search.
    for data, name in (
        ({"name": "Lotte"}, "purpose"),
        ({"purpose": "Telefoon van de school."}, "name"),
        ({"name": "Lotte", "purpose": "Telefoon.", "birth_date": "morgen"}, "birth_date"),
    ):
        refused = client.post("/gezinnen", data={"csrf_token": token, **data})
        assert refused.status_code == 422, data
        assert field_error(refused.get_data(as_text=True), name), data
    assert services.calls_to("search_families") == []
    found = client.post(
        "/gezinnen",
        data={
            "csrf_token": token,
            "name": " Janssens ",
            "birth_date": be(years_ago(7)),
            "municipality": "",
            "purpose": "Telefoon van de school.",
        },
    )
    text = found.get_data(as_text=True)
    assert found.status_code == 200 and f"/dossiers/{case_id}" in text
    assert services.calls_to("search_families")[0].args == (
        network["id"],
        {
            "name": "Janssens",
            "birth_date": years_ago(7).isoformat(),
            "municipality": None,
            "purpose": "Telefoon van de school.",
        },
    )


def test_only_the_coordinator_searches_families(client, services, network, portal_sign_in):
    portal_sign_in({network["id"]: ["family_coach"]})
    assert client.get("/gezinnen").status_code == 403
    assert services.calls_to("likely_duplicates") == []


def test_the_boards_offers_are_asked_once_in_a_few_seconds_and_again_after_a_change(
    client, services, coordinator_in, page_token
):
    offer = services.defaults[("partners", "list_offers")](coordinator_in["id"], {})[0]
    for _ in range(3):
        assert "Toon de wachtlijst" in client.get("/wachtlijst").get_data(as_text=True)
    # the network's offers from partners once; the board from cases each time
    assert len(services.calls_to("list_offers")) == 1
    assert len(services.calls_to("waiting_board")) == 3
    # a change to the directory made through this gateway: the offers are asked again
    response = client.post(
        f"/aanbod/{offer['id']}/plaatsen",
        data={"csrf_token": page_token("/aanbod"), "free_places": "0", "status": "active"},
    )
    assert response.status_code == 303
    asked = len(services.calls_to("list_offers"))
    client.get("/wachtlijst")
    assert len(services.calls_to("list_offers")) == asked + 1
    # and a kept answer lasts READ_CACHE_SECONDS at most
    reads = client.application.extensions["reads"]
    reads._entries = {k: (0.0, v) for k, (_, v) in reads._entries.items()}
    client.get("/wachtlijst")
    assert len(services.calls_to("list_offers")) == asked + 2
