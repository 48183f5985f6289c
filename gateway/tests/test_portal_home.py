"""The portal's home page per role, in the chosen network: the coordinator's dashboard, the
partner's work, the referrer's referrals and the region's offer, IROJ; few RPCs each."""

import uuid

import pytest

from verband_gateway.portal import home_kind, link_to
from verband_gateway.rpc import ServiceUnavailable

TODAY = "2026-11-23"


def board(network_id, **over):
    """An answer of cases.dashboard (services/cases/README.md)."""
    offer = {
        "offer_id": str(uuid.uuid4()),
        "title": "Gezinscoaching Asse",
        "kind": "family_coaching",
        "status": "active",
        "organisation_id": str(uuid.uuid4()),
        "capacity": 12,
        "free_places": 0,
        "warm_waiting_list": True,
        "waiting": 1234,
        "median_days": 20.5,
        "longest_days": 45,
        "past_guideline": 411,
        "share_past_guideline": 0.333,
        "contacts_overdue": 2,
    }
    quiet = {
        **offer,
        "offer_id": str(uuid.uuid4()),
        "title": "Opvoedingsondersteuning",
        "waiting": 0,
        "median_days": None,
        "longest_days": None,
        "past_guideline": 0,
        "share_past_guideline": None,
        "contacts_overdue": 0,
    }
    return {
        "network_id": network_id,
        "as_of": TODAY,
        "guideline_days": 30,
        "offers": [offer, quiet],
        "waiting": 1234,
        "contacts_overdue": 2,
        "pickup": {"open": 7, "running": 3, "warning": 2, "escalated": 2, "longest_days": 45},
        "bottlenecks": {"open": 3, "decided": 1},
        "trajectories": {
            "active": 40,
            "paused": 2,
            "closed": 9,
            "started_this_year": 150,
            "closed_this_year": 9,
        },
        "referrals_this_year": 61,
        **over,
    }


def clocks():
    def case(state, days):
        return {
            "case_id": str(uuid.uuid4()),
            "status": "received",
            "urgency": "urgent",
            "concern": "serious",
            "started_on": "2026-10-09",
            "due_on": "2026-11-08",
            "days": days,
            "state": state,
            "stopped_on": None,
        }

    return {"warning": [case("warning", 25)], "escalated": [case("escalated", 45)]}


def overview(network_id, **over):
    meeting = {
        "id": str(uuid.uuid4()),
        "body_id": str(uuid.uuid4()),
        "network_id": network_id,
        "body_name": "Kernteam De Tafels",
        "body_kind": "kernteam",
        "starts_at": "2026-12-08T13:00:00+00:00",
        "ends_at": "2026-12-08T15:00:00+00:00",
        "status": "scheduled",
        "in_series": True,
        "location": None,
        "change_reason": None,
        "agenda_published_at": None,
        "agenda_mailed_at": None,
    }
    late = {
        "id": str(uuid.uuid4()),
        "body_id": meeting["body_id"],
        "meeting_id": str(uuid.uuid4()),
        "item_id": None,
        "title": "Cijfers wachtlijst bezorgen",
        "owner_member_id": str(uuid.uuid4()),
        "owner_name": "Bart Peeters",
        "due_on": "2026-11-01",
        "done_on": None,
    }
    return {
        "network_id": network_id,
        "coming": [meeting],
        "actions": {"open": 5, "overdue": 1},
        "overdue_actions": [late],
        "mine": {"meetings": [meeting], "actions": [late]},
        **over,
    }


def answer_dashboard(services, network):
    nid = network["id"]
    services.answer("cases", "dashboard", lambda n: board(n))
    services.answer("cases", "pickup_clocks", lambda n: clocks())
    services.answer("meetings", "overview", lambda n: overview(n))
    services.answer(
        "partners",
        "get_network",
        lambda n: {
            **network,
            "settings": {
                "targets": [
                    {
                        "code": "bijkomende_gezinsbegeleidingen",
                        "label": "Bijkomende gezinsbegeleidingen",
                        "value": 200,
                        "period": "year",
                    },
                    {"code": "vorming", "label": "Vormingen", "value": 4, "period": "year"},
                ]
            },
        },
    )
    return nid


def page_of(client, path="/"):
    response = client.get(path)
    return response, response.get_data(as_text=True)


