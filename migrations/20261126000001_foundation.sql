-- The foundation schema. One SQL dialect serves SQLite and PostgreSQL: ids are TEXT
-- (UUIDs), times are BIGINT seconds since the Unix epoch, flags are 0/1 integers (sqlx's
-- Any driver cannot read SQLite booleans).

-- Team members who sign in. Emails are stored lower-cased, so plain equality finds them.
CREATE TABLE users (
    user_id       TEXT PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,          -- Argon2id PHC string
    role          TEXT NOT NULL CHECK (role IN ('admin', 'editor', 'viewer')),
    created_at    BIGINT NOT NULL
);

-- At most one row: claimed by the first-run setup, so two racing setups cannot both win.
CREATE TABLE setup_claim (
    singleton  INTEGER PRIMARY KEY CHECK (singleton = 1),
    claimed_at BIGINT NOT NULL
);

-- Server-side sessions. Only the SHA-256 of the cookie is stored, so a copy of the
-- database cannot be used to sign in.
CREATE TABLE sessions (
    session_hash TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    created_at   BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL
);
CREATE INDEX sessions_user_id ON sessions (user_id);

-- Failed sign-ins, counted per hashed key ("account:..." or "address:...") for throttling.
CREATE TABLE sign_in_failures (
    throttle_key TEXT NOT NULL,
    failed_at    BIGINT NOT NULL
);
CREATE INDEX sign_in_failures_key_time ON sign_in_failures (throttle_key, failed_at);

CREATE TABLE surveys (
    survey_id  TEXT PRIMARY KEY,
    title      TEXT NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('draft', 'open', 'closed')),
    created_by TEXT REFERENCES users (user_id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    opened_at  BIGINT,
    closed_at  BIGINT
);

CREATE TABLE questions (
    question_id TEXT PRIMARY KEY,
    survey_id   TEXT NOT NULL REFERENCES surveys (survey_id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    prompt      TEXT NOT NULL,
    required    INTEGER NOT NULL DEFAULT 1,
    UNIQUE (survey_id, position)
);

-- People who can be invited. Communities, names and tags come with the Distribution issue.
CREATE TABLE contacts (
    contact_id TEXT PRIMARY KEY,
    email      TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL
);

-- The invitation ledger: one row per (survey, contact), the denominator of every response
-- rate. The personal link's token is stored only as its SHA-256 hash.
CREATE TABLE invitations (
    invitation_id TEXT PRIMARY KEY,
    survey_id     TEXT NOT NULL REFERENCES surveys (survey_id) ON DELETE CASCADE,
    contact_id    TEXT NOT NULL REFERENCES contacts (contact_id) ON DELETE CASCADE,
    token_hash    TEXT NOT NULL UNIQUE,
    created_at    BIGINT NOT NULL,
    opened_at     BIGINT,
    started_at    BIGINT,
    completed_at  BIGINT,
    UNIQUE (survey_id, contact_id)
);

-- One response per invitation: answering again through the same link updates it.
CREATE TABLE responses (
    response_id   TEXT PRIMARY KEY,
    survey_id     TEXT NOT NULL REFERENCES surveys (survey_id) ON DELETE CASCADE,
    invitation_id TEXT UNIQUE REFERENCES invitations (invitation_id) ON DELETE SET NULL,
    submitted_at  BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);
CREATE INDEX responses_survey_id ON responses (survey_id);

CREATE TABLE answers (
    response_id TEXT NOT NULL REFERENCES responses (response_id) ON DELETE CASCADE,
    question_id TEXT NOT NULL REFERENCES questions (question_id) ON DELETE CASCADE,
    score       INTEGER,
    text_value  TEXT,
    PRIMARY KEY (response_id, question_id)
);
