"""Attacks on family data and on published figures, played through HTTP on the real stack.

1. Family data only for those the cases service's one access rule names: every role of a
   network A (all in the organisation that provides the offer, as an attacker would arrange)
   and every role of a network B read every route that shows a family of A, over the API
   and the portal. The family's name, question and plan show only where the rule says; the
   network admin's export of the case is refused; the case list names no family to anyone
   the rule does not name; B finds nothing.
2. A suppressed cell recovered from published figures: two networks of one region publish
   their quarter; A's report hides a small municipality ("<5"). As the IROJ viewer, read
   both reports and the region's roll-up, and check by exact linear algebra that no hidden
   cell is a sum or difference of shown ones; a year report next to the quarter is refused.
"""

import datetime as dt
import uuid
from fractions import Fraction

import pytest

from verband_common.roles import ROLES
from verband_testkit.api import (
    create_team,
    expect,
    portal_session,
    publish_offer,
    refer_once_offer_known,
    referral_input,
    wait_referral_count,
)

# The expectation is written out here on purpose, not taken from verband_common.roles: an
# attack test that read the rule it attacks would pass whatever the rule became.
READERS = {"coordinator", "case_manager", "family_coach", "first_line_psychologist"} | {
    "partner_worker"
}
WORKERS = READERS - {"coordinator"}
CARER = f"Familie Aanval {uuid.uuid4().hex[:6]} (fictief)"
QUESTION = f"Vraag-{uuid.uuid4().hex[:8]}: hulp bij de opvoeding."
PLAN = f"Plan-{uuid.uuid4().hex[:8]}: samen de ochtenden plannen."


@pytest.fixture(scope="module")
def family(stack):
    """Networks A and B with every role; one family of A on the waiting list of A's offer,
    with a plan."""
    a = create_team(stack, roles=ROLES, region="Limburg")
    b = create_team(stack, roles=ROLES, region="Limburg")
    offer = publish_offer(a, title="Gezinscoaching (aanvalstest)")
    payload = referral_input(offer["id"])
    payload["household"]["carers"] = [{"name": CARER}]
    payload["question"] = QUESTION
    case_id = refer_once_offer_known(
        a,
        offer["id"],
        household=payload["household"],
        question=QUESTION,
        consent={**payload["consent"], "given_by": CARER},
    )["case_id"]
    expect(
        a.http(
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
                "text": PLAN,
                "actions": [
                    {
                        "text": "Wekelijks gesprek.",
                        "responsible_organisation_id": a.organisation["id"],
                        "due_on": dt.date.today().isoformat(),
                    }
                ],
            }
        ],
        "family_part": "Mama houdt een weekplanning bij.",
        "review_dates": [],
    }
    expect(a.http("coordinator", "PUT", f"/api/cases/{case_id}/plan", json=plan), 200)
    return {"a": a, "b": b, "offer": offer["id"], "case": case_id}


def api_routes(f) -> dict:
    """path -> the roles of A that must see the family there (name, question or plan)."""
    a, case, offer = f["a"].id, f["case"], f["offer"]
    return {
        f"/api/networks/{a}/cases": READERS | {"referrer"},
        f"/api/cases/{case}": READERS,
        f"/api/cases/{case}/follow-up": set(),  # who starts which help: no name
        f"/api/cases/{case}/plan": READERS,
        f"/api/cases/{case}/plan/history": READERS,
        f"/api/cases/{case}/export": {"coordinator"},
        f"/api/offers/{offer}/waiting-list": READERS,
        f"/api/networks/{a}/warm-contacts/overdue": set(),
        f"/api/networks/{a}/pickup-clocks": set(),
        f"/api/networks/{a}/audit-log": set(),
    }


# Reads of the case itself: anyone the rule does not name gets a refusal, not an empty 200.
DIRECT = ("/api/cases/{case}", "/api/cases/{case}/plan", "/api/cases/{case}/export")


def shows_family(text: str) -> bool:
    return CARER in text or QUESTION in text or PLAN in text


