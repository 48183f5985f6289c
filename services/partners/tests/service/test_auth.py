"""Sign-in: the bootstrapped platform admin, sessions, the throttle, own password change and
reset (API tokens: test_api_tokens.py)."""

import io

import pytest
from verband_servicekit import ADMIN_EMAIL, ADMIN_PASSWORD

from partners.bootstrap import Refused, make_platform_admin
from partners.bootstrap import main as bootstrap_main
from partners.service import PartnersService
from verband_common.errors import Forbidden, TooManyAttempts, Unauthenticated, ValidationFailed

pytestmark = pytest.mark.service

PASSWORD = "een-lang-en-geheim-wachtwoord"
CLIENT = {"ip": "127.0.0.1", "user_agent": "pytest"}


def test_the_platform_admin_comes_only_from_the_one_time_bootstrap(verband):
    partners = verband.start(PartnersService, admin=False)
    # Started without: nobody, whatever the environment says.
    assert verband.count(partners.db_url, "people") == 0
    assert make_platform_admin(partners.db_url, ADMIN_EMAIL, ADMIN_PASSWORD, "Beheer")
    # Again for the same address: no change; a second service start makes nobody either.
    assert not make_platform_admin(partners.db_url, ADMIN_EMAIL, "een ander wachtwoord", "X")
    verband.start(PartnersService, db_url=partners.db_url, admin=False)
    people = verband.sql(partners.db_url, "SELECT email, password_hash, platform_admin FROM people")
    assert len(people) == 1
    assert people[0]["email"] == ADMIN_EMAIL and people[0]["platform_admin"]
    assert people[0]["password_hash"].startswith("$argon2id$")
    with verband.rpc() as rpc:
        assert rpc.partners.open_session(ADMIN_EMAIL, ADMIN_PASSWORD, {})["token"]
    # Once there is one, the bootstrap refuses another.
    with pytest.raises(Refused):
        make_platform_admin(partners.db_url, "tweede@verband.test", ADMIN_PASSWORD, "Twee")
    with pytest.raises(Refused):
        make_platform_admin(partners.db_url, "kort@verband.test", "kort", "Kort")
    assert verband.count(partners.db_url, "people") == 1


def test_the_bootstrap_command_reads_the_password_from_stdin(verband, monkeypatch, capsys):
    partners = verband.start(PartnersService, admin=False)
    monkeypatch.setenv("DATABASE_URL", partners.db_url)
    monkeypatch.setattr("sys.stdin", io.StringIO(ADMIN_PASSWORD + "\n"))
    assert bootstrap_main(["--email", ADMIN_EMAIL]) == 0
    assert "made" in capsys.readouterr().out
    with verband.rpc() as rpc:
        assert rpc.partners.open_session(ADMIN_EMAIL, ADMIN_PASSWORD, {})["token"]
    monkeypatch.setattr("sys.stdin", io.StringIO(ADMIN_PASSWORD))
    assert bootstrap_main(["--email", "ander@verband.test"]) == 1


def test_a_session_opens_resolves_slides_and_closes(world):
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
        # (the other one is the session the invitation's acceptance opened)
        assert len(stored) == 2
        assert all(opened["token"].encode() not in bytes(r["token_hash"]) for r in stored)

        # Idle for more than 8 hours: expired.
        world.verband.sql(world.db, "UPDATE sessions SET last_seen_at = now() - interval '9 hours'")
        with pytest.raises(Unauthenticated):
            rpc.partners.resolve_session(opened["token"])

        again = rpc.partners.open_session("coordinator.a@verband.test", PASSWORD, {})
        assert rpc.partners.close_session(again["token"]) == {"closed": True}
        assert rpc.partners.close_session(again["token"]) == {"closed": True}
        with pytest.raises(Unauthenticated):
            rpc.partners.resolve_session(again["token"])


