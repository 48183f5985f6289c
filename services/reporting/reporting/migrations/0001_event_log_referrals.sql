-- Every event reporting consumed, so that projections can be rebuilt from history.
-- Contracts guarantee these bodies hold no personal data.
CREATE TABLE event_log (
    event_id     uuid        PRIMARY KEY,
    source       text        NOT NULL,
    event_type   text        NOT NULL,
    network_id   uuid        NOT NULL,
    occurred_at  timestamptz NOT NULL,
    body         jsonb       NOT NULL,
    received_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX event_log_replay ON event_log (occurred_at, event_id);

CREATE TABLE referral_counts (
    network_id     uuid        PRIMARY KEY,
    referrals      integer     NOT NULL,
    last_event_at  timestamptz NOT NULL
);
