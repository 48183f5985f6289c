"""The life of a report (draft -> approved by the named body -> published; a correction
after publication is a new version with its reason, the old one superseded and kept), a
late event after its period was reported, and IROJ's view: published reports of its own
region only, and its region's roll-up."""

import pytest
from reporting_world import Q1, World, hand_computed_q1

from reporting.service import ReportingService
from verband_common.errors import Conflict, Forbidden, NotFound, Unauthenticated

pytestmark = pytest.mark.service

Q2 = {"kind": "quarter", "start": "2026-04-01"}
APPROVAL = {"body_name": "Stuurgroep RTJ Noord-Limburg", "decided_on": "2026-04-10"}


def values(content) -> dict:
    return {i["key"]: i["value"] for i in content["indicators"]}


def as_(verband, person):
    return verband.rpc(context_data={"actor": f"person:{person}"})


def test_draft_approved_published_then_a_late_event_and_a_correction(verband):
    reporting = verband.start(ReportingService, SUPPRESSION_THRESHOLD=1)
    w = World(verband, reporting)
    network, events = w.network()
    coordinator, grant = w.role(network, "coordinator", name="Greet Coördinator")
    iroj, iroj_grant = w.role(network, "iroj_viewer", name="Ilse IROJ")
    w.send(*events, grant, iroj_grant, *hand_computed_q1(w, network))

    with as_(verband, coordinator) as rpc:
        draft = rpc.reporting.generate_report(str(network), Q1)
        assert (draft["status"], draft["version"]) == ("draft", 1)
        assert draft["period"] == {"kind": "quarter", "start": "2026-01-01", "end": "2026-03-31"}
        assert values(draft["content"])["referrals"] == 4
        assert draft["approved_by"] is None and draft["correction_of"] is None
        again = rpc.reporting.generate_report(str(network), Q1)
        assert again["id"] == draft["id"] and again["version"] == 1
        with pytest.raises(Conflict):
            rpc.reporting.publish_report(draft["id"])
        approved = rpc.reporting.approve_report(draft["id"], APPROVAL)
        assert approved["status"] == "approved"
        assert approved["approved_by"] == "Greet Coördinator"
        assert approved["approved_by_body"] == APPROVAL["body_name"]
        assert approved["approved_on"] == "2026-04-10" and approved["approved_at"]
        with pytest.raises(Conflict):
            rpc.reporting.approve_report(draft["id"], APPROVAL)
        with pytest.raises(Conflict):
            rpc.reporting.generate_report(str(network), Q1)
        with pytest.raises(Conflict):
            rpc.reporting.correct_report(draft["id"], {"reason": "Te vroeg."})
        published = rpc.reporting.publish_report(draft["id"])
        assert published["status"] == "published" and published["published_at"]

    # IROJ sees it now, and its roll-up sums it.
    with as_(verband, iroj) as rpc:
        assert [r["id"] for r in rpc.reporting.list_reports({})] == [draft["id"]]
        rollup = rpc.reporting.region_rollup("Limburg", Q1)
        assert values(rollup)["referrals"] == 4
        assert [n["report_id"] for n in rollup["networks"]] == [draft["id"]]
        assert rollup["signals"][0]["title"] == "Wachttijd gezinscoaching te lang"

    # A referral of 15 March, held up on its way, arrives after Q1 was published.
    offer_id, offer = w.offer(network)
    _, late = w.referral(network, offer_id, "2026-03-15", "ocmw", "71016", "some")
    w.send(offer, late)
    with as_(verband, coordinator) as rpc:
        assert values(rpc.reporting.indicators(str(network), Q1))["referrals"] == 5
        kept = rpc.reporting.get_report(draft["id"])
        assert values(kept["content"])["referrals"] == 4  # frozen as approved
        correction = rpc.reporting.correct_report(
            draft["id"], {"reason": "Een aanmelding van 15 maart kwam te laat binnen."}
        )
        assert (correction["status"], correction["version"]) == ("draft", 2)
        assert correction["correction_of"] == draft["id"]
        assert correction["correction_reason"].startswith("Een aanmelding van 15 maart")
        assert values(correction["content"])["referrals"] == 5
        with pytest.raises(Conflict):
            rpc.reporting.correct_report(draft["id"], {"reason": "Nog eens."})
        rpc.reporting.approve_report(correction["id"], APPROVAL)
        # Until the correction is published, IROJ keeps reading version 1.
        with as_(verband, iroj) as iroj_rpc:
            assert [r["version"] for r in iroj_rpc.reporting.list_reports({})] == [1]
        rpc.reporting.publish_report(correction["id"])
        statuses = {r["version"]: r["status"] for r in rpc.reporting.list_reports({})}
        assert statuses == {1: "superseded", 2: "published"}
        assert rpc.reporting.get_report(draft["id"])["status"] == "superseded"  # kept

    with as_(verband, iroj) as rpc:
        assert [r["id"] for r in rpc.reporting.list_reports({})] == [correction["id"]]
        with pytest.raises(NotFound):
            rpc.reporting.get_report(draft["id"])
        assert values(rpc.reporting.region_rollup("Limburg", Q1))["referrals"] == 5


