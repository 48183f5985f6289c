"""Monitoring and reports to IROJ (reporting service): the indicator catalogue, a network's
indicators and their trends, the report lifecycle (draft, approval by the network's body,
publication, correction as a new version), the region roll-up and a report as CSV, XLSX or
PDF.

Every view is a thin call to the reporting service with the request's actor. The gateway's
role check is coarse: a network's indicators and its reports' lifecycle need a coordinator
or network admin of that network; a report by its id, the list of reports and the region
roll-up need someone signed in, and the service decides (an IROJ viewer sees the published
reports of its region, nothing else). Input is checked with the service's own schemas before
any RPC; answers are loaded with them, so a broken contract is a 502.
"""

from flask import Response
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import fields, validate

from verband_common.errors import NotFound
from verband_common.roles import REPORT_KEEPERS
from verband_common.schemas import reporting as r
from verband_common.schemas.common import Strict, String, Whole
from verband_gateway import auth, call, exports
from verband_gateway.api.meetings import NO_INPUT, Answer, NoInput

blp = Blueprint(
    "reports",
    __name__,
    url_prefix="/api",
    description=(
        "Uniforme monitoring zonder persoonsgegevens: indicatoren met hun definities, trends,"
        " rapporten aan IROJ (ontwerp, goedkeuring, publicatie, correctie), de regionale"
        " samenvatting en exports (CSV, XLSX, PDF)."
    ),
)

# Who reads a network's indicators and keeps its reports (the service checks again).


class ReportSignal(r.Signal):
    """A pain point or improvement proposal a governance body raised (the meetings API has
    its own Signal, with more to it)."""


class Indicators(r.Indicators):
    signals = fields.List(Whole(ReportSignal), required=True)


class Report(r.Report):
    content = Whole(Indicators, required=True)


class RollupQuery(r.PeriodInput):
    region = String(
        required=True,
        validate=validate.OneOf(r.IROJ_REGIONS, error="Onbekende regio."),
        metadata={"description": "een IROJ-regio, bv. Limburg"},
    )


class TrendQuery(Strict):
    kind = String(
        load_default="quarter",
        validate=validate.OneOf(r.PERIOD_KINDS, error="Kies maand, kwartaal of jaar."),
    )
    periods = fields.Integer(
        load_default=8,
        validate=validate.Range(
            min=1,
            max=r.MAX_TREND_PERIODS,
            error=f"Geef 1 tot {r.MAX_TREND_PERIODS} perioden.",
        ),
    )


def _period(data: dict) -> dict:
    return {"kind": data["kind"], "start": data["start"].isoformat()}


# --- catalogue and indicators ----------------------------------------------------------------


@blp.route("/reporting/catalogue")
class Catalogue(MethodView):
    @auth.requires()
    @blp.response(200, r.CatalogueEntry(many=True))
    def get(self):
        """The indicator catalogue: for every indicator its definition, numerator,
        denominator, period rule and unit; the same for every network."""
        return call("reporting", "catalogue", schema=r.CatalogueEntry(many=True))


@blp.route("/networks/<uuid:network_id>/indicators")
class NetworkIndicators(MethodView):
    @auth.requires(*REPORT_KEEPERS)
    @blp.arguments(r.PeriodInput, location="query")
    @blp.response(200, Indicators)
    def get(self, period, network_id):
        """The network's indicators over a month, quarter or year (`kind`, `start` = the
        period's first day), with their breakdowns and the signals raised; small counts are
        suppressed ("<5"), and so are the cells that would give them away ("x")."""
        return call(
            "reporting", "indicators", str(network_id), _period(period), schema=Indicators()
        )


@blp.route("/networks/<uuid:network_id>/indicators/<string:key>/trend")
class IndicatorTrend(MethodView):
    @auth.requires(*REPORT_KEEPERS)
    @blp.arguments(TrendQuery, location="query")
    @blp.response(200, r.TrendPoint(many=True))
    def get(self, query, network_id, key):
        """One indicator over the last `periods` months, quarters or years, oldest first."""
        return call(
            "reporting",
            "trend",
            str(network_id),
            key,
            query["kind"],
            query["periods"],
            schema=r.TrendPoint(many=True),
        )


