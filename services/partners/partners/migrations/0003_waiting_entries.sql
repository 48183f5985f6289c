-- Who waits for which offer, learned from the cases service's waiting-list events: only
-- entry and offer ids and dates, never who the family is. The gaps view counts, per offer,
-- the entries not yet removed.
CREATE TABLE waiting_entries (
    entry_id   uuid PRIMARY KEY,
    offer_id   uuid NOT NULL,
    network_id uuid NOT NULL,
    added_on   date,
    removed_on date
);
CREATE INDEX waiting_entries_open ON waiting_entries (offer_id) WHERE removed_on IS NULL;
