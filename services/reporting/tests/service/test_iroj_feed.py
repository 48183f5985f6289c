"""The IROJ feed: in a region's cell (IROJ_FEED on) a published report also lands, as a
`report_published` event, in the durable `iroj.feed` queue the shovel carries to the hub;
the hub's reporting keeps each report once, and its IROJ viewers read it as their own.

RabbitMQ's shovel itself, with two cells beside a hub, runs in tests/e2e/test_iroj_hub.py.
"""

import json

import pytest
from reporting_world import Q1, World, hand_computed_q1
from verband_servicekit import wait_until

from reporting.service import ReportingService
from verband_common.contracts import load_event
from verband_common.iroj_feed import FEED_QUEUE

pytestmark = pytest.mark.service

APPROVAL = {"body_name": "Stuurgroep RTJ Noord-Limburg", "decided_on": "2026-04-10"}


def as_(verband, person):
    return verband.rpc(context_data={"actor": f"person:{person}"})


def test_a_published_report_reaches_the_feed_and_the_hub_keeps_it_once(verband):
    # -- the cell ------------------------------------------------------------------------
    cell = verband.start(ReportingService, SUPPRESSION_THRESHOLD=1, IROJ_FEED="on")
    w = World(verband, cell)
    network, events = w.network()
    coordinator, grant = w.role(network, "coordinator", name="Greet Coördinator")
    w.send(*events, grant, *hand_computed_q1(w, network))
    with as_(verband, coordinator) as rpc:
        draft = rpc.reporting.generate_report(str(network), Q1)
        rpc.reporting.approve_report(draft["id"], APPROVAL)
        assert verband.queue_depth(FEED_QUEUE) == 0  # nothing before publication
        published = rpc.reporting.publish_report(draft["id"])

    wait_until(lambda: verband.queue_depth(FEED_QUEUE) == 1, 15, "the report in the feed")
    (message,) = verband.drain(FEED_QUEUE)
    body = json.loads(message.body)
    event = load_event("reporting", "report_published", body)  # its contract holds
    assert str(event["report_id"]) == draft["id"] and str(event["network_id"]) == str(network)
    assert (body["region"], body["report_version"]) == ("Limburg", 1)
    assert body["content"] == published["content"]
    assert body["approved_by_body"] == APPROVAL["body_name"]
    # The approver is a body, not a person: no name leaves with the report.
    assert "Greet" not in json.dumps(body)
    cell.stop()

    # -- the hub: the same event twice (a shovel may resend), an older version after it ----
    hub = verband.start(ReportingService, SUPPRESSION_THRESHOLD=1)
    hub_world = World(verband, hub)
    hub_network, hub_events = hub_world.network(name="IROJ Limburg")
    viewer, viewer_grant = hub_world.role(hub_network, "iroj_viewer", name="Ilse IROJ")
    hub_world.send(*hub_events, viewer_grant)
    older = {
        **body,
        "event_id": "0f8e3c1a-1b2c-4d5e-8f90-123456789abc",
        "report_id": "1f8e3c1a-1b2c-4d5e-8f90-123456789abc",
        "report_version": 1,
    }
    newer = {**body, "report_version": 2}
    verband.publish("reporting", newer)
    verband.publish("reporting", newer)
    wait_until(
        lambda: (
            verband.count(hub.db_url, "inbox", "consumer = 'reporting.on_report_published'") == 1
        ),
        15,
        "the hub's inbox holding the report once",
    )
    verband.publish("reporting", older)
    wait_until(
        lambda: (
            verband.count(hub.db_url, "inbox", "consumer = 'reporting.on_report_published'") == 2
        ),
        15,
        "the hub's inbox holding the older version too",
    )
    rows = verband.sql(hub.db_url, "SELECT id::text, version, status, region FROM reports")
    assert rows == [{"id": draft["id"], "version": 2, "status": "published", "region": "Limburg"}]

    # The hub's IROJ viewer of Limburg reads it, and its region's roll-up sums it.
    with as_(verband, viewer) as rpc:
        (seen,) = rpc.reporting.list_reports({})
        assert seen["id"] == draft["id"] and seen["network_name"] == "RTJ Noord-Limburg"
        assert rpc.reporting.get_report(draft["id"])["content"] == published["content"]
        rollup = rpc.reporting.region_rollup("Limburg", Q1)
        assert [n["report_id"] for n in rollup["networks"]] == [draft["id"]]
