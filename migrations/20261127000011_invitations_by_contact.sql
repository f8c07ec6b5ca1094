-- Choosing recipients asks, for every matching contact, whether they were invited to this
-- survey or to another one within the quiet period. Without an index on the contact, each
-- question scanned the whole ledger: benchmark scenario 5 found queueing 10,000 contacts
-- out of 350,000 taking minutes. With it, each is one index probe.
CREATE INDEX invitations_contact ON invitations (contact_id, created_at);
