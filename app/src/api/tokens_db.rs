//! SQL of API tokens. Only the SHA-256 of a token's secret is stored.
use super::model::ApiToken;
use crate::server::Db;

pub struct NewToken<'a> {
    pub token_id: &'a str,
    pub name: &'a str,
    pub hash: &'a str,
    pub role: &'a str,
    pub created_by: Option<&'a str>,
    pub expires_at: Option<i64>,
}

pub async fn insert_token(db: &Db, token: &NewToken<'_>, now: i64) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO api_tokens (token_id, name, token_hash, role, created_by, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(token.token_id)
    .bind(token.name)
    .bind(token.hash)
    .bind(token.role)
    .bind(token.created_by)
    .bind(now)
    .bind(token.expires_at)
    .execute(db)
    .await
    .map(|_| ())
}

type TokenRow = (
    String,
    String,
    String,
    i64,
    Option<i64>,
    Option<i64>,
    Option<i64>,
);

pub async fn fetch_tokens(db: &Db) -> sqlx::Result<Vec<ApiToken>> {
    let rows: Vec<TokenRow> = sqlx::query_as(
        "SELECT token_id, name, role, created_at, expires_at, revoked_at, last_used_at \
         FROM api_tokens ORDER BY created_at DESC, name",
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(token_id, name, role, created_at, expires_at, revoked_at, last_used_at)| ApiToken {
                token_id,
                name,
                role,
                created_at,
                expires_at,
                revoked_at,
                last_used_at,
            },
        )
        .collect())
}

/// Revokes a token; false when there is no such token or it was revoked already.
pub async fn revoke_token(db: &Db, token_id: &str, now: i64) -> sqlx::Result<bool> {
    sqlx::query("UPDATE api_tokens SET revoked_at = $2 WHERE token_id = $1 AND revoked_at IS NULL")
        .bind(token_id)
        .bind(now)
        .execute(db)
        .await
        .map(|r| r.rows_affected() == 1)
}

/// The (token id, role, creator) of a live token with this hash: not revoked, not expired.
pub async fn find_live_token(
    db: &Db,
    hash: &str,
    now: i64,
) -> sqlx::Result<Option<(String, String, Option<String>)>> {
    sqlx::query_as(
        "SELECT token_id, role, created_by FROM api_tokens WHERE token_hash = $1 \
         AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > $2)",
    )
    .bind(hash)
    .bind(now)
    .fetch_optional(db)
    .await
}

/// Records use at most once a minute per token, so reads do not each cost a write.
pub async fn touch_token(db: &Db, token_id: &str, now: i64) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE api_tokens SET last_used_at = $2 WHERE token_id = $1 \
         AND (last_used_at IS NULL OR last_used_at < $2 - 60)",
    )
    .bind(token_id)
    .bind(now)
    .execute(db)
    .await
    .map(|_| ())
}
