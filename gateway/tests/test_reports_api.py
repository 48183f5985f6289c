"""The reporting part of the JSON API: each endpoint calls its RPC with the caller as actor,
bad input is refused naming the field before any RPC, the service's refusals come through,
and a report comes back as CSV, XLSX or PDF."""

import csv
import io
import uuid

import pytest
from openpyxl import load_workbook

from verband_common.errors import Conflict, NotFound, ValidationFailed

REPORT = str(uuid.uuid4())


def cell(key, label, value, display=None, suppressed=False):
    return {
        "key": key,
        "label": label,
        "value": None if suppressed else value,
        "display": display or ("<5" if suppressed else f"{value:g}"),
        "suppressed": suppressed,
    }


def content(network_id=None, **over):
    return {
        "network_id": network_id or str(uuid.uuid4()),
        "network_name": "RTJ De Tafels",
        "region": "Oost-Vlaanderen",
        "period": {"kind": "quarter", "start": "2026-07-01", "end": "2026-09-30"},
        "threshold": 5,
        "indicators": [
            {
                "key": "referrals",
                "unit": "count",
                "value": 12.0,
                "display": "12",
                "suppressed": False,
                "numerator": 12,
                "denominator": None,
                "target": None,
                "breakdowns": {
                    "municipality": [
                        cell("44083", "Deinze", 9.0),
                        cell("44084", "Nevele", None, suppressed=True),
                        cell("44085", "Zulte", None, display="x", suppressed=True),
                    ]
                },
            },
            {
                "key": "family_guidances",
                "unit": "count",
                "value": 143.0,
                "display": "143",
                "suppressed": False,
                "numerator": 143,
                "denominator": None,
                "target": 200,
                "breakdowns": {},
            },
        ],
        "signals": [
            {
                "raised_at": "2026-08-12",
                "body_kind": "kernteam",
                "kind": "pain_point",
                "title": "Te weinig plaatsen contextbegeleiding",
            }
        ],
        "networks": None,
        **over,
    }


def report(report_id=REPORT, network_id=None, **over):
    body = content(network_id)
    return {
        "id": report_id,
        "network_id": body["network_id"],
        "network_name": body["network_name"],
        "region": body["region"],
        "period": body["period"],
        "version": 1,
        "status": "draft",
        "generated_at": "2026-10-05T09:00:00+00:00",
        "approved_by": None,
        "approved_by_body": None,
        "approved_on": None,
        "approved_at": None,
        "published_at": None,
        "correction_of": None,
        "correction_reason": None,
        "content": body,
        **over,
    }


def summary(**over):
    found = report(**over)
    del found["content"]
    return found


CATALOGUE = [
    {
        "key": "referrals",
        "title": "Aanmeldingen",
        "definition": "Het aantal gezinnen dat in de periode werd aangemeld.",
        "numerator": "aanmeldingen met datum van ontvangst in de periode",
        "denominator": None,
        "period_rule": "datum van ontvangst",
        "unit": "count",
        "breakdowns": ["municipality", "source_sector"],
    }
]


@pytest.fixture
def reporting(services):
    """Plausible answers of the reporting RPCs (services/reporting/README.md)."""
    services.answer("reporting", "catalogue", lambda: CATALOGUE)
    services.answer("reporting", "indicators", lambda nid, period: content(nid))
    services.answer(
        "reporting",
        "trend",
        lambda nid, key, kind, n: [
            {
                "start": "2026-07-01",
                "end": "2026-09-30",
                "value": 12.0,
                "display": "12",
                "suppressed": False,
            }
        ],
    )
    services.answer("reporting", "region_rollup", lambda region, period: content(None))
    services.answer("reporting", "list_reports", lambda filters: [summary()])
    services.answer("reporting", "get_report", lambda rid: report(rid))
    services.answer("reporting", "generate_report", lambda nid, period: report(network_id=nid))
    services.answer(
        "reporting",
        "approve_report",
        lambda rid, p: report(
            rid,
            status="approved",
            approved_by="An Peeters",
            approved_by_body=p["body_name"],
            approved_on=p["decided_on"],
            approved_at="2026-10-10T15:00:00+00:00",
        ),
    )
    services.answer(
        "reporting",
        "publish_report",
        lambda rid: report(rid, status="published", published_at="2026-10-12T08:00:00+00:00"),
    )
    services.answer(
        "reporting",
        "correct_report",
        lambda rid, p: report(
            str(uuid.uuid4()), version=2, correction_of=rid, correction_reason=p["reason"]
        ),
    )
    return services


