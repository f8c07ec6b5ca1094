-- "Send a test to me": a test message goes to the team member who asked for it and is
-- rendered from one survey's wording. It has no invitation, so it names its survey and
-- which of the survey's emails it tries out.
ALTER TABLE outbox ADD COLUMN survey_id TEXT REFERENCES surveys (survey_id) ON DELETE CASCADE;
ALTER TABLE outbox ADD COLUMN test_of TEXT CHECK (test_of IN ('invitation', 'reminder'));
