"""Cases (dossiers): referral drafts, triage, the warm waiting list, trajectories, the one
plan, bottleneck cases and the privacy requests (cases service).

Every view is a thin call to the cases RPC with the actor. Input is checked here with the
cases service's own payload schemas (422 naming the field, before any RPC); the coarse role
check follows the cases README's access table, and the service checks again against the
case itself (404 for a case outside the caller's networks, 403 for a case not theirs).
Answers with a contract in verband_common are loaded with it (a broken one shows as 502);
the free-form ones (the whole case, the export) are passed on as the service gives them.
"""

from flask import jsonify, request
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import INCLUDE, Schema, fields, validate

from verband_common.errors import ValidationFailed
from verband_common.roles import (
    CASE_AUDITORS,
    CASE_COORDINATORS,
    CASE_WORKERS,
    PRIVACY_HANDLERS,
    REFERRERS,
    WAITING_LIST_READERS,
)
from verband_common.rpc import validated
from verband_common.schemas import cases as c
from verband_common.schemas.common import MAX_OFFSET, Strict, String, Whole
from verband_gateway import auth, call, spreadsheets

blp = Blueprint(
    "cases",
    __name__,
    url_prefix="/api",
    description=(
        "Dossiers: concepten, triage, de warme wachtlijst, trajecten, het ene plan, "
        "knelpuntdossiers en privacyverzoeken."
    ),
)


def case_reads(view):
    """Document what the service answers about a case, an entry or a trajectory that the
    caller may not see: 404 outside their networks, 403 inside."""
    for status, name in ((403, "FORBIDDEN"), (404, "NOT_FOUND")):
        view = blp.alt_response(status, name)(view)
    return view


def case_answers(view):
    """As `case_reads`, and 409 for a change the case's state does not allow (any more)."""
    return blp.alt_response(409, "CONFLICT")(case_reads(view))


def passed_on(result, status: int = 200):
    """A free-form answer, as the service gave it (the schema of @blp.response documents)."""
    response = jsonify(result)
    response.status_code = status
    return response


# --- gateway-only schemas: query strings, bodies without a service schema, documentation ---


class DraftUpdate(c.DraftInput):
    network_id = fields.UUID(required=True)


class NoBody(Strict):
    """Nothing to send: the action is in the path."""


class WaitingListInput(Strict):
    offer_id = fields.UUID(required=True)


PURPOSE = String(
    validate=validate.Length(min=1, max=300, error="Geef tussen 1 en 300 tekens."),
    metadata={"description": "Waarom je dit leest; komt in het toegangslogboek."},
)


class PurposeQuery(Strict):
    purpose = PURPOSE


class WaitingListQuery(Strict):
    """`Paging` of the cases schemas, as a query string (numbers arrive as text there)."""

    limit = fields.Integer(
        load_default=50, validate=validate.Range(min=1, max=500, error="1 tot 500.")
    )
    offset = fields.Integer(
        load_default=0,
        validate=validate.Range(min=0, max=MAX_OFFSET, error="Tussen {min} en {max}."),
    )
    purpose = PURPOSE


class PlanQuery(Strict):
    version = fields.Integer(validate=validate.Range(min=1, error="Minstens 1."))


class _Open(Schema):
    """Documents an answer's main fields; the answer itself may hold more."""

    class Meta:
        unknown = INCLUDE


class Draft(_Open):
    id = fields.UUID(required=True)
    network_id = fields.UUID(required=True)
    payload = fields.Dict(required=True)
    updated_at = fields.AwareDateTime(required=True)


class Consultation(_Open):
    id = fields.UUID(required=True)
    network_id = fields.UUID(required=True)
    municipality = String(required=True)
    concern = String(required=True)
    age_bands = fields.List(String())
    life_domains = fields.List(String())


class ReferrerFollowUp(c.FollowUp):
    """The cases service's FollowUp (named apart from the agreements' follow-ups)."""


