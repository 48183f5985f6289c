"""A bottleneck case flagged by the cases service becomes a pseudonymised item of the next
kernteam agenda, and the decision flows back carrying the case's pseudonym."""

import datetime as dt
import json

import pytest
from meetings_support import World
from nameko.testing.services import entrypoint_waiter
from verband_servicekit import wait_until

from verband_common.contracts import new_event

pytestmark = pytest.mark.service
PSEUDONYM = "3f2a" * 8


def test_a_bottleneck_case_reaches_the_kernteam_and_its_decision_flows_back(verband):
    w = World(verband)
    tap = verband.tap("meetings", "decision_taken")
    flagged = new_event(
        "cases",
        "bottleneck_flagged",
        w.network,
        {
            "case_pseudonym": PSEUDONYM,
            "reason_category": "no_capacity",
            "flagged_on": dt.date.today().isoformat(),
        },
    )
    with entrypoint_waiter(w.meetings, "on_bottleneck_flagged", timeout=15):
        verband.publish("cases", flagged)
    # a bottleneck of another network stays out of this network's agenda
    with entrypoint_waiter(w.meetings, "on_bottleneck_flagged", timeout=15):
        verband.publish(
            "cases",
            new_event(
                "cases",
                "bottleneck_flagged",
                w.other_network,
                {
                    "case_pseudonym": "9" * 32,
                    "reason_category": "crisis",
                    "flagged_on": dt.date.today().isoformat(),
                },
            ),
        )

    body = w.create_body(name="Kernteam", kind="kernteam", decision_rule={"method": "consensus"})
    meeting = w.meeting_soon(body)
    with w.rpc(w.chair) as rpc:
        published = rpc.meetings.publish_agenda(meeting["id"])
        [item] = [i for i in published["agenda"] if i["kind"] == "bottleneck_case"]
        assert item["ref"] == PSEUDONYM and PSEUDONYM[:8] in item["title"]
        rpc.meetings.record_attendance(
            meeting["id"],
            {"attendance": [{"member_id": m["id"], "status": "present"} for m in body["members"]]},
        )
        rpc.meetings.record_item(
            meeting["id"],
            item["id"],
            {
                "decision": {
                    "method": "consensus",
                    "text": "CAW en CGG starten samen; casemanager blijft aanspreekpunt.",
                    "objections": [
                        {
                            "member_id": w.member_id(body, w.contractant),
                            "text": "Wachttijd CGG blijft een risico.",
                        }
                    ],
                }
            },
        )
    got = []
    wait_until(lambda: got.extend(json.loads(m.body) for m in verband.drain(tap)) or got)
    [decision] = got
    assert decision["case_pseudonym"] == PSEUDONYM
    assert decision["method"] == "consensus" and decision["objections"] == 1

    # the case is taken up once: the next agenda does not list it again
    later = w.meeting_soon(body, 6)
    with w.rpc(w.chair) as rpc:
        again = rpc.meetings.publish_agenda(later["id"])
    assert "bottleneck_case" not in [i["kind"] for i in again["agenda"]]