@blp.route("/reporting/rollup")
class RegionRollup(MethodView):
    @auth.requires()
    @blp.arguments(RollupQuery, location="query")
    @blp.response(200, Indicators)
    def get(self, query):
        """The region's indicators over a period: summed over the latest published report of
        each of its networks, suppressed again (IROJ viewers of the region)."""
        return call(
            "reporting", "region_rollup", query["region"], _period(query), schema=Indicators()
        )


# --- reports ----------------------------------------------------------------------------------


@blp.route("/networks/<uuid:network_id>/reports")
class NetworkReports(MethodView):
    @auth.requires(*REPORT_KEEPERS)
    @blp.response(200, r.ReportSummary(many=True))
    def get(self, network_id):
        """The network's reports in every status, newest period first."""
        return call(
            "reporting",
            "list_reports",
            {"network_id": str(network_id)},
            schema=r.ReportSummary(many=True),
        )

    @auth.requires(*REPORT_KEEPERS)
    @blp.arguments(r.ReportPeriodInput)
    @blp.response(201, Report)
    @blp.alt_response(409, "CONFLICT")
    def post(self, period, network_id):
        """Generate the network's report over a quarter or year as a draft (a draft of the
        same period is generated again; an approved or published one is corrected instead)."""
        return call(
            "reporting", "generate_report", str(network_id), _period(period), schema=Report()
        )


@blp.route("/reports")
class Reports(MethodView):
    @auth.requires()
    @blp.arguments(r.ReportFilter, location="query")
    @blp.response(200, r.ReportSummary(many=True))
    def get(self, filters):
        """The reports the caller may read, optionally of one network, region or status: a
        network's own in every status, an IROJ viewer's region only once published."""
        return call(
            "reporting",
            "list_reports",
            r.ReportFilter().dump(filters),
            schema=r.ReportSummary(many=True),
        )


@blp.route("/reports/<uuid:report_id>")
class ReportById(MethodView):
    @auth.requires()
    @blp.response(200, Report)
    def get(self, report_id):
        """One report with its frozen indicators and signals."""
        return call("reporting", "get_report", str(report_id), schema=Report())


@blp.route("/reports/<uuid:report_id>/approval")
class ReportApproval(MethodView):
    @auth.requires()
    @blp.arguments(r.ApprovalInput)
    @blp.response(200, Report)
    @blp.alt_response(409, "CONFLICT")
    def post(self, data, report_id):
        """Record the approval of a draft by the body the network names, and the day it
        decided; the caller is recorded as the one who approved it."""
        return call(
            "reporting",
            "approve_report",
            str(report_id),
            r.ApprovalInput().dump(data),
            schema=Report(),
        )


@blp.route("/reports/<uuid:report_id>/publication")
class ReportPublication(MethodView):
    @auth.requires()
    @blp.arguments(NoInput, required=False, description=NO_INPUT)
    @blp.response(200, Report)
    @blp.alt_response(409, "CONFLICT")
    def post(self, _data, report_id):
        """Publish an approved report to IROJ (a version it corrects is then superseded)."""
        return call("reporting", "publish_report", str(report_id), schema=Report())


@blp.route("/reports/<uuid:report_id>/corrections")
class ReportCorrections(MethodView):
    @auth.requires()
    @blp.arguments(r.CorrectionInput)
    @blp.response(201, Report)
    @blp.alt_response(409, "CONFLICT")
    def post(self, data, report_id):
        """Correct a published report: a new draft version, with the reason."""
        return call(
            "reporting",
            "correct_report",
            str(report_id),
            r.CorrectionInput().dump(data),
            schema=Report(),
        )


@blp.route("/reports/<uuid:report_id>/export.<string:fmt>")
class ReportExport(MethodView):
    @auth.requires()
    @blp.doc(
        parameters=[
            {
                "in": "path",
                "name": "fmt",
                "required": True,
                "schema": {"type": "string", "enum": list(exports.FORMATS)},
            }
        ],
        responses={
            "200": {
                "description": "Het rapport als CSV (;-gescheiden, UTF-8), XLSX of PDF.",
                "content": {
                    exports.FORMATS["csv"]: {"schema": {"type": "string"}},
                    exports.FORMATS["xlsx"]: {"schema": {"type": "string", "format": "binary"}},
                    exports.FORMATS["pdf"]: {"schema": {"type": "string", "format": "binary"}},
                },
            },
            "404": "NOT_FOUND",
        },
    )
    def get(self, report_id, fmt):
        """The report as CSV, XLSX or PDF (the PDF with charts, the signals and the
        definitions): only aggregates, small counts suppressed as in the report."""
        return export_response(str(report_id), fmt)


