-- Survey translations. A survey's own texts (surveys, questions, its email wording) are in
-- its default language, the first code of `languages`; each other language's texts are one
-- JSON document, whose empty or missing texts fall back to the default's.
ALTER TABLE surveys ADD COLUMN languages TEXT NOT NULL DEFAULT 'en';

CREATE TABLE survey_translations (
    survey_id  TEXT NOT NULL REFERENCES surveys (survey_id) ON DELETE CASCADE,
    language   TEXT NOT NULL,
    content    TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (survey_id, language)
);

-- A contact's preferred language (a code such as `de`); NULL: none given.
ALTER TABLE contacts ADD COLUMN language TEXT;

-- The language a response was given in, so results can be read per language.
ALTER TABLE responses ADD COLUMN language TEXT;
