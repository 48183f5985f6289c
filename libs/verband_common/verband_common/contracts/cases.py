"""Events published by the cases service.

They leave the service, so they carry no name, address, birth date or free text about a
family: a pseudonym (keyed hash per network), age bands, a municipality code, the concern
level and dates. A test reads every published event and checks exactly that.
"""

from marshmallow import fields, validate

from verband_common.contracts.envelope import Envelope, contract

CONCERN_LEVELS = ("none", "some", "serious")
AGE_BANDS = ("0-2", "3-5", "6-11", "12-17", "18-24")
# Who referred: one of a fixed list, so the field can never carry free text.
SOURCE_SECTORS = (
    "ocmw",
    "huis_van_het_kind",
    "caw",
    "cgg",
    "clb",
    "kind_en_gezin",
    "ckg",
    "ota",
    "bjb",
    "mandated_body",
    "crisis_point",
    "first_line_psychology",
    "local_government",
    "partner",
    "coordinator",
    "other",
)


def mandated_referral(mandated_body: bool, source_sector: str) -> bool:
    """A referral that counts against the network's volume agreement with the mandated bodies
    (OCJ/SDJ): one flagged as involving them, or one they sent themselves."""
    return bool(mandated_body) or source_sector == "mandated_body"


@contract("cases", "referral_received")
class ReferralReceived(Envelope):
    referral_id = fields.UUID(required=True)
    offer_id = fields.UUID(required=True, allow_none=True)
    family_pseudonym = fields.String(required=True, validate=validate.Regexp(r"^[0-9a-f]{32}$"))
    age_bands = fields.List(fields.String(validate=validate.OneOf(AGE_BANDS)), required=True)
    municipality = fields.String(required=True, validate=validate.Regexp(r"^\d{5}$"))
    concern = fields.String(required=True, validate=validate.OneOf(CONCERN_LEVELS))
    source_sector = fields.String(required=True, validate=validate.OneOf(SOURCE_SECTORS))
    received_on = fields.Date(required=True)
    # Added later, optional (older events lack it): a crisis_alert_raised for this referral
    # follows, so whoever tells people of new referrals leaves this one to the crisis alert.
    crisis_alert = fields.Boolean(load_default=False)


# Why a case got stuck: a fixed list, so the event can never carry free text about a family.
BOTTLENECK_REASONS = (
    "no_suitable_offer",
    "waiting_too_long",
    "no_capacity",
    "cooperation_stuck",
    "family_unreachable",
    "mandated_body_access",
    "crisis",
    "other",
)


@contract("cases", "bottleneck_flagged")
class BottleneckFlagged(Envelope):
    """A case stuck (knelpuntdossier), to be discussed jointly: meetings puts it on the next
    agenda of the kernteam or a case table, by pseudonym only."""

    case_pseudonym = fields.String(required=True, validate=validate.Regexp(r"^[0-9a-f]{32}$"))
    reason_category = fields.String(required=True, validate=validate.OneOf(BOTTLENECK_REASONS))
    flagged_on = fields.Date(required=True)


# -- issue 4: triage, the warm waiting list, trajectories, the plan ---------------------------
# Every field below is an id, a pseudonym, a code from a fixed list, a count or a date.

PSEUDONYM = validate.Regexp(r"^[0-9a-f]{32}$")
URGENCIES = ("normal", "urgent", "urgent_dangerous")
TRIAGE_DECISIONS = ("waiting_list", "start_now", "refer_on", "decline")
REFER_TO = ("non_direct_access", "crisis_point", "other_service")
CONTACT_CHANNELS = ("phone", "home_visit", "visit", "video", "mail", "message", "meeting")
REMOVAL_REASONS = (
    "started_here",
    "started_elsewhere",
    "no_longer_needed",
    "unreachable",
    "moved_away",
    "referred_on",
    "declined_by_family",
    # The offer's organisation declined the family (closed loop).
    "declined_by_provider",
    "erased",
    "other",
)
# What a worker may give as the reason when taking a family off a list by hand; the others
# are the platform's own record of a decline by the offer's organisation (its answer) and of
# an erasure (art. 17), which no form may claim.
CHOSEN_REMOVAL_REASONS = tuple(
    r for r in REMOVAL_REASONS if r not in ("declined_by_provider", "erased")
)
# The receiving organisation's answer to a referral or a waiting-list entry (closed loop).
REFERRAL_ANSWERS = ("accepted", "declined")
# Where an action of the family's plan stands.
PLAN_ACTION_STATUSES = ("planned", "running", "done", "dropped")
CLOSING_OUTCOMES = ("goals_reached", "flow_through", "outflow", "dropped_out", "moved_away")
# Where a family flowed through to, when it did.
FLOW_TO = ("rtj", "nrtj", "mandated_body", "first_line", "other_network", "other")


