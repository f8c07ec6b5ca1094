-- What the bounce mailbox brought: one row per message read (bounce, complaint,
-- unsubscribe, or a message nobody could read), keyed by the SHA-256 of its bytes, so
-- several instances polling one mailbox process each message once. `status` is
-- 'processing' while an instance holds it (until `lease_until`; a crashed instance's
-- message is taken up again after that), then 'done' with its `outcome`.
CREATE TABLE mail_intake (
    intake_key   TEXT PRIMARY KEY,
    status       TEXT NOT NULL CHECK (status IN ('processing', 'done')),
    outcome      TEXT CHECK (outcome IN ('bounced', 'delayed', 'complained', 'unsubscribed', 'unmatched', 'unreadable')),
    detail       TEXT NOT NULL DEFAULT '',
    message_id   TEXT,
    attempts     INTEGER NOT NULL DEFAULT 1,
    lease_until  BIGINT NOT NULL,
    received_at  BIGINT NOT NULL,
    processed_at BIGINT
);
CREATE INDEX mail_intake_outcome ON mail_intake (outcome, processed_at);
