-- The anonymous public link: a survey may also take answers from anyone who holds one
-- shared address (a forum post, a chat channel). Off (NULL) by default.
-- Unlike personal links, the token is kept as it is: the team must be able to copy the
-- link again, and it opens nothing but an anonymous form (no one's answers, no ledger).
ALTER TABLE surveys ADD COLUMN public_token TEXT;
CREATE UNIQUE INDEX surveys_public_token ON surveys (public_token);

-- 1 for a response given through the public link. Such responses have no invitation, so
-- they never enter a response rate's numerator or denominator.
ALTER TABLE responses ADD COLUMN via_public_link INTEGER NOT NULL DEFAULT 0;
