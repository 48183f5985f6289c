"""Payloads of the cases service: a referral (aanmelding) of a family, its triage, the warm
waiting list, the trajectory and the one plan, bottleneck cases, privacy requests."""

import datetime as dt

from marshmallow import (
    ValidationError,
    fields,
    pre_load,
    validate,
    validates,
    validates_schema,
)

from verband_common.contracts.cases import (
    AGE_BANDS,
    BOTTLENECK_REASONS,
    CHOSEN_REMOVAL_REASONS,
    CLOSING_OUTCOMES,
    CONCERN_LEVELS,
    FLOW_TO,
    PLAN_ACTION_STATUSES,
    REFER_TO,
    REFERRAL_ANSWERS,
    SOURCE_SECTORS,
    TRIAGE_DECISIONS,
    URGENCIES,
)
from verband_common.labels import labels_of
from verband_common.schemas.common import (
    MAX_OFFSET,
    NIS_CODE,
    Email,
    Strict,
    String,
    Whole,
    choice_message,
    not_in_future,
    text,
)

# A plan is read by a family and its workers: this many goals, actions per goal, review dates.
MAX_PLAN_ITEMS = 50
# How far ahead a receiving organisation can promise a start.
MAX_START_AHEAD_DAYS = 365

# Youth care in Flanders runs up to the 25th birthday.
YOUTH_CARE_MAX_AGE = 24

SHARING = ("network_partners", "referrer_follow_up", "mandated_body")
# Life domains of a multiproblem situation; each one under pressure adds to the priority.
LIFE_DOMAINS = (
    "housing",
    "income",
    "health",
    "mental_health",
    "parenting",
    "school",
    "work",
    "social_network",
    "safety",
    "addiction",
    "justice",
    "administration",
)
CONTACT_CHANNELS = ("phone", "home_visit", "visit", "video", "mail", "message", "meeting")
BRIDGING_KINDS = ("flanking_offer", "consultation", "group_offer", "first_line_psychology", "other")


def one_of(choices):
    return validate.OneOf(choices, error=choice_message(choices))


def reason(max_length: int = 2000, message: str = "Geef altijd een reden.") -> String:
    return String(
        required=True,
        multiline=True,
        validate=validate.Length(min=1, max=max_length, error=message),
        error_messages={"required": message, "null": message},
    )


def youth_care_age(value: dt.date) -> None:
    not_in_future(value)
    today = dt.date.today()
    age = today.year - value.year - ((today.month, today.day) < (value.month, value.day))
    if age > YOUTH_CARE_MAX_AGE:
        raise ValidationError(
            f"Dit kind is ouder dan {YOUTH_CARE_MAX_AGE} jaar: buiten de jeugdhulp."
        )


class Carer(Strict):
    name = text(200)


class Child(Strict):
    first_name = text(100)
    birth_date = fields.Date(required=True, validate=youth_care_age)


class Household(Strict):
    carers = fields.List(
        Whole(Carer),
        required=True,
        validate=validate.Length(min=1, error="Geef minstens één opvoeder."),
    )
    children = fields.List(
        Whole(Child),
        required=True,
        validate=validate.Length(min=1, error="Geef minstens één kind."),
    )


class Consent(Strict):
    given_by = text(200)
    given_on = fields.Date(required=True, validate=not_in_future)
    sharing = fields.List(
        String(validate=one_of(SHARING)),
        required=True,
    )


class FamilyContact(Strict):
    phone = String(
        load_default=None,
        allow_none=True,
        validate=validate.Regexp(r"^\+?[0-9 ./()-]{6,20}$", error="Geef een telefoonnummer."),
    )
    email = Email(
        load_default=None, allow_none=True, error_messages={"invalid": "Geef een e-mailadres."}
    )
    address = String(
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=300, error="Hoogstens 300 tekens."),
    )


