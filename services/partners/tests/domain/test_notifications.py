"""Who is told what of a cases event, and when a notice is mailed at once."""

import datetime as dt
import uuid

from hypothesis import given
from hypothesis import strategies as st

from partners.domain import notifications as rules
from verband_common.labels import NOTIFICATION_KIND_LABELS
from verband_common.notifications import MAIL_PREFERENCES, NOTIFICATION_KINDS, URGENT_KINDS

FACTS = {"network_name": "RTJ De Tafels"}
REFERRAL = uuid.uuid4()
REFERRER = uuid.uuid4()
ORGANISATION = uuid.uuid4()


def told(event_type, facts=FACTS, **event):
    return rules.notices(event_type, {"referral_id": REFERRAL, **event}, facts)


def test_a_crisis_tells_the_coordinators_urgently_with_a_link_to_the_case():
    [notice] = told("crisis_alert_raised")
    assert notice.audience == rules.COORDINATORS
    assert notice.kind == "crisis_referral" and notice.urgent
    assert notice.title == "Nieuwe crisisaanmelding in RTJ De Tafels"
    assert notice.link == f"/dossiers/{REFERRAL}"


def test_a_new_referral_tells_the_coordinators_unless_its_crisis_alert_does():
    [notice] = told("referral_received", crisis_alert=False)
    assert notice.audience == rules.COORDINATORS and notice.kind == "new_referral"
    assert not notice.urgent
    # Older events lack the field: a new referral as before.
    assert [n.kind for n in told("referral_received")] == ["new_referral"]
    assert told("referral_received", crisis_alert=True) == []


def test_triage_start_and_answers_tell_the_referrer_and_a_decline_the_coordinators():
    [triaged] = told("referral_triaged", decision="refer_on", referrer_id=REFERRER)
    assert triaged.audience == ("person", str(REFERRER))
    assert triaged.body == "Beslissing: Doorverwijzen."
    [started] = told(
        "trajectory_started", started_on=dt.date(2026, 12, 3), reopened=False, referrer_id=REFERRER
    )
    assert started.kind == "help_started" and "03/12/2026" in started.body
    [accepted] = told(
        "referral_answered", answer="accepted", starts_on="2027-01-04", referrer_id=REFERRER
    )
    assert accepted.audience == ("person", str(REFERRER)) and "04/01/2027" in accepted.body
    declined = told("referral_answered", answer="declined", starts_on=None, referrer_id=REFERRER)
    assert [(n.audience, n.kind) for n in declined] == [
        (("person", str(REFERRER)), "referral_answered"),
        (rules.COORDINATORS, "referral_declined"),
    ]


def test_without_a_referrer_the_referrer_is_told_nothing():
    assert told("referral_triaged", decision="decline", referrer_id=None) == []
    assert told("trajectory_started", started_on="2026-12-03", reopened=True) == []
    assert [n.kind for n in told("referral_answered", answer="declined", starts_on=None)] == [
        "referral_declined"
    ]


def test_a_waiting_list_entry_tells_the_workers_of_the_offers_organisation():
    facts = {**FACTS, "offer_title": "Gezinscoaching", "organisation_id": ORGANISATION}
    [notice] = told("waiting_list_entry_added", facts=facts)
    assert notice.audience == ("workers", str(ORGANISATION))
    assert notice.title == "Nieuw op de wachtlijst van Gezinscoaching"
    # An offer partners does not know (yet): no one to tell.
    assert told("waiting_list_entry_added") == []


def test_events_that_tell_no_one():
    assert told("waiting_list_entry_removed") == []
    assert told("plan_updated") == []


@given(
    event_type=st.sampled_from(
        (
            "crisis_alert_raised",
            "referral_received",
            "referral_triaged",
            "trajectory_started",
            "referral_answered",
        )
    ),
    name=st.text(min_size=1, max_size=40),
)
def test_a_notice_never_carries_more_than_the_network_and_the_case_link(event_type, name):
    family = "Familie " + name
    event = {
        "family_pseudonym": family,  # were anything family-like ever in an event, not shown
        "decision": "waiting_list",
        "started_on": "2026-12-03",
        "reopened": False,
        "answer": "declined",
        "starts_on": None,
        "referrer_id": REFERRER,
    }
    for notice in told(event_type, **event):
        assert family not in notice.title + notice.body + notice.link
        assert notice.kind in NOTIFICATION_KINDS
        # The referrer follows her referral; the family's workers open the case.
        if notice.audience == ("person", str(REFERRER)):
            assert notice.link == f"/mijn-aanmeldingen#aanmelding-{REFERRAL}"
        else:
            assert notice.link == f"/dossiers/{REFERRAL}"


@given(kind=st.sampled_from(NOTIFICATION_KINDS), preference=st.sampled_from(MAIL_PREFERENCES))
def test_urgent_notices_are_always_mailed_at_once_the_others_by_preference(kind, preference):
    assert rules.mail_now(kind, preference) == (kind in URGENT_KINDS or preference == "immediately")


def test_no_preference_yet_means_mail_at_once():
    assert rules.mail_now("new_referral", None)


def test_every_kind_has_its_dutch_name():
    assert set(NOTIFICATION_KIND_LABELS) == set(NOTIFICATION_KINDS)


