//! The weekly digest's SQL: each member's choice, and the digests in the outbox.
use crate::db::Db;

/// The member's address and when they opted in (None: no digest).
pub async fn fetch_choice(db: &Db, user_id: &str) -> sqlx::Result<Option<(String, Option<i64>)>> {
    sqlx::query_as("SELECT email, digest_since FROM users WHERE user_id = $1")
        .bind(user_id)
        .fetch_optional(db)
        .await
}

/// Opts the member in from `since`. Opting in again keeps the first moment, so a second
/// click does not push the first digest back a week.
pub async fn opt_in(db: &Db, user_id: &str, since: i64) -> sqlx::Result<bool> {
    sqlx::query("UPDATE users SET digest_since = COALESCE(digest_since, $2) WHERE user_id = $1")
        .bind(user_id)
        .bind(since)
        .execute(db)
        .await
        .map(|r| r.rows_affected() == 1)
}

/// No more digests for the member; one already queued is cancelled when its turn comes.
pub async fn opt_out(db: &Db, user_id: &str) -> sqlx::Result<bool> {
    sqlx::query("UPDATE users SET digest_since = NULL WHERE user_id = $1")
        .bind(user_id)
        .execute(db)
        .await
        .map(|r| r.rows_affected() == 1)
}

/// The members who opted in before the week began and have no digest for it yet. The
/// worker asks every minute; reading first keeps the answer "none" from taking SQLite's
/// write lock.
const DUE: &str = "FROM users u WHERE u.digest_since IS NOT NULL AND u.digest_since <= $2 \
     AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.message_id = 'digest-' || u.user_id || '-' || $1)";

/// Queues the week's digest of every member who opted in before the week began. The
/// message id names the member and the week, so however often this runs, and on however
/// many instances, each member gets one digest a week.
pub async fn queue_week(db: &Db, week: &str, week_start: i64, now: i64) -> sqlx::Result<u64> {
    let due: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) {DUE}"))
        .bind(week)
        .bind(week_start)
        .fetch_one(db)
        .await?;
    if due == 0 {
        return Ok(0);
    }
    sqlx::query(&format!(
        "INSERT INTO outbox (message_id, kind, user_id, status, attempts, next_attempt_at, created_at) \
         SELECT 'digest-' || u.user_id || '-' || $1, 'digest', u.user_id, 'queued', 0, $3, $3 {DUE} \
         ON CONFLICT (message_id) DO NOTHING",
    ))
    .bind(week)
    .bind(week_start)
    .bind(now)
    .execute(db)
    .await
    .map(|r| r.rows_affected())
}

/// A digest's recipient: (user id, address, opted in since). None when it is not a digest.
pub async fn fetch_recipient(
    db: &Db,
    message_id: &str,
) -> sqlx::Result<Option<(String, String, Option<i64>)>> {
    sqlx::query_as(
        "SELECT u.user_id, u.email, u.digest_since FROM outbox o \
         JOIN users u ON u.user_id = o.user_id WHERE o.message_id = $1 AND o.kind = 'digest'",
    )
    .bind(message_id)
    .fetch_optional(db)
    .await
}

/// Keeps the week's at-risk list as the week's first digest saw it; later digests of the
/// same week leave it as it is. Lists older than a year go.
pub async fn record_week(db: &Db, week: &str, at_risk: &[String], now: i64) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO digest_weeks (week, at_risk, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (week) DO NOTHING",
    )
    .bind(week)
    .bind(at_risk.join("\n"))
    .bind(now)
    .execute(db)
    .await?;
    sqlx::query("DELETE FROM digest_weeks WHERE created_at < $1")
        .bind(now - 366 * 86_400)
        .execute(db)
        .await
        .map(|_| ())
}

/// The latest week before `week` that had a digest, with its at-risk list.
pub async fn fetch_week_before(db: &Db, week: &str) -> sqlx::Result<Option<(String, Vec<String>)>> {
    let row: Option<(String, String)> = sqlx::query_as(
        "SELECT week, at_risk FROM digest_weeks WHERE week < $1 ORDER BY week DESC LIMIT 1",
    )
    .bind(week)
    .fetch_optional(db)
    .await?;
    Ok(row.map(|(week, list)| {
        let ids = list
            .lines()
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect();
        (week, ids)
    }))
}
