CREATE TABLE networks (
    id          uuid        PRIMARY KEY,
    name        text        NOT NULL,
    kind        text        NOT NULL,
    region      text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
-- A network's name is how people find it; two networks of one name would be confused.
CREATE UNIQUE INDEX networks_name ON networks (lower(name));

CREATE TABLE offers (
    id                 uuid        PRIMARY KEY,
    network_id         uuid        NOT NULL REFERENCES networks (id),
    title              text        NOT NULL,
    kind               text        NOT NULL,
    capacity           integer     NOT NULL CHECK (capacity >= 0),
    free_places        integer     NOT NULL CHECK (free_places >= 0 AND free_places <= capacity),
    municipalities     text[]      NOT NULL,
    status             text        NOT NULL,
    warm_waiting_list  boolean     NOT NULL,
    created_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX offers_network ON offers (network_id);