class Case(_Open):
    case_id = fields.UUID(required=True)
    network_id = fields.UUID(required=True)
    status = String(required=True)
    received_at = fields.AwareDateTime(required=True)
    household = fields.Dict()
    contact = fields.Dict()
    question = String()
    triage = fields.Dict(allow_none=True)
    clock = Whole(c.PickupClock)
    waiting = fields.List(fields.Dict())
    warm_contacts = fields.List(fields.Dict())
    bridging = fields.List(fields.Dict())
    trajectories = fields.List(fields.Dict())
    plan = fields.Dict(allow_none=True)
    bottlenecks = fields.List(fields.Dict())
    legal_hold = fields.Boolean()
    anonymised = fields.Boolean()


class Export(Case):
    plan_versions = fields.List(fields.Dict())
    access_log = fields.List(fields.Dict())


class WaitingListAdded(_Open):
    case_id = fields.UUID(required=True)
    offer_id = fields.UUID(required=True)


class WarmContact(_Open):
    id = fields.UUID(required=True)
    entry_id = fields.UUID(required=True)
    contact_on = fields.Date(required=True)
    channel = String(required=True)
    note = String()
    next_contact_due = fields.Date(required=True)


class Removal(_Open):
    entry_id = fields.UUID(required=True)
    status = String(required=True)
    reason = String(required=True)


class OverdueContact(_Open):
    entry_id = fields.UUID(required=True)
    referral_id = fields.UUID(required=True)
    family_name = String(allow_none=True)
    offer_id = fields.UUID(required=True)
    offer_title = String()
    next_contact_due = fields.Date(required=True)
    days_overdue = fields.Integer(required=True)


class PickupClocks(_Open):
    warning = fields.List(fields.Dict(), required=True)
    escalated = fields.List(fields.Dict(), required=True)


class Bridging(_Open):
    id = fields.UUID(required=True)
    kind = String(required=True)
    organisation_id = fields.UUID(allow_none=True)
    starts_on = fields.Date(required=True)
    note = String()


class Bottleneck(_Open):
    id = fields.UUID(required=True)
    reason_category = String(required=True)
    flagged_on = fields.Date(required=True)
    case_pseudonym = String(required=True)


class LegalHold(_Open):
    case_id = fields.UUID(required=True)
    legal_hold = fields.Boolean(required=True)


class Erasure(_Open):
    case_id = fields.UUID(required=True)
    erased = fields.Boolean(required=True)


def cases(method: str, *args, schema=None):
    return call("cases", method, *args, schema=schema)


# --- referrals being written, and consultations ---------------------------------------------


@blp.route("/networks/<uuid:network_id>/referral-drafts")
class ReferralDrafts(MethodView):
    @auth.requires(*REFERRERS)
    @blp.arguments(c.DraftInput)
    @blp.response(201, Draft)
    def post(self, data, network_id):
        """Save a referral being written; it is only checked when it is submitted."""
        return passed_on(cases("save_referral_draft", str(network_id), data["payload"]), 201)

    @auth.requires(*REFERRERS)
    @blp.response(200, Draft(many=True))
    def get(self, network_id):
        """The caller's own drafts in the network, newest first."""
        return passed_on(cases("list_referral_drafts", str(network_id)))


@blp.route("/referral-drafts/<uuid:draft_id>")
class ReferralDraft(MethodView):
    @auth.requires(*REFERRERS)
    @case_answers
    @blp.arguments(DraftUpdate)
    @blp.response(200, Draft)
    def put(self, data, draft_id):
        """Save a newer version of one's own draft."""
        return passed_on(
            cases("save_referral_draft", str(data["network_id"]), data["payload"], str(draft_id))
        )


@blp.route("/referral-drafts/<uuid:draft_id>/submit")
class ReferralDraftSubmission(MethodView):
    @auth.requires(*REFERRERS)
    @case_answers
    @blp.arguments(NoBody, required=False, description="Leeg: het concept wordt ingediend.")
    @blp.response(201, c.ReferralReceipt)
    def post(self, _body, draft_id):
        """Submit a draft as a referral: checked as one; on success the draft is gone."""
        return cases("submit_referral_draft", str(draft_id), schema=c.ReferralReceipt())