def test_a_mail_names_the_notice_and_links_into_the_portal():
    subject, body = rules.mail_text("Titel", "Zin.", "https://verband.example/", "/dossiers/x")
    assert subject == "[Verband] Titel"
    assert "https://verband.example/dossiers/x" in body and "Zin." in body


@given(kind=st.sampled_from(NOTIFICATION_KINDS), preference=st.sampled_from(MAIL_PREFERENCES))
def test_only_non_urgent_notices_of_a_daily_reader_wait_for_the_overview(kind, preference):
    waits = rules.in_digest(kind, preference)
    assert waits == (kind not in URGENT_KINDS and preference == "daily")
    # A notice is mailed at once, or waits for the overview, or (off) is not mailed: never two.
    assert not (waits and rules.mail_now(kind, preference))


def test_the_daily_overview_lists_each_notice_with_its_link():
    subject, body = rules.digest_text(
        [
            {"title": "Nieuwe aanmelding in RTJ De Tafels", "link": "/dossiers/a"},
            {"title": "Aanmelding teruggewezen in RTJ De Tafels", "link": "/dossiers/b"},
        ],
        "https://verband.example",
    )
    assert subject == "[Verband] Overzicht: 2 meldingen"
    assert "- Nieuwe aanmelding in RTJ De Tafels: https://verband.example/dossiers/a" in body
    assert body.index("/dossiers/a") < body.index("/dossiers/b")
    assert "https://verband.example/meldingen" in body


# -- notices that time passing raises (issue 14) ----------------------------------------------


def test_a_warm_contact_due_tells_the_workers_of_the_offers_organisation():
    facts = {**FACTS, "offer_title": "Gezinscoaching", "organisation_id": ORGANISATION}
    [near] = told("warm_contact_due", facts, due_on="2026-12-05", stage="nearing")
    assert near.audience == ("workers", str(ORGANISATION)) and near.kind == "warm_contact_due"
    assert near.title == "Warm contact nodig: Gezinscoaching"
    assert "05/12/2026" in near.body and near.link == f"/dossiers/{REFERRAL}"
    [late] = told("warm_contact_due", facts, due_on="2026-12-01", stage="passed")
    assert late.title == "Warm contact te laat: Gezinscoaching"
    # An offer the directory does not know (any more): no one to tell.
    assert told("warm_contact_due", due_on="2026-12-01", stage="passed") == []


def test_the_one_month_guideline_tells_the_coordinators_nearing_and_passed():
    [near] = told(
        "pickup_guideline_due", received_on="2026-11-05", due_on="2026-12-05", stage="nearing"
    )
    assert near.audience == rules.COORDINATORS and near.kind == "pickup_guideline_due"
    assert near.title == "Aanmelding nadert de termijn van een maand in RTJ De Tafels"
    assert "05/11/2026" in near.body and "05/12/2026" in near.body
    [late] = told(
        "pickup_guideline_due", received_on="2026-11-01", due_on="2026-12-01", stage="passed"
    )
    assert late.title == "Aanmelding over de termijn van een maand in RTJ De Tafels"
    assert "knelpuntdossier" in late.body


def test_a_plan_action_due_tells_the_workers_of_the_responsible_partner():
    [near] = told(
        "plan_action_due", organisation_id=ORGANISATION, due_on="2026-12-04", stage="nearing"
    )
    assert near.audience == ("workers", str(ORGANISATION)) and near.kind == "plan_action_due"
    [late] = told(
        "plan_action_due", organisation_id=ORGANISATION, due_on="2026-12-01", stage="passed"
    )
    assert late.title == "Actie uit een gezinsplan over tijd" and "01/12/2026" in late.body


def test_a_bottleneck_decision_tells_the_contact_point_or_without_one_the_coordinators():
    person = uuid.uuid4()
    [notice] = told(
        "bottleneck_decision_reached",
        contact_point_id=person,
        outcome="adopted",
        taken_on="2026-12-02",
    )
    assert notice.audience == ("person", str(person)) and notice.kind == "bottleneck_decision"
    assert "aanspreekpunt bent" in notice.body and "aangenomen" in notice.body
    [nobody] = told(
        "bottleneck_decision_reached", contact_point_id=None, outcome="rejected", taken_on=None
    )
    assert nobody.audience == rules.COORDINATORS and "verworpen" in nobody.body


def test_no_timed_notice_names_a_family():
    facts = {**FACTS, "offer_title": "Gezinscoaching", "organisation_id": ORGANISATION}
    events = [
        ("warm_contact_due", {"due_on": "2026-12-01", "stage": "passed"}),
        ("pickup_guideline_due", {"received_on": "2026-11-01", "due_on": "2026-12-01"}),
        ("plan_action_due", {"organisation_id": ORGANISATION, "due_on": "2026-12-01"}),
        ("bottleneck_decision_reached", {"contact_point_id": None, "outcome": "adopted"}),
    ]
    for event_type, event in events:
        for notice in told(event_type, facts, **event):
            assert notice.kind in NOTIFICATION_KINDS and notice.kind in NOTIFICATION_KIND_LABELS
            assert "Peeters" not in notice.body + notice.title
