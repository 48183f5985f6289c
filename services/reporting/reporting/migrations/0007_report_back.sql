-- Report-back to IROJ after every meeting (meetings' iroj_report_back_recorded): what a body
-- reports back, kept per network so that IROJ of the region reads it as soon as the meeting
-- closed. A projection (rebuilt from the event log); the text of decisions marked "voor
-- IROJ" and of signals is in it on purpose: the body wrote it for IROJ.
CREATE TABLE IF NOT EXISTS report_backs (
    meeting_id          uuid        PRIMARY KEY,
    network_id          uuid        NOT NULL,
    body_id             uuid        NOT NULL,
    body_kind           text        NOT NULL,
    body_name           text        NOT NULL,
    held_on             date        NOT NULL,
    reporter_person_id  uuid        NOT NULL,
    decisions           jsonb       NOT NULL,
    signals             jsonb       NOT NULL,
    recorded_at         timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS report_backs_network ON report_backs (network_id, held_on DESC);

-- IROJ's answers to signals: reporting's own record (not a projection), one per signal.
CREATE TABLE IF NOT EXISTS signal_answers (
    signal_id    uuid        PRIMARY KEY,
    network_id   uuid        NOT NULL,
    meeting_id   uuid        NOT NULL,
    answer       text        NOT NULL,
    answered_by  uuid,
    answered_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS signal_answers_meeting ON signal_answers (meeting_id);
