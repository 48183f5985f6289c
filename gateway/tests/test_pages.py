"""Portal pages on the directory: organisations, people and roles, offer, the region search."""

import re
import uuid

from verband_common.errors import Conflict

KBO = "0123456749"


def token_of(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def test_a_page_asks_to_choose_a_network_first(client, services, portal_sign_in):
    portal_sign_in({str(uuid.uuid4()): ["referrer"], str(uuid.uuid4()): ["coordinator"]})
    response = client.get("/organisaties")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/netwerk?volgende=/organisaties")


def test_a_coordinator_lists_and_adds_a_partner(client, services, network, portal_sign_in):
    portal_sign_in({network["id"]: ["coordinator"]})
    page = client.get("/organisaties").get_data(as_text=True)
    assert "CAW Oost-Vlaanderen" in page
    assert '<label for="f-kbo">' in page and 'id="f-kbo"' in page
    response = client.post(
        "/organisaties",
        data={
            "csrf_token": token_of(page),
            "name": "CGG Eclips",
            "kbo": "0123.456.749",
            "sector": "cgg",
            "municipalities": "44083, 44084",
            "contact_email": "info@eclips.be",
            "membership_role": "kernpartner",
            "starts_on": "2026-12-01",
        },
    )
    assert response.status_code == 302
    (create,) = services.calls_to("create_organisation")
    assert create.args[0]["municipalities"] == ["44083", "44084"]
    assert create.actor.startswith("person:")
    (join,) = services.calls_to("add_membership")
    assert join.args[0] == network["id"]
    assert join.args[1]["role"] == "kernpartner" and join.args[1]["starts_on"] == "2026-12-01"


def test_a_bad_partner_form_keeps_its_input_and_names_the_field(
    client, services, network, portal_sign_in
):
    portal_sign_in({network["id"]: ["coordinator"]})
    token = token_of(client.get("/organisaties").get_data(as_text=True))
    response = client.post(
        "/organisaties",
        data={
            "csrf_token": token,
            "name": "CGG Eclips",
            "kbo": "0123456748",
            "sector": "cgg",
            "membership_role": "kernpartner",
            "starts_on": "",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'value="CGG Eclips"' in page
    assert 'id="e-kbo"' in page and "controlecijfers" in page
    assert 'id="e-starts_on"' in page
    assert services.calls_to("create_organisation") == []


def test_a_service_refusal_shows_on_the_form(client, services, network, portal_sign_in):
    portal_sign_in({network["id"]: ["coordinator"]})
    services.fail(
        "partners",
        "create_organisation",
        Conflict("Deze organisatie bestaat al.", {"kbo": ["Dit nummer is al in gebruik."]}),
    )
    token = token_of(client.get("/organisaties").get_data(as_text=True))
    response = client.post(
        "/organisaties",
        data={
            "csrf_token": token,
            "name": "CGG Eclips",
            "kbo": KBO,
            "sector": "cgg",
            "membership_role": "partner",
            "starts_on": "2026-12-01",
        },
    )
    page = response.get_data(as_text=True)
    # The organisation exists on the platform: the page offers to ask it for a link.
    assert response.status_code == 409
    assert "Deze organisatie bestaat al." in page and "Dit nummer is al in gebruik." in page
    assert "Koppeling aanvragen" in page


def test_a_referrer_sees_partners_but_may_not_add_them(client, services, network, portal_sign_in):
    portal_sign_in({network["id"]: ["referrer"]})
    page = client.get("/organisaties").get_data(as_text=True)
    assert "CAW Oost-Vlaanderen" in page and "Partner toevoegen" not in page
    response = client.post("/organisaties", data={"csrf_token": token_of(page), "name": "X"})
    assert response.status_code == 403
    assert services.calls_to("create_organisation") == []


def test_people_and_roles(client, services, network, portal_sign_in):
    portal_sign_in({network["id"]: ["network_admin"]})
    page = client.get("/personen").get_data(as_text=True)
    assert "Bert Claes" in page and "Coördinator" in page
    token = token_of(page)
    bad = client.post(
        "/personen", data={"csrf_token": token, "action": "person", "name": "Els", "email": "els"}
    )
    assert bad.status_code == 422 and 'id="e-email"' in bad.get_data(as_text=True)
    # A line break in a name would end up in the invitation mail: refused at the field.
    injected = client.post(
        "/personen",
        data={
            "csrf_token": token,
            "action": "person",
            "name": "Els\r\nBcc: iedereen@example.org",
            "email": "els@example.be",
        },
    )
    assert injected.status_code == 422 and 'id="e-name"' in injected.get_data(as_text=True)
    assert services.calls_to("invite_person") == []
    added = client.post(
        "/personen",
        data={
            "csrf_token": token,
            "action": "person",
            "name": "Els",
            "email": "els@example.be",
            "role": "referrer",
        },
    )
    assert added.status_code == 302
    invited = services.calls_to("invite_person")[0].args[1]
    assert invited["email"] == "els@example.be" and invited["roles"] == ["referrer"]
    person_id = str(uuid.uuid4())
    granted = client.post(
        "/personen",
        data={"csrf_token": token, "action": "role", "person_id": person_id, "role": "referrer"},
    )
    assert granted.status_code == 302
    assert services.calls_to("grant_role")[0].args == (network["id"], person_id, "referrer")


def test_a_coordinator_invites_a_guest_from_outside_without_an_organisation(
    client, services, network, portal_sign_in
):
    """Issue 15: the invitation form offers the guest role, by its Dutch name, and sends it
    without an organisation (someone from outside the network has none in it)."""
    portal_sign_in({network["id"]: ["coordinator"]})
    page = client.get("/personen").get_data(as_text=True)
    assert 'value="guest"' in page and "Gast bij een vergadering" in page
    added = client.post(
        "/personen",
        data={
            "csrf_token": token_of(page),
            "action": "person",
            "name": "Lies Vermeulen",
            "email": "lies@example.be",
            "role": "guest",
        },
    )
    assert added.status_code == 302
    invited = services.calls_to("invite_person")[0].args[1]
    assert invited["roles"] == ["guest"] and not invited.get("organisation_id")


def test_a_coordinator_publishes_an_offer(client, services, network, portal_sign_in):
    portal_sign_in({network["id"]: ["coordinator"]})
    token = token_of(client.get("/aanbod").get_data(as_text=True))
    organisation_id = str(uuid.uuid4())
    form = {
        "csrf_token": token,
        "organisation_id": organisation_id,
        "title": "Opvoedingscursus Deinze",
        "kind": "parenting_course",
        "municipalities": "44083",
        "capacity": "12",
        "free_places": "15",
    }
    too_many = client.post("/aanbod", data=form)
    assert too_many.status_code == 422
    assert 'id="e-free_places"' in too_many.get_data(as_text=True)
    assert 'value="Opvoedingscursus Deinze"' in too_many.get_data(as_text=True)
    published = client.post("/aanbod", data={**form, "free_places": "12", "age_min": "3"})
    assert published.status_code == 302
    sent = services.calls_to("publish_offer")[0].args[1]
    assert sent["capacity"] == 12 and sent["target_ages"] == {"min": 3, "max": 24}


def test_a_partner_worker_updates_free_places_of_their_own_offer(
    client, services, network, portal_sign_in
):
    person = portal_sign_in({network["id"]: ["partner_worker"]})
    own = str(uuid.uuid4())
    services.partners.people[person["email"]]["organisation_id"] = own
    client.application.extensions["principals"].clear()
    rows = services.defaults[("partners", "list_offers")](network["id"], {})
    mine = {**rows[0], "organisation_id": own, "title": "Ons aanbod"}
    theirs = {**rows[0], "id": str(uuid.uuid4()), "title": "Ander aanbod"}
    services.answer("partners", "list_offers", [mine, theirs])
    page = client.get("/aanbod").get_data(as_text=True)
    assert f'<label for="free-{mine["id"]}">' in page
    assert f"free-{theirs['id']}" not in page
    assert "Aanbod publiceren" not in page
    response = client.post(
        f"/aanbod/{mine['id']}/plaatsen",
        data={"csrf_token": token_of(page), "free_places": "0", "status": "active"},
    )
    assert response.status_code == 303
    assert services.calls_to("update_offer")[0].args == (
        mine["id"],
        {"free_places": 0, "status": "active"},
    )


def test_a_referrer_searches_the_region(client, services, network, portal_sign_in):
    portal_sign_in({network["id"]: ["referrer"]})
    page = client.get("/aanbod/zoeken").get_data(as_text=True)
    assert '<label for="f-municipality">' in page and services.calls_to("search_region_offer") == []
    found = client.get("/aanbod/zoeken?municipality=44083&age=7&kind=&has_free_places=true")
    assert found.status_code == 200
    assert "1 resultaat" in found.get_data(as_text=True)
    assert services.calls_to("search_region_offer")[0].args == (
        {"municipality": "44083", "age": 7, "has_free_places": True},
    )
    # A person writes the name or the postcode; the search asks by NIS code.
    for typed in ("deinze", "9800"):
        assert client.get(f"/aanbod/zoeken?municipality={typed}").status_code == 200
        assert services.calls_to("search_region_offer")[-1].args == ({"municipality": "44083"},)
    bad = client.get("/aanbod/zoeken?age=99&municipality=Nergensdorp")
    assert bad.status_code == 422
    text = bad.get_data(as_text=True)
    assert 'id="e-age"' in text and 'value="Nergensdorp"' in text
    assert "Onbekende gemeente: Nergensdorp." in text
