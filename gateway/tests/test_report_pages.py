"""Portal pages of the monitoring: the dashboard with its charts, the catalogue, the reports
and their lifecycle, exports and the IROJ viewer's home."""

import datetime as dt
import re
import uuid

import pytest

from verband_common.errors import Conflict, NotFound, ValidationFailed
from verband_gateway import charts
from verband_gateway.report_pages import (
    parse_period,
    period_options,
    period_start,
    previous_start,
    today,
)

REPORT = str(uuid.uuid4())


def token_of(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def field_error(page: str, name: str) -> str:
    found = re.search(rf'<span class="field-error" id="e-{re.escape(name)}">([^<]*)</span>', page)
    return found.group(1) if found else ""


def cell(key, label, value, display=None, suppressed=False):
    return {
        "key": key,
        "label": label,
        "value": None if suppressed else value,
        "display": display or ("<5" if suppressed else f"{value:g}"),
        "suppressed": suppressed,
    }


def indicator(key, value, unit="count", display=None, target=None, breakdowns=None, **over):
    suppressed = value is None
    return {
        "key": key,
        "unit": unit,
        "value": value,
        "display": display or ("<5" if suppressed else f"{value:g}"),
        "suppressed": suppressed,
        "numerator": None if suppressed else int(value) if unit == "count" else 41,
        "denominator": None if unit == "count" else 56,
        "target": target,
        "breakdowns": breakdowns or {},
        **over,
    }


def content(network_id=None, region="Oost-Vlaanderen", start="2026-07-01", kind="quarter"):
    return {
        "network_id": network_id,
        "network_name": "RTJ De Tafels",
        "region": region,
        "period": {"kind": kind, "start": start, "end": "2026-09-30"},
        "threshold": 5,
        "indicators": [
            indicator(
                "referrals",
                12.0,
                breakdowns={
                    "municipality": [
                        cell("44083", "Deinze", 9.0),
                        cell("44084", "Nevele", None, suppressed=True),
                        cell("44085", "Zulte", None, display="x", suppressed=True),
                    ],
                    "month": [
                        cell("2026-07", "juli", 5.0),
                        cell("2026-08", "augustus", None, suppressed=True),
                        cell("2026-09", "september", 6.0),
                    ],
                },
            ),
            indicator("answered_within_month", 0.732, unit="share", display="73,2 %"),
            indicator("family_guidances", 143.0, target=200),
            indicator("bottlenecks_raised", None),
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
    }


def report(report_id=REPORT, network_id=None, status="draft", **over):
    body = content(network_id)
    return {
        "id": report_id,
        "network_id": network_id or str(uuid.uuid4()),
        "network_name": body["network_name"],
        "region": body["region"],
        "period": body["period"],
        "version": 1,
        "status": status,
        "generated_at": "2026-10-05T09:00:00+00:00",
        "approved_by": "An Peeters" if status != "draft" else None,
        "approved_by_body": "Beleidsgroep" if status != "draft" else None,
        "approved_on": "2026-10-10" if status != "draft" else None,
        "approved_at": "2026-10-10T15:00:00+00:00" if status != "draft" else None,
        "published_at": "2026-10-12T08:00:00+00:00" if status == "published" else None,
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
    },
    {
        "key": "answered_within_month",
        "title": "Binnen een maand beantwoord",
        "definition": "Het aandeel aanmeldingen met een eerste antwoord binnen 30 dagen.",
        "numerator": "aanmeldingen beantwoord binnen 30 dagen",
        "denominator": "aanmeldingen van de periode",
        "period_rule": "datum van ontvangst",
        "unit": "share",
        "breakdowns": [],
    },
]


@pytest.fixture
def reporting(services, network):
    nid = network["id"]
    services.answer("reporting", "catalogue", lambda: CATALOGUE)
    services.answer("reporting", "indicators", lambda n, period: content(n))
    services.answer(
        "reporting",
        "trend",
        lambda n, key, kind, periods: [
            {
                "start": "2026-01-01",
                "end": "2026-03-31",
                "value": 8.0,
                "display": "8",
                "suppressed": False,
            },
            {
                "start": "2026-04-01",
                "end": "2026-06-30",
                "value": None,
                "display": "<5",
                "suppressed": True,
            },
            {
                "start": "2026-07-01",
                "end": "2026-09-30",
                "value": 12.0,
                "display": "12",
                "suppressed": False,
            },
        ],
    )
    services.answer("reporting", "list_reports", lambda f: [summary(network_id=nid)])
    services.answer("reporting", "get_report", lambda rid: report(rid, nid))
    services.answer("reporting", "generate_report", lambda n, period: report(str(uuid.uuid4()), n))
    services.answer(
        "reporting", "approve_report", lambda rid, p: report(rid, nid, status="approved")
    )
    services.answer("reporting", "publish_report", lambda rid: report(rid, nid, status="published"))
    services.answer(
        "reporting",
        "correct_report",
        lambda rid, p: report(
            "00000000-0000-4000-8000-000000000002",
            nid,
            version=2,
            correction_of=rid,
            correction_reason=p["reason"],
        ),
    )
    services.answer(
        "reporting",
        "region_rollup",
        lambda region, period: {
            **content(None, region=region),
            "network_name": region,
            "networks": [
                {
                    "network_id": nid,
                    "network_name": "RTJ De Tafels",
                    "report_id": REPORT,
                    "version": 1,
                }
            ],
        },
    )
    return services


def reporting_calls(services, method=None):
    return [c for c in services.calls if c.service == "reporting" and method in (None, c.method)]


# --- periods ---------------------------------------------------------------------------------


def test_periods_are_chosen_from_recent_ones_and_checked():
    options = period_options(on=dt.date(2026, 11, 23))
    assert list(options["Kwartalen"].items())[:2] == [
        ("quarter:2026-10-01", "4e kwartaal 2026"),
        ("quarter:2026-07-01", "3e kwartaal 2026"),
    ]
    assert list(options["Jaren"])[:2] == ["year:2026-01-01", "year:2025-01-01"]
    assert list(options["Maanden"].values())[:2] == ["november 2026", "oktober 2026"]
    assert previous_start("quarter", dt.date(2026, 1, 1)) == dt.date(2025, 10, 1)
    assert period_start("month", dt.date(2026, 2, 28)) == dt.date(2026, 2, 1)
    assert parse_period("quarter:2026-07-01") == (
        {"kind": "quarter", "start": "2026-07-01"},
        None,
    )
    assert "kwartaal" in parse_period("quarter:2026-08-01")[1]
    assert parse_period("")[1] == "Kies een periode."
    assert "datum" in parse_period("year:gisteren")[1]


# --- charts ----------------------------------------------------------------------------------


def test_a_bar_chart_draws_no_bar_for_a_suppressed_count_and_says_every_value():
    svg = str(
        charts.bars(
            "Aanmeldingen per gemeente",
            [
                charts.Point("Deinze", 9, "9"),
                charts.Point("Nevele", None, "<5"),
                charts.Point("Zulte", None, "x"),
            ],
        )
    )
    assert svg.count("<rect") == 1
    assert 'role="img"' in svg and "aria-labelledby=" in svg
    assert "<title" in svg and "Aanmeldingen per gemeente" in svg
    assert "Deinze: 9; Nevele: &lt;5; Zulte: x" in svg


def test_a_trend_line_breaks_at_a_suppressed_period():
    svg = str(
        charts.trend(
            "Verloop",
            [
                charts.Point("K1", 8, "8"),
                charts.Point("K2", 9, "9"),
                charts.Point("K3", None, "<5"),
                charts.Point("K4", 12, "12"),
            ],
        )
    )
    # One line K1-K2; K4 stands alone: no segment crosses the hidden K3.
    assert svg.count("<polyline") == 1
    assert svg.count("<circle") == 3
    assert "K3: &lt;5" in svg


def test_a_long_trend_writes_every_other_label_but_names_all():
    months = [charts.Point(f"m{i:02d}", float(i), str(i)) for i in range(1, 13)]
    svg = str(charts.trend("Per maand", months))
    written = re.findall(r">(m\d\d)</text>", svg)
    assert written == ["m02", "m04", "m06", "m08", "m10", "m12"]
    assert "m01: 1; m02: 2;" in svg and "m12: 12" in svg


def test_progress_towards_a_target_is_drawn_and_said():
    svg = str(charts.progress("Extra gezinsbegeleidingen", 143, "143", 200))
    assert "143 van 200 (72 %)" in svg
    assert re.search(r'<rect x="20" y="10" width="314\.6"', svg)
    full = str(charts.progress("Extra gezinsbegeleidingen", 250, "250", 200))
    assert 'width="440.0"' in full  # never past the end of the bar


def test_chart_labels_are_escaped():
    svg = str(charts.bars("<b>titel</b>", [charts.Point("<script>", 5, "5")]))
    assert "<script>" not in svg and "<b>" not in svg


# --- access and menu -------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/rapportering", "/rapporten", f"/rapporten/{REPORT}", "/iroj"])
def test_pages_need_someone_signed_in(client, reporting, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/aanmelden")


@pytest.mark.parametrize("path", ["/rapportering", "/rapporten"])
@pytest.mark.parametrize("role", ["referrer", "partner_worker", "iroj_viewer", "secretary"])
def test_the_networks_monitoring_is_for_coordinators_and_admins(
    client, reporting, network, portal_sign_in, path, role
):
    portal_sign_in({network["id"]: [role]})
    response = client.get(path)
    assert response.status_code == 403
    assert not reporting_calls(reporting, "indicators")
    assert not reporting_calls(reporting, "list_reports")


def test_iroj_home_is_for_iroj_viewers(client, reporting, network, portal_sign_in):
    portal_sign_in({network["id"]: ["coordinator"]})
    assert client.get("/iroj").status_code == 403
    assert not reporting_calls(reporting)


def test_the_menu_shows_monitoring_to_coordinators_and_iroj_to_viewers(
    client, reporting, network, portal_sign_in
):
    portal_sign_in({network["id"]: ["coordinator"]})
    page = client.get("/organisaties").get_data(as_text=True)
    assert 'href="/rapportering"' in page and 'href="/rapporten"' in page
    assert 'href="/iroj"' not in page
    client.post("/afmelden", data={"csrf_token": token_of(page)})
    portal_sign_in({network["id"]: ["iroj_viewer"]})
    page = client.get("/organisaties").get_data(as_text=True)
    assert 'href="/iroj"' in page
    assert 'href="/rapportering"' not in page and 'href="/rapporten"' not in page


# --- dashboard and catalogue -----------------------------------------------------------------


def test_the_dashboard_shows_this_quarter_with_charts_and_trends(
    client, reporting, network, portal_sign_in
):
    portal_sign_in({network["id"]: ["coordinator"]})
    response = client.get("/rapportering")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    start = period_start("quarter", today()).isoformat()
    asked = reporting_calls(reporting, "indicators")
    assert asked[0].args == (network["id"], {"kind": "quarter", "start": start})
    assert asked[0].actor.startswith("person:")
    trends = reporting_calls(reporting, "trend")
    assert [c.args[1] for c in trends] == [
        "referrals",
        "answered_within_month",
        "family_guidances",
    ]
    assert all(c.args[2:] == ("quarter", 8) for c in trends)
    # Charts: progress to the target, bars per municipality, the trend lines; each with words.
    assert page.count('role="img"') == 5
    assert "<figcaption>Aanmeldingen per gemeente</figcaption>" in page
    assert "143 van 200 (72 %)" in page
    assert "Deinze: 9; Nevele: &lt;5; Zulte: x" in page
    assert "K1 2026: 8; K2 2026: &lt;5; K3 2026: 12" in page
    # The figures in a table too, with a caption and header cells; the suppression explained.
    assert "<caption>Indicatoren van 3e kwartaal 2026</caption>" in page
    assert '<th scope="row"><a href="/rapportering/indicatoren#referrals">Aanmeldingen</a>' in page
    assert "73,2 %" in page and "&lt;5" in page
    assert "verborgen om gezinnen te beschermen" in page
    assert "Te weinig plaatsen contextbegeleiding" in page
    # A report over this quarter can be made from here, with the form's token.
    assert 'action="/rapporten"' in page and f'value="quarter:{start}"' in page
    assert 'name="csrf_token"' in page and "data-wait=" in page


def test_the_dashboard_goes_by_month_and_year_too(client, reporting, network, portal_sign_in):
    portal_sign_in({network["id"]: ["network_admin"]})
    response = client.get("/rapportering?periode=month:2026-08-01")
    assert response.status_code == 200
    assert reporting_calls(reporting, "indicators")[0].args[1] == {
        "kind": "month",
        "start": "2026-08-01",
    }
    assert all(c.args[2:] == ("month", 12) for c in reporting_calls(reporting, "trend"))
    # No report goes by month: no form to make one.
    assert 'action="/rapporten"' not in response.get_data(as_text=True).split("<main", 1)[1]


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("quarter:2026-08-01", "kwartaal begint"),
        ("week:2026-08-03", "maand, kwartaal of jaar"),
        ("2026", "Kies een periode"),
    ],
)
def test_a_bad_period_is_named_next_to_its_field(
    client, reporting, network, portal_sign_in, raw, words
):
    portal_sign_in({network["id"]: ["coordinator"]})
    response = client.get(f"/rapportering?periode={raw}")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert words in field_error(page, "periode")
    assert 'aria-describedby="e-periode"' in page
    assert not reporting_calls(reporting, "indicators")


