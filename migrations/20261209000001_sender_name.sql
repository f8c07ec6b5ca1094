-- A survey's own sender name ("Maya from the Product team"), shown as the From name of its
-- invitations and reminders; the address stays MAIL_FROM's, so DKIM and DMARC still align.
-- Empty: MAIL_FROM's own name.
ALTER TABLE surveys ADD COLUMN sender_name TEXT NOT NULL DEFAULT '';
