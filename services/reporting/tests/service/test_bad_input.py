"""Every RPC of reporting refuses bad input naming the field, and stores nothing."""

import uuid

import pytest
from reporting_world import Q1, World

from reporting.service import ReportingService
from verband_common.errors import ValidationFailed

pytestmark = pytest.mark.service


def refused(call, *args) -> set:
    with pytest.raises(ValidationFailed) as error:
        call(*args)
    return set(error.value.fields)


def test_bad_input_is_refused_naming_the_field_and_stores_nothing(verband):
    reporting = verband.start(ReportingService)
    w = World(verband, reporting)
    network, events = w.network()
    coordinator, grant = w.role(network, "coordinator")
    iroj, iroj_grant = w.role(network, "iroj_viewer")
    w.send(*events, grant, iroj_grant)
    n = str(network)
    with verband.rpc(context_data={"actor": f"person:{coordinator}"}) as rpc:
        report = rpc.reporting.generate_report(n, Q1)
        before = verband.counts(reporting.db_url)
        r = rpc.reporting
        assert refused(r.indicators, "netwerk-7", Q1) == {"network_id"}
        assert refused(r.indicators, n, {"kind": "week", "start": "2026-01-01"}) == {"period.kind"}
        assert refused(r.indicators, n, {"kind": "quarter", "start": "2026-02-01"}) == {
            "period.start"
        }
        assert refused(r.indicators, n, {"kind": "month", "start": "2026-02-02"}) == {
            "period.start"
        }
        assert refused(r.indicators, n, {"kind": "year", "start": "2026-04-01"}) == {"period.start"}
        assert refused(r.indicators, n, {"kind": "month", "start": "gisteren"}) == {"period.start"}
        assert refused(r.indicators, n, {"kind": "month"}) == {"period.start"}
        assert refused(r.indicators, n, {"kind": "month", "start": "2026-01-01", "x": 1}) == {
            "period.x"
        }
        assert refused(r.indicators, n, "Q1") == {"period._schema"}
        assert refused(r.trend, n, "bestaat_niet", "month", 12) == {"key"}
        assert refused(r.trend, n, "referrals", "week", 12) == {"kind"}
        assert refused(r.trend, n, "referrals", "month", 0) == {"periods"}
        assert refused(r.trend, n, "referrals", "month", 61) == {"periods"}
        assert refused(r.trend, n, "referrals", "month", "12") == {"periods"}
        assert refused(r.generate_report, n, {"kind": "month", "start": "2026-01-01"}) == {
            "period.kind"
        }
        assert refused(r.get_report, "rapport-1") == {"report_id"}
        assert refused(r.list_reports, {"status": "klaar"}) == {"status"}
        assert refused(r.list_reports, {"region": "Mars"}) == {"region"}
        assert refused(r.list_reports, {"network_id": "x"}) == {"network_id"}
        assert refused(r.list_reports, {"netwerk": n}) == {"netwerk"}
        assert refused(r.approve_report, report["id"], {"decided_on": "2026-04-10"}) == {
            "body_name"
        }
        assert refused(r.approve_report, report["id"], {"body_name": "", "decided_on": "x"}) == {
            "body_name",
            "decided_on",
        }
        assert refused(
            r.approve_report, report["id"], {"body_name": "Stuurgroep", "decided_on": "2999-01-01"}
        ) == {"decided_on"}
        assert refused(r.approve_report, "x", {"body_name": "S", "decided_on": "2026-01-01"}) == {
            "report_id"
        }
        assert refused(r.publish_report, "") == {"report_id"}
        assert refused(r.correct_report, report["id"], {"reason": ""}) == {"reason"}
        assert refused(r.correct_report, report["id"], {"reason": "x" * 2001}) == {"reason"}
        assert refused(r.correct_report, report["id"], {}) == {"reason"}
        assert refused(r.referral_count, 42) == {"network_id"}
        assert rpc.reporting.get_report(report["id"])["status"] == "draft"
        assert verband.counts(reporting.db_url) == before
    with verband.rpc(context_data={"actor": f"person:{iroj}"}) as rpc:
        assert refused(rpc.reporting.region_rollup, "Mars", Q1) == {"region"}
        assert refused(rpc.reporting.region_rollup, None, Q1) == {"region"}
        assert refused(rpc.reporting.region_rollup, "Limburg", {"kind": "x"}) == {
            "period.kind",
            "period.start",
        }
    assert verband.counts(reporting.db_url) == before
    assert str(uuid.UUID(report["id"])) == report["id"]