def test_the_catalogue_shows_every_definition(client, reporting, network, portal_sign_in):
    portal_sign_in({network["id"]: ["referrer"]})
    page = client.get("/rapportering/indicatoren").get_data(as_text=True)
    assert '<h2 id="referrals" tabindex="-1">Aanmeldingen</h2>' in page
    assert "aanmeldingen beantwoord binnen 30 dagen" in page
    assert "geen: een aantal" in page and "aandeel" in page
    assert "gemeente, sector van de aanmelder" in page


# --- reports and their lifecycle -------------------------------------------------------------


def test_a_coordinator_lists_reports_and_makes_a_draft(client, reporting, network, portal_sign_in):
    portal_sign_in({network["id"]: ["coordinator"]})
    page = client.get("/rapporten").get_data(as_text=True)
    assert reporting_calls(reporting, "list_reports")[0].args == ({"network_id": network["id"]},)
    assert "3e kwartaal 2026" in page and "Ontwerp" in page
    response = client.post(
        "/rapporten", data={"csrf_token": token_of(page), "periode": "year:2025-01-01"}
    )
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/rapporten/")
    made = reporting_calls(reporting, "generate_report")
    assert made[0].args == (network["id"], {"kind": "year", "start": "2025-01-01"})
    follow = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Het ontwerprapport over 3e kwartaal 2026 is opgemaakt." in follow


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("month:2026-08-01", "kwartaal of een jaar"),
        ("quarter:2026-05-01", "kwartaal begint"),
        ("", "Kies een periode"),
    ],
)
def test_a_report_needs_a_quarter_or_year(client, reporting, network, portal_sign_in, raw, words):
    portal_sign_in({network["id"]: ["coordinator"]})
    page = client.get("/rapporten").get_data(as_text=True)
    response = client.post("/rapporten", data={"csrf_token": token_of(page), "periode": raw})
    assert response.status_code == 422
    assert words in field_error(response.get_data(as_text=True), "periode")
    assert not reporting_calls(reporting, "generate_report")


