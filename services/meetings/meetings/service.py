"""nameko entrypoints of the meetings service."""

from pathlib import Path

from verband_common.consumer import event_consumer
from verband_common.correlation import CorrelationId
from verband_common.db import Database
from verband_common.rpc import rpc

MIGRATIONS = Path(__file__).with_name("migrations")


class MeetingsService:
    name = "meetings"

    db = Database(MIGRATIONS)
    correlation_id = CorrelationId()

    @rpc
    def health(self):
        return {"service": self.name, **self.db.health()}

    @event_consumer("partners", "network_created")
    def on_network_created(self, event):
        with self.db.transaction() as tx:
            if tx.first_delivery(event):
                tx.execute(
                    "INSERT INTO networks (id, name, kind, region) VALUES (%s, %s, %s, %s)"
                    " ON CONFLICT (id) DO NOTHING",
                    (event["network_id"], event["name"], event["kind"], event["region"]),
                )

    @rpc
    def known_networks(self):
        rows = self.db.fetchall("SELECT id, name, kind, region FROM networks ORDER BY name")
        return [{**r, "id": str(r["id"])} for r in rows]
