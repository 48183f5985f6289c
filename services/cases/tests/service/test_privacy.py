"""Privacy: every event the service publishes carries no personal data; an access request
exports everything; erasure wipes it unless under legal hold; closed cases are anonymised
after the retention period."""

import datetime as dt
import json

import pytest
from cases_world import Network, as_, onto_list, refer, seed
from nameko.testing.services import entrypoint_hook
from verband_servicekit import CARER, CHILD, CONSENT_BY, QUESTION, referral, wait_until

from cases.domain.privacy import EVENT_FIELDS
from cases.service import CasesService
from verband_common.contracts import load_event
from verband_common.errors import Conflict, Forbidden

pytestmark = pytest.mark.service

PHONE = "0470 12 34 56"
ADDRESS = "Kerkstraat 12, 1730 Asse"
NOTES = (
    "Mama is ongerust over de oudste.",
    "Spreekt enkel Turks, tolk nodig.",
    "Budgetbeheer via het OCMW.",
    "Afspraak met de school in november.",
    "Opa helpt met vervoer.",
)


def secrets_of(payload) -> list[str]:
    found = [CARER, CHILD, QUESTION, CONSENT_BY, PHONE, ADDRESS, *NOTES]
    for c in payload["household"]["children"]:
        found += [c["first_name"], c["birth_date"]]
    return found


def test_every_published_event_is_free_of_personal_data(verband):
    cases = verband.start(CasesService)
    a = Network("1G1P Asse-Meise-Vilvoorde")
    seed(verband, cases, a)
    tap = verband.tap("cases")
    payload_contact = {"phone": PHONE, "address": ADDRESS}
    receipt = refer(
        verband,
        a,
        contact=payload_contact,
        urgency="urgent_dangerous",
        life_domains=["housing", "school"],
    )
    case = receipt["case_id"]
    today = dt.date.today().isoformat()
    with as_(verband, a.coordinator) as rpc:
        onto_list(verband, a, case, [a.offer, a.offer2])
        entry = verband.sql(
            cases.db_url, "SELECT id::text FROM waiting_entries WHERE offer_id = %s", (a.offer2,)
        )[0]["id"]
        rpc.cases.log_warm_contact(
            entry, {"contact_on": today, "channel": "home_visit", "note": NOTES[0]}
        )
        rpc.cases.record_bridging(
            case, {"kind": "consultation", "starts_on": today, "note": NOTES[1]}
        )
        rpc.cases.remove_from_waiting_list(entry, {"reason": "no_longer_needed", "note": NOTES[2]})
        t = rpc.cases.start_trajectory(case, {"case_manager_id": a.coach_a, "offer_id": a.offer})
        rpc.cases.change_contact_point(
            t["id"], {"case_manager_id": a.manager_b, "reason": NOTES[4]}
        )
        rpc.cases.update_plan(
            case,
            {
                "goals": [
                    {
                        "text": NOTES[3],
                        "actions": [
                            {
                                "text": NOTES[4],
                                "responsible_organisation_id": a.org_a,
                                "due_on": today,
                            }
                        ],
                    }
                ],
                "family_part": NOTES[0],
                "review_dates": [today],
            },
        )
        rpc.cases.flag_bottleneck(case, {"reason_category": "cooperation_stuck", "note": NOTES[1]})
        rpc.cases.close_trajectory(t["id"], {"outcome": "goals_reached", "note": NOTES[2]})
        rpc.cases.reopen_trajectory(t["id"], {"reason": NOTES[3]})

    expected = {
        "referral_received",
        "crisis_alert_raised",
        "referral_triaged",
        "waiting_list_entry_added",
        "warm_contact_logged",
        "waiting_list_entry_removed",
        "trajectory_started",
        "contact_point_changed",
        "plan_updated",
        "bottleneck_flagged",
        "trajectory_closed",
    }
    sent = wait_until(
        lambda: (got := verband.drain(tap)) and got,
        what="events published",
    )
    messages = list(sent)
    # Everything committed is published (in order); collect until every type has arrived.
    wait_until(
        lambda: (
            messages.extend(verband.drain(tap))
            or {m.payload["event_type"] for m in messages} >= expected
            and verband.count(cases.db_url, "outbox", "sent_at IS NULL") == 0
        ),
        what="every event type published",
    )
    messages.extend(verband.drain(tap))
    bodies = [m.payload if isinstance(m.payload, dict) else json.loads(m.body) for m in messages]
    assert {b["event_type"] for b in bodies} == expected
    assert len(bodies) == verband.count(cases.db_url, "outbox")

    secrets = secrets_of(referral(a.offer))
    family_id = str(verband.sql(cases.db_url, "SELECT id FROM families")[0]["id"])
    for body in bodies:
        load_event("cases", body["event_type"], body)  # each one keeps its contract
        assert set(body) <= EVENT_FIELDS, set(body) - EVENT_FIELDS
        text = json.dumps(body, ensure_ascii=False)
        for secret in secrets:
            assert secret not in text, (body["event_type"], secret)
        assert family_id not in text and family_id.replace("-", "") not in text
        # No free text at all: every string is an id, a code, a date or a pseudonym.
        for key, value in body.items():
            if isinstance(value, str):
                assert " " not in value, (body["event_type"], key, value)


@pytest.fixture
def world(verband):
    cases = verband.start(CasesService, CASE_RETENTION_DAYS=30)
    a = Network("1G1P Asse-Meise-Vilvoorde")
    seed(verband, cases, a)
    cases.a = a
    return cases


