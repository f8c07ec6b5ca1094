-- The in-product channel: a survey shown in a small panel inside the team's own product,
-- to that product's signed-in user, joining the same invitation ledger as email.

-- The survey's public key in the snippet (NULL: the channel is off), the secret the team's
-- server signs each user's address with (HMAC-SHA256), the origins allowed to frame the
-- panel (space-separated, e.g. "https://app.example.com"), and how many days a closed
-- panel stays away.
ALTER TABLE surveys ADD COLUMN widget_key TEXT;
ALTER TABLE surveys ADD COLUMN widget_secret TEXT;
ALTER TABLE surveys ADD COLUMN widget_origins TEXT NOT NULL DEFAULT '';
ALTER TABLE surveys ADD COLUMN widget_snooze_days INTEGER NOT NULL DEFAULT 14;
CREATE UNIQUE INDEX surveys_widget_key ON surveys (widget_key);

-- How the invitation entered the ledger: 'email' (chosen or pasted, mailed by the outbox)
-- or 'in_product' (made when the panel first showed it; never mailed unless chosen).
ALTER TABLE invitations ADD COLUMN channel TEXT NOT NULL DEFAULT 'email';
-- When the panel first showed the survey to this person, and when they last closed it.
ALTER TABLE invitations ADD COLUMN shown_at BIGINT;
ALTER TABLE invitations ADD COLUMN dismissed_at BIGINT;
-- 1 when the answers that completed the response were sent from the panel.
ALTER TABLE invitations ADD COLUMN completed_in_product INTEGER NOT NULL DEFAULT 0;