@blp.route("/networks/<uuid:network_id>/consultations")
class Consultations(MethodView):
    @auth.requires(*REFERRERS)
    @blp.arguments(c.ConsultationInput)
    @blp.response(201, Consultation)
    def post(self, data, network_id):
        """Register an anonymous consultation: no names, birth dates or contact data, so it
        needs no consent."""
        return passed_on(
            cases("register_consultation", str(network_id), c.ConsultationInput().dump(data)),
            201,
        )


# --- reading cases --------------------------------------------------------------------------


@blp.route("/networks/<uuid:network_id>/cases")
class NetworkCases(MethodView):
    # Oversight (IROJ) and the secretariat see no family's case, not even an empty list.
    @auth.requires(*REFERRERS)
    @blp.arguments(c.CaseFilters, location="query")
    @blp.response(200, c.CaseSummary(many=True))
    def get(self, filters, network_id):
        """The network's cases the caller may see: all of them for the coordinator, else
        those the caller or their organisation is involved in."""
        return cases(
            "list_cases",
            str(network_id),
            c.CaseFilters().dump(filters),
            schema=c.CaseSummary(many=True),
        )


@blp.route("/cases/<uuid:case_id>")
class CaseById(MethodView):
    @auth.requires()
    @case_reads
    @blp.arguments(PurposeQuery, location="query")
    @blp.response(200, Case)
    def get(self, query, case_id):
        """The whole case (coordinator, contact point, workers of an organisation involved).
        Every read is written to the access log, with its purpose if given."""
        return passed_on(cases("get_case", str(case_id), query.get("purpose")))


@blp.route("/cases/<uuid:case_id>/follow-up")
class CaseFollowUp(MethodView):
    @auth.requires()
    @case_reads
    @blp.response(200, ReferrerFollowUp)
    def get(self, case_id):
        """The referrer's view: who starts which help, and when; no notes, no plan."""
        return cases("follow_up", str(case_id), schema=ReferrerFollowUp())


# --- triage and the warm waiting list -------------------------------------------------------


@blp.route("/cases/<uuid:case_id>/triage")
class CaseTriage(MethodView):
    @auth.requires(*CASE_COORDINATORS)
    @case_answers
    @blp.arguments(c.TriageInput)
    @blp.response(200, c.TriageResult)
    def post(self, data, case_id):
        """Decide on a referral (the coordinator, also for a table's decision): onto
        waiting lists, start now, refer on or decline; always with a reason."""
        return cases(
            "triage_referral",
            str(case_id),
            c.TriageInput().dump(data),
            schema=c.TriageResult(),
        )


@blp.route("/cases/<uuid:case_id>/answers")
class CaseAnswers(MethodView):
    @auth.requires(*CASE_WORKERS)
    @case_answers
    @blp.arguments(c.ReferralAnswerInput)
    @blp.response(201, c.ReferralAnswered)
    def post(self, data, case_id):
        """The organisation of the offer accepts the family (`starts_on` required, not
        before the referral, at most a year ahead) or declines it (`reason` required). The
        referrer sees the answer in the follow-up; a decline that leaves nothing under way
        sends the case back to the coordinator (status `returned`). 409 when this offer was
        answered already."""
        return cases(
            "answer_referral",
            str(case_id),
            c.ReferralAnswerInput().dump(data),
            schema=c.ReferralAnswered(),
        )


@blp.route("/cases/<uuid:case_id>/waiting-list")
class CaseWaitingList(MethodView):
    @auth.requires(*CASE_COORDINATORS)
    @case_answers
    @blp.arguments(WaitingListInput)
    @blp.response(201, WaitingListAdded)
    def post(self, data, case_id):
        """Put an already triaged family on one more offer's waiting list."""
        return passed_on(cases("add_to_waiting_list", str(case_id), str(data["offer_id"])), 201)


