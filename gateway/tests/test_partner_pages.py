"""Portal pages for running a network (settings, agreements, task groups, gaps, import) and
for a partner's own organisation and offer."""

import base64
import io
import re
import uuid

import pytest

from verband_common.errors import Forbidden, ValidationFailed


def agreement_row(services, network_id=None, **over):
    made = services.defaults[("partners", "list_agreements")](network_id or str(uuid.uuid4()))
    return {**made[0], **over}


def offer_row(services, network_id, **over):
    return {**services.defaults[("partners", "list_offers")](network_id, {})[0], **over}


def organisation_row(services, **over):
    made = services.defaults[("partners", "get_organisation")](str(uuid.uuid4()))
    return {**made, **over}


def token_of(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def field_error(page: str, name: str) -> str:
    """The text of the error next to the input `name`, or "" when there is none."""
    found = re.search(rf'<span class="field-error" id="e-{re.escape(name)}">([^<]*)</span>', page)
    return found.group(1) if found else ""


def partner_worker(portal_sign_in, services, client, network, organisation_id):
    """Sign in as a partner worker of `organisation_id` in `network`."""
    person = portal_sign_in({network["id"]: ["partner_worker"]})
    services.partners.people[person["email"]]["organisation_id"] = organisation_id
    client.application.extensions["principals"].clear()
    return person


# --- navigation ----------------------------------------------------------------------------


def test_the_menu_shows_what_the_role_may_use(client, services, network, portal_sign_in):
    portal_sign_in({network["id"]: ["coordinator"]})
    page = client.get("/organisaties").get_data(as_text=True)
    for link in ("/netwerk/instellingen", "/afspraken", "/werkgroepen", "/lacunes", "/import"):
        assert f'href="{link}"' in page, link
    assert 'href="/mijn-organisatie"' not in page


def test_a_referrer_sees_no_management_in_the_menu(client, services, network, portal_sign_in):
    portal_sign_in({network["id"]: ["referrer"]})
    page = client.get("/organisaties").get_data(as_text=True)
    assert 'href="/aanbod/zoeken"' in page and 'href="/werkgroepen"' in page
    for link in ("/netwerk/instellingen", "/afspraken", "/lacunes", "/import", "/mijn-aanbod"):
        assert f'href="{link}"' not in page, link


def test_a_case_manager_sees_agreements_and_a_partner_their_own_pages(
    client, services, network, portal_sign_in
):
    portal_sign_in({network["id"]: ["case_manager"]})
    page = client.get("/organisaties").get_data(as_text=True)
    assert 'href="/afspraken"' in page and 'href="/netwerk/instellingen"' not in page
    client.post("/afmelden", data={"csrf_token": token_of(page)})
    partner_worker(portal_sign_in, services, client, network, str(uuid.uuid4()))
    page = client.get("/organisaties").get_data(as_text=True)
    assert 'href="/mijn-organisatie"' in page and 'href="/mijn-aanbod"' in page
    assert 'href="/afspraken"' not in page


# --- access --------------------------------------------------------------------------------

COORDINATOR_PAGES = ("/netwerk/instellingen", "/lacunes", "/import")


@pytest.mark.parametrize("path", [*COORDINATOR_PAGES, "/afspraken", "/werkgroepen"])
def test_pages_need_someone_signed_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/aanmelden")


@pytest.mark.parametrize("path", [*COORDINATOR_PAGES, "/afspraken"])
@pytest.mark.parametrize("role", ["referrer", "partner_worker", "family_coach"])
def test_management_pages_are_refused_to_other_roles(
    client, services, network, portal_sign_in, path, role
):
    portal_sign_in({network["id"]: [role]})
    response = client.get(path)
    assert response.status_code == 403
    assert "Geen toegang" in response.get_data(as_text=True)


@pytest.mark.parametrize("path", [*COORDINATOR_PAGES, "/afspraken", "/werkgroepen", "/mijn-aanbod"])
def test_a_page_of_a_network_asks_to_choose_it_first(client, services, portal_sign_in, path):
    portal_sign_in({str(uuid.uuid4()): ["coordinator"], str(uuid.uuid4()): ["coordinator"]})
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/netwerk?volgende=")


@pytest.mark.parametrize("role", ["coordinator", "network_admin"])
@pytest.mark.parametrize(
    "path", [*COORDINATOR_PAGES, "/afspraken", "/werkgroepen", "/aanbod", "/organisaties"]
)
def test_management_pages_render_for_coordinators_and_admins(
    client, services, network, portal_sign_in, role, path
):
    portal_sign_in({network["id"]: [role]})
    response = client.get(path)
    assert response.status_code == 200, response.get_data(as_text=True)


@pytest.mark.parametrize(
    "path",
    [
        "/netwerk/instellingen",
        "/afspraken",
        "/werkgroepen",
        "/import",
        "/organisaties/{org}",
        "/afspraken/{agreement}/opvolging",
    ],
)
def test_a_form_without_its_csrf_token_is_refused(client, services, network, portal_sign_in, path):
    portal_sign_in({network["id"]: ["coordinator"]})
    agreement = agreement_row(services, network_id=network["id"])
    services.answer("partners", "list_agreements", [agreement])
    url = path.format(org=uuid.uuid4(), agreement=agreement["id"])
    response = client.post(url, data={"name": "X", "title": "X", "held_on": "2026-11-20"})
    assert response.status_code == 403
    assert "formulier is verlopen" in response.get_data(as_text=True)
    assert not [
        c
        for c in services.calls
        if c.method.startswith(("update_", "record_", "add_", "create_", "import_"))
    ]


# --- network settings ----------------------------------------------------------------------


def test_the_settings_form_shows_what_is_set(client, services, network, portal_sign_in):
    portal_sign_in({network["id"]: ["coordinator"]})
    settings = {
        "waiting_weights": {"waiting_days": 1.5, "concern": 2.0, "multiproblem": 1.0},
        "warm_contact_interval_days": 14,
        "pickup_guideline_days": 30,
        "targets": [
            {"code": "extra_gezinsbegeleidingen", "label": "Extra", "value": 1200, "period": "year"}
        ],
    }
    services.answer(
        "partners",
        "get_network",
        lambda nid: {**network, "municipalities": ["44083", "43005"], "settings": settings},
    )
    page = client.get("/netwerk/instellingen").get_data(as_text=True)
    assert '<label for="f-weight_waiting_days">' in page
    assert 'id="f-weight_waiting_days" name="weight_waiting_days" type="text" value="1,5"' in page
    assert 'value="Deinze, Eeklo"' in page  # by name, as a person types them
    assert 'value="extra_gezinsbegeleidingen"' in page
    assert "<td>1.200</td>" in page
    assert f'href="/api/networks/{network["id"]}/hsds.json"' in page


def test_the_settings_page_explains_the_default_weights(client, services, network, portal_sign_in):
    portal_sign_in({network["id"]: ["coordinator"]})
    services.answer("partners", "get_network", lambda nid: {**network, "settings": {}})
    page = client.get("/netwerk/instellingen").get_data(as_text=True)
    # Without weights of its own the form holds the defaults, and says why they are so.
    assert 'name="weight_concern" type="text" value="22"' in page
    assert "ernstige zorgen (2 × 22 = 44 punten)" in page
    assert "tot zes weken langer wacht" in page


def test_a_coordinator_saves_the_network_settings(client, services, network, portal_sign_in):
    portal_sign_in({network["id"]: ["coordinator"]})
    token = token_of(client.get("/netwerk/instellingen").get_data(as_text=True))
    response = client.post(
        "/netwerk/instellingen",
        data={
            "csrf_token": token,
            "weight_waiting_days": "1,5",
            "weight_concern": "2",
            "weight_multiproblem": "0.5",
            "warm_contact_interval_days": "10",
            "pickup_guideline_days": "21",
            # A name, a postcode and a NIS code, as people write them.
            "municipalities": "deinze; 9900, 44084",
            "target_code_0": "extra_gezinsbegeleidingen",
            "target_label_0": "Extra gezinsbegeleidingen",
            "target_value_0": "200",
            "target_code_1": "",
            "target_label_1": "",
            "target_value_1": "",
            "target_code_2": "aanmeldingen",
            "target_label_2": "Aanmeldingen",
            "target_value_2": "1.000",
        },
    )
    assert response.status_code == 302
    (saved,) = services.calls_to("update_network_settings")
    assert saved.args == (
        network["id"],
        {
            "municipalities": ["44083", "43005", "44084"],
            "waiting_weights": {"waiting_days": 1.5, "concern": 2.0, "multiproblem": 0.5},
            "warm_contact_interval_days": 10,
            "pickup_guideline_days": 21,
            "targets": [
                {
                    "code": "extra_gezinsbegeleidingen",
                    "label": "Extra gezinsbegeleidingen",
                    "value": 200,
                    "period": "year",
                },
                {"code": "aanmeldingen", "label": "Aanmeldingen", "value": 1000, "period": "year"},
            ],
        },
    )


SETTINGS_FORM = {
    "weight_waiting_days": "1",
    "weight_concern": "1",
    "weight_multiproblem": "1",
    "warm_contact_interval_days": "14",
    "pickup_guideline_days": "30",
    "municipalities": "44083",
}


def test_bad_settings_are_named_next_to_their_field(client, services, network, portal_sign_in):
    portal_sign_in({network["id"]: ["network_admin"]})
    token = token_of(client.get("/netwerk/instellingen").get_data(as_text=True))
    response = client.post(
        "/netwerk/instellingen",
        data={
            **SETTINGS_FORM,
            "csrf_token": token,
            "weight_concern": "veel",
            "pickup_guideline_days": "0",
            "municipalities": "Deinze, Nergensdorp",
            "target_code_3": "Extra!",
            "target_label_3": "Extra",
            "target_value_3": "twee",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert field_error(page, "weight_concern") == "Geef een getal."
    assert field_error(page, "pickup_guideline_days") == "Geef 1 tot 365 dagen."
    assert field_error(page, "municipalities") == (
        "Onbekende gemeente: Nergensdorp. Geef een naam, postcode of NIS-code."
    )
    assert field_error(page, "target_code_3") == "Kleine letters, cijfers en _."
    assert field_error(page, "target_value_3") == "Geef een geheel getal."
    assert (
        'value="veel"' in page and 'value="Deinze, Nergensdorp"' in page and 'value="twee"' in page
    )
    assert services.calls_to("update_network_settings") == []


def test_the_services_refusal_lands_next_to_the_settings_field(
    client, services, network, portal_sign_in
):
    portal_sign_in({network["id"]: ["coordinator"]})
    services.fail(
        "partners",
        "update_network_settings",
        ValidationFailed(
            "De invoer is ongeldig.",
            {
                "municipalities.1": ["Onbekende NIS-code: 99999."],
                "targets.0.code": ["Deze code bestaat al."],
            },
        ),
    )
    token = token_of(client.get("/netwerk/instellingen").get_data(as_text=True))
    response = client.post(
        "/netwerk/instellingen",
        data={
            **SETTINGS_FORM,
            "csrf_token": token,
            "municipalities": "44083, 99999",
            # The first filled-in row is the service's targets.0, whatever its row number.
            "target_code_2": "extra",
            "target_label_2": "Extra",
            "target_value_2": "5",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "De invoer is ongeldig." in page
    assert field_error(page, "municipalities") == "Onbekende NIS-code: 99999."
    assert field_error(page, "target_code_2") == "Deze code bestaat al."


# --- agreements ----------------------------------------------------------------------------


def test_agreements_due_for_follow_up_come_first_and_stand_out(
    client, services, network, portal_sign_in
):
    portal_sign_in({network["id"]: ["coordinator"]})
    calm = agreement_row(
        services, title="Crisisafspraak", kind="crisis_point", next_follow_up_on="2027-03-01"
    )
    due = agreement_row(
        services, title="Volumeafspraak OCJ", follow_up_due=True, next_follow_up_on="2026-11-01"
    )
    services.answer("partners", "list_agreements", [calm, due])
    page = client.get("/afspraken").get_data(as_text=True)
    assert page.index("Volumeafspraak OCJ") < page.index("Crisisafspraak")
    assert '<tr class="due">' in page and "Opvolging nodig" in page
    assert "(sinds 01/11/2026)" in page and "01/03/2027" in page and "01/01/2026" in page
    assert "3 van 12 gezinnen" in page
    assert 'id="nieuw">Afspraak vastleggen' in page


def test_a_case_manager_reads_agreements_but_records_none(
    client, services, network, portal_sign_in
):
    portal_sign_in({network["id"]: ["case_manager"]})
    page = client.get("/afspraken").get_data(as_text=True)
    assert "Volumeafspraak OCJ" in page and "Afspraak vastleggen" not in page
    response = client.post("/afspraken", data={"csrf_token": token_of(page), "title": "X"})
    assert response.status_code == 403
    assert services.calls_to("record_agreement") == []


def test_a_coordinator_records_an_agreement(client, services, network, portal_sign_in):
    portal_sign_in({network["id"]: ["coordinator"]})
    ocj = organisation_row(services, name="OCJ Oost-Vlaanderen", sector="mandated_body")
    services.answer("partners", "list_organisations", [ocj])
    page = client.get("/afspraken").get_data(as_text=True)
    assert f'<option value="{ocj["id"]}" >OCJ Oost-Vlaanderen</option>' in page
    response = client.post(
        "/afspraken",
        data={
            "csrf_token": token_of(page),
            "title": "Volumeafspraak 2027",
            "kind": "mandated_body",
            "party_organisations": [ocj["id"]],
            "party_names": "SDJ Gent",
            "starts_on": "01/01/2027",
            "ends_on": "2027-12-31",
            "agreed_number": "24",
            "used_number": "",
            "unit": "",
            "status": "",
            "notes": "Evaluatie per kwartaal.",
            "next_follow_up_on": "2027-03-31",
        },
    )
    assert response.status_code == 302
    (recorded,) = services.calls_to("record_agreement")
    assert recorded.args == (
        network["id"],
        {
            "title": "Volumeafspraak 2027",
            "kind": "mandated_body",
            "parties": [
                {"organisation_id": ocj["id"], "name": "OCJ Oost-Vlaanderen"},
                {"organisation_id": None, "name": "SDJ Gent"},
            ],
            "starts_on": "2027-01-01",
            "ends_on": "2027-12-31",
            "agreed_number": 24,
            "used_number": 0,
            "unit": "gezinnen",
            "status": "active",
            "notes": "Evaluatie per kwartaal.",
            "next_follow_up_on": "2027-03-31",
        },
    )


def test_a_bad_agreement_keeps_its_input(client, services, network, portal_sign_in):
    portal_sign_in({network["id"]: ["coordinator"]})
    token = token_of(client.get("/afspraken").get_data(as_text=True))
    response = client.post(
        "/afspraken",
        data={
            "csrf_token": token,
            "title": "Crisisafspraak",
            "kind": "",
            "party_names": "",
            "starts_on": "01/06/2027",
            "ends_on": "31/05/2027",
            "agreed_number": "veel",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert field_error(page, "kind") == "Kies een soort afspraak."
    assert field_error(page, "party_names") == "Geef minstens één partij."
    assert field_error(page, "agreed_number") == "Geef een geheel getal."
    assert 'value="Crisisafspraak"' in page and 'value="veel"' in page
    assert 'value="01/06/2027"' in page
    backwards = client.post(
        "/afspraken",
        data={
            "csrf_token": token,
            "title": "Crisisafspraak",
            "kind": "crisis_point",
            "party_names": "Crisismeldpunt",
            "starts_on": "01/06/2027",
            "ends_on": "31/05/2027",
            "agreed_number": "4",
        },
    )
    assert backwards.status_code == 422
    assert field_error(backwards.get_data(as_text=True), "ends_on") == (
        "De einddatum ligt voor de begindatum."
    )
    assert services.calls_to("record_agreement") == []


def test_the_services_refusal_of_an_agreement_lands_next_to_the_parties(
    client, services, network, portal_sign_in
):
    portal_sign_in({network["id"]: ["coordinator"]})
    services.fail(
        "partners",
        "record_agreement",
        ValidationFailed(
            "De invoer is ongeldig.",
            {"parties.0.organisation_id": ["Deze organisatie is geen partner van het netwerk."]},
        ),
    )
    token = token_of(client.get("/afspraken").get_data(as_text=True))
    response = client.post(
        "/afspraken",
        data={
            "csrf_token": token,
            "title": "Crisisafspraak",
            "kind": "crisis_point",
            "party_names": "Crisismeldpunt",
            "starts_on": "2027-01-01",
            "agreed_number": "4",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert field_error(page, "party_names") == "Deze organisatie is geen partner van het netwerk."
    assert 'value="Crisismeldpunt"' in page


def test_a_coordinator_adds_a_follow_up(client, services, network, portal_sign_in):
    portal_sign_in({network["id"]: ["coordinator"]})
    agreement = agreement_row(
        services,
        network_id=network["id"],
        follow_ups=[
            {
                "id": str(uuid.uuid4()),
                "held_on": "2026-06-15",
                "notes": "Eerste evaluatie.",
                "used_number": 3,
                "next_follow_up_on": "2026-11-01",
                "created_at": "2026-06-15T10:00:00+00:00",
            }
        ],
    )
    agreement["referrals_counted"] = 1234
    services.answer("partners", "list_agreements", [agreement])
    url = f"/afspraken/{agreement['id']}/opvolging"
    page = client.get(url).get_data(as_text=True)
    assert "Eerste evaluatie." in page and "15/06/2026" in page
    # What the referrals themselves say, beside what the follow-ups recorded.
    assert "<dt>Aanmeldingen geteld</dt><dd>1.234 " in page
    assert '<label for="f-held_on">' in page
    token = token_of(page)
    bad = client.post(url, data={"csrf_token": token, "held_on": "", "notes": "Besproken."})
    bad_page = bad.get_data(as_text=True)
    assert bad.status_code == 422
    assert field_error(bad_page, "held_on") == "Dit veld mag niet leeg zijn."
    assert "Besproken.</textarea>" in bad_page
    good = client.post(
        url,
        data={
            "csrf_token": token,
            "held_on": "20/11/2026",
            "notes": "Halfweg, op schema.",
            "used_number": "7",
            "next_follow_up_on": "",
        },
    )
    assert good.status_code == 302
    (added,) = services.calls_to("add_agreement_follow_up")
    assert added.args == (
        agreement["id"],
        {
            "held_on": "2026-11-20",
            "notes": "Halfweg, op schema.",
            "used_number": 7,
            "next_follow_up_on": None,
        },
    )


def test_a_follow_up_of_an_unknown_agreement_is_not_found(
    client, services, network, portal_sign_in
):
    portal_sign_in({network["id"]: ["coordinator"]})
    assert client.get(f"/afspraken/{uuid.uuid4()}/opvolging").status_code == 404


def test_an_iroj_viewer_reads_a_follow_up_but_adds_none(client, services, network, portal_sign_in):
    portal_sign_in({network["id"]: ["iroj_viewer"]})
    agreement = agreement_row(services, network_id=network["id"])
    services.answer("partners", "list_agreements", [agreement])
    url = f"/afspraken/{agreement['id']}/opvolging"
    page = client.get(url).get_data(as_text=True)
    assert "Opvolging toevoegen" not in page
    response = client.post(url, data={"csrf_token": token_of(page), "held_on": "2026-11-20"})
    assert response.status_code == 403
    assert services.calls_to("add_agreement_follow_up") == []


# --- task groups ---------------------------------------------------------------------------


def test_any_role_reads_task_groups_but_only_a_coordinator_creates_them(
    client, services, network, portal_sign_in
):
    portal_sign_in({network["id"]: ["partner_worker"]})
    page = client.get("/werkgroepen").get_data(as_text=True)
    assert "Kansarmoede" in page and "Werkgroep oprichten" not in page
    response = client.post("/werkgroepen", data={"csrf_token": token_of(page), "name": "X"})
    assert response.status_code == 403
    assert services.calls_to("create_task_group") == []


def test_a_coordinator_creates_a_task_group(client, services, network, portal_sign_in):
    portal_sign_in({network["id"]: ["coordinator"]})
    page = client.get("/werkgroepen").get_data(as_text=True)
    member, other = str(uuid.uuid4()), str(uuid.uuid4())
    organisation = str(uuid.uuid4())
    response = client.post(
        "/werkgroepen",
        data={
            "csrf_token": token_of(page),
            "name": "Diversiteit",
            "theme": "diversity",
            "mandate": "Toegang voor nieuwkomers verbeteren.",
            "members": [member, other],
            "organisations": [organisation],
        },
    )
    assert response.status_code == 302
    (created,) = services.calls_to("create_task_group")
    assert created.args == (
        network["id"],
        {
            "name": "Diversiteit",
            "theme": "diversity",
            "mandate": "Toegang voor nieuwkomers verbeteren.",
            "members": [member, other],
            "organisations": [organisation],
        },
    )


def test_a_bad_task_group_keeps_its_input_and_names_the_field(
    client, services, network, portal_sign_in
):
    portal_sign_in({network["id"]: ["coordinator"]})
    services.answer("partners", "list_people", [])
    token = token_of(client.get("/werkgroepen").get_data(as_text=True))
    response = client.post(
        "/werkgroepen",
        data={"csrf_token": token, "name": "Armoede", "theme": "", "mandate": "Drempels weg."},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert field_error(page, "theme") == "Kies een thema."
    assert 'value="Armoede"' in page and "Drempels weg.</textarea>" in page
    member = str(uuid.uuid4())
    services.fail(
        "partners",
        "create_task_group",
        ValidationFailed(
            "De invoer is ongeldig.",
            {"members.0": ["Deze persoon heeft geen rol in dit netwerk."]},
        ),
    )
    refused = client.post(
        "/werkgroepen",
        data={
            "csrf_token": token,
            "name": "Armoede",
            "theme": "poverty",
            "mandate": "Drempels weg.",
            "members": [member],
        },
    )
    assert refused.status_code == 422
    assert field_error(refused.get_data(as_text=True), "members") == (
        "Deze persoon heeft geen rol in dit netwerk."
    )


# --- gaps ----------------------------------------------------------------------------------


def test_a_coordinator_sees_the_gaps(client, services, network, portal_sign_in):
    portal_sign_in({network["id"]: ["coordinator"]})
    full_id = str(uuid.uuid4())
    services.answer(
        "partners",
        "gaps",
        {
            "uncovered": [
                {"municipality": "44083", "municipality_name": "Deinze", "kind": "consultation"},
                {"municipality": "44083", "municipality_name": "Deinze", "kind": "group_offer"},
                {
                    "municipality": "44084",
                    "municipality_name": "Nazareth-De Pinte",
                    "kind": "other",
                },
            ],
            "full_with_waiting": [
                {"offer_id": full_id, "title": "Gezinscoaching", "waiting": 1200}
            ],
        },
    )
    page = client.get("/lacunes").get_data(as_text=True)
    assert "<td>Deinze (44083)</td><td>Consult, Groepsaanbod</td>" in page
    assert "Nazareth-De Pinte (44084)" in page
    assert "<td>Gezinscoaching</td><td>1.200</td>" in page
    assert services.calls_to("gaps")[0].args == (network["id"],)


# --- a partner's own organisation ----------------------------------------------------------


def test_a_partner_worker_keeps_their_own_profile(client, services, network, portal_sign_in):
    own = str(uuid.uuid4())
    partner_worker(portal_sign_in, services, client, network, own)
    response = client.get("/mijn-organisatie")
    assert response.status_code == 302 and response.headers["Location"] == f"/organisaties/{own}"
    page = client.get(f"/organisaties/{own}").get_data(as_text=True)
    assert "Algemeen welzijnswerk.</textarea>" in page and 'value="info@caw.be"' in page
    assert '<label for="f-contact_phone">' in page
    saved = client.post(
        f"/organisaties/{own}",
        data={
            "csrf_token": token_of(page),
            "profile": "Wij begeleiden gezinnen in Deinze.",
            "contact_email": "onthaal@caw.be",
            "contact_phone": "09 123 45 67",
            "contact_address": "",
            "municipalities": "44083, 44084",
        },
    )
    assert saved.status_code == 302
    (update,) = services.calls_to("update_organisation")
    assert update.args == (
        own,
        {
            "profile": "Wij begeleiden gezinnen in Deinze.",
            "contact": {"email": "onthaal@caw.be", "phone": "09 123 45 67", "address": None},
            "municipalities": ["44083", "44084"],
        },
    )
    assert update.actor.startswith("person:")


def test_a_partner_worker_may_not_edit_another_organisation(
    client, services, network, portal_sign_in
):
    partner_worker(portal_sign_in, services, client, network, str(uuid.uuid4()))
    other = uuid.uuid4()
    assert client.get(f"/organisaties/{other}").status_code == 403
    page = client.get("/aanbod").get_data(as_text=True)
    response = client.post(f"/organisaties/{other}", data={"csrf_token": token_of(page)})
    assert response.status_code == 403
    assert services.calls_to("get_organisation") == []
    assert services.calls_to("update_organisation") == []


def test_someone_without_an_organisation_has_no_own_profile(
    client, services, network, portal_sign_in
):
    portal_sign_in({network["id"]: ["referrer"]})
    assert client.get("/mijn-organisatie").status_code == 404
    assert client.get(f"/organisaties/{uuid.uuid4()}").status_code == 403


def test_a_coordinator_edits_a_profile_and_mistakes_stay_next_to_the_field(
    client, services, network, portal_sign_in
):
    portal_sign_in({network["id"]: ["coordinator"]})
    oid = str(uuid.uuid4())
    page = client.get(f"/organisaties/{oid}").get_data(as_text=True)
    form = {
        "csrf_token": token_of(page),
        "profile": "Nieuw profiel.",
        "contact_email": "geen-adres",
        "contact_phone": "",
        "contact_address": "Kerkstraat 1, 9800 Deinze",
        "municipalities": "44083",
    }
    bad = client.post(f"/organisaties/{oid}", data=form)
    bad_page = bad.get_data(as_text=True)
    assert bad.status_code == 422
    assert field_error(bad_page, "contact_email") == "Geef een geldig e-mailadres."
    assert 'value="geen-adres"' in bad_page and 'value="Kerkstraat 1, 9800 Deinze"' in bad_page
    assert services.calls_to("update_organisation") == []
    services.fail(
        "partners",
        "update_organisation",
        ValidationFailed(
            "De invoer is ongeldig.",
            {"contact.phone": ["Geef een telefoonnummer."], "municipalities.0": ["Onbekend."]},
        ),
    )
    refused = client.post(
        f"/organisaties/{oid}", data={**form, "contact_email": "", "contact_phone": "09 123 45 67"}
    )
    refused_page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert field_error(refused_page, "contact_phone") == "Geef een telefoonnummer."
    assert field_error(refused_page, "municipalities") == "Onbekend."


def test_the_organisations_list_links_to_their_profiles(client, services, network, portal_sign_in):
    portal_sign_in({network["id"]: ["coordinator"]})
    organisation = organisation_row(services)
    services.answer("partners", "list_organisations", [organisation])
    page = client.get("/organisaties").get_data(as_text=True)
    assert f'href="/organisaties/{organisation["id"]}"' in page


# --- a partner's own offer -----------------------------------------------------------------


def test_a_partner_worker_keeps_their_own_offer_current(client, services, network, portal_sign_in):
    own = str(uuid.uuid4())
    partner_worker(portal_sign_in, services, client, network, own)
    mine = offer_row(
        services,
        network["id"],
        organisation_id=own,
        title="Ons aanbod",
        can_start_from="2026-12-07",
    )
    theirs = offer_row(services, network["id"], title="Ander aanbod")
    services.answer("partners", "list_offers", [mine, theirs])
    page = client.get("/mijn-aanbod").get_data(as_text=True)
    assert "Ons aanbod" in page and "Ander aanbod" not in page
    assert "07/12/2026" in page and 'name="terug" value="mijn"' in page
    assert '<label for="start-' in page and "Kan starten vanaf" in page
    url = f"/aanbod/{mine['id']}/plaatsen"
    bad = client.post(
        url,
        data={
            "csrf_token": token_of(page),
            "terug": "mijn",
            "free_places": "veel",
            "status": "active",
            "can_start_from": "31/02/2027",
        },
    )
    bad_page = bad.get_data(as_text=True)
    assert bad.status_code == 422
    assert field_error(bad_page, f"free-{mine['id']}") == "Geef een geheel getal."
    assert field_error(bad_page, f"start-{mine['id']}") == "Geef een datum (JJJJ-MM-DD)."
    assert 'value="veel"' in bad_page and "Ander aanbod" not in bad_page
    assert services.calls_to("update_offer") == []
    good = client.post(
        url,
        data={
            "csrf_token": token_of(page),
            "terug": "mijn",
            "free_places": "3",
            "status": "paused",
            "can_start_from": "04/01/2027",
        },
    )
    assert good.status_code == 303 and good.headers["Location"] == "/mijn-aanbod"
    assert services.calls_to("update_offer")[0].args == (
        mine["id"],
        {"free_places": 3, "status": "paused", "can_start_from": "2027-01-04"},
    )


def test_the_services_refusal_of_free_places_shows_next_to_the_offer(
    client, services, network, portal_sign_in
):
    own = str(uuid.uuid4())
    partner_worker(portal_sign_in, services, client, network, own)
    mine = offer_row(services, network["id"], organisation_id=own, capacity=4)
    services.answer("partners", "list_offers", [mine])
    services.fail(
        "partners",
        "update_offer",
        ValidationFailed(
            "De invoer is ongeldig.",
            {"free_places": ["Er kunnen niet meer vrije plaatsen zijn dan de capaciteit."]},
        ),
    )
    page = client.get("/aanbod").get_data(as_text=True)
    response = client.post(
        f"/aanbod/{mine['id']}/plaatsen",
        data={"csrf_token": token_of(page), "free_places": "9", "status": "active"},
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "De invoer is ongeldig." in text
    assert field_error(text, f"free-{mine['id']}") == (
        "Er kunnen niet meer vrije plaatsen zijn dan de capaciteit."
    )
    assert 'value="9"' in text


def test_a_refused_update_of_someone_elses_offer_is_shown(
    client, services, network, portal_sign_in
):
    partner_worker(portal_sign_in, services, client, network, str(uuid.uuid4()))
    services.fail("partners", "update_offer", Forbidden("Alleen het aanbod van je organisatie."))
    page = client.get("/aanbod").get_data(as_text=True)
    response = client.post(
        f"/aanbod/{uuid.uuid4()}/plaatsen",
        data={"csrf_token": token_of(page), "free_places": "1", "status": "active"},
    )
    assert response.status_code == 403
    assert "Alleen het aanbod van je organisatie." in response.get_data(as_text=True)


def test_own_offer_is_for_partner_workers(client, services, network, portal_sign_in):
    portal_sign_in({network["id"]: ["coordinator"]})
    assert client.get("/mijn-aanbod").status_code == 403


# --- import and export ---------------------------------------------------------------------

CSV = "naam;kbo;sector;rol;start\nCAW;0403170701;caw;partner;2026-01-01\n"


def upload(text: str | bytes, name="partners.csv"):
    raw = text.encode() if isinstance(text, str) else text
    return (io.BytesIO(raw), name)


def test_a_dry_run_lists_every_bad_row(client, services, network, portal_sign_in):
    portal_sign_in({network["id"]: ["coordinator"]})
    page = client.get("/import").get_data(as_text=True)
    assert '<label for="f-file">' in page and 'enctype="multipart/form-data"' in page
    services.answer(
        "partners",
        "import_csv",
        {
            "dry_run": True,
            "rows": 3,
            "errors": [
                {"line": 2, "field": "kbo", "message": "Dit ondernemingsnummer klopt niet."},
                {"line": 4, "field": "_row", "message": "Te weinig kolommen."},
            ],
            "created": 0,
        },
    )
    response = client.post(
        "/import",
        data={
            "csrf_token": token_of(page),
            "action": "check",
            "kind": "organisations",
            "file": upload("\ufeff" + CSV),
        },
        content_type="multipart/form-data",
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<td>2</td><td>kbo</td><td>Dit ondernemingsnummer klopt niet.</td>" in text
    assert "<td>4</td><td>hele rij</td><td>Te weinig kolommen.</td>" in text
    assert 'name="csv_b64"' not in text and "importeren</button>" not in text
    (checked,) = services.calls_to("import_csv")
    # The byte-order mark of a spreadsheet's export is dropped.
    assert checked.args == (network["id"], "organisations", CSV, True)


def test_a_clean_file_is_imported_after_confirmation(client, services, network, portal_sign_in):
    portal_sign_in({network["id"]: ["network_admin"]})
    token = token_of(client.get("/import").get_data(as_text=True))
    checked = client.post(
        "/import",
        data={"csrf_token": token, "action": "check", "kind": "offer", "file": upload(CSV)},
        content_type="multipart/form-data",
    )
    text = checked.get_data(as_text=True)
    assert checked.status_code == 200
    assert "Alle 2 rijen zijn in orde." in text and "2 rijen importeren</button>" in text
    carried = re.search(r'name="csv_b64" value="([^"]+)"', text).group(1)
    assert base64.b64decode(carried).decode() == CSV
    confirmed = client.post(
        "/import",
        data={"csrf_token": token, "action": "confirm", "kind": "offer", "csv_b64": carried},
    )
    done = confirmed.get_data(as_text=True)
    assert confirmed.status_code == 200
    assert "Bezig met importeren…" in done and "2 rijen geïmporteerd." in done
    assert '<a href="/aanbod">Naar de hulpaanbod</a>' in done
    dry, real = services.calls_to("import_csv")
    assert dry.args == (network["id"], "offer", CSV, True)
    assert real.args == (network["id"], "offer", CSV, False)


def test_a_confirmed_import_that_fails_imports_nothing_and_says_why(
    client, services, network, portal_sign_in
):
    portal_sign_in({network["id"]: ["coordinator"]})
    token = token_of(client.get("/import").get_data(as_text=True))
    services.answer(
        "partners",
        "import_csv",
        lambda nid, kind, text, dry_run: {
            "dry_run": dry_run,
            "rows": 1,
            "errors": [{"line": 2, "field": "kbo", "message": "Dit nummer is al in gebruik."}],
            "created": 0,
        },
    )
    response = client.post(
        "/import",
        data={
            "csrf_token": token,
            "action": "confirm",
            "kind": "organisations",
            "csv_b64": base64.b64encode(CSV.encode()).decode(),
        },
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and "Bezig met importeren…" in text
    assert "er werd niets geïmporteerd" in text and "Dit nummer is al in gebruik." in text
    assert "geïmporteerd. <a" not in text


def test_checking_a_file_shows_a_waiting_state_first_without_javascript(
    client, services, network, portal_sign_in
):
    portal_sign_in({network["id"]: ["coordinator"]})
    token = token_of(client.get("/import").get_data(as_text=True))
    response = client.post(
        "/import",
        data={"csrf_token": token, "action": "check", "kind": "offer", "file": upload(CSV)},
        content_type="multipart/form-data",
    )
    assert response.is_streamed and response.mimetype == "text/html"
    # The first block, sent before the service is asked, says the page is busy.
    chunks = iter(response.response)
    first = next(chunks).decode()
    assert services.calls_to("import_csv") == []
    assert 'id="bezig"' in first and "Bezig met controleren…" in first
    assert 'role="status"' in first and "<progress" in first
    assert len(first.encode()) >= 1024 and "Alle 2 rijen" not in first
    rest = b"".join(chunks).decode()
    assert len(services.calls_to("import_csv")) == 1
    # Then the outcome, and the busy notice is hidden.
    # (A stylesheet, not an inline style: the Content-Security-Policy allows none.)
    hide = '<link rel="stylesheet" href="/static/import-done.css">'
    assert hide in rest
    assert rest.index(hide) < rest.index("Alle 2 rijen zijn in orde.")
    done_css = client.get("/static/import-done.css").get_data(as_text=True)
    assert "#bezig { display: none; }" in done_css
    assert rest.rstrip().endswith("</html>")


def test_an_import_without_file_or_kind_names_both(client, services, network, portal_sign_in):
    portal_sign_in({network["id"]: ["coordinator"]})
    token = token_of(client.get("/import").get_data(as_text=True))
    response = client.post(
        "/import",
        data={"csrf_token": token, "action": "check", "kind": ""},
        content_type="multipart/form-data",
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    assert field_error(text, "file") == "Kies een CSV-bestand."
    assert field_error(text, "kind") == "Kies wat je importeert."
    not_utf8 = client.post(
        "/import",
        data={
            "csrf_token": token,
            "action": "check",
            "kind": "offer",
            "file": upload("naam;caf\xe9\n".encode("latin-1")),
        },
        content_type="multipart/form-data",
    )
    text = not_utf8.get_data(as_text=True)
    assert not_utf8.status_code == 422
    assert "geen UTF-8" in field_error(text, "file")
    assert '<option value="offer" selected>' in text
    assert services.calls_to("import_csv") == []


def test_a_referrer_may_not_import(client, services, network, portal_sign_in):
    portal_sign_in({network["id"]: ["referrer"]})
    page = client.get("/aanbod").get_data(as_text=True)
    response = client.post(
        "/import",
        data={
            "csrf_token": token_of(page),
            "action": "check",
            "kind": "offer",
            "file": upload(CSV),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 403
    assert services.calls_to("import_csv") == []


def test_the_hsds_export_downloads_with_the_session(client, services, network, portal_sign_in):
    portal_sign_in({network["id"]: ["coordinator"]})
    page = client.get("/import").get_data(as_text=True)
    link = f"/api/networks/{network['id']}/hsds.json"
    assert f'href="{link}" download' in page
    response = client.get(link)
    assert response.status_code == 200
    assert services.calls_to("export_hsds")[0].args == (network["id"],)


# --- the offer's entry in the public guide ---------------------------------------------------


def test_a_partner_worker_keeps_the_guide_entry_of_her_organisations_offer(
    client, services, network, portal_sign_in
):
    own = str(uuid.uuid4())
    partner_worker(portal_sign_in, services, client, network, own)
    mine = offer_row(services, network["id"], organisation_id=own, opening_hours="ma-vr 9-17")
    services.answer("partners", "list_offers", [mine])
    services.answer("partners", "get_offer", mine)
    listed = client.get("/mijn-aanbod").get_data(as_text=True)
    url = f"/aanbod/{mine['id']}/gids"
    assert f'href="{url}"' in listed

    page = client.get(url).get_data(as_text=True)
    assert "ma-vr 9-17" in page and 'name="languages"' in page
    response = client.post(
        url,
        data={
            "csrf_token": token_of(page),
            "address_street": "Stationsstraat 1",
            "address_postcode": "9900",
            "address_city": "Eeklo",
            "opening_hours": "Elke werkdag van 9 tot 12 uur.",
            "contact_phone": "",
            "contact_email": "onthaal@example.be",
            "languages": ["nl", "fr"],
            "cost": "Gratis",
            "referral": "Via het OCMW of de huisarts.",
        },
    )
    assert response.status_code == 303 and response.headers["Location"] == url
    (sent,) = services.calls_to("update_offer")
    assert sent.args == (
        mine["id"],
        {
            "address": {"street": "Stationsstraat 1", "postcode": "9900", "city": "Eeklo"},
            "opening_hours": "Elke werkdag van 9 tot 12 uur.",
            "contact_phone": None,
            "contact_email": "onthaal@example.be",
            "languages": ["nl", "fr"],
            "cost": "Gratis",
            "referral": "Via het OCMW of de huisarts.",
        },
    )


def test_a_bad_guide_entry_names_each_field_and_sends_nothing(
    client, services, network, portal_sign_in
):
    own = str(uuid.uuid4())
    partner_worker(portal_sign_in, services, client, network, own)
    mine = offer_row(services, network["id"], organisation_id=own)
    services.answer("partners", "get_offer", mine)
    url = f"/aanbod/{mine['id']}/gids"
    response = client.post(
        url,
        data={
            "csrf_token": token_of(client.get(url).get_data(as_text=True)),
            "address_street": "Stationsstraat 1",  # no postcode, no city
            "contact_phone": "bel me",
            "languages": ["xx"],
            "cost": "x" * 301,
        },
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    assert field_error(text, "address_postcode") and field_error(text, "address_city")
    assert field_error(text, "contact_phone") == "Geef een telefoonnummer."
    assert field_error(text, "languages") and field_error(text, "cost")
    assert 'value="Stationsstraat 1"' in text  # what was typed stays
    assert services.calls_to("update_offer") == []


def test_the_guide_entry_of_another_organisations_offer_is_refused_by_the_service(
    client, services, network, portal_sign_in
):
    partner_worker(portal_sign_in, services, client, network, str(uuid.uuid4()))
    theirs = offer_row(services, network["id"], organisation_id=str(uuid.uuid4()))
    services.answer("partners", "get_offer", theirs)
    services.fail("partners", "update_offer", Forbidden("Je mag dit aanbod niet wijzigen."))
    url = f"/aanbod/{theirs['id']}/gids"
    response = client.post(
        url,
        data={"csrf_token": token_of(client.get(url).get_data(as_text=True)), "cost": "Gratis"},
    )
    assert response.status_code == 403
    assert "Je mag dit aanbod niet wijzigen." in response.get_data(as_text=True)
