"""The cases part of the JSON API: each endpoint is one cases RPC with the caller as actor;
bad input is refused before any call; the service's refusals come through as they are."""

import datetime as dt
import uuid

import pytest

from verband_common.errors import Conflict, Forbidden, NotFound, ValidationFailed

ID = str(uuid.uuid4())  # a case, draft, entry, offer or trajectory: whatever the path names
ORG = str(uuid.uuid4())
PERSON = str(uuid.uuid4())
TODAY = dt.date.today().isoformat()
YESTERDAY = (dt.date.today() - dt.timedelta(days=1)).isoformat()

CONSULTATION = {"municipality": "44083", "concern": "some", "advice": "Doorverwezen naar CAW."}
TRIAGE = {"decision": "waiting_list", "reason": "Past bij dit aanbod.", "offer_ids": [ID]}
PLAN = {
    "goals": [
        {
            "text": "Rust in huis.",
            "actions": [
                {"text": "Avondroutine.", "responsible_organisation_id": ORG, "due_on": TODAY}
            ],
        }
    ],
    "family_part": "Samen eten.",
    "based_on_version": 1,
}

PLANNED_GOALS = [
    {**g, "actions": [{**a, "status": "planned"} for a in g["actions"]]} for g in PLAN["goals"]
]
ACTION_STATUS = {"goal": 0, "action": 1, "status": "done", "based_on_version": 3}
FAR = (dt.date.today() + dt.timedelta(days=400)).isoformat()
HOUR_AGO = (dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)).replace(microsecond=0).isoformat()
JOURNAL = {"occurred_at": HOUR_AGO, "kind": "phone_call", "text": "Mama belde."}
SEARCH = {"name": "Lotte", "purpose": "Telefoon van de school."}