def test_access_request_export_and_erasure_except_under_legal_hold(verband, world):
    a = world.a
    case = refer(verband, a, contact={"phone": PHONE})["case_id"]
    onto_list(verband, a, case)
    with as_(verband, a.coach_a) as rpc, pytest.raises(Forbidden):
        rpc.cases.export_family(case)  # a worker on the case does not handle requests
    with as_(verband, a.admin) as rpc, pytest.raises(Forbidden):
        rpc.cases.export_family(case)  # handles requests, but may not read the family
    with as_(verband, a.coordinator) as rpc:
        export = rpc.cases.export_family(case)
        assert export["household"]["carers"][0]["name"] == CARER
        assert export["contact"]["phone"] == PHONE
        assert export["question"] == QUESTION
        assert [e["action"] for e in export["access_log"]][:2] == ["create_referral", "triage"]
    with as_(verband, a.admin) as rpc:
        rpc.cases.set_legal_hold(case, {"on": True, "reason": "Gerechtelijk onderzoek loopt."})
        with pytest.raises(Conflict) as refused:
            rpc.cases.erase_family(case, {"reason": "Vraag van de moeder."})
        assert "legal_hold" in refused.value.fields
        rpc.cases.set_legal_hold(case, {"on": False, "reason": "Onderzoek afgesloten."})
        assert rpc.cases.erase_family(case, {"reason": "Vraag van de moeder."})["erased"]

    stored = json.dumps(
        verband.sql(
            world.db_url,
            "SELECT f.household, f.contact, r.question,"
            " r.consent FROM families f JOIN referrals r"
            " ON r.family_id = f.id",
        ),
        default=str,
    )
    for secret in (CARER, CHILD, QUESTION, CONSENT_BY, PHONE):
        assert secret not in stored
    assert verband.count(world.db_url, "waiting_entries", "status = 'waiting'") == 0
    assert verband.count(world.db_url, "children") == 0
    # The account of who accessed it stays.
    assert verband.count(world.db_url, "audit_log", "action = 'erase_family'") == 1


def three_families(n: int) -> dict:
    household = referral(None)["household"]
    return {
        **household,
        "children": [{**c, "first_name": f"{c['first_name']} {n}"} for c in household["children"]],
    }


def test_closed_cases_are_anonymised_after_the_retention_period(verband, world):
    a = world.a
    # Three families (each its own children: the same child would join one record).
    old, recent, held = (
        refer(verband, a, household=three_families(n))["case_id"] for n in range(3)
    )
    with as_(verband, a.coordinator) as rpc:
        for case in (old, recent, held):
            t = rpc.cases.start_trajectory(case, {"case_manager_id": a.coach_a})
            rpc.cases.close_trajectory(t["id"], {"outcome": "moved_away"})
        rpc.cases.set_legal_hold(held, {"on": True, "reason": "Jeugdrechter."})
    verband.sql(
        world.db_url,
        "UPDATE trajectories SET closed_on = closed_on - 31,"
        " started_on = started_on - 40 WHERE referral_id = ANY(%s::uuid[])",
        ([old, held],),
    )
    with as_(verband, a.coordinator) as rpc, pytest.raises(Forbidden):
        rpc.cases.apply_retention(a.id)
    with as_(verband, a.admin) as rpc:
        assert rpc.cases.apply_retention(a.id) == {"anonymised": 1}
        assert rpc.cases.apply_retention(a.id) == {"anonymised": 0}
    rows = {
        str(r["id"]): r
        for r in verband.sql(
            world.db_url,
            "SELECT r.id, f.anonymised_at, f.household"
            " FROM referrals r JOIN families f ON f.id = r.family_id",
        )
    }
    assert rows[old]["anonymised_at"] is not None
    assert CARER not in json.dumps(rows[old]["household"])
    assert rows[recent]["anonymised_at"] is None and rows[held]["anonymised_at"] is None
    with as_(verband, a.coordinator) as rpc, pytest.raises(Conflict):
        tid = rpc.cases.get_case(old)["trajectories"][0]["id"]
        rpc.cases.reopen_trajectory(tid, {"reason": "Toch terug."})


def test_the_sweep_deletes_forgotten_drafts_and_old_access_log_entries(verband):
    cases = verband.start(
        CasesService, CASE_RETENTION_DAYS=30, DRAFT_RETENTION_DAYS=90, AUDIT_RETENTION_DAYS=365
    )
    a = Network("1G1P Asse-Meise-Vilvoorde")
    seed(verband, cases, a)
    with as_(verband, a.referrer) as rpc:
        old = rpc.cases.save_referral_draft(a.id, {"household": {"carers": [{"name": CARER}]}})
        recent = rpc.cases.save_referral_draft(a.id, {"question": QUESTION})
    verband.sql(
        cases.db_url,
        "UPDATE referral_drafts SET updated_at = now() - interval '91 days' WHERE id = %s",
        (old["id"],),
    )
    verband.sql(
        cases.db_url,
        "UPDATE audit_log SET at = now() - interval '366 days' WHERE detail ->> 'draft_id' = %s",
        (old["id"],),
    )
    entries = verband.count(cases.db_url, "audit_log")
    with entrypoint_hook(cases, "retention_sweep") as sweep:
        sweep()
    drafts = [str(r["id"]) for r in verband.sql(cases.db_url, "SELECT id FROM referral_drafts")]
    assert drafts == [recent["id"]]
    assert verband.count(cases.db_url, "audit_log") == entries - 1
