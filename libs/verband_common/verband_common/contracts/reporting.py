"""Events published by the reporting service.

`report_published` carries a report the network published for IROJ, as IROJ reads it: the
indicators (small counts already suppressed), the network's signals, and the aggregates a
region roll-up sums (counts and day histograms over families, never a family). It is what
a region's cell sends to the IROJ hub (deploy/cells/README.md), and nothing in it names or
describes a family. The approver is named by body only.

`signal_answered` carries IROJ's answer to one signal a body raised, back to the meetings
service, which puts it on that body's next agenda. It names no person: IROJ answers as IROJ.
"""

from marshmallow import fields, validate

from verband_common.contracts.envelope import Envelope, contract
from verband_common.schemas.reporting import REPORT_PERIOD_KINDS, Indicators


@contract("reporting", "report_published")
class ReportPublished(Envelope):
    report_id = fields.UUID(required=True)
    network_name = fields.String(required=True, allow_none=True, validate=validate.Length(max=200))
    region = fields.String(required=True, allow_none=True, validate=validate.Length(max=100))
    period_kind = fields.String(required=True, validate=validate.OneOf(REPORT_PERIOD_KINDS))
    period_start = fields.Date(required=True)
    period_end = fields.Date(required=True)
    report_version = fields.Integer(required=True, validate=validate.Range(min=1))
    approved_by_body = fields.String(
        required=True, allow_none=True, validate=validate.Length(max=200)
    )
    approved_on = fields.Date(required=True, allow_none=True)
    published_at = fields.AwareDateTime(required=True)
    content = fields.Nested(Indicators, required=True)
    aggregates = fields.Dict(keys=fields.String(), required=True)


SIGNAL_ANSWER_MAX = 2000


@contract("reporting", "signal_answered")
class SignalAnswered(Envelope):
    signal_id = fields.UUID(required=True)
    meeting_id = fields.UUID(required=True)
    body_id = fields.UUID(required=True)
    signal_title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    answer = fields.String(required=True, validate=validate.Length(min=1, max=SIGNAL_ANSWER_MAX))
    answered_on = fields.Date(required=True)
