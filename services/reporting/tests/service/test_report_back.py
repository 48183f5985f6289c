"""The report-back after every meeting (meetings' iroj_report_back_recorded) as IROJ reads
it: at once, per network, for IROJ of the network's region and the network's own
coordinators and admins only; IROJ answers a signal in it once, and the answer leaves as
signal_answered for the meetings service."""

import datetime as dt
import json
import uuid

import pytest
from reporting_world import World
from verband_servicekit import wait_until

from reporting.service import ReportingService
from verband_common.errors import Conflict, Forbidden, NotFound, ValidationFailed

pytestmark = pytest.mark.service


def as_(verband, person):
    return verband.rpc(context_data={"actor": f"person:{person}"})


def report_back(w, network_id, reporter, signal_id, held_on="2026-03-12"):
    meeting_id = uuid.uuid4()
    return meeting_id, w.event(
        "meetings",
        "iroj_report_back_recorded",
        network_id,
        {
            "meeting_id": str(meeting_id),
            "body_id": str(uuid.uuid4()),
            "body_kind": "kerngroep",
            "body_name": "Kerngroep RTJ Limburg",
            "held_on": held_on,
            "reporter_person_id": str(reporter),
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
                    "signal_id": str(signal_id),
                    "kind": "pain_point",
                    "title": "Wachttijd gezinscoaching loopt op",
                    "description": "Gemiddeld twee maanden.",
                }
            ],
        },
    )


@pytest.fixture
def limburg(verband):
    reporting = verband.start(ReportingService)
    w = World(verband, reporting)
    network, n_events = w.network("Limburg", "RTJ Noord-Limburg")
    other, o_events = w.network("Antwerpen", "RTJ Kempen")
    coordinator, g1 = w.role(network, "coordinator")
    reporter, g2 = w.role(network, "partner_worker", name="Bart Peeters")
    worker, g3 = w.role(network, "partner_worker")
    # an IROJ viewer of Limburg may hold the role through any network of the region
    iroj, g4 = w.role(network, "iroj_viewer", name="Ilse IROJ")
    iroj_antwerp, g5 = w.role(other, "iroj_viewer")
    stranger, g6 = w.role(other, "coordinator")
    signal_id = uuid.uuid4()
    meeting_id, recorded = report_back(w, network, reporter, signal_id)
    w.send(*n_events, *o_events, g1, g2, g3, g4, g5, g6, recorded)
    return {
        "w": w,
        "reporting": reporting,
        "network": network,
        "other": other,
        "coordinator": coordinator,
        "worker": worker,
        "iroj": iroj,
        "iroj_antwerp": iroj_antwerp,
        "stranger": stranger,
        "signal_id": signal_id,
        "meeting_id": meeting_id,
        "recorded": recorded,
    }


def test_iroj_of_the_region_and_the_networks_managers_read_the_report_back(verband, limburg):
    x = limburg
    with as_(verband, x["iroj"]) as rpc:
        [back] = rpc.reporting.report_backs({"region": "Limburg"})
        assert rpc.reporting.report_backs({"network_id": str(x["network"])}) == [back]
        assert rpc.reporting.report_backs({}) == [back]
    assert back["meeting_id"] == str(x["meeting_id"])
    assert back["network_name"] == "RTJ Noord-Limburg"
    assert back["body_name"] == "Kerngroep RTJ Limburg"
    assert back["held_on"] == "2026-03-12"
    assert back["reporter_name"] == "Bart Peeters"
    assert [d["text"] for d in back["decisions"]] == ["De werkgroep kansarmoede start in maart."]
    [signal] = back["signals"]
    assert signal["signal_id"] == str(x["signal_id"]) and signal["answer"] is None
    with as_(verband, x["coordinator"]) as rpc:
        assert rpc.reporting.report_backs({"network_id": str(x["network"])}) == [back]


