"""Votes of a meeting through the gateway: the JSON API checks the input with the meetings
service's schemas (422 naming the field, before any RPC) and passes the service's answer
and refusals through (403 for a member without a vote, 409 for a closed vote); the portal's
page "Stemmingen" shows a voting member the ballot form, the leader the forms to open and
close, and a refusal in Dutch."""

import uuid

import pytest

from verband_common.errors import Conflict, Forbidden, ValidationFailed

from .test_meeting_pages import Governance, field_error, token_of

MEETING = str(uuid.uuid4())
VOTE = str(uuid.uuid4())
ITEM = str(uuid.uuid4())
NOW = "2026-11-20T10:00:00+01:00"


def vote_row(meeting_id=MEETING, item_id=ITEM, **extra) -> dict:
    return {
        "id": VOTE,
        "meeting_id": meeting_id,
        "item_id": item_id,
        "item_title": "Werking wachtlijst",
        "proposal": "De wachtlijst wekelijks opvolgen.",
        "for_iroj": False,
        "opened_at": NOW,
        "closed_at": None,
        "status": "open",
        "ballots": 1,
        "my_choice": None,
        "decision_id": None,
        "outcome": None,
        "tally": None,
        **extra,
    }


CLOSED = {
    "status": "closed",
    "closed_at": NOW,
    "decision_id": str(uuid.uuid4()),
    "outcome": "adopted",
    "tally": {"for": 2, "against": 1, "abstain": 0},
}


# --- the JSON API ----------------------------------------------------------------------------


@pytest.fixture
def fake(services):
    services.answer("meetings", "list_votes", lambda mid: [vote_row(mid)])
    services.answer("meetings", "open_vote", lambda mid, p: vote_row(mid, p["item_id"]))
    services.answer("meetings", "cast_ballot", lambda vid, p: vote_row(my_choice=p["choice"]))
    services.answer("meetings", "close_vote", lambda vid: vote_row(**CLOSED))
    return services


def test_a_vote_is_opened_cast_and_closed_through_the_service(client, fake, coordinator):
    opened = client.post(
        f"/api/meetings/{MEETING}/votes",
        json={"item_id": ITEM, "proposal": "De wachtlijst wekelijks opvolgen."},
        headers=coordinator,
    )
    assert opened.status_code == 201, opened.json
    [call] = fake.calls_to("open_vote")
    assert call.args == (
        MEETING,
        {"item_id": ITEM, "proposal": "De wachtlijst wekelijks opvolgen.", "for_iroj": False},
    )
    cast = client.put(f"/api/votes/{VOTE}/ballot", json={"choice": "against"}, headers=coordinator)
    assert cast.status_code == 200 and cast.json["my_choice"] == "against"
    assert fake.calls_to("cast_ballot")[0].args == (VOTE, {"choice": "against"})
    closed = client.post(f"/api/votes/{VOTE}/closure", headers=coordinator)
    assert closed.status_code == 200
    assert closed.json["outcome"] == "adopted" and closed.json["tally"]["for"] == 2
    listed = client.get(f"/api/meetings/{MEETING}/votes", headers=coordinator)
    assert [v["id"] for v in listed.json] == [VOTE]


@pytest.mark.parametrize(
    "path, method, body, field",
    [
        (f"/api/meetings/{MEETING}/votes", "post", {"item_id": ITEM, "proposal": ""}, "proposal"),
        (
            f"/api/meetings/{MEETING}/votes",
            "post",
            {"item_id": ITEM, "proposal": "x" * 4001},
            "proposal",
        ),
        (f"/api/meetings/{MEETING}/votes", "post", {"proposal": "Ja."}, "item_id"),
        (
            f"/api/meetings/{MEETING}/votes",
            "post",
            {"item_id": "punt 3", "proposal": "Ja"},
            "item_id",
        ),
        (f"/api/votes/{VOTE}/ballot", "put", {"choice": "misschien"}, "choice"),
        (f"/api/votes/{VOTE}/ballot", "put", {}, "choice"),
        (f"/api/votes/{VOTE}/ballot", "put", {"choice": "for", "member_id": ITEM}, "member_id"),
        (f"/api/votes/{VOTE}/closure", "post", {"outcome": "adopted"}, "outcome"),
    ],
)
def test_bad_input_is_422_naming_the_field_before_any_rpc(
    client, fake, coordinator, path, method, body, field
):
    response = getattr(client, method)(path, json=body, headers=coordinator)
    assert response.status_code == 422, response.json
    assert field in response.json["error"]["fields"]
    assert [c for c in fake.calls if c.service == "meetings"] == []


