"""What a person can be told and how: the kinds of notification and the mail preferences,
shared by partners (who keeps the inbox) and the gateway (which shows and sets them).
Their Dutch names are in `verband_common.labels`."""

# Every kind of notification, in the order of the priorities.
NOTIFICATION_KINDS = (
    "crisis_referral",
    "new_referral",
    "referral_triaged",
    "help_started",
    "referral_answered",
    "referral_declined",
    "waiting_list_added",
    # Raised by time passing rather than by someone acting (issue 14).
    "warm_contact_due",
    "pickup_guideline_due",
    "plan_action_due",
    "bottleneck_decision",
)
# Told at once, inbox and mail, whatever the person's preference: the coordinator acts at
# once on an urgent and dangerous situation (the agreements with the crisis point).
URGENT_KINDS = frozenset({"crisis_referral"})

# How a person wants mail of the other kinds: each at once, gathered once a day, or none (the
# inbox keeps every notification whatever the choice).
MAIL_PREFERENCES = ("immediately", "daily", "off")
DEFAULT_MAIL_PREFERENCE = "immediately"

# The most a person's inbox page or API answer holds at once.
MAX_PAGE = 100
# The most ids one "mark as read" names.
MAX_MARKED = 200