def test_roles_get_the_home_of_their_widest_work():
    assert home_kind({"coordinator", "referrer"}) == "dashboard"
    assert home_kind({"network_admin"}) == "dashboard"
    for worker in ("case_manager", "family_coach", "first_line_psychologist", "partner_worker"):
        assert home_kind({worker, "referrer"}) == "partner"
    assert home_kind({"referrer"}) == "referrer"
    assert home_kind({"secretary"}) == "member"
    assert home_kind({"iroj_viewer"}) == "iroj"
    assert home_kind({"guest"}) == "guest"
    assert home_kind({"guest", "secretary"}) == "member"
    assert home_kind(set()) is None


def test_the_coordinator_sees_the_dashboard_of_the_network(
    client, services, network, portal_sign_in
):
    nid = answer_dashboard(services, network)
    portal_sign_in({nid: ["coordinator"]})
    services.calls.clear()
    response, page = page_of(client)
    assert response.status_code == 200
    assert "<h1>Dashboard van het netwerk</h1>" in page
    assert f"Je werkt in <strong>Netwerk {nid[:4]}</strong>" in page
    # waiting-list health per offer, Belgian numbers
    section = page[page.index(f'id="n-{nid}"') :]
    section = section[: section.index("</section>")]
    assert "Gezinscoaching Asse" in section and "1.234" in section
    assert "20,5" in section and ">45<" in section and "33%</span> (411)" in section
    assert "Opvoedingsondersteuning" in section and "–" in section
    assert "<strong>61</strong> aanmeldingen dit jaar" in section
    assert "<caption>Gezondheid van de wachtlijst per aanbod, op 23/11/2026</caption>" in section
    # the one-month clock: counts, and the cases past or near the month, longest first
    assert "2 naderen de maand" in page and "2 zijn er voorbij" in page
    assert page.index("Voorbij de maand") < page.index("Nadert de maand (tegen 08/11/2026)")
    assert "Dringend" in page
    # bottlenecks, trajectories, meetings, actions
    assert "3 open knelpuntdossiers, 1 met een beslissing" in page
    assert "40 lopende en 2 gepauzeerde trajecten" in page
    assert "Kernteam De Tafels" in page and "08/12/2026 om 14:00" in page
    assert "Cijfers wachtlijst bezorgen" in page and "01/11/2026 (te laat)" in page
    assert "1</span>\n    actie over tijd, van 5 open" in page
    # target progress: additional family guidances against 200
    assert "Bijkomende gezinsbegeleidingen: 150 van 200 dit jaar (75%)" in page
    assert '<progress id="doel-1" max="200" value="150">' in page
    assert "Vormingen: doel 4; nog niet gemeten in Verband." in page
    # every management page of the network
    for href in ("/organisaties", "/personen", "/aanbod", "/afspraken", "/werkgroepen"):
        assert f'<a href="{href}">' in page, href
    for href in ("/lacunes", "/netwerk/instellingen", "/import"):
        assert f'<a href="{href}">' in page, href
    # one RPC per service, none per offer or per body; and the header's unread count
    assert sorted(services.methods_called()) == sorted(
        [
            ("cases", "coordinator_home"),
            ("partners", "get_network"),
            ("meetings", "overview"),
            ("partners", "unread_count"),
        ]
    )
    assert all(c.args == (nid,) for c in services.calls if c.method != "unread_count")
    # asked at once from the panel threads, each call still speaks for the signed-in person
    # and carries the request's correlation id
    person = services.partners.people[next(iter(services.partners.people))]["person_id"]
    assert {c.actor for c in services.calls} == {f"person:{person}"}
    assert len({c.correlation_id for c in services.calls}) == 1
    assert response.headers["X-Correlation-ID"] == services.calls[0].correlation_id


def test_the_dashboard_links_to_the_pages_of_other_areas_once_they_exist(
    client, services, network, portal_sign_in
):
    nid = answer_dashboard(services, network)
    portal_sign_in({nid: ["coordinator"]})
    page = page_of(client)[1]
    views = client.application.view_functions
    expected = {
        "case_pages.waiting_list": "/wachtlijst",
        "meeting_pages.bodies": 'href="/organen"',
        "report_pages.dashboard": 'href="/rapportering"',
        "case_pages.case": 'href="/dossiers/',
        "meeting_pages.meeting": 'href="/vergaderingen/',
    }
    for endpoint, text in expected.items():
        assert (text in page) == (endpoint in views), endpoint


