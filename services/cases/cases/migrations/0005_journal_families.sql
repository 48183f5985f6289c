-- Issue 14: the case journal, and one record per family within a network.

-- Contacts and notes of the family's workers. A line is never changed: a correction is a
-- new line naming the one it corrects, so the journal stays the account of what was known
-- when. Anonymisation empties the text (the one change a line ever gets).
CREATE TABLE journal_entries (
    id           uuid        PRIMARY KEY,
    network_id   uuid        NOT NULL,
    referral_id  uuid        NOT NULL REFERENCES referrals (id),
    occurred_at  timestamptz NOT NULL,
    kind         text        NOT NULL,
    text         text        NOT NULL,
    corrects_id  uuid        REFERENCES journal_entries (id),
    author_id    uuid        NOT NULL,
    written_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX journal_entries_referral ON journal_entries (referral_id, occurred_at);
CREATE INDEX journal_entries_corrects ON journal_entries (corrects_id)
    WHERE corrects_id IS NOT NULL;


-- One plan per family: a referral that joins a family's record (the same child referred
-- again) shares that family's plan. Versions are numbered per family, so two referrals of one
-- family never write the same version twice.
ALTER TABLE plan_versions ADD COLUMN family_id uuid REFERENCES families (id);
UPDATE plan_versions v SET family_id = r.family_id FROM referrals r WHERE r.id = v.referral_id;
ALTER TABLE plan_versions ALTER COLUMN family_id SET NOT NULL;
CREATE UNIQUE INDEX plan_versions_family ON plan_versions (family_id, version);
