-- A waiting family's warm contact on a date is the latest due date among the contacts logged
-- by then. Ordered by due date (newest first) the first row logged by then answers, so a
-- report reads one index entry per waiting family instead of every contact it ever had.
DROP INDEX warm_contacts_entry;
CREATE INDEX warm_contacts_entry_due ON warm_contacts (entry_id, next_due DESC)
    INCLUDE (contacted_on);
