-- Reminders to people who have not answered: days after their invitation was sent, as a
-- comma-separated list ("3,7": two reminders). Empty means no automatic reminders. The
-- wording is the survey's own, or the built-in reminder wording when empty.
ALTER TABLE surveys ADD COLUMN reminder_days TEXT NOT NULL DEFAULT '3,7';
ALTER TABLE surveys ADD COLUMN reminder_subject TEXT NOT NULL DEFAULT '';
ALTER TABLE surveys ADD COLUMN reminder_body TEXT NOT NULL DEFAULT '';
