"""Two regions' cells feed the IROJ hub through RabbitMQ's shovel (verband_common.iroj_feed).

Each cell (Limburg, Oost-Vlaanderen) refers a family and publishes its quarter's report; the
report appears at the hub, where the IROJ viewer of its region reads it through the hub's
gateway, and nowhere in the hub's databases is a name, a birth date or a question of a
family. Then the Oost-Vlaanderen cell loses its link to the hub, publishes another report,
goes offline altogether, comes back, gets its link back, and catches up: the report reaches
the hub once. Besides the HTTP API, the test reads the hub's databases whole (the privacy
promise) and the brokers' management API.

The cells run one broker node each here to keep the run short; the three-node cluster is
tests/faults/test_cell_faults.py's subject. The hub runs partners (its IROJ viewers) and
reporting (in hub mode: no feed of its own) behind its gateway.
"""

import datetime as dt
import uuid

import pytest

from verband_common.iroj_feed import FEED_QUEUE, SHOVEL, configure
from verband_testkit import AMQP_PASSWORD, AMQP_USER, wait_for
from verband_testkit.api import (
    create_team,
    expect,
    portal_session,
    publish_offer,
    refer_once_offer_known,
)
from verband_testkit.cell import CellStack, start_cell, stop_cell

HUB_ALIAS = "iroj-hub"
HUB_URI = f"amqp://{AMQP_USER}:{AMQP_PASSWORD}@{HUB_ALIAS}:5672/%2F"


@pytest.fixture(scope="module")
def hub():
    # Its broker joins the cells' networks too: its node's name must be its own there.
    hub = CellStack.start(nodes=("hub-rabbitmq-1",), services=("partners", "reporting"))
    try:
        yield hub
    finally:
        hub.stop()


def docker_network(stack):
    import docker

    return docker.from_env().networks.get(stack.network.name)


def link(cell, hub):
    """The hub's broker reachable from the cell's network as `iroj-hub`."""
    hub_broker = hub.broker.container.get_wrapped_container().id
    docker_network(cell).connect(hub_broker, aliases=[HUB_ALIAS])


def unlink(cell, hub):
    """The cell's link to the hub is gone: its shovel cannot reach the hub's broker."""
    docker_network(cell).disconnect(hub.broker.container.get_wrapped_container().id)


@pytest.fixture(scope="module")
def cells(hub):
    started = []
    try:
        for _ in range(2):
            cell = CellStack.start(
                nodes=("rabbitmq-1",), service_env={"reporting": {"IROJ_FEED": "on"}}
            )
            started.append(cell)
            link(cell, hub)
            configure(cell.broker.management_url, AMQP_USER, AMQP_PASSWORD, HUB_URI)
        yield started
    finally:
        for cell in started:
            cell.stop()