# (method, path, json body, RPC, the RPC's arguments, status). {net}: the caller's network.
ENDPOINTS = [
    ("get", "/api/reporting/catalogue", None, "catalogue", (), 200),
    (
        "get",
        "/api/networks/{net}/indicators?kind=quarter&start=2026-07-01",
        None,
        "indicators",
        ("{net}", {"kind": "quarter", "start": "2026-07-01"}),
        200,
    ),
    (
        "get",
        "/api/networks/{net}/indicators/referrals/trend?kind=month&periods=12",
        None,
        "trend",
        ("{net}", "referrals", "month", 12),
        200,
    ),
    (
        "get",
        "/api/networks/{net}/indicators/referrals/trend",
        None,
        "trend",
        ("{net}", "referrals", "quarter", 8),
        200,
    ),
    (
        "get",
        "/api/reporting/rollup?region=Limburg&kind=year&start=2025-01-01",
        None,
        "region_rollup",
        ("Limburg", {"kind": "year", "start": "2025-01-01"}),
        200,
    ),
    ("get", "/api/networks/{net}/reports", None, "list_reports", ({"network_id": "{net}"},), 200),
    (
        "post",
        "/api/networks/{net}/reports",
        {"kind": "quarter", "start": "2026-07-01"},
        "generate_report",
        ("{net}", {"kind": "quarter", "start": "2026-07-01"}),
        201,
    ),
    (
        "get",
        "/api/reports?region=Oost-Vlaanderen&status=published",
        None,
        "list_reports",
        ({"region": "Oost-Vlaanderen", "status": "published"},),
        200,
    ),
    ("get", f"/api/reports/{REPORT}", None, "get_report", (REPORT,), 200),
    (
        "post",
        f"/api/reports/{REPORT}/approval",
        {"body_name": "Beleidsgroep", "decided_on": "2026-10-10"},
        "approve_report",
        (REPORT, {"body_name": "Beleidsgroep", "decided_on": "2026-10-10"}),
        200,
    ),
    ("post", f"/api/reports/{REPORT}/publication", None, "publish_report", (REPORT,), 200),
    (
        "post",
        f"/api/reports/{REPORT}/corrections",
        {"reason": "Een late aanmelding van september telde niet mee."},
        "correct_report",
        (REPORT, {"reason": "Een late aanmelding van september telde niet mee."}),
        201,
    ),
]