def test_the_network_admin_sees_the_dashboard_without_the_cases_themselves(
    client, services, network, portal_sign_in
):
    nid = answer_dashboard(services, network)
    portal_sign_in({nid: ["network_admin"]})
    response, page = page_of(client)
    assert response.status_code == 200 and "Dashboard van het netwerk" in page
    assert services.calls_to("coordinator_home")[0].args == (nid,)
    assert "2 zijn er voorbij" in page and "Voorbij de maand" not in page
    assert 'href="/wachtlijst' not in page and 'href="/dossiers/' not in page


def test_a_panel_whose_service_is_down_says_so_and_the_rest_stands(
    client, services, network, portal_sign_in
):
    nid = answer_dashboard(services, network)
    services.fail(
        "meetings", "overview", ServiceUnavailable("De vergaderdienst is niet bereikbaar.")
    )
    portal_sign_in({nid: ["coordinator"]})
    response, page = page_of(client)
    assert response.status_code == 200
    assert '<p class="problem" role="alert">De vergaderdienst is niet bereikbaar.</p>' in page
    assert "Gezinscoaching Asse" in page and "150 van 200" in page
    # cases down: its panels say so, the meetings and the targets stand
    services.errors.clear()
    services.fail("cases", "coordinator_home", ServiceUnavailable("Dossiers onbereikbaar."))
    response, page = page_of(client)
    assert response.status_code == 200
    assert page.count('<p class="problem" role="alert">Dossiers onbereikbaar.</p>') == 2
    assert "Gezinscoaching Asse" not in page and "Kernteam De Tafels" in page


def partner_in(portal_sign_in, services, client, network, roles, organisation_id):
    person = portal_sign_in({network["id"]: roles})
    services.partners.people[person["email"]]["organisation_id"] = organisation_id
    client.application.extensions["principals"].clear()
    return person


def test_a_partner_sees_caseload_waiting_lists_contacts_due_and_meetings(
    client, services, network, portal_sign_in
):
    nid, org = network["id"], str(uuid.uuid4())
    own = [
        {**services.defaults[("partners", "list_offers")](nid, {})[0], "organisation_id": org}
        for _ in range(2)
    ]
    own[1]["title"] = "Opvoedingscursus Eeklo"
    other = services.defaults[("partners", "list_offers")](nid, {})[0]
    services.answer("partners", "list_offers", lambda n, f: [own[0], other, own[1]])
    case_open, case_closed = str(uuid.uuid4()), str(uuid.uuid4())
    services.answer(
        "cases",
        "list_cases",
        lambda n, f: [
            {
                "id": case_open,
                "status": "started",
                "concern": "some",
                "urgency": "normal",
                "received_at": "2026-09-01T10:00:00+00:00",
                "age_bands": ["6-11"],
                "municipality": "43005",
                "family_name": "Familie Zonnebloem (fictief)",
                "waiting_on": 0,
            },
            {
                "id": case_closed,
                "status": "closed",
                "concern": "some",
                "urgency": "normal",
                "received_at": "2026-01-01T10:00:00+00:00",
                "age_bands": ["6-11"],
                "municipality": "43005",
                "family_name": "Familie Afgesloten",
                "waiting_on": 0,
            },
        ],
    )
    services.answer(
        "cases",
        "overdue_contacts",
        lambda n: [
            {
                "entry_id": str(uuid.uuid4()),
                "referral_id": case_open,
                "offer_id": own[0]["id"],
                "offer_title": own[0]["title"],
                "next_contact_due": "2026-11-13",
                "last_contact_on": None,
                "waiting_since": "2026-10-01",
                "days_overdue": 10,
            }
        ],
    )
    services.answer("meetings", "overview", lambda n: overview(n))
    partner_in(portal_sign_in, services, client, network, ["family_coach"], org)
    services.calls.clear()
    response, page = page_of(client)
    assert response.status_code == 200 and "<h1>Mijn werk</h1>" in page
    assert "Familie Zonnebloem (fictief)" in page and "Hulp gestart" in page
    assert "Familie Afgesloten" not in page
    assert "1 gezin wacht op een warm contact dat over tijd is." in page
    assert "13/11/2026" in page and ">10<" in page
    assert "Gezinscoaching" in page and "Opvoedingscursus Eeklo" in page
    assert "Mijn komende vergaderingen" in page and "Mijn open acties" in page
    lists = services.calls_to("waiting_list")
    assert sorted(c.args[0] for c in lists) == sorted([own[0]["id"], own[1]["id"]])
    assert all(c.args[1:3] == (5, 0) for c in lists)
    assert ("cases", "dashboard") not in services.methods_called()