class FamilyRef(Envelope):
    family_pseudonym = fields.String(required=True, validate=PSEUDONYM)


@contract("cases", "crisis_alert_raised")
class CrisisAlertRaised(FamilyRef):
    """An urgent and dangerous situation was referred: the coordinator acts at once, by the
    agreements with the crisis point."""

    referral_id = fields.UUID(required=True)
    municipality = fields.String(required=True, validate=validate.Regexp(r"^\d{5}$"))
    raised_on = fields.Date(required=True)


@contract("cases", "referral_triaged")
class ReferralTriaged(FamilyRef):
    referral_id = fields.UUID(required=True)
    decision = fields.String(required=True, validate=validate.OneOf(TRIAGE_DECISIONS))
    refer_to = fields.String(required=True, allow_none=True, validate=validate.OneOf(REFER_TO))
    offer_ids = fields.List(fields.UUID(), required=True)
    concern = fields.String(required=True, validate=validate.OneOf(CONCERN_LEVELS))
    urgency = fields.String(required=True, validate=validate.OneOf(URGENCIES))
    received_on = fields.Date(required=True)
    triaged_on = fields.Date(required=True)
    # Added later, optional (older events lack it): the person who made the referral, told of
    # what became of it. A person id of a professional, no family data.
    referrer_id = fields.UUID(load_default=None, allow_none=True)


@contract("cases", "waiting_list_entry_added")
class WaitingListEntryAdded(FamilyRef):
    entry_id = fields.UUID(required=True)
    referral_id = fields.UUID(required=True)
    offer_id = fields.UUID(required=True)
    age_bands = fields.List(fields.String(validate=validate.OneOf(AGE_BANDS)), required=True)
    municipality = fields.String(required=True, validate=validate.Regexp(r"^\d{5}$"))
    concern = fields.String(required=True, validate=validate.OneOf(CONCERN_LEVELS))
    waiting_since = fields.Date(required=True)
    added_on = fields.Date(required=True)


@contract("cases", "warm_contact_logged")
class WarmContactLogged(FamilyRef):
    entry_id = fields.UUID(required=True)
    offer_id = fields.UUID(required=True)
    contacted_on = fields.Date(required=True)
    channel = fields.String(required=True, validate=validate.OneOf(CONTACT_CHANNELS))
    next_contact_due = fields.Date(required=True)


@contract("cases", "waiting_list_entry_removed")
class WaitingListEntryRemoved(FamilyRef):
    entry_id = fields.UUID(required=True)
    offer_id = fields.UUID(required=True)
    reason = fields.String(required=True, validate=validate.OneOf(REMOVAL_REASONS))
    removed_on = fields.Date(required=True)
    days_waited = fields.Integer(required=True, validate=validate.Range(min=0))


@contract("cases", "trajectory_started")
class TrajectoryStarted(FamilyRef):
    trajectory_id = fields.UUID(required=True)
    referral_id = fields.UUID(required=True)
    offer_id = fields.UUID(required=True, allow_none=True)
    organisation_id = fields.UUID(required=True, allow_none=True)
    started_on = fields.Date(required=True)
    # From the referral to the start: the one-month guideline is monitored on this.
    days_to_start = fields.Integer(required=True, validate=validate.Range(min=0))
    reopened = fields.Boolean(required=True)
    # Added later, optional (older events lack it): the person who made the referral, told of
    # what became of it. A person id of a professional, no family data.
    referrer_id = fields.UUID(load_default=None, allow_none=True)


