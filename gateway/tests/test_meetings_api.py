"""The meetings part of the JSON API: each endpoint calls its RPC with the caller as actor,
bad input is refused before any RPC, and documents come back as PDF and iCalendar."""

import base64
import uuid

import pytest

from verband_common.errors import Conflict, Forbidden, NotFound, ValidationFailed
from verband_common.roles import ROLES
from verband_gateway.api.meetings import BODY_ORGANISERS

from .conftest import item_row, meeting_detail

BODY = str(uuid.uuid4())
MEETING = str(uuid.uuid4())
OTHER_MEETING = str(uuid.uuid4())
ITEM = str(uuid.uuid4())
MEMBER = str(uuid.uuid4())
ACTION = str(uuid.uuid4())
PERSON = str(uuid.uuid4())
STARTS = "2027-01-12T14:00:00+01:00"

BODY_INPUT = {
    "name": "Kernteam Genk",
    "kind": "kernteam",
    "members": [{"person_id": PERSON, "role": "chair"}],
    "cadence": {"kind": "every_days", "days": 14, "weekday": 1},
}
BODY_SENT = {
    "name": "Kernteam Genk",
    "kind": "kernteam",
    "mandate": None,
    "members": [{"person_id": PERSON, "role": "chair", "voting": True}],
    # The defaults as the schema gives them; the service loads (and completes) them again.
    "quorum": {"kind": "majority"},
    "decision_rule": {"method": "consensus"},
    "cadence": {
        "kind": "every_days",
        "days": 14,
        "weekday": 1,
        "time": "14:00",
        "duration_minutes": 120,
    },
    "location": None,
    "agenda_deadline_days": 7,
    "mail_days_before": 7,
}
ITEM_SENT = {"title": "Wachtlijst", "explanation": None, "documents": [], "decision_asked": None}

