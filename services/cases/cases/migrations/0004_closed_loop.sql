-- Issue 14: the receiving organisation answers a referral or a waiting-list entry. One
-- answer per offer of a case: accepted with a start date, or declined with a reason (a
-- declined case goes back to the coordinator, who sees it as "teruggewezen").
CREATE TABLE referral_answers (
    id            uuid        PRIMARY KEY,
    network_id    uuid        NOT NULL,
    referral_id   uuid        NOT NULL REFERENCES referrals (id),
    offer_id      uuid        NOT NULL REFERENCES offers (id),
    entry_id      uuid        REFERENCES waiting_entries (id),
    answer        text        NOT NULL CHECK (answer IN ('accepted', 'declined')),
    reason        text        NOT NULL DEFAULT '',
    starts_on     date,
    answered_by   uuid        NOT NULL,
    answered_on   date        NOT NULL,
    answered_at   timestamptz NOT NULL DEFAULT now(),
    CHECK (answer = 'declined' OR starts_on IS NOT NULL),
    CHECK (answer = 'accepted' OR reason <> '')
);
CREATE UNIQUE INDEX referral_answers_once ON referral_answers (referral_id, offer_id);
CREATE INDEX referral_answers_network ON referral_answers (network_id, answered_at);