@contract("cases", "contact_point_changed")
class ContactPointChanged(FamilyRef):
    trajectory_id = fields.UUID(required=True)
    organisation_id = fields.UUID(required=True, allow_none=True)
    changed_on = fields.Date(required=True)


@contract("cases", "plan_updated")
class PlanUpdated(FamilyRef):
    referral_id = fields.UUID(required=True)
    version_number = fields.Integer(required=True, validate=validate.Range(min=1))
    goals = fields.Integer(required=True, validate=validate.Range(min=0))
    actions = fields.Integer(required=True, validate=validate.Range(min=0))
    next_review_on = fields.Date(required=True, allow_none=True)
    updated_on = fields.Date(required=True)


@contract("cases", "referral_answered")
class ReferralAnswered(FamilyRef):
    """The organisation of an offer accepted a family (with a start date) or declined it.
    The reason of a decline is free text and stays in the cases service."""

    referral_id = fields.UUID(required=True)
    offer_id = fields.UUID(required=True)
    organisation_id = fields.UUID(required=True, allow_none=True)
    answer = fields.String(required=True, validate=validate.OneOf(REFERRAL_ANSWERS))
    starts_on = fields.Date(required=True, allow_none=True)
    received_on = fields.Date(required=True)
    answered_on = fields.Date(required=True)
    # Added later, optional (older events lack it): the person who made the referral, told of
    # what became of it. A person id of a professional, no family data.
    referrer_id = fields.UUID(load_default=None, allow_none=True)


@contract("cases", "trajectory_closed")
class TrajectoryClosed(FamilyRef):
    trajectory_id = fields.UUID(required=True)
    outcome = fields.String(required=True, validate=validate.OneOf(CLOSING_OUTCOMES))
    flow_to = fields.String(required=True, allow_none=True, validate=validate.OneOf(FLOW_TO))
    started_on = fields.Date(required=True)
    closed_on = fields.Date(required=True)


# -- issue 14: notices that time passing raises (cases.domain.due) ----------------------------
# Raised by cases' hourly sweep, each once per thing, stage and due date. Ids, codes and dates
# only: whoever is told reads the case through the portal and its access rule.

DUE_STAGES = ("nearing", "passed")


@contract("cases", "warm_contact_due")
class WarmContactDue(Envelope):
    """A family on a warm waiting list is to be contacted again soon, or should have been."""

    entry_id = fields.UUID(required=True)
    referral_id = fields.UUID(required=True)
    offer_id = fields.UUID(required=True)
    organisation_id = fields.UUID(required=True, allow_none=True)
    due_on = fields.Date(required=True)
    stage = fields.String(required=True, validate=validate.OneOf(DUE_STAGES))


@contract("cases", "pickup_guideline_due")
class PickupGuidelineDue(Envelope):
    """A referral not yet picked up nears the one-month guideline, or has passed it."""

    referral_id = fields.UUID(required=True)
    received_on = fields.Date(required=True)
    due_on = fields.Date(required=True)
    stage = fields.String(required=True, validate=validate.OneOf(DUE_STAGES))


@contract("cases", "plan_action_due")
class PlanActionDue(Envelope):
    """An open action of a family's plan nears its due date, or has passed it."""

    referral_id = fields.UUID(required=True)
    organisation_id = fields.UUID(required=True)
    due_on = fields.Date(required=True)
    stage = fields.String(required=True, validate=validate.OneOf(DUE_STAGES))


@contract("cases", "bottleneck_decision_reached")
class BottleneckDecisionReached(Envelope):
    """A meeting decided on a bottleneck case: its contact point (a professional) is told.
    Cases names the person, since only cases knows who the contact point of a case is; the
    decision's words stay in the case. No contact point yet (help has not started): None, and
    the network's coordinators are told instead."""

    referral_id = fields.UUID(required=True)
    contact_point_id = fields.UUID(required=True, allow_none=True)
    decision_id = fields.UUID(required=True)
    outcome = fields.String(required=True, validate=validate.OneOf(("adopted", "rejected")))
    taken_on = fields.Date(required=True)