class ReferralInput(Strict):
    # None: "the network decides" which offer fits.
    offer_id = fields.UUID(required=True, allow_none=True)
    source_sector = String(required=True, validate=one_of(SOURCE_SECTORS))
    municipality = String(required=True, validate=NIS_CODE)
    concern = String(required=True, validate=one_of(CONCERN_LEVELS))
    question = text(4000)
    household = Whole(Household, required=True)
    # Without the family's consent only an anonymous consultation can be registered
    # (ConsultationInput), never a referral.
    consent = Whole(Consent, required=True)
    requested_offer_ids = fields.List(fields.UUID(), load_default=list)
    contact = Whole(FamilyContact, load_default=dict)
    mandated_body = fields.Boolean(load_default=False)
    life_domains = fields.List(String(validate=one_of(LIFE_DOMAINS)), load_default=list)
    urgency = String(load_default="normal", validate=one_of(URGENCIES))


class ReferralReceipt(Strict):
    referral_id = fields.UUID(required=True)
    network_id = fields.UUID(required=True)
    offer_id = fields.UUID(required=True, allow_none=True)
    status = String(required=True)
    received_at = fields.AwareDateTime(required=True)
    case_id = fields.UUID()
    urgency = String()
    # Set for an urgent and dangerous situation: the crisis-point agreements to follow.
    crisis_agreements = fields.List(fields.Dict())
    # True when the network knew a child of this family already: the referral joined that
    # family's record (its plan, contact point and history) instead of making a new one.
    attached_to_family = fields.Boolean()


class DraftInput(Strict):
    """A referral being written: anything goes, it is checked when it is submitted."""

    payload = fields.Dict(required=True)


class ConsultationInput(Strict):
    """An anonymous consultation: no names, birth dates or contact data, so no consent."""

    municipality = String(required=True, validate=NIS_CODE)
    concern = String(required=True, validate=one_of(CONCERN_LEVELS))
    age_bands = fields.List(String(validate=one_of(AGE_BANDS)), load_default=list)
    life_domains = fields.List(String(validate=one_of(LIFE_DOMAINS)), load_default=list)
    advice = text(4000)


class TriageInput(Strict):
    decision = String(required=True, validate=one_of(TRIAGE_DECISIONS))
    reason = reason(message="Geef altijd een reden voor de beslissing.")
    offer_ids = fields.List(fields.UUID(), load_default=list)
    offer_id = fields.UUID(load_default=None, allow_none=True)
    case_manager_id = fields.UUID(load_default=None, allow_none=True)
    refer_to = String(load_default=None, allow_none=True, validate=one_of(REFER_TO))
    refer_to_detail = String(
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=300, error="Hoogstens 300 tekens."),
    )
    # Needed only when a mandated body's referral is taken in beyond the network's volume
    # agreement with the mandated bodies (cases.domain.volume); then it is recorded.
    volume_override_reason = String(
        load_default=None,
        allow_none=True,
        multiline=True,
        validate=validate.Length(max=2000, error="Hoogstens 2000 tekens."),
    )


class MandatedVolume(Strict):
    """The places of the volume agreement with the mandated bodies (OCJ/SDJ) in force today:
    `used` of `agreed` in the agreement's period; `full` when none is left."""

    agreement_id = fields.UUID(required=True)
    agreed = fields.Integer(required=True, validate=validate.Range(min=0))
    used = fields.Integer(required=True, validate=validate.Range(min=0))
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True, allow_none=True)
    full = fields.Boolean(required=True)


class WarmContactInput(Strict):
    contact_on = fields.Date(required=True, validate=not_in_future)
    channel = String(required=True, validate=one_of(CONTACT_CHANNELS))
    note = String(
        load_default="",
        multiline=True,
        validate=validate.Length(max=4000, error="Hoogstens 4000 tekens."),
    )


class BridgingInput(Strict):
    kind = String(required=True, validate=one_of(BRIDGING_KINDS))
    organisation_id = fields.UUID(load_default=None, allow_none=True)
    starts_on = fields.Date(required=True)
    note = String(
        load_default="",
        multiline=True,
        validate=validate.Length(max=4000, error="Hoogstens 4000 tekens."),
    )


