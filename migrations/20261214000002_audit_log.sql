-- The audit log: one row per change made by a team member, an API token, a survey's
-- schedule or the command line. It holds ids, counts and names of things (never answers,
-- contacts' addresses or links); `actor_label` keeps who it was (a member's address, a
-- token's name) as they were then, so the entry survives their removal.
CREATE TABLE audit_log (
    entry_id     TEXT PRIMARY KEY,
    at           BIGINT NOT NULL,
    actor_kind   TEXT NOT NULL CHECK (actor_kind IN ('member', 'token', 'schedule', 'command_line')),
    actor_id     TEXT,
    actor_label  TEXT NOT NULL,
    action       TEXT NOT NULL,
    subject_kind TEXT,
    subject_id   TEXT,
    detail       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at ON audit_log (at, entry_id);
CREATE INDEX audit_log_action ON audit_log (action, at);
