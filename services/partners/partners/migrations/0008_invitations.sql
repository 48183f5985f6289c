-- Invitations: a network admin (or coordinator) invites a person by e-mail; only a person who
-- accepted a network's invitation is registered in it (network_people) and may be granted a
-- role there. The token is mailed to the address and only its SHA-256 is kept.
CREATE TABLE invitations (
    id               uuid        PRIMARY KEY,
    network_id       uuid        NOT NULL REFERENCES networks (id),
    email            text        NOT NULL,
    name             text        NOT NULL,
    organisation_id  uuid        REFERENCES organisations (id),
    -- Roles granted on acceptance (each checked against the inviter's rights when invited).
    roles            text[]      NOT NULL DEFAULT '{}',
    token_hash       bytea       NOT NULL UNIQUE,
    invited_by       text        NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    expires_at       timestamptz NOT NULL,
    accepted_at      timestamptz,
    accepted_by      uuid        REFERENCES people (id),
    withdrawn_at     timestamptz
);
CREATE INDEX invitations_network ON invitations (network_id, created_at DESC);

-- Which invitation registered a person in a network (NULL: registered before invitations).
ALTER TABLE network_people
    ADD COLUMN invitation_id  uuid        REFERENCES invitations (id),
    ADD COLUMN joined_at      timestamptz NOT NULL DEFAULT now();

-- Failed sign-ins also by source address, for the growing delay per address and per
-- address and account (partners.domain.credentials.wait_before).
ALTER TABLE login_failures ADD COLUMN ip text;
CREATE INDEX login_failures_ip ON login_failures (ip, at);
