-- Delivery state of the plumbing: an outbox row the broker could not route waits on its own
-- (it no longer holds back the rows behind it), the inbox is pruned by age, and a write's
-- answer is kept under the caller's idempotency key.

ALTER TABLE outbox
    ADD COLUMN IF NOT EXISTS attempts          integer NOT NULL DEFAULT 0,
    ADD COLUMN IF NOT EXISTS next_attempt_at   timestamptz,
    ADD COLUMN IF NOT EXISTS unroutable_since  timestamptz,
    ADD COLUMN IF NOT EXISTS last_error        text;

-- Pruning by age reads the oldest rows first.
CREATE INDEX IF NOT EXISTS inbox_processed_at ON inbox (processed_at);

-- One row per (caller, RPC, key): the first answer, returned again to a retry.
CREATE TABLE IF NOT EXISTS idempotency_keys (
    caller       text        NOT NULL,
    rpc          text        NOT NULL,
    key          text        NOT NULL,
    fingerprint  text        NOT NULL,
    answer       text        NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (caller, rpc, key)
);
CREATE INDEX IF NOT EXISTS idempotency_keys_created_at ON idempotency_keys (created_at);