@blp.route("/offers/<uuid:offer_id>/waiting-list")
class OfferWaitingList(MethodView):
    @auth.requires(*WAITING_LIST_READERS)
    @case_reads
    @blp.arguments(WaitingListQuery, location="query")
    @blp.response(200, c.WaitingListPage)
    def get(self, query, offer_id):
        """One page of the offer's warm waiting list in priority order: each family with why
        it has this place, its clocks and the other lists it is on (the coordinator, and
        the workers of the offer's provider)."""
        return cases(
            "waiting_list",
            str(offer_id),
            query["limit"],
            query["offset"],
            query.get("purpose"),
            schema=c.WaitingListPage(),
        )


class ImportQuery(Strict):
    dry_run = fields.Boolean(
        load_default=True,
        metadata={"description": "true (standaard): alleen controleren; false: importeren."},
    )
    consent_confirmed = fields.Boolean(
        load_default=False,
        metadata={
            "description": "Verplicht bij importeren: de coördinator bevestigt dat elk gezin"
            " toestemming gaf om zijn gegevens met de partners van het netwerk te delen."
        },
    )


class ImportRows(c.WaitingListImportInput):
    """The rows as JSON; whether it is a dry run is in the query string."""

    class Meta:
        exclude = ("dry_run", "consent_confirmed")


class ImportRefused(Schema):
    """A 422: the usual error body; when the rows were read and checked, also their report
    (a missing file or a bad query parameter is refused before there is one)."""

    error = fields.Dict(required=True)
    report = fields.Nested(c.WaitingListImportReport)


# Either body: the spreadsheet as the coordinator saved it, or its rows already read.
IMPORT_BODY = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "properties": {"file": {"type": "string", "format": "binary"}},
                "required": ["file"],
            }
        },
        "application/json": {
            "schema": {
                "type": "object",
                "properties": {
                    "rows": {
                        "type": "array",
                        "maxItems": c.MAX_IMPORT_ROWS,
                        "items": {
                            "type": "object",
                            "properties": {k: {"type": "string"} for k in c.IMPORT_COLUMNS},
                        },
                    }
                },
                "required": ["rows"],
            }
        },
    },
}


def import_rows() -> list:
    """The rows of the request: an uploaded spreadsheet (form field `file`) or JSON."""
    upload = request.files.get(spreadsheets.FIELD)
    if upload is not None:
        return spreadsheets.with_nis_codes(
            spreadsheets.read_waiting_list(upload.read(spreadsheets.MAX_FILE_BYTES + 1)),
            lambda: call("partners", "list_municipalities"),
        )
    if request.files or request.form:
        raise ValidationFailed(
            "Stuur het bestand in het veld ‘file’.", {spreadsheets.FIELD: ["Geef een bestand."]}
        )
    return validated(ImportRows(), request.get_json(silent=True))["rows"]


def import_answer(report: dict):
    """200 for a dry run, 201 for an import; a refused import is 422 with the same report
    and every problem as a field error (`rows.<line>.<column>`)."""
    if report["dry_run"]:
        return passed_on(report)
    if report["problems"]:
        refused = ValidationFailed(
            "Niets geïmporteerd: verbeter eerst elke rij van het verslag.",
            {f"rows.{p['line']}.{p['column']}": [p["reason"]] for p in report["problems"]},
        )
        return passed_on({**refused.to_body(), "report": report}, 422)
    return passed_on(report, 201)


@blp.route("/networks/<uuid:network_id>/offers/<uuid:offer_id>/waiting-list/import")
class WaitingListImport(MethodView):
    @auth.requires(*CASE_COORDINATORS)
    @case_reads
    @blp.arguments(ImportQuery, location="query")
    @blp.response(200, c.WaitingListImportReport)
    @blp.alt_response(201, schema=c.WaitingListImportReport, description="Geïmporteerd.")
    @blp.alt_response(422, schema=ImportRefused, description="Geweigerd: niets geïmporteerd.")
    @blp.doc(requestBody=IMPORT_BODY)
    def post(self, query, network_id, offer_id):
        """Take over the offer's waiting list from a spreadsheet (multipart `file`: CSV in
        UTF-8 with `;` or `,`, or XLSX) or JSON `rows`. A dry run (the default) reports every
        bad row with its line and column; `dry_run=false` imports all rows or none, each
        family keeping the date it was referred."""
        rows = import_rows()
        report = cases(
            "import_waiting_list",
            str(network_id),
            str(offer_id),
            rows,
            query["dry_run"],
            query["consent_confirmed"],
            schema=c.WaitingListImportReport(),
        )
        return import_answer(c.WaitingListImportReport().dump(report))


