-- Documents of a meeting (or of one of its agenda items), kept here as files, every version
-- of them; and guests invited to one meeting. Both go with their meeting (ON DELETE CASCADE):
-- erasing a meeting erases the bytes of its documents.
CREATE TABLE meeting_documents (
    id          uuid        PRIMARY KEY,
    meeting_id  uuid        NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    item_id     uuid        REFERENCES agenda_items (id) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX meeting_documents_meeting ON meeting_documents (meeting_id);

CREATE TABLE meeting_document_versions (
    document_id   uuid        NOT NULL REFERENCES meeting_documents (id) ON DELETE CASCADE,
    version       integer     NOT NULL CHECK (version >= 1),
    filename      text        NOT NULL,
    content_type  text        NOT NULL,
    size          integer     NOT NULL CHECK (size > 0),
    sha256        text        NOT NULL,
    content       bytea       NOT NULL,
    uploaded_by   uuid        REFERENCES people (id),
    uploaded_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (document_id, version)
);

CREATE TABLE meeting_guests (
    meeting_id  uuid        NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    person_id   uuid        NOT NULL REFERENCES people (id),
    invited_by  uuid        REFERENCES people (id),
    invited_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (meeting_id, person_id)
);
CREATE INDEX meeting_guests_person ON meeting_guests (person_id);

-- A person may sit for the clients, as an experience expert or for a sector rather than for a
-- care organisation (verband_common.schemas.meetings.REPRESENTS); delegates never do.
ALTER TABLE body_members
    ADD COLUMN represents text
        CHECK (represents IN ('clients', 'experience_experts', 'sector')),
    ADD CONSTRAINT body_members_represents_person
        CHECK (represents IS NULL OR person_id IS NOT NULL);
