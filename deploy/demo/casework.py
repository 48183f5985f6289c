"""The living part of the demo: families at every stage and a governance body with its
meetings, made through the gateway's JSON API by the people whose work it is.

Per network, next to the families of the network's spec, ten invented families (clearly
fictitious names) are referred by the referrer and then taken further by the coordinator:
one still fresh, one nearing and one past the one-month guideline unanswered, two on the
warm waiting list (one whose warm contact is overdue), one on the list and discussed as a
bottleneck case, one each in an active, a paused and a closed trajectory with a plan of
two versions, and the referrer keeps one referral as a draft. The kernteam of the network
meets: a meeting held today with an agenda, a decision, actions and a signal for IROJ, its
minutes approved at the next meeting, and the coming meetings of its cadence with the first
agenda published.

A demo made in one afternoon has no past: everything happens today. `history` (demo only)
then moves each family's dates back by its stage's days in the cases database, so that the
clocks, waiting days and overdue contacts show what they would after months of use. The
reporting service keeps the days the events said (today).
"""

import datetime as dt
import time
import uuid

TODAY = dt.date.today()

# (stage, days ago the family was referred, concern, life domains)
STAGES = (
    ("referred", 3, "some", ["parenting"]),
    ("nearing_month", 25, "serious", ["parenting", "school"]),
    ("past_month", 38, "some", ["housing", "income"]),
    ("waiting", 12, "some", ["parenting"]),
    ("waiting_overdue", 45, "serious", ["parenting", "health", "housing"]),
    ("bottleneck", 70, "serious", ["safety", "parenting", "housing"]),
    ("active", 60, "some", ["parenting", "school"]),
    ("paused", 90, "some", ["health"]),
    ("closed", 160, "none", ["parenting"]),
)
# Invented families: the names say so.
FICTIVE = (
    ("Mila Zonnebloem", "Lena", 2018),
    ("Rik Regenboog", "Ward", 2015),
    ("Saar Klaproos", "Jules", 2012),
    ("Tijl Windmolen", "Nina", 2019),
    ("Bo Vlinderkruid", "Otis", 2016),
    ("Fien Eikenblad", "Lou", 2011),
    ("Stan Sterrenhemel", "Mira", 2014),
    ("Lien Duinroos", "Vic", 2017),
    ("Joris Appelbloesem", "Roos", 2013),
)
DRAFT_FAMILY = ("Ada Zeepbel", "Pim", 2020)
PICKUP_DAYS = {"referred", "nearing_month", "past_month"}
STARTED = {"active", "paused", "closed"}
WAITING = {"waiting", "waiting_overdue", "bottleneck"}


def fictive(name: str) -> str:
    return f"{name} (fictief)"


def stage_families(spec: dict, coaching_offer: str, municipality: str, sector: str) -> list:
    """The invented families of a network, one per stage, referred to its family coaching."""
    families = []
    for (stage, days, concern, domains), (carer, child, born) in zip(STAGES, FICTIVE, strict=True):
        families.append(
            {
                "offer": coaching_offer,
                "concern": concern,
                "municipality": municipality,
                "sector": sector,
                "question": f"Demogezin ({stage}): de ouder vraagt ondersteuning bij de opvoeding.",
                "children": [(child, f"{born}-03-15")],
                "carer": fictive(carer),
                "life_domains": domains,
                "stage": stage,
                "days_ago": days,
            }
        )
    return families


def accept(client, method, path, body=None, expect=(200, 201), retry_for=0.0):
    """A call that may, for a moment after a change elsewhere, be refused because a
    service has not yet learned of it from the events (404/422); retried that long."""
    deadline = time.monotonic() + retry_for
    while True:
        response = client.request(
            method, path, expect=(*expect, 403, 404, 409, 422), json=body, timeout=30
        )
        if response.status_code in expect:
            return response.json() if response.content else {}
        if time.monotonic() > deadline:
            # Once more, expecting only success: the client stops the run with the answer.
            response = client.request(method, path, expect=expect, json=body, timeout=30)
            return response.json() if response.content else {}
        time.sleep(0.5)


