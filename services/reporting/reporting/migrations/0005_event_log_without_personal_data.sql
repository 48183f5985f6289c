-- The event log keeps no personal data or free text that no projection reads back
-- (projections.LOG_LEAVES_OUT): strip what earlier versions logged. `people` is no longer
-- rebuilt from the log; it keeps the names it has until purge_people drops them.
UPDATE event_log SET body = body - 'person_name' - 'person_email'
 WHERE source = 'partners' AND event_type = 'role_granted';
UPDATE event_log SET body = body - 'text'
 WHERE source = 'meetings' AND event_type = 'decision_taken';
UPDATE event_log SET body = body - 'description'
 WHERE source = 'meetings' AND event_type = 'signal_raised';
UPDATE event_log SET body = body - 'owner_person_id'
 WHERE source = 'meetings' AND event_type = 'action_assigned';
DELETE FROM people p WHERE NOT EXISTS (
    SELECT 1 FROM role_holders h WHERE h.person_id = p.person_id AND h.granted);