class RemovalInput(Strict):
    reason = String(
        required=True,
        validate=one_of(CHOSEN_REMOVAL_REASONS),
        error_messages={"required": "Geef altijd een reden om iemand van de wachtlijst te halen."},
    )
    note = String(
        load_default="",
        multiline=True,
        validate=validate.Length(max=2000, error="Hoogstens 2000 tekens."),
    )


class ReferralAnswerInput(Strict):
    """The receiving organisation accepts (with a start date) or declines (with a reason) a
    family referred to, or waiting for, one of its offers."""

    offer_id = fields.UUID(required=True)
    answer = String(required=True, validate=one_of(REFERRAL_ANSWERS))
    reason = String(
        load_default="",
        multiline=True,
        validate=validate.Length(max=2000, error="Hoogstens 2000 tekens."),
    )
    starts_on = fields.Date(load_default=None, allow_none=True)

    @validates_schema
    def answer_complete(self, data, **kwargs):
        errors = {}
        if data.get("answer") == "declined" and not (data.get("reason") or "").strip():
            errors["reason"] = ["Geef een reden waarom jullie het gezin niet opnemen."]
        if data.get("answer") == "accepted":
            starts_on = data.get("starts_on")
            if starts_on is None:
                errors["starts_on"] = ["Geef de datum waarop de hulp start."]
            elif starts_on > dt.date.today() + dt.timedelta(days=MAX_START_AHEAD_DAYS):
                errors["starts_on"] = ["Hoogstens een jaar vooruit."]
        if errors:
            raise ValidationError(errors)


class ReferralAnswer(Strict):
    offer_id = fields.UUID(required=True)
    offer_title = String(required=True)
    organisation = String(allow_none=True)
    answer = String(required=True)
    reason = String(required=True, multiline=True)
    starts_on = fields.Date(allow_none=True)
    answered_on = fields.Date(required=True)


class ReferralAnswered(Strict):
    case_id = fields.UUID(required=True)
    status = String(required=True)
    answer = Whole(ReferralAnswer, required=True)


class TrajectoryInput(Strict):
    case_manager_id = fields.UUID(required=True)
    offer_id = fields.UUID(load_default=None, allow_none=True)
    started_on = fields.Date(load_default=dt.date.today, validate=not_in_future)


class ContactPointInput(Strict):
    case_manager_id = fields.UUID(required=True)
    reason = reason()


class TrajectoryStatusInput(Strict):
    status = String(required=True, validate=one_of(("active", "paused")))
    reason = reason()


class ClosingInput(Strict):
    outcome = String(required=True, validate=one_of(CLOSING_OUTCOMES))
    flow_to = String(load_default=None, allow_none=True, validate=one_of(FLOW_TO))
    closed_on = fields.Date(load_default=dt.date.today, validate=not_in_future)
    note = String(
        load_default="",
        multiline=True,
        validate=validate.Length(max=4000, error="Hoogstens 4000 tekens."),
    )


class ReopeningInput(Strict):
    reason = reason()


class PlanAction(Strict):
    text = text(1000)
    responsible_organisation_id = fields.UUID(required=True)
    due_on = fields.Date(required=True)
    # Versions written before actions had a status read as "planned".
    status = String(load_default="planned", validate=one_of(PLAN_ACTION_STATUSES))


class PlanActionStatusInput(Strict):
    """One action's status changes; the rest of the plan stays as it is (a new version)."""

    goal = fields.Integer(
        required=True, strict=True, validate=validate.Range(min=0, max=MAX_PLAN_ITEMS - 1)
    )
    action = fields.Integer(
        required=True, strict=True, validate=validate.Range(min=0, max=MAX_PLAN_ITEMS - 1)
    )
    status = String(required=True, validate=one_of(PLAN_ACTION_STATUSES))
    based_on_version = fields.Integer(
        required=True, strict=True, validate=validate.Range(min=1, max=MAX_OFFSET)
    )


