"""The signed-in person's notifications: the JSON API (inbox, unread, mark read, mail
preference; bad input 422 naming the field), the page "Meldingen", and on every portal page
the unread count and, while a crisis notification is unread, the banner."""

import uuid

import pytest

from verband_common.errors import Forbidden
from verband_gateway.rpc import ServiceUnavailable

from .conftest import NOW, csrf_of


def notification(**over):
    return {
        "id": str(uuid.uuid4()),
        "network_id": str(uuid.uuid4()),
        "kind": "new_referral",
        "title": "Nieuwe aanmelding in RTJ De Tafels",
        "body": "Er kwam een nieuwe aanmelding binnen die op triage wacht.",
        "link": f"/dossiers/{uuid.uuid4()}",
        "urgent": False,
        "created_at": NOW,
        "read_at": None,
        **over,
    }


CRISIS = notification(
    kind="crisis_referral", title="Nieuwe crisisaanmelding in RTJ De Tafels", urgent=True
)


@pytest.fixture
def inbox(services):
    rows = [CRISIS, notification(read_at=NOW)]
    services.answer(
        "partners",
        "my_notifications",
        lambda limit, before: {"notifications": rows[:limit], "unread": 1},
    )
    services.answer("partners", "unread_count", {"unread": 1, "crisis": CRISIS})
    services.answer("partners", "notification_preferences", {"mail": "immediately"})
    services.answer("partners", "mark_notifications_read", lambda p: {"marked": 1, "unread": 0})
    services.answer("partners", "set_notification_preferences", lambda p: p)
    return rows


def test_the_api_answers_the_inbox_and_passes_paging_on(client, coordinator, services, inbox):
    r = client.get(
        "/api/me/notifications?limit=5&before=2026-11-23T10:00:00%2B00:00", headers=coordinator
    )
    assert r.status_code == 200, r.json
    assert r.json["unread"] == 1
    assert [n["id"] for n in r.json["notifications"]] == [n["id"] for n in inbox]
    [call] = services.calls_to("my_notifications")
    assert call.args == (5, "2026-11-23T10:00:00+00:00")
    assert call.actor  # the service decides whose inbox by the actor

    r = client.get("/api/me/notifications/unread", headers=coordinator)
    assert r.json == {"unread": 1, "crisis": CRISIS}


def test_marking_read_and_the_preference_go_to_the_service(client, coordinator, services, inbox):
    r = client.post("/api/me/notifications/read", json={"all": True}, headers=coordinator)
    assert r.status_code == 200 and r.json == {"marked": 1, "unread": 0}
    assert services.calls_to("mark_notifications_read")[0].args == ({"ids": [], "all": True},)
    r = client.put("/api/me/notifications/preferences", json={"mail": "daily"}, headers=coordinator)
    assert r.status_code == 200 and r.json == {"mail": "daily"}
    assert client.get("/api/me/notifications/preferences", headers=coordinator).json == {
        "mail": "immediately"
    }


@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        ("GET", "/api/me/notifications?limit=0", None, "limit"),
        ("GET", "/api/me/notifications?limit=101", None, "limit"),
        ("GET", "/api/me/notifications?before=gisteren", None, "before"),
        ("POST", "/api/me/notifications/read", {}, "ids"),
        ("POST", "/api/me/notifications/read", {"ids": ["niet-een-id"]}, "ids.0"),
        ("POST", "/api/me/notifications/read", {"ids": [str(uuid.uuid4())] * 201}, "ids"),
        ("POST", "/api/me/notifications/read", {"all": "ja", "x": 1}, "x"),
        ("PUT", "/api/me/notifications/preferences", {"mail": "wekelijks"}, "mail"),
        ("PUT", "/api/me/notifications/preferences", {}, "mail"),
    ],
)
def test_bad_input_is_refused_naming_the_field(
    client, coordinator, services, method, path, body, field
):
    r = client.open(path, method=method, json=body, headers=coordinator)
    assert r.status_code == 422, r.json
    assert r.json["error"]["code"] == "validation_failed"
    assert field in r.json["error"]["fields"], r.json
    assert not [c for c in services.calls if c.service == "partners" and "notif" in c.method]


def test_nobody_signed_in_gets_401(client):
    assert client.get("/api/me/notifications").status_code == 401
    assert client.post("/api/me/notifications/read", json={"all": True}).status_code == 401


