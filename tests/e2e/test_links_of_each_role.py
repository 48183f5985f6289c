"""No page shows a link its reader may not follow.

A network with a person in every role (all at the organisation that offers the help), one
family referred by the referrer, placed on the waiting list and given a plan by the
coordinator. Each person opens their home page and follows every link on it (the menu of
the header included): none may answer a refusal (401, 403, 404, the "Geen toegang" page)
or a server error. A link the reader may not follow is a promise the portal does not keep.
"""

import datetime as dt
import html
import re

from verband_common.roles import ROLES
from verband_testkit.api import (
    create_team,
    expect,
    portal_session,
    publish_offer,
    refer_once_offer_known,
)

HREF = re.compile(r'href="([^"]+)"')
REFUSED = ("Geen toegang",)


def links_on(page: str) -> list[str]:
    """Same-site page links (no static files, no fragments), each once, in page order."""
    found = []
    for raw in HREF.findall(page):
        link = html.unescape(raw).split("#", 1)[0]
        if not link.startswith("/") or link.startswith("//") or link.startswith("/static/"):
            continue
        if link not in found:
            found.append(link)
    return found


def test_every_link_on_each_roles_home_opens(stack):
    team = create_team(stack, roles=ROLES)
    offer = publish_offer(team)
    case_id = refer_once_offer_known(team, offer["id"])["case_id"]
    expect(
        team.http(
            "coordinator",
            "POST",
            f"/api/cases/{case_id}/triage",
            json={"decision": "waiting_list", "reason": "Past.", "offer_ids": [offer["id"]]},
        ),
        200,
    )
    plan = {
        "based_on_version": 0,
        "goals": [
            {
                "text": "Rust in de ochtenden.",
                "actions": [
                    {
                        "text": "Wekelijks gesprek.",
                        "responsible_organisation_id": team.organisation["id"],
                        "due_on": dt.date.today().isoformat(),
                    }
                ],
            }
        ],
        "family_part": "Mama houdt een weekplanning bij.",
        "review_dates": [],
    }
    expect(team.http("coordinator", "PUT", f"/api/cases/{case_id}/plan", json=plan), 200)

    problems, followed = [], 0
    for role in ROLES:
        browser = portal_session(stack, team.people[role]["email"])
        home = browser.get(stack.base_url + "/", timeout=30)
        assert home.status_code == 200, (role, home.status_code)
        links = links_on(home.text)
        assert links, f"{role}: a home without a single link"
        for link in links:
            answer = browser.get(stack.base_url + link, timeout=60, allow_redirects=True)
            followed += 1
            if answer.status_code in (401, 403, 404) or answer.status_code >= 500:
                problems.append(f"{role}: {link} answers {answer.status_code}")
            elif any(word in answer.text for word in REFUSED):
                problems.append(f"{role}: {link} shows a refusal")
            elif "/aanmelden" in answer.url:
                problems.append(f"{role}: {link} sends a signed-in person to sign in")
    assert not problems, "\n".join(problems)
    assert followed > len(ROLES) * 3
