-- Distribution: who is invited (communities on membership tiers, and their contacts), each
-- step of the invitation ledger, and the outbox that sends mail outside web requests.

-- Membership tiers; the team renames or adds its own. Three to start with.
CREATE TABLE tiers (
    tier_id    TEXT PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    position   INTEGER NOT NULL,
    created_at BIGINT NOT NULL
);
INSERT INTO tiers (tier_id, name, position, created_at) VALUES
    ('tier-essential', 'Essential', 1, 0),
    ('tier-professional', 'Professional', 2, 0),
    ('tier-enterprise', 'Enterprise', 3, 0);

-- Member organisations. `name_key` (trimmed, lower-cased) makes names unique regardless of
-- case, which is also how imports match them.
CREATE TABLE communities (
    community_id TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    name_key     TEXT NOT NULL UNIQUE,
    tier_id      TEXT NOT NULL REFERENCES tiers (tier_id),
    created_at   BIGINT NOT NULL
);
CREATE INDEX communities_tier ON communities (tier_id);

ALTER TABLE contacts ADD COLUMN name TEXT NOT NULL DEFAULT '';
ALTER TABLE contacts ADD COLUMN community_id TEXT REFERENCES communities (community_id) ON DELETE SET NULL;
ALTER TABLE contacts ADD COLUMN role TEXT NOT NULL DEFAULT '';
-- Set once the person asks for no more surveys; never cleared except by their own undo.
ALTER TABLE contacts ADD COLUMN unsubscribed_at BIGINT;
-- Set by a GDPR erase, which also replaces the address and name.
ALTER TABLE contacts ADD COLUMN erased_at BIGINT;
CREATE INDEX contacts_community ON contacts (community_id);

CREATE TABLE contact_tags (
    contact_id TEXT NOT NULL REFERENCES contacts (contact_id) ON DELETE CASCADE,
    tag        TEXT NOT NULL,
    PRIMARY KEY (contact_id, tag)
);
CREATE INDEX contact_tags_tag ON contact_tags (tag);

-- The ledger's steps. Personal-link and unsubscribe tokens are derived from the server's
-- secret key and the invitation id (so reminders can carry the same link) and stored only
-- as SHA-256 hashes, for lookup.
ALTER TABLE invitations ADD COLUMN unsubscribe_hash TEXT;
ALTER TABLE invitations ADD COLUMN queued_at BIGINT;
ALTER TABLE invitations ADD COLUMN sent_at BIGINT;
ALTER TABLE invitations ADD COLUMN failed_at BIGINT;
ALTER TABLE invitations ADD COLUMN bounced_at BIGINT;
-- The mail server's reply when delivery failed or bounced, shown to the team.
ALTER TABLE invitations ADD COLUMN delivery_error TEXT;
ALTER TABLE invitations ADD COLUMN unsubscribed_at BIGINT;
ALTER TABLE invitations ADD COLUMN reminders_sent INTEGER NOT NULL DEFAULT 0;
ALTER TABLE invitations ADD COLUMN last_reminded_at BIGINT;
CREATE UNIQUE INDEX invitations_unsubscribe_hash ON invitations (unsubscribe_hash);

-- The invitation email's wording, per survey; empty means the built-in wording.
ALTER TABLE surveys ADD COLUMN email_subject TEXT NOT NULL DEFAULT '';
ALTER TABLE surveys ADD COLUMN email_body TEXT NOT NULL DEFAULT '';

-- Mail waiting to go, going, or gone. Written in the same transaction as the ledger rows
-- it belongs to; a worker claims due rows with a lease, so a crash leaves nothing stuck:
-- an expired lease makes the row due again. The id is also the Message-ID's local part,
-- so a message sent twice (a crash between the server's acceptance and our commit)
-- carries the same Message-ID both times.
CREATE TABLE outbox (
    message_id      TEXT PRIMARY KEY,
    invitation_id   TEXT REFERENCES invitations (invitation_id) ON DELETE CASCADE,
    kind            TEXT NOT NULL CHECK (kind IN ('invitation', 'reminder', 'test')),
    -- Only test messages (to a team member) name their recipient here; invitations find
    -- theirs through the contact, so an erase leaves no address behind.
    to_address      TEXT,
    status          TEXT NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'failed', 'bounced', 'cancelled')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    lease_until     BIGINT,
    last_error      TEXT,
    created_at      BIGINT NOT NULL,
    sent_at         BIGINT
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX outbox_invitation ON outbox (invitation_id);

-- Development mode (no SMTP_URL): mail lands here, readable by the team in the app.
CREATE TABLE dev_mailbox (
    mail_id    TEXT PRIMARY KEY,
    to_address TEXT NOT NULL,
    subject    TEXT NOT NULL,
    text_body  TEXT NOT NULL,
    html_body  TEXT NOT NULL,
    raw        TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
