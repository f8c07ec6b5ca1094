-- Surveys grow: the release they ask about, their texts, anonymity and closing date;
-- questions of every kind with options and follow-up conditions.

-- A feature release; several surveys (say, one per audience) may ask about one release.
CREATE TABLE releases (
    release_id  TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    released_on TEXT,                      -- ISO date, YYYY-MM-DD
    link        TEXT,
    description TEXT NOT NULL DEFAULT '',
    created_at  BIGINT NOT NULL
);

ALTER TABLE surveys ADD COLUMN release_id TEXT REFERENCES releases (release_id) ON DELETE SET NULL;
ALTER TABLE surveys ADD COLUMN intro TEXT NOT NULL DEFAULT '';
ALTER TABLE surveys ADD COLUMN thank_you TEXT NOT NULL DEFAULT '';
-- 'anonymous': responses are stored with no invitation, no token, and day-precision times.
ALTER TABLE surveys ADD COLUMN anonymity TEXT NOT NULL DEFAULT 'identified'
    CHECK (anonymity IN ('identified', 'anonymous'));
-- When set, the survey stops taking answers at this time even if nobody closes it.
ALTER TABLE surveys ADD COLUMN closes_at BIGINT;

ALTER TABLE questions ADD COLUMN help_text TEXT NOT NULL DEFAULT '';
-- The options of choice questions as a JSON array of labels; answers refer to positions,
-- so an option's wording can be corrected after answers arrive.
ALTER TABLE questions ADD COLUMN options TEXT NOT NULL DEFAULT '[]';
ALTER TABLE questions ADD COLUMN allow_other INTEGER NOT NULL DEFAULT 0;
-- Follow-up: shown only when the named earlier scored question's answer is in min..max.
-- No foreign key: removing the earlier question clears these in the same transaction.
ALTER TABLE questions ADD COLUMN show_if_question_id TEXT;
ALTER TABLE questions ADD COLUMN show_if_min INTEGER;
ALTER TABLE questions ADD COLUMN show_if_max INTEGER;

-- Chosen option positions of choice answers, as a JSON array (text_value holds "Other").
ALTER TABLE answers ADD COLUMN choices TEXT;

-- 1 once every visible required question is answered; a response saved as the person
-- goes counts as started until then.
ALTER TABLE responses ADD COLUMN completed INTEGER NOT NULL DEFAULT 0;
