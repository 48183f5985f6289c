-- Issue 14: merging two records of one family (a referral the fingerprint did not join, a
-- name typed otherwise). The coordinator proposes it, and until a coordinator confirms it,
-- it can be undone exactly: `moved` holds what went from one record to the other.

-- The record that was merged into another keeps its row (the merge names it) but no longer
-- shows as a family of its own: no search, no duplicate, no match of a new referral.
ALTER TABLE families ADD COLUMN merged_into uuid REFERENCES families (id);

CREATE TABLE family_merges (
    id               uuid        PRIMARY KEY,
    network_id       uuid        NOT NULL,
    keep_family_id   uuid        NOT NULL REFERENCES families (id),
    merge_family_id  uuid        NOT NULL REFERENCES families (id),
    reason           text        NOT NULL,
    status           text        NOT NULL DEFAULT 'open'
                                 CHECK (status IN ('open', 'confirmed', 'undone')),
    proposed_by      uuid        NOT NULL,
    proposed_at      timestamptz NOT NULL DEFAULT now(),
    decided_by       uuid,
    decided_at       timestamptz,
    -- Ids, keys, version numbers and the kept record's household before the merge: emptied
    -- once the merge is confirmed or undone, so no copy of a family's data outlives its use.
    moved            jsonb,
    CHECK (keep_family_id <> merge_family_id)
);
CREATE INDEX family_merges_open ON family_merges (network_id, proposed_at) WHERE status = 'open';
-- A record is merged away once: a second merge of it waits until the first is undone.
CREATE UNIQUE INDEX family_merges_once ON family_merges (merge_family_id)
    WHERE status <> 'undone';
CREATE INDEX family_merges_keep ON family_merges (keep_family_id) WHERE status = 'open';