@blp.route("/waiting-list-import-template.csv")
class WaitingListImportTemplate(MethodView):
    @auth.requires(*CASE_COORDINATORS)
    @blp.response(200, description="De kolomnamen, gescheiden door puntkomma's.")
    def get(self):
        """The spreadsheet template of a waiting list to import: its column names."""
        return spreadsheets.template_response()


@blp.route("/waiting-list-entries/<uuid:entry_id>/priority")
class EntryPriority(MethodView):
    @auth.requires()
    @case_answers
    @blp.response(200, c.Priority)
    def get(self, entry_id):
        """Why this family has this place on this list: every factor, weight and points."""
        return cases("explain_priority", str(entry_id), schema=c.Priority())


@blp.route("/waiting-list-entries/<uuid:entry_id>/warm-contacts")
class EntryWarmContacts(MethodView):
    @auth.requires()
    @case_answers
    @blp.arguments(c.WarmContactInput)
    @blp.response(201, WarmContact)
    def post(self, data, entry_id):
        """Log a warm contact with a waiting family; answers when the next one is due."""
        return passed_on(
            cases("log_warm_contact", str(entry_id), c.WarmContactInput().dump(data)), 201
        )


@blp.route("/waiting-list-entries/<uuid:entry_id>/removal")
class EntryRemoval(MethodView):
    @auth.requires()
    @case_answers
    @blp.arguments(c.RemovalInput)
    @blp.response(200, Removal)
    def post(self, data, entry_id):
        """Take a family off a waiting list, always with a reason."""
        return passed_on(
            cases("remove_from_waiting_list", str(entry_id), c.RemovalInput().dump(data))
        )


@blp.route("/networks/<uuid:network_id>/warm-contacts/overdue")
class OverdueContacts(MethodView):
    @auth.requires(*WAITING_LIST_READERS)
    @blp.response(200, OverdueContact(many=True))
    def get(self, network_id):
        """Waiting families whose next warm contact is past due (the coordinator: all; a
        worker: those on their organisation's lists)."""
        return passed_on(cases("overdue_contacts", str(network_id)))


@blp.route("/networks/<uuid:network_id>/pickup-clocks")
class PickupClockList(MethodView):
    @auth.requires(*CASE_COORDINATORS)
    @blp.response(200, PickupClocks)
    def get(self, network_id):
        """Referrals not yet picked up: near the one-month guideline, and past it."""
        return passed_on(cases("pickup_clocks", str(network_id)))


@blp.route("/cases/<uuid:case_id>/bridging")
class CaseBridging(MethodView):
    @auth.requires()
    @case_answers
    @blp.arguments(c.BridgingInput)
    @blp.response(201, Bridging)
    def post(self, data, case_id):
        """Record bridging support for a waiting family."""
        return passed_on(cases("record_bridging", str(case_id), c.BridgingInput().dump(data)), 201)


# --- trajectories ---------------------------------------------------------------------------


@blp.route("/cases/<uuid:case_id>/trajectories")
class CaseTrajectories(MethodView):
    @auth.requires()
    @case_answers
    @blp.arguments(c.TrajectoryInput)
    @blp.response(201, c.Trajectory)
    def post(self, data, case_id):
        """Start the family's trajectory with its one contact point (case manager)."""
        return cases(
            "start_trajectory",
            str(case_id),
            c.TrajectoryInput().dump(data),
            schema=c.Trajectory(),
        )


