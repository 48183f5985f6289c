"""Merging two records of one family through the real stack: two referrals of one family that
the fingerprint did not match (the child's name typed otherwise) are shown to the coordinator
as likely one family, merged and confirmed on the families page; the case page then shows one
family, a search finds one record, and reporting still counts two referrals."""

import datetime as dt
import re

from verband_testkit.api import (
    create_team,
    expect,
    poll,
    portal_session,
    publish_offer,
    refer_once_offer_known,
    wait_referral_count,
)

TODAY = dt.date.today()
BORN = TODAY.replace(year=TODAY.year - 7, day=1).isoformat()
REASON = "Zelfde moeder en adres; Lotte werd bij de tweede aanmelding Lote getypt."


def token_of(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def household(carer: str, child: str) -> dict:
    return {"carers": [{"name": carer}], "children": [{"first_name": child, "birth_date": BORN}]}


def test_two_records_of_one_family_are_merged_by_the_coordinator(stack):
    team = create_team(stack)
    offer = publish_offer(team)
    first = refer_once_offer_known(team, offer["id"], household=household("An Peeters", "Lotte"))
    second = refer_once_offer_known(team, offer["id"], household=household("Jan Peeters", "Lote"))
    assert first["attached_to_family"] is False and second["attached_to_family"] is False
    duplicates = f"/api/networks/{team.id}/likely-duplicates"

    def pair():
        r = team.http("coordinator", "GET", duplicates)
        assert r.status_code in (200, 404), r.text[:300]  # 404: cases learns the role yet
        return r.json() if r.status_code == 200 and r.json() else None

    (found,) = poll(pair, 30, interval=0.3, what="the coordinator seeing the likely duplicates")
    cases_of = {tuple(r["case_ids"]): r["family_id"] for r in found["records"]}
    keep, merged = cases_of[(first["case_id"],)], cases_of[(second["case_id"],)]

    # On the families page the coordinator merges the second record into the first.
    browser = portal_session(stack, team.people["coordinator"]["email"])
    page = browser.get(stack.base_url + "/gezinnen", timeout=15)
    assert page.status_code == 200 and "Samenvoegen" in page.text, page.text[:500]
    done = browser.post(
        stack.base_url + "/gezinnen/samenvoegen",
        data={
            "csrf_token": token_of(page.text),
            "family_ids": f"{keep},{merged}",
            "keep_family_id": keep,
            "reason": REASON,
        },
        timeout=15,
    )
    assert done.status_code == 200 and "De dossiers zijn samengevoegd" in done.text, done.text[:500]
    assert "Bevestigen" in done.text and REASON in done.text
    (open_merge,) = expect(
        team.http("coordinator", "GET", f"/api/networks/{team.id}/family-merges"), 200
    )
    assert open_merge["case_ids"] == [second["case_id"]]
    confirmed = browser.post(
        stack.base_url + f"/gezinnen/samenvoegingen/{open_merge['id']}/bevestigen",
        data={"csrf_token": token_of(done.text)},
        timeout=15,
    )
    assert "De samenvoeging is bevestigd" in confirmed.text, confirmed.text[:500]
    final = team.http(
        "coordinator", "POST", f"/api/networks/{team.id}/family-merges/{open_merge['id']}/undo"
    )
    assert final.status_code == 409

    # The case page of the second referral shows the one family: both carers, one Lotte.
    case_page = browser.get(stack.base_url + f"/dossiers/{second['case_id']}", timeout=15)
    assert case_page.status_code == 200
    assert "An Peeters" in case_page.text and "Jan Peeters" in case_page.text
    for case_id in (first["case_id"], second["case_id"]):
        case = expect(team.http("coordinator", "GET", f"/api/cases/{case_id}"), 200)
        assert [c["name"] for c in case["household"]["carers"]] == ["An Peeters", "Jan Peeters"]
        assert [c["first_name"] for c in case["household"]["children"]] == ["Lotte"]
    records = expect(
        team.http(
            "coordinator",
            "POST",
            f"/api/networks/{team.id}/family-search",
            json={"name": "Peeters", "purpose": "Samenvoeging nakijken."},
        ),
        200,
    )
    assert [r["case_ids"] for r in records] == [[first["case_id"], second["case_id"]]]
    assert expect(team.http("coordinator", "GET", duplicates), 200) == []
    # Reporting counts referrals, not records: the merge changes nothing there.
    wait_referral_count(team, 2)
    log = expect(
        team.http(
            "network_admin",
            "GET",
            f"/api/networks/{team.id}/audit-log?case_id={second['case_id']}",
        ),
        200,
    )
    assert {"propose_family_merge", "confirm_family_merge"} <= {e["action"] for e in log}
