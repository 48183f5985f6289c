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

-- A written procedure between meetings (schriftelijke procedure): the secretary or an
-- organiser puts an urgent proposal to the body's members with a deadline; each member with
-- a voting right agrees or objects with a reason; at the deadline (or once all answered) the
-- outcome is the body's decision, and the body's next agenda carries it for ratification.
CREATE TABLE IF NOT EXISTS written_procedures (
    id                uuid        PRIMARY KEY,
    body_id           uuid        NOT NULL REFERENCES bodies (id),
    network_id        uuid        NOT NULL,
    title             text        NOT NULL,
    proposal          text        NOT NULL,
    deadline          timestamptz NOT NULL,
    started_by        uuid        REFERENCES people (id),
    started_at        timestamptz NOT NULL DEFAULT now(),
    closed_at         timestamptz,
    outcome           text        CHECK (outcome IN ('adopted', 'rejected')),
    -- The agenda item of the meeting that ratifies it; none while no agenda of the body is
    -- open (the next published agenda takes it).
    ratified_in_item  uuid        REFERENCES agenda_items (id) ON DELETE SET NULL,
    CHECK ((closed_at IS NULL) = (outcome IS NULL))
);
CREATE INDEX IF NOT EXISTS written_procedures_body ON written_procedures (body_id, started_at);
CREATE INDEX IF NOT EXISTS written_procedures_due ON written_procedures (deadline)
    WHERE closed_at IS NULL;

CREATE TABLE IF NOT EXISTS written_answers (
    procedure_id  uuid        NOT NULL REFERENCES written_procedures (id) ON DELETE CASCADE,
    member_id     uuid        NOT NULL REFERENCES body_members (id),
    answer        text        NOT NULL CHECK (answer IN ('agree', 'object')),
    reason        text,
    answered_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (procedure_id, member_id),
    CHECK (answer = 'agree' OR reason IS NOT NULL)
);
