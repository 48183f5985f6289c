"""The portal's sign-in: the form, the session cookie, CSRF, signing out, a forgotten password."""

import email
import email.policy
import re
import uuid

import pytest

from verband_common.errors import ValidationFailed
from verband_gateway import create_app, settings

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(page: str) -> str:
    return CSRF.search(page).group(1)


def test_the_sign_in_page_is_dutch_and_accessible(client, services):
    page = client.get("/aanmelden").get_data(as_text=True)
    assert '<html lang="nl-BE">' in page
    assert '<label for="f-email">E-mailadres</label>' in page and 'id="f-email"' in page
    assert '<label for="f-password">Wachtwoord</label>' in page and 'id="f-password"' in page
    assert 'autocomplete="current-password"' in page
    assert csrf_of(page)
    assert services.calls == []


def test_signing_in_sets_a_safe_cookie_and_shows_who_is_signed_in(
    client, services, network, page_token
):
    token = page_token("/aanmelden")
    services.partners.add_person(email="an@example.be", roles={network["id"]: ["coordinator"]})
    response = client.post(
        "/aanmelden",
        data={
            "email": "an@example.be",
            "password": services.partners.PASSWORD,
            "csrf_token": token,
        },
    )
    assert response.status_code == 302 and response.headers["Location"] == "/"
    cookie = response.headers["Set-Cookie"]
    assert "verband_session=" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # test mode; production defaults to Secure
    home = client.get("/")
    assert home.status_code == 200
    assert "Aangemeld als An Peeters" in home.get_data(as_text=True)
    assert all(c.actor.startswith("person:") for c in services.calls if c.method == "list_networks")


def test_the_cookie_is_secure_by_default_in_production(monkeypatch, services):
    monkeypatch.setenv("SECRET_KEY", "k" * 40)
    monkeypatch.setenv("AMQP_URI", PRIVATE_BROKER)
    monkeypatch.setenv("MAIL_DIR", "/tmp/verband-test-mail")
    monkeypatch.setenv("PUBLIC_URL", "https://verband.example.be")
    monkeypatch.delenv("VERBAND_ENV", raising=False)
    monkeypatch.delenv("SESSION_COOKIE_SECURE", raising=False)
    app = create_app(rpc=services)
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SECRET_KEY"] == "k" * 40
    # Behind https the cookie is always Secure; only a plain-http address may turn it off.
    monkeypatch.setenv("SESSION_COOKIE_SECURE", "false")
    with pytest.raises(settings.ConfigurationError, match="SESSION_COOKIE_SECURE"):
        create_app(rpc=services)
    monkeypatch.setenv("PUBLIC_URL", "http://verband.intern")
    assert create_app(rpc=services).config["SESSION_COOKIE_SECURE"] is False


