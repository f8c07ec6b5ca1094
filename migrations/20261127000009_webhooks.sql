-- Webhooks: endpoints an admin registers for events, and their deliveries. A delivery is
-- written in the same transaction as the change it reports, then sent by a worker with
-- retries, like the mail outbox.
CREATE TABLE webhooks (
    webhook_id    TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    url           TEXT NOT NULL,
    -- The subscribed events, comma-separated with a comma at each end (",a,b,") so a
    -- LIKE '%,event,%' finds subscribers on both backends.
    events        TEXT NOT NULL,
    -- An admin's explicit permission to reach loopback, private or link-local addresses.
    allow_private INTEGER NOT NULL DEFAULT 0,
    active        INTEGER NOT NULL DEFAULT 1,
    -- The signing secret is derived from the server key and this nonce; a new nonce
    -- rotates it. The database alone cannot sign.
    secret_nonce  TEXT NOT NULL,
    created_by    TEXT REFERENCES users (user_id) ON DELETE SET NULL,
    created_at    BIGINT NOT NULL
);

-- One event, stored once whatever the number of subscribers, only when someone subscribes.
CREATE TABLE webhook_events (
    event_id    TEXT PRIMARY KEY,
    event       TEXT NOT NULL,
    payload     TEXT NOT NULL,
    -- The person the event is about, so erasing them removes it.
    contact_id  TEXT,
    created_at  BIGINT NOT NULL
);
CREATE INDEX webhook_events_contact ON webhook_events (contact_id);

CREATE TABLE webhook_deliveries (
    delivery_id     TEXT PRIMARY KEY,
    webhook_id      TEXT NOT NULL REFERENCES webhooks (webhook_id) ON DELETE CASCADE,
    event_id        TEXT NOT NULL REFERENCES webhook_events (event_id) ON DELETE CASCADE,
    status          TEXT NOT NULL CHECK (status IN ('queued', 'sending', 'delivered', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    lease_until     BIGINT,
    response_status INTEGER,
    last_error      TEXT,
    created_at      BIGINT NOT NULL,
    finished_at     BIGINT,
    UNIQUE (webhook_id, event_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX webhook_deliveries_log ON webhook_deliveries (webhook_id, created_at);

-- The last send whose end was reported (the newest queued_at of its invitations), so
-- "send.finished" goes out once per send, and not for sends that ended before this.
ALTER TABLE surveys ADD COLUMN send_reported_through BIGINT;
UPDATE surveys SET send_reported_through =
    (SELECT MAX(queued_at) FROM invitations WHERE invitations.survey_id = surveys.survey_id);
CREATE INDEX invitations_survey_queued ON invitations (survey_id, queued_at);
