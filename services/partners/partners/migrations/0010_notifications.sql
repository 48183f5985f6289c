-- Notifications (issue 14): what a person is told of what happened in a case, their mail
-- preference, and the partners service's own mail outbox (verband_common.mailer).

-- A person's inbox. Written in the transaction of the consumed event (with its inbox row),
-- so a redelivered event tells no one twice. Never a family's name: a title, a sentence and
-- a link into the portal.
CREATE TABLE notifications (
    id          uuid        PRIMARY KEY,
    person_id   uuid        NOT NULL REFERENCES people (id),
    network_id  uuid        NOT NULL REFERENCES networks (id),
    event_id    uuid        NOT NULL,
    kind        text        NOT NULL,
    title       text        NOT NULL,
    body        text        NOT NULL,
    link        text        NOT NULL,
    urgent      boolean     NOT NULL DEFAULT false,
    created_at  timestamptz NOT NULL DEFAULT now(),
    read_at     timestamptz,
    -- Waits for the person's daily overview mail (their preference is "daily").
    digest_pending  boolean NOT NULL DEFAULT false,
    -- One notice of one event per person, whatever the audiences overlap.
    UNIQUE (event_id, person_id, kind)
);
CREATE INDEX notifications_inbox ON notifications (person_id, created_at DESC, id DESC);
CREATE INDEX notifications_unread ON notifications (person_id) WHERE read_at IS NULL;
CREATE INDEX notifications_digest ON notifications (person_id, created_at) WHERE digest_pending;

-- How a person wants mail of notifications that are not urgent (none: at once).
CREATE TABLE notification_preferences (
    person_id   uuid        PRIMARY KEY REFERENCES people (id),
    mail        text        NOT NULL CHECK (mail IN ('immediately', 'daily', 'off')),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- Mails written in the transaction of what caused them; the sender delivers them over SMTP,
-- retries with a growing delay and parks after a bounded number of tries.
CREATE TABLE mail_outbox (
    id               bigserial   PRIMARY KEY,
    network_id       uuid,
    recipients       text[]      NOT NULL,
    subject          text        NOT NULL,
    body             text        NOT NULL,
    attachments      jsonb       NOT NULL DEFAULT '[]'::jsonb,
    created_at       timestamptz NOT NULL DEFAULT now(),
    attempts         integer     NOT NULL DEFAULT 0,
    last_error       text,
    sent_at          timestamptz,
    next_attempt_at  timestamptz,
    parked_at        timestamptz
);
CREATE INDEX mail_outbox_due ON mail_outbox (id) WHERE sent_at IS NULL AND parked_at IS NULL;
CREATE INDEX mail_outbox_parked ON mail_outbox (network_id, parked_at) WHERE parked_at IS NOT NULL;
