"""Who reads which report, and the steps of a report's life."""

import pytest

from reporting.domain import lifecycle
from reporting.domain.access import Principal, can_read_region, can_read_report

LIMBURG_NETWORK, ANTWERP_NETWORK = "n-limburg", "n-antwerpen"
REGIONS = {LIMBURG_NETWORK: "Limburg", ANTWERP_NETWORK: "Antwerpen"}


def report(status, network=LIMBURG_NETWORK):
    return {"network_id": network, "region": REGIONS[network], "status": status}


def test_iroj_reads_only_published_reports_of_its_own_region():
    iroj = Principal("p", {LIMBURG_NETWORK: frozenset({"iroj_viewer"})}, REGIONS)
    assert iroj.iroj_regions == {"Limburg"}
    assert can_read_report(iroj, report("published"))
    for status in ("draft", "approved", "superseded"):
        assert not can_read_report(iroj, report(status))
    assert not can_read_report(iroj, report("published", ANTWERP_NETWORK))
    assert can_read_region(iroj, "Limburg") and not can_read_region(iroj, "Antwerpen")
    assert not iroj.manages(LIMBURG_NETWORK)


def test_coordinators_read_their_own_network_in_every_status_only():
    coordinator = Principal("p", {LIMBURG_NETWORK: frozenset({"coordinator"})}, REGIONS)
    worker = Principal("q", {LIMBURG_NETWORK: frozenset({"partner_worker"})}, REGIONS)
    assert can_read_report(coordinator, report("draft"))
    assert not can_read_report(coordinator, report("published", ANTWERP_NETWORK))
    assert not can_read_region(coordinator, "Limburg")
    assert not can_read_report(worker, report("draft"))
    assert not can_read_report(Principal(None), report("published"))


def test_a_guest_of_one_meeting_reads_no_report_of_the_network():
    guest = Principal("g", {LIMBURG_NETWORK: frozenset({"guest"})}, REGIONS)
    assert not guest.in_network(LIMBURG_NETWORK) and not guest.manages(LIMBURG_NETWORK)
    for status in ("draft", "approved", "published"):
        assert not can_read_report(guest, report(status))
    assert not can_read_region(guest, "Limburg")


def test_a_report_goes_from_draft_to_approved_to_published():
    assert lifecycle.next_status("draft", "approve") == "approved"
    assert lifecycle.next_status("approved", "publish") == "published"
    for status, step in (("approved", "approve"), ("draft", "publish"), ("published", "approve")):
        with pytest.raises(lifecycle.StepRefused):
            lifecycle.next_status(status, step)


def test_only_the_newest_published_version_is_corrected():
    v1 = {"version": 1, "status": "published"}
    assert lifecycle.may_correct(v1, [v1]) is None
    v2 = {"version": 2, "status": "draft"}
    assert lifecycle.may_correct(v1, [v1, v2])
    assert lifecycle.may_correct(v2, [v1, v2])
    assert lifecycle.may_regenerate([{"status": "draft"}])
    assert not lifecycle.may_regenerate([v1])
