-- Issue 11: organisations belong to themselves, API tokens expire and die with their issuer.

-- The network that registered an organisation (NULL: the platform admin, or before this
-- migration). While that network alone uses the organisation, its managers keep it.
ALTER TABLE organisations ADD COLUMN registered_by_network uuid REFERENCES networks (id);
-- Organisations registered before this migration: the one network that had them, if only one.
UPDATE organisations g SET registered_by_network = m.network_id
  FROM (SELECT organisation_id, min(network_id::text)::uuid AS network_id FROM memberships
        GROUP BY organisation_id HAVING count(*) = 1) m
 WHERE m.organisation_id = g.id;

-- An organisation's own admins: people of that organisation who change it and decide which
-- networks may link it, whatever networks use it.
CREATE TABLE organisation_admins (
    organisation_id  uuid        NOT NULL REFERENCES organisations (id),
    person_id        uuid        NOT NULL REFERENCES people (id),
    granted_by       text        NOT NULL,
    granted_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (organisation_id, person_id)
);
CREATE INDEX organisation_admins_person ON organisation_admins (person_id);

-- A network asking an organisation to become its partner; the organisation's admins (or
-- the platform admin) accept or refuse. Accepting makes the membership with these terms.
CREATE TABLE organisation_link_requests (
    id               uuid        PRIMARY KEY,
    organisation_id  uuid        NOT NULL REFERENCES organisations (id),
    network_id       uuid        NOT NULL REFERENCES networks (id),
    role             text        NOT NULL,
    starts_on        date        NOT NULL,
    ends_on          date        CHECK (ends_on IS NULL OR ends_on >= starts_on),
    message          text        NOT NULL DEFAULT '',
    status           text        NOT NULL DEFAULT 'pending'
                                 CHECK (status IN ('pending', 'accepted', 'refused')),
    requested_by     text        NOT NULL,
    requested_at     timestamptz NOT NULL DEFAULT now(),
    decided_by       text,
    decided_at       timestamptz
);
-- One open request per organisation and network.
CREATE UNIQUE INDEX organisation_link_requests_pending
    ON organisation_link_requests (organisation_id, network_id) WHERE status = 'pending';
CREATE INDEX organisation_link_requests_network ON organisation_link_requests (network_id);

-- Every API token expires. Tokens issued before this migration get the default maximum
-- lifetime from their issue.
ALTER TABLE api_tokens ADD COLUMN expires_at timestamptz;
UPDATE api_tokens SET expires_at = created_at + interval '90 days';
ALTER TABLE api_tokens ALTER COLUMN expires_at SET NOT NULL;
ALTER TABLE api_tokens ADD COLUMN revoked_by text;
CREATE INDEX api_tokens_network ON api_tokens (network_id, created_at);
CREATE INDEX api_tokens_issuer ON api_tokens (created_by);
