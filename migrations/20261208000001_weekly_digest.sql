-- The weekly community digest: each team member opts in for themselves. `digest_since` is
-- when they did (NULL: no digest); the first digest is the first Monday's after it.
ALTER TABLE users ADD COLUMN digest_since BIGINT;

-- The outbox learns a fourth kind of message, the digest, addressed to a team member
-- rather than through an invitation. Its `kind` check cannot be altered in place on
-- SQLite, so the table is rebuilt with the same rows (the same statements run on
-- PostgreSQL). A digest names its recipient by user id, never by address: the address is
-- read when the message is composed, and deleting the member deletes the message.
CREATE TABLE outbox_new (
    message_id      TEXT PRIMARY KEY,
    invitation_id   TEXT REFERENCES invitations (invitation_id) ON DELETE CASCADE,
    kind            TEXT NOT NULL CHECK (kind IN ('invitation', 'reminder', 'test', 'digest')),
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
    ignore_window)
SELECT message_id, invitation_id, kind, to_address, status, attempts, next_attempt_at,
    lease_until, last_error, created_at, sent_at, survey_id, test_of, ignore_window
FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX outbox_invitation ON outbox (invitation_id);
CREATE INDEX outbox_sent ON outbox (status, sent_at, invitation_id);
CREATE INDEX outbox_user ON outbox (user_id);

-- The at-risk list as each week's first digest saw it (community ids, one per line), so
-- the next digest can say which communities are new on the list and how many left it.
CREATE TABLE digest_weeks (
    week       TEXT PRIMARY KEY,    -- the Monday the week began, YYYY-MM-DD
    at_risk    TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
