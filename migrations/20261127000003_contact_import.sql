-- A contact file whose preview a team member has seen but not yet confirmed. Kept whole,
-- so "apply" imports exactly the previewed file (checked again against the data then);
-- rows older than a day are swept.
CREATE TABLE pending_imports (
    import_id  TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    file_name  TEXT NOT NULL,
    content    TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
