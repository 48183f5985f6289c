"""`generate_reports`: the period's drafts of several networks in one call, each the same
report `generate_report` gives; access checked per network, all or nothing."""

import pytest
from reporting_world import Q1, World, hand_computed_q1

from reporting.service import ReportingService
from verband_common.errors import Conflict, Forbidden, NotFound, Unauthenticated, ValidationFailed

pytestmark = pytest.mark.service

APPROVAL = {"body_name": "Stuurgroep", "decided_on": "2026-04-10"}


def values(content) -> dict:
    return {i["key"]: i["value"] for i in content["indicators"]}


def as_(verband, person):
    return verband.rpc(context_data={"actor": f"person:{person}"})


def refused(error_type, call, *args) -> dict:
    with pytest.raises(error_type) as error:
        call(*args)
    return error.value.fields


def test_drafts_of_several_networks_match_one_by_one_and_are_regenerated(verband):
    reporting = verband.start(ReportingService, SUPPRESSION_THRESHOLD=1)
    w = World(verband, reporting)
    north, a = w.network("Limburg", "RTJ Noord-Limburg")
    maasland, b = w.network("Limburg", "1G1P Maasland")
    kempen, c = w.network("Antwerpen", "RTJ Kempen")
    admin, g1 = w.role(north, "network_admin", name="Nele Netwerkbeheer")
    _, g2 = w.role(maasland, "coordinator", person_id=admin)
    _, g3 = w.role(kempen, "network_admin", person_id=admin)
    w.send(*a, *b, *c, g1, g2, g3, *hand_computed_q1(w, north))
    ids = [str(kempen), str(north), str(maasland)]

    with as_(verband, admin) as rpc:
        drafts = rpc.reporting.generate_reports(ids, Q1)
        assert [d["network_id"] for d in drafts] == ids  # in the order asked
        assert [d["network_name"] for d in drafts] == [
            "RTJ Kempen",
            "RTJ Noord-Limburg",
            "1G1P Maasland",
        ]
        assert [d["region"] for d in drafts] == ["Antwerpen", "Limburg", "Limburg"]
        assert {(d["status"], d["version"]) for d in drafts} == {("draft", 1)}
        assert drafts[1]["period"] == {
            "kind": "quarter",
            "start": "2026-01-01",
            "end": "2026-03-31",
        }
        assert values(drafts[1]["content"])["referrals"] == 4
        assert values(drafts[0]["content"])["referrals"] == 0
        assert drafts[1]["content"]["signals"][0]["title"] == "Wachttijd gezinscoaching te lang"
        assert drafts[0]["content"]["signals"] == []

        # The same report as one network's generate_report: that call regenerates it.
        one = rpc.reporting.generate_report(str(north), Q1)
        assert one["id"] == drafts[1]["id"] and one["version"] == 1
        assert one["content"] == drafts[1]["content"]

        # Again: each draft is regenerated in place, with a new figure where one arrived.
        offer_id, offer = w.offer(north)
        _, late = w.referral(north, offer_id, "2026-03-15", "ocmw", "71016", "some")
        w.send(offer, late)
        again = rpc.reporting.generate_reports(ids, Q1)
        assert [d["id"] for d in again] == [d["id"] for d in drafts]
        assert {d["version"] for d in again} == {1}
        assert values(again[1]["content"])["referrals"] == 5
        assert rpc.reporting.get_report(drafts[1]["id"])["content"] == again[1]["content"]
        assert len(rpc.reporting.list_reports({})) == 3

        # One approved report refuses the whole call, naming it; nothing changes.
        rpc.reporting.approve_report(drafts[2]["id"], APPROVAL)
        before = verband.counts(reporting.db_url)
        kept = rpc.reporting.get_report(drafts[1]["id"])
        fields = refused(Conflict, rpc.reporting.generate_reports, ids, Q1)
        assert set(fields) == {"network_ids.2"}
        assert verband.counts(reporting.db_url) == before
        assert rpc.reporting.get_report(drafts[1]["id"])["generated_at"] == kept["generated_at"]
        # Without it the others are drafted as before; a new period gets new drafts.
        assert len(rpc.reporting.generate_reports(ids[:2], Q1)) == 2
        q2 = rpc.reporting.generate_reports(ids, {"kind": "quarter", "start": "2026-04-01"})
        assert {d["id"] for d in q2}.isdisjoint(d["id"] for d in drafts)
        assert len(rpc.reporting.list_reports({})) == 6


