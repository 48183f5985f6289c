"""The session cookie is sealed: the browser holds it, but can neither read nor forge it."""

import base64
import re

from flask.sessions import SecureCookieSessionInterface

from verband_gateway import create_app

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def _sign_in(client, services, network) -> tuple[str, str]:
    """Sign in through the portal; (the cookie's value, the API session token it holds)."""
    person = services.partners.add_person(
        email="an@example.be", roles={network["id"]: ["coordinator"]}
    )
    token = CSRF.search(client.get("/aanmelden").get_data(as_text=True)).group(1)
    response = client.post(
        "/aanmelden",
        data={
            "email": person["email"],
            "password": services.partners.PASSWORD,
            "csrf_token": token,
        },
    )
    assert response.status_code == 302
    cookie = client.get_cookie("verband_session").value
    session_token = next(t for t, p in services.partners.sessions.items() if p == person["email"])
    return cookie, session_token


def _decodings(value: str) -> list[bytes]:
    """Every reading of the cookie a client could try: as is, and base64 of each part."""
    found = [value.encode()]
    for part in re.split(r"[.]", value.lstrip(".")):
        for pad in ("", "=", "=="):
            try:
                found.append(base64.urlsafe_b64decode(part + pad))
            except ValueError:
                continue
    return found


def test_the_cookie_does_not_show_the_session_token(client, services, network):
    cookie, session_token = _sign_in(client, services, network)
    assert session_token not in cookie
    assert not any(session_token.encode() in d or b"token" in d for d in _decodings(cookie))
    # And the sealed cookie still signs the person in.
    assert "Aangemeld als" in client.get("/").get_data(as_text=True)


def test_a_tampered_cookie_signs_nobody_in(client, services, network):
    cookie, _ = _sign_in(client, services, network)
    flipped = cookie[:-6] + ("A" if cookie[-6] != "A" else "B") + cookie[-5:]
    client.set_cookie("verband_session", flipped)
    page = client.get("/", follow_redirects=False)
    assert page.status_code in (302, 303) or "Aangemeld als" not in page.get_data(as_text=True)


def test_a_merely_signed_cookie_with_the_right_key_is_refused(app, services, network):
    """Flask's own signed session (the old format) would be readable; it is not accepted."""
    person = services.partners.add_person(
        email="bo@example.be", roles={network["id"]: ["coordinator"]}
    )
    session_token = services.partners.session_for(person)
    signer = SecureCookieSessionInterface().get_signing_serializer(app)
    client = app.test_client()
    client.set_cookie("verband_session", signer.dumps({"token": session_token}))
    assert "Aangemeld als" not in client.get("/").get_data(as_text=True)


def test_another_gateway_process_with_the_same_key_opens_the_cookie(
    client, services, network, mail_dir
):
    cookie, _ = _sign_in(client, services, network)
    # A second app: another gunicorn process or gateway instance, sharing only SECRET_KEY.
    other = create_app({"TESTING": True, "MAIL_DIR": str(mail_dir)}, rpc=services).test_client()
    other.set_cookie("verband_session", cookie)
    assert "Aangemeld als" in other.get("/").get_data(as_text=True)
    # One with another key cannot.
    third = create_app(
        {"TESTING": True, "MAIL_DIR": str(mail_dir), "SECRET_KEY": "x" * 40}, rpc=services
    ).test_client()
    third.set_cookie("verband_session", cookie)
    assert "Aangemeld als" not in third.get("/").get_data(as_text=True)
