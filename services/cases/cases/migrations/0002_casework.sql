-- Issue 4: referral, triage, the warm waiting list, trajectories, one plan, bottleneck cases,
-- and the audit log. Projections of partners' facts come first: cases checks every actor
-- and every partner against its own copy, never against partners' tables.

-- The networks, with the settings the waiting list and the clocks run on.
CREATE TABLE networks (
    id                          uuid        PRIMARY KEY,
    name                        text,
    kind                        text,
    region                      text,
    municipalities              text[]      NOT NULL DEFAULT '{}',
    waiting_weights             jsonb       NOT NULL DEFAULT '{}',
    warm_contact_interval_days  integer     NOT NULL DEFAULT 14,
    pickup_guideline_days       integer     NOT NULL DEFAULT 30,
    settings_at                 timestamptz
);

-- Who holds which role in which network (role_granted / role_revoked).
CREATE TABLE role_holders (
    network_id       uuid NOT NULL,
    person_id        uuid NOT NULL,
    role             text NOT NULL,
    organisation_id  uuid,
    PRIMARY KEY (network_id, person_id, role)
);
CREATE INDEX role_holders_person ON role_holders (person_id);

-- Partner organisations of a network (partner_joined / partner_left).
CREATE TABLE network_partners (
    network_id       uuid NOT NULL,
    organisation_id  uuid NOT NULL,
    name             text NOT NULL,
    ends_on          date,
    PRIMARY KEY (network_id, organisation_id)
);

-- Crisis-point agreements, shown when an urgent and dangerous situation is triaged.
CREATE TABLE crisis_agreements (
    id               uuid PRIMARY KEY,
    network_id       uuid NOT NULL,
    organisation_ids uuid[] NOT NULL,
    starts_on        date NOT NULL,
    ends_on          date,
    status           text NOT NULL
);
CREATE INDEX crisis_agreements_network ON crisis_agreements (network_id);

ALTER TABLE offers
    ADD COLUMN organisation_id uuid,
    ADD COLUMN municipalities  text[] NOT NULL DEFAULT '{}',
    ADD COLUMN can_start_from  date;

-- A family's contact data, and what privacy asks of the record.
ALTER TABLE families
    ADD COLUMN contact        jsonb       NOT NULL DEFAULT '{}',
    ADD COLUMN legal_hold     boolean     NOT NULL DEFAULT false,
    ADD COLUMN legal_hold_reason text,
    ADD COLUMN anonymised_at  timestamptz,
    ADD COLUMN erased_at      timestamptz;

-- One row per child, keyed (HMAC, per network) so the same child on several waiting
-- lists is found without comparing names in the clear.
CREATE TABLE children (
    family_id   uuid NOT NULL REFERENCES families (id) ON DELETE CASCADE,
    network_id  uuid NOT NULL,
    child_key   text NOT NULL,
    PRIMARY KEY (family_id, child_key)
);
CREATE INDEX children_key ON children (network_id, child_key);

-- A referral is the family's case in the network: triage, lists, trajectory and plan hang
-- off it. "The network decides" leaves offer_id empty.
ALTER TABLE referrals
    ALTER COLUMN offer_id DROP NOT NULL,
    ADD COLUMN requested_offer_ids uuid[]  NOT NULL DEFAULT '{}',
    ADD COLUMN mandated_body    boolean    NOT NULL DEFAULT false,
    ADD COLUMN life_domains     text[]     NOT NULL DEFAULT '{}',
    ADD COLUMN urgency          text       NOT NULL DEFAULT 'normal',
    ADD COLUMN referrer_id      uuid,
    ADD COLUMN referrer_organisation_id uuid,
    ADD COLUMN case_pseudonym   text,
    ADD COLUMN family_pseudonym text,
    ADD COLUMN age_bands        text[]     NOT NULL DEFAULT '{}',
    ADD COLUMN triage           jsonb,
    ADD COLUMN triaged_at       timestamptz,
    ADD COLUMN started_at       timestamptz;
CREATE UNIQUE INDEX referrals_case_pseudonym ON referrals (case_pseudonym);
CREATE INDEX referrals_family ON referrals (family_id);

