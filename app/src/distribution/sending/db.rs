//! SQL for contacts, the invitation ledger and unsubscribing.
use crate::db::Backend;
use crate::distribution::model::Funnel;
use crate::server::token::TokenHash;
use sqlx::{Any, Executor, Transaction};

/// When an invitation reached its person, the denominator of every response rate: its
/// email was delivered (sent and not bounced), or the survey's panel was shown to them in
/// the team's product. Over the ledger aliased `i`.
pub const DELIVERED_IF: &str =
    "((i.sent_at IS NOT NULL AND i.bounced_at IS NULL) OR i.shown_at IS NOT NULL)";

/// When an invitation first reached its person, by either channel.
pub const REACHED_AT: &str = "COALESCE(i.sent_at, i.shown_at)";

/// The contact with this address, created if new; returns its id.
pub async fn upsert_contact(
    tx: &mut Transaction<'_, Any>,
    new_contact_id: &str,
    email: &str,
    now: i64,
) -> sqlx::Result<String> {
    sqlx::query(
        "INSERT INTO contacts (contact_id, email, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (email) DO NOTHING",
    )
    .bind(new_contact_id)
    .bind(email)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    sqlx::query_scalar("SELECT contact_id FROM contacts WHERE email = $1")
        .bind(email)
        .fetch_one(&mut **tx)
        .await
}

/// One invitation about to be written: its id, its contact and the hashes of its tokens.
pub struct NewInvitation {
    pub invitation_id: String,
    pub contact_id: String,
    pub token_hash: TokenHash,
    pub unsubscribe_hash: TokenHash,
}

/// Records an invitation with the hashes of its survey and unsubscribe tokens; returns
/// false when the contact was already invited, in which case their existing link stays the
/// only one.
pub async fn insert_invitation(
    db: impl Executor<'_, Database = Any>,
    survey_id: &str,
    row: &NewInvitation,
    now: i64,
) -> sqlx::Result<bool> {
    sqlx::query(
        "INSERT INTO invitations (invitation_id, survey_id, contact_id, token_hash, unsubscribe_hash, \
         created_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (survey_id, contact_id) DO NOTHING",
    )
    .bind(&row.invitation_id)
    .bind(survey_id)
    .bind(&row.contact_id)
    .bind(row.token_hash.as_str())
    .bind(row.unsubscribe_hash.as_str())
    .bind(now)
    .execute(db)
    .await
    .map(|r| r.rows_affected() == 1)
}

/// The id of the community with this id or name (names compared without case).
pub async fn fetch_community_id(
    db: impl Executor<'_, Database = Any>,
    id_or_name: &str,
) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar(
        "SELECT community_id FROM communities WHERE community_id = $1 OR name_key = LOWER($1)",
    )
    .bind(id_or_name)
    .fetch_optional(db)
    .await
}

/// The id of the tier with this id or name (names compared without case).
pub async fn fetch_tier_id(
    db: impl Executor<'_, Database = Any>,
    id_or_name: &str,
) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("SELECT tier_id FROM tiers WHERE tier_id = $1 OR LOWER(name) = LOWER($1)")
        .bind(id_or_name)
        .fetch_optional(db)
        .await
}

/// Rows per statement when PostgreSQL writes invitations: four parameters a row, far
/// below its limit of 65,535 a statement.
pub(super) const POSTGRES_BATCH: usize = 1_000;

