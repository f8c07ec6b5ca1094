//! SQL for a send: new invitations written already queued, each with its outbox row.
//!
//! Inviting first and queuing afterwards (`outbox::queue_invitations`) rewrites every new
//! row a second time to set `queued_at`. On PostgreSQL that second write took 7.9–9.7 s of
//! a 17.2 s send of 100,000 (BENCHMARKS.md, stop 18), because an updated row is a new
//! version of it with an entry in each of the table's eight indexes.
use crate::db::Backend;
use crate::distribution::sending::db::{batch_values, bind_batch, NewInvitation, POSTGRES_BATCH};
use sqlx::{Any, Row, Transaction};

/// What a send wrote: invitations that were new, and the invitation emails it queued.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Written {
    pub invited: i64,
    pub queued: u64,
}

/// Records the invitations (a contact invited already keeps their link) and queues the
/// invitation email of every invited contact of the survey who can be mailed and has none
/// queued yet: the new ones, and any chosen earlier on the page and not sent.
///
/// PostgreSQL writes each new invitation queued, with its outbox row, so that
/// `outbox::queue_invitations` then finds only the earlier ones. SQLite inserts first and
/// lets `queue_invitations` queue them all: there two set-based statements measured
/// faster than two statements a row (6.6 s against 12.1 s for a send of 100,000,
/// BENCHMARKS.md, stop 19).
pub async fn invite_and_queue(
    tx: &mut Transaction<'_, Any>,
    backend: Backend,
    survey_id: &str,
    rows: &[NewInvitation],
    now: i64,
) -> sqlx::Result<Written> {
    let mut written = if backend == Backend::Sqlite {
        let invited =
            crate::distribution::sending::db::insert_invitations(tx, backend, survey_id, rows, now)
                .await?;
        Written { invited, queued: 0 }
    } else {
        insert_queued(tx, survey_id, rows, now).await?
    };
    written.queued +=
        crate::distribution::sending::outbox::queue_invitations(tx, survey_id, now).await?;
    Ok(written)
}

/// PostgreSQL: the invitations, each queued with its outbox row when its contact is still
/// subscribed and not erased.
async fn insert_queued(
    tx: &mut Transaction<'_, Any>,
    survey_id: &str,
    rows: &[NewInvitation],
    now: i64,
) -> sqlx::Result<Written> {
    let mut written = Written::default();
    for batch in rows.chunks(POSTGRES_BATCH) {
        let sql = postgres_batch_sql(batch.len());
        let counts = bind_batch(&sql, survey_id, now, batch)
            .fetch_one(&mut **tx)
            .await?;
        let (invited, queued): (i64, i64) = (counts.try_get(0)?, counts.try_get(1)?);
        written.invited += invited;
        written.queued += u64::try_from(queued).unwrap_or(0);
    }
    Ok(written)
}

/// One PostgreSQL statement for `rows` invitations, numbered as `batch_values` says. The
/// invitations and their outbox rows are written by one data-modifying `WITH`, which
/// answers with both counts.
fn postgres_batch_sql(rows: usize) -> String {
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
        batch_values(rows)
    )
}

#[cfg(test)]
mod tests {
    use super::postgres_batch_sql;

    #[test]
    fn a_queued_batch_lists_its_rows_in_the_with_it_inserts_from() {
        let sql = postgres_batch_sql(2);
        assert!(
            sql.contains("AS (VALUES ($3, $4, $5, $6), ($7, $8, $9, $10)), new AS"),
            "{sql}"
        );
    }
}
