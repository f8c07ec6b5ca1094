//! SQL for sign-ins in flight through the identity provider.
use crate::db::Db;

/// A started sign-in: the hash of the browser's cookie, the state, nonce and PKCE
/// verifier sent to (or kept from) the provider.
pub struct PendingLogin {
    pub login_hash: String,
    pub state: String,
    pub nonce: String,
    pub verifier: String,
}

pub async fn insert_login(db: &Db, login: &PendingLogin, now: i64) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO sso_logins (login_hash, state, nonce, pkce_verifier, created_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&login.login_hash)
    .bind(&login.state)
    .bind(&login.nonce)
    .bind(&login.verifier)
    .bind(now)
    .execute(db)
    .await
    .map(|_| ())
}

/// Takes the sign-in out (it works once), if it started after `since`.
pub async fn take_login(
    db: &Db,
    login_hash: &str,
    since: i64,
) -> sqlx::Result<Option<PendingLogin>> {
    let row: Option<(String, String, String, i64)> = sqlx::query_as(
        "DELETE FROM sso_logins WHERE login_hash = $1 RETURNING state, nonce, pkce_verifier, created_at",
    )
    .bind(login_hash)
    .fetch_optional(db)
    .await?;
    Ok(row
        .filter(|(.., created_at)| *created_at >= since)
        .map(|(state, nonce, verifier, _)| PendingLogin {
            login_hash: login_hash.to_string(),
            state,
            nonce,
            verifier,
        }))
}

pub async fn delete_expired_logins(db: &Db, before: i64) -> sqlx::Result<u64> {
    sqlx::query("DELETE FROM sso_logins WHERE created_at < $1")
        .bind(before)
        .execute(db)
        .await
        .map(|r| r.rows_affected())
}