def test_the_services_refusals_pass_through(client, fake, coordinator):
    def no_vote(vid, p):
        raise Forbidden("Je hebt geen stemrecht in dit orgaan.")

    def closed(vid):
        raise Conflict("Deze stemming is afgesloten.", {"vote_id": ["Stemming afgesloten."]})

    fake.answer("meetings", "cast_ballot", no_vote)
    fake.answer("meetings", "close_vote", closed)
    refused = client.put(f"/api/votes/{VOTE}/ballot", json={"choice": "for"}, headers=coordinator)
    assert refused.status_code == 403
    again = client.post(f"/api/votes/{VOTE}/closure", headers=coordinator)
    assert again.status_code == 409 and "vote_id" in again.json["error"]["fields"]


# --- the portal's page -----------------------------------------------------------------------


@pytest.fixture
def gov(services, network, portal_sign_in):
    """The signed-in person is the body's secretary, with a vote; the body decides by vote."""
    person = portal_sign_in({network["id"]: ["partner_worker"]})
    gov = Governance(services, network, person, "secretary")
    gov.body["decision_rule"] = {"method": "vote", "majority": "simple"}
    gov.votes = [vote_row(gov.mid, gov.item["id"])]
    services.answer("meetings", "list_votes", lambda mid: gov.votes)
    services.answer("meetings", "open_vote", lambda mid, p: gov.votes[0])
    services.answer("meetings", "cast_ballot", lambda vid, p: gov.votes[0])
    services.answer("meetings", "close_vote", lambda vid: vote_row(**CLOSED))
    return gov


def page_of(gov) -> str:
    return f"/vergaderingen/{gov.mid}/stemmingen"


def test_a_voting_member_sees_the_ballot_and_the_leader_the_forms(client, gov):
    page = client.get(page_of(gov)).get_data(as_text=True)
    assert "Werking wachtlijst: De wachtlijst wekelijks opvolgen." in page
    assert 'name="choice" value="against"' in page and "Stem uitbrengen" in page
    assert "Stemming afsluiten" in page and "Een stemming openen" in page
    token = token_of(page)
    cast = client.post(
        page_of(gov),
        data={"csrf_token": token, "action": "cast", "vote_id": VOTE, "choice": "abstain"},
    )
    assert cast.status_code == 303
    [call] = gov.services.calls_to("cast_ballot")
    assert call.args == (VOTE, {"choice": "abstain"})
    closed = client.post(
        page_of(gov), data={"csrf_token": token, "action": "close", "vote_id": VOTE}
    )
    assert closed.status_code == 303
    assert gov.services.calls_to("close_vote")[0].args == (VOTE,)


def test_opening_without_a_proposal_is_named_at_the_field(client, gov):
    token = token_of(client.get(page_of(gov)).get_data(as_text=True))
    response = client.post(
        page_of(gov),
        data={"csrf_token": token, "action": "open", "item_id": gov.item["id"], "proposal": ""},
    )
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), "proposal")
    assert gov.services.calls_to("open_vote") == []


def test_a_closed_vote_shows_its_outcome_and_takes_no_ballot(client, gov):
    gov.votes = [vote_row(gov.mid, gov.item["id"], **CLOSED)]
    page = client.get(page_of(gov)).get_data(as_text=True)
    assert "Aangenomen" in page and "2 voor, 1 tegen, 0 onthoudingen" in page
    assert "Stem uitbrengen" not in page and "Stemming afsluiten" not in page


def test_a_member_without_a_vote_gets_no_ballot(client, gov):
    gov.me["voting"] = False
    page = client.get(page_of(gov)).get_data(as_text=True)
    assert "zonder stemrecht" in page and 'name="choice"' not in page


# --- the written procedure -------------------------------------------------------------------

BODY = str(uuid.uuid4())
PROCEDURE = str(uuid.uuid4())


