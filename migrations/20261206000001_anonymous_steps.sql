-- Anonymous answers through personal links are held back until enough have arrived: a
-- held response is complete but not yet counted (completed = 0, held = 1); once a survey
-- holds ANONYMOUS_MIN_ANSWERS of them they are all released together (completed = 1,
-- held = 0), so results move only in steps no single answer can be told apart in.
ALTER TABLE responses ADD COLUMN held INTEGER NOT NULL DEFAULT 0;
CREATE INDEX responses_held ON responses (survey_id, held);
