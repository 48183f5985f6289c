"""nameko entrypoints of the partners service; rules live in the schemas and the store."""

import uuid
from pathlib import Path

from partners import store
from verband_common.correlation import CorrelationId
from verband_common.db import Database
from verband_common.errors import Conflict, NotFound
from verband_common.rpc import parse_id, rpc, validated
from verband_common.schemas.partners import Network, NetworkInput, Offer, OfferInput

MIGRATIONS = Path(__file__).with_name("migrations")


class PartnersService:
    name = "partners"

    db = Database(MIGRATIONS)
    correlation_id = CorrelationId()

    @rpc
    def health(self):
        return {"service": self.name, **self.db.health()}

    @rpc
    def create_network(self, payload):
        data = validated(NetworkInput(), payload)
        data["id"] = uuid.uuid4()
        with self.db.transaction() as tx:
            row = store.insert_network(tx, data)
            if row is None:
                raise Conflict(
                    "Er bestaat al een netwerk met deze naam.",
                    {"name": ["Deze naam is al in gebruik."]},
                )
            tx.emit(
                "network_created",
                row["id"],
                {"name": row["name"], "kind": row["kind"], "region": row["region"]},
            )
        return Network().dump(row)

    @rpc
    def get_network(self, network_id):
        row = store.get_network(self.db, parse_id(network_id, "network_id"))
        if row is None:
            raise NotFound("Dit netwerk bestaat niet.", {"network_id": ["Onbekend netwerk."]})
        return Network().dump(row)

    @rpc
    def list_networks(self):
        return Network(many=True).dump(store.list_networks(self.db))

    @rpc
    def publish_offer(self, network_id, payload):
        network_id = parse_id(network_id, "network_id")
        data = validated(OfferInput(), payload)
        data.update(id=uuid.uuid4(), network_id=network_id)
        with self.db.transaction() as tx:
            if store.get_network(tx, network_id) is None:
                raise NotFound("Dit netwerk bestaat niet.", {"network_id": ["Onbekend netwerk."]})
            row = store.insert_offer(tx, data)
            tx.emit(
                "offer_published",
                network_id,
                {
                    "offer_id": str(row["id"]),
                    "title": row["title"],
                    "kind": row["kind"],
                    "capacity": row["capacity"],
                    "free_places": row["free_places"],
                    "municipalities": row["municipalities"],
                    "status": row["status"],
                    "warm_waiting_list": row["warm_waiting_list"],
                },
            )
        return Offer().dump(row)

    @rpc
    def list_offers(self, network_id):
        network_id = parse_id(network_id, "network_id")
        if store.get_network(self.db, network_id) is None:
            raise NotFound("Dit netwerk bestaat niet.", {"network_id": ["Onbekend netwerk."]})
        return Offer(many=True).dump(store.list_offers(self.db, network_id))