# (method, path, json body, RPC, the RPC's arguments, status). {net}: the caller's network.
ENDPOINTS = [
    ("get", "/api/networks/{net}/bodies", None, "list_bodies", ("{net}",), 200),
    ("post", "/api/networks/{net}/bodies", BODY_INPUT, "create_body", ("{net}", BODY_SENT), 201),
    ("get", f"/api/bodies/{BODY}", None, "get_body", (BODY,), 200),
    (
        "patch",
        f"/api/bodies/{BODY}",
        {"location": "Stadhuis Genk"},
        "update_body",
        (BODY, {"location": "Stadhuis Genk"}),
        200,
    ),
    (
        "post",
        f"/api/bodies/{BODY}/members",
        {"person_id": PERSON, "role": "secretary"},
        "add_member",
        (BODY, {"person_id": PERSON, "role": "secretary", "voting": True}),
        201,
    ),
    (
        "delete",
        f"/api/bodies/{BODY}/members/{MEMBER}",
        None,
        "remove_member",
        (BODY, MEMBER),
        200,
    ),
    (
        "post",
        f"/api/bodies/{BODY}/series",
        {"from": "2027-01-01", "until": "2027-06-30"},
        "schedule_series",
        (BODY, {"from": "2027-01-01", "until": "2027-06-30"}),
        201,
    ),
    (
        "post",
        f"/api/bodies/{BODY}/meetings",
        {"starts_at": STARTS, "location": "Zaal 2"},
        "schedule_meeting",
        (BODY, {"starts_at": STARTS, "location": "Zaal 2", "on_holiday": False}),
        201,
    ),
    (
        "get",
        f"/api/bodies/{BODY}/meetings?from=2027-01-01",
        None,
        "list_meetings",
        (BODY, {"from": "2027-01-01"}),
        200,
    ),
    ("get", f"/api/meetings/{MEETING}", None, "get_meeting", (MEETING,), 200),
    (
        "post",
        f"/api/meetings/{MEETING}/move",
        {"starts_at": STARTS, "reason": "Zaal bezet."},
        "move_meeting",
        (MEETING, {"starts_at": STARTS, "reason": "Zaal bezet.", "on_holiday": False}),
        200,
    ),
    (
        "post",
        f"/api/meetings/{MEETING}/cancellation",
        {},
        "cancel_meeting",
        (MEETING, {"reason": None}),
        200,
    ),
    (
        "post",
        f"/api/meetings/{MEETING}/items",
        {"title": "Wachtlijst"},
        "propose_item",
        (MEETING, ITEM_SENT),
        201,
    ),
    (
        "put",
        f"/api/meetings/{MEETING}/agenda-order",
        {"item_ids": [ITEM]},
        "order_agenda",
        (MEETING, {"item_ids": [ITEM]}),
        200,
    ),
    (
        "post",
        f"/api/meetings/{MEETING}/agenda-publication",
        None,
        "publish_agenda",
        (MEETING,),
        200,
    ),
    (
        "post",
        f"/api/meetings/{MEETING}/items-at-meeting",
        {"title": "Wachtlijst", "approved_by_meeting": True},
        "add_item_at_meeting",
        (MEETING, {**ITEM_SENT, "approved_by_meeting": True}),
        201,
    ),
    (
        "put",
        f"/api/meetings/{MEETING}/attendance",
        {
            "attendance": [{"member_id": MEMBER, "status": "present"}],
            "iroj_reporter_member_id": MEMBER,
        },
        "record_attendance",
        (
            MEETING,
            {
                "attendance": [{"member_id": MEMBER, "status": "present"}],
                "iroj_reporter_member_id": MEMBER,
            },
        ),
        200,
    ),
    (
        "put",
        f"/api/meetings/{MEETING}/items/{ITEM}",
        {
            "notes": "Besproken.",
            "actions": [{"title": "Bel OCMW", "owner_member_id": MEMBER, "due_on": "2027-01-20"}],
        },
        "record_item",
        (
            MEETING,
            ITEM,
            {
                "notes": "Besproken.",
                "decision": None,
                "actions": [
                    {"title": "Bel OCMW", "owner_member_id": MEMBER, "due_on": "2027-01-20"}
                ],
            },
        ),
        200,
    ),
    ("post", f"/api/meetings/{MEETING}/closure", None, "close_meeting", (MEETING,), 200),
    (
        "post",
        f"/api/meetings/{MEETING}/signals",
        {"kind": "pain_point", "title": "Wachttijd CGG"},
        "raise_signal",
        (MEETING, {"kind": "pain_point", "title": "Wachttijd CGG", "description": None}),
        201,
    ),
    ("get", f"/api/bodies/{BODY}/actions", None, "list_actions", (BODY, False), 200),
    (
        "get",
        f"/api/bodies/{BODY}/actions?open_only=true",
        None,
        "list_actions",
        (BODY, True),
        200,
    ),
    ("post", f"/api/actions/{ACTION}/completion", None, "complete_action", (ACTION,), 200),
    (
        "put",
        f"/api/meetings/{MEETING}/minutes",
        {"summary": "Kort verslag.", "item_notes": {ITEM: "Goedgekeurd."}},
        "update_minutes",
        (MEETING, {"summary": "Kort verslag.", "item_notes": {ITEM: "Goedgekeurd."}}),
        200,
    ),
    (
        "post",
        f"/api/meetings/{MEETING}/minutes/draft",
        None,
        "send_minutes_draft",
        (MEETING,),
        200,
    ),
    (
        "post",
        f"/api/meetings/{MEETING}/minutes/approval",
        {"in_meeting_id": OTHER_MEETING, "amendments": ["Punt 2: 'CAW' i.p.v. 'CGG'."]},
        "approve_minutes",
        (
            MEETING,
            {"in_meeting_id": OTHER_MEETING, "amendments": ["Punt 2: 'CAW' i.p.v. 'CGG'."]},
        ),
        200,
    ),
    ("get", f"/api/meetings/{MEETING}/agenda.pdf", None, "agenda_pdf", (MEETING,), 200),
    ("get", f"/api/meetings/{MEETING}/minutes.pdf", None, "minutes_pdf", (MEETING,), 200),
    ("get", f"/api/bodies/{BODY}/calendar.ics", None, "body_calendar", (BODY,), 200),
    ("get", "/api/me/calendar.ics", None, "person_calendar", (), 200),
]


def ids(rows):
    return [f"{r[0].upper()} {r[1]}" for r in rows]


def fill(value, net):
    if isinstance(value, str):
        return value.replace("{net}", net)
    if isinstance(value, tuple):
        return tuple(fill(v, net) for v in value)
    return value


def send(client, method, path, body, headers):
    kwargs = {"headers": headers}
    if body is not None:
        kwargs["json"] = body
    return getattr(client, method)(path, **kwargs)


