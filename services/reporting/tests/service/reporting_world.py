"""Events as partners, cases and meetings publish them, for reporting's service tests: a
network with a coordinator and an IROJ viewer, and one small quarter of history whose every
indicator is worked out by hand (see `hand_computed_q1`)."""

import datetime as dt
import uuid

from verband_servicekit import role_version, wait_until

from verband_common.contracts import new_event

Q1 = {"kind": "quarter", "start": "2026-01-01"}
T0 = dt.datetime(2026, 1, 1, 8, 0, tzinfo=dt.UTC)


def pseudonym() -> str:
    return uuid.uuid4().hex


class World:
    """Builds events; `send` publishes them and waits until reporting logged them all."""

    def __init__(self, verband, reporting):
        self.verband = verband
        self.reporting = reporting
        self.sent = 0
        self.clock = T0

    def at(self) -> dt.datetime:
        self.clock += dt.timedelta(seconds=1)
        return self.clock

    def event(self, source, event_type, network_id, payload, version=1, occurred_at=None):
        return new_event(
            source,
            event_type,
            network_id,
            payload,
            version=version,
            occurred_at=occurred_at or self.at(),
        )

    def send(self, *events) -> None:
        for event in events:
            self.verband.publish(event["source"], event)
        self.sent += len(events)
        wait_until(
            lambda: self.verband.count(self.reporting.db_url, "event_log") >= self.sent,
            timeout=30,
            what=f"{self.sent} events logged by reporting",
        )

    # partners

    def network(self, region="Limburg", name="RTJ Noord-Limburg", interval=14, target=200):
        network_id = uuid.uuid4()
        targets = (
            [
                {
                    "code": "family_guidances",
                    "label": "Bijkomende begeleidingen",
                    "value": target,
                    "period": "year",
                }
            ]
            if target
            else []
        )
        return network_id, [
            self.event(
                "partners",
                "network_created",
                network_id,
                {"name": name, "kind": "RTJ", "region": region},
            ),
            self.event(
                "partners",
                "network_settings_changed",
                network_id,
                {
                    "municipalities": ["71016", "71072"],
                    "waiting_weights": {},
                    "warm_contact_interval_days": interval,
                    "pickup_guideline_days": 30,
                    "targets": targets,
                },
            ),
        ]

    def role(self, network_id, role, person_id=None, name="Greet Coördinator", granted=True):
        person_id = person_id or uuid.uuid4()
        if granted:
            return person_id, self.event(
                "partners",
                "role_granted",
                network_id,
                {
                    "person_id": str(person_id),
                    "role": role,
                    "organisation_id": None,
                    "person_name": name,
                    "person_email": "greet@verband.test",
                    "role_version": role_version(),
                },
            )
        return person_id, self.event(
            "partners",
            "role_revoked",
            network_id,
            {"person_id": str(person_id), "role": role, "role_version": role_version()},
        )

    def offer(self, network_id, kind="family_coaching"):
        offer_id = uuid.uuid4()
        return offer_id, self.event(
            "partners",
            "offer_published",
            network_id,
            {
                "offer_id": str(offer_id),
                "title": "Gezinscoaching",
                "kind": kind,
                "capacity": 10,
                "free_places": 2,
                "municipalities": ["71016"],
                "status": "active",
                "warm_waiting_list": True,
            },
        )

    def agreement(self, network_id, kind="mandated_body", agreed=10):
        return self.event(
            "partners",
            "agreement_recorded",
            network_id,
            {
                "agreement_id": str(uuid.uuid4()),
                "kind": kind,
                "organisation_ids": [str(uuid.uuid4())],
                "starts_on": "2026-01-01",
                "ends_on": "2026-12-31",
                "agreed_number": agreed,
                "status": "active",
            },
        )

    # cases

    def referral(
        self,
        network_id,
        offer_id,
        received_on,
        sector="ocmw",
        nis="71016",
        concern="some",
        referral_id=None,
    ):
        referral_id = referral_id or uuid.uuid4()
        return referral_id, self.event(
            "cases",
            "referral_received",
            network_id,
            {
                "referral_id": str(referral_id),
                "offer_id": str(offer_id) if offer_id else None,
                "family_pseudonym": pseudonym(),
                "age_bands": ["6-11"],
                "municipality": nis,
                "concern": concern,
                "source_sector": sector,
                "received_on": received_on,
            },
        )

    def triage(self, network_id, referral_id, received_on, triaged_on, offers=1):
        return self.event(
            "cases",
            "referral_triaged",
            network_id,
            {
                "family_pseudonym": pseudonym(),
                "referral_id": str(referral_id),
                "decision": "waiting_list",
                "refer_to": None,
                "offer_ids": [str(uuid.uuid4()) for _ in range(offers)],
                "concern": "some",
                "urgency": "normal",
                "received_on": received_on,
                "triaged_on": triaged_on,
            },
        )

    def waiting(self, network_id, offer_id, added_on, since, nis="71016", concern="some"):
        entry_id = uuid.uuid4()
        return entry_id, self.event(
            "cases",
            "waiting_list_entry_added",
            network_id,
            {
                "family_pseudonym": pseudonym(),
                "entry_id": str(entry_id),
                "referral_id": str(uuid.uuid4()),
                "offer_id": str(offer_id),
                "age_bands": ["0-2"],
                "municipality": nis,
                "concern": concern,
                "waiting_since": since,
                "added_on": added_on,
            },
        )

    def contact(self, network_id, entry_id, offer_id, on, due):
        return self.event(
            "cases",
            "warm_contact_logged",
            network_id,
            {
                "family_pseudonym": pseudonym(),
                "entry_id": str(entry_id),
                "offer_id": str(offer_id),
                "contacted_on": on,
                "channel": "phone",
                "next_contact_due": due,
            },
        )

    def removed(self, network_id, entry_id, offer_id, on, days=0):
        return self.event(
            "cases",
            "waiting_list_entry_removed",
            network_id,
            {
                "family_pseudonym": pseudonym(),
                "entry_id": str(entry_id),
                "offer_id": str(offer_id),
                "reason": "started_here",
                "removed_on": on,
                "days_waited": days,
            },
        )

    def started(self, network_id, offer_id, on, trajectory_id=None, reopened=False):
        trajectory_id = trajectory_id or uuid.uuid4()
        return trajectory_id, self.event(
            "cases",
            "trajectory_started",
            network_id,
            {
                "family_pseudonym": pseudonym(),
                "trajectory_id": str(trajectory_id),
                "referral_id": str(uuid.uuid4()),
                "offer_id": str(offer_id),
                "organisation_id": None,
                "started_on": on,
                "days_to_start": 3,
                "reopened": reopened,
            },
        )

    def closed(self, network_id, trajectory_id, started_on, on, outcome="goals_reached"):
        return self.event(
            "cases",
            "trajectory_closed",
            network_id,
            {
                "family_pseudonym": pseudonym(),
                "trajectory_id": str(trajectory_id),
                "outcome": outcome,
                "flow_to": None,
                "started_on": started_on,
                "closed_on": on,
            },
        )

    def bottleneck(self, network_id, on, reason="no_capacity"):
        return self.event(
            "cases",
            "bottleneck_flagged",
            network_id,
            {"case_pseudonym": pseudonym(), "reason_category": reason, "flagged_on": on},
        )

    # meetings

    def scheduled(self, network_id, body_id, meeting_id, on, status="scheduled"):
        starts = dt.datetime.fromisoformat(on + "T14:00:00+01:00")
        return self.event(
            "meetings",
            "meeting_scheduled",
            network_id,
            {
                "meeting_id": str(meeting_id),
                "body_id": str(body_id),
                "body_kind": "kernteam",
                "starts_at": starts.isoformat(),
                "ends_at": (starts + dt.timedelta(hours=2)).isoformat(),
                "status": status,
            },
        )

    def held(self, network_id, body_id, meeting_id, on):
        return self.event(
            "meetings",
            "meeting_held",
            network_id,
            {
                "meeting_id": str(meeting_id),
                "body_id": str(body_id),
                "body_kind": "kernteam",
                "held_on": on,
                "present": 6,
                "excused": 1,
                "absent": 0,
                "quorum_reached": True,
                "iroj_reporter_person_id": None,
            },
        )

    def minutes(self, network_id, body_id, meeting_id, in_meeting_id, on):
        return self.event(
            "meetings",
            "minutes_approved",
            network_id,
            {
                "meeting_id": str(meeting_id),
                "body_id": str(body_id),
                "body_kind": "kernteam",
                "approved_in_meeting_id": str(in_meeting_id),
                "approved_on": on,
                "amendments": 0,
            },
        )

    def decision(self, network_id, body_id, meeting_id, on, case=True, outcome="adopted"):
        return self.event(
            "meetings",
            "decision_taken",
            network_id,
            {
                "meeting_id": str(meeting_id),
                "body_id": str(body_id),
                "body_kind": "kernteam",
                "decision_id": str(uuid.uuid4()),
                "item_id": str(uuid.uuid4()),
                "method": "consensus",
                "outcome": outcome,
                "text": "De kernteamleden zoeken samen een plaats.",
                "objections": 0,
                "votes_for": None,
                "votes_against": None,
                "abstentions": None,
                "case_pseudonym": pseudonym() if case else None,
                "taken_on": on,
            },
        )

    def action(self, network_id, body_id, meeting_id, due, done=None):
        action_id = uuid.uuid4()
        events = [
            self.event(
                "meetings",
                "action_assigned",
                network_id,
                {
                    "meeting_id": str(meeting_id),
                    "body_id": str(body_id),
                    "body_kind": "kernteam",
                    "action_id": str(action_id),
                    "owner_person_id": str(uuid.uuid4()),
                    "due_on": due,
                },
            )
        ]
        if done:
            events.append(
                self.event(
                    "meetings",
                    "action_done",
                    network_id,
                    {"action_id": str(action_id), "body_id": str(body_id), "done_on": done},
                )
            )
        return events

    def signal(self, network_id, body_id, meeting_id, on, title, kind="pain_point"):
        return self.event(
            "meetings",
            "signal_raised",
            network_id,
            {
                "meeting_id": str(meeting_id),
                "body_id": str(body_id),
                "body_kind": "kernteam",
                "signal_id": str(uuid.uuid4()),
                "kind": kind,
                "title": title,
                "description": "Gezinnen wachten langer dan drie maanden op gezinscoaching.",
                "raised_on": on,
            },
        )


