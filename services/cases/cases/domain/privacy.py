"""Privacy rules: what an event may carry, when a closed case is anonymised, and what
anonymisation leaves.

Personal data of families stays in this service. Events carry a pseudonym (keyed hash per
network), age bands, a municipality code, the concern level, codes and dates; never a name,
a birth date, contact data or free text.
"""

import datetime as dt

DEFAULT_RETENTION_DAYS = 5 * 365
# A referral never sent holds a family's data without a case: gone after three months.
DEFAULT_DRAFT_RETENTION_DAYS = 90
# The account of who read which case outlives the case's own data (erasure keeps it), but
# not forever: the staff ids and purposes in it go after ten years.
DEFAULT_AUDIT_RETENTION_DAYS = 10 * 365
ANONYMISED = "[geanonimiseerd]"

# The only kinds of value an event of this service may hold, per field name; a test checks
# every published event against it.
EVENT_FIELDS = {
    "event_id",
    "event_type",
    "source",
    "version",
    "occurred_at",
    "network_id",
    "referral_id",
    "offer_id",
    "offer_ids",
    "entry_id",
    "trajectory_id",
    "family_pseudonym",
    "case_pseudonym",
    "age_bands",
    "municipality",
    "concern",
    "urgency",
    "source_sector",
    "received_on",
    "decision",
    "refer_to",
    "triaged_on",
    "added_on",
    "waiting_since",
    "contacted_on",
    "channel",
    "next_contact_due",
    "removed_on",
    "reason",
    "days_waited",
    "started_on",
    "days_to_start",
    "changed_on",
    "organisation_id",
    "version_number",
    "goals",
    "actions",
    "next_review_on",
    "updated_on",
    "outcome",
    "flow_to",
    "closed_on",
    "reopened",
    "reason_category",
    "flagged_on",
    "life_domains",
    "mandated_body",
    "raised_on",
    # Whether a crisis alert follows a referral (a flag), and the referrer to be told of what
    # became of it: the person id of a professional, no family data.
    "crisis_alert",
    "referrer_id",
}


def retention_due(closed_on: dt.date, retention_days: int, today: dt.date) -> bool:
    return (today - closed_on).days >= retention_days


def anonymised_household(household: dict) -> dict:
    """What stays of a household: how many carers and children, nothing that names them."""
    return {
        "carers": [{"name": ANONYMISED} for _ in household.get("carers", [])],
        "children": [{"first_name": ANONYMISED} for _ in household.get("children", [])],
    }
