-- The mail outbox no longer waits behind one mail that cannot be sent: a failing mail is
-- tried again later (next_attempt_at), and after a bounded number of tries, or at once when
-- it cannot even be composed, parked with the reason for the network admin to see.
ALTER TABLE mail_outbox
    ADD COLUMN IF NOT EXISTS network_id       uuid,
    ADD COLUMN IF NOT EXISTS next_attempt_at  timestamptz,
    ADD COLUMN IF NOT EXISTS parked_at        timestamptz;

-- What the old sender had given up on silently is parked, so it shows.
UPDATE mail_outbox SET parked_at = now(), last_error = COALESCE(last_error, 'te vaak mislukt')
 WHERE sent_at IS NULL AND attempts >= 10;

DROP INDEX IF EXISTS mail_outbox_unsent;
CREATE INDEX IF NOT EXISTS mail_outbox_due ON mail_outbox (id)
    WHERE sent_at IS NULL AND parked_at IS NULL;
CREATE INDEX IF NOT EXISTS mail_outbox_parked ON mail_outbox (network_id, parked_at)
    WHERE parked_at IS NOT NULL;