# (method, path, body, the RPC, its arguments, status). {net}: a network the caller holds
# every role in; the arguments are what the service receives after the gateway's checks.
ENDPOINTS = [
    (
        "post",
        "/api/networks/{net}/referral-drafts",
        {"payload": {"question": "half af"}},
        "save_referral_draft",
        ("{net}", {"question": "half af"}),
        201,
    ),
    ("get", "/api/networks/{net}/referral-drafts", None, "list_referral_drafts", ("{net}",), 200),
    (
        "put",
        f"/api/referral-drafts/{ID}",
        {"network_id": "{net}", "payload": {"question": "af"}},
        "save_referral_draft",
        ("{net}", {"question": "af"}, ID),
        200,
    ),
    ("post", f"/api/referral-drafts/{ID}/submit", None, "submit_referral_draft", (ID,), 201),
    (
        "post",
        "/api/networks/{net}/consultations",
        CONSULTATION,
        "register_consultation",
        ("{net}", {**CONSULTATION, "age_bands": [], "life_domains": []}),
        201,
    ),
    ("get", "/api/networks/{net}/cases", None, "list_cases", ("{net}", {}), 200),
    (
        "get",
        "/api/networks/{net}/cases?status=waiting",
        None,
        "list_cases",
        ("{net}", {"status": "waiting"}),
        200,
    ),
    (
        "get",
        "/api/networks/{net}/cases?referred_by_me=true",
        None,
        "list_cases",
        ("{net}", {"referred_by_me": True}),
        200,
    ),
    ("get", f"/api/cases/{ID}", None, "get_case", (ID, None), 200),
    ("get", f"/api/cases/{ID}?purpose=triage", None, "get_case", (ID, "triage"), 200),
    ("get", f"/api/cases/{ID}/follow-up", None, "follow_up", (ID,), 200),
    (
        "post",
        f"/api/cases/{ID}/triage",
        TRIAGE,
        "triage_referral",
        (
            ID,
            {
                **TRIAGE,
                "offer_id": None,
                "case_manager_id": None,
                "refer_to": None,
                "refer_to_detail": None,
                "volume_override_reason": None,
            },
        ),
        200,
    ),
    (
        "post",
        f"/api/cases/{ID}/waiting-list",
        {"offer_id": ORG},
        "add_to_waiting_list",
        (ID, ORG),
        201,
    ),
    ("get", f"/api/offers/{ID}/waiting-list", None, "waiting_list", (ID, 50, 0, None), 200),
    (
        "get",
        f"/api/offers/{ID}/waiting-list?limit=10&offset=20&purpose=overleg",
        None,
        "waiting_list",
        (ID, 10, 20, "overleg"),
        200,
    ),
    ("get", f"/api/waiting-list-entries/{ID}/priority", None, "explain_priority", (ID,), 200),
    (
        "post",
        f"/api/waiting-list-entries/{ID}/warm-contacts",
        {"contact_on": YESTERDAY, "channel": "phone"},
        "log_warm_contact",
        (ID, {"contact_on": YESTERDAY, "channel": "phone", "note": ""}),
        201,
    ),
    (
        "post",
        f"/api/waiting-list-entries/{ID}/removal",
        {"reason": "no_longer_needed"},
        "remove_from_waiting_list",
        (ID, {"reason": "no_longer_needed", "note": ""}),
        200,
    ),
    (
        "get",
        "/api/networks/{net}/warm-contacts/overdue",
        None,
        "overdue_contacts",
        ("{net}",),
        200,
    ),
    ("get", "/api/networks/{net}/pickup-clocks", None, "pickup_clocks", ("{net}",), 200),
    (
        "post",
        f"/api/cases/{ID}/bridging",
        {"kind": "consultation", "starts_on": TODAY},
        "record_bridging",
        (ID, {"kind": "consultation", "organisation_id": None, "starts_on": TODAY, "note": ""}),
        201,
    ),
    (
        "post",
        f"/api/cases/{ID}/trajectories",
        {"case_manager_id": PERSON, "started_on": YESTERDAY},
        "start_trajectory",
        (ID, {"case_manager_id": PERSON, "offer_id": None, "started_on": YESTERDAY}),
        201,
    ),
    (
        "post",
        f"/api/trajectories/{ID}/contact-point",
        {"case_manager_id": PERSON, "reason": "Verlof."},
        "change_contact_point",
        (ID, {"case_manager_id": PERSON, "reason": "Verlof."}),
        200,
    ),
    (
        "post",
        f"/api/trajectories/{ID}/status",
        {"status": "paused", "reason": "Ziekenhuis."},
        "set_trajectory_status",
        (ID, {"status": "paused", "reason": "Ziekenhuis."}),
        200,
    ),
    (
        "post",
        f"/api/trajectories/{ID}/closure",
        {"outcome": "goals_reached", "closed_on": TODAY},
        "close_trajectory",
        (ID, {"outcome": "goals_reached", "flow_to": None, "closed_on": TODAY, "note": ""}),
        200,
    ),
    (
        "post",
        f"/api/trajectories/{ID}/reopening",
        {"reason": "Terugval."},
        "reopen_trajectory",
        (ID, {"reason": "Terugval."}),
        200,
    ),
    ("get", f"/api/cases/{ID}/plan", None, "get_plan", (ID, None), 200),
    ("get", f"/api/cases/{ID}/plan?version=2", None, "get_plan", (ID, 2), 200),
    (
        "put",
        f"/api/cases/{ID}/plan",
        PLAN,
        "update_plan",
        # An action's status is "planned" unless given.
        (ID, {**PLAN, "review_dates": [], "goals": PLANNED_GOALS}),
        200,
    ),
    ("get", f"/api/cases/{ID}/plan/history", None, "plan_history", (ID,), 200),
    ("get", f"/api/cases/{ID}/journal", None, "journal", (ID, None), 200),
    (
        "post",
        "/api/networks/{net}/family-search",
        SEARCH,
        "search_families",
        ("{net}", {**SEARCH, "birth_date": None, "municipality": None}),
        200,
    ),
    ("get", "/api/networks/{net}/likely-duplicates", None, "likely_duplicates", ("{net}",), 200),
    (
        "get",
        f"/api/cases/{ID}/journal?purpose=teamoverleg",
        None,
        "journal",
        (ID, "teamoverleg"),
        200,
    ),
    (
        "post",
        f"/api/cases/{ID}/journal",
        {**JOURNAL, "corrects_id": ID},
        "add_journal_entry",
        (ID, {**JOURNAL, "corrects_id": ID}),
        201,
    ),
    (
        "post",
        f"/api/cases/{ID}/answers",
        {"offer_id": ID, "answer": "declined", "reason": "Geen plaats."},
        "answer_referral",
        (ID, {"offer_id": ID, "answer": "declined", "reason": "Geen plaats.", "starts_on": None}),
        201,
    ),
    (
        "post",
        f"/api/cases/{ID}/answers",
        {"offer_id": ID, "answer": "accepted", "starts_on": TODAY},
        "answer_referral",
        (ID, {"offer_id": ID, "answer": "accepted", "reason": "", "starts_on": TODAY}),
        201,
    ),
    (
        "post",
        f"/api/cases/{ID}/plan/action-status",
        ACTION_STATUS,
        "set_plan_action_status",
        (ID, ACTION_STATUS),
        200,
    ),
    (
        "post",
        f"/api/cases/{ID}/bottlenecks",
        {"reason_category": "no_suitable_offer"},
        "flag_bottleneck",
        (ID, {"reason_category": "no_suitable_offer", "note": ""}),
        201,
    ),
    (
        "get",
        "/api/networks/{net}/audit-log",
        None,
        "search_audit_log",
        ("{net}", {"limit": 200}),
        200,
    ),
    (
        "get",
        f"/api/networks/{{net}}/audit-log?case_id={ID}&action=read_case&since={TODAY}",
        None,
        "search_audit_log",
        ("{net}", {"case_id": ID, "action": "read_case", "since": TODAY, "limit": 200}),
        200,
    ),
    (
        "post",
        f"/api/cases/{ID}/legal-hold",
        {"on": True, "reason": "Gerechtelijk onderzoek."},
        "set_legal_hold",
        (ID, {"on": True, "reason": "Gerechtelijk onderzoek."}),
        200,
    ),
    ("get", f"/api/cases/{ID}/export", None, "export_family", (ID,), 200),
    (
        "post",
        f"/api/cases/{ID}/erasure",
        {"reason": "Verzoek van de ouders."},
        "erase_family",
        (ID, {"reason": "Verzoek van de ouders."}),
        200,
    ),
]