def test_iroj_sees_nothing_of_another_region_and_nothing_unpublished(verband):
    reporting = verband.start(ReportingService)
    w = World(verband, reporting)
    limburg, a_events = w.network("Limburg", "RTJ Noord-Limburg")
    limburg2, b_events = w.network("Limburg", "1G1P Maasland")
    antwerp, c_events = w.network("Antwerpen", "RTJ Kempen")
    coord_a, g1 = w.role(limburg, "coordinator")
    coord_b, g2 = w.role(limburg2, "network_admin")
    coord_c, g3 = w.role(antwerp, "coordinator")
    iroj_limburg, g4 = w.role(limburg2, "iroj_viewer")
    iroj_antwerp, g5 = w.role(antwerp, "iroj_viewer")
    worker, g6 = w.role(limburg, "partner_worker")
    revoked, g7 = w.role(limburg, "iroj_viewer")
    _, r7 = w.role(limburg, "iroj_viewer", person_id=revoked, granted=False)
    w.send(*a_events, *b_events, *c_events, g1, g2, g3, g4, g5, g6, g7, r7)

    def publish(coordinator, network, period=Q1):
        with as_(verband, coordinator) as rpc:
            report = rpc.reporting.generate_report(str(network), period)
            rpc.reporting.approve_report(report["id"], APPROVAL)
            return rpc.reporting.publish_report(report["id"])

    a_published = publish(coord_a, limburg)
    b_published = publish(coord_b, limburg2)
    c_published = publish(coord_c, antwerp)
    with as_(verband, coord_a) as rpc:
        a_draft = rpc.reporting.generate_report(str(limburg), Q2)
        a_approved = rpc.reporting.generate_report(
            str(limburg), {"kind": "year", "start": "2025-01-01"}
        )
        rpc.reporting.approve_report(a_approved["id"], APPROVAL)

    with as_(verband, iroj_limburg) as rpc:
        seen = {r["id"] for r in rpc.reporting.list_reports({})}
        assert seen == {a_published["id"], b_published["id"]}
        assert rpc.reporting.list_reports({"region": "Antwerpen"}) == []
        assert rpc.reporting.list_reports({"status": "draft"}) == []
        assert rpc.reporting.get_report(a_published["id"])["network_name"] == "RTJ Noord-Limburg"
        for hidden in (c_published["id"], a_draft["id"], a_approved["id"]):
            with pytest.raises(NotFound):
                rpc.reporting.get_report(hidden)
        rollup = rpc.reporting.region_rollup("Limburg", Q1)
        assert {n["network_id"] for n in rollup["networks"]} == {str(limburg), str(limburg2)}
        with pytest.raises(NotFound):
            rpc.reporting.region_rollup("Antwerpen", Q1)
        with pytest.raises(Forbidden):  # a role in the network, but not to manage it
            rpc.reporting.indicators(str(limburg2), Q1)
        with pytest.raises(NotFound):  # no role in that network at all
            rpc.reporting.indicators(str(antwerp), Q1)
        with pytest.raises(Forbidden):
            rpc.reporting.approve_report(b_published["id"], APPROVAL)

    with as_(verband, iroj_antwerp) as rpc:
        assert {r["id"] for r in rpc.reporting.list_reports({})} == {c_published["id"]}
        for hidden in (a_published["id"], b_published["id"], a_draft["id"]):
            with pytest.raises(NotFound):
                rpc.reporting.get_report(hidden)
        with pytest.raises(NotFound):
            rpc.reporting.region_rollup("Limburg", Q1)

    # A network's coordinator: its own reports in every status, nobody else's.
    with as_(verband, coord_a) as rpc:
        own = {r["id"] for r in rpc.reporting.list_reports({})}
        assert own == {a_published["id"], a_draft["id"], a_approved["id"]}
        with pytest.raises(NotFound):
            rpc.reporting.get_report(b_published["id"])
        with pytest.raises(NotFound):
            rpc.reporting.region_rollup("Limburg", Q1)

    for person in (worker, revoked):
        with as_(verband, person) as rpc:
            assert rpc.reporting.list_reports({}) == []
            with pytest.raises(NotFound):
                rpc.reporting.get_report(a_published["id"])
    with as_(verband, worker) as rpc, pytest.raises(Forbidden):
        rpc.reporting.generate_report(str(limburg), Q1)
    with verband.rpc() as rpc:
        with pytest.raises(Unauthenticated):
            rpc.reporting.list_reports({})
        with pytest.raises(Unauthenticated):
            rpc.reporting.catalogue()
    with verband.rpc(context_data={"actor": f"token:{coord_a}"}) as rpc:
        assert rpc.reporting.list_reports({}) == []


