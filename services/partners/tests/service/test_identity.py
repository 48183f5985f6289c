"""Sign-in through a region's identity provider: open_session_for_identity."""

import pytest

from verband_common.errors import TooManyAttempts, Unauthenticated, ValidationFailed

pytestmark = pytest.mark.service

ISSUER = "https://login.regio.example"
OTHER_ISSUER = "https://idp.andere-regio.example"


def identity(subject="sub-coordinator-a", email="Coordinator.A@verband.test", issuer=ISSUER):
    return {"issuer": issuer, "subject": subject, "email": email}


def test_a_vouched_identity_opens_a_session_and_binds_on_first_use(world):
    with world.rpc(None) as rpc:
        opened = rpc.partners.open_session_for_identity(identity(), {"ip": "127.0.0.1"})
        assert opened["principal"]["actor"] == world.coordinator_a
        assert rpc.partners.resolve_session(opened["token"]) == opened["principal"]
        bound = world.verband.sql(
            world.db, "SELECT issuer, subject, person_id FROM person_identities"
        )
        assert [(b["issuer"], b["subject"], str(b["person_id"])) for b in bound] == [
            (ISSUER, "sub-coordinator-a", world.coordinator_a_id)
        ]
        # The e-mail changed at the provider: the subject still finds the same person.
        again = rpc.partners.open_session_for_identity(
            identity(email="nieuw.adres@verband.test"), {}
        )
        assert again["principal"]["actor"] == world.coordinator_a
        # The same person at another provider is bound there too, apart.
        elsewhere = rpc.partners.open_session_for_identity(
            identity(subject="x-1", issuer=OTHER_ISSUER), {}
        )
        assert elsewhere["principal"]["actor"] == world.coordinator_a
    assert world.verband.count(world.db, "person_identities") == 2


def test_an_unknown_email_is_refused_and_nothing_is_bound(world):
    sessions = world.verband.count(world.db, "sessions")
    with world.rpc(None) as rpc, pytest.raises(Unauthenticated) as refused:
        rpc.partners.open_session_for_identity(identity(email="niemand@verband.test"), {})
    assert "geen account" in refused.value.message
    assert world.verband.count(world.db, "person_identities") == 0
    assert world.verband.count(world.db, "sessions") == sessions


def test_a_strangers_wrong_passwords_do_not_stop_the_identity_provider_sign_in(world):
    email = "coordinator.a@verband.test"
    with world.rpc(None) as rpc:
        for _ in range(12):
            with pytest.raises((Unauthenticated, TooManyAttempts)):
                rpc.partners.open_session(email, "niet het wachtwoord", {"ip": "203.0.113.5"})
        opened = rpc.partners.open_session_for_identity(identity(), {})
    assert opened["principal"]["actor"] == world.coordinator_a


def test_a_person_bound_to_one_subject_cannot_be_taken_by_another(world):
    with world.rpc(None) as rpc:
        rpc.partners.open_session_for_identity(identity(subject="echte-account"), {})
        # Someone at the provider got the coordinator's e-mail address on their own account.
        with pytest.raises(Unauthenticated) as refused:
            rpc.partners.open_session_for_identity(identity(subject="overnemer"), {})
        assert "al gekoppeld" in refused.value.message
        # A subject bound to one person stays that person, whatever e-mail comes with it.
        rpc.partners.open_session_for_identity(
            identity(subject="referrer-sub", email="referrer.a@verband.test"), {}
        )
        opened = rpc.partners.open_session_for_identity(
            identity(subject="referrer-sub", email="coordinator.a@verband.test"), {}
        )
        assert opened["principal"]["actor"] == world.referrer_a
    people = world.verband.sql(world.db, "SELECT subject FROM person_identities ORDER BY subject")
    assert [p["subject"] for p in people] == ["echte-account", "referrer-sub"]


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        ({"issuer": "geen-adres"}, "issuer"),
        ({"subject": ""}, "subject"),
        ({"subject": "x" * 256}, "subject"),
        ({"email": "geen-e-mail"}, "email"),
        ({"email": None}, "email"),
    ],
)
def test_bad_input_names_the_field_and_stores_nothing(world, bad, field):
    sessions = world.verband.count(world.db, "sessions")
    with world.rpc(None) as rpc, pytest.raises(ValidationFailed) as refused:
        rpc.partners.open_session_for_identity({**identity(), **bad}, {})
    assert field in refused.value.fields
    assert world.verband.count(world.db, "sessions") == sessions
    assert world.verband.count(world.db, "person_identities") == 0


def test_not_an_object_is_refused(world):
    with world.rpc(None) as rpc, pytest.raises(ValidationFailed):
        rpc.partners.open_session_for_identity("coordinator.a@verband.test", {})
