"""The IROJ viewer's page shows what every body reported back after its meeting, at once, and
takes IROJ's answer to a signal: bounded, each mistake at its field, nothing sent then."""

import re
import uuid

import pytest

from verband_common.errors import Conflict

SIGNAL, ANSWERED = str(uuid.uuid4()), str(uuid.uuid4())
MEETING = str(uuid.uuid4())


def token_of(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def field_error(page: str, name: str) -> str:
    found = re.search(rf'<span class="field-error" id="e-{re.escape(name)}">([^<]*)</span>', page)
    return found.group(1) if found else ""


def report_back(network_id) -> dict:
    return {
        "meeting_id": MEETING,
        "network_id": network_id,
        "network_name": "RTJ De Tafels",
        "region": "Oost-Vlaanderen",
        "body_id": str(uuid.uuid4()),
        "body_kind": "kerngroep",
        "body_name": "Kerngroep RTJ",
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
                "description": "Gemiddeld twee maanden.",
                "answer": None,
            },
            {
                "signal_id": ANSWERED,
                "kind": "improvement_proposal",
                "title": "Gedeelde intake",
                "description": None,
                "answer": {"answer": "Komt op het IROJ van juni.", "answered_at": "2026-12-02"},
            },
        ],
    }


@pytest.fixture
def iroj(client, services, network, portal_sign_in):
    services.answer("reporting", "list_reports", lambda f: [])
    services.answer("reporting", "report_backs", lambda f: [report_back(network["id"])])
    portal_sign_in({network["id"]: ["iroj_viewer"]})
    return services


def test_iroj_reads_each_meetings_report_back_at_once(client, iroj):
    response = client.get("/iroj")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    [made] = iroj.calls_to("report_backs")
    assert made.args == ({"region": "Oost-Vlaanderen", "limit": 50},)
    assert "RTJ De Tafels: Kerngroep RTJ, vergadering van 03/12/2026" in page
    assert "Koppelt terug aan IROJ: Bart Peeters." in page
    assert "De werkgroep kansarmoede start in maart." in page
    assert "Wachttijd gezinscoaching loopt op" in page
    # the unanswered signal can be answered; the answered one shows its answer
    assert f'name="answer-{SIGNAL}"' in page
    assert f'name="answer-{ANSWERED}"' not in page
    assert "Komt op het IROJ van juni." in page


def test_iroj_answers_a_signal(client, iroj):
    page = client.get("/iroj").get_data(as_text=True)
    response = client.post(
        "/iroj",
        data={
            "csrf_token": token_of(page),
            "regio": "Oost-Vlaanderen",
            "signal_id": SIGNAL,
            f"answer-{SIGNAL}": "  We nemen dit op met het agentschap.  ",
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/iroj?regio=Oost-Vlaanderen#terugkoppeling")
    [made] = iroj.calls_to("answer_signal")
    assert made.args == (SIGNAL, {"answer": "We nemen dit op met het agentschap."})


@pytest.mark.parametrize(("answer", "words"), [("", "tussen 1 en 2000"), ("x" * 2001, "2000")])
def test_a_bad_answer_is_refused_at_its_field_and_nothing_is_sent(client, iroj, answer, words):
    page = client.get("/iroj").get_data(as_text=True)
    response = client.post(
        "/iroj",
        data={"csrf_token": token_of(page), "signal_id": SIGNAL, f"answer-{SIGNAL}": answer},
    )
    assert response.status_code == 422
    assert words in field_error(response.get_data(as_text=True), f"answer-{SIGNAL}").lower()
    assert not iroj.calls_to("answer_signal")


def test_a_second_answer_is_refused_with_the_services_reason(client, iroj):
    iroj.fail("reporting", "answer_signal", Conflict("IROJ heeft dit signaal al beantwoord."))
    page = client.get("/iroj").get_data(as_text=True)
    response = client.post(
        "/iroj",
        data={"csrf_token": token_of(page), "signal_id": SIGNAL, f"answer-{SIGNAL}": "Ja."},
    )
    assert response.status_code == 422
    assert "IROJ heeft dit signaal al beantwoord." in response.get_data(as_text=True)


def test_without_a_token_nothing_is_sent(client, iroj):
    client.get("/iroj")
    response = client.post("/iroj", data={"signal_id": SIGNAL, f"answer-{SIGNAL}": "Ja."})
    assert response.status_code in (400, 403)
    assert not iroj.calls_to("answer_signal")


def test_only_iroj_viewers_post_here(client, services, network, portal_sign_in):
    portal_sign_in({network["id"]: ["coordinator"]})
    page = client.get("/").get_data(as_text=True)
    response = client.post(
        "/iroj",
        data={"csrf_token": token_of(page), "signal_id": SIGNAL, f"answer-{SIGNAL}": "Ja."},
    )
    assert response.status_code == 403
    assert not services.calls_to("answer_signal")
