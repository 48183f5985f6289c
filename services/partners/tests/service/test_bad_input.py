"""Bad input to every RPC of partners taking input is refused naming the field, over RPC as
the gateway sees it, and stores nothing. (`health` and `list_networks` take no input.)"""

import uuid

import pytest
from verband_servicekit import NETWORK, OFFER

from partners.service import PartnersService
from verband_common.errors import NotFound, ValidationFailed

pytestmark = pytest.mark.service


def test_bad_input_is_refused_naming_the_field_and_stores_nothing(verband):
    partners = verband.start(PartnersService)
    with verband.rpc() as rpc:
        network = rpc.partners.create_network(NETWORK)["id"]
        unknown = str(uuid.uuid4())
        calls = [
            (rpc.partners.create_network, ("a name",), ValidationFailed, {"_schema"}),
            (rpc.partners.create_network, ({},), ValidationFailed, {"name", "kind", "region"}),
            (
                rpc.partners.create_network,
                ({"name": "", "kind": "club", "region": "x", "chair": "Jan"},),
                ValidationFailed,
                {"name", "kind", "chair"},
            ),
            (rpc.partners.get_network, ("12",), ValidationFailed, {"network_id"}),
            (rpc.partners.get_network, (unknown,), NotFound, {"network_id"}),
            (rpc.partners.list_offers, (None,), ValidationFailed, {"network_id"}),
            (rpc.partners.list_offers, (unknown,), NotFound, {"network_id"}),
            (rpc.partners.publish_offer, ("x", OFFER), ValidationFailed, {"network_id"}),
            (rpc.partners.publish_offer, (unknown, OFFER), NotFound, {"network_id"}),
            (rpc.partners.publish_offer, (network, [OFFER]), ValidationFailed, {"_schema"}),
            (
                rpc.partners.publish_offer,
                (network, {**OFFER, "free_places": 11}),
                ValidationFailed,
                {"free_places"},
            ),
            (
                rpc.partners.publish_offer,
                (network, {**OFFER, "capacity": "10"}),
                ValidationFailed,
                {"capacity"},
            ),
            (
                rpc.partners.publish_offer,
                (network, {**OFFER, "capacity": -1, "free_places": 0}),
                ValidationFailed,
                {"capacity"},
            ),
            (
                rpc.partners.publish_offer,
                (network, {**OFFER, "municipalities": ["2300"]}),
                ValidationFailed,
                {"municipalities.0"},
            ),
            (
                rpc.partners.publish_offer,
                (network, {**OFFER, "municipalities": []}),
                ValidationFailed,
                {"municipalities"},
            ),
            (
                rpc.partners.publish_offer,
                (network, {**OFFER, "kind": "therapy", "status": "closed"}),
                ValidationFailed,
                {"kind", "status"},
            ),
        ]
        before = verband.counts(partners.db_url)
        for call, args, error, fields in calls:
            with pytest.raises(error) as refused:
                call(*args)
            assert set(refused.value.fields) == fields, (call, args)
        assert verband.counts(partners.db_url) == before
        assert before == {
            "inbox": 0,
            "networks": 1,
            "offers": 0,
            "outbox": 1,
            "schema_migrations": 2,
        }

        # The reads still answer for the network that exists.
        assert rpc.partners.get_network(network)["name"] == NETWORK["name"]
        assert rpc.partners.list_offers(network) == []
