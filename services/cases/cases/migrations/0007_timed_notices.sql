-- Issue 14: the notices time passing raises (cases.domain.due): a warm contact coming due,
-- the one-month guideline nearing or passed, a plan action due. Each is raised once per
-- (kind, thing, stage, due date): the hourly sweep may run on two replicas at once, or again
-- after a crash, and the primary key lets only one of them emit the event. A new due date
-- (a warm contact logged, a plan action moved) is a new notice.
CREATE TABLE due_notices (
    kind         text        NOT NULL
                 CHECK (kind IN ('warm_contact', 'pickup_guideline', 'plan_action')),
    -- What is due: a waiting entry's id, a referral's id, or a plan action's place
    -- (cases.domain.due.ActionDue.subject).
    subject      text        NOT NULL CHECK (length(subject) <= 120),
    stage        text        NOT NULL CHECK (stage IN ('nearing', 'passed')),
    due_on       date        NOT NULL,
    network_id   uuid        NOT NULL,
    referral_id  uuid        NOT NULL REFERENCES referrals (id),
    raised_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (kind, subject, stage, due_on)
);
CREATE INDEX due_notices_referral ON due_notices (referral_id);
