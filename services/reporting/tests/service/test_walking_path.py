"""The walking path at service level: partners publishes an offer, cases learns it and takes
a referral, reporting counts it, and a rebuild from the event log gives the same count; a
scan of the whole reporting database then finds nothing of the family. And a signal raised
in a meeting reaches the network's report and IROJ."""

import datetime as dt
import json
import sys
import uuid
from pathlib import Path

import pytest
from nameko.testing.services import entrypoint_waiter
from verband_servicekit import (
    CARER,
    CHILD,
    CONSENT_BY,
    QUESTION,
    join_network,
    referral,
    role_version,
    seed_partners,
)
from verband_servicekit import offer as make_offer

from cases.service import CasesService
from partners.service import PartnersService
from reporting.service import ReportingService
from verband_common.contracts import new_event

MEETINGS_TESTS = Path(__file__).resolve().parents[3] / "meetings" / "tests" / "service"
if str(MEETINGS_TESTS) not in sys.path:
    sys.path.insert(0, str(MEETINGS_TESTS))

pytestmark = pytest.mark.service

ADDRESS = "Kerkstraat 12, 1730 Asse"
PHONE = "+32 470 12 34 56"
EMAIL = "mieke.vermeulen@voorbeeld.test"

REFERRAL_FIELDS = {
    "event_id",
    "event_type",
    "source",
    "version",
    "occurred_at",
    "network_id",
    "referral_id",
    "offer_id",
    "family_pseudonym",
    "age_bands",
    "municipality",
    "concern",
    "source_sector",
    "received_on",
    # Whether the coordinators must be warned at once (partners' notices): a flag, not data
    # about the family.
    "crisis_alert",
}


def assert_no_personal_data(body: dict, payload: dict):
    assert set(body) == REFERRAL_FIELDS
    text = json.dumps(body, ensure_ascii=False)
    for child in payload["household"]["children"]:
        assert child["first_name"] not in text
        assert child["birth_date"] not in text
    for secret in (CARER, CHILD, QUESTION, CONSENT_BY, payload["consent"]["given_on"]):
        assert secret not in text


def test_offer_to_referral_to_count(verband):
    verband.start(PartnersService)
    cases = verband.start(CasesService)
    reporting = verband.start(ReportingService)

    seed = seed_partners(verband)
    with verband.rpc(context_data={"actor": seed["actor"]}) as rpc:
        network = seed["network"]["id"]
        with entrypoint_waiter(cases, "on_offer_published", timeout=15):
            offer = rpc.partners.publish_offer(network, make_offer(seed["organisation"]["id"]))
        assert rpc.reporting.referral_count(network)["referrals"] == 0

        # cases takes referrals only from someone with a role in the network (it learns
        # roles from partners' role_granted events), not from the platform admin.
        joined = join_network(
            verband, rpc, network, "Els Verwijzer", "els@ocmw.test", seed["organisation"]["id"]
        )
        referrer = {"id": joined["person_id"]}
        with entrypoint_waiter(cases, "on_role_granted", timeout=15):
            rpc.partners.grant_role(network, referrer["id"], "referrer")

    payload = referral(
        offer["id"],
        contact={"phone": PHONE, "email": EMAIL, "address": ADDRESS},
        life_domains=["school", "housing"],
    )
    with verband.rpc(context_data={"actor": f"person:{referrer['id']}"}) as rpc:
        with entrypoint_waiter(reporting, "on_referral_received", timeout=15) as counted:
            receipt = rpc.cases.receive_referral(network, payload)
        assert receipt["status"] == "received"
        assert receipt["network_id"] == network and receipt["offer_id"] == offer["id"]

        # What left cases: a pseudonym, age bands, municipality, concern, dates; nothing more.
        sent = verband.sql(cases.db_url, "SELECT body FROM outbox")[0]["body"]
        assert_no_personal_data(sent, payload)
        family = verband.sql(cases.db_url, "SELECT id FROM families")[0]["id"]
        assert len(sent["family_pseudonym"]) == 32
        assert sent["family_pseudonym"] != family.hex  # keyed, not the id itself
        assert family.hex not in json.dumps(sent) and str(family) not in json.dumps(sent)
        assert sent["age_bands"] == ["12-17", "6-11"]
        assert sent["referral_id"] == receipt["referral_id"]
        assert counted.worker_ctx.args[0][0]["event_id"].hex == sent["event_id"].replace("-", "")
        # ... and what reporting keeps of it.
        kept = verband.sql(
            reporting.db_url,
            "SELECT body FROM event_log WHERE event_type = 'referral_received'",
        )
        assert [k["body"] for k in kept] == [sent]

        count = rpc.reporting.referral_count(network)
        assert count["referrals"] == 1
        assert count["last_event_at"] is not None

        # A rebuild recomputes the projection from the event log (even a damaged one).
        verband.sql(reporting.db_url, "UPDATE referral_counts SET referrals = 99")
        logged = verband.count(reporting.db_url, "event_log")
        assert logged > 1  # partners' events too: the network, its offer, roles
        assert rpc.reporting.rebuild_projections() == {"events_replayed": logged}
        assert rpc.reporting.referral_count(network) == count

        # Nothing of the family anywhere in reporting's database: every row of every table.
        secrets = [CARER, CHILD, "Jens", QUESTION, CONSENT_BY, ADDRESS, PHONE, EMAIL]
        secrets += [c["birth_date"] for c in payload["household"]["children"]]
        secrets += [payload["consent"]["given_on"], "Mieke", "Vermeulen", "Kerkstraat"]
        found = scan(verband, reporting.db_url, secrets)
        assert found == [], found
        # The scan does see text: the referrer's own name (a professional) is kept.
        assert ("people", "Els Verwijzer") in scan(verband, reporting.db_url, ["Els Verwijzer"])
        # ... and what reporting shows of it: aggregates only, the pseudonym never.
    with verband.rpc(context_data={"actor": seed["actor"]}) as rpc:
        joined = join_network(
            verband,
            rpc,
            network,
            "Greet Coördinator",
            "greet@verband.test",
            seed["organisation"]["id"],
        )
        coordinator = {"id": joined["person_id"]}
        with entrypoint_waiter(reporting, "on_role_granted", timeout=15):
            rpc.partners.grant_role(network, coordinator["id"], "coordinator")
    received = dt.date.today().replace(day=1)
    with verband.rpc(context_data={"actor": f"person:{coordinator['id']}"}) as rpc:
        shown = rpc.reporting.indicators(network, {"kind": "month", "start": received.isoformat()})
    text = json.dumps(shown, ensure_ascii=False)
    assert sent["family_pseudonym"] not in text
    for secret in secrets:
        assert secret not in text
    referrals = next(i for i in shown["indicators"] if i["key"] == "referrals")
    assert referrals["display"] == "<5" and referrals["value"] is None