def test_wrong_credentials_get_one_answer_and_a_growing_delay_no_lock(world):
    email = "coordinator.a@verband.test"
    stranger = {"ip": "203.0.113.9"}
    with world.rpc(None) as rpc:
        with pytest.raises(Unauthenticated) as wrong_password:
            rpc.partners.open_session(email, "niet het wachtwoord", stranger)
        with pytest.raises(Unauthenticated) as unknown_email:
            rpc.partners.open_session("niemand@verband.test", PASSWORD, stranger)
        # No hint which of the two was wrong.
        assert wrong_password.value.message == unknown_email.value.message
        # The person signs in from their own address, where they signed in before.
        rpc.partners.open_session(email, PASSWORD, {"ip": "198.51.100.4"})
        for _ in range(2):
            with pytest.raises(Unauthenticated):
                rpc.partners.open_session(email, "niet het wachtwoord", stranger)
        # Three free failures; the next attempt waits a second after the last of them
        # (made "just now", whatever the speed of this machine).
        world.verband.sql(world.db, "UPDATE login_failures SET at = now() WHERE ip IS NOT NULL")
        with pytest.raises(TooManyAttempts):
            rpc.partners.open_session(email, "niet het wachtwoord", stranger)
        world.verband.sql(world.db, "UPDATE login_failures SET at = at - interval '10 seconds'")
        # The stranger's fourth failure: from then on they wait, growing, before trying.
        with pytest.raises(Unauthenticated):
            rpc.partners.open_session(email, "niet het wachtwoord", stranger)
        world.verband.sql(world.db, "UPDATE login_failures SET at = now() WHERE ip IS NOT NULL")
        for _ in range(5):  # refused without a check and without being counted
            with pytest.raises(TooManyAttempts) as slowed:
                rpc.partners.open_session(email, PASSWORD, stranger)  # even the right one
        assert "probeer het over" in slowed.value.message.lower()
        assert 1 <= int(slowed.value.fields["retry_after"][0]) <= 2
        # 3 free + 1 counted: the refused attempts did not add up.
        assert world.verband.count(world.db, "login_failures", "email = %s", (email,)) == 4
        # Meanwhile the real person signs in from their own address at once.
        assert rpc.partners.open_session(email, PASSWORD, {"ip": "198.51.100.4"})["token"]
        # And after the delay even from the stranger's address.
        world.verband.sql(world.db, "UPDATE login_failures SET at = at - interval '3 seconds'")
        assert rpc.partners.open_session(email, PASSWORD, stranger)["token"]


def test_guessing_from_many_addresses_holds_a_new_address_briefly_and_a_known_one_not(world):
    email = "referrer.a@verband.test"
    home = {"ip": "198.51.100.4"}
    with world.rpc(None) as rpc:
        rpc.partners.open_session(email, PASSWORD, home)
        for i in range(15):
            with pytest.raises((Unauthenticated, TooManyAttempts)):
                rpc.partners.open_session(email, "fout", {"ip": f"203.0.113.{i}"})
        # As if a botnet had guessed 500 times just now.
        world.verband.sql(
            world.db,
            "INSERT INTO login_failures (email, ip, at)"
            " SELECT %s, '192.0.2.' || mod(g, 250), now() FROM generate_series(1, 500) g",
            (email,),
        )
        with pytest.raises(TooManyAttempts) as slowed:
            rpc.partners.open_session(email, PASSWORD, {"ip": "198.51.100.77"})
        assert 25 <= int(slowed.value.fields["retry_after"][0]) <= 30  # the cap, not a lock
        # Where the person signed in before, they sign in at once.
        assert rpc.partners.open_session(email, PASSWORD, home)["token"]
        world.verband.sql(world.db, "UPDATE login_failures SET at = at - interval '31 seconds'")
        assert rpc.partners.open_session(email, PASSWORD, {"ip": "198.51.100.77"})["token"]


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


def test_a_person_changes_their_own_password_only_with_the_current_one(world):
    with world.rpc(world.coordinator_a) as rpc:
        with pytest.raises(ValidationFailed) as wrong:
            rpc.partners.change_password("niet het huidige", PASSWORD + "-nieuw")
        assert set(wrong.value.fields) == {"current_password"}
        assert rpc.partners.change_password(PASSWORD, PASSWORD + "-nieuw") == {"changed": True}
    with world.rpc(None) as rpc:
        assert rpc.partners.open_session("coordinator.a@verband.test", PASSWORD + "-nieuw", {})
        with pytest.raises(Unauthenticated):
            rpc.partners.open_session("coordinator.a@verband.test", PASSWORD, {})


def test_no_network_role_sets_or_resets_another_persons_password(world):
    with world.rpc(world.coordinator_a) as rpc:
        with pytest.raises(Forbidden):
            rpc.partners.start_password_reset(world.referrer_a_id)
    # The platform admin starts a reset: the token goes to the gateway, which mails it to
    # the person's own address; the password itself is only ever set by the person.
    with world.rpc(world.admin) as rpc:
        started = rpc.partners.start_password_reset(world.referrer_a_id)
    assert started["person"] == {"name": "referrer a", "email": "referrer.a@verband.test"}
    with world.rpc(None) as rpc:
        rpc.partners.reset_password(started["reset_token"], PASSWORD + "-herstel")
        assert rpc.partners.open_session("referrer.a@verband.test", PASSWORD + "-herstel", {})