def _fill(value, net):
    if isinstance(value, str):
        return value.replace("{net}", net)
    if isinstance(value, dict):
        return {k: _fill(v, net) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_fill(v, net) for v in value)
    return value


ALL_ROLES = ["network_admin", "coordinator", "case_manager", "partner_worker", "referrer"]


@pytest.fixture
def everyone(bearer, network):
    """Someone holding every role the cases API asks for in the network."""
    return bearer({network["id"]: ALL_ROLES})


def _ids(rows):
    return [f"{r[0]} {r[1]}" for r in rows]


@pytest.mark.parametrize("method, path, body, rpc, args, status", ENDPOINTS, ids=_ids(ENDPOINTS))
def test_each_endpoint_calls_its_rpc_with_the_actor(
    client, services, everyone, network, method, path, body, rpc, args, status
):
    net = network["id"]
    kwargs = {"headers": everyone}
    if body is not None:
        kwargs["json"] = _fill(body, net)
    response = getattr(client, method)(_fill(path, net), **kwargs)
    assert response.status_code == status, response.json
    calls = [c for c in services.calls if c.service == "cases"]
    assert [c.method for c in calls] == [rpc]
    assert calls[0].args == _fill(args, net)
    assert calls[0].actor.startswith("person:")
    assert calls[0].correlation_id == response.headers["X-Correlation-ID"]


@pytest.mark.parametrize("method, path, body, rpc, args, status", ENDPOINTS, ids=_ids(ENDPOINTS))
def test_without_credentials_it_is_401_and_no_call(
    client, services, network, method, path, body, rpc, args, status
):
    kwargs = {"json": _fill(body, network["id"])} if body is not None else {}
    response = getattr(client, method)(_fill(path, network["id"]), **kwargs)
    assert response.status_code == 401
    assert response.json["error"]["code"] == "unauthenticated"
    assert services.calls == []


NETWORK_ENDPOINTS = [e for e in ENDPOINTS if "{net}" in e[1]]


