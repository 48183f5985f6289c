-- Issue 14: the network's volume agreement with the mandated bodies (OCJ/SDJ), copied from
-- partners' agreement_recorded events, so triage can tell how many agreed places of the
-- period are used. Partners sends the whole agreement again when it changes: the latest
-- copy (recorded_at) wins, whatever order the events arrive in.
CREATE TABLE mandated_agreements (
    id             uuid        PRIMARY KEY,
    network_id     uuid        NOT NULL,
    starts_on      date        NOT NULL,
    ends_on        date,
    agreed_number  integer     NOT NULL CHECK (agreed_number >= 0),
    status         text        NOT NULL,
    -- False once partners recorded the agreement as of another kind: kept (not deleted) so
    -- an older copy arriving late cannot bring it back.
    mandated       boolean     NOT NULL DEFAULT true,
    recorded_at    timestamptz NOT NULL
);
CREATE INDEX mandated_agreements_network ON mandated_agreements (network_id);

-- The places used: a mandated body's referrals taken into help, counted per period.
CREATE INDEX referrals_mandated_triaged ON referrals (network_id, triaged_at)
    WHERE mandated_body OR source_sector = 'mandated_body';