def casework(coordinator, referrer, network_id: str, created: list, ids: dict) -> list:
    """Take each newly referred invented family to its stage; returns (case id, days ago,
    closed after N days or None) for the history step."""
    history = []
    manager = ids["people"]["case_manager"]
    kern = ids["organisations"]["kern"]
    for family, receipt in created:
        stage = family.get("stage")
        if stage is None:
            continue
        case_id = receipt["case_id"]
        offer_id = receipt["offer_id"]
        history.append((case_id, family["days_ago"], 100 if stage == "closed" else None))
        if stage in PICKUP_DAYS:
            continue
        if stage in WAITING:
            accept(
                coordinator,
                "POST",
                f"/api/cases/{case_id}/triage",
                {
                    "decision": "waiting_list",
                    "reason": "Past bij gezinscoaching; geen vrije plaats.",
                    "offer_ids": [offer_id],
                },
                retry_for=30,
            )
            case = accept(coordinator, "GET", f"/api/cases/{case_id}")
            entry = next(e for e in case["waiting"] if e["status"] == "waiting")
            accept(
                coordinator,
                "POST",
                f"/api/waiting-list-entries/{entry['id']}/warm-contacts",
                {
                    "contact_on": TODAY.isoformat(),
                    "channel": "phone",
                    "note": "Warm contact: het gezin weet waar het staat op de wachtlijst.",
                },
            )
            if stage == "bottleneck":
                accept(
                    coordinator,
                    "POST",
                    f"/api/cases/{case_id}/bottlenecks",
                    {
                        "reason_category": "waiting_too_long",
                        "note": "Wacht al meer dan twee maanden; bespreken op het kernteam.",
                    },
                )
            continue
        # started: a contact point, a plan of two versions, then paused or closed
        accept(
            coordinator,
            "POST",
            f"/api/cases/{case_id}/triage",
            {
                "decision": "start_now",
                "reason": "Vrije plaats bij de gezinscoach.",
                "offer_id": offer_id,
                "case_manager_id": manager,
            },
            retry_for=30,
        )
        plan = {
            "goals": [
                {
                    "text": "Rust in huis bij het slapengaan.",
                    "actions": [
                        {
                            "text": "Wekelijks huisbezoek van de gezinscoach.",
                            "responsible_organisation_id": kern,
                            "due_on": (TODAY + dt.timedelta(days=30)).isoformat(),
                        }
                    ],
                }
            ],
            "family_part": "Mama houdt een weekschema bij.",
            "review_dates": [(TODAY + dt.timedelta(days=42)).isoformat()],
            "based_on_version": 0,
        }
        accept(coordinator, "PUT", f"/api/cases/{case_id}/plan", plan)
        plan["goals"].append({"text": "De kinderen gaan elke dag naar school.", "actions": []})
        plan["based_on_version"] = 1
        accept(coordinator, "PUT", f"/api/cases/{case_id}/plan", plan)
        if stage == "active":
            continue
        case = accept(coordinator, "GET", f"/api/cases/{case_id}")
        trajectory = case["trajectories"][0]["id"]
        if stage == "paused":
            accept(
                coordinator,
                "POST",
                f"/api/trajectories/{trajectory}/status",
                {"status": "paused", "reason": "Het gezin verhuist; even pauze."},
            )
        else:
            accept(
                coordinator,
                "POST",
                f"/api/trajectories/{trajectory}/closure",
                {"outcome": "goals_reached", "note": "De doelen van het plan zijn bereikt."},
            )
    return history


def draft(referrer, network_id: str, offer_id: str, municipality: str) -> int:
    """One referral kept as a draft by the referrer (once)."""
    path = f"/api/networks/{network_id}/referral-drafts"
    if accept(referrer, "GET", path):
        return 0
    carer, child, born = DRAFT_FAMILY
    accept(
        referrer,
        "POST",
        path,
        {
            "payload": {
                "offer_id": offer_id,
                "municipality": municipality,
                "question": "Nog aan te vullen na het gesprek met de ouder.",
                "household": {
                    "carers": [{"name": fictive(carer)}],
                    "children": [{"first_name": child, "birth_date": f"{born}-06-01"}],
                },
            }
        },
    )
    return 1