@pytest.mark.parametrize(
    "method, path, body, rpc, args, status", NETWORK_ENDPOINTS, ids=_ids(NETWORK_ENDPOINTS)
)
def test_a_network_without_a_role_there_is_404_and_no_call(
    client, services, bearer, network, method, path, body, rpc, args, status
):
    stranger = bearer({str(uuid.uuid4()): ALL_ROLES})
    kwargs = {"headers": stranger}
    if body is not None:
        kwargs["json"] = _fill(body, network["id"])
    response = getattr(client, method)(_fill(path, network["id"]), **kwargs)
    assert response.status_code == 404
    assert response.json["error"]["code"] == "not_found"
    assert "network_id" in response.json["error"]["fields"]
    assert [c for c in services.calls if c.service == "cases"] == []


# The coarse role check of the README's access table, where the network is in the path.
ROLE_REFUSALS = [
    ("get", "/api/networks/{net}/audit-log", "coordinator"),
    ("get", "/api/networks/{net}/pickup-clocks", "referrer"),
    ("get", "/api/networks/{net}/warm-contacts/overdue", "referrer"),
    ("post", "/api/networks/{net}/referral-drafts", "iroj_viewer"),
    ("post", "/api/networks/{net}/consultations", "secretary"),
    ("post", f"/api/cases/{ID}/triage", None),
]


@pytest.mark.parametrize("method, path, role", ROLE_REFUSALS)
def test_roles_the_access_table_refuses_are_403_before_any_call(
    client, services, bearer, network, method, path, role
):
    if role is None:
        # Without the network in the path the service decides (and says why).
        services.fail("cases", "triage_referral", Forbidden("Alleen de coördinator."))
        headers = bearer({network["id"]: ["referrer"]})
        response = getattr(client, method)(path, json=TRIAGE, headers=headers)
        assert response.status_code == 403
        assert response.json["error"]["message"] == "Alleen de coördinator."
        return
    headers = bearer({network["id"]: [role]})
    response = getattr(client, method)(
        _fill(path, network["id"]), json={"payload": {}}, headers=headers
    )
    assert response.status_code == 403
    assert [c for c in services.calls if c.service == "cases"] == []