def test_a_network_the_actor_may_not_manage_refuses_the_call_and_stores_nothing(verband):
    reporting = verband.start(ReportingService)
    w = World(verband, reporting)
    north, a = w.network("Limburg", "RTJ Noord-Limburg")
    maasland, b = w.network("Limburg", "1G1P Maasland")
    kempen, c = w.network("Antwerpen", "RTJ Kempen")
    coordinator, g1 = w.role(north, "coordinator")
    _, g2 = w.role(maasland, "iroj_viewer", person_id=coordinator)
    worker, g3 = w.role(north, "partner_worker")
    revoked, g4 = w.role(north, "coordinator")
    _, r4 = w.role(north, "coordinator", person_id=revoked, granted=False)
    w.send(*a, *b, *c, g1, g2, g3, g4, r4)
    before = verband.counts(reporting.db_url)

    with as_(verband, coordinator) as rpc:
        r = rpc.reporting
        # A role in the network, but not one that manages it.
        assert refused(Forbidden, r.generate_reports, [str(north), str(maasland)], Q1) == {
            "network_ids.1": [
                "Alleen de coördinator of de netwerkbeheerder werkt met de rapportering."
            ]
        }
        # No role at all: the network does not exist for this actor.
        assert set(refused(NotFound, r.generate_reports, [str(north), str(kempen)], Q1)) == {
            "network_ids.1"
        }
    for person in (worker, revoked):
        with as_(verband, person) as rpc:
            with pytest.raises((Forbidden, NotFound)):
                rpc.reporting.generate_reports([str(north)], Q1)
    with verband.rpc() as rpc, pytest.raises(Unauthenticated):
        rpc.reporting.generate_reports([str(north)], Q1)
    with verband.rpc(context_data={"actor": f"token:{coordinator}"}) as rpc:
        with pytest.raises(NotFound):
            rpc.reporting.generate_reports([str(north)], Q1)
    assert verband.counts(reporting.db_url) == before

    # The coordinator's own network alone is fine.
    with as_(verband, coordinator) as rpc:
        [draft] = rpc.reporting.generate_reports([str(north)], Q1)
        assert draft["network_id"] == str(north)


def test_bad_input_is_refused_naming_the_field_and_stores_nothing(verband):
    reporting = verband.start(ReportingService)
    w = World(verband, reporting)
    network, events = w.network()
    coordinator, grant = w.role(network, "coordinator")
    w.send(*events, grant)
    n = str(network)
    before = verband.counts(reporting.db_url)
    with as_(verband, coordinator) as rpc:
        r = rpc.reporting

        def bad(*args) -> set:
            return set(refused(ValidationFailed, r.generate_reports, *args))

        assert bad([], Q1) == {"network_ids"}
        assert bad(None, Q1) == {"network_ids"}
        assert bad(n, Q1) == {"network_ids"}
        assert bad([n, "netwerk-7"], Q1) == {"network_ids.1"}
        assert bad([n, n], Q1) == {"network_ids"}
        assert bad([n] * 101, Q1) == {"network_ids"}
        assert bad([n], {"kind": "month", "start": "2026-01-01"}) == {"period.kind"}
        assert bad([n], {"kind": "quarter", "start": "2026-02-01"}) == {"period.start"}
        assert bad([n], {"kind": "year"}) == {"period.start"}
        assert bad([n], "Q1") == {"period._schema"}
        assert r.list_reports({}) == []
    assert verband.counts(reporting.db_url) == before
