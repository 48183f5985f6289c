"""Bad input to the cases RPCs is refused with a Dutch message naming each bad field, and
stores nothing: not a row, not an event, not an audit entry.

(`health` takes no input.)"""

import datetime as dt
import uuid

import pytest
from cases_world import Network, as_, onto_list, refer, seed
from verband_servicekit import referral, years_ago

from cases.service import CasesService
from verband_common.errors import ValidationFailed

pytestmark = pytest.mark.service


@pytest.fixture
def world(verband):
    cases = verband.start(CasesService)
    a, b = Network("1G1P Asse-Meise-Vilvoorde"), Network("RTJ Halle")
    seed(verband, cases, a, b)
    cases.a, cases.b = a, b
    return cases


def child(born) -> dict:
    return {"first_name": "Lotte", "birth_date": born.isoformat()}


def referral_calls(a: Network, b: Network):
    network, offer = a.id, a.offer
    return [
        (("not-an-id", referral(offer)), {"network_id"}),
        ((network, "just text"), {"_schema"}),
        (
            (network, {}),
            {
                "offer_id",
                "source_sector",
                "municipality",
                "concern",
                "question",
                "household",
                "consent",
            },
        ),
        ((network, referral(offer, municipality="1000")), {"municipality"}),
        # A municipality outside the network's area.
        ((network, referral(offer, municipality="44021")), {"municipality"}),
        ((network, referral(offer, concern="dramatic")), {"concern"}),
        ((network, referral(offer, notes="free text")), {"notes"}),
        ((network, referral(offer, urgency="asap")), {"urgency"}),
        ((network, referral(offer, life_domains=["housing", "luck"])), {"life_domains.1"}),
        # A birth date in the future.
        (
            (
                network,
                referral(
                    offer,
                    household={
                        "carers": [{"name": "X"}],
                        "children": [child(years_ago(0, days=-3))],
                    },
                ),
            ),
            {"household.children.0.birth_date"},
        ),
        # A child past the 25th birthday: outside youth care.
        (
            (
                network,
                referral(
                    offer,
                    household={
                        "carers": [{"name": "X"}],
                        "children": [child(years_ago(25, days=1))],
                    },
                ),
            ),
            {"household.children.0.birth_date"},
        ),
        (
            (
                network,
                referral(
                    offer,
                    consent={"given_by": "X", "given_on": "gisteren", "sharing": ["everyone"]},
                ),
            ),
            {"consent.given_on", "consent.sharing.0"},
        ),
        # Without consent: no referral (only an anonymous consultation).
        ((network, {k: v for k, v in referral(offer).items() if k != "consent"}), {"consent"}),
        # Consent that covers no sharing at all.
        (
            (
                network,
                referral(offer, consent={"given_by": "X", "given_on": "2025-01-02", "sharing": []}),
            ),
            {"consent.sharing"},
        ),
        ((network, referral(uuid.uuid4())), {"offer_id"}),  # unknown offer
        ((network, referral(b.offer)), {"offer_id"}),  # another network's offer
        (
            (network, referral(offer, requested_offer_ids=[str(uuid.uuid4())])),
            {"requested_offer_ids.0"},
        ),
    ]


def assert_refused(rpc_call, fields):
    with pytest.raises(ValidationFailed) as refused:
        rpc_call()
    assert set(refused.value.fields) == fields
    assert refused.value.message
    for messages in refused.value.fields.values():
        assert all(isinstance(m, str) and m for m in messages)
    return refused.value


def test_bad_referrals_are_refused_naming_the_field_and_store_nothing(verband, world):
    a, b = world.a, world.b
    before = verband.counts(world.db_url)
    with as_(verband, a.referrer) as rpc:
        for args, fields in referral_calls(a, b):
            assert_refused(lambda args=args: rpc.cases.receive_referral(*args), fields)
    assert verband.counts(world.db_url) == before
    assert before["referrals"] == before["families"] == before["outbox"] == 0
    assert before["audit_log"] == 0

    # The same service takes a sound referral: the refusals were about the input.
    receipt = refer(verband, a)
    assert receipt["status"] == "received"
    assert verband.count(world.db_url, "referrals") == 1


def test_no_consent_says_what_can_be_done_instead(verband, world):
    a = world.a
    payload = {k: v for k, v in referral(a.offer).items() if k != "consent"}
    with as_(verband, a.referrer) as rpc:
        refused = assert_refused(lambda: rpc.cases.receive_referral(a.id, payload), {"consent"})
        assert "anonieme consultatie" in refused.message
        # ... and that can: no names, no birth dates.
        done = rpc.cases.register_consultation(
            a.id,
            {
                "municipality": "23002",
                "concern": "some",
                "age_bands": ["6-11"],
                "advice": "Doorverwezen naar de opvoedingswinkel.",
            },
        )
    assert done["age_bands"] == ["6-11"]
    assert verband.count(world.db_url, "referrals") == 0


