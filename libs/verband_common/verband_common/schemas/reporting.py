"""Payloads of the reporting service: periods, the indicator catalogue, indicator answers,
trends and reports (draft -> approved -> published, corrections as new versions).

Every number here is an aggregate over families; nothing names or describes a family.
Counts from 1 to threshold - 1 come back suppressed (`value` None, `display` "<5"); a cell
hidden only so that a small one cannot be worked out from totals is suppressed with
`display` "x".
"""

import calendar
import datetime as dt

from marshmallow import ValidationError, fields, validate, validates_schema

from verband_common.schemas.common import Strict, String, Whole, not_in_future, text

PERIOD_KINDS = ("month", "quarter", "year")
# A report covers a quarter or a year; indicators and trends also go by month.
REPORT_PERIOD_KINDS = ("quarter", "year")
UNITS = ("count", "share", "days")
REPORT_STATUSES = ("draft", "approved", "published", "superseded")
IROJ_REGIONS = (
    "Antwerpen",
    "Limburg",
    "Oost-Vlaanderen",
    "Vlaams-Brabant/Brussel",
    "West-Vlaanderen",
)
MAX_TREND_PERIODS = 60
# A region holds a few dozen networks; one call drafts at most this many reports.
MAX_REPORT_NETWORKS = 100


def period_end(kind: str, start: dt.date) -> dt.date:
    """The last day of the period of `kind` starting on `start`."""
    months = {"month": 1, "quarter": 3, "year": 12}[kind]
    month_index = start.month - 1 + months - 1
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def period_start_error(kind: str, start: dt.date) -> str | None:
    """Why `start` cannot begin a period of `kind`, or None."""
    if start.day != 1:
        return "Een periode begint op de eerste dag van een maand."
    if kind == "quarter" and start.month not in (1, 4, 7, 10):
        return "Een kwartaal begint op 1 januari, 1 april, 1 juli of 1 oktober."
    if kind == "year" and start.month != 1:
        return "Een jaar begint op 1 januari."
    return None


class PeriodInput(Strict):
    kind = String(
        required=True,
        validate=validate.OneOf(PERIOD_KINDS, error="Kies maand, kwartaal of jaar."),
    )
    start = fields.Date(required=True)

    @validates_schema
    def starts_a_period(self, data, **kwargs):
        if "kind" in data and "start" in data:
            error = period_start_error(data["kind"], data["start"])
            if error:
                raise ValidationError(error, "start")


class ReportPeriodInput(PeriodInput):
    kind = String(
        required=True,
        validate=validate.OneOf(
            REPORT_PERIOD_KINDS, error="Een rapport gaat over een kwartaal of een jaar."
        ),
    )


class ReportNetworksInput(Strict):
    """The networks of `generate_reports`: each once, at least one."""

    network_ids = fields.List(
        fields.UUID(),
        required=True,
        validate=validate.Length(
            min=1,
            max=MAX_REPORT_NETWORKS,
            error=f"Kies 1 tot {MAX_REPORT_NETWORKS} netwerken.",
        ),
    )

    @validates_schema
    def each_once(self, data, **kwargs):
        ids = data.get("network_ids") or []
        if len(set(ids)) != len(ids):
            raise ValidationError("Elk netwerk mag maar één keer voorkomen.", "network_ids")


class Period(Strict):
    kind = String(required=True)
    start = fields.Date(required=True)
    end = fields.Date(required=True)


class CatalogueEntry(Strict):
    key = String(required=True)
    title = String(required=True)
    definition = String(required=True)
    numerator = String(required=True)
    denominator = String(required=True, allow_none=True)
    period_rule = String(required=True)
    unit = String(required=True, validate=validate.OneOf(UNITS))
    breakdowns = fields.List(String(), load_default=list)


class Cell(Strict):
    """One row of a breakdown: a municipality, a source sector, an offer kind, a month..."""

    key = String(required=True)
    label = String(required=True)
    value = fields.Float(required=True, allow_none=True)
    display = String(required=True)
    suppressed = fields.Boolean(required=True)


class Indicator(Strict):
    key = String(required=True)
    unit = String(required=True, validate=validate.OneOf(UNITS))
    value = fields.Float(required=True, allow_none=True)
    display = String(required=True)
    suppressed = fields.Boolean(required=True)
    # For a share: the families counted and the families it is a share of; for a count:
    # numerator = the count; for days: denominator = the families measured. None when
    # hidden (suppression) or meaningless.
    numerator = fields.Integer(required=True, allow_none=True)
    denominator = fields.Integer(required=True, allow_none=True)
    target = fields.Integer(required=True, allow_none=True)
    breakdowns = fields.Dict(keys=String(), values=fields.List(Whole(Cell)), required=True)


