-- Closing the loop: after a survey closes, the team tells the people who asked what it
-- heard and what it is doing, through the outbox like any other mail.

-- A fifth kind of message, 'loop', sent through an invitation of the closed survey. The
-- kind check cannot be altered in place on SQLite, so the table is rebuilt with the same
-- rows (the same statements run on PostgreSQL).
CREATE TABLE outbox_new (
    message_id      TEXT PRIMARY KEY,
    invitation_id   TEXT REFERENCES invitations (invitation_id) ON DELETE CASCADE,
    kind            TEXT NOT NULL CHECK (kind IN ('invitation', 'reminder', 'test', 'digest', 'loop')),
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

-- 1 when the person ticked "tell me what you do with this" on their page. It sits on the
-- invitation, never on the response: in an anonymous survey it is set in the same update
-- that marks the invitation completed (which keeps only the day), so it ties the person to
-- nothing the ledger did not already say.
ALTER TABLE invitations ADD COLUMN wants_loop INTEGER NOT NULL DEFAULT 0;

-- What the team heard and is doing, as written for this survey, and when it was sent.
ALTER TABLE surveys ADD COLUMN loop_subject TEXT NOT NULL DEFAULT '';
ALTER TABLE surveys ADD COLUMN loop_body TEXT NOT NULL DEFAULT '';
ALTER TABLE surveys ADD COLUMN loop_sent_at BIGINT;
