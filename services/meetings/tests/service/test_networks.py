"""meetings learns the networks it holds meetings for from partners' network_created."""

import pytest
from nameko.testing.services import entrypoint_waiter
from verband_servicekit import NETWORK, admin_actor

from meetings.service import MeetingsService
from partners.service import PartnersService

pytestmark = pytest.mark.service


def test_a_new_network_becomes_known_to_meetings(verband):
    verband.start(PartnersService)
    meetings = verband.start(MeetingsService)
    with verband.rpc(context_data={"actor": admin_actor(verband)}) as rpc:
        with entrypoint_waiter(meetings, "on_network_created", timeout=15):
            network = rpc.partners.create_network(NETWORK)
        assert rpc.meetings.known_networks() == [
            {
                "id": network["id"],
                "name": NETWORK["name"],
                "kind": NETWORK["kind"],
                "region": NETWORK["region"],
            }
        ]
        assert rpc.meetings.health()["outbox_unsent"] == 0
    assert verband.count(meetings.db_url, "inbox") == 1
