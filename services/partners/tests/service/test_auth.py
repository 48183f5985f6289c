"""Sign-in: the bootstrapped platform admin, sessions, lockout, password reset (API tokens:
test_api_tokens.py)."""

import pytest
from verband_servicekit import ADMIN_EMAIL, ADMIN_PASSWORD

from partners.service import PartnersService
from verband_common.errors import Forbidden, Unauthenticated, ValidationFailed

pytestmark = pytest.mark.service

PASSWORD = "een-lang-en-geheim-wachtwoord"
CLIENT = {"ip": "127.0.0.1", "user_agent": "pytest"}


def test_the_platform_admin_is_made_once_from_the_environment(verband):
    first = verband.start(PartnersService)
    verband.start(PartnersService, db_url=first.db_url)  # a second instance, same database
    people = verband.sql(first.db_url, "SELECT email, password_hash, platform_admin FROM people")
    assert len(people) == 1
    assert people[0]["email"] == ADMIN_EMAIL and people[0]["platform_admin"]
    assert people[0]["password_hash"].startswith("$argon2id$")
    assert ADMIN_PASSWORD not in people[0]["password_hash"]


def test_without_admin_settings_no_admin_is_made(verband):
    partners = verband.start(PartnersService, VERBAND_ADMIN_EMAIL="", VERBAND_ADMIN_PASSWORD="")
    assert verband.count(partners.db_url, "people") == 0


def test_a_session_opens_resolves_slides_and_closes(world):
    with world.rpc(world.coordinator_a) as rpc:
        rpc.partners.set_password(world.coordinator_a_id, PASSWORD)
    with world.rpc(None) as rpc:
        opened = rpc.partners.open_session("Coordinator.A@verband.test", PASSWORD, CLIENT)
        principal = opened["principal"]
        assert principal["actor"] == world.coordinator_a
        assert principal["memberships"] == [
            {
                "network_id": world.network_a,
                "network_name": "1G1P Asse-Meise-Vilvoorde",
                "region": "Vlaams-Brabant/Brussel",
                "roles": ["coordinator"],
            }
        ]
        assert principal["token_scope"] is None and not principal["platform_admin"]
        assert rpc.partners.resolve_session(opened["token"]) == principal
        # Only the hash of the token is stored.
        stored = world.verband.sql(
            world.db,
            "SELECT token_hash FROM sessions WHERE person_id = %s",
            (world.coordinator_a_id,),
        )
        assert len(stored) == 1 and opened["token"].encode() not in bytes(stored[0]["token_hash"])

        # Idle for more than 8 hours: expired.
        world.verband.sql(world.db, "UPDATE sessions SET last_seen_at = now() - interval '9 hours'")
        with pytest.raises(Unauthenticated):
            rpc.partners.resolve_session(opened["token"])

        again = rpc.partners.open_session("coordinator.a@verband.test", PASSWORD, {})
        assert rpc.partners.close_session(again["token"]) == {"closed": True}
        assert rpc.partners.close_session(again["token"]) == {"closed": True}
        with pytest.raises(Unauthenticated):
            rpc.partners.resolve_session(again["token"])


def test_wrong_credentials_get_one_answer_and_five_failures_lock(world):
    with world.rpc(world.coordinator_a) as rpc:
        rpc.partners.set_password(world.coordinator_a_id, PASSWORD)
    email = "coordinator.a@verband.test"
    with world.rpc(None) as rpc:
        with pytest.raises(Unauthenticated) as wrong_password:
            rpc.partners.open_session(email, "niet het wachtwoord", {})
        with pytest.raises(Unauthenticated) as unknown_email:
            rpc.partners.open_session("niemand@verband.test", PASSWORD, {})
        # No hint which of the two was wrong.
        assert wrong_password.value.message == unknown_email.value.message
        for _ in range(4):
            with pytest.raises(Unauthenticated):
                rpc.partners.open_session(email, "niet het wachtwoord", {})
        with pytest.raises(Unauthenticated) as locked:
            rpc.partners.open_session(email, PASSWORD, {})  # even the right password
        assert "te veel pogingen" in locked.value.message.lower()
        assert (
            world.verband.count(world.db, "sessions", "person_id = %s", (world.coordinator_a_id,))
            == 0
        )
        # A quarter of an hour later it opens again.
        world.verband.sql(world.db, "UPDATE login_failures SET at = at - interval '16 minutes'")
        assert rpc.partners.open_session(email, PASSWORD, {})["token"]


def test_a_password_reset_works_once_within_the_hour(world):
    with world.rpc(None) as rpc:
        unknown = rpc.partners.request_password_reset("niemand@verband.test")
        assert unknown == {"reset_token": None, "person": None}
        asked = rpc.partners.request_password_reset("referrer.a@verband.test")
        assert asked["person"] == {"name": "referrer a", "email": "referrer.a@verband.test"}
        assert rpc.partners.reset_password(asked["reset_token"], PASSWORD) == {"reset": True}
        assert rpc.partners.open_session("referrer.a@verband.test", PASSWORD, {})["token"]
        with pytest.raises(ValidationFailed) as reused:
            rpc.partners.reset_password(asked["reset_token"], PASSWORD + "2")
        assert set(reused.value.fields) == {"reset_token"}
        late = rpc.partners.request_password_reset("referrer.a@verband.test")
        world.verband.sql(world.db, "UPDATE password_resets SET expires_at = now()")
        with pytest.raises(ValidationFailed):
            rpc.partners.reset_password(late["reset_token"], PASSWORD + "3")


def test_only_the_person_or_a_network_admin_sets_a_password(world):
    with world.rpc(world.coordinator_a) as rpc:
        with pytest.raises(Forbidden):
            rpc.partners.set_password(world.referrer_a_id, PASSWORD)
        assert rpc.partners.set_password(world.coordinator_a_id, PASSWORD) == {"set": True}