def hand_computed_q1(w: World, network_id) -> list[dict]:
    """One quarter (Q1 2026) of a network's history, with events just outside it on both
    sides. The expected figures are in EXPECTED_Q1; the reasoning is beside each event."""
    n = network_id
    events = []
    offer_id, e = w.offer(n)
    events.append(e)
    events.append(w.agreement(n, "mandated_body", 10))
    # Referrals: 31 Dec and 1 Apr fall outside; 1 Jan and 31 Mar inside.
    r0, e = w.referral(n, offer_id, "2025-12-31", "ocmw", "71016", "some")
    events.append(e)
    r1, e = w.referral(n, offer_id, "2026-01-01", "ocmw", "71016", "serious")
    events.append(e)
    r2, e = w.referral(n, offer_id, "2026-01-31", "mandated_body", "71016", "some")
    events.append(e)
    r3, e = w.referral(n, offer_id, "2026-02-15", "clb", "71072", "none")
    events.append(e)
    r4, e = w.referral(n, offer_id, "2026-03-31", "mandated_body", "71072", "serious")
    events.append(e)
    _, e = w.referral(n, offer_id, "2026-04-01", "ocmw", "71016", "some")
    events.append(e)
    # First answers in Q1: r0 (20 days; its within-a-month counts for December), r1 on
    # 1 Feb (31 days: still within the calendar month), r2 on 1 Mar (29 days, but after
    # 28 Feb: late), r3 after 5 days (its second triage does not count); r4 unanswered.
    events += [
        w.triage(n, r0, "2025-12-31", "2026-01-20"),
        w.triage(n, r1, "2026-01-01", "2026-02-01", offers=2),
        w.triage(n, r2, "2026-01-31", "2026-03-01"),
        w.triage(n, r3, "2026-02-15", "2026-02-20"),
        w.triage(n, r3, "2026-02-15", "2026-03-10", offers=3),
    ]
    # Waiting list on 31 March: e1 left that day, e5 joins after; e2, e3, e4 wait.
    e1, e = w.waiting(n, offer_id, "2026-01-05", "2026-01-01", concern="serious")
    events += [e, w.removed(n, e1, offer_id, "2026-03-31", 85)]
    e2, e = w.waiting(n, offer_id, "2026-02-01", "2026-01-31")
    events += [
        e,
        w.contact(n, e2, offer_id, "2026-02-10", "2026-02-24"),
        w.contact(n, e2, offer_id, "2026-03-20", "2026-04-03"),
    ]
    _, e = w.waiting(n, offer_id, "2026-03-01", "2026-02-15")  # no contact for 30 days
    events.append(e)
    _, e = w.waiting(n, offer_id, "2026-03-25", "2026-03-25", nis="71072")  # 6 days
    events.append(e)
    _, e = w.waiting(n, offer_id, "2026-04-02", "2026-04-01")
    events.append(e)
    # Trajectories: t1 runs 10 Jan - 31 Mar (closed that day), t2 starts on 31 Mar,
    # t3 started last year and runs on, t4 starts in April; t1 reopens in April.
    t1, e = w.started(n, offer_id, "2026-01-10")
    events += [e, w.closed(n, t1, "2026-01-10", "2026-03-31", "goals_reached")]
    _, e = w.started(n, offer_id, "2026-03-31")
    events.append(e)
    _, e = w.started(n, offer_id, "2025-11-01")
    events.append(e)
    _, e = w.started(n, offer_id, "2026-04-01")
    events.append(e)
    _, e = w.started(n, offer_id, "2026-04-15", trajectory_id=t1, reopened=True)
    events.append(e)
    events += [
        w.bottleneck(n, "2026-02-02", "no_capacity"),
        w.bottleneck(n, "2026-03-31", "waiting_too_long"),
        w.bottleneck(n, "2026-04-01", "no_capacity"),
    ]
    # Meetings of one kernteam: m3 was cancelled, m4 planned but not held.
    body = uuid.uuid4()
    m = {i: uuid.uuid4() for i in range(1, 7)}
    days = {
        1: "2026-01-14",
        2: "2026-01-28",
        3: "2026-02-11",
        4: "2026-02-25",
        5: "2026-03-11",
        6: "2026-03-25",
    }
    for i, day in days.items():
        events.append(w.scheduled(n, body, m[i], day))
    events.append(w.scheduled(n, body, m[3], "2026-02-11", status="cancelled"))
    for i in (1, 2, 5, 6):
        events.append(w.held(n, body, m[i], days[i]))
    # Minutes: m1's approved at m2 (on time); m2's at m6, not at m5 (late); m5's not yet
    # (due at m6); m6 has no next meeting in Q1, so its minutes are not due.
    events += [
        w.minutes(n, body, m[1], m[2], "2026-01-28"),
        w.minutes(n, body, m[2], m[6], "2026-03-25"),
    ]
    events += [
        w.decision(n, body, m[5], "2026-03-11"),
        w.decision(n, body, m[5], "2026-03-11", case=False),
        w.decision(n, body, m[5], "2026-03-11", outcome="rejected"),
    ]
    events += w.action(n, body, m[1], "2026-03-01")
    events += w.action(n, body, m[1], "2026-03-01", done="2026-03-15")
    events += w.action(n, body, m[5], "2026-03-30", done="2026-04-05")
    events += w.action(n, body, m[5], "2026-03-31")
    events += [
        w.signal(n, body, m[6], "2026-03-31", "Wachttijd gezinscoaching te lang"),
        w.signal(n, body, m[6], "2026-04-01", "Na het kwartaal"),
    ]
    return events


# (value, numerator, denominator) per indicator for Q1 2026, threshold 1.
EXPECTED_Q1 = {
    "referrals": (4, 4, None),
    "answered_within_month": (0.5, 2, 4),
    "days_to_first_answer_median": (24.5, None, 4),
    "days_to_first_answer_p90": (31, None, 4),
    "waiting_list_size": (3, 3, None),
    "waiting_days_median": (44, None, 3),
    "waiting_days_p90": (59, None, 3),
    "waiting_days_longest": (59, None, 3),
    "warm_contacts_on_time": (2 / 3, 2, 3),
    "trajectories_started": (2, 2, None),
    "trajectories_active": (2, 2, None),
    "trajectories_closed": (1, 1, None),
    "family_guidances": (2, 2, 200),
    "multiproblem_share": (0.25, 1, 4),
    "concern_share": (0.5, 2, 4),
    "bottlenecks_raised": (2, 2, None),
    "bottlenecks_resolved": (1, 1, None),
    "agreements_used": (0.2, 2, 10),
    "meetings_held": (0.8, 4, 5),
    "minutes_on_time": (1 / 3, 1, 3),
    "actions_overdue": (2, 2, None),
    "signals_raised": (1, 1, None),
}