def fill(value, net):
    if isinstance(value, str):
        return value.replace("{net}", net)
    if isinstance(value, dict):
        return {k: fill(v, net) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return type(value)(fill(v, net) for v in value)
    return value


@pytest.mark.parametrize(("method", "path", "body", "rpc", "args", "status"), ENDPOINTS)
def test_each_endpoint_calls_its_rpc_as_the_caller(
    client, reporting, network, coordinator, method, path, body, rpc, args, status
):
    net = network["id"]
    kwargs = {"headers": coordinator}
    if body is not None:
        kwargs["json"] = body
    response = getattr(client, method)(fill(path, net), **kwargs)
    assert response.status_code == status, response.get_json()
    made = reporting.calls_to(rpc)
    assert len(made) == 1
    assert made[0].args == fill(args, net)
    assert made[0].actor and made[0].actor.startswith("person:")


def test_a_report_comes_back_whole(client, reporting, coordinator):
    found = client.get(f"/api/reports/{REPORT}", headers=coordinator).get_json()
    assert found["status"] == "draft" and found["version"] == 1
    cells = found["content"]["indicators"][0]["breakdowns"]["municipality"]
    assert [c["display"] for c in cells] == ["9", "<5", "x"]
    assert [c["value"] for c in cells] == [9.0, None, None]
    assert found["content"]["signals"][0]["kind"] == "pain_point"


BAD_INPUT = [
    (
        "get",
        "/api/networks/{net}/indicators?kind=quarter&start=2026-08-01",
        None,
        "start",
        "kwartaal",
    ),
    ("get", "/api/networks/{net}/indicators?kind=week&start=2026-07-01", None, "kind", "maand"),
    ("get", "/api/networks/{net}/indicators?kind=quarter", None, "start", "verplicht"),
    ("get", "/api/networks/{net}/indicators?kind=year&start=1-1-2026", None, "start", "datum"),
    (
        "get",
        "/api/networks/{net}/indicators/referrals/trend?periods=0",
        None,
        "periods",
        "perioden",
    ),
    (
        "get",
        "/api/networks/{net}/indicators/referrals/trend?periods=61",
        None,
        "periods",
        "perioden",
    ),
    (
        "get",
        "/api/reporting/rollup?region=Brabant&kind=quarter&start=2026-07-01",
        None,
        "region",
        "regio",
    ),
    ("get", "/api/reports?status=lost", None, "status", "status"),
    (
        "post",
        "/api/networks/{net}/reports",
        {"kind": "month", "start": "2026-07-01"},
        "kind",
        "kwartaal of een jaar",
    ),
    (
        "post",
        "/api/networks/{net}/reports",
        {"kind": "year", "start": "2026-07-01"},
        "start",
        "1 januari",
    ),
    (
        "post",
        "/api/networks/{net}/reports",
        {"kind": "quarter", "start": "2026-07-01", "extra": 1},
        "extra",
        "Onbekend",
    ),
    (
        "post",
        f"/api/reports/{REPORT}/approval",
        {"decided_on": "2026-10-10"},
        "body_name",
        "verplicht",
    ),
    (
        "post",
        f"/api/reports/{REPORT}/approval",
        {"body_name": "", "decided_on": "2026-10-10"},
        "body_name",
        "tekens",
    ),
    (
        "post",
        f"/api/reports/{REPORT}/approval",
        {"body_name": "Beleidsgroep", "decided_on": "2999-01-01"},
        "decided_on",
        "toekomst",
    ),
    ("post", f"/api/reports/{REPORT}/corrections", {"reason": ""}, "reason", "tekens"),
    ("post", f"/api/reports/{REPORT}/corrections", {}, "reason", "verplicht"),
    ("post", f"/api/reports/{REPORT}/publication", {"now": True}, "now", "Onbekend"),
]


@pytest.mark.parametrize(("method", "path", "body", "field", "words"), BAD_INPUT)
def test_bad_input_is_refused_naming_the_field_before_any_rpc(
    client, reporting, network, coordinator, method, path, body, field, words
):
    kwargs = {"headers": coordinator}
    if body is not None:
        kwargs["json"] = body
    response = getattr(client, method)(fill(path, network["id"]), **kwargs)
    assert response.status_code == 422, response.get_json()
    error = response.get_json()["error"]
    assert error["code"] == "validation_failed"
    assert field in error["fields"], error
    assert words.lower() in " ".join(error["fields"][field]).lower(), error
    assert not [c for c in reporting.calls if c.service == "reporting"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/networks/{net}/indicators?kind=quarter&start=2026-07-01",
        "/api/networks/{net}/indicators/referrals/trend",
        "/api/networks/{net}/reports",
    ],
)
@pytest.mark.parametrize("role", ["referrer", "partner_worker", "iroj_viewer"])
def test_only_coordinators_and_admins_read_a_networks_indicators(
    client, reporting, network, bearer, path, role
):
    headers = bearer({network["id"]: [role]})
    response = client.get(fill(path, network["id"]), headers=headers)
    assert response.status_code == 403
    assert not [c for c in reporting.calls if c.service == "reporting"]


def test_a_stranger_learns_nothing_of_a_network(client, reporting, network, bearer):
    headers = bearer({str(uuid.uuid4()): ["coordinator"]})
    response = client.get(f"/api/networks/{network['id']}/reports", headers=headers)
    assert response.status_code == 404
    response = client.post(
        f"/api/networks/{network['id']}/reports",
        json={"kind": "quarter", "start": "2026-07-01"},
        headers=headers,
    )
    assert response.status_code == 404
    assert not reporting.calls_to("generate_report")