# Demo only: each family's dates moved back as if it was referred {d} days ago. The values
# spliced in are a UUID (checked) and whole numbers; nothing else goes into this text.
HISTORY = (
    "UPDATE referrals SET received_at = received_at - interval '{d} days',"
    " triaged_at = triaged_at - interval '{d} days',"
    " started_at = started_at - interval '{d} days' WHERE id = '{id}';",
    "UPDATE waiting_entries SET waiting_since = waiting_since - {d}, added_on = added_on - {d},"
    " next_contact_due = next_contact_due - {d}, last_contact_on = last_contact_on - {d}"
    " WHERE referral_id = '{id}';",
    "UPDATE warm_contacts SET contact_on = contact_on - {d}"
    " WHERE entry_id IN (SELECT id FROM waiting_entries WHERE referral_id = '{id}');",
    "UPDATE trajectories SET started_on = started_on - {d},"
    " closed_on = closed_on - {d} + {closed_after} WHERE referral_id = '{id}';",
    "UPDATE bottlenecks SET flagged_on = flagged_on - {d} + 14 WHERE referral_id = '{id}';",
    "UPDATE plan_versions SET created_at = created_at - interval '{d} days'"
    " WHERE referral_id = '{id}';",
)


def history_sql(rows: list) -> str:
    """The SQL that gives each (case id, days ago, closed after N days) its past."""
    statements = []
    for case_id, days, closed_after in rows:
        values = {
            "id": uuid.UUID(str(case_id)),
            "d": int(days),
            "closed_after": int(closed_after or 0),
        }
        statements += [template.format(**values) for template in HISTORY]
    return "\n".join(statements)


# -- the kernteam and its meetings -------------------------------------------------------


def body_payload(name: str, people: dict) -> dict:
    return {
        "name": name,
        "kind": "kernteam",
        "mandate": "Dagelijkse leiding van het netwerk; bespreekt knelpuntdossiers en "
        "bewaakt de wachtlijsten.",
        "members": [
            {"person_id": people["coordinator"], "role": "chair"},
            {"person_id": people["secretary"], "role": "secretary"},
            {"person_id": people["case_manager"], "role": "member"},
            {"person_id": people["family_coach"], "role": "member"},
            {"person_id": people["partner_worker"], "role": "member"},
        ],
        "quorum": {"kind": "majority"},
        "decision_rule": {"method": "consensus"},
        "cadence": {"kind": "every_days", "days": 14, "weekday": 1, "time": "14:00"},
        "location": "Kantoor van de kernpartner",
        "agenda_deadline_days": 0,
    }