def test_iroj_cannot_work_out_a_hidden_cell_from_the_roll_up_or_a_year(verband):
    """Network A hides its 3 referrals from Genk ("<5"); B shows its 7. The region's roll-up
    withholds Genk (10 - 7 would give A's 3 back) but shows what both reports show. A year
    report of A next to its published quarter is refused: their difference would give the
    other quarters back."""
    reporting = verband.start(ReportingService)
    w = World(verband, reporting)
    a, a_events = w.network("Limburg", "RTJ Noord-Limburg")
    b, b_events = w.network("Limburg", "1G1P Maasland")
    coord_a, g1 = w.role(a, "coordinator")
    coord_b, g2 = w.role(b, "coordinator")
    iroj, g3 = w.role(b, "iroj_viewer")
    referrals = []
    for network, genk, hasselt in ((a, 3, 10), (b, 7, 12)):
        for nis, n in (("71016", genk), ("71072", hasselt)):
            for day in range(n):
                referrals.append(w.referral(network, None, f"2026-02-{day + 1:02d}", nis=nis)[1])
    w.send(*a_events, *b_events, g1, g2, g3, *referrals)

    def publish(coordinator, network, period=Q1):
        with as_(verband, coordinator) as rpc:
            report = rpc.reporting.generate_report(str(network), period)
            rpc.reporting.approve_report(report["id"], APPROVAL)
            return rpc.reporting.publish_report(report["id"])

    def cells(content, dim="municipality") -> dict:
        (found,) = [i for i in content["indicators"] if i["key"] == "referrals"]
        return {c["key"]: c["display"] for c in found["breakdowns"][dim]}

    published_a, published_b = publish(coord_a, a), publish(coord_b, b)
    assert cells(published_a["content"])["71016"] == "<5"
    assert cells(published_b["content"])["71016"] == "7"
    with as_(verband, iroj) as rpc:
        rollup = rpc.reporting.region_rollup("Limburg", Q1)
    assert cells(rollup)["71016"] == "x"  # not 10
    # A's report hides Hasselt too (13 - 10 would give its Genk back): so does the roll-up.
    assert cells(published_a["content"])["71072"] == "x"
    assert cells(rollup)["71072"] == "x"
    # What both reports show adds up in the roll-up.
    assert cells(rollup, "network") == {str(a): "13", str(b): "19"}
    (total,) = [i for i in rollup["indicators"] if i["key"] == "referrals"]
    assert total["value"] == 32

    with as_(verband, coord_a) as rpc:
        year = rpc.reporting.generate_report(str(a), {"kind": "year", "start": "2026-01-01"})
        rpc.reporting.approve_report(year["id"], APPROVAL)
        with pytest.raises(Conflict) as refused:
            rpc.reporting.publish_report(year["id"])
    assert "period" in refused.value.fields
