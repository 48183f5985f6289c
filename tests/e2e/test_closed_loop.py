"""The closed loop through the real stack: the organisation of the offer answers a referral.
A decline (with its reason) goes back to the coordinator, an acceptance (with a start date)
reaches the referrer's follow-up; a plan action is marked done by the family's worker and
refused to roles outside the case."""

import datetime as dt

from verband_testkit.api import create_team, expect, poll, publish_offer, refer_once_offer_known

TODAY = dt.date.today()


def until_known(team, role, method, path, status, timeout=30, **kwargs):
    """Repeated while cases has not yet learned a person's role from partners' events (404);
    any other answer than `status` fails at once."""

    def attempt():
        r = team.http(role, method, path, **kwargs)
        if r.status_code == status:
            # In a list: a response of 4xx is falsy, and poll waits for a truthy answer.
            return [r]
        assert r.status_code == 404, f"{method} {path}: {r.status_code} {r.text[:500]}"
        return None

    (response,) = poll(attempt, timeout, interval=0.3, what=f"{method} {path} answering {status}")
    return response


def test_a_declined_family_goes_back_and_an_accepted_one_shows_its_start(stack):
    team = create_team(stack)
    offer = publish_offer(team)
    answers = lambda case_id: f"/api/cases/{case_id}/answers"  # noqa: E731

    # A family referred to the offer; the organisation of the offer declines it.
    declined_case = refer_once_offer_known(team, offer["id"])["case_id"]
    no_reason = team.http(
        "partner_worker",
        "POST",
        answers(declined_case),
        json={"offer_id": offer["id"], "answer": "declined"},
    )
    assert no_reason.status_code == 422 and "reason" in no_reason.json()["error"]["fields"]
    # The coordinator triages, but does not answer for the provider.
    coordinator = until_known(
        team,
        "coordinator",
        "POST",
        answers(declined_case),
        403,
        json={"offer_id": offer["id"], "answer": "declined", "reason": "Niet voor ons."},
    )
    assert coordinator.status_code == 403
    reason = "Ons aanbod werkt niet in deze deelgemeente."
    declined = expect(
        until_known(
            team,
            "partner_worker",
            "POST",
            answers(declined_case),
            201,
            json={"offer_id": offer["id"], "answer": "declined", "reason": reason},
        ),
        201,
    )
    assert declined["status"] == "returned" and declined["answer"]["reason"] == reason

    # Back with the coordinator, with the reason, ready to be triaged again.
    back = expect(
        team.http("coordinator", "GET", f"/api/networks/{team.id}/cases?status=returned"), 200
    )
    assert [(c["id"], c["declined_reason"]) for c in back] == [(declined_case, reason)]
    follow = expect(team.http("referrer", "GET", f"/api/cases/{declined_case}/follow-up"), 200)
    assert follow["status"] == "returned"
    assert [(a["answer"], a["reason"]) for a in follow["answers"]] == [("declined", reason)]

    # Another family: accepted, with a start date the referrer sees.
    accepted_case = refer_once_offer_known(team, offer["id"])["case_id"]
    starts_on = (TODAY + dt.timedelta(days=7)).isoformat()
    too_early = team.http(
        "partner_worker",
        "POST",
        answers(accepted_case),
        json={
            "offer_id": offer["id"],
            "answer": "accepted",
            "starts_on": (TODAY - dt.timedelta(days=3)).isoformat(),
        },
    )
    assert too_early.status_code == 422 and "starts_on" in too_early.json()["error"]["fields"]
    expect(
        team.http(
            "partner_worker",
            "POST",
            answers(accepted_case),
            json={"offer_id": offer["id"], "answer": "accepted", "starts_on": starts_on},
        ),
        201,
    )
    again = team.http(
        "partner_worker",
        "POST",
        answers(accepted_case),
        json={"offer_id": offer["id"], "answer": "accepted", "starts_on": starts_on},
    )
    assert again.status_code == 409
    follow = expect(team.http("referrer", "GET", f"/api/cases/{accepted_case}/follow-up"), 200)
    assert [(a["answer"], a["starts_on"]) for a in follow["answers"]] == [("accepted", starts_on)]
    assert follow["answers"][0]["organisation"] == team.organisation["name"]


def test_a_plan_action_is_marked_done_by_the_familys_worker_only(stack):
    team = create_team(stack)
    offer = publish_offer(team)
    people = {role: person["id"] for role, person in team.people.items()}
    case_id = refer_once_offer_known(team, offer["id"])["case_id"]
    expect(
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
        "family_part": "We eten weer samen.",
        "review_dates": [(TODAY + dt.timedelta(days=60)).isoformat()],
        "based_on_version": 0,
    }
    far = {**plan, "review_dates": ["2199-01-01"]}
    too_far = team.http("case_manager", "PUT", f"/api/cases/{case_id}/plan", json=far)
    assert too_far.status_code == 422 and "review_dates.0" in too_far.json()["error"]["fields"]
    first = expect(team.http("case_manager", "PUT", f"/api/cases/{case_id}/plan", json=plan), 200)
    assert first["plan"]["goals"][0]["actions"][0]["status"] == "planned"

    status_path = f"/api/cases/{case_id}/plan/action-status"
    done = {"goal": 0, "action": 0, "status": "done", "based_on_version": 1}
    unknown = team.http("case_manager", "POST", status_path, json={**done, "status": "klaar"})
    assert unknown.status_code == 422 and "status" in unknown.json()["error"]["fields"]
    # Roles outside the case: the referrer follows up only, the network admin oversees.
    for role in ("referrer", "network_admin"):
        refused = team.http(role, "POST", status_path, json=done)
        assert refused.status_code == 403, (role, refused.text[:300])
    second = expect(team.http("case_manager", "POST", status_path, json=done), 200)
    assert second["version"] == 2
    assert second["changes"] == [
        {"path": "goals.0.actions.0", "change": "changed", "fields": ["status"]}
    ]
    history = expect(team.http("case_manager", "GET", f"/api/cases/{case_id}/plan/history"), 200)
    assert [v["plan"]["goals"][0]["actions"][0]["status"] for v in history] == [
        "planned",
        "done",
    ]
