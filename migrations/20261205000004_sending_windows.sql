-- Sending windows. A survey's window: NULL follows the team default
-- (DEFAULT_SENDING_WINDOW), '' is any time, else e.g. 'Tue-Thu 09:00-17:00' in each
-- recipient's community's time zone. Surveys made before windows existed keep sending
-- at any time, as they did.
ALTER TABLE surveys ADD COLUMN sending_window TEXT;
UPDATE surveys SET sending_window = '';
-- A community's IANA time zone; '' is the team's.
ALTER TABLE communities ADD COLUMN time_zone TEXT NOT NULL DEFAULT '';
-- "Send now, ignore windows" for one urgent send.
ALTER TABLE outbox ADD COLUMN ignore_window INTEGER NOT NULL DEFAULT 0;
