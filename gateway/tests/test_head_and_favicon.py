"""HEAD is answered like GET on every GET route (same status, same headers, no body), and the
portal has an icon that caches."""

import uuid

import pytest

from .test_access_matrix import CSRF, OWN, ROUTES, _app, _routes, _url

GET_ROUTES = [key for key in ROUTES if key.startswith("GET ")]


def signed_in_client(app, fake):
    """A client of someone who manages and coordinates the network, so that most pages open."""
    client = app.test_client()
    person = fake.partners.add_person(roles={OWN: ["network_admin", "coordinator"]})
    person["organisation_id"] = str(uuid.uuid4())
    with client.session_transaction() as session:
        session["csrf"] = CSRF
        session["network_id"] = OWN
        session["token"] = fake.partners.session_for(person)
    return client


@pytest.mark.parametrize("key", GET_ROUTES)
def test_head_answers_like_get(key, services):
    app, fake = _app("own", services)
    rule, _ = _routes(app)[key]
    url = _url(app, rule, "GET", OWN)
    client = signed_in_client(app, fake)
    got = client.get(url)
    head = client.head(url)
    assert head.status_code == got.status_code, key
    assert head.data == b""
    for header in ("Content-Type", "Location", "Cache-Control", "Content-Security-Policy"):
        assert head.headers.get(header) == got.headers.get(header), (key, header)


def test_every_get_route_is_walked():
    assert "GET /" in GET_ROUTES and "GET /api/networks/<uuid:network_id>/cases" in GET_ROUTES
    assert len(GET_ROUTES) > 50


def test_the_icon_is_an_svg_that_caches_and_every_page_links_it(client):
    icon = client.get("/favicon.svg")
    assert icon.status_code == 200
    assert icon.mimetype == "image/svg+xml"
    assert icon.data.startswith(b"<svg")
    assert "public" in icon.headers["Cache-Control"]
    assert "max-age=86400" in icon.headers["Cache-Control"]
    head = client.head("/favicon.svg")
    assert head.status_code == 200 and head.data == b""
    # Clients that ask for the old name without reading the page are sent to it.
    ico = client.get("/favicon.ico")
    assert ico.status_code == 301 and ico.headers["Location"].endswith("/favicon.svg")
    page = client.get("/aanmelden").get_data(as_text=True)
    assert '<link rel="icon" href="/favicon.svg" type="image/svg+xml">' in page
