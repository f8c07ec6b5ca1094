//! The intake ledger: one row per message read from the bounce mailbox.
use crate::db::Db;
use crate::distribution::intake::model::Outcome;

/// Whether this instance may process a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Claim {
    /// Ours to process now.
    Taken,
    /// Processed before (by us or another instance) at the given time: only its move is
    /// left.
    Done(Outcome, i64),
    /// Another instance holds it.
    Busy,
}

/// Claims the message with key `key` for `lease` seconds: a new key is inserted, a held
/// one whose lease ran out (its instance crashed) is taken over.
pub async fn claim(db: &Db, key: &str, now: i64, lease: i64) -> sqlx::Result<Claim> {
    let row: Option<(String, Option<String>, Option<i64>)> = sqlx::query_as(
        "SELECT status, outcome, processed_at FROM mail_intake WHERE intake_key = $1",
    )
    .bind(key)
    .fetch_optional(db)
    .await?;
    if let Some((status, outcome, processed_at)) = row {
        if status == "done" {
            let outcome = outcome.as_deref().and_then(Outcome::parse);
            return Ok(Claim::Done(
                outcome.unwrap_or(Outcome::Unreadable),
                processed_at.unwrap_or(0),
            ));
        }
        let taken = sqlx::query(
            "UPDATE mail_intake SET lease_until = $3, attempts = attempts + 1 \
             WHERE intake_key = $1 AND status = 'processing' AND lease_until < $2",
        )
        .bind(key)
        .bind(now)
        .bind(now + lease)
        .execute(db)
        .await?
        .rows_affected()
            == 1;
        return Ok(if taken { Claim::Taken } else { Claim::Busy });
    }
    let inserted = sqlx::query(
        "INSERT INTO mail_intake (intake_key, status, lease_until, received_at) \
         VALUES ($1, 'processing', $2, $3) ON CONFLICT (intake_key) DO NOTHING",
    )
    .bind(key)
    .bind(now + lease)
    .bind(now)
    .execute(db)
    .await?
    .rows_affected()
        == 1;
    Ok(if inserted { Claim::Taken } else { Claim::Busy })
}

/// Records what a claimed message turned out to be.
pub async fn finish(
    db: &Db,
    key: &str,
    outcome: Outcome,
    detail: &str,
    message_id: Option<&str>,
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE mail_intake SET status = 'done', outcome = $2, detail = $3, message_id = $4, \
         processed_at = $5 WHERE intake_key = $1",
    )
    .bind(key)
    .bind(outcome.as_str())
    .bind(detail.chars().take(500).collect::<String>())
    .bind(message_id)
    .bind(now)
    .execute(db)
    .await
    .map(|_| ())
}

/// Messages read so far, by outcome.
pub async fn counts(db: &Db) -> sqlx::Result<Vec<(Outcome, i64)>> {
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT outcome, COUNT(*) FROM mail_intake WHERE status = 'done' GROUP BY outcome",
    )
    .fetch_all(db)
    .await?;
    Ok(Outcome::ALL
        .into_iter()
        .map(|o| {
            let n = rows
                .iter()
                .find(|(k, _)| k == o.as_str())
                .map_or(0, |r| r.1);
            (o, n)
        })
        .collect())
}

/// The invitation (if any) and contact of one of our outbox messages.
pub async fn fetch_message_target(
    db: &Db,
    message_id: &str,
) -> sqlx::Result<Option<(String, String)>> {
    sqlx::query_as(
        "SELECT i.invitation_id, i.contact_id FROM outbox o \
         JOIN invitations i ON i.invitation_id = o.invitation_id WHERE o.message_id = $1",
    )
    .bind(message_id)
    .fetch_optional(db)
    .await
}

/// A permanent failure of one invitation's message: the message and the invitation are
/// bounced (the first reason kept), and the contact's address suppressed.
pub async fn bounce_invitation(
    db: &Db,
    message_id: &str,
    invitation_id: &str,
    contact_id: &str,
    reason: &str,
    now: i64,
) -> sqlx::Result<()> {
    let reason: String = reason.chars().take(500).collect();
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "UPDATE outbox SET status = 'bounced', last_error = $2 \
         WHERE message_id = $1 AND status = 'sent'",
    )
    .bind(message_id)
    .bind(&reason)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "UPDATE invitations SET bounced_at = COALESCE(bounced_at, $2), \
         delivery_error = COALESCE(delivery_error, $3) WHERE invitation_id = $1",
    )
    .bind(invitation_id)
    .bind(now)
    .bind(&reason)
    .execute(&mut *tx)
    .await?;
    suppress(&mut tx, "contact_id", contact_id, &reason, now).await?;
    tx.commit().await
}

/// Suppresses the contact with this address; whether there was one to suppress.
pub async fn suppress_address(db: &Db, email: &str, reason: &str, now: i64) -> sqlx::Result<bool> {
    let mut tx = db.begin_write().await?;
    let found = suppress(&mut tx, "email", email, reason, now).await?;
    tx.commit().await?;
    Ok(found)
}

/// Marks a contact's address undeliverable unless it already is; whether one matched.
async fn suppress(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    column: &'static str,
    value: &str,
    reason: &str,
    now: i64,
) -> sqlx::Result<bool> {
    let matched: Option<String> = sqlx::query_scalar(&format!(
        "SELECT contact_id FROM contacts WHERE {column} = $1 AND erased_at IS NULL"
    ))
    .bind(value)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(contact_id) = matched else {
        return Ok(false);
    };
    sqlx::query(
        "UPDATE contacts SET undeliverable_at = $2, undeliverable_reason = $3 \
         WHERE contact_id = $1 AND undeliverable_at IS NULL",
    )
    .bind(&contact_id)
    .bind(now)
    .bind(reason.chars().take(500).collect::<String>())
    .execute(&mut **tx)
    .await?;
    Ok(true)
}