class PlanGoal(Strict):
    # In the family's own words.
    text = text(1000)
    actions = fields.List(
        Whole(PlanAction),
        load_default=list,
        validate=validate.Length(max=MAX_PLAN_ITEMS, error="Hoogstens {max} acties per doel."),
    )


class PlanInput(Strict):
    goals = fields.List(
        Whole(PlanGoal),
        required=True,
        validate=validate.Length(min=1, max=MAX_PLAN_ITEMS, error="Geef 1 tot {max} doelen."),
    )
    family_part = text(4000)
    review_dates = fields.List(
        fields.Date(),
        load_default=list,
        validate=validate.Length(max=MAX_PLAN_ITEMS, error="Hoogstens {max} data."),
    )
    # The version this change was made on; an older one means someone else changed it since.
    based_on_version = fields.Integer(
        load_default=0, strict=True, validate=validate.Range(min=0, max=MAX_OFFSET)
    )


class BottleneckInput(Strict):
    reason_category = String(required=True, validate=one_of(BOTTLENECK_REASONS))
    note = String(
        load_default="",
        multiline=True,
        validate=validate.Length(max=4000, error="Hoogstens 4000 tekens."),
    )


class LegalHoldInput(Strict):
    on = fields.Boolean(required=True)
    reason = reason()


class ErasureInput(Strict):
    reason = reason()


class AuditFilters(Strict):
    case_id = fields.UUID()
    actor = String(validate=validate.Length(max=80))
    action = String(validate=validate.Length(max=80))
    since = fields.Date()
    until = fields.Date()
    limit = fields.Integer(load_default=200, validate=validate.Range(min=1, max=1000))


# "returned": the receiving organisation declined and nothing else is under way, so the
# case is back with the coordinator.
CASE_STATUSES = (
    "received",
    "waiting",
    "started",
    "referred_on",
    "declined",
    "left_list",
    "closed",
    "returned",
)


class CaseFilters(Strict):
    status = String(validate=one_of(CASE_STATUSES))
    # Only the families the caller referred (the referrer's follow-up, also for a
    # coordinator who sees every case of the network).
    referred_by_me = fields.Boolean()


class Paging(Strict):
    limit = fields.Integer(
        strict=True, load_default=50, validate=validate.Range(min=1, max=500, error="1 tot 500.")
    )
    offset = fields.Integer(
        strict=True,
        load_default=0,
        validate=validate.Range(min=0, max=MAX_OFFSET, error="Tussen {min} en {max}."),
    )


# -- answers ----------------------------------------------------------------------------------
# What the cases RPCs return, so that the gateway documents the same shapes. Dates inside the
# free-form parts (`detail`, `plan`, history) are ISO strings already.


class PriorityPart(Strict):
    factor = String(required=True)
    value = fields.Float(required=True)
    weight = fields.Float(required=True)
    points = fields.Float(required=True)
    label = String(required=True)


class Priority(Strict):
    """Why this family has this place: every factor with its weight and points."""

    entry_id = fields.UUID()
    position = fields.Integer(allow_none=True)
    score = fields.Float(required=True)
    components = fields.List(Whole(PriorityPart), required=True)
    text = String(required=True)


class PickupClock(Strict):
    started_on = fields.Date(required=True)
    due_on = fields.Date(required=True)
    days = fields.Integer(required=True)
    state = String(required=True)  # running | warning | escalated | stopped
    stopped_on = fields.Date(allow_none=True)


class OfferPlaces(Strict):
    id = fields.UUID(required=True)
    title = String(required=True)
    capacity = fields.Integer(required=True)
    free_places = fields.Integer(required=True)
    status = String(required=True)
    can_start_from = fields.Date(allow_none=True)


class OtherList(Strict):
    offer_id = fields.UUID(required=True)
    offer_title = String(required=True)