class Signal(Strict):
    raised_at = fields.Date(required=True)
    body_kind = String(required=True)
    kind = String(required=True)
    title = String(required=True)


class Indicators(Strict):
    """The answer of `indicators`, the frozen content of a report, and a region roll-up
    (then `network_id` is None, `network_name` names the region and `networks` lists the
    networks whose published reports were summed)."""

    network_id = fields.UUID(required=True, allow_none=True)
    network_name = String(required=True, allow_none=True)
    region = String(required=True, allow_none=True)
    period = Whole(Period, required=True)
    threshold = fields.Integer(required=True)
    indicators = fields.List(Whole(Indicator), required=True)
    signals = fields.List(Whole(Signal), required=True)
    networks = fields.List(fields.Dict(), load_default=None, dump_default=None, allow_none=True)


class TrendInput(Strict):
    key = String(required=True)
    kind = String(
        required=True,
        validate=validate.OneOf(PERIOD_KINDS, error="Kies maand, kwartaal of jaar."),
    )
    periods = fields.Integer(
        strict=True,
        required=True,
        validate=validate.Range(
            min=1, max=MAX_TREND_PERIODS, error=f"Geef 1 tot {MAX_TREND_PERIODS} perioden."
        ),
    )


class TrendPoint(Strict):
    start = fields.Date(required=True)
    end = fields.Date(required=True)
    value = fields.Float(required=True, allow_none=True)
    display = String(required=True)
    suppressed = fields.Boolean(required=True)


class ReportFilter(Strict):
    network_id = fields.UUID()
    region = String(validate=validate.OneOf(IROJ_REGIONS, error="Onbekende regio."))
    status = String(validate=validate.OneOf(REPORT_STATUSES, error="Onbekende status."))


class ApprovalInput(Strict):
    body_name = text(200)
    decided_on = fields.Date(required=True, validate=not_in_future)


class CorrectionInput(Strict):
    reason = text(2000)


class ReportSummary(Strict):
    id = fields.UUID(required=True)
    network_id = fields.UUID(required=True)
    network_name = String(required=True, allow_none=True)
    region = String(required=True, allow_none=True)
    period = Whole(Period, required=True)
    version = fields.Integer(required=True)
    status = String(required=True, validate=validate.OneOf(REPORT_STATUSES))
    generated_at = fields.AwareDateTime(required=True)
    approved_by = String(required=True, allow_none=True)
    approved_by_body = String(required=True, allow_none=True)
    # The day the body decided (as given at approval); approved_at is when it was recorded.
    approved_on = fields.Date(required=True, allow_none=True)
    approved_at = fields.AwareDateTime(required=True, allow_none=True)
    published_at = fields.AwareDateTime(required=True, allow_none=True)
    correction_of = fields.UUID(required=True, allow_none=True)
    correction_reason = String(required=True, allow_none=True)


class Report(ReportSummary):
    content = Whole(Indicators, required=True)


class ReferralCount(Strict):
    network_id = fields.UUID(required=True)
    referrals = fields.Integer(required=True)
    last_event_at = fields.AwareDateTime(allow_none=True)


__all__ = [
    "ApprovalInput",
    "CatalogueEntry",
    "Cell",
    "CorrectionInput",
    "Indicator",
    "Indicators",
    "Period",
    "PeriodInput",
    "ReferralCount",
    "Report",
    "ReportFilter",
    "ReportNetworksInput",
    "ReportPeriodInput",
    "ReportSummary",
    "Signal",
    "TrendInput",
    "TrendPoint",
    "not_in_future",
    "period_end",
    "period_start_error",
]


# -- report-back to IROJ ----------------------------------------------------------------------

REPORT_BACKS_MAX = 200


class ReportBackFilter(Strict):
    """Whose report-backs: one network, or every network of an IROJ region."""

    network_id = fields.UUID()
    region = String(validate=validate.OneOf(IROJ_REGIONS, error="Onbekende regio."))
    # Not strict: it also comes from a query string.
    limit = fields.Integer(
        load_default=50,
        validate=validate.Range(min=1, max=REPORT_BACKS_MAX, error="1 tot 200."),
    )


class SignalAnswerInput(Strict):
    # One bound for the form, the API and the event (contracts.reporting).
    answer = text(2000)
