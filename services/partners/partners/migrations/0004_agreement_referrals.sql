-- Referrals that count against an agreement, learned from the cases service's
-- referral_received events: those from a mandated body (OCJ/SDJ volume agreements) or the
-- crisis point. Referral id, sector and date only.
CREATE TABLE agreement_referrals (
    referral_id   uuid PRIMARY KEY,
    network_id    uuid NOT NULL,
    source_sector text NOT NULL,
    received_on   date NOT NULL
);
CREATE INDEX agreement_referrals_by_network ON agreement_referrals (network_id, source_sector, received_on);
