-- The network's own knowledge: its library of procedures and working agreements, and its
-- vorming moments with who registered. No family data: titles, summaries and files of the
-- network's way of working.
CREATE TABLE procedures (
    id          uuid        PRIMARY KEY,
    network_id  uuid        NOT NULL,
    title       text        NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    kind        text        NOT NULL
        CHECK (kind IN ('procedure', 'werkafspraak', 'sjabloon', 'richtlijn')),
    summary     text        NOT NULL CHECK (length(summary) BETWEEN 1 AND 5000),
    owner_id    uuid        NOT NULL REFERENCES people (id),
    review_on   date,
    status      text        NOT NULL CHECK (status IN ('concept', 'vastgesteld', 'vervallen')),
    created_by  uuid        REFERENCES people (id),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    -- Searched with the Dutch dictionary, so "procedures" finds "procedure" (see store).
    search      tsvector    GENERATED ALWAYS AS (
        to_tsvector('dutch', title || ' ' || summary)
    ) STORED
);
CREATE INDEX procedures_network ON procedures (network_id, title);
CREATE INDEX procedures_search ON procedures USING gin (search);

-- Every version of a procedure's file stays: a new one is added, never written over.
CREATE TABLE procedure_versions (
    procedure_id  uuid        NOT NULL REFERENCES procedures (id) ON DELETE CASCADE,
    version       integer     NOT NULL CHECK (version >= 1),
    filename      text        NOT NULL,
    content_type  text        NOT NULL,
    size          integer     NOT NULL CHECK (size > 0),
    sha256        text        NOT NULL,
    content       bytea       NOT NULL,
    uploaded_by   uuid        REFERENCES people (id),
    uploaded_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (procedure_id, version)
);

CREATE TABLE trainings (
    id                     uuid        PRIMARY KEY,
    network_id             uuid        NOT NULL,
    title                  text        NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    description            text        NOT NULL CHECK (length(description) BETWEEN 1 AND 5000),
    starts_at              timestamptz NOT NULL,
    place                  text        NOT NULL CHECK (length(place) BETWEEN 1 AND 200),
    capacity               integer     NOT NULL CHECK (capacity BETWEEN 1 AND 500),
    registration_deadline  timestamptz NOT NULL CHECK (registration_deadline <= starts_at),
    created_by             uuid        REFERENCES people (id),
    created_at             timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX trainings_network ON trainings (network_id, starts_at);

CREATE TABLE training_registrations (
    training_id    uuid        NOT NULL REFERENCES trainings (id) ON DELETE CASCADE,
    person_id      uuid        NOT NULL REFERENCES people (id),
    registered_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (training_id, person_id)
);
CREATE INDEX training_registrations_person ON training_registrations (person_id);
