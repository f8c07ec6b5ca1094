-- Community health: who on the team looks after each member organisation, and when its
-- membership next renews, both optional. The at-risk list is filtered by the first and
-- shows the second, so the team can act before a quiet community's renewal.
ALTER TABLE communities ADD COLUMN owner_id TEXT REFERENCES users (user_id) ON DELETE SET NULL;
-- YYYY-MM-DD, as the team recorded it.
ALTER TABLE communities ADD COLUMN renews_on TEXT;
CREATE INDEX communities_owner ON communities (owner_id);
