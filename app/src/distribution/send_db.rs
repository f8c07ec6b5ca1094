//! SQL for a send: new invitations written already queued, each with its outbox row.
//!
//! Inviting first and queuing afterwards (`outbox::queue_invitations`) rewrites every new
//! row a second time to set `queued_at`. On PostgreSQL that second write was most of a
//! 100,000-recipient send: 7.9–9.7 s of 17.2 s, because an update makes a new version of
//! the row and an entry in each of the table's eight indexes (BENCHMARKS.md, stop 18).
use super::db::NewInvitation;
use sqlx::{Any, Transaction};

/// Rows per PostgreSQL statement: four parameters a row, far below its 65,535 limit.
const POSTGRES_BATCH: usize = 1_000;

/// What a send wrote: invitations that were new, and how many of them got a message.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Written {
    pub invited: i64,
    pub queued: u64,
}

/// Records the invitations and queues an invitation email for each new one whose contact
/// is still subscribed and not erased. A contact invited already keeps their link and is
/// left to `outbox::queue_invitations`, as is a contact who has since unsubscribed (their
/// invitation counts as invited, not queued).
pub async fn insert_queued_invitations(
    tx: &mut Transaction<'_, Any>,
    survey_id: &str,
    rows: &[NewInvitation],
    now: i64,
) -> sqlx::Result<Written> {
    let mut written = Written::default();
    if tx.backend_name() == "SQLite" {
        for row in rows {
            if let Some(queued) = insert_one(tx, survey_id, row, now).await? {
                written.invited += 1;
                if queued {
                    queue_one(tx, &row.invitation_id, now).await?;
                    written.queued += 1;
                }
            }
        }
        return Ok(written);
    }
    for batch in rows.chunks(POSTGRES_BATCH) {
        let sql = postgres_batch_sql(batch.len());
        let mut query = sqlx::query_as(&sql).bind(survey_id).bind(now);
        for row in batch {
            query = query
                .bind(&row.invitation_id)
                .bind(&row.contact_id)
                .bind(row.token_hash.as_str())
                .bind(row.unsubscribe_hash.as_str());
        }
        let (invited, queued): (i64, i64) = query.fetch_one(&mut **tx).await?;
        written.invited += invited;
        written.queued += u64::try_from(queued).unwrap_or(0);
    }
    Ok(written)
}

/// One invitation on SQLite; `None` when the contact was invited already, otherwise
/// whether it was written queued. SQLite runs in-process, so a statement a row costs no
/// round trip (BENCHMARKS.md, 4).
async fn insert_one(
    tx: &mut Transaction<'_, Any>,
    survey_id: &str,
    row: &NewInvitation,
    now: i64,
) -> sqlx::Result<Option<bool>> {
    let queued_at: Option<Option<i64>> = sqlx::query_scalar(
        "INSERT INTO invitations (invitation_id, survey_id, contact_id, token_hash, \
         unsubscribe_hash, created_at, queued_at) \
         SELECT $1, $2, c.contact_id, $4, $5, $6, \
           CASE WHEN c.unsubscribed_at IS NULL AND c.erased_at IS NULL THEN $6 END \
         FROM contacts c WHERE c.contact_id = $3 \
         ON CONFLICT (survey_id, contact_id) DO NOTHING RETURNING queued_at",
    )
    .bind(&row.invitation_id)
    .bind(survey_id)
    .bind(&row.contact_id)
    .bind(row.token_hash.as_str())
    .bind(row.unsubscribe_hash.as_str())
    .bind(now)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(queued_at.map(|at| at.is_some()))
}

async fn queue_one(
    tx: &mut Transaction<'_, Any>,
    invitation_id: &str,
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO outbox (message_id, invitation_id, kind, status, attempts, next_attempt_at, \
         created_at) VALUES ('invite-' || $1, $1, 'invitation', 'queued', 0, $2, $2)",
    )
    .bind(invitation_id)
    .bind(now)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

/// One PostgreSQL statement for `rows` invitations: `$1` is the survey, `$2` the time,
/// then four parameters a row. The invitations and their outbox rows are written by one
/// data-modifying `WITH`, which answers with both counts.
fn postgres_batch_sql(rows: usize) -> String {
    let values: Vec<String> = (0..rows)
        .map(|row| {
            let p = 3 + row * 4;
            format!("(${p}, ${}, ${}, ${})", p + 1, p + 2, p + 3)
        })
        .collect();
    format!(
        "WITH v (invitation_id, contact_id, token_hash, unsubscribe_hash) AS (VALUES {}), \
         new AS (INSERT INTO invitations (invitation_id, survey_id, contact_id, token_hash, \
           unsubscribe_hash, created_at, queued_at) \
           SELECT v.invitation_id, $1, v.contact_id, v.token_hash, v.unsubscribe_hash, $2, \
             CASE WHEN c.unsubscribed_at IS NULL AND c.erased_at IS NULL THEN $2 END \
           FROM v JOIN contacts c ON c.contact_id = v.contact_id \
           ON CONFLICT (survey_id, contact_id) DO NOTHING RETURNING invitation_id, queued_at), \
         queued AS (INSERT INTO outbox (message_id, invitation_id, kind, status, attempts, \
           next_attempt_at, created_at) \
           SELECT 'invite-' || invitation_id, invitation_id, 'invitation', 'queued', 0, $2, $2 \
           FROM new WHERE queued_at IS NOT NULL RETURNING 1) \
         SELECT (SELECT COUNT(*) FROM new), (SELECT COUNT(*) FROM queued)",
        values.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::postgres_batch_sql;

    #[test]
    fn a_postgres_batch_numbers_each_rows_four_parameters_after_the_two_it_shares() {
        let sql = postgres_batch_sql(2);
        assert!(
            sql.contains("AS (VALUES ($3, $4, $5, $6), ($7, $8, $9, $10)), new AS"),
            "{sql}"
        );
    }
}