class WaitingEntry(Strict):
    position = fields.Integer(required=True)
    entry_id = fields.UUID(required=True)
    case_id = fields.UUID(required=True)
    family_name = String(allow_none=True)
    municipality = String(required=True)
    age_bands = fields.List(String(), required=True)
    waiting_since = fields.Date(required=True)
    days_waiting = fields.Integer(required=True)
    concern = String(required=True)
    urgency = String(required=True)
    domains = fields.Integer(required=True)
    why = Whole(Priority, required=True)
    last_contact_on = fields.Date(allow_none=True)
    next_contact_due = fields.Date(required=True)
    contact_overdue = fields.Boolean(required=True)
    clock = Whole(PickupClock, required=True)
    also_waiting_on = fields.List(Whole(OtherList), required=True)


class WaitingListPage(Strict):
    offer = Whole(OfferPlaces, required=True)
    weights = fields.Dict(keys=String(), values=fields.Float(), required=True)
    total = fields.Integer(required=True)
    limit = fields.Integer(required=True)
    offset = fields.Integer(required=True)
    entries = fields.List(Whole(WaitingEntry), required=True)


class TriageResult(Strict):
    case_id = fields.UUID(required=True)
    status = String(required=True)
    triage = fields.Dict(required=True)
    crisis_agreements = fields.List(fields.Dict())
    # A mandated body's referral: the volume agreement's places after this decision.
    mandated_volume = fields.Nested(MandatedVolume, allow_none=True)


class Trajectory(Strict):
    id = fields.UUID(required=True)
    network_id = fields.UUID(required=True)
    referral_id = fields.UUID(required=True)
    offer_id = fields.UUID(allow_none=True)
    case_manager_id = fields.UUID(required=True)
    status = String(required=True)  # active | paused | closed
    started_on = fields.Date(required=True)
    closed_on = fields.Date(allow_none=True)
    outcome = String(allow_none=True)
    flow_to = String(allow_none=True)
    closing_note = String(allow_none=True)
    created_at = fields.AwareDateTime(required=True)


class PlanVersion(Strict):
    version = fields.Integer(required=True)
    plan = fields.Dict(required=True)
    changes = fields.List(fields.Dict(), required=True)
    author_id = fields.UUID(required=True)
    created_at = fields.AwareDateTime(required=True)


class AuditEntry(Strict):
    id = fields.Integer(required=True)
    network_id = fields.UUID(required=True)
    case_id = fields.UUID(allow_none=True)
    actor = String(required=True)
    action = String(required=True)
    purpose = String(required=True)
    detail = fields.Dict(required=True)
    at = fields.AwareDateTime(required=True)


class CaseSummary(Strict):
    id = fields.UUID(required=True)
    status = String(required=True)
    concern = String(required=True)
    urgency = String(required=True)
    received_at = fields.AwareDateTime(required=True)
    age_bands = fields.List(String(), required=True)
    municipality = String(required=True)
    family_name = String(allow_none=True)
    waiting_on = fields.Integer(required=True)
    # The latest decline by a receiving organisation, if any (the coordinator's list).
    declined_reason = String(allow_none=True, multiline=True)


class FollowUpOffer(Strict):
    offer_id = fields.UUID(required=True)
    offer_title = String(required=True)
    organisation = String(allow_none=True)
    waiting_since = fields.Date(required=True)
    can_start_from = fields.Date(allow_none=True)
    status = String(required=True)


class FollowUpHelp(Strict):
    offer_title = String(allow_none=True)
    organisation = String(allow_none=True)
    contact_point_organisation = String(allow_none=True)
    started_on = fields.Date(required=True)
    status = String(required=True)
    closed_on = fields.Date(allow_none=True)


