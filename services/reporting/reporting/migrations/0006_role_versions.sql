-- Who holds which role: partners' version of the change decides, not the time it says it
-- happened (two changes can share a millisecond, and clocks differ). A revoke keeps its row
-- (granted = false) with its version, so an older grant arriving later changes nothing.
ALTER TABLE role_holders ADD COLUMN version bigint NOT NULL DEFAULT 0;
