-- Governance bodies, their meetings, agendas, decisions, actions, minutes and signals, and
-- the projections of partners' people and roles that every access check reads.

-- Who holds which role in which network (partners' role_granted / role_revoked).
CREATE TABLE people (
    id              uuid        PRIMARY KEY,
    name            text,
    email           text,
    organisation_id uuid,
    updated_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE network_roles (
    network_id  uuid NOT NULL,
    person_id   uuid NOT NULL REFERENCES people (id),
    role        text NOT NULL,
    PRIMARY KEY (network_id, person_id, role)
);
CREATE INDEX network_roles_person ON network_roles (person_id);

CREATE TABLE bodies (
    id                    uuid        PRIMARY KEY,
    network_id            uuid        NOT NULL,
    name                  text        NOT NULL,
    kind                  text        NOT NULL,
    mandate               text,
    quorum                jsonb       NOT NULL,
    decision_rule         jsonb       NOT NULL,
    cadence               jsonb       NOT NULL,
    location              text,
    agenda_deadline_days  integer     NOT NULL,
    mail_days_before      integer     NOT NULL,
    created_at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX bodies_network ON bodies (network_id);

-- A seat: a person, or an organisation represented by a delegate.
CREATE TABLE body_members (
    id                 uuid    PRIMARY KEY,
    body_id            uuid    NOT NULL REFERENCES bodies (id),
    person_id          uuid    REFERENCES people (id),
    organisation_id    uuid,
    organisation_name  text,
    delegate_id        uuid    REFERENCES people (id),
    role               text    NOT NULL CHECK (role IN ('chair', 'secretary', 'member', 'adviser')),
    voting             boolean NOT NULL,
    active             boolean NOT NULL DEFAULT true,
    CHECK ((person_id IS NULL) <> (delegate_id IS NULL))
);
CREATE INDEX body_members_body ON body_members (body_id);

CREATE TABLE meetings (
    id                    uuid        PRIMARY KEY,
    body_id               uuid        NOT NULL REFERENCES bodies (id),
    network_id            uuid        NOT NULL,
    starts_at             timestamptz NOT NULL,
    ends_at               timestamptz NOT NULL,
    status                text        NOT NULL DEFAULT 'scheduled'
                                      CHECK (status IN ('scheduled', 'cancelled', 'held')),
    in_series             boolean     NOT NULL,
    location              text,
    sequence              integer     NOT NULL DEFAULT 0,
    change_reason         text,
    agenda_published_at   timestamptz,
    agenda_mailed_at      timestamptz,
    quorum_reached        boolean,
    iroj_reporter_id      uuid        REFERENCES body_members (id),
    held_at               timestamptz,
    created_at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX meetings_body ON meetings (body_id, starts_at);
CREATE INDEX meetings_agenda_unmailed ON meetings (starts_at)
    WHERE agenda_published_at IS NOT NULL AND agenda_mailed_at IS NULL;

CREATE TABLE agenda_items (
    id                   uuid        PRIMARY KEY,
    meeting_id           uuid        NOT NULL REFERENCES meetings (id),
    position             integer     NOT NULL,
    kind                 text        NOT NULL,
    title                text        NOT NULL,
    explanation          text,
    documents            jsonb       NOT NULL DEFAULT '[]'::jsonb,
    decision_asked       text,
    ref                  text,
    proposed_by          uuid,
    approved_by_meeting  boolean     NOT NULL DEFAULT false,
    notes                text,
    created_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX agenda_items_meeting ON agenda_items (meeting_id, position);

CREATE TABLE attendance (
    meeting_id  uuid NOT NULL REFERENCES meetings (id),
    member_id   uuid NOT NULL REFERENCES body_members (id),
    status      text NOT NULL CHECK (status IN ('present', 'excused', 'absent')),
    PRIMARY KEY (meeting_id, member_id)
);

CREATE TABLE decisions (
    id              uuid        PRIMARY KEY,
    meeting_id      uuid        NOT NULL REFERENCES meetings (id),
    item_id         uuid        NOT NULL REFERENCES agenda_items (id),
    method          text        NOT NULL,
    outcome         text        NOT NULL,
    text            text        NOT NULL,
    objections      jsonb       NOT NULL,
    votes           jsonb       NOT NULL,
    tally           jsonb,
    case_pseudonym  text,
    taken_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX decisions_meeting ON decisions (meeting_id);

CREATE TABLE actions (
    id          uuid        PRIMARY KEY,
    body_id     uuid        NOT NULL REFERENCES bodies (id),
    meeting_id  uuid        NOT NULL REFERENCES meetings (id),
    item_id     uuid        REFERENCES agenda_items (id),
    title       text        NOT NULL,
    owner_id    uuid        NOT NULL REFERENCES body_members (id),
    due_on      date        NOT NULL,
    done_on     date,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX actions_open ON actions (body_id) WHERE done_on IS NULL;

CREATE TABLE minutes (
    meeting_id              uuid        PRIMARY KEY REFERENCES meetings (id),
    status                  text        NOT NULL CHECK (status IN ('draft', 'sent', 'approved')),
    summary                 text,
    amendments              jsonb       NOT NULL DEFAULT '[]'::jsonb,
    sent_at                 timestamptz,
    approved_at             timestamptz,
    approved_in_meeting_id  uuid        REFERENCES meetings (id),
    updated_at              timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE signals (
    id           uuid        PRIMARY KEY,
    meeting_id   uuid        NOT NULL REFERENCES meetings (id),
    kind         text        NOT NULL CHECK (kind IN ('pain_point', 'improvement_proposal')),
    title        text        NOT NULL,
    description  text,
    raised_by    uuid,
    raised_at    timestamptz NOT NULL DEFAULT now()
);

-- Bottleneck cases flagged by the cases service (pseudonym only), until an agenda takes them.
CREATE TABLE bottlenecks (
    case_pseudonym   text        NOT NULL,
    network_id       uuid        NOT NULL,
    reason_category  text        NOT NULL,
    flagged_on       date        NOT NULL,
    meeting_id       uuid        REFERENCES meetings (id),
    PRIMARY KEY (network_id, case_pseudonym, flagged_on)
);

-- E-mails written in the transaction of what caused them; a sender delivers them over SMTP.
CREATE TABLE mail_outbox (
    id           bigserial   PRIMARY KEY,
    recipients   text[]      NOT NULL,
    subject      text        NOT NULL,
    body         text        NOT NULL,
    attachments  jsonb       NOT NULL DEFAULT '[]'::jsonb,
    created_at   timestamptz NOT NULL DEFAULT now(),
    attempts     integer     NOT NULL DEFAULT 0,
    last_error   text,
    sent_at      timestamptz
);
CREATE INDEX mail_outbox_unsent ON mail_outbox (id) WHERE sent_at IS NULL;
