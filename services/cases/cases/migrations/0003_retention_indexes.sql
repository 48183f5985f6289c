-- The retention sweep deletes forgotten referral drafts and old access-log entries by age.
CREATE INDEX referral_drafts_updated ON referral_drafts (updated_at);
CREATE INDEX audit_log_at ON audit_log (at);
