-- The precision a survey aims for: a headline score is "actionable" once its 95%
-- interval's half-width is within this many points.
ALTER TABLE surveys ADD COLUMN target_points INTEGER NOT NULL DEFAULT 10;
-- 1: automatic reminders stop once every headline score of the survey is actionable.
ALTER TABLE surveys ADD COLUMN stop_reminders_at_target INTEGER NOT NULL DEFAULT 0;