def test_a_partner_without_an_organisation_has_no_overdue_list_to_ask_for(
    client, services, network, portal_sign_in
):
    portal_sign_in({network["id"]: ["case_manager"]})
    response, page = page_of(client)
    assert response.status_code == 200 and "<h1>Mijn werk</h1>" in page
    assert not services.calls_to("overdue_contacts") and not services.calls_to("waiting_list")
    assert "Je organisatie heeft geen aanbod met een wachtlijst" in page


def test_a_referrer_sees_their_referrals_drafts_and_the_regions_offer(
    client, services, network, portal_sign_in
):
    nid = network["id"]
    services.answer(
        "cases",
        "list_referral_drafts",
        lambda n: [{"id": str(uuid.uuid4()), "network_id": n, "payload": {}, "updated_at": TODAY}],
    )
    full = services.defaults[("partners", "search_region_offer")]({})[0]
    free = {**full, "id": str(uuid.uuid4()), "title": "ELP Meetjesland", "free_places": 3}
    services.answer("partners", "search_region_offer", lambda f: [{**full, "free_places": 0}, free])
    (case,) = services.defaults[("cases", "list_cases")](nid, {})
    services.answer("cases", "list_cases", [case])
    portal_sign_in({nid: ["referrer"]})
    services.calls.clear()
    response, page = page_of(client)
    assert response.status_code == 200
    assert "<h1>Gezinnen aanmelden en opvolgen</h1>" in page
    assert "Peeters" in page and "Op de wachtlijst (1 wachtlijst)" in page
    assert "1 concept wacht om verstuurd te worden." in page
    # Each family links to its follow-up (the case itself is for the family's workers).
    assert f'href="/mijn-aanmeldingen#aanmelding-{case["id"]}"' in page
    assert f'href="/dossiers/{case["id"]}"' not in page
    assert page.index("ELP Meetjesland") < page.index("Gezinscoaching")
    assert sorted(m for _, m in services.methods_called()) == [
        "list_cases",
        "list_referral_drafts",
        "search_region_offer",
        "unread_count",  # the header's
    ]
    assert services.calls_to("search_region_offer")[0].args == ({},)
    with client.application.test_request_context("/"):
        refer = link_to("case_pages.refer")
    if refer:
        assert f'<a href="{refer}"><strong>Een gezin aanmelden</strong></a>' in page
    else:
        assert "Een gezin aanmelden" not in page


def test_an_iroj_viewer_goes_to_the_iroj_page(client, services, network, portal_sign_in):
    portal_sign_in({network["id"]: ["iroj_viewer"]})
    response = client.get("/")
    if "report_pages.iroj" in client.application.view_functions:
        assert response.status_code == 302 and response.headers["Location"] == "/iroj"
    else:
        page = response.get_data(as_text=True)
        assert response.status_code == 200 and "Rapporten en signalen voor IROJ" in page


def test_a_secretary_sees_meetings_and_actions(client, services, network, portal_sign_in):
    services.answer("meetings", "overview", lambda n: overview(n))
    portal_sign_in({network["id"]: ["secretary"]})
    response, page = page_of(client)
    assert response.status_code == 200 and "<h1>Vergaderingen en acties</h1>" in page
    assert "Kernteam De Tafels" in page and "Komende vergaderingen van het netwerk" in page
    # the last call of the page itself (the header's unread count comes after)
    assert [m for m in services.methods_called() if m[1] != "unread_count"][-1] == (
        "meetings",
        "overview",
    )


