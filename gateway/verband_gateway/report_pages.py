"""Portal pages of the monitoring: the network's dashboard, the indicator catalogue, the
reports and their lifecycle, exports, and the IROJ viewer's home.

Coordinators and network admins see their network's indicators in any period with charts
and trends, generate a quarter's or year's report as a draft, record its approval by the
body the network names, publish it to IROJ and correct it after publication with a reason.
An IROJ viewer sees the published reports of the networks of its region and the region's
roll-up; the reporting service decides what anyone may read (a report of another region, or
not yet published, does not exist for them). Forms work as the other portal pages do: each
mistake next to its field in Dutch, the input kept, nothing stored.
"""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, flash, redirect, render_template, request, url_for
from marshmallow import ValidationError

from verband_common.dutch import BRUSSELS
from verband_common.errors import Forbidden, NotFound, VerbandError, flatten_messages
from verband_common.labels import SIGNAL_KIND_LABELS
from verband_common.roles import REPORT_KEEPERS
from verband_common.schemas import reporting as r
from verband_gateway import auth, call, charts, exports
from verband_gateway.api.reports import export_response
from verband_gateway.form_input import be_date
from verband_gateway.pages import _choose, _ChooseNetwork, _network, _try

bp = Blueprint("report_pages", __name__)
bp.register_error_handler(_ChooseNetwork, _choose)

# Indicators whose course over the last periods the dashboard draws.
TREND_KEYS = ("referrals", "answered_within_month", "waiting_list_size", "family_guidances")
TREND_PERIODS = {"month": 12, "quarter": 8, "year": 5}
CHOICES = {"quarter": 8, "year": 4, "month": 12}
# The newest report-backs the IROJ page lists (the API pages further with `limit`).
REPORT_BACKS_SHOWN = 50
KIND_GROUPS = {"quarter": "Kwartalen", "year": "Jaren", "month": "Maanden"}
SUPPRESSION_NOTE = (
    "<5: een klein aantal (1 tot 4), verborgen om gezinnen te beschermen. x: verborgen zodat "
    "een klein aantal niet uit een totaal of uit andere cellen af te leiden is."
)


# --- periods -------------------------------------------------------------------------------


def today() -> dt.date:
    return dt.datetime.now(BRUSSELS).date()


def period_start(kind: str, day: dt.date) -> dt.date:
    if kind == "month":
        return day.replace(day=1)
    if kind == "quarter":
        return dt.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    return dt.date(day.year, 1, 1)


def previous_start(kind: str, start: dt.date) -> dt.date:
    return period_start(kind, start - dt.timedelta(days=1))


def period_value(kind: str, start) -> str:
    return f"{kind}:{start.isoformat() if isinstance(start, dt.date) else start}"


def period_options(kinds=("quarter", "year", "month"), on: dt.date | None = None) -> dict:
    """{group label: {value: label}}: the recent months, quarters and years, newest first."""
    on = on or today()
    groups = {}
    for kind in kinds:
        start, options = period_start(kind, on), {}
        for _ in range(CHOICES[kind]):
            options[period_value(kind, start)] = exports.period_label(
                {"kind": kind, "start": start}
            )
            start = previous_start(kind, start)
        groups[KIND_GROUPS[kind]] = options
    return groups


def parse_period(raw: str | None, schema=r.PeriodInput) -> tuple[dict | None, str | None]:
    """("quarter:2026-07-01") -> ({"kind", "start"}, None), or (None, why not in Dutch)."""
    kind, _, start = (raw or "").partition(":")
    if not kind or not start:
        return None, "Kies een periode."
    try:
        loaded = schema().load({"kind": kind, "start": start})
    except ValidationError as err:
        messages = flatten_messages(err.messages)
        return None, " ".join(" ".join(v) for v in messages.values())
    return {"kind": loaded["kind"], "start": loaded["start"].isoformat()}, None


# --- helpers -------------------------------------------------------------------------------


def _keeper(roles: set[str]) -> bool:
    return bool(roles.intersection(REPORT_KEEPERS))


def _keeper_network() -> tuple[str, dict, set[str]]:
    network_id, who, roles = _network()
    if not _keeper(roles):
        raise Forbidden("De rapportering is voor de coördinator en de netwerkbeheerder.")
    return network_id, who, roles


def _catalogue() -> tuple[list[dict], dict[str, dict]]:
    found, _ = _try(lambda: call("reporting", "catalogue"))
    return found or [], exports.catalogue_by_key(found)


def _point(indicator_unit: str, item: dict, label: str) -> charts.Point:
    value = None if item.get("suppressed") else exports.chart_value(indicator_unit, item["value"])
    return charts.Point(label, value, item.get("display") or "")