class FollowUp(Strict):
    """The referrer's view: who starts which help and when; no notes, no plan."""

    case_id = fields.UUID(required=True)
    received_at = fields.AwareDateTime(required=True)
    status = String(required=True)
    decision = String(allow_none=True)
    refer_to = String(allow_none=True)
    waiting = fields.List(Whole(FollowUpOffer), required=True)
    help = fields.List(Whole(FollowUpHelp), required=True)
    # What the receiving organisations answered: accepted from when, or declined and why.
    answers = fields.List(Whole(ReferralAnswer), load_default=list)
    clock = Whole(PickupClock, required=True)


# --- importing a network's existing waiting list --------------------------------------------

# One offer's waiting list holds tens to a few hundred families. The bound keeps one import
# inside one RPC's time: each family is a referral and a triage (about 9 ms each on a busy
# two-core machine), and the gateway waits 10 seconds for an answer. A longer list is
# imported in parts.
MAX_IMPORT_ROWS = 500
# A family referred longer ago than this is no longer "waiting" but lost: such a date is a
# typing mistake (a wrong year) far more often than a true referral.
MAX_REFERRAL_AGE_DAYS = 3 * 365
# The spreadsheet's columns, in order: payload key -> the column header the coordinator sees
# (the template's header, and the name every reason in the report gives).
IMPORT_COLUMNS = {
    "child_first_name": "voornaam kind",
    "family_name": "familienaam",
    "birth_date": "geboortedatum",
    "municipality": "gemeente",
    "referred_on": "aanmelddatum",
    "concern": "zorgen",
    "urgency": "urgentie",
    "life_domains": "levensdomeinen",
    "source_sector": "sector verwijzer",
    "referrer_organisation": "verwijzer",
    "note": "notitie",
}
REQUIRED_IMPORT_COLUMNS = (
    "child_first_name",
    "family_name",
    "birth_date",
    "municipality",
    "referred_on",
    "concern",
)


def referral_date(value: dt.date) -> None:
    not_in_future(value)
    if value < dt.date.today() - dt.timedelta(days=MAX_REFERRAL_AGE_DAYS):
        raise ValidationError(
            f"Deze aanmelding is meer dan {MAX_REFERRAL_AGE_DAYS // 365} jaar oud:"
            " kijk het jaar na."
        )


def _by_label(value, choices):
    """A spreadsheet holds what a person reads: a choice's Dutch label (any case) or its code."""
    if not isinstance(value, str):
        return value
    wanted = " ".join(value.split()).casefold()
    for code, label in labels_of(choices).items():
        if wanted in (code.casefold(), label.casefold()):
            return code
    return value


class WaitingListImportRow(Strict):
    """One family of a waiting list kept until now in a spreadsheet. `line`: the row's line
    in the spreadsheet (the header is line 1), so every reason can point at it."""

    line = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=2))
    child_first_name = text(100)
    family_name = text(200)
    birth_date = fields.Date(required=True, validate=youth_care_age)
    municipality = String(required=True, validate=NIS_CODE)
    referred_on = fields.Date(required=True, validate=referral_date)
    concern = String(required=True, validate=one_of(CONCERN_LEVELS))
    urgency = String(load_default="normal", validate=one_of(URGENCIES))
    life_domains = fields.List(String(validate=one_of(LIFE_DOMAINS)), load_default=list)
    # Who referred the family, when the list kept it; the coordinator's own list otherwise.
    source_sector = String(load_default="coordinator", validate=one_of(SOURCE_SECTORS))
    referrer_organisation = text(200, required=False, load_default=None, allow_none=True)
    # Becomes the referral's question (4000 characters), after who referred the family.
    note = text(3500, required=False, load_default=None, allow_none=True)

    @pre_load
    def read_as_written(self, data, **kwargs):
        if not isinstance(data, dict):
            return data
        data = dict(data)
        # An empty cell is a missing value, not an empty text.
        for key, value in list(data.items()):
            if value is None or (isinstance(value, str) and not value.strip()):
                if key in REQUIRED_IMPORT_COLUMNS:
                    data[key] = None
                else:
                    del data[key]
        for key, choices in (
            ("concern", CONCERN_LEVELS),
            ("urgency", URGENCIES),
            ("source_sector", SOURCE_SECTORS),
        ):
            if key in data:
                data[key] = _by_label(data[key], choices)
        domains = data.get("life_domains")
        if isinstance(domains, str):
            # One cell: the domains separated by commas, semicolons or slashes.
            parts = domains.replace(";", ",").replace("/", ",").split(",")
            data["life_domains"] = [_by_label(p, LIFE_DOMAINS) for p in parts if p.strip()]
        elif isinstance(domains, list):
            data["life_domains"] = [_by_label(p, LIFE_DOMAINS) for p in domains]
        return data