def test_every_api_route_shows_a_family_only_to_whom_the_rule_names(stack, family):
    a, b, case = family["a"], family["b"], family["case"]
    direct = {p.format(case=case) for p in DIRECT}
    problems = []
    for path, named in api_routes(family).items():
        for role in ROLES:
            r = a.http(role, "GET", path)
            if shows_family(r.text) != (role in named):
                problems.append(f"A {role} {path}: {r.status_code}, family shown {not named}")
            if path in direct and role not in named and r.status_code not in (403, 404):
                problems.append(f"A {role} {path}: {r.status_code}, expected a refusal")
            r = b.http(role, "GET", path)
            if shows_family(r.text):
                problems.append(f"B {role} {path}: {r.status_code} shows A's family")
            if path in direct and r.status_code != 404:
                problems.append(f"B {role} {path}: {r.status_code}, expected 404")
    assert not problems, "\n".join(problems)


def test_the_network_admins_export_is_refused_and_on_the_access_log(stack, family):
    a, case = family["a"], family["case"]
    refused = a.http("network_admin", "GET", f"/api/cases/{case}/export")
    assert refused.status_code == 403 and not shows_family(refused.text)
    log = expect(
        a.http(
            "network_admin",
            "GET",
            f"/api/networks/{a.id}/audit-log",
            params={"case_id": case, "action": "access_denied"},
        ),
        200,
    )
    admin = f"person:{a.people['network_admin']['id']}"
    assert any(e["actor"] == admin and e["detail"].get("tried") == "export_family" for e in log)
    # The admin's list of the network's cases names no family (the admin works at the
    # organisation whose offer the family waits for: that alone opens nothing).
    listed = expect(a.http("network_admin", "GET", f"/api/networks/{a.id}/cases"), 200)
    assert case not in [c["id"] for c in listed]
    assert expect(a.http("coordinator", "GET", f"/api/cases/{case}/export"), 200)["question"] == (
        QUESTION
    )


def page_routes(f) -> dict:
    """portal page -> the roles of A that must see the family there (nobody else of A but
    the ones the rule names may see it anywhere, nobody of B ever)."""
    case, offer = f["case"], f["offer"]
    return {
        "/": WORKERS | {"referrer"},  # a partner's caseload, a referrer's referrals
        "/mijn-aanmeldingen": {"referrer"},
        f"/wachtlijst?aanbod={offer}": READERS,
        "/caseload": READERS,
        f"/dossiers/{case}": READERS,
        f"/dossiers/{case}/plan": READERS,
        f"/dossiers/{case}/export.json": {"coordinator"},
        f"/dossiers/{case}/privacy": set(),
        "/toegangslogboek": set(),
    }


def test_every_portal_page_shows_a_family_only_to_whom_the_rule_names(stack, family):
    a, b = family["a"], family["b"]
    problems = []
    for team, where in ((a, "A"), (b, "B")):
        for role in ROLES:
            browser = portal_session(stack, team.people[role]["email"])
            for path, named in page_routes(family).items():
                r = browser.get(stack.base_url + path, timeout=30)
                shown = shows_family(r.text)
                if shown and (where == "B" or role not in READERS | {"referrer"}):
                    problems.append(f"{where} {role} {path}: {r.status_code} shows the family")
                if where == "A" and role in named and not shown:
                    problems.append(f"{where} {role} {path}: {r.status_code}, family not shown")
                if r.status_code >= 500:
                    problems.append(f"{where} {role} {path}: {r.status_code}")
    assert not problems, "\n".join(problems)


# --- published figures -----------------------------------------------------------------------


def quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


GENK, HASSELT = "71016", "71011"  # Genk, Diepenbeek


def referrals_of(content: dict) -> dict:
    (found,) = [i for i in content["indicators"] if i["key"] == "referrals"]
    return found


def row_reduce(rows):
    basis, pivots = [], []
    for row in rows:
        r = [Fraction(x) for x in row]
        for base, p in zip(basis, pivots, strict=True):
            if r[p]:
                f = r[p] / base[p]
                r = [x - f * y for x, y in zip(r, base, strict=True)]
        lead = next((i for i, x in enumerate(r) if x), None)
        if lead is not None:
            basis.append(r)
            pivots.append(lead)
    return basis, pivots


def in_span(basis, pivots, vector) -> bool:
    r = [Fraction(x) for x in vector]
    for base, p in zip(basis, pivots, strict=True):
        if r[p]:
            f = r[p] / base[p]
            r = [x - f * y for x, y in zip(r, base, strict=True)]
    return not any(r)