def test_bad_casework_is_refused_naming_the_field_and_stores_nothing(verband, world):
    a = world.a
    case = refer(verband, a)["case_id"]
    entry_case = refer(
        verband, a, household={"carers": [{"name": "An"}], "children": [child(years_ago(4))]}
    )["case_id"]
    onto_list(verband, a, entry_case)
    entry = verband.sql(world.db_url, "SELECT id FROM waiting_entries")[0]["id"]
    yesterday = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    outsider = str(uuid.uuid4())
    plan = {
        "goals": [
            {
                "text": "Dat Jens weer naar school gaat.",
                "actions": [
                    {
                        "text": "Gesprek met de school",
                        "responsible_organisation_id": a.org_a,
                        "due_on": dt.date.today().isoformat(),
                    }
                ],
            }
        ],
        "family_part": "Mama belt de school.",
    }
    before = verband.counts(world.db_url)
    with as_(verband, a.coordinator) as rpc:
        calls = [
            # Triage without a reason.
            (lambda: rpc.cases.triage_referral(case, {"decision": "decline"}), {"reason"}),
            (
                lambda: rpc.cases.triage_referral(case, {"decision": "decline", "reason": ""}),
                {"reason"},
            ),
            (
                lambda: rpc.cases.triage_referral(case, {"decision": "maybe", "reason": "x"}),
                {"decision"},
            ),
            (
                lambda: rpc.cases.triage_referral(
                    case, {"decision": "waiting_list", "reason": "x", "offer_ids": []}
                ),
                {"offer_ids"},
            ),
            (
                lambda: rpc.cases.triage_referral(
                    case, {"decision": "waiting_list", "reason": "x", "offer_ids": [world.b.offer]}
                ),
                {"offer_ids.0"},
            ),
            (
                lambda: rpc.cases.triage_referral(case, {"decision": "refer_on", "reason": "x"}),
                {"refer_to"},
            ),
            (
                lambda: rpc.cases.triage_referral(
                    case, {"decision": "start_now", "reason": "x", "case_manager_id": a.referrer}
                ),
                {"case_manager_id"},
            ),
            (
                lambda: rpc.cases.triage_referral("nope", {"decision": "decline", "reason": "x"}),
                {"case_id"},
            ),
            # A warm contact dated before the referral (which came in today).
            (
                lambda: rpc.cases.log_warm_contact(
                    entry, {"contact_on": yesterday, "channel": "phone", "note": "Gebeld."}
                ),
                {"contact_on"},
            ),
            (
                lambda: rpc.cases.log_warm_contact(
                    entry, {"contact_on": "2999-01-01", "channel": "phone"}
                ),
                {"contact_on"},
            ),
            (
                lambda: rpc.cases.log_warm_contact(
                    entry, {"contact_on": dt.date.today().isoformat(), "channel": "pigeon"}
                ),
                {"channel"},
            ),
            # Leaving the list always with a reason.
            (lambda: rpc.cases.remove_from_waiting_list(entry, {}), {"reason"}),
            # A plan action for a partner outside the network.
            (
                lambda: rpc.cases.update_plan(
                    case,
                    {
                        **plan,
                        "goals": [
                            {
                                **plan["goals"][0],
                                "actions": [
                                    {
                                        **plan["goals"][0]["actions"][0],
                                        "responsible_organisation_id": outsider,
                                    }
                                ],
                            }
                        ],
                    },
                ),
                {"goals.0.actions.0.responsible_organisation_id"},
            ),
            (lambda: rpc.cases.update_plan(case, {**plan, "goals": []}), {"goals"}),
            (
                lambda: rpc.cases.start_trajectory(case, {"case_manager_id": outsider}),
                {"case_manager_id"},
            ),
            (
                lambda: rpc.cases.flag_bottleneck(case, {"reason_category": "bad luck"}),
                {"reason_category"},
            ),
            (
                lambda: rpc.cases.record_bridging(
                    case,
                    {
                        "kind": "consultation",
                        "starts_on": "2026-01-01",
                        "organisation_id": outsider,
                    },
                ),
                {"organisation_id"},
            ),
        ]
        for call, fields in calls:
            assert_refused(call, fields)
    assert verband.counts(world.db_url) == before
