-- What cases knows of the network's offer, learned from partners' events.
CREATE TABLE offers (
    id                 uuid        PRIMARY KEY,
    network_id         uuid        NOT NULL,
    title              text        NOT NULL,
    kind               text        NOT NULL,
    capacity           integer     NOT NULL,
    free_places        integer     NOT NULL,
    status             text        NOT NULL,
    warm_waiting_list  boolean     NOT NULL,
    updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX offers_network ON offers (network_id);

-- The key for a network's pseudonyms never leaves this database.
CREATE TABLE network_keys (
    network_id     uuid        PRIMARY KEY,
    pseudonym_key  bytea       NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE families (
    id            uuid        PRIMARY KEY,
    network_id    uuid        NOT NULL,
    household     jsonb       NOT NULL,
    municipality  text        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX families_network ON families (network_id);

CREATE TABLE referrals (
    id             uuid        PRIMARY KEY,
    network_id     uuid        NOT NULL,
    family_id      uuid        NOT NULL REFERENCES families (id),
    offer_id       uuid        NOT NULL REFERENCES offers (id),
    source_sector  text        NOT NULL,
    concern        text        NOT NULL,
    question       text        NOT NULL,
    consent        jsonb       NOT NULL,
    status         text        NOT NULL DEFAULT 'received',
    received_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX referrals_network ON referrals (network_id, received_at);
