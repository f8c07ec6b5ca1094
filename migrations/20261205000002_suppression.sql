-- A contact whose address bounced for good (and, later, complained) is left out of every
-- later selection until an editor clears it.
ALTER TABLE contacts ADD COLUMN undeliverable_at BIGINT;
ALTER TABLE contacts ADD COLUMN undeliverable_reason TEXT;
-- The contact-frequency rules count messages that left, by contact and time.
CREATE INDEX outbox_sent ON outbox (status, sent_at, invitation_id);
