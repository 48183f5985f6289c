"""nameko entrypoints of the reporting service."""

from pathlib import Path

from reporting import projections
from verband_common.consumer import event_consumer
from verband_common.correlation import CorrelationId
from verband_common.db import Database
from verband_common.rpc import parse_id, rpc
from verband_common.schemas.reporting import ReferralCount

MIGRATIONS = Path(__file__).with_name("migrations")


class ReportingService:
    name = "reporting"

    # Reporting only consumes; it publishes nothing yet, so it needs no outbox relay.
    db = Database(MIGRATIONS, relay=False)
    correlation_id = CorrelationId()

    @rpc
    def health(self):
        return {"service": self.name, **self.db.health()}

    @event_consumer("cases", "referral_received", batch=True)
    def on_referral_received(self, events):
        with self.db.transaction() as tx:
            fresh = tx.first_deliveries(events)
            projections.record(tx, fresh)
            projections.apply_referrals_received(tx, fresh)

    @rpc
    def referral_count(self, network_id):
        network_id = parse_id(network_id, "network_id")
        row = self.db.fetchone(
            "SELECT referrals, last_event_at FROM referral_counts WHERE network_id = %s",
            (network_id,),
        )
        return ReferralCount().dump(
            {
                "network_id": network_id,
                "referrals": row["referrals"] if row else 0,
                "last_event_at": row["last_event_at"] if row else None,
            }
        )

    @rpc
    def rebuild_projections(self):
        with self.db.transaction() as tx:
            return {"events_replayed": projections.rebuild(tx)}
