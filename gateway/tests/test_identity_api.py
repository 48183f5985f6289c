"""Identity through the gateway: invitations (mailed, never answered with their token),
accepting them, one's own password, the platform admin's reset, the trail, and the
demo/test-only mail reader."""

import email
import email.policy
import re

from verband_gateway import create_app

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(page: str) -> str:
    return CSRF.search(page).group(1)


def mails(mail_dir):
    return [
        email.message_from_bytes(p.read_bytes(), policy=email.policy.default)
        for p in sorted(mail_dir.glob("*.eml"), key=lambda p: p.stat().st_mtime)
    ]


def invite(client, headers, network_id, **body):
    return client.post(
        f"/api/networks/{network_id}/invitations",
        json={"name": "Els Peeters", "email": "els@example.be", **body},
        headers=headers,
    )


def test_an_invitation_is_mailed_and_its_answer_tells_nothing(
    client, services, bearer, network, mail_dir
):
    admin = bearer({network["id"]: ["network_admin"]})
    services.partners.add_person(email="bekend@example.be")
    known = invite(client, admin, network["id"], email="bekend@example.be", roles=["referrer"])
    new = invite(client, admin, network["id"], email="nieuw@example.be", roles=["referrer"])
    assert known.status_code == new.status_code == 201
    strip = ("id", "email")
    assert {k: v for k, v in known.json.items() if k not in strip} == {
        k: v for k, v in new.json.items() if k not in strip
    }
    for answer in (known, new):
        assert set(answer.json) == {
            "id",
            "network_id",
            "name",
            "email",
            "organisation_id",
            "roles",
            "created_at",
            "expires_at",
            "status",
        }
    sent_known, sent_new = mails(mail_dir)
    assert sent_known["To"] == "bekend@example.be" and sent_new["To"] == "nieuw@example.be"
    assert "meld je aan" in sent_known.get_content()
    assert "kies je wachtwoord" in sent_new.get_content()
    # The token travels in the link's fragment only.
    token = re.search(r"/uitnodiging#(\S+)", sent_new.get_content()).group(1)
    assert token not in known.get_data(as_text=True) + new.get_data(as_text=True)


def test_a_new_person_accepts_with_a_password_and_is_signed_in(client, services, network, bearer):
    admin = bearer({network["id"]: ["network_admin"]})
    invite(client, admin, network["id"], email="nieuw@example.be", roles=["referrer"])
    (token,) = services.partners.invitations
    described = client.post("/api/invitations/describe", json={"token": token})
    assert described.status_code == 200 and described.json["account_exists"] is False
    short = client.post("/api/invitations/accept-new", json={"token": token, "password": "kort"})
    assert short.status_code == 422 and "password" in short.json["error"]["fields"]
    accepted = client.post(
        "/api/invitations/accept-new", json={"token": token, "password": "een lang wachtwoord"}
    )
    assert accepted.status_code == 201
    me = client.get("/api/auth/me", headers={"Authorization": f"Bearer {accepted.json['token']}"})
    assert me.json["memberships"][0]["roles"] == ["referrer"]
    again = client.post(
        "/api/invitations/accept-new", json={"token": token, "password": "een lang wachtwoord"}
    )
    assert again.status_code == 422 and "token" in again.json["error"]["fields"]


def test_an_existing_person_accepts_signed_in(client, services, network, bearer):
    admin = bearer({network["id"]: ["network_admin"]})
    person = services.partners.add_person(email="bekend@example.be")
    invite(client, admin, network["id"], email="bekend@example.be")
    (token,) = services.partners.invitations
    assert client.post("/api/invitations/accept", json={"token": token}).status_code == 401
    headers = {"Authorization": "Bearer " + services.partners.session_for(person)}
    accepted = client.post("/api/invitations/accept", json={"token": token}, headers=headers)
    assert accepted.status_code == 200
    assert services.calls_to("accept_invitation")[0].actor == f"person:{person['person_id']}"


