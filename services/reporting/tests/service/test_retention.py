"""Personal data kept only where and as long as needed: the event log keeps no staff name,
e-mail address, decision text or signal description (no projection reads them back), a
rebuild still gives every projection and the approver's name, and the name of someone who
holds no role any more is forgotten by the hourly purge."""

import json

import pytest
from nameko.testing.services import entrypoint_hook
from reporting_world import Q1, World

from reporting.service import ReportingService

pytestmark = pytest.mark.service

APPROVAL = {"body_name": "Kernteam", "decided_on": "2026-04-10"}
NAME = "Greet Coördinator"
GONE = "Walter Vertrokken"
DECISION = "De kernteamleden zoeken samen een plaats."
DESCRIPTION = "Gezinnen wachten langer dan drie maanden op gezinscoaching."


def test_the_event_log_keeps_no_names_e_mail_or_free_text_and_rebuild_still_works(verband):
    reporting = verband.start(ReportingService)
    db = reporting.db_url
    w = World(verband, reporting)
    network, events = w.network()
    coordinator, grant = w.role(network, "coordinator", name=NAME)
    leaver, leaver_grant = w.role(network, "partner_worker", name=GONE)
    body, meeting = "11111111-1111-1111-1111-111111111111", "22222222-2222-2222-2222-222222222222"
    w.send(
        *events,
        grant,
        leaver_grant,
        w.held(network, body, meeting, "2026-02-10"),
        w.decision(network, body, meeting, "2026-02-10"),
        *w.action(network, body, meeting, "2026-03-01"),
        w.signal(network, body, meeting, "2026-02-10", "Lange wachttijden"),
    )
    logged = json.dumps(verband.sql(db, "SELECT body FROM event_log"), default=str)
    for secret in (NAME, GONE, "greet@verband.test", DECISION, DESCRIPTION, "owner_person_id"):
        assert secret not in logged, secret
    assert "Lange wachttijden" in logged  # a signal's title goes into IROJ's report

    # A rebuild from that log gives the same projections; the names live in `people` only.
    before = verband.sql(db, "SELECT * FROM month_counts ORDER BY 1, 2, 3, 4, 5")
    with verband.rpc() as rpc:
        rpc.reporting.rebuild_projections()
    assert verband.sql(db, "SELECT * FROM month_counts ORDER BY 1, 2, 3, 4, 5") == before
    assert verband.count(db, "signals", "title = 'Lange wachttijden'") == 1
    with verband.rpc(context_data={"actor": f"person:{coordinator}"}) as rpc:
        draft = rpc.reporting.generate_report(str(network), Q1)
        assert rpc.reporting.approve_report(draft["id"], APPROVAL)["approved_by"] == NAME

    # The partner worker leaves: their name is forgotten by the purge, the coordinator's kept.
    _, revoke = w.role(network, "partner_worker", person_id=leaver, granted=False)
    w.send(revoke)
    with entrypoint_hook(reporting, "people_retention") as purge:
        purge()
    names = {r["name"] for r in verband.sql(db, "SELECT name FROM people")}
    assert names == {NAME}
