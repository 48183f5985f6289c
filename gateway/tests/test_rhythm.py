"""A body's rhythm in the gateway: the plan, move and cancel answers carry the meetings
service's warnings (documented, checked: without them the answer breaks the contract), the
portal shows them after the action, and the network's home lists the bodies out of rhythm."""

import datetime as dt
import uuid

import pytest

from .conftest import planned_row
from .test_meeting_pages import TODAY, Governance, post
from .test_portal_home import answer_dashboard, overview, page_of

BODY = str(uuid.uuid4())
MEETING = str(uuid.uuid4())
STARTS = "2027-01-12T14:00:00+01:00"
WARNING = (
    "Tussen 3 maart en 23 maart liggen 20 dagen; een kernteam komt minstens om de 14 dagen samen."
)

WRITES = [
    ("post", f"/api/bodies/{BODY}/meetings", {"starts_at": STARTS}, "schedule_meeting", 201),
    ("post", f"/api/meetings/{MEETING}/move", {"starts_at": STARTS}, "move_meeting", 200),
    ("post", f"/api/meetings/{MEETING}/cancellation", {}, "cancel_meeting", 200),
]


@pytest.mark.parametrize(("method", "path", "body", "rpc", "status"), WRITES)
def test_a_write_answers_the_rhythm_warnings_of_the_service(
    client, services, coordinator, method, path, body, rpc, status
):
    services.answer("meetings", rpc, lambda *args: planned_row(rhythm_warnings=[WARNING]))
    response = getattr(client, method)(path, json=body, headers=coordinator)
    assert response.status_code == status
    assert response.json["rhythm_warnings"] == [WARNING]


def test_a_series_answers_the_warnings_per_meeting(client, services, coordinator):
    services.answer(
        "meetings",
        "schedule_series",
        lambda bid, p: [planned_row(bid), planned_row(bid, rhythm_warnings=[WARNING])],
    )
    response = client.post(
        f"/api/bodies/{BODY}/series",
        json={"from": "2027-01-01", "until": "2027-06-30"},
        headers=coordinator,
    )
    assert response.status_code == 201
    assert [m["rhythm_warnings"] for m in response.json] == [[], [WARNING]]


@pytest.mark.parametrize(("method", "path", "body", "rpc", "status"), WRITES)
def test_an_answer_without_its_warnings_breaks_the_contract(
    client, services, coordinator, method, path, body, rpc, status
):
    row = planned_row()
    del row["rhythm_warnings"]
    services.answer("meetings", rpc, lambda *args: row)
    response = getattr(client, method)(path, json=body, headers=coordinator)
    assert response.status_code == 502
    assert response.json["error"]["code"] == "bad_service_answer"


def test_the_openapi_document_describes_the_warnings(client):
    doc = client.get("/api/openapi.json").json
    planned = doc["components"]["schemas"]["PlannedMeeting"]
    assert "rhythm_warnings" in planned["required"]
    assert planned["properties"]["rhythm_warnings"]["type"] == "array"
    assert "tussenpoos" in planned["properties"]["rhythm_warnings"]["description"]
    move = doc["paths"]["/api/meetings/{meeting_id}/move"]["post"]["responses"]["200"]
    assert move["content"]["application/json"]["schema"]["$ref"].endswith("/PlannedMeeting")
    listing = doc["paths"]["/api/bodies/{body_id}/meetings"]["get"]["responses"]["200"]
    assert listing["content"]["application/json"]["schema"]["items"]["$ref"].endswith("/Meeting")


@pytest.fixture
def governance(client, services, network, portal_sign_in):
    person = portal_sign_in({network["id"]: ["coordinator"]})
    return Governance(services, network, person, "secretary")


def test_the_portal_shows_the_warning_after_a_move(client, services, governance):
    gov = governance
    services.answer(
        "meetings", "move_meeting", lambda mid, p: planned_row(id=mid, rhythm_warnings=[WARNING])
    )
    response = post(
        client,
        f"/organen/{gov.bid}?wijzig={gov.mid}",
        {
            "action": "move",
            "meeting_id": gov.mid,
            "move_on": (TODAY + dt.timedelta(days=20)).isoformat(),
            "move_at": "14:00",
        },
    )
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "De vergadering is verplaatst." in page
    assert f'<p class="notice" role="status">{WARNING}</p>' in page


def test_the_portal_shows_the_warnings_of_a_series_and_a_cancellation(client, services, governance):
    gov = governance
    services.answer(
        "meetings",
        "schedule_series",
        lambda bid, p: [planned_row(bid), planned_row(bid, rhythm_warnings=["Eerste gat."])],
    )
    response = post(
        client,
        f"/organen/{gov.bid}",
        {
            "action": "series",
            "series_from": (TODAY + dt.timedelta(days=1)).isoformat(),
            "series_until": (TODAY + dt.timedelta(days=90)).isoformat(),
        },
    )
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "De vergaderreeks is gepland." in page and ">Eerste gat.</p>" in page

    services.answer(
        "meetings",
        "cancel_meeting",
        lambda mid, p: planned_row(id=mid, status="cancelled", rhythm_warnings=["Tweede gat."]),
    )
    response = post(
        client,
        f"/organen/{gov.bid}?wijzig={gov.mid}",
        {"action": "cancel", "meeting_id": gov.mid, "cancel_reason": "Geen punten"},
    )
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "De vergadering is geannuleerd." in page and ">Tweede gat.</p>" in page
    assert "Eerste gat." not in page  # shown once, after its own action


def test_a_write_in_rhythm_shows_no_warning(client, services, governance):
    gov = governance
    response = post(
        client,
        f"/organen/{gov.bid}?wijzig={gov.mid}",
        {"action": "cancel", "meeting_id": gov.mid},
    )
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert page.count('class="notice" role="status"') == 1


def out_of_rhythm(network_id):
    body_id = str(uuid.uuid4())
    return overview(
        network_id,
        out_of_rhythm=[
            {
                "body_id": body_id,
                "body_name": "Kernteam De Tafels",
                "body_kind": "kernteam",
                "since": "2027-03-03",
                "until": "2027-03-23",
                "days": 20,
                "warning": WARNING,
            }
        ],
    ), body_id


def test_the_dashboard_lists_the_bodies_out_of_rhythm(client, services, network, portal_sign_in):
    nid = answer_dashboard(services, network)
    answer, body_id = out_of_rhythm(nid)
    services.answer("meetings", "overview", lambda n: answer)
    portal_sign_in({nid: ["coordinator"]})
    response, page = page_of(client)
    assert response.status_code == 200
    table = page[page.index("<caption>Organen buiten hun ritme</caption>") :]
    table = table[: table.index("</table>")]
    assert f'href="/organen/{body_id}">Kernteam De Tafels</a>' in table
    assert WARNING in table


def test_a_member_sees_the_bodies_out_of_rhythm_and_none_when_all_keep_it(
    client, services, network, portal_sign_in
):
    nid = network["id"]
    answer, _ = out_of_rhythm(nid)
    services.answer("meetings", "overview", lambda n: answer)
    portal_sign_in({nid: ["secretary"]})
    response, page = page_of(client)
    assert response.status_code == 200
    assert '<h2 id="h-ritme">Organen buiten hun ritme</h2>' in page and WARNING in page

    services.answer("meetings", "overview", lambda n: overview(n, out_of_rhythm=[]))
    _, page = page_of(client)
    assert "Organen buiten hun ritme" not in page