class WaitingListImportInput(Strict):
    rows = fields.List(
        fields.Dict(),
        required=True,
        validate=validate.Length(
            min=1,
            max=MAX_IMPORT_ROWS,
            error=f"Geef tussen 1 en {MAX_IMPORT_ROWS} gezinnen.",
        ),
    )
    dry_run = fields.Boolean(load_default=True)
    # A referral carries the family's consent to share with the network's partners; a list
    # kept elsewhere does not, so the coordinator attests it for every family before a real
    # import, and the audit log names who did.
    consent_confirmed = fields.Boolean(load_default=False)


CONSENT_NOT_CONFIRMED = (
    "Bevestig dat elk gezin op deze lijst toestemming gaf om zijn gegevens met de partners"
    " van het netwerk te delen."
)


class ImportProblem(Strict):
    line = fields.Integer(required=True)
    column = String(required=True)
    reason = String(required=True)


class WaitingListImportReport(Strict):
    dry_run = fields.Boolean(required=True)
    offer_id = fields.UUID(required=True)
    rows = fields.Integer(required=True)
    good_rows = fields.Integer(required=True)
    bad_rows = fields.Integer(required=True)
    problems = fields.List(fields.Nested(ImportProblem), required=True)
    imported = fields.Integer(required=True)
    case_ids = fields.List(fields.UUID(), required=True)


# --- the case journal -----------------------------------------------------------------------

JOURNAL_KINDS = ("phone_call", "home_visit", "meeting", "message", "note")
# A contact is written down soon after it happened; older than this is a typing error.
MAX_JOURNAL_AGE_DAYS = 366
# A clock of the writer's device that runs a little ahead is no contact in the future.
JOURNAL_CLOCK_SLACK = dt.timedelta(minutes=5)
MAX_JOURNAL_TEXT = 4000


def journal_moment(value: dt.datetime) -> None:
    now = dt.datetime.now(dt.UTC)
    if value > now + JOURNAL_CLOCK_SLACK:
        raise ValidationError("Dit moment ligt in de toekomst.")
    if value < now - dt.timedelta(days=MAX_JOURNAL_AGE_DAYS):
        raise ValidationError("Dit moment ligt meer dan een jaar terug.")


class JournalEntryInput(Strict):
    """One line of the case journal. A line is never changed: a correction is a new line
    that names the one it corrects (`corrects_id`), and both stay readable."""

    occurred_at = fields.AwareDateTime(
        required=True,
        validate=journal_moment,
        error_messages={
            "required": "Geef datum en uur van het contact.",
            "invalid": "Geef een geldige datum en een uur (UU:MM).",
            "invalid_awareness": "Geef ook de tijdzone, bv. +01:00.",
        },
    )
    kind = String(required=True, validate=one_of(JOURNAL_KINDS))
    text = text(MAX_JOURNAL_TEXT, multiline=True)
    corrects_id = fields.UUID(load_default=None, allow_none=True)


class JournalEntry(Strict):
    id = fields.UUID(required=True)
    case_id = fields.UUID(required=True)
    occurred_at = fields.AwareDateTime(required=True)
    kind = String(required=True)
    text = String(required=True)
    corrects_id = fields.UUID(allow_none=True)
    # Set on a line that a later line corrects: the newest correction of it.
    corrected_by = fields.UUID(allow_none=True)
    author_id = fields.UUID(required=True)
    written_at = fields.AwareDateTime(required=True)


