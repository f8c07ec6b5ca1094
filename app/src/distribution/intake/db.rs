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

/// The invitation one of our outbox messages belongs to, if any.
pub async fn fetch_invitation_of(db: &Db, message_id: &str) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar(
        "SELECT invitation_id FROM outbox WHERE message_id = $1 AND invitation_id IS NOT NULL",
    )
    .bind(message_id)
    .fetch_optional(db)
    .await
}

/// Marks the address of the contact with this email undeliverable unless it already is
/// (the first reason kept); whether there is such a contact.
pub async fn suppress_address(db: &Db, email: &str, reason: &str, now: i64) -> sqlx::Result<bool> {
    let contact: Option<String> = sqlx::query_scalar(
        "SELECT contact_id FROM contacts WHERE email = $1 AND erased_at IS NULL",
    )
    .bind(email)
    .fetch_optional(db)
    .await?;
    let Some(contact_id) = contact else {
        return Ok(false);
    };
    sqlx::query(
        "UPDATE contacts SET undeliverable_at = $2, undeliverable_reason = $3 \
         WHERE contact_id = $1 AND undeliverable_at IS NULL",
    )
    .bind(&contact_id)
    .bind(now)
    .bind(reason.chars().take(500).collect::<String>())
    .execute(db)
    .await?;
    Ok(true)
}