@pytest.mark.parametrize("method, path, body, rpc, args, ok", ENDPOINTS, ids=ids(ENDPOINTS))
def test_each_endpoint_calls_its_rpc_with_the_actor(
    client, services, bearer, network, method, path, body, rpc, args, ok
):
    # Reads take any role; setting up a body takes an organiser (the service checks seats).
    role = "secretary" if rpc == "create_body" else "partner_worker"
    headers = bearer({network["id"]: [role]})
    response = send(client, method, fill(path, network["id"]), body, headers)
    assert response.status_code == ok, response.get_data(as_text=True)
    resolve, *rest = services.calls
    assert resolve.method == "resolve_session"
    (call,) = rest
    assert (call.service, call.method) == ("meetings", rpc)
    assert call.args == fill(args, network["id"])
    person = next(iter(services.partners.people.values()))
    assert call.actor == f"person:{person['person_id']}"
    assert call.correlation_id == response.headers["X-Correlation-ID"]


@pytest.mark.parametrize("method, path, body, rpc, args, ok", ENDPOINTS, ids=ids(ENDPOINTS))
def test_without_credentials_is_401(client, services, network, method, path, body, rpc, args, ok):
    response = send(client, method, fill(path, network["id"]), body, {})
    assert response.status_code == 401
    assert response.json["error"]["code"] == "unauthenticated"
    assert services.calls == []


NETWORK_ENDPOINTS = [e for e in ENDPOINTS if "{net}" in e[1]]


@pytest.mark.parametrize(
    "method, path, body, rpc, args, ok", NETWORK_ENDPOINTS, ids=ids(NETWORK_ENDPOINTS)
)
def test_a_network_without_a_role_in_it_is_404(
    client, services, bearer, network, method, path, body, rpc, args, ok
):
    headers = bearer({str(uuid.uuid4()): list(ROLES)})
    response = send(client, method, fill(path, network["id"]), body, headers)
    assert response.status_code == 404
    assert response.json["error"]["code"] == "not_found"
    assert services.methods_called() == [("partners", "resolve_session")]


@pytest.mark.parametrize("role", [r for r in ROLES if r not in BODY_ORGANISERS])
def test_only_organisers_set_up_a_body(client, services, bearer, network, role):
    headers = bearer({network["id"]: [role]})
    response = client.post(
        f"/api/networks/{network['id']}/bodies", json=BODY_INPUT, headers=headers
    )
    assert response.status_code == 403
    assert response.json["error"]["code"] == "forbidden"
    assert services.methods_called() == [("partners", "resolve_session")]


def test_an_object_of_another_network_is_the_services_404(client, services, bearer):
    services.fail("meetings", "get_body", NotFound("Dit orgaan bestaat niet.", {"body_id": ["?"]}))
    headers = bearer({str(uuid.uuid4()): ["coordinator"]})
    response = client.get(f"/api/bodies/{BODY}", headers=headers)
    assert response.status_code == 404
    assert response.json["error"]["fields"] == {"body_id": ["?"]}


# (method, path, bad body, the field named)
BAD_INPUT = [
    ("post", "/api/networks/{net}/bodies", {**BODY_INPUT, "kind": "club"}, "kind"),
    ("post", "/api/networks/{net}/bodies", {**BODY_INPUT, "name": ""}, "name"),
    (
        "post",
        "/api/networks/{net}/bodies",
        {k: v for k, v in BODY_INPUT.items() if k != "cadence"},
        "cadence",
    ),
    (
        "post",
        "/api/networks/{net}/bodies",
        {**BODY_INPUT, "cadence": {"kind": "every_days"}},
        "cadence.days",
    ),
    (
        "post",
        "/api/networks/{net}/bodies",
        {**BODY_INPUT, "members": [{"person_id": PERSON, "role": "king"}]},
        "members.0.role",
    ),
    (
        "post",
        "/api/networks/{net}/bodies",
        {**BODY_INPUT, "quorum": {"kind": "minimum"}},
        "quorum.count",
    ),
    ("patch", f"/api/bodies/{BODY}", {"cadence": {"days": 14}}, "cadence.kind"),
    ("patch", f"/api/bodies/{BODY}", {"members": []}, "members"),
    ("post", f"/api/bodies/{BODY}/members", {"role": "member"}, "delegate_id"),
    ("post", f"/api/bodies/{BODY}/series", {"until": "2027-06-30"}, "from"),
    ("post", f"/api/bodies/{BODY}/series", {"from": "morgen", "until": "2027-06-30"}, "from"),
    ("post", f"/api/bodies/{BODY}/meetings", {"starts_at": "2027-01-12T14:00"}, "starts_at"),
    ("post", f"/api/meetings/{MEETING}/move", {"reason": "Zaal bezet."}, "starts_at"),
    ("post", f"/api/meetings/{MEETING}/cancellation", {"reason": ""}, "reason"),
    ("post", f"/api/meetings/{MEETING}/items", {"explanation": "Waarom."}, "title"),
    (
        "post",
        f"/api/meetings/{MEETING}/items",
        {"title": "X", "documents": [{"name": "Nota", "url": "geen url"}]},
        "documents.0.url",
    ),
    ("put", f"/api/meetings/{MEETING}/agenda-order", {"item_ids": ["x"]}, "item_ids.0"),
    ("post", f"/api/meetings/{MEETING}/agenda-publication", {"now": True}, "now"),
    (
        "post",
        f"/api/meetings/{MEETING}/items-at-meeting",
        {"title": "Dringend"},
        "approved_by_meeting",
    ),
    ("put", f"/api/meetings/{MEETING}/attendance", {"attendance": []}, "attendance"),
    (
        "put",
        f"/api/meetings/{MEETING}/attendance",
        {"attendance": [{"member_id": MEMBER, "status": "late"}]},
        "attendance.0.status",
    ),
    (
        "put",
        f"/api/meetings/{MEETING}/items/{ITEM}",
        {"decision": {"method": "lot", "text": "Ja."}},
        "decision.method",
    ),
    (
        "put",
        f"/api/meetings/{MEETING}/items/{ITEM}",
        {"actions": [{"title": "Bel", "owner_member_id": MEMBER}]},
        "actions.0.due_on",
    ),
    ("post", f"/api/meetings/{MEETING}/signals", {"kind": "rumour", "title": "X"}, "kind"),
    ("get", f"/api/bodies/{BODY}/actions?open_only=misschien", None, "open_only"),
    ("get", f"/api/bodies/{BODY}/meetings?from=gisteren", None, "from"),
    ("put", f"/api/meetings/{MEETING}/minutes", {"item_notes": {"x": "Notitie"}}, "item_notes"),
    ("post", f"/api/meetings/{MEETING}/minutes/approval", {}, "in_meeting_id"),
    ("post", f"/api/actions/{ACTION}/completion", {"done_on": "2027-01-01"}, "done_on"),
]


