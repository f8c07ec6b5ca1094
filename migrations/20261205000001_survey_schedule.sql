-- A survey's schedule: when a draft opens by itself, and when the invitations of the
-- people already chosen are queued. `closes_at` (minute precision from now on) closes an
-- open survey by itself. Each is cleared once it has happened.
ALTER TABLE surveys ADD COLUMN opens_at BIGINT;
ALTER TABLE surveys ADD COLUMN send_at BIGINT;
CREATE INDEX surveys_status_closes ON surveys (status, closes_at);