def _unit_text(unit: str) -> str:
    return {"share": "%", "days": "dagen", "count": "aantal"}.get(unit, unit)


def figures(content: dict, known: dict, trends: dict[str, list] | None = None) -> list[dict]:
    """The charts of an indicators answer: progress towards each target, bars per
    municipality, and the course over time (the trends given, else the months of the period
    as the report froze them)."""
    kind = content["period"]["kind"]
    found = []
    for indicator in content.get("indicators") or []:
        title = exports.title_of(indicator, known)
        unit = indicator["unit"]
        if indicator.get("target"):
            found.append(
                {
                    "key": indicator["key"],
                    "kind": "progress",
                    "title": f"{title}: voortgang naar het doel",
                    "svg": charts.progress(
                        f"{title}: voortgang naar het doel",
                        None if indicator.get("suppressed") else indicator.get("value"),
                        indicator["display"],
                        indicator["target"],
                    ),
                }
            )
        breakdowns = indicator.get("breakdowns") or {}
        if breakdowns.get("municipality"):
            points = [
                _point(unit, c, c.get("label") or c["key"]) for c in breakdowns["municipality"]
            ]
            found.append(
                {
                    "key": indicator["key"],
                    "kind": "bars",
                    "title": f"{title} per gemeente",
                    "svg": charts.bars(f"{title} per gemeente", points, _unit_text(unit)),
                }
            )
        course = (trends or {}).get(indicator["key"])
        if course:
            points = [
                _point(unit, p, exports.short_period_label({**p, "kind": kind})) for p in course
            ]
            found.append(
                {
                    "key": indicator["key"],
                    "kind": "trend",
                    "title": f"{title}: verloop",
                    "svg": charts.trend(f"{title}: verloop", points, _unit_text(unit)),
                }
            )
        elif trends is None and len(breakdowns.get("month") or []) > 1:
            points = [_point(unit, c, c.get("label") or c["key"]) for c in breakdowns["month"]]
            found.append(
                {
                    "key": indicator["key"],
                    "kind": "trend",
                    "title": f"{title} per maand",
                    "svg": charts.trend(f"{title} per maand", points, _unit_text(unit)),
                }
            )
    return found


def _render(template: str, status: int = 200, **context):
    return render_template(
        template,
        status_labels=exports.STATUS_LABELS,
        period_label=exports.period_label,
        dimension_label=exports.dimension_label,
        dimension_value=exports.dimension_value,
        unit_label=exports.unit_label,
        signal_kinds=SIGNAL_KIND_LABELS,
        suppression_note=SUPPRESSION_NOTE,
        **context,
    ), status


# --- the network's dashboard ---------------------------------------------------------------


@bp.get("/rapportering")
def dashboard():
    network_id, _who, _roles = _keeper_network()
    raw = request.args.get("periode") or period_value("quarter", period_start("quarter", today()))
    period, error = parse_period(raw)
    catalogue, known = _catalogue()
    content, problem, trends = None, None, {}
    if period is not None:
        content, problem = _try(lambda: call("reporting", "indicators", network_id, period))
        if content is not None:
            for key in TREND_KEYS:
                if any(i["key"] == key for i in content.get("indicators") or []):
                    found, _ = _try(
                        lambda key=key: call(
                            "reporting",
                            "trend",
                            network_id,
                            key,
                            period["kind"],
                            TREND_PERIODS[period["kind"]],
                        )
                    )
                    if found:
                        trends[key] = found
    return _render(
        "reports/dashboard.html",
        422 if error else (503 if problem else 200),
        content=content,
        known=known,
        figures=figures(content, known, trends) if content else [],
        options=period_options(),
        chosen=raw,
        errors={"periode": error} if error else {},
        problem=problem,
        report_period=bool(period and period["kind"] in r.REPORT_PERIOD_KINDS),
    )


# --- the catalogue -------------------------------------------------------------------------


@bp.get("/rapportering/indicatoren")
def catalogue():
    auth.signed_in()
    found, problem = _try(lambda: call("reporting", "catalogue"))
    return _render(
        "reports/catalogue.html", 503 if problem else 200, catalogue=found or [], problem=problem
    )


# --- reports -------------------------------------------------------------------------------


