-- Members cast their own vote: the chair or secretary opens a vote on an agenda item during
-- the meeting, each present member with a voting right casts one ballot (changed until the
-- vote closes), and closing it records the outcome as the item's decision.
CREATE TABLE IF NOT EXISTS item_votes (
    id           uuid        PRIMARY KEY,
    meeting_id   uuid        NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    item_id      uuid        NOT NULL REFERENCES agenda_items (id) ON DELETE CASCADE,
    proposal     text        NOT NULL,
    for_iroj     boolean     NOT NULL DEFAULT false,
    opened_by    uuid        REFERENCES people (id),
    opened_at    timestamptz NOT NULL DEFAULT now(),
    closed_at    timestamptz,
    decision_id  uuid        REFERENCES decisions (id)
);
CREATE INDEX IF NOT EXISTS item_votes_meeting ON item_votes (meeting_id, opened_at);
-- At most one open vote per agenda item.
CREATE UNIQUE INDEX IF NOT EXISTS item_votes_one_open ON item_votes (item_id)
    WHERE closed_at IS NULL;

-- One ballot per member and vote: a member who changes their mind replaces it.
CREATE TABLE IF NOT EXISTS ballots (
    vote_id    uuid        NOT NULL REFERENCES item_votes (id) ON DELETE CASCADE,
    member_id  uuid        NOT NULL REFERENCES body_members (id),
    choice     text        NOT NULL CHECK (choice IN ('for', 'against', 'abstain')),
    cast_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (vote_id, member_id)
);
