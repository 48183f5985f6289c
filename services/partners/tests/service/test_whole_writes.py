"""A write is whole or absent: the service answers every write with what its schema
promises, and a write it could not answer is rolled back, so no row is left that a later read
cannot serve."""

import pytest
from nameko.exceptions import RemoteError

from verband_common.errors import ValidationFailed
from verband_common.schemas import partners as schemas

pytestmark = pytest.mark.service

AGREEMENT = {
    "title": "Volumeafspraak OCJ",
    "kind": "mandated_body",
    "parties": [{"name": "OCJ Halle-Vilvoorde"}],
    "starts_on": "2026-01-01",
    "agreed_number": 12,
    "used_number": 3,
}


def promised(agreement: dict) -> dict:
    """The answer as the gateway loads it: any broken promise raises here."""
    return schemas.Agreement().load(agreement)


def test_a_follow_up_without_a_count_keeps_the_agreements_readable(world):
    a = world.network_a
    with world.rpc(world.coordinator_a) as rpc:
        recorded = rpc.partners.record_agreement(a, AGREEMENT)
        followed = rpc.partners.add_agreement_follow_up(
            recorded["id"], {"held_on": "2026-03-01", "notes": "Geen nieuwe cijfers."}
        )
        promised(followed)
        assert followed["follow_ups"][0]["used_number"] is None
        assert followed["used_number"] == 3  # a follow-up without a count keeps the count
        # The reads and writes that broke for everyone once such a follow-up was stored.
        listed = rpc.partners.list_agreements(a)
        assert [promised(x)["id"] for x in listed] == [promised(followed)["id"]]
        updated = rpc.partners.update_agreement(recorded["id"], {"status": "ended"})
        assert promised(updated)["status"] == "ended"
        # null says the same as leaving the count out.
        again = rpc.partners.add_agreement_follow_up(
            recorded["id"], {"held_on": "2026-04-01", "notes": "Nog niets.", "used_number": None}
        )
        assert [f["used_number"] for f in promised(again)["follow_ups"]] == [None, None]


def test_a_write_that_cannot_be_answered_is_rolled_back(world, monkeypatch):
    a = world.network_a
    with world.rpc(world.coordinator_a) as rpc:
        recorded = rpc.partners.record_agreement(a, AGREEMENT)
    before = world.verband.sql(world.db, "SELECT * FROM agreements")

    # A bug that makes the answer break its schema (follow_up_due is a required boolean).
    from partners import service

    monkeypatch.setattr(service.agreement_rules, "follow_up_due", lambda row, today: None)
    with world.rpc(world.coordinator_a) as rpc:
        with pytest.raises(RemoteError) as broken:
            rpc.partners.add_agreement_follow_up(
                recorded["id"],
                {"held_on": "2026-03-01", "notes": "Tien gezinnen.", "used_number": 10},
            )
    assert broken.value.exc_type == "BrokenAnswer"
    # Nothing of the write is left: no follow-up, the agreement as it was, no event.
    assert world.verband.count(world.db, "agreement_follow_ups") == 0
    assert world.verband.sql(world.db, "SELECT * FROM agreements") == before

    monkeypatch.undo()
    with world.rpc(world.coordinator_a) as rpc:
        assert [promised(x)["used_number"] for x in rpc.partners.list_agreements(a)] == [3]


def test_text_no_field_may_hold_is_refused_over_rpc_too(world):
    """An RPC caller other than the gateway meets the same character rule."""
    a = world.network_a
    with world.rpc(world.coordinator_a) as rpc:
        for title, notes in (("OCJ\x00", "ok"), ("OCJ\ud800", "ok"), ("OCJ\n2", "ok")):
            with pytest.raises(ValidationFailed) as refused:
                rpc.partners.record_agreement(a, {**AGREEMENT, "title": title, "notes": notes})
            assert set(refused.value.fields) == {"title"}
        with pytest.raises(ValidationFailed) as refused:
            rpc.partners.record_agreement(a, {**AGREEMENT, "notes": "lijn\x00"})
        assert set(refused.value.fields) == {"notes"}
        # Notes are prose: line breaks and tabs are theirs.
        kept = rpc.partners.record_agreement(a, {**AGREEMENT, "notes": "een\r\ntwee\tdrie"})
        assert kept["notes"] == "een\r\ntwee\tdrie"
    assert world.verband.count(world.db, "agreements") == 1