/// Records the invitations; returns how many were new (a contact invited already keeps
/// their link). On PostgreSQL every statement is a round trip to the database server, so
/// the rows go a batch to an `INSERT`: a send of 100,000 took 24.7 s with one row per
/// statement and 17.2 s batched (BENCHMARKS.md, stop 18). SQLite runs in-process and
/// looks `$n` parameters up by name, so there one row per statement measured faster than
/// batches (BENCHMARKS.md, 4).
pub async fn insert_invitations(
    tx: &mut Transaction<'_, Any>,
    backend: Backend,
    survey_id: &str,
    rows: &[NewInvitation],
    now: i64,
) -> sqlx::Result<i64> {
    let mut invited = 0;
    if backend == Backend::Sqlite {
        for row in rows {
            invited += i64::from(insert_invitation(&mut **tx, survey_id, row, now).await?);
        }
        return Ok(invited);
    }
    for batch in rows.chunks(POSTGRES_BATCH) {
        let sql = format!(
            "INSERT INTO invitations (invitation_id, contact_id, token_hash, unsubscribe_hash, \
             survey_id, created_at) SELECT v.*, $1, $2 FROM (VALUES {}) AS v \
             ON CONFLICT (survey_id, contact_id) DO NOTHING",
            batch_values(batch.len())
        );
        let written = bind_batch(&sql, survey_id, now, batch)
            .execute(&mut **tx)
            .await?
            .rows_affected();
        invited += i64::try_from(written).unwrap_or(i64::MAX);
    }
    Ok(invited)
}

/// The `VALUES` rows of a PostgreSQL batch of invitations: `$1` (the survey) and `$2` (the
/// time) are shared by all, so each row's id, contact and two token hashes start at `$3`.
pub(super) fn batch_values(rows: usize) -> String {
    let values: Vec<String> = (0..rows)
        .map(|row| {
            let p = 3 + row * 4;
            format!("(${p}, ${}, ${}, ${})", p + 1, p + 2, p + 3)
        })
        .collect();
    values.join(", ")
}

/// A batch statement with its parameters bound in the order `batch_values` numbers them.
pub(super) fn bind_batch<'q>(
    sql: &'q str,
    survey_id: &'q str,
    now: i64,
    batch: &'q [NewInvitation],
) -> sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>> {
    let mut query = sqlx::query(sql).bind(survey_id).bind(now);
    for row in batch {
        query = query
            .bind(&row.invitation_id)
            .bind(&row.contact_id)
            .bind(row.token_hash.as_str())
            .bind(row.unsubscribe_hash.as_str());
    }
    query
}

/// Where the survey's invitations stand, counted from the ledger in one pass (the people
/// a reminder would reach included, by the reminders' own condition).
pub async fn fetch_funnel(db: &crate::db::Db, survey_id: &str) -> sqlx::Result<Funnel> {
    type Row = (i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64);
    let sql = format!(
        "SELECT COUNT(*), COUNT(i.queued_at), COUNT(i.sent_at), COUNT(i.shown_at), COUNT(i.failed_at), \
         COUNT(i.bounced_at), COUNT(i.opened_at), COUNT(i.started_at), COUNT(i.completed_at), \
         COUNT(i.unsubscribed_at), CAST(COALESCE(SUM(CASE WHEN i.queued_at IS NULL \
           AND i.unsubscribe_hash IS NOT NULL AND i.channel = 'email' AND i.completed_in_product = 0 \
           AND c.unsubscribed_at IS NULL AND c.erased_at IS NULL THEN 1 ELSE 0 END), 0) AS BIGINT), \
         CAST(COALESCE(SUM(CASE WHEN {} THEN 1 ELSE 0 END), 0) AS BIGINT) \
         FROM invitations i JOIN contacts c ON c.contact_id = i.contact_id WHERE i.survey_id = $1",
        crate::distribution::sending::reminders::REMINDABLE_IF
    );
    let row: Row = sqlx::query_as(&sql)
        .bind(survey_id)
        .bind(crate::db::now())
        .fetch_one(db)
        .await?;
    let (
        invited,
        queued,
        sent,
        shown,
        failed,
        bounced,
        opened,
        started,
        completed,
        unsubscribed,
        unsent,
        remindable,
    ) = row;
    Ok(Funnel {
        invited,
        queued,
        sent,
        shown,
        failed,
        bounced,
        opened,
        started,
        completed,
        unsubscribed,
        unsent,
        remindable,
        reminder_days: crate::distribution::sending::reminders::fetch_schedule(db, survey_id)
            .await?,
    })
}

/// An invitation as its unsubscribe link finds it.
pub struct UnsubscribeTarget {
    pub invitation_id: String,
    pub contact_id: String,
    pub email: String,
    pub unsubscribed: bool,
    /// The contact's preferred language code, if any: the unsubscribe page's language.
    pub language: Option<String>,
}