# (method, path, bad body or None for a bad query, the field named)
BAD_INPUT = [
    ("post", "/api/networks/{net}/referral-drafts", {"payload": "tekst"}, "payload"),
    ("post", "/api/networks/{net}/referral-drafts", {}, "payload"),
    ("put", f"/api/referral-drafts/{ID}", {"payload": {}}, "network_id"),
    ("post", f"/api/referral-drafts/{ID}/submit", {"question": "?"}, "question"),
    (
        "post",
        "/api/networks/{net}/consultations",
        {**CONSULTATION, "municipality": "Gent"},
        "municipality",
    ),
    ("post", "/api/networks/{net}/consultations", {**CONSULTATION, "name": "An"}, "name"),
    ("get", "/api/networks/{net}/cases?status=lost", None, "status"),
    ("get", f"/api/cases/{ID}?purpose=", None, "purpose"),
    ("post", f"/api/cases/{ID}/triage", {**TRIAGE, "decision": "maybe"}, "decision"),
    ("post", f"/api/cases/{ID}/triage", {**TRIAGE, "reason": ""}, "reason"),
    ("post", f"/api/cases/{ID}/triage", {**TRIAGE, "offer_ids": ["x"]}, "offer_ids.0"),
    ("post", f"/api/cases/{ID}/waiting-list", {"offer_id": "elf"}, "offer_id"),
    ("get", f"/api/offers/{ID}/waiting-list?limit=0", None, "limit"),
    ("get", f"/api/offers/{ID}/waiting-list?offset=-1", None, "offset"),
    ("get", f"/api/offers/{ID}/waiting-list?limit=veel", None, "limit"),
    (
        "post",
        f"/api/waiting-list-entries/{ID}/warm-contacts",
        {"contact_on": "2999-01-01", "channel": "phone"},
        "contact_on",
    ),
    (
        "post",
        f"/api/waiting-list-entries/{ID}/warm-contacts",
        {"contact_on": TODAY, "channel": "pigeon"},
        "channel",
    ),
    ("post", f"/api/waiting-list-entries/{ID}/removal", {"note": "weg"}, "reason"),
    ("post", f"/api/cases/{ID}/bridging", {"kind": "consultation"}, "starts_on"),
    ("post", f"/api/cases/{ID}/trajectories", {"case_manager_id": "Jan"}, "case_manager_id"),
    ("post", f"/api/trajectories/{ID}/contact-point", {"case_manager_id": PERSON}, "reason"),
    ("post", f"/api/trajectories/{ID}/status", {"status": "closed", "reason": "x"}, "status"),
    ("post", f"/api/trajectories/{ID}/closure", {"outcome": "happy"}, "outcome"),
    ("post", f"/api/trajectories/{ID}/reopening", {"reason": ""}, "reason"),
    ("get", f"/api/cases/{ID}/plan?version=0", None, "version"),
    ("put", f"/api/cases/{ID}/plan", {**PLAN, "goals": []}, "goals"),
    (
        "put",
        f"/api/cases/{ID}/plan",
        {**PLAN, "goals": [{"text": "x", "actions": [{"text": "y"}]}]},
        "goals.0.actions.0.due_on",
    ),
    ("put", f"/api/cases/{ID}/plan", {**PLAN, "based_on_version": "1"}, "based_on_version"),
    ("post", f"/api/cases/{ID}/answers", {"offer_id": ID, "answer": "declined"}, "reason"),
    ("post", f"/api/cases/{ID}/answers", {"offer_id": ID, "answer": "accepted"}, "starts_on"),
    (
        "post",
        f"/api/cases/{ID}/answers",
        {"offer_id": ID, "answer": "accepted", "starts_on": FAR},
        "starts_on",
    ),
    ("post", f"/api/cases/{ID}/answers", {"offer_id": ID, "answer": "misschien"}, "answer"),
    ("post", f"/api/cases/{ID}/answers", {"answer": "declined", "reason": "x"}, "offer_id"),
    (
        "post",
        f"/api/cases/{ID}/plan/action-status",
        {**ACTION_STATUS, "status": "finished"},
        "status",
    ),
    ("post", f"/api/cases/{ID}/plan/action-status", {**ACTION_STATUS, "goal": -1}, "goal"),
    (
        "post",
        f"/api/cases/{ID}/plan/action-status",
        {**ACTION_STATUS, "based_on_version": None},
        "based_on_version",
    ),
    (
        "put",
        f"/api/cases/{ID}/plan",
        {
            **PLAN,
            "goals": [
                {
                    "text": "x",
                    "actions": [
                        {
                            "text": "y",
                            "responsible_organisation_id": ORG,
                            "due_on": TODAY,
                            "status": "finished",
                        }
                    ],
                }
            ],
        },
        "goals.0.actions.0.status",
    ),
    ("post", f"/api/cases/{ID}/bottlenecks", {"reason_category": "boredom"}, "reason_category"),
    ("post", "/api/networks/{net}/family-search", {"purpose": "Telefoon."}, "name"),
    ("post", "/api/networks/{net}/family-search", {"name": "Lotte"}, "purpose"),
    ("post", "/api/networks/{net}/family-search", {**SEARCH, "name": "x" * 101}, "name"),
    (
        "post",
        "/api/networks/{net}/family-search",
        {**SEARCH, "birth_date": "gisteren"},
        "birth_date",
    ),
    (
        "post",
        "/api/networks/{net}/family-search",
        {**SEARCH, "municipality": "Asse"},
        "municipality",
    ),
    (
        "post",
        f"/api/cases/{ID}/journal",
        {**JOURNAL, "occurred_at": "2999-01-01T10:00:00+01:00"},
        "occurred_at",
    ),
    (
        "post",
        f"/api/cases/{ID}/journal",
        {**JOURNAL, "occurred_at": "2020-01-01T10:00:00+01:00"},
        "occurred_at",
    ),
    ("post", f"/api/cases/{ID}/journal", {**JOURNAL, "kind": "pigeon"}, "kind"),
    ("post", f"/api/cases/{ID}/journal", {**JOURNAL, "text": "x" * 4001}, "text"),
    ("post", f"/api/cases/{ID}/journal", {**JOURNAL, "corrects_id": "regel 3"}, "corrects_id"),
    ("get", f"/api/cases/{ID}/journal?purpose=" + "x" * 301, None, "purpose"),
    ("get", "/api/networks/{net}/audit-log?limit=5000", None, "limit"),
    ("get", "/api/networks/{net}/audit-log?since=gisteren", None, "since"),
    ("post", f"/api/cases/{ID}/legal-hold", {"reason": "Onderzoek."}, "on"),
    ("post", f"/api/cases/{ID}/erasure", {}, "reason"),
]


