-- The results' one pass over a survey's invitations now also reads when the panel was shown
-- (a person reached in the product counts as delivered) and whether the response was
-- completed there. The ledger index covered that pass so the table itself is never read;
-- it gets the two new columns, or every summary would fetch each invitation's row.
DROP INDEX invitations_survey_ledger;
CREATE INDEX invitations_survey_ledger
    ON invitations (survey_id, sent_at, bounced_at, completed_at, unsubscribed_at, shown_at, completed_in_product);
