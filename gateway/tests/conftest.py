"""Gateway tier: the Flask app with a fake of what lies outside it (the services over RPC)."""

import datetime as dt
import re
import secrets
import uuid
from typing import NamedTuple

import pytest

from verband_common import actor as actor_ref
from verband_common.errors import NotFound, Unauthenticated, ValidationFailed
from verband_gateway import create_app

NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC).isoformat()
GOOD_PASSWORD = "correct horse battery"
WRONG_CREDENTIALS = "Dit e-mailadres of wachtwoord klopt niet."
LOCKED = "Te veel pogingen. Wacht 15 minuten voor je opnieuw probeert."


class Call(NamedTuple):
    service: str
    method: str
    args: tuple
    correlation_id: str | None
    actor: str | None


class FakePartners:
    """The partners service's sign-in and directory RPCs, in memory, as the interface says."""

    PASSWORD = GOOD_PASSWORD
    WRONG_CREDENTIALS = WRONG_CREDENTIALS
    LOCKED = LOCKED

    def __init__(self):
        self.people: dict[str, dict] = {}  # by e-mail
        self.sessions: dict[str, str] = {}  # token -> e-mail
        self.api_tokens: dict[str, dict] = {}  # secret -> token row
        self.failures: dict[str, int] = {}
        self.resets: dict[str, str] = {}  # reset token -> e-mail

    # --- set-up helpers for tests ---

    def add_person(self, email=None, roles=None, platform_admin=False, password=GOOD_PASSWORD):
        """A person; `roles` maps network id -> list of roles."""
        email = email or f"p{uuid.uuid4().hex[:8]}@example.be"
        person = {
            "person_id": str(uuid.uuid4()),
            "name": "An Peeters",
            "email": email,
            "organisation_id": None,
            "platform_admin": platform_admin,
            "token_scope": None,
            "memberships": [
                {
                    "network_id": str(network_id),
                    "network_name": f"Netwerk {str(network_id)[:4]}",
                    "region": "Oost-Vlaanderen",
                    "roles": list(network_roles),
                }
                for network_id, network_roles in (roles or {}).items()
            ],
            "password": password,
        }
        self.people[email] = person
        return person

    def session_for(self, person) -> str:
        token = secrets.token_urlsafe(32)
        self.sessions[token] = person["email"]
        return token

    def principal(self, person) -> dict:
        found = {k: v for k, v in person.items() if k != "password"}
        found["actor"] = actor_ref.person(person["person_id"])
        return found

    # --- auth RPCs ---

    def open_session(self, email, password, client):
        assert set(client) == {"ip", "user_agent"}
        if self.failures.get(email, 0) >= 5:
            raise Unauthenticated(LOCKED)
        person = self.people.get(email)
        if person is None or person["password"] != password:
            self.failures[email] = self.failures.get(email, 0) + 1
            raise Unauthenticated(WRONG_CREDENTIALS)
        self.failures.pop(email, None)
        token = self.session_for(person)
        return {"token": token, "expires_at": NOW, "principal": self.principal(person)}

    def resolve_session(self, token):
        if token in self.api_tokens:
            row = self.api_tokens[token]
            if row["revoked_at"]:
                raise Unauthenticated("Dit token is ingetrokken.")
            # As the service answers for a token: no person behind it, one network, one role.
            return {
                "actor": actor_ref.token(row["id"]),
                "person_id": None,
                "name": row["label"],
                "email": None,
                "organisation_id": None,
                "platform_admin": False,
                "token_scope": {"network_id": row["network_id"], "role": row["role"]},
                "memberships": [
                    {
                        "network_id": row["network_id"],
                        "network_name": "Netwerk",
                        "region": "Oost-Vlaanderen",
                        "roles": [row["role"]],
                    }
                ],
            }
        email = self.sessions.get(token)
        if email is None:
            raise Unauthenticated("Je sessie is verlopen.")
        return self.principal(self.people[email])

    def close_session(self, token):
        self.sessions.pop(token, None)
        return {"closed": True}

    def issue_api_token(self, network_id, role, label):
        row = {
            "id": str(uuid.uuid4()),
            "network_id": network_id,
            "role": role,
            "label": label,
            "created_at": NOW,
            "revoked_at": None,
        }
        secret = "vbt_" + secrets.token_urlsafe(24)
        self.api_tokens[secret] = {**row, "issued_by": next(iter(self.people.values()))}
        return {**row, "token": secret}

    def list_api_tokens(self, network_id):
        return [
            {k: v for k, v in row.items() if k not in ("issued_by",)}
            for row in self.api_tokens.values()
            if row["network_id"] == network_id
        ]

    def revoke_api_token(self, token_id):
        for row in self.api_tokens.values():
            if row["id"] == token_id:
                row["revoked_at"] = NOW
                return {"revoked": True}
        raise NotFound("Dit token bestaat niet.")

    def request_password_reset(self, email):
        person = self.people.get(email)
        if person is None:
            return {"reset_token": None, "person": None}
        token = secrets.token_urlsafe(24)
        self.resets[token] = email
        return {"reset_token": token, "person": {"name": person["name"], "email": email}}

    def reset_password(self, reset_token, new_password):
        if len(new_password) < 12:
            raise ValidationFailed("De invoer is ongeldig.", {"new_password": ["Te kort."]})
        email = self.resets.pop(reset_token, None)
        if email is None:
            raise ValidationFailed(
                "Deze link is ongeldig of verlopen.",
                {"reset_token": ["Deze link is ongeldig, al gebruikt of verlopen."]},
            )
        self.people[email]["password"] = new_password
        return {"reset": True}