@pytest.mark.parametrize(
    "env, missing",
    [
        ({}, "SECRET_KEY"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY"),
        ({"SECRET_KEY": "k" * 40}, "SMTP_HOST"),
        ({"SECRET_KEY": "k" * 40, "SMTP_HOST": "smtp.example.be"}, "PUBLIC_URL"),
        (
            {
                "SECRET_KEY": "k" * 40,
                "SMTP_HOST": "smtp.example.be",
                "PUBLIC_URL": "https://v.example.be",
                "OIDC_ISSUER": "https://idp.example.be",
            },
            "OIDC_CLIENT_ID",
        ),
    ],
)
def test_production_refuses_to_start_without_what_it_needs(monkeypatch, services, env, missing):
    for name in ("SECRET_KEY", "SMTP_HOST", "MAIL_DIR", "PUBLIC_URL", "VERBAND_ENV") + (
        "OIDC_ISSUER",
        "OIDC_CLIENT_ID",
        "OIDC_CLIENT_SECRET",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AMQP_URI", PRIVATE_BROKER)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(settings.ConfigurationError, match=missing):
        create_app(rpc=services)


PRIVATE_BROKER = "amqp://gateway:a-region-s-own-broker-password@rabbitmq:5672/"
COMPLETE = {
    "SECRET_KEY": "k" * 40,
    "SMTP_HOST": "smtp.example.be",
    "PUBLIC_URL": "https://v.example.be",
    "AMQP_URI": PRIVATE_BROKER,
}


@pytest.mark.parametrize(
    "name, value, named",
    [
        ("SECRET_KEY", "verband-demo-only-not-secret", "SECRET_KEY"),
        ("AMQP_URI", "amqp://verband:verband@rabbitmq:5672/", "AMQP_URI"),
        ("AMQP_URI", "", "AMQP_URI"),  # unset: verband_common's guest:guest default
        ("SMTP_PASSWORD", "verband", "SMTP_PASSWORD"),
    ],
)
def test_production_refuses_a_secret_written_in_the_repository(
    monkeypatch, services, name, value, named
):
    monkeypatch.delenv("VERBAND_ENV", raising=False)
    for key, setting in {**COMPLETE, name: value}.items():
        monkeypatch.setenv(key, setting)
    with pytest.raises(settings.ConfigurationError, match=named):
        create_app(rpc=services)
    # The same values are fine in a demo.
    monkeypatch.setenv("VERBAND_ENV", "demo")
    assert create_app(rpc=services).config["VERBAND_ENV"] == "demo"


def test_production_reads_its_secrets_from_files(monkeypatch, services, tmp_path):
    key = tmp_path / "secret_key"
    key.write_text("f" * 48 + "\n")  # as `echo` writes it: the line break is no part of it
    broker = tmp_path / "amqp_uri"
    broker.write_text(PRIVATE_BROKER)
    monkeypatch.delenv("VERBAND_ENV", raising=False)
    for name, value in COMPLETE.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("SECRET_KEY")
    monkeypatch.delenv("AMQP_URI")
    monkeypatch.setenv("SECRET_KEY_FILE", str(key))
    monkeypatch.setenv("AMQP_URI_FILE", str(broker))
    app = create_app(rpc=services)
    assert app.config["SECRET_KEY"] == "f" * 48
    assert app.config["AMQP_URI"] == PRIVATE_BROKER
    # A public value in the file is refused just the same.
    key.write_text("verband-demo-only-not-secret")
    with pytest.raises(settings.ConfigurationError, match="SECRET_KEY"):
        create_app(rpc=services)


def test_demo_mode_runs_without_a_secret_key(monkeypatch, services):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("VERBAND_ENV", "demo")
    app = create_app(rpc=services)
    assert app.config["SECRET_KEY"] and app.config["SESSION_COOKIE_SECURE"] is False


def test_wrong_credentials_keep_the_e_mail_and_say_so_next_to_the_form(
    client, services, page_token
):
    token = page_token("/aanmelden")
    response = client.post(
        "/aanmelden",
        data={"email": "an@example.be", "password": "secret-attempt", "csrf_token": token},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 401
    assert services.partners.WRONG_CREDENTIALS in page and 'role="alert"' in page
    assert 'value="an@example.be"' in page
    assert "secret-attempt" not in page


def test_the_lockout_message_is_shown(client, services, page_token):
    services.partners.add_person(email="an@example.be")
    token = page_token("/aanmelden")
    for _ in range(5):
        client.post(
            "/aanmelden", data={"email": "an@example.be", "password": "x", "csrf_token": token}
        )
    response = client.post(
        "/aanmelden",
        data={
            "email": "an@example.be",
            "password": services.partners.PASSWORD,
            "csrf_token": token,
        },
    )
    assert response.status_code == 429
    assert services.partners.THROTTLED in response.get_data(as_text=True)


def test_empty_fields_are_named_next_to_their_input(client, services, page_token):
    token = page_token("/aanmelden")
    response = client.post("/aanmelden", data={"email": "", "password": "", "csrf_token": token})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'aria-describedby="e-email"' in page and 'id="e-email"' in page
    assert 'id="e-password"' in page
    assert services.calls == []


def test_a_form_without_its_csrf_token_is_refused(client, services):
    services.partners.add_person(email="an@example.be")
    client.get("/aanmelden")
    response = client.post(
        "/aanmelden", data={"email": "an@example.be", "password": services.partners.PASSWORD}
    )
    assert response.status_code == 403
    assert "Laad de pagina opnieuw" in response.get_data(as_text=True)
    forged = client.post(
        "/aanmelden",
        data={
            "email": "an@example.be",
            "password": services.partners.PASSWORD,
            "csrf_token": "forged",
        },
    )
    assert forged.status_code == 403
    assert services.calls == []


def test_a_form_posted_without_any_session_is_refused(client, services):
    # Another site cannot sign a visitor in as someone else (login CSRF).
    response = client.post("/aanmelden", data={"email": "a@b.be", "password": "x"})
    assert response.status_code == 403


def test_after_sign_in_only_a_local_page_is_followed(app, services):
    services.partners.add_person(email="an@example.be")
    for target, expected in (
        ("/netwerk", "/netwerk"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("/\t/evil.example", "/"),
    ):
        client = app.test_client()  # a browser not yet signed in
        token = csrf_of(client.get("/aanmelden").get_data(as_text=True))
        response = client.post(
            "/aanmelden",
            data={
                "email": "an@example.be",
                "password": services.partners.PASSWORD,
                "csrf_token": token,
                "volgende": target,
            },
        )
        assert response.headers["Location"] == expected


def test_a_page_without_a_session_sends_to_sign_in_and_back(client, services):
    response = client.get("/netwerk")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/aanmelden?volgende=/netwerk")


def test_signing_out_ends_the_session(client, services, network, portal_sign_in, page_token):
    portal_sign_in({network["id"]: ["referrer"]})
    token = page_token()
    assert client.post("/afmelden").status_code == 403  # without the form's token
    response = client.post("/afmelden", data={"csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"] == "/aanmelden"
    close = services.calls_to("close_session")
    assert len(close) == 1 and close[0].actor is None
    assert client.get("/").status_code == 302
    assert "Je bent afgemeld." in client.get("/aanmelden").get_data(as_text=True)


def test_a_session_ended_elsewhere_asks_to_sign_in_again(client, services, network, portal_sign_in):
    portal_sign_in({network["id"]: ["referrer"]})
    services.partners.sessions.clear()
    client.application.extensions["principals"].clear()
    response = client.get("/")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Je sessie is verlopen" in page


def test_choosing_the_network_to_work_in(client, services, portal_sign_in):
    first, second = str(uuid.uuid4()), str(uuid.uuid4())
    portal_sign_in({first: ["referrer"], second: ["coordinator"]})
    page = client.get("/netwerk").get_data(as_text=True)
    assert f'<label for="n-{first}">' in page and "Coördinator" in page
    token = csrf_of(page)
    refused = client.post("/netwerk", data={"network_id": str(uuid.uuid4()), "csrf_token": token})
    assert refused.status_code == 422
    chosen = client.post("/netwerk", data={"network_id": second, "csrf_token": token})
    assert chosen.status_code == 302
    with client.session_transaction() as session:
        assert session["network_id"] == second


def read_mails(mail_dir):
    return [
        email.message_from_bytes(p.read_bytes(), policy=email.policy.default)
        for p in sorted(mail_dir.glob("*.eml"))
    ]


def test_password_reset_by_mail(client, services, mail_dir, page_token):
    services.partners.add_person(email="an@example.be")
    token = page_token("/wachtwoord-vergeten")
    known = client.post(
        "/wachtwoord-vergeten", data={"email": "an@example.be", "csrf_token": token}
    )
    unknown = client.post(
        "/wachtwoord-vergeten", data={"email": "nobody@example.be", "csrf_token": token}
    )
    # The same answer either way: nobody learns who has an account.
    assert known.status_code == unknown.status_code == 200
    assert known.get_data() == unknown.get_data()
    assert services.calls_to("request_password_reset")[0].actor is None

    (mail,) = read_mails(mail_dir)
    assert mail["To"] == "an@example.be"
    assert mail["Subject"] == "Nieuw wachtwoord voor Verband"
    body = mail.get_content()
    # The token is in the fragment: browsers never send it, so no request line carries it.
    path, reset = re.search(r"http://localhost(/wachtwoord-herstellen)#(\S+)", body).groups()

    form = client.get(path)
    assert form.status_code == 200
    page = form.get_data(as_text=True)
    assert 'name="token"' in page and "link-token.js" in page
    token = csrf_of(page)

    short = client.post(
        path,
        data={"token": reset, "password": "kort", "password_repeat": "kort", "csrf_token": token},
    )
    assert short.status_code == 422 and 'id="e-password"' in short.get_data(as_text=True)
    mismatch = client.post(
        path,
        data={
            "token": reset,
            "password": "a" * 12,
            "password_repeat": "b" * 12,
            "csrf_token": token,
        },
    )
    assert mismatch.status_code == 422 and 'id="e-password_repeat"' in mismatch.get_data(
        as_text=True
    )

    new = "een nieuw lang wachtwoord"
    filled = {"token": reset, "password": new, "password_repeat": new, "csrf_token": token}
    done = client.post(path, data=filled)
    assert done.status_code == 302 and done.headers["Location"] == "/aanmelden"
    assert services.partners.people["an@example.be"]["password"] == new

    again = client.post(path, data=filled)
    assert again.status_code == 400
    assert "Vraag een nieuwe link aan" in again.get_data(as_text=True)


def test_no_token_reaches_the_request_log(client, services, mail_dir, page_token, caplog):
    services.partners.add_person(email="an@example.be")
    token = page_token("/wachtwoord-vergeten")
    with caplog.at_level("INFO", logger="gateway.access"):
        client.post("/wachtwoord-vergeten", data={"email": "an@example.be", "csrf_token": token})
        (mail,) = read_mails(mail_dir)
        reset = mail.get_content().split("#", 1)[1].split()[0]
        new = "een nieuw lang wachtwoord"
        client.post(
            "/wachtwoord-herstellen",
            data={"token": reset, "password": new, "password_repeat": new, "csrf_token": token},
        )
    logged = "\n".join(str(r.__dict__) for r in caplog.records)
    assert "/wachtwoord-herstellen" in logged
    assert reset not in logged


def test_the_reset_link_uses_the_public_address_not_the_host_header(services, mail_dir):
    app = create_app(
        {"TESTING": True, "MAIL_DIR": str(mail_dir), "PUBLIC_URL": "https://verband.example.be"},
        rpc=services,
    )
    client = app.test_client()
    services.partners.add_person(email="an@example.be")
    form = client.get("/wachtwoord-vergeten", headers={"Host": "evil.example"})
    token = csrf_of(form.get_data(as_text=True))
    client.post(
        "/wachtwoord-vergeten",
        data={"email": "an@example.be", "csrf_token": token},
        headers={"Host": "evil.example"},
    )
    (mail,) = read_mails(mail_dir)
    assert "https://verband.example.be/wachtwoord-herstellen#" in mail.get_content()
    assert "evil.example" not in mail.get_content()


def test_oidc_not_configured_says_so(client, services):
    response = client.get("/aanmelden/oidc")
    assert response.status_code == 404
    assert "niet ingesteld" in response.get_data(as_text=True)
    assert "Aanmelden via je organisatie" not in client.get("/aanmelden").get_data(as_text=True)


def test_portal_home_is_dutch_and_lists_networks(client, services, network, portal_sign_in):
    # Two networks and none chosen yet: the home lists them (one network: its own home).
    portal_sign_in({network["id"]: ["coordinator"], str(uuid.uuid4()): ["referrer"]})
    services.answer("partners", "list_networks", [network])
    services.answer("partners", "list_offers", [])
    services.answer(
        "reporting",
        "referral_count",
        {"network_id": network["id"], "referrals": 2, "last_event_at": network["created_at"]},
    )
    response = client.get("/")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<html lang="nl-BE">' in page
    assert "RTJ De Tafels" in page and "2</strong>" in page and "aanmeldingen" in page
    assert services.calls_to("list_offers")[0].args == (network["id"], {})


def test_portal_home_says_so_when_a_service_is_down(client, services, network, portal_sign_in):
    from verband_gateway.rpc import ServiceUnavailable

    portal_sign_in({network["id"]: ["coordinator"], str(uuid.uuid4()): ["referrer"]})
    services.fail("partners", "list_networks", ServiceUnavailable("De dienst is niet bereikbaar."))
    response = client.get("/")
    assert response.status_code == 503
    assert "De dienst is niet bereikbaar." in response.get_data(as_text=True)


def test_an_unknown_page_is_a_dutch_page_and_an_unknown_api_path_json(client, services):
    page = client.get("/bestaat-niet")
    assert page.status_code == 404 and "Niet gevonden" in page.get_data(as_text=True)
    api = client.get("/api/bestaat-niet")
    assert api.status_code == 404 and api.json["error"]["code"] == "not_found"


def test_a_signed_in_person_changes_their_own_password_in_the_portal(
    client, services, network, portal_sign_in
):
    assert client.get("/mijn-wachtwoord").status_code == 302  # signed out: to the sign-in
    person = portal_sign_in({network["id"]: ["coordinator"]})
    page = client.get("/mijn-wachtwoord").get_data(as_text=True)
    assert 'name="current_password"' in page and "Wachtwoord wijzigen" in page
    token = csrf_of(page)
    new = "een nieuw lang wachtwoord"

    missing = client.post(
        "/mijn-wachtwoord", data={"password": new, "password_repeat": new, "csrf_token": token}
    )
    assert missing.status_code == 422
    assert 'id="e-current_password"' in missing.get_data(as_text=True)
    mismatch = client.post(
        "/mijn-wachtwoord",
        data={
            "current_password": "oud",
            "password": new,
            "password_repeat": new + "x",
            "csrf_token": token,
        },
    )
    assert mismatch.status_code == 422
    assert 'id="e-password_repeat"' in mismatch.get_data(as_text=True)
    assert services.calls_to("change_password") == []  # nothing asked of the service yet

    services.fail(
        "partners",
        "change_password",
        ValidationFailed(
            "Je huidige wachtwoord klopt niet.",
            {"current_password": ["Dit is niet je huidige wachtwoord."]},
        ),
    )
    wrong = client.post(
        "/mijn-wachtwoord",
        data={
            "current_password": "fout",
            "password": new,
            "password_repeat": new,
            "csrf_token": token,
        },
    )
    assert wrong.status_code == 422
    assert "Dit is niet je huidige wachtwoord." in wrong.get_data(as_text=True)

    del services.errors[("partners", "change_password")]
    done = client.post(
        "/mijn-wachtwoord",
        data={
            "current_password": "oud",
            "password": new,
            "password_repeat": new,
            "csrf_token": token,
        },
    )
    assert done.status_code == 302 and done.headers["Location"] == "/aanmelden"
    assert services.calls_to("change_password")[-1].args == ("oud", new)
    # The new password ended every session, this one too: the portal asks to sign in again.
    assert client.get("/").status_code == 302
    assert person["email"] in services.partners.people