def test_a_guest_from_outside_sees_the_meetings_she_is_invited_to_and_no_more(
    client, services, network, portal_sign_in
):
    """Only the guest role in the network: her home lists the meetings she is invited to (the
    meetings service's overview, which shows a guest her guest meetings alone); the menu
    offers her meetings and nothing of the network; the network's other pages refuse her."""
    services.answer(
        "meetings", "overview", lambda n: overview(n, mine={"meetings": [], "actions": []})
    )
    portal_sign_in({network["id"]: ["guest"]})
    response, page = page_of(client)
    assert response.status_code == 200, page
    assert "<h1>Vergaderingen waarop je uitgenodigd bent</h1>" in page
    assert "Kernteam De Tafels" in page and "Gast bij een vergadering" in page
    assert [m for m in services.methods_called() if m[1] != "unread_count"][-1] == (
        "meetings",
        "overview",
    )
    assert 'href="/mijn-vergaderingen"' in page
    refused = ("/organisaties", "/personen", "/aanbod", "/werkgroepen", "/kennis", "/vorming")
    for path in (*refused, "/api-sleutels", "/gezin-aanmelden"):
        assert f'href="{path}"' not in page, path
    for path in ("/organen", "/mijn-acties"):
        assert f'href="{path}"' not in page, path
    for path in refused:
        services.calls.clear()
        response = client.get(path)
        assert response.status_code == 403, path
        assert "alleen de vergaderingen waarop je bent uitgenodigd" in response.get_data(
            as_text=True
        )
        assert not [m for m in services.methods_called() if m[1] != "unread_count"], path


def test_a_guest_with_no_coming_meeting_is_told_so(client, services, network, portal_sign_in):
    services.answer(
        "meetings",
        "overview",
        lambda n: overview(n, coming=[], mine={"meetings": [], "actions": []}),
    )
    portal_sign_in({network["id"]: ["guest"]})
    page = page_of(client)[1]
    assert "niet uitgenodigd voor een komende vergadering" in page


def test_a_person_of_two_networks_chooses_and_sees_where_they_work(
    client, services, network, portal_sign_in, page_token
):
    other = str(uuid.uuid4())
    answer_dashboard(services, network)
    portal_sign_in({network["id"]: ["coordinator"], other: ["referrer"]})
    # nothing chosen yet: the networks, and a request to choose
    response, page = page_of(client)
    assert response.status_code == 200 and "Kies het netwerk waarin je werkt." in page
    assert not services.calls_to("coordinator_home")
    token = page_token("/netwerk")
    client.post("/netwerk", data={"network_id": network["id"], "csrf_token": token})
    page = page_of(client)[1]
    assert "Dashboard van het netwerk" in page and "Ander netwerk kiezen" in page
    assert services.calls_to("coordinator_home")[-1].args == (network["id"],)
    client.post("/netwerk", data={"network_id": other, "csrf_token": token})
    page = page_of(client)[1]
    assert "Gezinnen aanmelden en opvolgen" in page and f"Netwerk {other[:4]}" in page
    assert services.calls_to("list_cases")[-1].args == (other, {})


def test_home_pages_are_accessible_and_dutch(client, services, network, portal_sign_in):
    answer_dashboard(services, network)
    portal_sign_in({network["id"]: ["coordinator"]})
    page = page_of(client)[1]
    assert '<html lang="nl-BE">' in page and 'name="viewport"' in page
    assert page.count("<h1>") == 1
    assert page.count("<table") == page.count("<caption>")
    assert '<th scope="row">' in page and 'scope="col"' in page
    assert '<label for="doel-1">' in page.replace('<label for="doel-1">', '<label for="doel-1">')


def test_link_to_leaves_out_pages_that_do_not_exist(app):
    with app.test_request_context("/"):
        assert link_to("pages.organisations") == "/organisaties"
        assert link_to("bestaat.niet") is None
        # an endpoint that needs a value it was not given is left out, not an error
        assert link_to("pages.update_places") is None


@pytest.mark.parametrize("path", ["/"])
def test_nobody_signed_in_is_sent_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302 and "/aanmelden" in response.headers["Location"]


def test_every_page_says_which_network_the_session_works_in(
    client, services, network, portal_sign_in, page_token
):
    other = str(uuid.uuid4())
    portal_sign_in({network["id"]: ["coordinator"], other: ["referrer"]})
    page = page_of(client, "/aanbod/zoeken")[1]
    assert "Aangemeld als An Peeters</span>" in page  # nothing chosen yet
    client.post("/netwerk", data={"network_id": other, "csrf_token": page_token("/netwerk")})
    page = page_of(client, "/aanbod/zoeken")[1]
    assert f"Aangemeld als An Peeters, in <strong>Netwerk {other[:4]}</strong>" in page
