//! SQL for contacts and the invitation ledger.
use sqlx::{Any, Executor, Transaction};

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

/// Records an invitation; returns false when the contact was already invited, in which
/// case their existing link stays the only one.
pub async fn insert_invitation(
    db: impl Executor<'_, Database = Any>,
    invitation_id: &str,
    survey_id: &str,
    contact_id: &str,
    token_hash: &str,
    now: i64,
) -> sqlx::Result<bool> {
    sqlx::query(
        "INSERT INTO invitations (invitation_id, survey_id, contact_id, token_hash, created_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (survey_id, contact_id) DO NOTHING",
    )
    .bind(invitation_id)
    .bind(survey_id)
    .bind(contact_id)
    .bind(token_hash)
    .bind(now)
    .execute(db)
    .await
    .map(|r| r.rows_affected() == 1)
}