def scan(verband, db_url, secrets) -> list:
    """(table, secret) for every secret found in any row of any table, as text."""
    tables = [
        r["tablename"]
        for r in verband.sql(db_url, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    ]
    found = []
    for table in tables:
        for row in verband.sql(db_url, f"SELECT row_to_json(t)::text AS doc FROM {table} t"):
            found += [(table, s) for s in secrets if s.lower() in row["doc"].lower()]
    return found


def test_a_signal_raised_in_a_meeting_reaches_the_report_and_iroj(verband):
    from meetings_support import World as MeetingsWorld

    reporting = verband.start(ReportingService)
    world = MeetingsWorld(verband)  # meetings, and reporting, learn the people's roles
    network = str(world.network)
    iroj = uuid.uuid4()
    with entrypoint_waiter(reporting, "on_network_created", timeout=15):
        verband.publish(
            "partners",
            new_event(
                "partners",
                "network_created",
                network,
                {
                    "name": "1G1P Asse-Meise-Vilvoorde",
                    "kind": "1G1P",
                    "region": "Vlaams-Brabant/Brussel",
                },
            ),
        )
    with entrypoint_waiter(reporting, "on_role_granted", timeout=15):
        verband.publish(
            "partners",
            new_event(
                "partners",
                "role_granted",
                network,
                {
                    "person_id": str(iroj),
                    "role": "iroj_viewer",
                    "organisation_id": None,
                    "role_version": role_version(),
                },
            ),
        )
    body = world.create_body()
    meeting = world.meeting_soon(body)
    with entrypoint_waiter(reporting, "on_signal_raised", timeout=15):
        with world.rpc(world.chair) as rpc:
            rpc.meetings.raise_signal(
                meeting["id"],
                {
                    "kind": "pain_point",
                    "title": "Te weinig plaatsen in gezinscoaching",
                    "description": "Wachttijden lopen op tot vier maanden.",
                },
            )
    today = dt.date.today()
    quarter = {
        "kind": "quarter",
        "start": dt.date(today.year, (today.month - 1) // 3 * 3 + 1, 1).isoformat(),
    }
    with world.rpc(world.coordinator) as rpc:
        shown = rpc.reporting.indicators(network, quarter)
        assert shown["signals"] == [
            {
                "raised_at": today.isoformat(),
                "body_kind": "beleidsgroep",
                "kind": "pain_point",
                "title": "Te weinig plaatsen in gezinscoaching",
            }
        ]
        signals = next(i for i in shown["indicators"] if i["key"] == "signals_raised")
        assert signals["value"] == 1  # governance, not families: not suppressed
        report = rpc.reporting.generate_report(network, quarter)
        rpc.reporting.approve_report(
            report["id"], {"body_name": "Beleidsgroep", "decided_on": today.isoformat()}
        )
        rpc.reporting.publish_report(report["id"])
    with verband.rpc(context_data={"actor": f"person:{iroj}"}) as rpc:
        rollup = rpc.reporting.region_rollup("Vlaams-Brabant/Brussel", quarter)
        assert [s["title"] for s in rollup["signals"]] == ["Te weinig plaatsen in gezinscoaching"]
        kept = rpc.reporting.get_report(report["id"])
        assert "Wachttijden lopen op" not in json.dumps(kept)  # the title, not the description
