"""Timeouts tell the truth and retries make no second family: a request that arrives after
its caller's deadline does nothing, a write whose deadline passes before it commits rolls
back, and a referral retried with the same idempotency key returns the first answer."""

import datetime as dt

import eventlet
import pytest
from cases_world import Network, family, refer, seed

from cases.service import CasesService
from verband_common import actor, deadline
from verband_common.errors import DeadlineExceeded, Forbidden, ValidationFailed

pytestmark = pytest.mark.service


@pytest.fixture
def world(verband):
    cases = verband.start(CasesService)
    net = Network("1G1P Asse-Meise-Vilvoorde")
    seed(verband, cases, net)
    cases.net = net
    return cases


def referrer_rpc(verband, net, **context):
    return verband.rpc(context_data={"actor": actor.person(net.referrer), **context})


def written(verband, cases) -> dict:
    return {
        table: verband.count(cases.db_url, table)
        for table in ("referrals", "families", "outbox", "idempotency_keys")
    }


def test_a_request_arriving_after_its_deadline_is_not_started(verband, world):
    net = world.net
    before = written(verband, world)
    with (
        referrer_rpc(verband, net, deadline=deadline.stamp(-1)) as rpc,
        pytest.raises(DeadlineExceeded),
    ):
        rpc.cases.receive_referral(net.id, family(net))
    assert written(verband, world) == before


def test_a_write_whose_deadline_passes_before_commit_is_rolled_back(verband, world):
    net = world.net
    # The insert is slowed beyond the caller's patience: the work starts in time, but the
    # answer could no longer reach the caller, so the write must not stay either.
    verband.sql(
        world.db_url,
        """
        CREATE FUNCTION slow_referral() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN PERFORM pg_sleep(1.5); RETURN NEW; END $$;
        CREATE TRIGGER slow BEFORE INSERT ON referrals
          FOR EACH ROW EXECUTE FUNCTION slow_referral();
        """,
    )
    before = written(verband, world)
    with (
        referrer_rpc(verband, net, deadline=deadline.stamp(1.0)) as rpc,
        pytest.raises(DeadlineExceeded),
    ):
        rpc.cases.receive_referral(net.id, family(net))
    assert written(verband, world) == before
    # With time enough, the same request goes through.
    with referrer_rpc(verband, net, deadline=deadline.stamp(10)) as rpc:
        rpc.cases.receive_referral(net.id, family(net))
    assert verband.count(world.db_url, "referrals") == before["referrals"] + 1


def keyed(verband, net, key, fingerprint="f1", who=None):
    return verband.rpc(
        context_data={
            "actor": actor.person(who or net.referrer),
            "idempotency_key": key,
            "idempotency_fingerprint": fingerprint,
            "deadline": deadline.stamp(15),
        }
    )


def test_a_retried_referral_with_the_same_key_makes_one_family(verband, world):
    net = world.net
    before = written(verband, world)
    events = verband.count(world.db_url, "outbox", "event_type = 'referral_received'")
    payload = family(net)
    with keyed(verband, net, "k-1#1") as rpc:
        first = rpc.cases.receive_referral(net.id, payload)
    with keyed(verband, net, "k-1#1") as rpc:
        again = rpc.cases.receive_referral(net.id, payload)
    assert again == first
    after = written(verband, world)
    assert after["referrals"] == before["referrals"] + 1
    assert after["families"] == before["families"] + 1
    assert after["idempotency_keys"] == before["idempotency_keys"] + 1
    # One referral_received event, not two.
    assert verband.count(world.db_url, "outbox", "event_type = 'referral_received'") == events + 1

    # The same key for another request is refused, and writes nothing.
    with (
        keyed(verband, net, "k-1#1", fingerprint="f2") as rpc,
        pytest.raises(ValidationFailed) as e,
    ):
        rpc.cases.receive_referral(net.id, family(net, question="Iets anders."))
    assert "Idempotency-Key" in e.value.fields
    assert written(verband, world)["referrals"] == after["referrals"]

    # Keys are the caller's own: another caller's same key is another request.
    with keyed(verband, net, "k-1#1", who=net.coordinator) as rpc:
        other = rpc.cases.receive_referral(net.id, family(net))
    assert other["referral_id"] != first["referral_id"]


def test_concurrent_retries_with_one_key_make_one_referral(verband, world):
    net = world.net
    before = verband.count(world.db_url, "referrals")
    payload = family(net)

    def attempt(_):
        with keyed(verband, net, "k-race#1") as rpc:
            return rpc.cases.receive_referral(net.id, payload)

    answers = list(eventlet.GreenPool(4).imap(attempt, range(4)))
    assert len({a["referral_id"] for a in answers}) == 1
    assert verband.count(world.db_url, "referrals") == before + 1


def test_calls_without_a_key_each_write(verband, world):
    net = world.net
    before = verband.count(world.db_url, "referrals")
    payload = family(net)
    with referrer_rpc(verband, net) as rpc:  # no deadline, no key: as before
        rpc.cases.receive_referral(net.id, payload)
        rpc.cases.receive_referral(net.id, payload)
    assert verband.count(world.db_url, "referrals") == before + 2
    assert verband.count(world.db_url, "idempotency_keys") == 0


def test_a_refused_keyed_write_keeps_the_record_of_the_refusal(verband, world):
    """The gateway keys every write (a broker may hand one request to two replicas). A
    refusal under a key is not kept as the answer, but its audit entry stays, as without."""
    net = world.net
    case = refer(verband, net)["case_id"]
    keys = verband.count(world.db_url, "idempotency_keys")
    line = {
        "occurred_at": (dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)).isoformat(),
        "kind": "note",
        "text": "Een partner die het gezin niet begeleidt.",
    }
    for attempt in (1, 2):
        with (
            keyed(verband, net, "request:r1#1", who=net.worker_b) as rpc,
            pytest.raises(Forbidden),
        ):
            rpc.cases.add_journal_entry(case, line)
        denied = f"action = 'access_denied' AND case_id = '{case}'"
        assert verband.count(world.db_url, "audit_log", denied) == attempt
    assert verband.count(world.db_url, "journal_entries") == 0
    assert verband.count(world.db_url, "idempotency_keys") == keys
