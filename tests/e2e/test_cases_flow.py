"""A family's way through the network, over the gateway's JSON API: referred, triaged onto a
warm waiting list, kept warm, picked up by a trajectory with one contact point and one plan.
The referrer follows up without seeing inside; a stranger does not even see the case exists;
the network admin finds every read in the access log."""

import datetime as dt

from verband_testkit.api import create_team, expect, poll, publish_offer, refer_once_offer_known

TODAY = dt.date.today()
QUESTION = "Het gezin vraagt ondersteuning bij de opvoeding."
CONTACT_NOTE = "Mama vertelt over de nachten: intern, niet voor de toeleider."
PLAN_PART = "We willen weer samen eten en rustiger slapen."


def until_known(team, role, method, path, status, timeout=30, meanwhile=(404, 422), **kwargs):
    """The request, repeated while cases has not yet learned a role or an offer from partners'
    events (404 / 422 on an id); any other answer than `status` fails at once."""

    def attempt():
        r = team.http(role, method, path, **kwargs)
        if r.status_code == status:
            return r
        assert r.status_code in meanwhile, f"{method} {path}: {r.status_code} {r.text[:500]}"
        return None

    return poll(attempt, timeout, interval=0.3, what=f"{method} {path} answering {status}")


def test_a_family_from_referral_to_trajectory_and_plan(stack):
    team = create_team(stack)
    offer = publish_offer(team)
    people = {role: person["id"] for role, person in team.people.items()}

    # The offer's partner worker updates its places and says from when it can take a
    # family (offer_changed and capacity_changed; cases keeps the provider whichever of the
    # two it applies first).
    starts = (TODAY + dt.timedelta(days=14)).isoformat()
    expect(
        team.http(
            "partner_worker",
            "PATCH",
            f"/api/offers/{offer['id']}",
            json={"can_start_from": starts, "free_places": 3},
        ),
        200,
    )

    # A referrer refers a family to the offer.
    receipt = refer_once_offer_known(team, offer["id"])
    case_id = receipt["case_id"]

    # The coordinator reads it (with a purpose for the log) and triages it onto the list.
    case = expect(
        until_known(team, "coordinator", "GET", f"/api/cases/{case_id}?purpose=triage", 200),
        200,
    )
    assert case["question"] == QUESTION and case["status"] == "received"
    refused = team.http(
        "coordinator",
        "POST",
        f"/api/cases/{case_id}/triage",
        json={"decision": "waiting_list", "offer_ids": [offer["id"]]},
    )
    assert refused.status_code == 422 and "reason" in refused.json()["error"]["fields"]
    triaged = expect(
        team.http(
            "coordinator",
            "POST",
            f"/api/cases/{case_id}/triage",
            json={
                "decision": "waiting_list",
                "reason": "Past bij gezinscoaching; nu geen vrije plaats voor dit profiel.",
                "offer_ids": [offer["id"]],
            },
        ),
        200,
    )
    assert triaged["status"] == "waiting"

    # The offer's waiting list shows the family, with why it has this place.
    page = expect(
        team.http("coordinator", "GET", f"/api/offers/{offer['id']}/waiting-list?limit=10"), 200
    )
    assert page["offer"]["id"] == offer["id"] and page["total"] == 1
    (entry,) = page["entries"]
    assert entry["case_id"] == case_id and entry["position"] == 1
    assert entry["why"]["text"] and entry["why"]["components"]
    why = expect(
        team.http("coordinator", "GET", f"/api/waiting-list-entries/{entry['entry_id']}/priority"),
        200,
    )
    assert why["score"] == entry["why"]["score"]

    # The partner worker of the offer's organisation sees its list (once cases knows the
    # offer's provider) and keeps the family warm; a contact
    # before the referral is refused, naming the field.
    own = until_known(
        team,
        "partner_worker",
        "GET",
        f"/api/offers/{offer['id']}/waiting-list",
        200,
        meanwhile=(403,),
    ).json()
    assert [e["case_id"] for e in own["entries"]] == [case_id]
    assert own["offer"]["can_start_from"] == starts
    contacts = f"/api/waiting-list-entries/{entry['entry_id']}/warm-contacts"
    early = team.http(
        "partner_worker",
        "POST",
        contacts,
        json={"contact_on": (TODAY - dt.timedelta(days=3)).isoformat(), "channel": "phone"},
    )
    assert early.status_code == 422, early.text
    assert "contact_on" in early.json()["error"]["fields"]
    contact = expect(
        team.http(
            "partner_worker",
            "POST",
            contacts,
            json={"contact_on": TODAY.isoformat(), "channel": "phone", "note": CONTACT_NOTE},
        ),
        201,
    )
    assert contact["next_contact_due"] > TODAY.isoformat()

    # The coordinator starts the trajectory with the case manager as the contact point.
    trajectory = expect(
        until_known(
            team,
            "coordinator",
            "POST",
            f"/api/cases/{case_id}/trajectories",
            201,
            json={"case_manager_id": people["case_manager"], "offer_id": offer["id"]},
        ),
        201,
    )
    assert trajectory["case_manager_id"] == people["case_manager"]
    assert trajectory["status"] == "active" and trajectory["started_on"] == TODAY.isoformat()

    # The case manager (now the contact point) writes the family's one plan.
    plan = {
        "goals": [
            {
                "text": "Rust in huis 's avonds.",
                "actions": [
                    {
                        "text": "Avondroutine uitwerken met de gezinscoach.",
                        "responsible_organisation_id": team.organisation["id"],
                        "due_on": (TODAY + dt.timedelta(days=30)).isoformat(),
                    }
                ],
            }
        ],
        "family_part": PLAN_PART,
        "review_dates": [(TODAY + dt.timedelta(days=60)).isoformat()],
        "based_on_version": 0,
    }
    version = expect(team.http("case_manager", "PUT", f"/api/cases/{case_id}/plan", json=plan), 200)
    assert version["version"] == 1 and version["author_id"] == people["case_manager"]
    stale = team.http("case_manager", "PUT", f"/api/cases/{case_id}/plan", json=plan)
    assert stale.status_code == 409 and "based_on_version" in stale.json()["error"]["fields"]
    current = expect(team.http("case_manager", "GET", f"/api/cases/{case_id}/plan"), 200)
    assert current["plan"]["family_part"] == PLAN_PART

    # The referrer's follow-up: who starts which help, and when; nothing of inside.
    follow_up = team.http("referrer", "GET", f"/api/cases/{case_id}/follow-up")
    seen = expect(follow_up, 200)
    assert seen["status"] == "started"
    (help_,) = seen["help"]
    assert help_["offer_title"] == offer["title"]
    assert help_["organisation"] == team.organisation["name"]
    assert help_["started_on"] == TODAY.isoformat() and help_["status"] == "active"
    for secret in (QUESTION, CONTACT_NOTE, PLAN_PART, "Rust in huis"):
        assert secret not in follow_up.text
    # ... and the whole case stays closed to them (and is logged as a refusal).
    assert team.http("referrer", "GET", f"/api/cases/{case_id}").status_code == 403

    # A person of another network: the case does not exist for them.
    other = create_team(stack, roles=("coordinator",))
    for path in (f"/api/cases/{case_id}", f"/api/cases/{case_id}/follow-up"):
        r = other.http("coordinator", "GET", path)
        assert r.status_code == 404, (path, r.status_code, r.text[:300])
        assert r.json()["error"]["code"] == "not_found"

    # The network admin finds each read in the access log, by whom.
    log = expect(
        team.http("network_admin", "GET", f"/api/networks/{team.id}/audit-log?limit=500"), 200
    )
    reads = {(e["action"], e["actor"].rpartition(":")[2]) for e in log}
    for action, role in (
        ("read_case", "coordinator"),
        ("read_waiting_list", "coordinator"),
        ("explain_priority", "coordinator"),
        ("read_plan", "case_manager"),
        ("read_follow_up", "referrer"),
        ("access_denied", "referrer"),
    ):
        assert (action, people[role]) in reads, (action, role, sorted(reads))
    (triage_read,) = [
        e for e in log if e["action"] == "read_case" and e["actor"].endswith(people["coordinator"])
    ]
    assert triage_read["case_id"] == case_id and triage_read["purpose"] == "triage"
    listed = [e for e in log if e["action"] == "read_waiting_list"]
    assert case_id in listed[0]["detail"]["case_ids"]
    # The log is the network admin's: others are refused.
    assert team.http("coordinator", "GET", f"/api/networks/{team.id}/audit-log").status_code == 403


def test_the_provider_of_a_new_offer_sees_its_waiting_list(stack):
    team = create_team(stack)
    offer = publish_offer(team)
    case_id = refer_once_offer_known(team, offer["id"])["case_id"]
    until_known(
        team,
        "coordinator",
        "POST",
        f"/api/cases/{case_id}/triage",
        200,
        json={"decision": "waiting_list", "reason": "Wachtlijst.", "offer_ids": [offer["id"]]},
    )
    until_known(
        team,
        "partner_worker",
        "GET",
        f"/api/offers/{offer['id']}/waiting-list",
        200,
        timeout=10,
        meanwhile=(403,),
    )