def procedure_row(body_id=BODY, **extra) -> dict:
    return {
        "id": PROCEDURE,
        "body_id": body_id,
        "title": "Extra budget crisisopvang",
        "proposal": "5.000 euro bijleggen tot de zomer.",
        "deadline": "2026-11-25T17:00:00+01:00",
        "started_at": NOW,
        "closed_at": None,
        "status": "open",
        "outcome": None,
        "rule": "aangenomen zonder bezwaar",
        "voters": 3,
        "answers": 1,
        "my_answer": None,
        "objections": [],
        "on_agenda": False,
        **extra,
    }


@pytest.fixture
def written(services):
    services.answer("meetings", "list_written_procedures", lambda bid: [procedure_row(bid)])
    services.answer("meetings", "get_written_procedure", lambda pid: procedure_row())
    services.answer("meetings", "start_written_procedure", lambda bid, p: procedure_row(bid))
    services.answer(
        "meetings",
        "answer_written_procedure",
        lambda pid, p: procedure_row(my_answer=p["answer"]),
    )
    return services


def test_a_written_procedure_is_started_and_answered_through_the_service(
    client, written, coordinator
):
    started = client.post(
        f"/api/bodies/{BODY}/written-procedures",
        json={
            "title": "Extra budget crisisopvang",
            "proposal": "5.000 euro bijleggen tot de zomer.",
            "deadline": "2026-11-25T17:00:00+01:00",
        },
        headers=coordinator,
    )
    assert started.status_code == 201, started.json
    [call] = written.calls_to("start_written_procedure")
    assert call.args[0] == BODY and call.args[1]["deadline"] == "2026-11-25T17:00:00+01:00"
    answered = client.put(
        f"/api/written-procedures/{PROCEDURE}/answer",
        json={"answer": "object", "reason": "Eerst de cijfers."},
        headers=coordinator,
    )
    assert answered.status_code == 200 and answered.json["my_answer"] == "object"
    assert written.calls_to("answer_written_procedure")[0].args == (
        PROCEDURE,
        {"answer": "object", "reason": "Eerst de cijfers."},
    )
    listed = client.get(f"/api/bodies/{BODY}/written-procedures", headers=coordinator)
    assert [w["id"] for w in listed.json] == [PROCEDURE]
    one = client.get(f"/api/written-procedures/{PROCEDURE}", headers=coordinator)
    assert one.json["rule"] == "aangenomen zonder bezwaar"


@pytest.mark.parametrize(
    "path, method, body, field",
    [
        (
            f"/api/bodies/{BODY}/written-procedures",
            "post",
            {"title": "", "proposal": "x", "deadline": "2026-11-25T17:00:00+01:00"},
            "title",
        ),
        (
            f"/api/bodies/{BODY}/written-procedures",
            "post",
            {"title": "x", "proposal": "x", "deadline": "2026-11-25T17:00:00"},
            "deadline",
        ),
        (f"/api/bodies/{BODY}/written-procedures", "post", {"title": "x"}, "deadline"),
        (f"/api/written-procedures/{PROCEDURE}/answer", "put", {"answer": "ja"}, "answer"),
        (
            f"/api/written-procedures/{PROCEDURE}/answer",
            "put",
            {"answer": "object", "reason": "x" * 2001},
            "reason",
        ),
    ],
)
def test_bad_procedures_are_422_naming_the_field_before_any_rpc(
    client, written, coordinator, path, method, body, field
):
    response = getattr(client, method)(path, json=body, headers=coordinator)
    assert response.status_code == 422, response.json
    assert field in response.json["error"]["fields"]
    assert [c for c in written.calls if c.service == "meetings"] == []


@pytest.fixture
def wgov(gov, services):
    services.answer("meetings", "list_written_procedures", lambda bid: gov.procedures)
    services.answer("meetings", "start_written_procedure", lambda bid, p: gov.procedures[0])
    services.answer("meetings", "answer_written_procedure", lambda pid, p: gov.procedures[0])
    gov.procedures = [procedure_row(gov.bid)]
    return gov


def wpage(gov) -> str:
    return f"/organen/{gov.bid}/schriftelijke-procedures"