@pytest.mark.parametrize(
    "method, path, body, field", BAD_INPUT, ids=[f"{m} {p} {f}" for m, p, _, f in BAD_INPUT]
)
def test_bad_input_is_422_naming_the_field_before_any_service_call(
    client, services, coordinator, network, method, path, body, field
):
    response = send(client, method, fill(path, network["id"]), body, coordinator)
    assert response.status_code == 422, response.json
    assert response.json["error"]["code"] == "validation_failed"
    named = response.json["error"]["fields"]
    assert any(f == field or f.startswith(field + ".") for f in named), named
    assert services.methods_called() == [("partners", "resolve_session")]


def test_the_agenda_and_minutes_are_pdfs(client, services, coordinator):
    pdf = b"%PDF-1.4\n% agenda\n"
    services.answer(
        "meetings",
        "agenda_pdf",
        {
            "filename": "agenda-kernteam-2027-01-12.pdf",
            "content_type": "application/pdf",
            "content_base64": base64.b64encode(pdf).decode(),
        },
    )
    response = client.get(f"/api/meetings/{MEETING}/agenda.pdf", headers=coordinator)
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data == pdf
    assert 'filename="agenda-kernteam-2027-01-12.pdf"' in response.headers["Content-Disposition"]
    minutes = client.get(f"/api/meetings/{MEETING}/minutes.pdf", headers=coordinator)
    assert minutes.mimetype == "application/pdf" and minutes.data.startswith(b"%PDF")


def test_calendars_are_text_calendar(client, services, coordinator):
    ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nSUMMARY:Kernteam – Genk\r\nEND:VCALENDAR\r\n"
    services.answer(
        "meetings",
        "body_calendar",
        {"filename": "kalender.ics", "content_type": "text/calendar; charset=utf-8", "ics": ics},
    )
    for path in (f"/api/bodies/{BODY}/calendar.ics", "/api/me/calendar.ics"):
        response = client.get(path, headers=coordinator)
        assert response.status_code == 200
        assert response.mimetype == "text/calendar"
        assert response.mimetype_params["charset"] == "utf-8"
        assert response.get_data(as_text=True).startswith("BEGIN:VCALENDAR")
    assert client.get(f"/api/bodies/{BODY}/calendar.ics", headers=coordinator).data == ics.encode()


def test_minutes_pdf_before_there_are_minutes_is_the_services_404(client, services, coordinator):
    services.fail(
        "meetings",
        "minutes_pdf",
        NotFound("Er is nog geen verslag.", {"minutes": ["Nog geen verslag."]}),
    )
    response = client.get(f"/api/meetings/{MEETING}/minutes.pdf", headers=coordinator)
    assert response.status_code == 404
    assert response.json["error"]["fields"] == {"minutes": ["Nog geen verslag."]}