def quarter_start(day: dt.date, back: int = 0) -> dt.date:
    index = day.year * 4 + (day.month - 1) // 3 - back
    return dt.date(index // 4, index % 4 * 3 + 1, 1)


def family(marker: str) -> dict:
    """A referral's personal data, each value unmistakable in a database dump."""
    return {
        "question": f"Moeder {marker} vraagt hulp: slaapproblemen van de jongste.",
        "household": {
            "carers": [{"name": f"Carer{marker} Janssens"}],
            "children": [{"first_name": f"Kind{marker}", "birth_date": "2019-02-17"}],
        },
        "consent": {
            "given_by": f"Carer{marker} Janssens",
            "given_on": dt.date.today().isoformat(),
            "sharing": ["network_partners"],
        },
    }


def published_report(team, start: dt.date) -> dict:
    period = {"kind": "quarter", "start": start.isoformat()}
    draft = expect(
        team.http("coordinator", "POST", f"/api/networks/{team.id}/reports", json=period), 201
    )
    expect(
        team.http(
            "coordinator",
            "POST",
            f"/api/reports/{draft['id']}/approval",
            json={"body_name": "Kernteam", "decided_on": dt.date.today().isoformat()},
        ),
        200,
    )
    return expect(team.http("coordinator", "POST", f"/api/reports/{draft['id']}/publication"), 200)


def hub_reports(hub) -> dict[str, int]:
    rows = hub.sql("reporting", "SELECT id::text AS id, count(*) AS n FROM reports GROUP BY id")
    return {r["id"]: r["n"] for r in rows}


def hub_dump(hub) -> str:
    """Every database of the hub's PostgreSQL, as SQL text."""
    result = hub.database.container.get_wrapped_container().exec_run(
        ["pg_dumpall", "-U", "postgres", "--data-only"]
    )
    assert result.exit_code == 0, result.output[-500:]
    return result.output.decode()


def viewer_sees(hub, token: str, region: str, report_id: str) -> bool:
    r = hub.http("GET", "/api/reports", token=token, params={"region": region})
    return r.status_code == 200 and report_id in {x["id"] for x in r.json()}


def test_each_cell_feeds_the_hub_without_personal_data_and_catches_up(hub, cells):
    limburg, oost = cells
    today = dt.date.today()
    regions = {id(limburg): "Limburg", id(oost): "Oost-Vlaanderen"}
    markers = {}
    published = {}
    for cell in cells:
        region = regions[id(cell)]
        team = create_team(cell, region=region)
        offer = publish_offer(team)
        marker = uuid.uuid4().hex[:10]
        markers[region] = marker
        refer_once_offer_known(team, offer["id"], **family(marker))
        published[region] = (team, published_report(team, quarter_start(today)))

    # The hub's IROJ viewers, one per region (its own networks exist only to hold them).
    viewers, viewer_emails = {}, {}
    for region in regions.values():
        iroj = create_team(hub, roles=("iroj_viewer",), region=region, name=f"IROJ {region}")
        viewers[region] = iroj.tokens["iroj_viewer"]
        viewer_emails[region] = iroj.people["iroj_viewer"]["email"]

    for region, (_, report) in published.items():
        wait_for(
            lambda r=region, rep=report: viewer_sees(hub, viewers[r], r, rep["id"]),
            120,
            interval=1,
            what=f"the {region} report at the hub",
        )
        seen = hub.http("GET", f"/api/reports/{report['id']}", token=viewers[region]).json()
        assert seen["content"] == report["content"] and seen["status"] == "published"
    # Each viewer sees its own region only.
    other = published["Oost-Vlaanderen"][1]["id"]
    assert not viewer_sees(hub, viewers["Limburg"], "Oost-Vlaanderen", other)
    assert hub_reports(hub) == {rep["id"]: 1 for _, rep in published.values()}
    # The hub portal's IROJ page lists the region's network and its report.
    page = portal_session(hub, viewer_emails["Limburg"]).get(
        f"{hub.base_url}/iroj", params={"regio": "Limburg"}, timeout=30
    )
    assert page.status_code == 200, page.text[:300]
    assert published["Limburg"][0].network["name"] in page.text

    # Nothing of a family anywhere in the hub.
    dump = hub_dump(hub)
    for marker in markers.values():
        assert marker not in dump
    for needle in ("Janssens", "2019-02-17", "slaapproblemen", "An Peeters", "Lotte"):
        assert needle not in dump, needle

    # -- Oost-Vlaanderen goes offline and comes back --------------------------------------
    team, _ = published["Oost-Vlaanderen"]
    unlink(oost, hub)
    late = published_report(team, quarter_start(today, back=1))
    wait_for(
        lambda: oost.management(f"/api/queues/%2F/{FEED_QUEUE}")["messages"] == 1,
        60,
        interval=1,
        what="the report waiting in the cell's feed queue",
    )
    stop_cell(oost)
    assert late["id"] not in hub_reports(hub)
    start_cell(oost)
    link(oost, hub)
    wait_for(
        lambda: viewer_sees(hub, viewers["Oost-Vlaanderen"], "Oost-Vlaanderen", late["id"]),
        120,
        interval=1,
        what="the report published while offline at the hub",
    )
    shovels = oost.management("/api/shovels")
    assert [s["state"] for s in shovels if s["name"] == SHOVEL] == ["running"]
    wait_for(  # the broker's queue statistics lag a few seconds
        lambda: oost.management(f"/api/queues/%2F/{FEED_QUEUE}")["messages"] == 0,
        30,
        interval=1,
        what="the cell's feed queue empty",
    )
    expected = {rep["id"]: 1 for _, rep in published.values()} | {late["id"]: 1}
    assert hub_reports(hub) == expected
    inbox = hub.sql(
        "reporting",
        "SELECT count(*) AS n FROM inbox WHERE consumer = 'reporting.on_report_published'",
    )[0]["n"]
    assert inbox == 3