def test_an_api_key_has_no_inbox(client, coordinator, services):
    services.fail(
        "partners", "my_notifications", Forbidden("Een API-sleutel heeft geen meldingen.")
    )
    assert client.get("/api/me/notifications", headers=coordinator).status_code == 403


def test_every_page_shows_the_unread_count_and_the_crisis_banner(
    client, services, network, portal_sign_in, inbox
):
    portal_sign_in({network["id"]: ["coordinator"]})
    for path in ("/", "/personen", "/meldingen"):
        page = client.get(path).get_data(as_text=True)
        assert 'class="crisis-banner" role="alert"' in page, path
        assert "Nieuwe crisisaanmelding in RTJ De Tafels" in page
        assert f'name="naar" value="{CRISIS["link"]}"' in page
        assert '<span class="count">1<span class="visually-hidden"> ongelezen' in page
    # One cheap call per page, however often the templates ask.
    services.calls.clear()
    client.get("/meldingen")
    assert len(services.calls_to("unread_count")) == 1


def test_without_unread_crisis_no_banner_and_a_failing_count_breaks_no_page(
    client, services, network, portal_sign_in, inbox
):
    portal_sign_in({network["id"]: ["coordinator"]})
    services.answer("partners", "unread_count", {"unread": 0, "crisis": None})
    page = client.get("/meldingen").get_data(as_text=True)
    assert "crisis-banner" not in page and 'class="count"' not in page
    services.fail("partners", "unread_count", ServiceUnavailable("partners"))
    r = client.get("/meldingen")
    assert r.status_code == 200 and "crisis-banner" not in r.get_data(as_text=True)


def test_the_page_lists_marks_read_and_sets_the_preference(
    client, services, network, portal_sign_in, inbox
):
    portal_sign_in({network["id"]: ["coordinator"]})
    page = client.get("/meldingen").get_data(as_text=True)
    assert "<h1>Meldingen</h1>" in page
    assert page.count('<strong class="badge">Nieuw</strong>') == 1  # the unread one
    assert f'href="{CRISIS["link"]}"' in page
    assert "Markeer als gelezen" in page and "Markeer alles als gelezen" in page
    assert 'value="immediately" checked' in page
    token = csrf_of(page)

    r = client.post("/meldingen/gelezen", data={"csrf_token": token, "id": CRISIS["id"]})
    assert r.status_code == 303 and r.location.endswith("/meldingen")
    assert services.calls_to("mark_notifications_read")[-1].args == (
        {"ids": [CRISIS["id"]], "all": False},
    )
    # "Bekijk" in the banner: marked read, then to the case page of the portal...
    r = client.post(
        "/meldingen/gelezen",
        data={"csrf_token": token, "id": CRISIS["id"], "naar": CRISIS["link"]},
    )
    assert r.location == CRISIS["link"]
    # ... or to the referrer's panel on her follow-up page ...
    follow_up = "/mijn-aanmeldingen#aanmelding-7d1b3c9e-0000-4000-8000-000000000001"
    r = client.post(
        "/meldingen/gelezen", data={"csrf_token": token, "id": CRISIS["id"], "naar": follow_up}
    )
    assert r.location == follow_up
    # ... never to somewhere else.
    for elsewhere in ("https://elders.example/", "//elders.example/x", "/\\elders.example"):
        r = client.post(
            "/meldingen/gelezen",
            data={"csrf_token": token, "id": CRISIS["id"], "naar": elsewhere},
        )
        assert r.location.endswith("/meldingen"), elsewhere

    r = client.post("/meldingen/gelezen", data={"csrf_token": token, "id": "x"})
    assert r.status_code == 303
    assert "Niets gemarkeerd" in client.get("/meldingen").get_data(as_text=True)

    r = client.post("/meldingen/voorkeur", data={"csrf_token": token, "mail": "off"})
    assert r.status_code == 303
    assert services.calls_to("set_notification_preferences")[-1].args == ({"mail": "off"},)
    r = client.post("/meldingen/voorkeur", data={"csrf_token": token, "mail": "soms"})
    follow = client.get("/meldingen").get_data(as_text=True)
    assert "Niet opgeslagen: Kies een van" in follow


def test_the_page_needs_someone_signed_in(client):
    r = client.get("/meldingen")
    assert r.status_code in (302, 303) and "/aanmelden" in r.location
