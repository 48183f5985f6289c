-- Issue 3: the network's directory. Networks get their municipalities and settings;
-- organisations, memberships, people, roles, sign-in, offer details, agreements and task
-- groups arrive.

-- Networks made before this migration get the default settings (as NetworkSettings has them).
ALTER TABLE networks
    ADD COLUMN municipalities text[] NOT NULL DEFAULT '{}',
    ADD COLUMN settings       jsonb  NOT NULL DEFAULT '{"waiting_weights": {"waiting_days": 1.0,
        "concern": 1.0, "multiproblem": 1.0}, "warm_contact_interval_days": 14,
        "pickup_guideline_days": 30, "targets": []}';

CREATE TABLE organisations (
    id              uuid        PRIMARY KEY,
    name            text        NOT NULL,
    kbo             text        NOT NULL CHECK (kbo ~ '^[0-9]{10}$'),
    sector          text        NOT NULL,
    municipalities  text[]      NOT NULL DEFAULT '{}',
    contact         jsonb       NOT NULL DEFAULT '{}',
    profile         text        NOT NULL DEFAULT '',
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
-- One organisation per enterprise number, whichever networks it works in.
CREATE UNIQUE INDEX organisations_kbo ON organisations (kbo);

-- One row per organisation and network: leaving sets ends_on, joining again reopens it.
CREATE TABLE memberships (
    network_id       uuid        NOT NULL REFERENCES networks (id),
    organisation_id  uuid        NOT NULL REFERENCES organisations (id),
    role             text        NOT NULL,
    starts_on        date        NOT NULL,
    ends_on          date        CHECK (ends_on IS NULL OR ends_on >= starts_on),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (network_id, organisation_id)
);
CREATE INDEX memberships_organisation ON memberships (organisation_id);

CREATE TABLE people (
    id               uuid        PRIMARY KEY,
    name             text        NOT NULL,
    email            text        NOT NULL,
    organisation_id  uuid        REFERENCES organisations (id),
    password_hash    text,
    platform_admin   boolean     NOT NULL DEFAULT false,
    created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX people_email ON people (lower(email));

-- The networks a person was registered in, with or without a role yet.
CREATE TABLE network_people (
    network_id  uuid NOT NULL REFERENCES networks (id),
    person_id   uuid NOT NULL REFERENCES people (id),
    PRIMARY KEY (network_id, person_id)
);

CREATE TABLE roles (
    network_id  uuid        NOT NULL REFERENCES networks (id),
    person_id   uuid        NOT NULL REFERENCES people (id),
    role        text        NOT NULL,
    granted_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (network_id, person_id, role)
);
CREATE INDEX roles_person ON roles (person_id);

CREATE TABLE sessions (
    token_hash    bytea       PRIMARY KEY,
    person_id     uuid        NOT NULL REFERENCES people (id),
    client        jsonb       NOT NULL DEFAULT '{}',
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_seen_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sessions_person ON sessions (person_id);

-- Failed sign-ins per e-mail (known or not), for the lockout.
CREATE TABLE login_failures (
    email  text        NOT NULL,
    at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_failures_email ON login_failures (lower(email), at);

CREATE TABLE password_resets (
    token_hash  bytea       PRIMARY KEY,
    person_id   uuid        NOT NULL REFERENCES people (id),
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz
);

CREATE TABLE api_tokens (
    id          uuid        PRIMARY KEY,
    network_id  uuid        NOT NULL REFERENCES networks (id),
    role        text        NOT NULL,
    label       text        NOT NULL,
    token_hash  bytea       NOT NULL UNIQUE,
    created_by  uuid        REFERENCES people (id),
    created_at  timestamptz NOT NULL DEFAULT now(),
    revoked_at  timestamptz
);

-- Offers published before this migration have no organisation; new ones always do.
ALTER TABLE offers
    ADD COLUMN organisation_id     uuid        REFERENCES organisations (id),
    ADD COLUMN description         text        NOT NULL DEFAULT '',
    ADD COLUMN rtj                 text        NOT NULL DEFAULT 'RTJ',
    ADD COLUMN min_age             integer     NOT NULL DEFAULT 0,
    ADD COLUMN max_age             integer     NOT NULL DEFAULT 24,
    ADD COLUMN situations          text[]      NOT NULL DEFAULT '{}',
    ADD COLUMN can_start_from      date,
    ADD COLUMN flanking_offer_ids  uuid[]      NOT NULL DEFAULT '{}',
    ADD COLUMN updated_at          timestamptz NOT NULL DEFAULT now(),
    ADD CONSTRAINT offers_ages CHECK (min_age <= max_age);
CREATE INDEX offers_organisation ON offers (organisation_id);

CREATE TABLE agreements (
    id                 uuid        PRIMARY KEY,
    network_id         uuid        NOT NULL REFERENCES networks (id),
    title              text        NOT NULL,
    kind               text        NOT NULL,
    parties            jsonb       NOT NULL,
    starts_on          date        NOT NULL,
    ends_on            date        CHECK (ends_on IS NULL OR ends_on >= starts_on),
    agreed_number      integer     NOT NULL CHECK (agreed_number >= 0),
    used_number        integer     NOT NULL CHECK (used_number >= 0),
    unit               text        NOT NULL,
    status             text        NOT NULL,
    notes              text        NOT NULL DEFAULT '',
    next_follow_up_on  date,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX agreements_network ON agreements (network_id);

CREATE TABLE agreement_follow_ups (
    id                 uuid        PRIMARY KEY,
    agreement_id       uuid        NOT NULL REFERENCES agreements (id),
    held_on            date        NOT NULL,
    notes              text        NOT NULL,
    used_number        integer     CHECK (used_number >= 0),
    next_follow_up_on  date,
    created_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX agreement_follow_ups_agreement ON agreement_follow_ups (agreement_id);

CREATE TABLE task_groups (
    id             uuid        PRIMARY KEY,
    network_id     uuid        NOT NULL REFERENCES networks (id),
    name           text        NOT NULL,
    theme          text        NOT NULL,
    mandate        text        NOT NULL,
    members        uuid[]      NOT NULL DEFAULT '{}',
    organisations  uuid[]      NOT NULL DEFAULT '{}',
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX task_groups_network ON task_groups (network_id);