def test_the_invitation_page_takes_the_token_in_the_body(client, services, network, bearer):
    admin = bearer({network["id"]: ["network_admin"]})
    invite(client, admin, network["id"], email="nieuw@example.be", roles=["referrer"])
    (token,) = services.partners.invitations
    page = client.get("/uitnodiging")
    assert page.status_code == 200 and "link-token.js" in page.get_data(as_text=True)
    form = {"csrf_token": csrf_of(page.get_data(as_text=True)), "token": token}
    mismatch = client.post(
        "/uitnodiging", data={**form, "password": "a" * 12, "password_repeat": "b" * 12}
    )
    assert mismatch.status_code == 422
    done = client.post(
        "/uitnodiging",
        data={**form, "password": "een lang wachtwoord", "password_repeat": "een lang wachtwoord"},
    )
    assert done.status_code == 302 and done.headers["Location"] == "/"
    assert client.get("/api/auth/me").json["email"] == "nieuw@example.be"


def test_own_password_needs_the_current_one_and_nobody_sets_anothers(
    client, services, bearer, network, admin, mail_dir
):
    me = bearer({network["id"]: ["network_admin"]})
    changed = client.put(
        "/api/me/password",
        json={"current_password": "oud", "new_password": "een nieuw lang wachtwoord"},
        headers=me,
    )
    assert changed.status_code == 204
    assert services.calls_to("change_password")[0].args == ("oud", "een nieuw lang wachtwoord")
    # No route sets another person's password or e-mail.
    other = services.partners.add_person(email="ander@example.be")
    for method, path, body in (
        ("put", f"/api/people/{other['person_id']}/password", {"password": "x" * 12}),
        ("patch", f"/api/people/{other['person_id']}", {"email": "mijn@example.be"}),
        ("put", f"/api/people/{other['person_id']}/email", {"email": "mijn@example.be"}),
    ):
        assert getattr(client, method)(path, json=body, headers=me).status_code in (404, 405)
    # A network admin starts no reset; the platform admin's goes to the person's address.
    path = f"/api/people/{other['person_id']}/password-reset"
    assert client.post(path, headers=me).status_code == 403
    assert client.post(path, headers=admin).status_code == 202
    (mail,) = mails(mail_dir)
    assert mail["To"] == "ander@example.be"
    assert "/wachtwoord-herstellen#" in mail.get_content()


def test_the_identity_trail_for_the_network_admin(client, services, bearer, network, admin):
    boss = bearer({network["id"]: ["network_admin"]})
    trail = client.get(f"/api/networks/{network['id']}/identity-trail?limit=5", headers=boss)
    assert trail.status_code == 200 and trail.json[0]["kind"] == "role_granted"
    assert services.calls_to("identity_trail")[0].args == (
        network["id"],
        {"before": None, "limit": 5},
    )
    coordinator = bearer({network["id"]: ["coordinator"]})
    path = f"/api/networks/{network['id']}/identity-trail"
    assert client.get(path, headers=coordinator).status_code == 403
    assert client.get("/api/identity-trail", headers=boss).status_code == 403
    assert client.get("/api/identity-trail", headers=admin).status_code == 200


def test_the_trail_page(client, services, network, portal_sign_in):
    portal_sign_in({network["id"]: ["network_admin"]})
    page = client.get("/netwerk/spoor")
    assert page.status_code == 200 and "Rol toegekend" in page.get_data(as_text=True)


def test_mails_are_readable_only_in_demo_and_test_and_by_the_platform_admin(
    services, bearer, network, admin, mail_dir, client
):
    invite(client, bearer({network["id"]: ["network_admin"]}), network["id"])
    read = client.get("/api/test/mails?to=els@example.be", headers=admin)
    assert read.status_code == 200 and "/uitnodiging#" in read.json[0]["body"]
    assert read.json[0]["subject"].startswith("Uitnodiging voor")
    boss = bearer({network["id"]: ["network_admin"]})
    assert client.get("/api/test/mails?to=els@example.be", headers=boss).status_code == 403
    production = create_app(
        {
            "TESTING": True,
            "VERBAND_ENV": "production",
            "MAIL_DIR": str(mail_dir),
        },
        rpc=services,
    )
    answer = production.test_client().get("/api/test/mails?to=els@example.be", headers=admin)
    assert answer.status_code == 404