@bp.route("/rapporten", methods=["GET", "POST"])
def reports():
    network_id, _who, _roles = _keeper_network()
    errors, problem, status = {}, None, 200
    chosen = period_value("quarter", previous_start("quarter", period_start("quarter", today())))
    if request.method == "POST":
        chosen = request.form.get("periode", "")
        period, error = parse_period(chosen, r.ReportPeriodInput)
        if error:
            errors["periode"] = error
        else:
            try:
                made = call("reporting", "generate_report", network_id, period)
            except VerbandError as exc:
                problem = exc.message
                if exc.fields:
                    errors["periode"] = " ".join(
                        " ".join(v) if isinstance(v, list) else str(v)
                        for v in flatten_messages(exc.fields).values()
                    )
            else:
                flash(
                    "Het ontwerprapport over "
                    + exports.period_label(made["period"])
                    + " is opgemaakt. Kijk het na en laat het goedkeuren."
                )
                return redirect(url_for("report_pages.report", report_id=made["id"]))
        status = 422
    rows, load_problem = _try(lambda: call("reporting", "list_reports", {"network_id": network_id}))
    return _render(
        "reports/reports.html",
        status,
        reports=rows or [],
        options=period_options(("quarter", "year")),
        chosen=chosen,
        errors=errors,
        problem=problem or load_problem,
    )


APPROVAL_FIELDS = ("body_name", "decided_on")


@bp.route("/rapporten/<uuid:report_id>", methods=["GET", "POST"])
def report(report_id):
    who = auth.signed_in()
    rid = str(report_id)
    found = call("reporting", "get_report", rid)
    keeper = _keeper(auth.roles_in(who, found["network_id"]))
    form, errors, problem, status = {}, {}, None, 200
    if request.method == "POST":
        if not keeper:
            raise Forbidden("Alleen een coördinator of netwerkbeheerder van dit netwerk mag dit.")
        form = request.form.to_dict()
        outcome = _act(found, form)
        if isinstance(outcome, tuple):
            errors, problem = outcome
            status = 422
        else:
            return outcome
    versions = []
    if keeper or found["status"] in ("published", "superseded"):
        listed, _ = _try(
            lambda: call("reporting", "list_reports", {"network_id": found["network_id"]})
        )
        versions = [
            v
            for v in listed or []
            if v["period"]["kind"] == found["period"]["kind"]
            and str(v["period"]["start"]) == str(found["period"]["start"])
        ]
    _rows, known = _catalogue()
    return _render(
        "reports/report.html",
        status,
        report=found,
        content=found["content"],
        known=known,
        figures=figures(found["content"], known),
        versions=sorted(versions, key=lambda v: v["version"], reverse=True),
        keeper=keeper,
        form=form,
        errors=errors,
        problem=problem,
        today=today(),
    )


def _act(found: dict, form: dict):
    """Carry out one step of the lifecycle; a redirect when done, else (errors, problem)."""
    action = form.get("action")
    rid = str(found["id"])
    if action == "approve":
        data = {
            "body_name": form.get("body_name", "").strip(),
            "decided_on": be_date(form.get("decided_on")),
        }
        try:
            data = r.ApprovalInput().load({k: v for k, v in data.items() if v is not None})
        except ValidationError as err:
            return _named(err.messages, APPROVAL_FIELDS)
        try:
            call("reporting", "approve_report", rid, r.ApprovalInput().dump(data))
        except VerbandError as exc:
            return _named(exc.fields, APPROVAL_FIELDS, exc.message)
        flash(f"De goedkeuring door {data['body_name']} is vastgelegd. Publiceer het rapport nu.")
        return redirect(url_for("report_pages.report", report_id=rid))
    if action == "publish":
        try:
            call("reporting", "publish_report", rid)
        except VerbandError as exc:
            return {}, exc.message
        flash("Het rapport is gepubliceerd: IROJ van de regio kan het nu lezen.")
        return redirect(url_for("report_pages.report", report_id=rid))
    if action == "correct":
        data = {"reason": form.get("reason", "").strip()}
        try:
            data = r.CorrectionInput().load(data)
        except ValidationError as err:
            return _named(err.messages, ("reason",))
        try:
            made = call("reporting", "correct_report", rid, r.CorrectionInput().dump(data))
        except VerbandError as exc:
            return _named(exc.fields, ("reason",), exc.message)
        flash(
            f"Versie {made['version']} is opgemaakt als ontwerp met de huidige gegevens. "
            "Laat ze goedkeuren en publiceer ze; de vorige versie blijft tot dan zichtbaar."
        )
        return redirect(url_for("report_pages.report", report_id=made["id"]))
    if action == "regenerate":
        period = {"kind": found["period"]["kind"], "start": str(found["period"]["start"])}
        try:
            made = call("reporting", "generate_report", str(found["network_id"]), period)
        except VerbandError as exc:
            return {}, exc.message
        flash("Het ontwerp is opnieuw opgemaakt met de gegevens van nu.")
        return redirect(url_for("report_pages.report", report_id=made["id"]))
    return {}, "Kies wat je met het rapport wil doen."


