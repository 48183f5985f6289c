-- What is on the waiting list or running on a date is read per network from the rows not
-- yet ended by that date: for a recent period those are few, and a btree on the end date
-- finds them directly. The body's next meeting is looked up per meeting.
DROP INDEX waiting_entries_span;
DROP INDEX trajectories_span;
CREATE INDEX waiting_entries_open ON waiting_entries
    (network_id, (coalesce(removed_on, 'infinity'::date))) WHERE added_on IS NOT NULL;
CREATE INDEX trajectories_open ON trajectories
    (network_id, (coalesce(closed_on, 'infinity'::date)));
CREATE INDEX meetings_body_held ON meetings (body_id, held_on);