def network_row(**over):
    return {
        "id": str(uuid.uuid4()),
        "name": "RTJ De Tafels",
        "kind": "RTJ",
        "region": "Oost-Vlaanderen",
        "municipalities": ["44083"],
        "settings": {"pickup_guideline_days": 30},
        "created_at": NOW,
        **over,
    }


def organisation_row(**over):
    return {
        "id": str(uuid.uuid4()),
        "name": "CAW Oost-Vlaanderen",
        "kbo": "0123456749",
        "sector": "caw",
        "municipalities": ["44083"],
        "contact": {"email": "info@caw.be"},
        "profile": "Algemeen welzijnswerk.",
        "created_at": NOW,
        "updated_at": NOW,
        **over,
    }


def offer_row(network_id=None, **over):
    return {
        "id": str(uuid.uuid4()),
        "network_id": str(network_id or uuid.uuid4()),
        "organisation_id": str(uuid.uuid4()),
        "title": "Gezinscoaching",
        "kind": "family_coaching",
        "rtj": "RTJ",
        "target_ages": {"min": 0, "max": 18},
        "situations": [],
        "municipalities": ["44083"],
        "capacity": 10,
        "free_places": 2,
        "can_start_from": None,
        "status": "active",
        "warm_waiting_list": True,
        "flanking_offer_ids": [],
        "created_at": NOW,
        "updated_at": NOW,
        **over,
    }


def person_row(**over):
    return {
        "id": str(uuid.uuid4()),
        "name": "Bert Claes",
        "email": "bert@example.be",
        "organisation_id": None,
        "platform_admin": False,
        "roles": ["coordinator"],
        "created_at": NOW,
        **over,
    }


def agreement_row(**over):
    return {
        "id": str(uuid.uuid4()),
        "network_id": str(uuid.uuid4()),
        "title": "Volumeafspraak OCJ",
        "kind": "mandated_body",
        "parties": [{"organisation_id": None, "name": "OCJ Oost-Vlaanderen"}],
        "starts_on": "2026-01-01",
        "ends_on": None,
        "agreed_number": 12,
        "used_number": 3,
        "unit": "gezinnen",
        "status": "active",
        "notes": "",
        "next_follow_up_on": None,
        "follow_up_due": False,
        "follow_ups": [],
        "created_at": NOW,
        "updated_at": NOW,
        **over,
    }


def task_group_row(**over):
    return {
        "id": str(uuid.uuid4()),
        "network_id": str(uuid.uuid4()),
        "name": "Kansarmoede",
        "theme": "poverty",
        "mandate": "Drempels voor gezinnen in armoede wegwerken.",
        "members": [],
        "organisations": [],
        "created_at": NOW,
        "updated_at": NOW,
        **over,
    }


def person_roles(network_id, person_id, roles):
    return {"network_id": network_id, "person_id": person_id, "roles": roles}


def import_result(dry_run=True):
    return {"dry_run": dry_run, "rows": 2, "errors": [], "created": 0 if dry_run else 2}