@pytest.mark.parametrize(
    "method, path, body, rpc, error",
    [
        (
            "post",
            f"/api/meetings/{MEETING}/items",
            {"title": "Te laat"},
            "propose_item",
            Conflict("De agenda is al gepubliceerd.", {"meeting_id": ["Al gepubliceerd."]}),
        ),
        (
            "post",
            f"/api/meetings/{MEETING}/items-at-meeting",
            {"title": "Dringend", "approved_by_meeting": False},
            "add_item_at_meeting",
            ValidationFailed(
                "Goedkeuring nodig.", {"approved_by_meeting": ["Keur het toevoegen goed."]}
            ),
        ),
        (
            "post",
            f"/api/meetings/{MEETING}/agenda-publication",
            None,
            "publish_agenda",
            Forbidden("Enkel de voorzitter of de secretaris van dit orgaan kan dit."),
        ),
        (
            "post",
            "/api/networks/{net}/bodies",
            BODY_INPUT,
            "create_body",
            ValidationFailed(
                "De samenstelling klopt niet.",
                {"members.0.person_id": ["Deze persoon heeft geen rol in dit netwerk."]},
            ),
        ),
    ],
)
def test_service_refusals_pass_through(
    client, services, coordinator, network, method, path, body, rpc, error
):
    services.fail("meetings", rpc, error)
    response = send(client, method, fill(path, network["id"]), body, coordinator)
    assert response.status_code == error.http_status
    assert response.json["error"]["code"] == error.code
    assert response.json["error"]["message"] == error.message
    assert response.json["error"].get("fields", {}) == error.fields


@pytest.mark.parametrize(
    "rpc, path, answer",
    [
        ("get_meeting", f"/api/meetings/{MEETING}", {"id": MEETING}),
        ("agenda_pdf", f"/api/meetings/{MEETING}/agenda.pdf", {"filename": "a.pdf"}),
        ("body_calendar", f"/api/bodies/{BODY}/calendar.ics", {"ics": None}),
    ],
)
def test_answers_that_break_the_contract_are_502(client, services, coordinator, rpc, path, answer):
    services.answer("meetings", rpc, answer)
    response = client.get(path, headers=coordinator)
    assert response.status_code == 502
    assert response.json["error"]["code"] == "bad_service_answer"


def test_a_meeting_comes_back_as_the_service_gave_it(client, services, coordinator):
    response = client.get(f"/api/meetings/{MEETING}", headers=coordinator)
    assert response.status_code == 200
    detail = response.json
    assert detail["id"] == MEETING and detail["status"] == "scheduled"
    assert detail["agenda"] == [] and detail["minutes"] is None
    assert detail["starts_at"] == "2026-12-08T14:00:00+01:00"


def test_stored_prose_over_several_lines_comes_back_whole(client, services, coordinator):
    # The standing item "open actions" lists one action per line; the answer check is about
    # shape, so it must not hold the service's own text to the one-line input rule.
    explanation = "Open acties:\n- Wachtlijst bijwerken\n- Verslag nalezen"
    minutes = {"meeting_id": MEETING, "status": "draft", "summary": "Lijn 1\nLijn 2"}
    services.answer(
        "meetings",
        "get_meeting",
        lambda mid: meeting_detail(
            mid, agenda=[item_row(kind="standing", explanation=explanation)], minutes=minutes
        ),
    )
    response = client.get(f"/api/meetings/{MEETING}", headers=coordinator)
    assert response.status_code == 200, response.json
    assert response.json["agenda"][0]["explanation"] == explanation
    assert response.json["minutes"]["summary"] == "Lijn 1\nLijn 2"


def test_every_meetings_route_is_documented(client):
    paths = client.get("/api/openapi.json").json["paths"]
    for method, path, *_ in ENDPOINTS:
        templated = path.split("?")[0].replace("{net}", "{network_id}")
        for name, value in (
            (BODY, "{body_id}"),
            (MEETING, "{meeting_id}"),
            (ITEM, "{item_id}"),
            (MEMBER, "{member_id}"),
            (ACTION, "{action_id}"),
        ):
            templated = templated.replace(name, value)
        assert method in paths[templated], (method, templated)
    pdf = paths["/api/meetings/{meeting_id}/agenda.pdf"]["get"]["responses"]["200"]
    assert "application/pdf" in pdf["content"]
    ics = paths["/api/me/calendar.ics"]["get"]["responses"]["200"]
    assert "text/calendar" in ics["content"]