def export_response(report_id: str, fmt: str) -> Response:
    """A report as a download, for the API and the portal alike."""
    if fmt not in exports.FORMATS:
        raise NotFound(
            "Een rapport is er als CSV, XLSX of PDF.", {"fmt": ["Kies csv, xlsx of pdf."]}
        )
    report = call("reporting", "get_report", report_id, schema=Report())
    catalogue = call("reporting", "catalogue", schema=r.CatalogueEntry(many=True))
    report = Report().dump(report)
    catalogue = r.CatalogueEntry(many=True).dump(catalogue)
    make = {"csv": exports.report_csv, "xlsx": exports.report_xlsx, "pdf": exports.report_pdf}
    content = make[fmt](report, catalogue)
    return Response(
        content,
        mimetype=exports.FORMATS[fmt],
        headers={"Content-Disposition": f'attachment; filename="{exports.filename(report, fmt)}"'},
    )


# --- report-back to IROJ after every meeting ---------------------------------------------------


class ReportedDecision(Answer):
    decision_id = fields.UUID(required=True)
    method = fields.String(required=True)
    outcome = fields.String(required=True)
    text = fields.String(required=True)


class SignalAnswerShort(Answer):
    answer = fields.String(required=True)
    answered_at = fields.AwareDateTime(required=True)


class ReportedSignal(Answer):
    signal_id = fields.UUID(required=True)
    kind = fields.String(required=True)
    title = fields.String(required=True)
    description = fields.String(allow_none=True, load_default=None)
    answer = fields.Nested(SignalAnswerShort, required=True, allow_none=True)


class ReportBack(Answer):
    meeting_id = fields.UUID(required=True)
    network_id = fields.UUID(required=True)
    network_name = fields.String(allow_none=True, load_default=None)
    region = fields.String(allow_none=True, load_default=None)
    body_id = fields.UUID(required=True)
    body_kind = fields.String(required=True)
    body_name = fields.String(required=True)
    held_on = fields.Date(required=True)
    reporter_name = fields.String(allow_none=True, load_default=None)
    recorded_at = fields.AwareDateTime(required=True)
    decisions = fields.List(fields.Nested(ReportedDecision), required=True)
    signals = fields.List(fields.Nested(ReportedSignal), required=True)


class SignalAnswer(Answer):
    signal_id = fields.UUID(required=True)
    meeting_id = fields.UUID(required=True)
    network_id = fields.UUID(required=True)
    answer = fields.String(required=True)
    answered_at = fields.AwareDateTime(required=True)


@blp.route("/reporting/report-backs")
class ReportBacks(MethodView):
    @auth.requires()
    @blp.arguments(r.ReportBackFilter, location="query")
    @blp.response(200, ReportBack(many=True))
    def get(self, filters):
        """What the bodies reported back to IROJ after each meeting (terugkoppeling), newest
        first, as soon as the meeting closed: the decisions marked for IROJ and the signals,
        each with IROJ's answer. Of one network (its coordinators and admins, or IROJ of its
        region) or every network of an IROJ viewer's region; others get 404."""
        return call(
            "reporting",
            "report_backs",
            r.ReportBackFilter().dump(filters),
            schema=ReportBack(many=True),
        )


@blp.route("/reporting/signals/<uuid:signal_id>/answer")
class SignalAnswers(MethodView):
    @auth.requires()
    @blp.arguments(r.SignalAnswerInput)
    @blp.response(201, SignalAnswer)
    @blp.alt_response(409, "CONFLICT")
    def post(self, data, signal_id):
        """IROJ of the network's region answers a signal a body reported back; the answer goes
        on the body's next agenda. One answer per signal: a second is 409."""
        return call(
            "reporting",
            "answer_signal",
            str(signal_id),
            r.SignalAnswerInput().dump(data),
            schema=SignalAnswer(),
        )
