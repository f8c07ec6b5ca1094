//! SQL of API tokens. Only the SHA-256 of a token's secret is stored.
use super::model::ApiToken;
use crate::db::Db;

pub struct NewToken<'a> {
    pub token_id: &'a str,
    pub name: &'a str,
    pub hash: &'a str,
    pub role: &'a str,
    pub created_by: Option<&'a str>,
    pub expires_at: Option<i64>,
}

pub async fn insert_token(
    db: impl sqlx::Executor<'_, Database = sqlx::Any>,
    token: &NewToken<'_>,
    now: i64,
) -> sqlx::Result<()> {
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
pub async fn revoke_token(
    db: impl sqlx::Executor<'_, Database = sqlx::Any>,
    token_id: &str,
    now: i64,
) -> sqlx::Result<bool> {
    sqlx::query("UPDATE api_tokens SET revoked_at = $2 WHERE token_id = $1 AND revoked_at IS NULL")
        .bind(token_id)
        .bind(now)
        .execute(db)
        .await
        .map(|r| r.rows_affected() == 1)
}

/// A live token as the API's guard needs it.
pub struct LiveToken {
    pub token_id: String,
    pub role: String,
    pub created_by: Option<String>,
    pub last_used_at: Option<i64>,
}

/// The live token with this hash: not revoked, not expired.
pub async fn find_live_token(db: &Db, hash: &str, now: i64) -> sqlx::Result<Option<LiveToken>> {
    let row: Option<(String, String, Option<String>, Option<i64>)> = sqlx::query_as(
        "SELECT token_id, role, created_by, last_used_at FROM api_tokens WHERE token_hash = $1 \
         AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > $2)",
    )
    .bind(hash)
    .bind(now)
    .fetch_optional(db)
    .await?;
    Ok(
        row.map(|(token_id, role, created_by, last_used_at)| LiveToken {
            token_id,
            role,
            created_by,
            last_used_at,
        }),
    )
}

/// How often a token's last use is written: reads must not each cost a write.
pub const USE_RECORDED_EVERY_SECS: i64 = 60;

/// Whether a token last used at `last_used_at` needs its use written again at `now`.
/// Checked before `touch_token` because on SQLite even an `UPDATE` that matches no row
/// takes the database's one write lock: every API read used to queue behind the writers.
pub fn use_is_stale(last_used_at: Option<i64>, now: i64) -> bool {
    last_used_at.is_none_or(|at| at < now - USE_RECORDED_EVERY_SECS)
}

/// Records the token's use, unless another request (or instance) did within the minute.
pub async fn touch_token(db: &Db, token_id: &str, now: i64) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE api_tokens SET last_used_at = $2 WHERE token_id = $1 \
         AND (last_used_at IS NULL OR last_used_at < $2 - $3)",
    )
    .bind(token_id)
    .bind(now)
    .bind(USE_RECORDED_EVERY_SECS)
    .execute(db)
    .await
    .map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_used_within_the_minute_needs_no_write_and_an_older_use_does() {
        let now = 1_700_000_000;
        assert!(use_is_stale(None, now));
        assert!(!use_is_stale(Some(now), now));
        assert!(!use_is_stale(Some(now - USE_RECORDED_EVERY_SECS), now));
        assert!(use_is_stale(Some(now - USE_RECORDED_EVERY_SECS - 1), now));
    }
}
