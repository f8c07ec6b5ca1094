-- The precision a survey aims for: a headline score is "actionable" once its 95%
-- interval's half-width is within this many points.
ALTER TABLE surveys ADD COLUMN target_points INTEGER NOT NULL DEFAULT 10;
