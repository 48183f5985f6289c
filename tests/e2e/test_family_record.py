"""One family, one record, and the case journal, through the real stack: a child referred
again joins the family's record (one plan); another network never matches it; the journal
is written by a worker of the case and refused to a worker outside it; a family search is
logged with its purpose."""

import datetime as dt

from verband_testkit.api import (
    create_team,
    expect,
    poll,
    publish_offer,
    refer_once_offer_known,
    referral_input,
)

TODAY = dt.date.today()


def until(team, role, method, path, status, timeout=30, **kwargs):
    """Repeated while cases has not yet learned a person's role or a partner from partners'
    events (404, or the partner refused at its field); any other answer fails at once."""

    def attempt():
        r = team.http(role, method, path, **kwargs)
        if r.status_code == status:
            return [r]
        assert r.status_code in (404, 422), f"{method} {path}: {r.status_code} {r.text[:500]}"
        return None

    (response,) = poll(attempt, timeout, interval=0.3, what=f"{method} {path} answering {status}")
    return response


def plan(team) -> dict:
    return {
        "goals": [
            {
                "text": "Lotte gaat graag naar school.",
                "actions": [
                    {
                        "text": "Gesprek met het CLB",
                        "responsible_organisation_id": team.organisation["id"],
                        "due_on": (TODAY + dt.timedelta(days=14)).isoformat(),
                    }
                ],
            }
        ],
        "family_part": "Mama brengt Lotte naar school.",
        "review_dates": [(TODAY + dt.timedelta(days=30)).isoformat()],
    }


def moment(**ago) -> str:
    return (dt.datetime.now(dt.UTC) - dt.timedelta(**ago)).isoformat()


def test_a_child_referred_again_joins_the_familys_record_with_its_one_plan(stack):
    team = create_team(stack)
    offer = publish_offer(team)
    first = refer_once_offer_known(team, offer["id"])
    assert first["attached_to_family"] is False
    written = expect(
        until(
            team, "coordinator", "PUT", f"/api/cases/{first['case_id']}/plan", 200, json=plan(team)
        ),
        200,
    )
    assert written["version"] == 1

    again = refer_once_offer_known(team, offer["id"])
    assert again["attached_to_family"] is True and again["case_id"] != first["case_id"]
    shared = expect(team.http("coordinator", "GET", f"/api/cases/{again['case_id']}/plan"), 200)
    assert shared["version"] == 1 and shared["plan"]["family_part"] == plan(team)["family_part"]

    # The same child in another network is that network's family: never matched.
    other = create_team(stack)
    elsewhere = refer_once_offer_known(other, publish_offer(other)["id"])
    assert elsewhere["attached_to_family"] is False
    missing = other.http("coordinator", "GET", f"/api/cases/{elsewhere['case_id']}/plan")
    assert missing.status_code == 404


def test_the_journal_is_the_case_workers_and_a_family_search_is_logged(stack):
    team = create_team(stack)
    offer = publish_offer(team)
    case_id = refer_once_offer_known(team, offer["id"])["case_id"]
    journal = f"/api/cases/{case_id}/journal"
    line = {"occurred_at": moment(hours=1), "kind": "phone_call", "text": "Mama belde: beter."}
    # The offer's organisation works with the family: its worker writes and reads.
    written = expect(until(team, "partner_worker", "POST", journal, 201, json=line), 201)
    assert written["author_id"] == team.people["partner_worker"]["id"]
    future = team.http(
        "partner_worker", "POST", journal, json={**line, "occurred_at": moment(hours=-2)}
    )
    assert future.status_code == 422 and "occurred_at" in future.json()["error"]["fields"]
    lines = expect(team.http("partner_worker", "GET", journal + "?purpose=huisbezoek"), 200)
    assert [j["id"] for j in lines] == [written["id"]]

    # Another family, left for the network to decide: no organisation works with it yet, so
    # the same worker is outside its case.
    noor = {
        "first_name": "Noor",
        "birth_date": TODAY.replace(year=TODAY.year - 3, day=1).isoformat(),
    }
    body = {
        **referral_input(offer["id"]),
        "offer_id": None,
        "household": {"carers": [{"name": "Karim El Idrissi"}], "children": [noor]},
    }
    outside = expect(
        team.http("referrer", "POST", f"/api/networks/{team.id}/referrals", json=body), 201
    )["case_id"]
    for method, kwargs in (("GET", {}), ("POST", {"json": line})):
        refused = team.http("partner_worker", method, f"/api/cases/{outside}/journal", **kwargs)
        assert refused.status_code == 403, (method, refused.text[:300])
    assert expect(team.http("coordinator", "GET", f"/api/cases/{outside}/journal"), 200) == []

    # The coordinator finds the family, saying why; the access log keeps the purpose.
    purpose = "Telefoon van de school over Lotte."
    search = f"/api/networks/{team.id}/family-search"
    assert team.http("coordinator", "POST", search, json={"name": "Peeters"}).status_code == 422
    found = expect(
        team.http("coordinator", "POST", search, json={"name": "peeters", "purpose": purpose}), 200
    )
    assert [f["case_ids"] for f in found] == [[case_id]]
    assert (
        team.http(
            "partner_worker", "POST", search, json={"name": "peeters", "purpose": purpose}
        ).status_code
        == 403
    )
    log = expect(
        team.http(
            "network_admin", "GET", f"/api/networks/{team.id}/audit-log?action=search_families"
        ),
        200,
    )
    assert [(e["purpose"], e["actor"], e["detail"]["case_ids"]) for e in log] == [
        (purpose, f"person:{team.people['coordinator']['id']}", [case_id])
    ]
    reads = expect(
        team.http("network_admin", "GET", f"/api/networks/{team.id}/audit-log?action=read_journal"),
        200,
    )
    assert ("huisbezoek", case_id) in {(e["purpose"], e["case_id"]) for e in reads}