# --- one family, one record: search and likely duplicates (the coordinator) ----------------

MAX_FAMILY_RESULTS = 50


class FamilySearchInput(Strict):
    """At least one of name, birth date and municipality; always a purpose, which the access
    log records with the families the search returned."""

    name = String(
        load_default=None,
        validate=validate.Length(min=2, max=100, error="Geef 2 tot 100 tekens van een naam."),
    )
    birth_date = fields.Date(load_default=None, validate=youth_care_age)
    municipality = String(load_default=None, validate=NIS_CODE)
    purpose = String(
        required=True,
        validate=validate.Length(min=3, max=300, error="Geef tussen 3 en 300 tekens."),
        error_messages={"required": "Zeg waarom je zoekt: het komt in het toegangslogboek."},
    )

    @pre_load
    def _blank_is_absent(self, data, **_kwargs):
        # A form sends empty fields; an empty criterion is no criterion.
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if not (isinstance(v, str) and not v.strip())}
        return data

    @validates_schema
    def _one_criterion(self, data, **_kwargs):
        if not any(data.get(k) for k in ("name", "birth_date", "municipality")):
            raise ValidationError(
                "Zoek op een naam, een geboortedatum of een gemeente.", field_name="name"
            )


class FamilyChild(Strict):
    first_name = String(required=True)
    birth_date = fields.Date(required=True)


class FamilyRecord(Strict):
    family_id = fields.UUID(required=True)
    municipality = String(required=True)
    carers = fields.List(String(), required=True)
    children = fields.List(Whole(FamilyChild), required=True)
    case_ids = fields.List(fields.UUID(), required=True)


class LikelyDuplicate(Strict):
    """Two records with a child of the same birth date and a similar first name."""

    birth_date = fields.Date(required=True)
    names = fields.List(String(), required=True)
    records = fields.List(Whole(FamilyRecord), required=True)


# --- merging two records of one family (the coordinator) -------------------------------------

# open: proposed, undoable; confirmed: final; undone: everything went back.
FAMILY_MERGE_STATUSES = ("open", "confirmed", "undone")


class FamilyMergeInput(Strict):
    """Merge the record `merge_family_id` into `keep_family_id` (both of the network), with
    the reason the access log and the merge keep."""

    keep_family_id = fields.UUID(required=True)
    merge_family_id = fields.UUID(required=True)
    reason = reason(1000, "Zeg waarom dit hetzelfde gezin is (hoogstens 1000 tekens).")

    @validates("reason")
    def _said(self, value, **_kwargs):
        if not value.strip():
            raise ValidationError("Zeg waarom dit hetzelfde gezin is.")

    @validates_schema
    def _two_records(self, data, **_kwargs):
        if data.get("keep_family_id") and data.get("keep_family_id") == data.get("merge_family_id"):
            raise ValidationError(
                "Kies twee verschillende dossiers om samen te voegen.", field_name="merge_family_id"
            )


class FamilyMerge(Strict):
    id = fields.UUID(required=True)
    network_id = fields.UUID(required=True)
    keep_family_id = fields.UUID(required=True)
    merge_family_id = fields.UUID(required=True)
    reason = String(required=True, multiline=True)
    status = String(required=True, validate=validate.OneOf(FAMILY_MERGE_STATUSES))
    proposed_by = fields.UUID(required=True)
    proposed_at = fields.AwareDateTime(required=True)
    decided_by = fields.UUID(required=True, allow_none=True)
    decided_at = fields.AwareDateTime(required=True, allow_none=True)
    # The cases that moved from the merged record to the kept one.
    case_ids = fields.List(fields.UUID(), required=True)
    # Both records as the coordinator saw them (names and birth dates: for the coordinator).
    keep = Whole(FamilyRecord, required=True)
    merged = Whole(FamilyRecord, required=True)
