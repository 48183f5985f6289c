"""One correlation id from an RPC call, through the outbox row, to the consuming worker."""

import re

import pytest
from nameko.testing.services import entrypoint_waiter
from verband_servicekit import NETWORK, ORGANISATION, admin_actor, offer

from cases.service import CasesService
from partners.service import PartnersService

pytestmark = pytest.mark.service


def test_the_callers_correlation_id_reaches_the_outbox_and_the_consumer(verband):
    partners = verband.start(PartnersService)
    cases = verband.start(CasesService)

    actor = admin_actor(verband)

    with verband.rpc(context_data={"correlation_id": "abc123", "actor": actor}) as rpc:
        network = rpc.partners.create_network(NETWORK)
        org = rpc.partners.create_organisation(ORGANISATION)
        rpc.partners.add_membership(
            network["id"],
            {"organisation_id": org["id"], "role": "partner", "starts_on": "2025-01-01"},
        )
        with entrypoint_waiter(cases, "on_offer_published", timeout=15) as handled:
            published = rpc.partners.publish_offer(network["id"], offer(org["id"]))

    rows = verband.sql(partners.db_url, "SELECT event_type, headers FROM outbox ORDER BY id")
    assert [r["event_type"] for r in rows] == [
        "network_created",
        "network_settings_changed",
        "partner_joined",
        "offer_published",
    ]
    assert all(r["headers"] == {"nameko.correlation_id": "abc123"} for r in rows)
    worker = handled.worker_ctx
    assert worker.args[0]["offer_id"].hex == published["id"].replace("-", "")
    assert worker.data["correlation_id"] == "abc123"


def test_a_call_without_one_gets_a_fresh_correlation_id(verband):
    partners = verband.start(PartnersService)
    with verband.rpc(context_data={"actor": admin_actor(verband)}) as rpc:
        rpc.partners.create_network(NETWORK)
        rpc.partners.create_network({**NETWORK, "name": "Kerngroep RTJ Limburg"})
    ids = [
        r["headers"]["nameko.correlation_id"]
        for r in verband.sql(
            partners.db_url,
            "SELECT headers FROM outbox WHERE event_type = 'network_created' ORDER BY id",
        )
    ]
    assert all(re.fullmatch(r"[0-9a-f]{32}", cid) for cid in ids)
    assert ids[0] != ids[1]  # one per call