def _trajectory_change(method: str, schema_class, doc: str):
    """A POST on /trajectories/<id>/...: the body checked with `schema_class`, passed on."""

    @auth.requires()
    @case_answers
    @blp.arguments(schema_class)
    @blp.response(200, c.Trajectory)
    def post(self, data, trajectory_id):
        return cases(method, str(trajectory_id), schema_class().dump(data), schema=c.Trajectory())

    post.__doc__ = doc
    return post


@blp.route("/trajectories/<uuid:trajectory_id>/contact-point")
class TrajectoryContactPoint(MethodView):
    post = _trajectory_change(
        "change_contact_point",
        c.ContactPointInput,
        "Give the family another contact point, with a reason.",
    )


@blp.route("/trajectories/<uuid:trajectory_id>/status")
class TrajectoryStatus(MethodView):
    post = _trajectory_change(
        "set_trajectory_status",
        c.TrajectoryStatusInput,
        "Pause or resume a trajectory, with a reason.",
    )


@blp.route("/trajectories/<uuid:trajectory_id>/closure")
class TrajectoryClosure(MethodView):
    post = _trajectory_change(
        "close_trajectory",
        c.ClosingInput,
        "Close a trajectory with its outcome (and where the family flows to).",
    )


@blp.route("/trajectories/<uuid:trajectory_id>/reopening")
class TrajectoryReopening(MethodView):
    post = _trajectory_change(
        "reopen_trajectory", c.ReopeningInput, "Reopen a closed trajectory, with a reason."
    )


# --- the one plan ---------------------------------------------------------------------------


@blp.route("/cases/<uuid:case_id>/plan")
class CasePlan(MethodView):
    @auth.requires()
    @case_reads
    @blp.arguments(PlanQuery, location="query")
    @blp.response(200, c.PlanVersion)
    def get(self, query, case_id):
        """The family's one plan: the current version, or `?version=`."""
        return cases("get_plan", str(case_id), query.get("version"), schema=c.PlanVersion())

    @auth.requires()
    @case_answers
    @blp.arguments(c.PlanInput)
    @blp.response(200, c.PlanVersion)
    def put(self, data, case_id):
        """A new version of the plan; `based_on_version` is the version it was made on (409
        when someone else changed it since)."""
        return cases("update_plan", str(case_id), c.PlanInput().dump(data), schema=c.PlanVersion())


@blp.route("/cases/<uuid:case_id>/plan/action-status")
class CasePlanActionStatus(MethodView):
    @auth.requires()
    @case_answers
    @blp.arguments(c.PlanActionStatusInput)
    @blp.response(200, c.PlanVersion)
    def post(self, data, case_id):
        """One action of the plan becomes planned, running, done or dropped (the family's
        workers): a new version of the plan, so the history shows who changed it and when.
        `goal` and `action` count from 0; 409 when `based_on_version` is not the current."""
        return cases(
            "set_plan_action_status",
            str(case_id),
            c.PlanActionStatusInput().dump(data),
            schema=c.PlanVersion(),
        )


@blp.route("/cases/<uuid:case_id>/plan/history")
class CasePlanHistory(MethodView):
    @auth.requires()
    @case_reads
    @blp.response(200, c.PlanVersion(many=True))
    def get(self, case_id):
        """Every version of the plan: who changed what, and when."""
        return cases("plan_history", str(case_id), schema=c.PlanVersion(many=True))


# --- the case journal -----------------------------------------------------------------------


@blp.route("/cases/<uuid:case_id>/journal")
class CaseJournal(MethodView):
    @auth.requires()
    @case_reads
    @blp.arguments(PurposeQuery, location="query")
    @blp.response(200, c.JournalEntry(many=True))
    def get(self, query, case_id):
        """The case journal, newest contact first (the family's workers, as the case page).
        Every read is written to the access log, with its purpose if given."""
        return cases(
            "journal", str(case_id), query.get("purpose"), schema=c.JournalEntry(many=True)
        )

    @auth.requires()
    @case_answers
    @blp.arguments(c.JournalEntryInput)
    @blp.response(201, c.JournalEntry)
    def post(self, data, case_id):
        """Write a contact or note in the journal. A line is never changed: to correct one,
        write a new line with `corrects_id` naming it."""
        return cases(
            "add_journal_entry",
            str(case_id),
            c.JournalEntryInput().dump(data),
            schema=c.JournalEntry(),
        )