class FakeServices:
    """Stands in for the RPC client: answers like the services do, records every call."""

    def __init__(self):
        self.calls: list[Call] = []
        self.answers = {}
        self.errors = {}
        self.partners = FakePartners()
        # Plausible answers of the directory RPCs, for tests that look at the gateway's side.
        self.defaults = {
            ("partners", "list_networks"): lambda: [network_row()],
            ("partners", "get_network"): lambda nid: network_row(id=nid),
            ("partners", "create_network"): lambda payload: network_row(**payload),
            ("partners", "update_network_settings"): lambda nid, s: network_row(id=nid),
            ("partners", "list_organisations"): lambda nid: [organisation_row()],
            ("partners", "create_organisation"): lambda p: organisation_row(**p),
            ("partners", "get_organisation"): lambda oid: organisation_row(id=oid),
            ("partners", "update_organisation"): lambda oid, p: organisation_row(id=oid, **p),
            ("partners", "add_membership"): lambda nid, p: {"network_id": nid, **p},
            ("partners", "end_membership"): lambda nid, oid, ends: {
                "network_id": nid,
                "organisation_id": oid,
                "role": "partner",
                "starts_on": "2026-01-01",
                "ends_on": ends,
            },
            ("partners", "list_people"): lambda nid: [person_row()],
            ("partners", "create_person"): lambda nid, p: person_row(
                name=p["name"], email=p["email"]
            ),
            ("partners", "get_person"): lambda pid: person_row(id=pid),
            ("partners", "set_password"): lambda pid, pw: {"set": True},
            ("partners", "grant_role"): lambda nid, pid, role: person_roles(nid, pid, [role]),
            ("partners", "revoke_role"): lambda nid, pid, role: person_roles(nid, pid, []),
            ("partners", "list_offers"): lambda nid, filters: [offer_row(nid)],
            ("partners", "publish_offer"): lambda nid, p: offer_row(nid, **p),
            ("partners", "get_offer"): lambda oid: offer_row(id=oid),
            ("partners", "update_offer"): lambda oid, p: offer_row(id=oid, **p),
            ("partners", "search_region_offer"): lambda filters: [offer_row()],
            ("partners", "gaps"): lambda nid: {
                "uncovered": [
                    {"municipality": "44083", "municipality_name": "Deinze", "kind": "consultation"}
                ],
                "full_with_waiting": [],
            },
            ("partners", "list_agreements"): lambda nid: [agreement_row(network_id=nid)],
            ("partners", "record_agreement"): lambda nid, p: agreement_row(network_id=nid, **p),
            ("partners", "update_agreement"): lambda aid, p: agreement_row(id=aid, **p),
            ("partners", "add_agreement_follow_up"): lambda aid, p: agreement_row(
                id=aid, follow_ups=[{"id": str(uuid.uuid4()), "created_at": NOW, **p}]
            ),
            ("partners", "list_task_groups"): lambda nid: [task_group_row(network_id=nid)],
            ("partners", "create_task_group"): lambda nid, p: task_group_row(network_id=nid, **p),
            ("partners", "update_task_group"): lambda tid, p: task_group_row(id=tid, **p),
            ("partners", "export_hsds"): lambda nid: {"services": []},
            ("partners", "import_csv"): lambda nid, kind, text, dry_run: import_result(dry_run),
            ("partners", "list_municipalities"): lambda: [
                {"nis": "44083", "name": "Deinze", "province": "Oost-Vlaanderen"}
            ],
            ("cases", "receive_referral"): lambda nid, p: {
                "referral_id": str(uuid.uuid4()),
                "network_id": nid,
                "offer_id": p["offer_id"],
                "status": "received",
                "received_at": NOW,
            },
            ("reporting", "referral_count"): lambda nid: {
                "network_id": nid,
                "referrals": 0,
                "last_event_at": None,
            },
        }

    def answer(self, service, method, value):
        self.answers[(service, method)] = value

    def fail(self, service, method, exc):
        self.errors[(service, method)] = exc

    def call(self, service, method, *args, correlation_id=None, actor=None):
        self.calls.append(Call(service, method, args, correlation_id, actor))
        if (service, method) in self.errors:
            raise self.errors[(service, method)]
        if (service, method) in self.answers:
            value = self.answers[(service, method)]
            return value(*args) if callable(value) else value
        if service == "partners" and hasattr(FakePartners, method):
            return getattr(self.partners, method)(*args)
        if (service, method) in self.defaults:
            return self.defaults[(service, method)](*args)
        return None

    def methods_called(self):
        return [(c.service, c.method) for c in self.calls]

    def calls_to(self, method):
        return [c for c in self.calls if c.method == method]


@pytest.fixture
def services():
    return FakeServices()


@pytest.fixture
def mail_dir(tmp_path):
    return tmp_path / "mail"


@pytest.fixture
def app(services, mail_dir):
    return create_app({"TESTING": True, "MAIL_DIR": str(mail_dir)}, rpc=services)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def network():
    return network_row()


@pytest.fixture
def bearer(services):
    """bearer({network_id: [roles]}, platform_admin=False) -> headers of a signed-in person."""

    def make(roles=None, platform_admin=False):
        person = services.partners.add_person(roles=roles, platform_admin=platform_admin)
        return {"Authorization": "Bearer " + services.partners.session_for(person)}

    return make


@pytest.fixture
def coordinator(bearer, network):
    """Headers of a coordinator of `network`."""
    return bearer({network["id"]: ["coordinator"]})


@pytest.fixture
def admin(bearer):
    """Headers of a platform admin (no role in any network)."""
    return bearer(platform_admin=True)


CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(page: str) -> str:
    return CSRF.search(page).group(1)


@pytest.fixture
def portal_sign_in(client, services):
    """Sign in through the form, as a browser does: portal_sign_in({network: [roles]})."""

    def sign_in(roles=None, email=None, **person):
        found = services.partners.add_person(email=email, roles=roles, **person)
        token = csrf_of(client.get("/aanmelden").get_data(as_text=True))
        response = client.post(
            "/aanmelden",
            data={"email": found["email"], "password": GOOD_PASSWORD, "csrf_token": token},
        )
        assert response.status_code == 302, response.get_data(as_text=True)
        return found

    return sign_in


@pytest.fixture
def page_token(client):
    """The CSRF token of the form on a page (signing in first if the page needs it)."""

    def token(path="/"):
        return csrf_of(client.get(path).get_data(as_text=True))

    return token
