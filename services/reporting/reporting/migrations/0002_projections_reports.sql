-- Reporting's projections of partners', cases' and meetings' events, and its reports.
-- Every table holds ids, codes from fixed lists, dates and counts; nothing names or
-- describes a family. Each projection is order-independent (sums, or the latest copy by
-- occurred_at), so a rebuild from event_log gives exactly what live updates gave.

CREATE INDEX event_log_type ON event_log (source, event_type);

-- The days from `since` up to (not including) `until`, open-ended while `until` is unknown;
-- an `until` before `since` (a correction upstream) gives an empty span, never an error.
CREATE FUNCTION span(since date, until date) RETURNS daterange
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT daterange(since, CASE WHEN until IS NULL THEN NULL
                                       ELSE greatest(since, until) END, '[)') $$;

-- partners' facts -----------------------------------------------------------------------------

CREATE TABLE networks (
    id              uuid        PRIMARY KEY,
    name            text,
    kind            text,
    region          text,
    municipalities  text[]      NOT NULL DEFAULT '{}',
    targets         jsonb       NOT NULL DEFAULT '[]',
    warm_contact_interval_days integer,
    settings_at     timestamptz
);
CREATE INDEX networks_region ON networks (region);

-- Who holds which role: the latest grant or revoke (by occurred_at) decides.
CREATE TABLE role_holders (
    network_id  uuid        NOT NULL,
    person_id   uuid        NOT NULL,
    role        text        NOT NULL,
    granted     boolean     NOT NULL,
    at          timestamptz NOT NULL,
    PRIMARY KEY (network_id, person_id, role)
);
CREATE INDEX role_holders_person ON role_holders (person_id);

-- Professionals' names, only to say who approved a report.
CREATE TABLE people (
    person_id  uuid        PRIMARY KEY,
    name       text,
    at         timestamptz NOT NULL
);

CREATE TABLE offers (
    id          uuid        PRIMARY KEY,
    network_id  uuid        NOT NULL,
    kind        text        NOT NULL,
    at          timestamptz NOT NULL
);

CREATE TABLE agreements (
    id             uuid        PRIMARY KEY,
    network_id     uuid        NOT NULL,
    kind           text        NOT NULL,
    starts_on      date        NOT NULL,
    ends_on        date,
    agreed_number  integer     NOT NULL,
    status         text        NOT NULL,
    at             timestamptz NOT NULL
);
CREATE INDEX agreements_network ON agreements (network_id);

-- pre-aggregated counts: what a report reads ---------------------------------------------------

-- Additive counts per network, month, measure and breakdown; `dimension` '' is the total.
CREATE TABLE month_counts (
    network_id  uuid    NOT NULL,
    month       date    NOT NULL,
    measure     text    NOT NULL,
    dimension   text    NOT NULL,
    key         text    NOT NULL,
    n           integer NOT NULL,
    PRIMARY KEY (network_id, month, measure, dimension, key)
);

-- Day histograms per network, month and measure: medians and percentiles come from these.
CREATE TABLE month_days (
    network_id  uuid    NOT NULL,
    month       date    NOT NULL,
    measure     text    NOT NULL,
    days        integer NOT NULL,
    n           integer NOT NULL,
    PRIMARY KEY (network_id, month, measure, days)
);

-- per item, for states at a date ---------------------------------------------------------------

-- A referral's first answer (its first triage): replaces its contribution to the counts
-- when an earlier triage turns up late.
CREATE TABLE first_answers (
    referral_id  uuid    PRIMARY KEY,
    network_id   uuid    NOT NULL,
    received_on  date    NOT NULL,
    triaged_on   date    NOT NULL,
    offer_count  integer NOT NULL,
    event_id     uuid    NOT NULL
);

-- Added and removed may arrive in either order: each fills its own columns.
CREATE TABLE waiting_entries (
    entry_id       uuid PRIMARY KEY,
    network_id     uuid NOT NULL,
    offer_id       uuid,
    municipality   text,
    concern        text,
    waiting_since  date,
    added_on       date,
    removed_on     date,
    reason         text
);
CREATE INDEX waiting_entries_span ON waiting_entries
    USING gist (span(added_on, removed_on)) WHERE added_on IS NOT NULL;
CREATE INDEX waiting_entries_network ON waiting_entries (network_id);

CREATE TABLE warm_contacts (
    event_id      uuid PRIMARY KEY,
    entry_id      uuid NOT NULL,
    network_id    uuid NOT NULL,
    contacted_on  date NOT NULL,
    next_due      date NOT NULL
);
CREATE INDEX warm_contacts_entry ON warm_contacts (entry_id, contacted_on);

-- One row per start (a reopened trajectory starts again under the same id).
CREATE TABLE trajectories (
    trajectory_id  uuid NOT NULL,
    started_on     date NOT NULL,
    network_id     uuid NOT NULL,
    offer_id       uuid,
    reopened       boolean,
    closed_on      date,
    outcome        text,
    PRIMARY KEY (trajectory_id, started_on)
);
CREATE INDEX trajectories_span ON trajectories
    USING gist (span(started_on, closed_on));

CREATE TABLE meetings (
    meeting_id  uuid PRIMARY KEY,
    network_id  uuid NOT NULL,
    body_id     uuid NOT NULL,
    body_kind   text NOT NULL,
    starts_on   date,
    status      text,
    status_at   timestamptz,
    held_on     date
);
CREATE INDEX meetings_network_starts ON meetings (network_id, starts_on);
CREATE INDEX meetings_network_held ON meetings (network_id, held_on);

CREATE TABLE minutes (
    meeting_id             uuid PRIMARY KEY,
    network_id             uuid NOT NULL,
    approved_in_meeting_id uuid NOT NULL,
    approved_on            date NOT NULL
);

CREATE TABLE actions (
    action_id   uuid PRIMARY KEY,
    network_id  uuid NOT NULL,
    body_kind   text,
    due_on      date,
    done_on     date
);
CREATE INDEX actions_network_due ON actions (network_id, due_on);

-- A signal's title is the network's governance (a pain point, a proposal), never about a
-- family; its free-text description is not kept here.
CREATE TABLE signals (
    signal_id   uuid PRIMARY KEY,
    network_id  uuid NOT NULL,
    body_kind   text NOT NULL,
    kind        text NOT NULL,
    title       text NOT NULL,
    raised_on   date NOT NULL
);
CREATE INDEX signals_network_raised ON signals (network_id, raised_on);

-- reports ---------------------------------------------------------------------------------------

CREATE TABLE reports (
    id                 uuid        PRIMARY KEY,
    network_id         uuid        NOT NULL,
    network_name       text,
    region             text,
    period_kind        text        NOT NULL,
    period_start       date        NOT NULL,
    period_end         date        NOT NULL,
    version            integer     NOT NULL,
    status             text        NOT NULL,
    content            jsonb       NOT NULL,
    -- The unsuppressed aggregates behind the content (counts and day histograms, never a
    -- family): a region roll-up sums these and suppresses again. Never returned.
    aggregates         jsonb       NOT NULL,
    generated_at       timestamptz NOT NULL DEFAULT now(),
    generated_by       uuid,
    approved_by_person uuid,
    approved_by        text,
    approved_by_body   text,
    approved_on        date,
    approved_at        timestamptz,
    published_at       timestamptz,
    correction_of      uuid        REFERENCES reports (id),
    correction_reason  text,
    UNIQUE (network_id, period_kind, period_start, version)
);
CREATE INDEX reports_region ON reports (region, status);