@pytest.mark.parametrize(
    "path",
    [
        "/api/reporting/catalogue",
        f"/api/reports/{REPORT}",
        f"/api/reports/{REPORT}/export.csv",
        "/api/reports",
        "/api/reporting/rollup?region=Limburg&kind=quarter&start=2026-07-01",
    ],
)
def test_nobody_signed_in_gets_401(client, reporting, path):
    response = client.get(path)
    assert response.status_code == 401
    assert not [c for c in reporting.calls if c.service == "reporting"]


def test_what_the_service_refuses_comes_through(client, reporting, bearer, network):
    iroj = bearer({network["id"]: ["iroj_viewer"]})
    reporting.fail("reporting", "get_report", NotFound("Dit rapport bestaat niet."))
    response = client.get(f"/api/reports/{REPORT}", headers=iroj)
    assert response.status_code == 404
    assert response.get_json()["error"]["message"] == "Dit rapport bestaat niet."
    response = client.get(f"/api/reports/{REPORT}/export.pdf", headers=iroj)
    assert response.status_code == 404

    reporting.fail(
        "reporting",
        "publish_report",
        Conflict("Alleen een goedgekeurd rapport wordt gepubliceerd."),
    )
    response = client.post(f"/api/reports/{REPORT}/publication", headers=iroj)
    assert response.status_code == 409
    assert "goedgekeurd" in response.get_json()["error"]["message"]

    reporting.fail(
        "reporting",
        "approve_report",
        ValidationFailed("De invoer is ongeldig.", {"body_name": ["Onbekend orgaan."]}),
    )
    response = client.post(
        f"/api/reports/{REPORT}/approval",
        json={"body_name": "Niemand", "decided_on": "2026-10-10"},
        headers=iroj,
    )
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {"body_name": ["Onbekend orgaan."]}


def test_a_broken_answer_is_a_502(client, reporting, coordinator, network):
    broken = content(network["id"])
    broken["indicators"][0]["value"] = "veel"
    reporting.answer("reporting", "indicators", lambda nid, period: broken)
    response = client.get(
        f"/api/networks/{network['id']}/indicators?kind=quarter&start=2026-07-01",
        headers=coordinator,
    )
    assert response.status_code == 502
    assert response.get_json()["error"]["code"] == "bad_service_answer"


# --- exports ----------------------------------------------------------------------------------


def test_a_report_exports_as_csv(client, reporting, bearer, network):
    iroj = bearer({network["id"]: ["iroj_viewer"]})
    response = client.get(f"/api/reports/{REPORT}/export.csv", headers=iroj)
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    disposition = response.headers["Content-Disposition"]
    assert disposition == 'attachment; filename="rapport-rtj-de-tafels-2026-K3-v1.csv"'
    rows = list(csv.DictReader(io.StringIO(response.get_data().decode("utf-8-sig")), delimiter=";"))
    assert [(r["categorie"], r["waarde"]) for r in rows if r["indicator"] == "referrals"] == [
        ("", "12"),
        ("Deinze", "9"),
        ("Nevele", "<5"),
        ("Zulte", "x"),
    ]
    # The call went out as the IROJ viewer: the service decides what they may read.
    assert reporting.calls_to("get_report")[0].actor.startswith("person:")


def test_a_report_exports_as_xlsx_and_pdf(client, reporting, coordinator):
    response = client.get(f"/api/reports/{REPORT}/export.xlsx", headers=coordinator)
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    book = load_workbook(io.BytesIO(response.get_data()))
    assert book.sheetnames == ["Rapport", "Indicatoren", "Uitsplitsingen", "Signalen", "Definities"]
    response = client.get(f"/api/reports/{REPORT}/export.pdf", headers=coordinator)
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.get_data().startswith(b"%PDF-")


def test_an_unknown_export_format_is_404_without_any_rpc(client, reporting, coordinator):
    response = client.get(f"/api/reports/{REPORT}/export.docx", headers=coordinator)
    assert response.status_code == 404
    assert response.get_json()["error"]["fields"] == {"fmt": ["Kies csv, xlsx of pdf."]}
    assert not [c for c in reporting.calls if c.service == "reporting"]


def test_the_referral_count_is_still_served(client, reporting, coordinator, network):
    response = client.get(
        f"/api/networks/{network['id']}/indicators/referrals", headers=coordinator
    )
    assert response.status_code == 200
    assert response.get_json()["referrals"] == 0