pub async fn fetch_by_unsubscribe_hash(
    db: &crate::db::Db,
    hash: &str,
) -> sqlx::Result<Option<UnsubscribeTarget>> {
    fetch_target(db, "i.unsubscribe_hash", hash).await
}

/// The unsubscribe target of an invitation, found by its id (a complaint or an unsubscribe
/// mail from the bounce mailbox names the message, not the link).
pub async fn fetch_by_invitation(
    db: &crate::db::Db,
    invitation_id: &str,
) -> sqlx::Result<Option<UnsubscribeTarget>> {
    fetch_target(db, "i.invitation_id", invitation_id).await
}

async fn fetch_target(
    db: &crate::db::Db,
    column: &'static str,
    value: &str,
) -> sqlx::Result<Option<UnsubscribeTarget>> {
    let row: Option<(String, String, String, i64, Option<String>)> = sqlx::query_as(&format!(
        "SELECT i.invitation_id, c.contact_id, c.email, \
         CASE WHEN c.unsubscribed_at IS NULL THEN 0 ELSE 1 END, c.language \
         FROM invitations i JOIN contacts c ON c.contact_id = i.contact_id \
         WHERE {column} = $1 AND c.erased_at IS NULL"
    ))
    .bind(value)
    .fetch_optional(db)
    .await?;
    Ok(row.map(
        |(invitation_id, contact_id, email, unsubscribed, language)| UnsubscribeTarget {
            invitation_id,
            contact_id,
            email,
            unsubscribed: unsubscribed != 0,
            language,
        },
    ))
}

/// Unsubscribes the contact from every future survey, records it on this invitation's
/// ledger row, and cancels mail still waiting for them, in one transaction.
pub async fn unsubscribe(
    db: &crate::db::Db,
    target: &UnsubscribeTarget,
    now: i64,
) -> sqlx::Result<()> {
    let mut tx = db.begin().await?;
    let newly = sqlx::query(
        "UPDATE contacts SET unsubscribed_at = $2 WHERE contact_id = $1 AND unsubscribed_at IS NULL",
    )
    .bind(&target.contact_id)
    .bind(now)
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    if newly {
        let (contact, invitation) = (&target.contact_id, &target.invitation_id);
        crate::webhooks::emit::contact_unsubscribed(&mut tx, contact, invitation, now).await?;
    }
    sqlx::query(
        "UPDATE invitations SET unsubscribed_at = COALESCE(unsubscribed_at, $2) \
         WHERE invitation_id = $1",
    )
    .bind(&target.invitation_id)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    // Their waiting mail is cancelled and its invitations count as not queued, so an undo
    // lets "Send invitations" reach them after all.
    sqlx::query(
        "UPDATE invitations SET queued_at = NULL WHERE contact_id = $1 AND invitation_id IN \
         (SELECT invitation_id FROM outbox WHERE status = 'queued')",
    )
    .bind(&target.contact_id)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "UPDATE outbox SET status = 'cancelled' WHERE status = 'queued' AND invitation_id IN \
         (SELECT invitation_id FROM invitations WHERE contact_id = $1)",
    )
    .bind(&target.contact_id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await
}

/// The person's own undo: they get surveys again (mail cancelled meanwhile stays so).
pub async fn resubscribe(db: &crate::db::Db, target: &UnsubscribeTarget) -> sqlx::Result<()> {
    let mut tx = db.begin().await?;
    sqlx::query("UPDATE contacts SET unsubscribed_at = NULL WHERE contact_id = $1")
        .bind(&target.contact_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("UPDATE invitations SET unsubscribed_at = NULL WHERE invitation_id = $1")
        .bind(&target.invitation_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await
}

#[cfg(test)]
mod tests {
    use super::batch_values;

    #[test]
    fn a_batch_numbers_each_rows_four_parameters_after_the_two_it_shares() {
        assert_eq!(batch_values(2), "($3, $4, $5, $6), ($7, $8, $9, $10)");
    }
}
