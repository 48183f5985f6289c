"""Who may refer a family, tried as each role would over the real stack: the JSON referral
endpoint and the draft route answer alike, and both as the cases service decides (issue 13:
family coaches, first-line psychologists and partner workers got 403 on one route and 201 on
the other)."""

from verband_common.roles import REFERRERS
from verband_testkit.api import (
    create_team,
    expect,
    publish_offer,
    refer_once_offer_known,
    referral_input,
)

ROLES = (
    "coordinator",
    "referrer",
    "family_coach",
    "first_line_psychologist",
    "partner_worker",
    "secretary",
)


def test_each_role_refers_on_every_route_exactly_as_the_cases_service_allows(stack):
    team = create_team(stack, roles=ROLES)
    offer = publish_offer(team)
    for role in ROLES:
        if role in REFERRERS:
            receipt = refer_once_offer_known(team, offer["id"], role=role)
            assert receipt["case_id"], role
            draft = team.http(
                role, "POST", f"/api/networks/{team.id}/referral-drafts", json={"payload": {}}
            )
            assert draft.status_code in (200, 201), (role, draft.status_code, draft.text[:300])
        else:
            refused = team.http(
                role,
                "POST",
                f"/api/networks/{team.id}/referrals",
                json=referral_input(offer["id"]),
            )
            assert refused.status_code == 403, (role, refused.status_code, refused.text[:300])
            draft = team.http(
                role, "POST", f"/api/networks/{team.id}/referral-drafts", json={"payload": {}}
            )
            assert draft.status_code == 403, (role, draft.status_code, draft.text[:300])
    # Every referral arrived: the coordinator sees one case per role that may refer.
    cases = expect(team.http("coordinator", "GET", f"/api/networks/{team.id}/cases"), 200)
    assert len(cases) >= sum(1 for r in ROLES if r in REFERRERS)