def meetings(coordinator, secretary, member, network_id: str, name: str, people: dict) -> int:
    """The network's kernteam with a meeting held today and its coming meetings; once."""
    title = f"Kernteam {name}"
    bodies = accept(coordinator, "GET", f"/api/networks/{network_id}/bodies")
    if any(b["name"] == title for b in bodies):
        return 0
    body = accept(
        coordinator,
        "POST",
        f"/api/networks/{network_id}/bodies",
        body_payload(title, people),
        retry_for=45,  # meetings learns the people's roles from partners' events
    )
    seat = {m["person_id"] or m["delegate_id"]: m["id"] for m in body["members"]}
    soon = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=2)
    held = accept(
        coordinator,
        "POST",
        f"/api/bodies/{body['id']}/meetings",
        {"starts_at": soon.isoformat(), "on_holiday": True, "duration_minutes": 90},
    )
    mid = held["id"]
    item = accept(
        member,
        "POST",
        f"/api/meetings/{mid}/items",
        {
            "title": "Wachttijd gezinscoaching",
            "explanation": "Meer gezinnen wachten langer dan een maand.",
            "decision_asked": "Akkoord met een extra intakemoment per week.",
        },
    )
    accept(secretary, "POST", f"/api/meetings/{mid}/agenda-publication")
    accept(
        secretary,
        "PUT",
        f"/api/meetings/{mid}/attendance",
        {
            "attendance": [{"member_id": m["id"], "status": "present"} for m in body["members"]],
            "iroj_reporter_member_id": seat[people["coordinator"]],
        },
    )
    accept(
        secretary,
        "PUT",
        f"/api/meetings/{mid}/items/{item['id']}",
        {
            "notes": "Het kernteam ziet de wachttijd oplopen.",
            "decision": {
                "method": "consensus",
                "text": "Vanaf volgende maand een extra intakemoment per week.",
            },
            "actions": [
                {
                    "title": "Intakemoment inplannen met de gezinscoaches",
                    "owner_member_id": seat[people["family_coach"]],
                    "due_on": (TODAY + dt.timedelta(days=14)).isoformat(),
                },
                {
                    "title": "OCMW's informeren over de wachttijd",
                    "owner_member_id": seat[people["case_manager"]],
                    "due_on": (TODAY + dt.timedelta(days=7)).isoformat(),
                },
            ],
        },
    )
    accept(
        member,
        "POST",
        f"/api/meetings/{mid}/signals",
        {
            "kind": "pain_point",
            "title": "Wachttijd gezinscoaching loopt op",
            "description": "Signaal voor IROJ: te weinig plaatsen voor de vraag.",
        },
    )
    accept(coordinator, "POST", f"/api/meetings/{mid}/closure")
    accept(
        secretary,
        "PUT",
        f"/api/meetings/{mid}/minutes",
        {"summary": "Kernteam met alle partners; besluit over een extra intakemoment."},
    )
    accept(secretary, "POST", f"/api/meetings/{mid}/minutes/draft")
    # The next meetings: the cadence of the coming three months, the first one's agenda out.
    coming = accept(
        coordinator,
        "POST",
        f"/api/bodies/{body['id']}/series",
        {
            "from": (TODAY + dt.timedelta(days=1)).isoformat(),
            "until": (TODAY + dt.timedelta(days=90)).isoformat(),
        },
    )
    if coming:
        first = min(coming, key=lambda m: m["starts_at"])
        accept(
            member,
            "POST",
            f"/api/meetings/{first['id']}/items",
            {"title": "Opvolging extra intakemoment"},
        )
        accept(secretary, "POST", f"/api/meetings/{first['id']}/agenda-publication")
    # The minutes of today's meeting are approved at a second meeting later today.
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=4)
    second = accept(
        coordinator,
        "POST",
        f"/api/bodies/{body['id']}/meetings",
        {"starts_at": later.isoformat(), "on_holiday": True, "duration_minutes": 30},
    )
    accept(
        secretary,
        "POST",
        f"/api/meetings/{mid}/minutes/approval",
        {"in_meeting_id": second["id"], "amendments": []},
    )
    return 1


# -- the quarterly report ----------------------------------------------------------------


def quarterly_report(coordinator, network_id: str, body_name: str) -> int:
    """The network's report over this quarter: generated, approved by the kernteam and
    published for IROJ; once (a published report of the quarter is left as it is)."""
    start = dt.date(TODAY.year, 3 * ((TODAY.month - 1) // 3) + 1, 1).isoformat()
    reports = accept(coordinator, "GET", f"/api/networks/{network_id}/reports")
    if any(r["status"] == "published" and r["period"]["start"] == start for r in reports or []):
        return 0
    report = accept(
        coordinator,
        "POST",
        f"/api/networks/{network_id}/reports",
        {"kind": "quarter", "start": start},
        expect=(201,),
    )
    if report["status"] == "draft":
        accept(
            coordinator,
            "POST",
            f"/api/reports/{report['id']}/approval",
            {"body_name": body_name, "decided_on": TODAY.isoformat()},
        )
    accept(coordinator, "POST", f"/api/reports/{report['id']}/publication")
    return 1