def _named(messages, known, message: str | None = None) -> tuple[dict, str | None]:
    errors: dict[str, str] = {}
    rest: list[str] = []
    for key, value in flatten_messages(messages or {}).items():
        text = " ".join(value) if isinstance(value, list) else str(value)
        name = key.split(".")[0]
        if name in known:
            errors[name] = f"{errors[name]} {text}" if name in errors else text
        else:
            rest.append(text)
    if rest:
        return errors, " ".join([message or "Niet opgeslagen.", *rest])
    # With every message at its field, the general one ("De invoer is ongeldig.") adds nothing.
    return errors, None if errors else (message or "Niet opgeslagen.")


@bp.get("/rapporten/<uuid:report_id>/export.<fmt>")
def export(report_id, fmt):
    auth.signed_in()
    if fmt not in exports.FORMATS:
        raise NotFound("Een rapport is er als CSV, XLSX of PDF.")
    return export_response(str(report_id), fmt)


# --- IROJ ----------------------------------------------------------------------------------


def iroj_regions(who: dict) -> list[str]:
    """The regions in which the person is an IROJ viewer (of any network there)."""
    regions = {
        m.get("region")
        for m in who.get("memberships") or []
        if "iroj_viewer" in (m.get("roles") or ()) and m.get("region")
    }
    return sorted(regions)


@bp.route("/iroj", methods=["GET", "POST"])
def iroj():
    who = auth.signed_in()
    regions = iroj_regions(who)
    if not regions:
        raise Forbidden("Deze pagina is voor IROJ-lezers.")
    errors = {}
    region = request.values.get("regio") or regions[0]
    if region not in regions:
        errors["regio"] = "Kies een regio waarin je IROJ-lezer bent."
        region = regions[0]
    form, answer_errors, answer_problem = {}, {}, None
    if request.method == "POST":
        form = request.form.to_dict()
        outcome = _answer_signal(form, region)
        if not isinstance(outcome, tuple):
            return outcome
        answer_errors, answer_problem = outcome
    report_backs, backs_problem = _try(
        lambda: call("reporting", "report_backs", {"region": region, "limit": REPORT_BACKS_SHOWN})
    )
    published, problem = _try(
        lambda: call("reporting", "list_reports", {"region": region, "status": "published"})
    )
    published = published or []
    raw = request.args.get("periode")
    if not raw:
        newest = published[0]["period"] if published else None
        raw = (
            period_value(newest["kind"], newest["start"])
            if newest
            else period_value("quarter", previous_start("quarter", today()))
        )
    period, error = parse_period(raw, r.ReportPeriodInput)
    if error:
        errors["periode"] = error
    rollup, rollup_problem = None, None
    if period is not None:
        rollup, rollup_problem = _try(lambda: call("reporting", "region_rollup", region, period))
    _rows, known = _catalogue()
    options = period_options(("quarter", "year"))
    if period is not None and raw not in {v for group in options.values() for v in group}:
        options = {"Gekozen": {raw: exports.period_label(period)}, **options}
    return _render(
        "reports/iroj.html",
        422 if errors or answer_errors or answer_problem else (503 if problem else 200),
        regions=regions,
        region=region,
        report_backs=report_backs or [],
        backs_problem=backs_problem,
        form=form,
        answer_errors=answer_errors,
        answer_problem=answer_problem,
        reports=published,
        rollup=rollup,
        rollup_problem=rollup_problem,
        known=known,
        figures=figures(rollup, known) if rollup else [],
        options=options,
        chosen=raw,
        errors=errors,
        problem=problem,
    )


def _answer_signal(form: dict, region: str):
    """IROJ answers a signal a body reported back; a redirect when sent, else (errors,
    problem), the error at that signal's answer field."""
    signal_id = form.get("signal_id", "")
    field = f"answer-{signal_id}"
    try:
        data = r.SignalAnswerInput().load({"answer": form.get(field, "").strip()})
    except ValidationError as err:
        errors, problem = _named(err.messages, ("answer",))
        return ({field: errors["answer"]} if "answer" in errors else {}), problem
    try:
        call("reporting", "answer_signal", signal_id, r.SignalAnswerInput().dump(data))
    except VerbandError as exc:
        # An unknown signal, one of another region, or one answered already: no field of
        # the form is wrong, the message says what happened.
        errors, problem = _named(exc.fields, ("answer",), exc.message)
        return ({field: errors["answer"]} if "answer" in errors else {}), problem
    flash("Je antwoord is verstuurd: het komt op de agenda van de volgende vergadering.")
    return redirect(url_for("report_pages.iroj", regio=region, _anchor="terugkoppeling"))
