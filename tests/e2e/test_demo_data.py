"""The demo data, loaded for real through the gateway into a fresh stack: every demo account
signs in through the portal's form and finds a living platform on its home page; a second
run adds nothing."""

import sys
from pathlib import Path

import psycopg
import pytest

from verband_testkit import ADMIN_EMAIL, ADMIN_PASSWORD
from verband_testkit.api import portal_session

DEMO = Path(__file__).resolve().parents[2] / "deploy" / "demo"
if str(DEMO) not in sys.path:
    sys.path.insert(0, str(DEMO))

import casework  # noqa: E402
import load  # noqa: E402

PASSWORD = "demo-wachtwoord-e2e-2026"  # noqa: S105 - a throwaway test stack's


@pytest.fixture(scope="module")
def demo(stack):
    def history(sql: str) -> None:
        with psycopg.connect(stack.database.url("cases"), connect_timeout=5) as conn:
            conn.execute(sql)

    loader = load.Loader(stack.base_url, ADMIN_EMAIL, ADMIN_PASSWORD, PASSWORD, history)
    loader.run()
    return loader


def home(stack, email: str):
    browser = portal_session(stack, email, PASSWORD)
    response = browser.get(stack.base_url + "/", timeout=30)
    assert response.status_code == 200, (email, response.status_code, response.text[:500])
    return response


@pytest.mark.parametrize("spec", load.NETWORKS, ids=lambda s: s["domain"])
def test_every_demo_account_finds_its_work_on_its_home_page(stack, demo, spec):
    name = spec["network"]["name"]

    def email(role):
        return load.email_of(role, spec["domain"])

    board = home(stack, email("coordinator")).text
    assert "Dashboard van het netwerk" in board and f"<strong>{name}</strong>" in board
    coaching = next(o["title"] for o in spec["offers"] if o["kind"] == "family_coaching")
    assert coaching in board
    # families past the one-month guideline, unanswered and on the list, and a bottleneck
    assert "0 zijn er voorbij" not in board and "Voorbij de maand" in board
    assert "0 open knelpuntdossiers" not in board
    assert "1 lopende en 1 gepauzeerde trajecten" in board
    assert f"Kernteam {name}" in board
    for target in spec["network"].get("settings", {}).get("targets", []):
        assert f"{target['label']}: " in board and f"van {target['value']} dit jaar" in board

    assert "Dashboard van het netwerk" in home(stack, email("network_admin")).text

    referrer = home(stack, email("referrer")).text
    assert "Gezinnen aanmelden en opvolgen" in referrer
    assert "Zonnebloem (fictief)" in referrer and "1 concept wacht" in referrer

    coach = home(stack, email("family_coach")).text
    assert "<h1>Mijn werk</h1>" in coach and coaching in coach
    assert "over tijd" in coach  # a warm contact overdue on the organisation's list

    manager = home(stack, email("case_manager")).text
    assert "Stan Sterrenhemel (fictief)" in manager and "Hulp gestart" in manager
    assert "Intakemoment" in coach or "OCMW" in manager  # own actions of the kernteam

    for role in ("first_line_psychologist", "partner_worker"):
        assert "<h1>Mijn werk</h1>" in home(stack, email(role)).text

    assert "Vergaderingen en acties" in home(stack, email("secretary")).text
    iroj = portal_session(stack, email("iroj_viewer"), PASSWORD).get(stack.base_url + "/")
    assert iroj.status_code == 200
    # the quarter's report, approved by the kernteam and published for IROJ
    token = stack.login(email("iroj_viewer"), PASSWORD)
    reports = stack.http("GET", "/api/reports", token=token).json()
    mine = [r for r in reports if r["network_name"] == name]
    assert [r["status"] for r in mine] == ["published"]


def test_the_families_have_a_past_and_carry_no_real_names(stack, demo):
    rows = {
        r["days"]
        for r in stack.sql(
            "cases",
            "SELECT (current_date - received_at::date) AS days FROM referrals",
        )
    }
    assert {stage[1] for stage in casework.STAGES} <= rows
    # Only the demo networks' families: other tests share this stack with families of their own.
    demo_networks = [
        r["id"]
        for r in stack.sql(
            "partners",
            "SELECT id FROM networks WHERE name = ANY(%s)",
            ([spec["network"]["name"] for spec in load.NETWORKS],),
        )
    ]
    assert len(demo_networks) == len(load.NETWORKS)
    carers = [
        r["name"]
        for r in stack.sql(
            "cases",
            "SELECT household -> 'carers' -> 0 ->> 'name' AS name FROM families"
            " WHERE network_id = ANY(%s)",
            (demo_networks,),
        )
    ]
    assert carers and all(name.endswith("(fictief)") for name in carers)


def test_a_second_run_adds_nothing(stack, demo):
    counts = {
        table: stack.sql("cases", f"SELECT count(*) AS n FROM {table}")[0]["n"]  # noqa: S608
        for table in ("referrals", "waiting_entries", "trajectories", "referral_drafts")
    }
    again = load.Loader(stack.base_url, ADMIN_EMAIL, ADMIN_PASSWORD, PASSWORD, None)
    again.run()
    assert all(
        "(0 new" in line and "0 new kernteam" in line and "0 new published" in line
        for line in again.summary
    )
    for table, n in counts.items():
        assert stack.sql("cases", f"SELECT count(*) AS n FROM {table}")[0]["n"] == n  # noqa: S608
