-- What a resident reads about an offer in the public guide (aanbodgids), kept by the
-- organisation that offers it: where (address), when or how to get in touch, languages,
-- cost, and how to be referred and by whom. Defaults keep older offers valid: an empty
-- field is simply not shown.
ALTER TABLE offers
    ADD COLUMN address         jsonb,
    ADD COLUMN opening_hours   text   NOT NULL DEFAULT '',
    ADD COLUMN contact_phone   text,
    ADD COLUMN contact_email   text,
    ADD COLUMN languages       text[] NOT NULL DEFAULT '{nl}',
    ADD COLUMN cost            text   NOT NULL DEFAULT '',
    ADD COLUMN referral        text   NOT NULL DEFAULT '';
-- The guide lists only active offers; this keeps its search from reading the rest.
CREATE INDEX offers_public ON offers (status) WHERE status = 'active';
