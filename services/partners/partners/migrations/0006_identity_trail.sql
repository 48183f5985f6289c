-- The identity audit trail: who invited, granted, revoked, signed in (or failed to), changed
-- or reset a password, issued or revoked an API token, when, for whom and in which network.
-- Written in the same transaction as the change it records (a failed sign-in in its own),
-- so the trail never tells of a change that was rolled back. Rows are only ever added.
CREATE TABLE identity_events (
    id                bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    occurred_at       timestamptz NOT NULL DEFAULT now(),
    kind              text        NOT NULL,
    -- "person:<id>", "token:<id>", or "anonymous" (a sign-in attempt, a reset request).
    actor             text        NOT NULL,
    -- The person the event is about (the one invited, granted, signed in, ...), if known.
    target_person_id  uuid        REFERENCES people (id),
    -- Another object the event is about (e.g. "token:<id>", "invitation:<id>").
    target            text,
    -- NULL for events of the person alone (sign-in, password): a network admin reads those
    -- for the people who accepted that network's invitation.
    network_id        uuid        REFERENCES networks (id),
    -- Source address of the request, where the gateway passed it.
    ip                text,
    details           jsonb       NOT NULL DEFAULT '{}'
);
CREATE INDEX identity_events_network ON identity_events (network_id, occurred_at DESC);
CREATE INDEX identity_events_person ON identity_events (target_person_id, occurred_at DESC);
CREATE INDEX identity_events_at ON identity_events (occurred_at DESC);
