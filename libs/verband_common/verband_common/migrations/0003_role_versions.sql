-- The newest role change (role_granted / role_revoked) each consumer applied per role, so
-- that an older one, redelivered, out of order or replayed from the dead letters, is ignored.
-- A revoke stays here as a tombstone (granted = false): the role's projection row may go,
-- its version does not.
CREATE TABLE IF NOT EXISTS role_versions (
    network_id  uuid        NOT NULL,
    person_id   uuid        NOT NULL,
    role        text        NOT NULL,
    version     bigint      NOT NULL,
    granted     boolean     NOT NULL,
    changed_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (network_id, person_id, role)
);