-- Saved, unvalidated drafts of a referral, visible to their author only.
CREATE TABLE referral_drafts (
    id          uuid        PRIMARY KEY,
    network_id  uuid        NOT NULL,
    author_id   uuid        NOT NULL,
    payload     jsonb       NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX referral_drafts_author ON referral_drafts (author_id, network_id);

-- Without consent only an anonymous consultation is registered: no names, no birth dates.
CREATE TABLE consultations (
    id            uuid        PRIMARY KEY,
    network_id    uuid        NOT NULL,
    municipality  text        NOT NULL,
    concern       text        NOT NULL,
    age_bands     text[]      NOT NULL,
    life_domains  text[]      NOT NULL,
    advice        text        NOT NULL,
    registered_by uuid        NOT NULL,
    registered_at timestamptz NOT NULL DEFAULT now()
);

-- The warm waiting list. `rank_key` is kept so that ordering by it, highest first, is the
-- priority order on any day (see cases.domain.priority): an index serves the list.
CREATE TABLE waiting_entries (
    id                uuid        PRIMARY KEY,
    network_id        uuid        NOT NULL,
    referral_id       uuid        NOT NULL REFERENCES referrals (id),
    offer_id          uuid        NOT NULL REFERENCES offers (id),
    waiting_since     date        NOT NULL,
    added_on          date        NOT NULL,
    concern           text        NOT NULL,
    concern_level     smallint    NOT NULL,
    urgency           text        NOT NULL,
    urgency_level     smallint    NOT NULL,
    domains           smallint    NOT NULL,
    rank_key          double precision NOT NULL,
    status            text        NOT NULL DEFAULT 'waiting',
    last_contact_on   date,
    next_contact_due  date        NOT NULL,
    removed_on        date,
    removal_reason    text,
    removal_note      text,
    added_by          uuid        NOT NULL
);
-- The order of cases.domain.priority.sort_key: rank, then longer waiting, more concern,
-- more domains, more urgency, and the id so that the order is total.
CREATE INDEX waiting_entries_rank ON waiting_entries
    (offer_id, rank_key DESC, waiting_since, concern_level DESC, domains DESC,
     urgency_level DESC, id)
    WHERE status = 'waiting';
CREATE INDEX waiting_entries_referral ON waiting_entries (referral_id);
CREATE INDEX waiting_entries_due ON waiting_entries (network_id, next_contact_due)
    WHERE status = 'waiting';
CREATE UNIQUE INDEX waiting_entries_once ON waiting_entries (referral_id, offer_id)
    WHERE status = 'waiting';

CREATE TABLE warm_contacts (
    id          uuid        PRIMARY KEY,
    entry_id    uuid        NOT NULL REFERENCES waiting_entries (id),
    contact_on  date        NOT NULL,
    by_person   uuid        NOT NULL,
    channel     text        NOT NULL,
    note        text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX warm_contacts_entry ON warm_contacts (entry_id, contact_on);

CREATE TABLE bridging_support (
    id               uuid        PRIMARY KEY,
    referral_id      uuid        NOT NULL REFERENCES referrals (id),
    kind             text        NOT NULL,
    organisation_id  uuid,
    starts_on        date        NOT NULL,
    note             text        NOT NULL,
    recorded_by      uuid        NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE trajectories (
    id                uuid        PRIMARY KEY,
    network_id        uuid        NOT NULL,
    referral_id       uuid        NOT NULL REFERENCES referrals (id),
    offer_id          uuid        REFERENCES offers (id),
    case_manager_id   uuid        NOT NULL,
    status            text        NOT NULL DEFAULT 'active',
    started_on        date        NOT NULL,
    closed_on         date,
    outcome           text,
    flow_to           text,
    closing_note      text,
    created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX trajectories_referral ON trajectories (referral_id);
CREATE INDEX trajectories_manager ON trajectories (case_manager_id);

-- Every change of contact point, status, closure and reopening of a trajectory.
CREATE TABLE trajectory_history (
    id              bigserial   PRIMARY KEY,
    trajectory_id   uuid        NOT NULL REFERENCES trajectories (id),
    change          text        NOT NULL,
    detail          jsonb       NOT NULL,
    by_person       uuid        NOT NULL,
    at              timestamptz NOT NULL DEFAULT now()
);

-- One plan per family (case); every version kept, with who changed what.
CREATE TABLE plan_versions (
    referral_id  uuid        NOT NULL REFERENCES referrals (id),
    version      integer     NOT NULL,
    plan         jsonb       NOT NULL,
    changes      jsonb       NOT NULL,
    author_id    uuid        NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (referral_id, version)
);

CREATE TABLE bottlenecks (
    id               uuid        PRIMARY KEY,
    network_id       uuid        NOT NULL,
    referral_id      uuid        NOT NULL REFERENCES referrals (id),
    reason_category  text        NOT NULL,
    note             text        NOT NULL,
    flagged_on       date        NOT NULL,
    flagged_by       uuid        NOT NULL,
    decision         jsonb
);
CREATE INDEX bottlenecks_referral ON bottlenecks (referral_id);

-- Who read or changed what, when and why. Searchable by a network admin; never exported
-- in events. `case_id` stays after anonymisation: the log is the account of access.
CREATE TABLE audit_log (
    id          bigserial   PRIMARY KEY,
    network_id  uuid        NOT NULL,
    case_id     uuid,
    actor       text        NOT NULL,
    action      text        NOT NULL,
    purpose     text        NOT NULL,
    detail      jsonb       NOT NULL DEFAULT '{}',
    at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_network ON audit_log (network_id, at);
CREATE INDEX audit_log_case ON audit_log (case_id);
