-- Report-back to IROJ (terugkoppeling): a decision can be marked "voor IROJ" so that closing
-- the meeting reports it back; IROJ's answers to the body's signals wait here until they sit
-- on an agenda of the body (meeting_id set), or until the body's next meeting is planned.
ALTER TABLE decisions ADD COLUMN IF NOT EXISTS for_iroj boolean NOT NULL DEFAULT false;

CREATE TABLE IF NOT EXISTS iroj_answers (
    signal_id     uuid        PRIMARY KEY REFERENCES signals (id),
    body_id       uuid        NOT NULL REFERENCES bodies (id),
    network_id    uuid        NOT NULL,
    signal_title  text        NOT NULL,
    answer        text        NOT NULL,
    answered_on   date        NOT NULL,
    meeting_id    uuid        REFERENCES meetings (id),
    received_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS iroj_answers_waiting ON iroj_answers (body_id)
    WHERE meeting_id IS NULL;
