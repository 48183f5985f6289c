"""One correlation id from an RPC call, through the outbox row, to the consuming worker."""

import re

import pytest
from nameko.testing.services import entrypoint_waiter
from verband_servicekit import NETWORK, OFFER

from cases.service import CasesService
from partners.service import PartnersService

pytestmark = pytest.mark.service


def test_the_callers_correlation_id_reaches_the_outbox_and_the_consumer(verband):
    partners = verband.start(PartnersService)
    cases = verband.start(CasesService)

    with verband.rpc(context_data={"correlation_id": "abc123"}) as rpc:
        network = rpc.partners.create_network(NETWORK)
        with entrypoint_waiter(cases, "on_offer_published", timeout=15) as handled:
            offer = rpc.partners.publish_offer(network["id"], OFFER)

    rows = verband.sql(partners.db_url, "SELECT event_type, headers FROM outbox ORDER BY id")
    assert rows == [
        {"event_type": "network_created", "headers": {"nameko.correlation_id": "abc123"}},
        {"event_type": "offer_published", "headers": {"nameko.correlation_id": "abc123"}},
    ]
    worker = handled.worker_ctx
    assert worker.args[0]["offer_id"].hex == offer["id"].replace("-", "")
    assert worker.data["correlation_id"] == "abc123"


def test_a_call_without_one_gets_a_fresh_correlation_id(verband):
    partners = verband.start(PartnersService)
    with verband.rpc() as rpc:
        rpc.partners.create_network(NETWORK)
        rpc.partners.create_network({**NETWORK, "name": "Kerngroep RTJ Limburg"})
    ids = [
        r["headers"]["nameko.correlation_id"]
        for r in verband.sql(partners.db_url, "SELECT headers FROM outbox ORDER BY id")
    ]
    assert all(re.fullmatch(r"[0-9a-f]{32}", cid) for cid in ids)
    assert ids[0] != ids[1]  # one per call
