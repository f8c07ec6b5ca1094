-- Links that let a team member set their own password: a reset they asked for, or an
-- invitation an admin sent. Only the link token's hash is kept (the token itself is
-- derived from the server's secret and the link id when the mail is composed), so a copy
-- of the database opens nobody's account. A link works once, until it expires.
CREATE TABLE account_links (
    link_id    TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    user_id    TEXT NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    purpose    TEXT NOT NULL CHECK (purpose IN ('reset', 'invitation')),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT,
    invited_by TEXT
);
CREATE INDEX account_links_user ON account_links (user_id);

-- A sixth kind of message, 'account', which carries such a link. The kind check cannot be
-- altered in place on SQLite, so the table is rebuilt with the same rows (the same
-- statements run on PostgreSQL).
CREATE TABLE outbox_new (
    message_id      TEXT PRIMARY KEY,
    invitation_id   TEXT REFERENCES invitations (invitation_id) ON DELETE CASCADE,
    kind            TEXT NOT NULL CHECK (kind IN ('invitation', 'reminder', 'test', 'digest', 'loop', 'account')),
    to_address      TEXT,
    status          TEXT NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'failed', 'bounced', 'cancelled')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    lease_until     BIGINT,
    last_error      TEXT,
    created_at      BIGINT NOT NULL,
    sent_at         BIGINT,
    survey_id       TEXT REFERENCES surveys (survey_id) ON DELETE CASCADE,
    test_of         TEXT CHECK (test_of IN ('invitation', 'reminder')),
    ignore_window   INTEGER NOT NULL DEFAULT 0,
    user_id         TEXT REFERENCES users (user_id) ON DELETE CASCADE
);
INSERT INTO outbox_new (message_id, invitation_id, kind, to_address, status, attempts,
    next_attempt_at, lease_until, last_error, created_at, sent_at, survey_id, test_of,
    ignore_window, user_id)
SELECT message_id, invitation_id, kind, to_address, status, attempts, next_attempt_at,
    lease_until, last_error, created_at, sent_at, survey_id, test_of, ignore_window, user_id
FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX outbox_invitation ON outbox (invitation_id);
CREATE INDEX outbox_sent ON outbox (status, sent_at, invitation_id);
CREATE INDEX outbox_user ON outbox (user_id);

-- In the development mailbox, a message carrying such a link is shown to admins only: an
-- editor who could read an admin's reset link could become that admin.
ALTER TABLE dev_mailbox ADD COLUMN admins_only INTEGER NOT NULL DEFAULT 0;