def test_others_find_no_report_back(verband, limburg):
    x = limburg
    for person in (x["iroj_antwerp"], x["stranger"], x["worker"]):
        with as_(verband, person) as rpc:
            with pytest.raises(NotFound):
                rpc.reporting.report_backs({"network_id": str(x["network"])})
            assert rpc.reporting.report_backs({}) == []
    with as_(verband, x["iroj_antwerp"]) as rpc, pytest.raises(NotFound):
        rpc.reporting.report_backs({"region": "Limburg"})
    with as_(verband, x["iroj"]) as rpc:
        with pytest.raises(ValidationFailed) as refused:
            rpc.reporting.report_backs({"region": "Mars"})
        assert "region" in refused.value.fields
        with pytest.raises(ValidationFailed) as refused:
            rpc.reporting.report_backs({"limit": 201})
        assert "limit" in refused.value.fields


def test_iroj_answers_a_signal_once_and_the_answer_leaves_as_an_event(verband, limburg):
    x = limburg
    tap = verband.tap("reporting", "signal_answered")
    signal = str(x["signal_id"])
    for person in (x["iroj_antwerp"], x["stranger"], x["worker"]):
        with as_(verband, person) as rpc, pytest.raises(NotFound):
            rpc.reporting.answer_signal(signal, {"answer": "Niet van ons."})
    with as_(verband, x["coordinator"]) as rpc, pytest.raises(Forbidden):
        rpc.reporting.answer_signal(signal, {"answer": "Zelf beantwoord."})
    with as_(verband, x["iroj"]) as rpc:
        for bad in ({}, {"answer": ""}, {"answer": "x" * 2001}, {"answer": 3}):
            with pytest.raises(ValidationFailed) as refused:
                rpc.reporting.answer_signal(signal, bad)
            assert "answer" in refused.value.fields
        with pytest.raises(ValidationFailed) as refused:
            rpc.reporting.answer_signal("geen-id", {"answer": "Ja."})
        assert "signal_id" in refused.value.fields
        with pytest.raises(NotFound):
            rpc.reporting.answer_signal(str(uuid.uuid4()), {"answer": "Ja."})
        answer = rpc.reporting.answer_signal(
            signal, {"answer": "We nemen dit op met het agentschap."}
        )
        assert answer["answer"] == "We nemen dit op met het agentschap."
        with pytest.raises(Conflict) as refused:
            rpc.reporting.answer_signal(signal, {"answer": "Nog eens."})
        assert refused.value.fields == {"signal_id": ["Al beantwoord."]}
        [back] = rpc.reporting.report_backs({"region": "Limburg"})
    assert back["signals"][0]["answer"]["answer"] == "We nemen dit op met het agentschap."
    with as_(verband, x["coordinator"]) as rpc:
        [back] = rpc.reporting.report_backs({"network_id": str(x["network"])})
        assert back["signals"][0]["answer"]["answer"] == "We nemen dit op met het agentschap."

    def sent():
        return verband.drain(tap)

    got = []
    wait_until(lambda: got.extend(sent()) or got, what="signal_answered published")
    [event] = [json.loads(m.body) for m in got]
    assert event["signal_id"] == signal
    assert event["network_id"] == str(x["network"])
    assert event["meeting_id"] == str(x["meeting_id"])
    assert event["answer"] == "We nemen dit op met het agentschap."
    assert event["answered_on"] <= dt.date.today().isoformat()
    assert verband.count(x["reporting"].db_url, "signal_answers") == 1


def test_a_rebuild_gives_the_same_report_backs(verband, limburg):
    x = limburg
    with as_(verband, x["iroj"]) as rpc:
        before = rpc.reporting.report_backs({})
    with verband.rpc() as rpc:
        rpc.reporting.rebuild_projections()
    with as_(verband, x["iroj"]) as rpc:
        assert rpc.reporting.report_backs({}) == before
    # the same event again is logged once and changes nothing
    x["w"].verband.publish("meetings", x["recorded"])
    with as_(verband, x["iroj"]) as rpc:
        assert rpc.reporting.report_backs({}) == before