# --- one family, one record ------------------------------------------------------------------


@blp.route("/networks/<uuid:network_id>/family-search")
class FamilySearch(MethodView):
    @auth.requires(*CASE_COORDINATORS)
    @blp.arguments(c.FamilySearchInput)
    @blp.response(200, c.FamilyRecord(many=True))
    def post(self, data, network_id):
        """The coordinator finds a family's record by (part of) a name, a child's birth date
        or the municipality, always saying why: the access log keeps the purpose with every
        family the search returned. A POST, so that names stay out of addresses and logs."""
        return cases(
            "search_families",
            str(network_id),
            c.FamilySearchInput().dump(data),
            schema=c.FamilyRecord(many=True),
        )


@blp.route("/networks/<uuid:network_id>/likely-duplicates")
class LikelyDuplicates(MethodView):
    @auth.requires(*CASE_COORDINATORS)
    @blp.response(200, c.LikelyDuplicate(many=True))
    def get(self, network_id):
        """Records that are likely one family (a child with the same birth date and a similar
        first name), for the coordinator to check; the read is logged."""
        return cases("likely_duplicates", str(network_id), schema=c.LikelyDuplicate(many=True))


# --- bottleneck cases -----------------------------------------------------------------------


@blp.route("/cases/<uuid:case_id>/bottlenecks")
class CaseBottlenecks(MethodView):
    @auth.requires()
    @case_answers
    @blp.arguments(c.BottleneckInput)
    @blp.response(201, Bottleneck)
    def post(self, data, case_id):
        """Flag the case as a bottleneck case (knelpuntdossier) for the network's tables;
        they see it by its pseudonym only."""
        return passed_on(
            cases("flag_bottleneck", str(case_id), c.BottleneckInput().dump(data)), 201
        )


# --- privacy --------------------------------------------------------------------------------


@blp.route("/networks/<uuid:network_id>/audit-log")
class AuditLog(MethodView):
    @auth.requires(*CASE_AUDITORS)
    @blp.arguments(c.AuditFilters, location="query")
    @blp.response(200, c.AuditEntry(many=True))
    def get(self, filters, network_id):
        """The access log of the network's cases, newest first (the network admin)."""
        return cases(
            "search_audit_log",
            str(network_id),
            c.AuditFilters().dump(filters),
            schema=c.AuditEntry(many=True),
        )


@blp.route("/cases/<uuid:case_id>/legal-hold")
class CaseLegalHold(MethodView):
    @auth.requires(*PRIVACY_HANDLERS)
    @case_answers
    @blp.arguments(c.LegalHoldInput)
    @blp.response(200, LegalHold)
    def post(self, data, case_id):
        """Put the family's data under a legal hold (or lift it): no erasure or retention."""
        return passed_on(cases("set_legal_hold", str(case_id), c.LegalHoldInput().dump(data)))


@blp.route("/cases/<uuid:case_id>/export")
class CaseExport(MethodView):
    @auth.requires(*PRIVACY_HANDLERS)
    @case_reads
    @blp.response(200, Export)
    def get(self, case_id):
        """Everything held about the family (an access request), with its access log."""
        return passed_on(cases("export_family", str(case_id)))


@blp.route("/cases/<uuid:case_id>/erasure")
class CaseErasure(MethodView):
    @auth.requires(*PRIVACY_HANDLERS)
    @case_answers
    @blp.arguments(c.ErasureInput)
    @blp.response(200, Erasure)
    def post(self, data, case_id):
        """Erase the family's personal data (an erasure request), unless under legal hold."""
        return passed_on(cases("erase_family", str(case_id), c.ErasureInput().dump(data)))
