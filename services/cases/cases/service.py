"""nameko entrypoints of the cases service."""

import uuid
from pathlib import Path

from cases import domain, store
from verband_common.consumer import event_consumer
from verband_common.correlation import CorrelationId
from verband_common.db import Database
from verband_common.errors import ValidationFailed
from verband_common.rpc import parse_id, rpc, validated
from verband_common.schemas.cases import ReferralInput, ReferralReceipt

MIGRATIONS = Path(__file__).with_name("migrations")


class CasesService:
    name = "cases"

    db = Database(MIGRATIONS)
    correlation_id = CorrelationId()

    @rpc
    def health(self):
        return {"service": self.name, **self.db.health()}

    @event_consumer("partners", "offer_published")
    def on_offer_published(self, event):
        with self.db.transaction() as tx:
            if tx.first_delivery(event):
                store.upsert_offer(tx, event["network_id"], event)

    @rpc
    def receive_referral(self, network_id, payload):
        network_id = parse_id(network_id, "network_id")
        data = validated(ReferralInput(), payload)
        as_json = ReferralInput().dump(data)
        with self.db.transaction() as tx:
            offer = store.offer_in_network(tx, data["offer_id"], network_id)
            if offer is None:
                raise ValidationFailed(
                    "Dit aanbod is niet bekend in dit netwerk.",
                    {"offer_id": ["Onbekend aanbod in dit netwerk."]},
                )
            if offer["status"] != "active":
                raise ValidationFailed(
                    "Dit aanbod is niet actief.",
                    {"offer_id": ["Dit aanbod neemt geen aanmeldingen aan."]},
                )
            family_id = uuid.uuid4()
            store.insert_family(
                tx,
                {
                    "id": family_id,
                    "network_id": network_id,
                    "municipality": data["municipality"],
                    "household": as_json["household"],
                },
            )
            receipt = store.insert_referral(
                tx,
                {
                    "id": uuid.uuid4(),
                    "network_id": network_id,
                    "family_id": family_id,
                    "offer_id": data["offer_id"],
                    "source_sector": data["source_sector"],
                    "concern": data["concern"],
                    "question": data["question"],
                    "consent": as_json["consent"],
                },
            )
            received_on = receipt["received_at"].date()
            tx.emit(
                "referral_received",
                network_id,
                {
                    "referral_id": str(receipt["referral_id"]),
                    "offer_id": str(data["offer_id"]),
                    "family_pseudonym": domain.pseudonym(
                        store.network_key(tx, network_id), family_id
                    ),
                    "age_bands": sorted(
                        {
                            domain.age_band(c["birth_date"], received_on)
                            for c in data["household"]["children"]
                        }
                    ),
                    "municipality": data["municipality"],
                    "concern": data["concern"],
                    "source_sector": data["source_sector"],
                    "received_on": received_on.isoformat(),
                },
            )
        return ReferralReceipt().dump(receipt)
