"""Kill the consuming service mid-stream: reporting is SIGKILLed while cases keeps publishing
referral_received events, then started again. Nothing may be lost (unacked messages are
redelivered) and nothing counted twice (the inbox remembers what was applied)."""

import time

from verband_testkit.api import (
    create_team,
    publish_offer,
    refer_once_offer_known,
    referral_count,
    wait_referral_count,
)
from verband_testkit.faults import (
    Stream,
    assert_exactly_once,
    counted_in_reporting,
    referrals_in_cases,
    scalar,
)


def test_reporting_killed_mid_stream_loses_and_doubles_nothing(healthy):
    stack = healthy
    team = create_team(stack)
    offer = publish_offer(team)
    first = refer_once_offer_known(team, offer["id"])
    nid = team.id
    seen = {}

    def kill_reporting():
        seen["counted_at_kill"] = scalar(
            stack,
            "reporting",
            "SELECT coalesce(sum(referrals), 0)::int FROM referral_counts WHERE network_id = %s",
            (nid,),
        )
        reporting = stack.services["reporting"].get_wrapped_container()
        reporting.kill()  # SIGKILL: no graceful shutdown, in-flight messages stay unacked
        reporting.reload()
        seen["status_after_kill"] = reporting.status
        time.sleep(2)  # referrals keep coming while reporting is down
        reporting.start()
        stack.wait_service("reporting", timeout=90)

    stream = Stream(
        stack,
        nid,
        offer["id"],
        team.tokens["referrer"],
        total=200,
        workers=6,
        fault=kill_reporting,
        fault_after=50,
        tag="kill",
    ).run()

    # cases does not depend on reporting: every referral was accepted, also while it was down
    # (the stream trickles on until reporting is back).
    assert set(stream.summary()) == {201} and len(stream.attempts) >= 200, stream.summary()
    assert seen["status_after_kill"] == "exited"
    accepted = 1 + len(stream.accepted)
    assert seen["counted_at_kill"] < accepted  # the kill did land mid-stream

    wait_referral_count(team, accepted, timeout=120)
    receipts = {first["referral_id"]} | {a.body["referral_id"] for a in stream.accepted}
    assert len(receipts) == accepted
    assert set(referrals_in_cases(stack, nid)) == receipts
    assert counted_in_reporting(stack, nid) == receipts
    assert (
        # Reporting logs every event it consumes (roles, offers too): count the referrals'.
        scalar(
            stack,
            "reporting",
            "SELECT count(*) FROM event_log WHERE network_id = %s"
            " AND source = 'cases' AND event_type = 'referral_received'",
            (nid,),
        )
        == accepted
    )
    assert scalar(stack, "reporting", "SELECT count(*) - count(DISTINCT event_id) FROM inbox") == 0

    assert_exactly_once(stack)
    time.sleep(1)
    assert referral_count(team) == accepted  # and it stays there