def test_a_refused_draft_says_why(client, reporting, network, portal_sign_in):
    portal_sign_in({network["id"]: ["coordinator"]})
    reporting.fail(
        "reporting",
        "generate_report",
        Conflict("Dit rapport is al goedgekeurd: maak een correctie."),
    )
    page = client.get("/rapporten").get_data(as_text=True)
    response = client.post(
        "/rapporten", data={"csrf_token": token_of(page), "periode": "quarter:2026-07-01"}
    )
    assert response.status_code == 422
    assert "al goedgekeurd: maak een correctie" in response.get_data(as_text=True)


def test_making_a_draft_needs_the_forms_token(client, reporting, network, portal_sign_in):
    portal_sign_in({network["id"]: ["coordinator"]})
    response = client.post("/rapporten", data={"periode": "quarter:2026-07-01"})
    assert response.status_code == 403
    assert not reporting_calls(reporting, "generate_report")


def test_a_draft_is_approved_with_the_body_and_its_date(client, reporting, network, portal_sign_in):
    portal_sign_in({network["id"]: ["coordinator"]})
    page = client.get(f"/rapporten/{REPORT}").get_data(as_text=True)
    assert '<label for="f-body_name">Orgaan dat goedkeurde</label>' in page
    assert 'name="action" value="approve"' in page and 'value="regenerate"' in page
    assert 'value="publish"' not in page
    response = client.post(
        f"/rapporten/{REPORT}",
        data={
            "csrf_token": token_of(page),
            "action": "approve",
            "body_name": "Beleidsgroep",
            "decided_on": "10/10/2026",
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/rapporten/{REPORT}"
    assert reporting_calls(reporting, "approve_report")[0].args == (
        REPORT,
        {"body_name": "Beleidsgroep", "decided_on": "2026-10-10"},
    )


def test_a_bad_approval_is_named_next_to_each_field_and_kept(
    client, reporting, network, portal_sign_in
):
    portal_sign_in({network["id"]: ["coordinator"]})
    page = client.get(f"/rapporten/{REPORT}").get_data(as_text=True)
    future = (today() + dt.timedelta(days=3)).strftime("%d/%m/%Y")
    response = client.post(
        f"/rapporten/{REPORT}",
        data={
            "csrf_token": token_of(page),
            "action": "approve",
            "body_name": "",
            "decided_on": future,
        },
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "tekens" in field_error(page, "body_name")
    assert "toekomst" in field_error(page, "decided_on")
    assert f'value="{future}"' in page
    assert 'aria-describedby="e-decided_on h-decided_on"' in page
    assert not reporting_calls(reporting, "approve_report")

    reporting.fail(
        "reporting",
        "approve_report",
        ValidationFailed("De invoer is ongeldig.", {"body_name": ["Geef het orgaan."]}),
    )
    response = client.post(
        f"/rapporten/{REPORT}",
        data={
            "csrf_token": token_of(page),
            "action": "approve",
            "body_name": "Beleidsgroep",
            "decided_on": "2026-10-10",
        },
    )
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), "body_name") == "Geef het orgaan."


def test_an_approved_report_is_published(client, reporting, network, portal_sign_in):
    reporting.answer(
        "reporting", "get_report", lambda rid: report(rid, network["id"], status="approved")
    )
    portal_sign_in({network["id"]: ["network_admin"]})
    page = client.get(f"/rapporten/{REPORT}").get_data(as_text=True)
    assert "door Beleidsgroep op 10/10/2026 (vastgelegd door An Peeters" in page
    assert 'value="publish"' in page and 'value="approve"' not in page
    response = client.post(
        f"/rapporten/{REPORT}", data={"csrf_token": token_of(page), "action": "publish"}
    )
    assert response.status_code == 302
    assert reporting_calls(reporting, "publish_report")[0].args == (REPORT,)
    follow = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "IROJ van de regio kan het nu lezen" in follow


def test_a_step_out_of_order_is_explained(client, reporting, network, portal_sign_in):
    reporting.answer(
        "reporting", "get_report", lambda rid: report(rid, network["id"], status="approved")
    )
    reporting.fail("reporting", "publish_report", Conflict("Dit rapport is al gepubliceerd."))
    portal_sign_in({network["id"]: ["coordinator"]})
    page = client.get(f"/rapporten/{REPORT}").get_data(as_text=True)
    response = client.post(
        f"/rapporten/{REPORT}", data={"csrf_token": token_of(page), "action": "publish"}
    )
    assert response.status_code == 422
    assert "Dit rapport is al gepubliceerd." in response.get_data(as_text=True)


def test_a_published_report_is_corrected_with_a_reason(client, reporting, network, portal_sign_in):
    reporting.answer(
        "reporting", "get_report", lambda rid: report(rid, network["id"], status="published")
    )
    portal_sign_in({network["id"]: ["coordinator"]})
    page = client.get(f"/rapporten/{REPORT}").get_data(as_text=True)
    assert '<label for="f-reason">Reden van de correctie</label>' in page
    response = client.post(
        f"/rapporten/{REPORT}",
        data={"csrf_token": token_of(page), "action": "correct", "reason": "   "},
    )
    assert response.status_code == 422
    assert "tekens" in field_error(response.get_data(as_text=True), "reason")
    assert not reporting_calls(reporting, "correct_report")
    response = client.post(
        f"/rapporten/{REPORT}",
        data={
            "csrf_token": token_of(page),
            "action": "correct",
            "reason": "Twee aanmeldingen van september kwamen laat binnen.",
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/rapporten/00000000-0000-4000-8000-000000000002"
    assert reporting_calls(reporting, "correct_report")[0].args == (
        REPORT,
        {"reason": "Twee aanmeldingen van september kwamen laat binnen."},
    )


def test_an_unknown_step_is_refused(client, reporting, network, portal_sign_in):
    portal_sign_in({network["id"]: ["coordinator"]})
    page = client.get(f"/rapporten/{REPORT}").get_data(as_text=True)
    response = client.post(
        f"/rapporten/{REPORT}", data={"csrf_token": token_of(page), "action": "delete"}
    )
    assert response.status_code == 422
    assert "Kies wat je met het rapport wil doen." in response.get_data(as_text=True)
    assert len(reporting_calls(reporting)) == len(reporting_calls(reporting, "get_report")) + len(
        reporting_calls(reporting, "list_reports")
    ) + len(reporting_calls(reporting, "catalogue"))


def test_the_report_page_shows_the_frozen_figures_and_downloads(
    client, reporting, network, portal_sign_in
):
    portal_sign_in({network["id"]: ["coordinator"]})
    page = client.get(f"/rapporten/{REPORT}").get_data(as_text=True)
    assert "Rapport RTJ De Tafels: 3e kwartaal 2026" in page
    # Trend over the months of the quarter, as the report froze them: no trend RPC.
    assert "juli: 5; augustus: &lt;5; september: 6" in page
    assert not reporting_calls(reporting, "trend")
    for fmt in ("pdf", "xlsx", "csv"):
        assert f'href="/rapporten/{REPORT}/export.{fmt}"' in page


def test_an_iroj_viewer_reads_a_published_report_but_cannot_change_it(
    client, reporting, network, portal_sign_in
):
    reporting.answer(
        "reporting", "get_report", lambda rid: report(rid, network["id"], status="published")
    )
    portal_sign_in({network["id"]: ["iroj_viewer"]})
    response = client.get(f"/rapporten/{REPORT}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'name="action"' not in page
    response = client.post(
        f"/rapporten/{REPORT}",
        data={"csrf_token": token_of(page), "action": "correct", "reason": "Anders"},
    )
    assert response.status_code == 403
    assert not reporting_calls(reporting, "correct_report")


def test_a_report_the_service_hides_is_not_found(client, reporting, network, portal_sign_in):
    reporting.fail("reporting", "get_report", NotFound("Dit rapport bestaat niet."))
    portal_sign_in({network["id"]: ["iroj_viewer"]})
    assert client.get(f"/rapporten/{REPORT}").status_code == 404
    assert client.get(f"/rapporten/{REPORT}/export.csv").status_code == 404


def test_a_report_downloads_from_the_portal(client, reporting, network, portal_sign_in):
    portal_sign_in({network["id"]: ["coordinator"]})
    response = client.get(f"/rapporten/{REPORT}/export.csv")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="rapport-rtj-de-tafels-2026-K3-v1.csv"'
    )
    text = response.get_data().decode("utf-8-sig")
    assert "Nevele;<5" in text and "Zulte;x" in text
    assert client.get(f"/rapporten/{REPORT}/export.pdf").get_data().startswith(b"%PDF-")
    assert client.get(f"/rapporten/{REPORT}/export.odt").status_code == 404


# --- IROJ ------------------------------------------------------------------------------------


def test_iroj_sees_the_published_reports_and_the_region_roll_up(
    client, reporting, network, portal_sign_in
):
    reporting.answer(
        "reporting",
        "list_reports",
        lambda f: [summary(network_id=network["id"], status="published")],
    )
    portal_sign_in({network["id"]: ["iroj_viewer"]})
    response = client.get("/iroj")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert reporting_calls(reporting, "list_reports")[0].args == (
        {"region": "Oost-Vlaanderen", "status": "published"},
    )
    # The roll-up of the newest published period.
    assert reporting_calls(reporting, "region_rollup")[0].args == (
        "Oost-Vlaanderen",
        {"kind": "quarter", "start": "2026-07-01"},
    )
    assert "<h1>IROJ Oost-Vlaanderen</h1>" in page
    assert f'href="/rapporten/{REPORT}/export.pdf"' in page
    assert "RTJ De Tafels (versie 1)" in page
    assert "<caption>Indicatoren van Oost-Vlaanderen, 3e kwartaal 2026</caption>" in page
    assert "Te weinig plaatsen contextbegeleiding" in page
    assert 'role="img"' in page


def test_iroj_before_any_publication_sees_that_there_is_nothing(
    client, reporting, network, portal_sign_in
):
    reporting.answer("reporting", "list_reports", lambda f: [])
    reporting.fail(
        "reporting",
        "region_rollup",
        NotFound("Nog geen gepubliceerde rapporten over deze periode."),
    )
    portal_sign_in({network["id"]: ["iroj_viewer"]})
    response = client.get("/iroj")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Nog geen gepubliceerde rapporten in Oost-Vlaanderen." in page
    assert "Nog geen gepubliceerde rapporten over deze periode." in page
    assert 'role="img"' not in page


def test_iroj_cannot_ask_for_another_region_or_a_month(client, reporting, network, portal_sign_in):
    portal_sign_in({network["id"]: ["iroj_viewer"]})
    response = client.get("/iroj?regio=Limburg&periode=month:2026-07-01")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Kies een regio waarin je IROJ-lezer bent." in field_error(page, "regio")
    assert "kwartaal of een jaar" in field_error(page, "periode")
    assert all(
        c.args[0] == {"region": "Oost-Vlaanderen", "status": "published"}
        for c in reporting_calls(reporting, "list_reports")
    )
    assert not reporting_calls(reporting, "region_rollup")


def test_a_viewer_of_two_regions_chooses_one(client, reporting, network, portal_sign_in):
    person = portal_sign_in({network["id"]: ["iroj_viewer"], str(uuid.uuid4()): ["iroj_viewer"]})
    reporting.partners.people[person["email"]]["memberships"][1]["region"] = "Limburg"
    client.application.extensions["principals"].clear()
    page = client.get("/iroj").get_data(as_text=True)
    assert '<label for="f-regio">Regio</label>' in page
    assert "<h1>IROJ Limburg</h1>" in page  # the first region, alphabetically
    response = client.get("/iroj?regio=Oost-Vlaanderen&periode=year:2025-01-01")
    assert response.status_code == 200
    assert "<h1>IROJ Oost-Vlaanderen</h1>" in response.get_data(as_text=True)
    assert reporting_calls(reporting, "list_reports")[-1].args == (
        {"region": "Oost-Vlaanderen", "status": "published"},
    )
    assert reporting_calls(reporting, "region_rollup")[-1].args == (
        "Oost-Vlaanderen",
        {"kind": "year", "start": "2025-01-01"},
    )