def test_the_written_procedures_page_starts_and_answers(client, wgov):
    page = client.get(wpage(wgov)).get_data(as_text=True)
    assert "Extra budget crisisopvang" in page and "1 van 3 leden antwoordden" in page
    assert 'name="answer" value="object"' in page and "Procedure starten" in page
    token = token_of(page)
    started = client.post(
        wpage(wgov),
        data={
            "csrf_token": token,
            "action": "start",
            "title": "Zomerwerking",
            "proposal": "De werking loopt door in juli.",
            "deadline_on": "25/11/2026",
            "deadline_at": "17:00",
        },
    )
    assert started.status_code == 303
    [call] = wgov.services.calls_to("start_written_procedure")
    assert call.args[1]["deadline"] == "2026-11-25T17:00:00+01:00"
    answered = client.post(
        wpage(wgov),
        data={
            "csrf_token": token,
            "action": "answer",
            "procedure_id": PROCEDURE,
            "answer": "agree",
        },
    )
    assert answered.status_code == 303
    assert wgov.services.calls_to("answer_written_procedure")[0].args == (
        PROCEDURE,
        {"answer": "agree", "reason": None},
    )


def test_an_objection_without_reason_is_named_at_the_field(client, wgov):
    def no_reason(pid, p):
        raise ValidationFailed(
            "Wie bezwaar maakt, zegt waarom.", {"reason": ["Geef de reden van je bezwaar."]}
        )

    wgov.services.answer("meetings", "answer_written_procedure", no_reason)
    token = token_of(client.get(wpage(wgov)).get_data(as_text=True))
    response = client.post(
        wpage(wgov),
        data={
            "csrf_token": token,
            "action": "answer",
            "procedure_id": PROCEDURE,
            "answer": "object",
        },
    )
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), "reason") == "Geef de reden van je bezwaar."


def test_a_closed_procedure_shows_its_outcome_and_objections(client, wgov):
    wgov.procedures = [
        procedure_row(
            wgov.bid,
            status="closed",
            closed_at=NOW,
            outcome="rejected",
            objections=[{"name": "Carla Maes", "reason": "Eerst de cijfers."}],
        )
    ]
    page = client.get(wpage(wgov)).get_data(as_text=True)
    assert "Niet aangenomen" in page and "Bezwaar van Carla Maes: Eerst de cijfers." in page
    assert "Antwoord bewaren" not in page


# --- the network's report-backs --------------------------------------------------------------


def report_back(network_id, answered=True) -> dict:
    signal = {
        "signal_id": str(uuid.uuid4()),
        "kind": "pain_point",
        "title": "Wachttijd gezinscoaching",
        "description": "Gezinnen wachten zes weken.",
        "answer": {"answer": "We bekijken extra middelen.", "answered_at": NOW}
        if answered
        else None,
    }
    return {
        "meeting_id": str(uuid.uuid4()),
        "network_id": network_id,
        "network_name": "1G1P Genk",
        "region": "Limburg",
        "body_id": str(uuid.uuid4()),
        "body_kind": "beleidsgroep",
        "body_name": "Beleidsgroep Genk",
        "held_on": "2026-11-18",
        "reporter_name": "An Claes",
        "recorded_at": NOW,
        "decisions": [
            {
                "decision_id": str(uuid.uuid4()),
                "method": "vote",
                "outcome": "adopted",
                "text": "Budget 2027 goedgekeurd.",
            }
        ],
        "signals": [signal],
    }


def test_the_coordinator_reads_the_networks_report_backs_and_irojs_answers(
    client, services, network, portal_sign_in
):
    portal_sign_in({network["id"]: ["coordinator"]})
    services.answer(
        "reporting",
        "report_backs",
        lambda f: [report_back(network["id"]), report_back(network["id"], answered=False)],
    )
    response = client.get("/terugkoppeling")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Beleidsgroep Genk, vergadering van 18/11/2026" in page
    assert "Budget 2027 goedgekeurd." in page
    assert "Antwoord van IROJ" in page and "We bekijken extra middelen." in page
    assert "IROJ heeft nog niet geantwoord." in page
    [call] = services.calls_to("report_backs")
    assert call.args == ({"network_id": network["id"], "limit": 50},)


def test_report_backs_are_for_the_networks_managers_only(client, services, network, portal_sign_in):
    portal_sign_in({network["id"]: ["partner_worker"]})
    assert client.get("/terugkoppeling").status_code == 403
    assert services.calls_to("report_backs") == []