@pytest.mark.parametrize(
    "method, path, body, field", BAD_INPUT, ids=[f"{m} {p} {f}" for m, p, _, f in BAD_INPUT]
)
def test_bad_input_is_422_naming_the_field_without_calling_the_service(
    client, services, everyone, network, method, path, body, field
):
    kwargs = {"headers": everyone}
    if body is not None:
        kwargs["json"] = body
    response = getattr(client, method)(_fill(path, network["id"]), **kwargs)
    assert response.status_code == 422, response.json
    assert response.json["error"]["code"] == "validation_failed"
    assert field in response.json["error"]["fields"], response.json["error"]["fields"]
    assert [c for c in services.calls if c.service == "cases"] == []


@pytest.mark.parametrize(
    "exc, status, code",
    [
        (
            NotFound("Dit dossier bestaat niet.", {"case_id": ["Onbekend dossier."]}),
            404,
            "not_found",
        ),
        (Forbidden("Je hebt geen rol in dit dossier."), 403, "forbidden"),
        (Conflict("Iemand anders wijzigde het plan intussen."), 409, "conflict"),
        (
            ValidationFailed(
                "Een contact kan niet voor de aanmelding liggen.",
                {"contact_on": ["Deze datum ligt voor de aanmelding."]},
            ),
            422,
            "validation_failed",
        ),
    ],
)
def test_the_services_refusals_pass_through(client, services, everyone, network, exc, status, code):
    services.fail("cases", "get_case", exc)
    response = client.get(f"/api/cases/{ID}", headers=everyone)
    assert response.status_code == status
    assert response.json["error"]["code"] == code
    assert response.json["error"]["message"] == exc.message
    if exc.fields:
        assert response.json["error"]["fields"] == exc.fields


def test_a_warm_contact_before_the_referral_is_the_services_422(client, services, everyone):
    services.fail(
        "cases",
        "log_warm_contact",
        ValidationFailed(
            "Een contact kan niet voor de aanmelding liggen.",
            {"contact_on": ["Deze datum ligt voor de aanmelding."]},
        ),
    )
    response = client.post(
        f"/api/waiting-list-entries/{ID}/warm-contacts",
        json={"contact_on": YESTERDAY, "channel": "home_visit"},
        headers=everyone,
    )
    assert response.status_code == 422
    assert response.json["error"]["fields"] == {
        "contact_on": ["Deze datum ligt voor de aanmelding."]
    }


def test_free_form_answers_are_passed_on_and_contracts_are_kept(
    client, services, everyone, network
):
    case = {"case_id": ID, "network_id": network["id"], "status": "waiting", "extra": [1]}
    services.answer("cases", "get_case", case)
    assert client.get(f"/api/cases/{ID}", headers=everyone).json == case

    page = client.get(f"/api/offers/{ID}/waiting-list", headers=everyone)
    assert page.status_code == 200 and page.json["offer"]["id"] == ID

    # An answer that breaks its contract is the gateway's 502, not a half answer.
    services.answer("cases", "follow_up", {"case_id": ID, "notes": "intern"})
    assert client.get(f"/api/cases/{ID}/follow-up", headers=everyone).status_code == 502


def test_the_cases_api_is_documented(client):
    paths = client.get("/api/openapi.json").json["paths"]
    for method, path, *_ in ENDPOINTS:
        template = path.split("?")[0].replace(ID, "{id}").replace("{net}", "{network_id}")
        matches = [
            p
            for p in paths
            if p.count("/") == template.count("/")
            and all(
                a == b or (a.startswith("{") and b == "{id}") or a == b
                for a, b in zip(p.split("/"), template.split("/"), strict=True)
            )
        ]
        assert matches, template
        operation = paths[matches[0]][method]
        assert {"401", "403", "404"} <= set(operation["responses"]), (method, template)