def test_a_suppressed_cell_cannot_be_recovered_from_published_figures(stack):
    """The region's published figures of a quarter, as its IROJ viewer reads them: every
    network's report and the roll-up. Unknowns: each network's referrals per municipality
    (and one "elsewhere" per network for what its breakdown does not list); a hidden cell is
    exposed iff its vector lies in the span of the shown cells' vectors."""
    region = "Limburg"
    roles = ("coordinator", "referrer", "iroj_viewer")
    both = [GENK, HASSELT]
    a = create_team(stack, roles=roles, region=region, municipalities=both)
    b = create_team(stack, roles=roles, region=region, municipalities=both)
    for team, genk, hasselt in ((a, 3, 6), (b, 7, 6)):
        offer = publish_offer(team, municipalities=both)
        for nis, n in ((GENK, genk), (HASSELT, hasselt)):
            for _ in range(n):
                refer_once_offer_known(team, offer["id"], municipality=nis)
        wait_referral_count(team, genk + hasselt)
    period = {"kind": "quarter", "start": quarter_start(dt.date.today()).isoformat()}
    for team in (a, b):
        draft = expect(
            team.http("coordinator", "POST", f"/api/networks/{team.id}/reports", json=period),
            201,
        )
        expect(
            team.http(
                "coordinator",
                "POST",
                f"/api/reports/{draft['id']}/approval",
                json={"body_name": "Kernteam", "decided_on": dt.date.today().isoformat()},
            ),
            200,
        )
        expect(team.http("coordinator", "POST", f"/api/reports/{draft['id']}/publication"), 200)

    viewer = a  # A's IROJ viewer reads the whole region
    rollup = expect(
        viewer.http(
            "iroj_viewer", "GET", "/api/reporting/rollup", params={"region": region, **period}
        ),
        200,
    )
    reports = {
        n["network_id"]: expect(
            viewer.http("iroj_viewer", "GET", f"/api/reports/{n['report_id']}"), 200
        )["content"]
        for n in rollup["networks"]
    }
    assert {a.id, b.id} <= set(reports)
    mine = {c["key"]: c for c in referrals_of(reports[a.id])["breakdowns"]["municipality"]}
    assert mine[GENK]["display"] == "<5"  # A's 3 referrals from Genk are hidden ...
    roll = {c["key"]: c for c in referrals_of(rollup)["breakdowns"]["municipality"]}
    assert roll[GENK]["value"] != 10  # ... and the roll-up no longer gives 3 + 7

    # The linear model of everything read: columns (network, municipality or "elsewhere").
    places = sorted({c["key"] for r in reports.values() for c in cells(r)} | {"~elsewhere"})
    columns = [(n, p) for n in sorted(reports) for p in places]

    def vector(networks, municipality=None):
        return [
            int(n in networks and (municipality is None or p == municipality)) for n, p in columns
        ]

    shown, hidden = [], []
    for network, content in reports.items():
        total = referrals_of(content)
        if "municipality" in total["breakdowns"]:
            # A published breakdown adds up to its total: nothing lies elsewhere.
            shown.append(vector({network}, "~elsewhere"))
        (shown if not total["suppressed"] else hidden).append(vector({network}))
        for c in cells(content):
            (shown if not c["suppressed"] else hidden).append(vector({network}, c["key"]))
    everyone = set(reports)
    total = referrals_of(rollup)
    (shown if not total["suppressed"] else hidden).append(vector(everyone))
    for c in cells(rollup):
        (shown if not c["suppressed"] else hidden).append(vector(everyone, c["key"]))
    for c in referrals_of(rollup)["breakdowns"].get("network", []):
        (shown if not c["suppressed"] else hidden).append(vector({c["key"]}))
    basis, pivots = row_reduce(shown)
    exposed = [v for v in hidden if in_span(basis, pivots, v)]
    assert hidden and not exposed, f"derivable hidden cells: {exposed}"

    # A year next to the published quarter would give the other quarters back: refused.
    year = {"kind": "year", "start": f"{dt.date.today().year}-01-01"}
    draft = expect(a.http("coordinator", "POST", f"/api/networks/{a.id}/reports", json=year), 201)
    expect(
        a.http(
            "coordinator",
            "POST",
            f"/api/reports/{draft['id']}/approval",
            json={"body_name": "Kernteam", "decided_on": dt.date.today().isoformat()},
        ),
        200,
    )
    refused = a.http("coordinator", "POST", f"/api/reports/{draft['id']}/publication")
    assert refused.status_code == 409, refused.text
    assert "period" in refused.json()["error"]["fields"]


def cells(content: dict) -> list[dict]:
    return referrals_of(content)["breakdowns"].get("municipality", [])
