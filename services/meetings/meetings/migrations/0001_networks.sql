-- The networks meetings are held for, learned from partners' events; bodies hang off these.
CREATE TABLE networks (
    id          uuid        PRIMARY KEY,
    name        text        NOT NULL,
    kind        text        NOT NULL,
    region      text        NOT NULL,
    known_since timestamptz NOT NULL DEFAULT now()
);
