"""The report-back to IROJ in the JSON API: the log of what bodies reported back after each
meeting and IROJ's answer to a signal; each calls its RPC as the caller, bad input is a 422
naming the field before any RPC, and the service's 404 and 409 come through."""

import uuid

import pytest

from verband_common.errors import Conflict, NotFound

SIGNAL = str(uuid.uuid4())
MEETING = str(uuid.uuid4())


def report_back(network_id, answer=None) -> dict:
    return {
        "meeting_id": MEETING,
        "network_id": network_id,
        "network_name": "RTJ Noord-Limburg",
        "region": "Limburg",
        "body_id": str(uuid.uuid4()),
        "body_kind": "kerngroep",
        "body_name": "Kerngroep RTJ Limburg",
        "held_on": "2026-12-03",
        "reporter_name": "Bart Peeters",
        "recorded_at": "2026-12-03T17:00:00+00:00",
        "decisions": [
            {
                "decision_id": str(uuid.uuid4()),
                "method": "consensus",
                "outcome": "adopted",
                "text": "De werkgroep kansarmoede start in maart.",
            }
        ],
        "signals": [
            {
                "signal_id": SIGNAL,
                "kind": "pain_point",
                "title": "Wachttijd gezinscoaching loopt op",
                "description": None,
                "answer": answer,
            }
        ],
    }


@pytest.fixture
def reporting(services, network):
    services.answer("reporting", "report_backs", lambda filters: [report_back(network["id"])])
    services.answer(
        "reporting",
        "answer_signal",
        lambda sid, p: {
            "signal_id": sid,
            "meeting_id": MEETING,
            "network_id": network["id"],
            "answer": p["answer"],
            "answered_at": "2026-12-03T18:00:00+00:00",
        },
    )
    return services


def test_the_report_backs_come_from_the_service_as_the_caller(client, reporting, bearer, network):
    iroj = bearer({network["id"]: ["iroj_viewer"]})
    response = client.get("/api/reporting/report-backs?region=Limburg&limit=10", headers=iroj)
    assert response.status_code == 200, response.get_json()
    [back] = response.get_json()
    assert back["decisions"][0]["text"] == "De werkgroep kansarmoede start in maart."
    assert back["signals"][0]["answer"] is None
    [made] = reporting.calls_to("report_backs")
    assert made.args == ({"region": "Limburg", "limit": 10},)
    assert made.actor.startswith("person:")


def test_an_iroj_viewer_answers_a_signal(client, reporting, bearer, network):
    iroj = bearer({network["id"]: ["iroj_viewer"]})
    response = client.post(
        f"/api/reporting/signals/{SIGNAL}/answer",
        json={"answer": "We nemen dit op met het agentschap."},
        headers=iroj,
    )
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["answer"] == "We nemen dit op met het agentschap."
    [made] = reporting.calls_to("answer_signal")
    assert made.args == (SIGNAL, {"answer": "We nemen dit op met het agentschap."})


@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        ("get", "/api/reporting/report-backs?region=Mars", None, "region"),
        ("get", "/api/reporting/report-backs?limit=0", None, "limit"),
        ("get", "/api/reporting/report-backs?limit=201", None, "limit"),
        ("get", "/api/reporting/report-backs?network_id=geen", None, "network_id"),
        ("post", f"/api/reporting/signals/{SIGNAL}/answer", {}, "answer"),
        ("post", f"/api/reporting/signals/{SIGNAL}/answer", {"answer": ""}, "answer"),
        ("post", f"/api/reporting/signals/{SIGNAL}/answer", {"answer": "x" * 2001}, "answer"),
        ("post", f"/api/reporting/signals/{SIGNAL}/answer", {"answer": 7}, "answer"),
        ("post", f"/api/reporting/signals/{SIGNAL}/answer", {"answer": "Ja", "x": 1}, "x"),
    ],
)
def test_bad_input_is_refused_naming_the_field_before_any_rpc(
    client, reporting, bearer, network, method, path, body, field
):
    iroj = bearer({network["id"]: ["iroj_viewer"]})
    kwargs = {"headers": iroj}
    if body is not None:
        kwargs["json"] = body
    response = getattr(client, method)(path, **kwargs)
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["error"]["fields"]
    assert not [c for c in reporting.calls if c.service == "reporting"]


def test_nobody_signed_in_gets_401(client, reporting):
    assert client.get("/api/reporting/report-backs").status_code == 401
    response = client.post(f"/api/reporting/signals/{SIGNAL}/answer", json={"answer": "Ja."})
    assert response.status_code == 401
    assert not [c for c in reporting.calls if c.service == "reporting"]


def test_what_the_service_refuses_comes_through(client, reporting, bearer, network):
    other = bearer({str(uuid.uuid4()): ["iroj_viewer"]})
    reporting.fail("reporting", "report_backs", NotFound("Dit netwerk bestaat niet."))
    response = client.get(f"/api/reporting/report-backs?network_id={network['id']}", headers=other)
    assert response.status_code == 404
    reporting.fail("reporting", "answer_signal", NotFound("Dit signaal bestaat niet."))
    response = client.post(
        f"/api/reporting/signals/{SIGNAL}/answer", json={"answer": "Ja."}, headers=other
    )
    assert response.status_code == 404
    reporting.fail("reporting", "answer_signal", Conflict("IROJ heeft dit signaal al beantwoord."))
    response = client.post(
        f"/api/reporting/signals/{SIGNAL}/answer", json={"answer": "Ja."}, headers=other
    )
    assert response.status_code == 409


def test_a_decision_is_marked_for_iroj_through_the_meetings_api(
    client, services, coordinator, network
):
    meeting_id, item_id = str(uuid.uuid4()), str(uuid.uuid4())
    response = client.put(
        f"/api/meetings/{meeting_id}/items/{item_id}",
        json={"decision": {"method": "consensus", "text": "Akkoord.", "for_iroj": True}},
        headers=coordinator,
    )
    assert response.status_code == 200, response.get_json()
    [made] = services.calls_to("record_item")
    assert made.args[2]["decision"]["for_iroj"] is True
