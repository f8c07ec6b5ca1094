-- API tokens for the public JSON API: created by an admin, shown once, stored as their
-- SHA-256 only; each has a role, an optional expiry, and can be revoked.
CREATE TABLE api_tokens (
    token_id     TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    role         TEXT NOT NULL CHECK (role IN ('viewer', 'editor', 'admin')),
    created_by   TEXT REFERENCES users (user_id) ON DELETE SET NULL,
    created_at   BIGINT NOT NULL,
    expires_at   BIGINT,
    revoked_at   BIGINT,
    last_used_at BIGINT
);
