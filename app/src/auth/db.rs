//! SQL for team members and their sessions. Emails arrive lower-cased (see `EmailAddress`).
use crate::auth::model::{Invitation, Role, TeamMember};
use crate::db::Db;
use sqlx::{Any, Executor};

/// A stored account as sign-in needs it.
pub struct StoredUser {
    pub user_id: String,
    pub password_hash: String,
}

pub async fn count_users(db: &Db) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM users")
        .fetch_one(db)
        .await
}

pub async fn count_admins(db: impl Executor<'_, Database = Any>) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE role = 'admin'")
        .fetch_one(db)
        .await
}

pub async fn insert_user(
    db: impl Executor<'_, Database = Any>,
    user_id: &str,
    email: &str,
    password_hash: &str,
    role: Role,
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO users (user_id, email, password_hash, role, created_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(user_id)
    .bind(email)
    .bind(password_hash)
    .bind(role.as_str())
    .bind(now)
    .execute(db)
    .await
    .map(|_| ())
}

/// Claims the one-time setup; a second claim fails on the primary key, so two people
/// racing through the setup page cannot both become the first admin.
pub async fn insert_setup_claim(
    db: impl Executor<'_, Database = Any>,
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO setup_claim (singleton, claimed_at) VALUES (1, $1)")
        .bind(now)
        .execute(db)
        .await
        .map(|_| ())
}

/// The account with this address. Its `password_hash` is empty while an invited member
/// has not chosen a password yet.
pub async fn fetch_user_by_email(
    db: impl Executor<'_, Database = Any>,
    email: &str,
) -> sqlx::Result<Option<StoredUser>> {
    let row: Option<(String, String)> =
        sqlx::query_as("SELECT user_id, password_hash FROM users WHERE email = $1")
            .bind(email)
            .fetch_optional(db)
            .await?;
    Ok(row.map(|(user_id, password_hash)| StoredUser {
        user_id,
        password_hash,
    }))
}

/// Every member's address, in order.
pub async fn fetch_member_emails(db: &Db) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar("SELECT email FROM users ORDER BY email")
        .fetch_all(db)
        .await
}

/// Everyone on the team; a member without a password yet is invited, until their newest
/// invitation expires (0 when it is long gone).
pub async fn fetch_team(db: &Db, now: i64) -> sqlx::Result<Vec<TeamMember>> {
    let rows: Vec<(String, String, String, i64, i32, Option<i64>)> = sqlx::query_as(
        "SELECT u.user_id, u.email, u.role, u.created_at, \
           CASE WHEN u.password_hash = '' THEN 1 ELSE 0 END, \
           (SELECT MAX(l.expires_at) FROM account_links l \
            WHERE l.user_id = u.user_id AND l.purpose = 'invitation' AND l.used_at IS NULL) \
         FROM users u ORDER BY u.email",
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(user_id, email, role, created_at, invited, until)| TeamMember {
                user_id,
                email,
                role: role.parse().unwrap_or(Role::Viewer),
                created_at,
                invitation: (invited == 1).then(|| Invitation {
                    until: until.unwrap_or(0),
                    expired: until.is_none_or(|t| t <= now),
                }),
            },
        )
        .collect())
}

pub async fn fetch_user_email(
    db: impl Executor<'_, Database = Any>,
    user_id: &str,
) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("SELECT email FROM users WHERE user_id = $1")
        .bind(user_id)
        .fetch_optional(db)
        .await
}

pub async fn update_user_role(
    db: impl Executor<'_, Database = Any>,
    user_id: &str,
    role: Role,
) -> sqlx::Result<u64> {
    sqlx::query("UPDATE users SET role = $1 WHERE user_id = $2")
        .bind(role.as_str())
        .bind(user_id)
        .execute(db)
        .await
        .map(|r| r.rows_affected())
}

pub async fn delete_user(
    db: impl Executor<'_, Database = Any>,
    user_id: &str,
) -> sqlx::Result<u64> {
    sqlx::query("DELETE FROM users WHERE user_id = $1")
        .bind(user_id)
        .execute(db)
        .await
        .map(|r| r.rows_affected())
}

/// A session joined with its member, as the request guard reads it.
pub struct StoredSession {
    pub user_id: String,
    pub email: String,
    pub role: String,
    pub created_at: i64,
    pub last_seen_at: i64,
}

pub async fn insert_session(
    db: &Db,
    session_hash: &str,
    user_id: &str,
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO sessions (session_hash, user_id, created_at, last_seen_at) \
         VALUES ($1, $2, $3, $3)",
    )
    .bind(session_hash)
    .bind(user_id)
    .bind(now)
    .execute(db)
    .await
    .map(|_| ())
}

pub async fn fetch_session(db: &Db, session_hash: &str) -> sqlx::Result<Option<StoredSession>> {
    let row: Option<(String, String, String, i64, i64)> = sqlx::query_as(
        "SELECT u.user_id, u.email, u.role, s.created_at, s.last_seen_at \
         FROM sessions s JOIN users u ON u.user_id = s.user_id \
         WHERE s.session_hash = $1",
    )
    .bind(session_hash)
    .fetch_optional(db)
    .await?;
    Ok(row.map(
        |(user_id, email, role, created_at, last_seen_at)| StoredSession {
            user_id,
            email,
            role,
            created_at,
            last_seen_at,
        },
    ))
}

pub async fn update_session_seen(db: &Db, session_hash: &str, now: i64) -> sqlx::Result<()> {
    sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE session_hash = $2")
        .bind(now)
        .bind(session_hash)
        .execute(db)
        .await
        .map(|_| ())
}

pub async fn delete_session(db: &Db, session_hash: &str) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM sessions WHERE session_hash = $1")
        .bind(session_hash)
        .execute(db)
        .await
        .map(|_| ())
}

/// Ends every session of a member, e.g. when an admin changes their role or removes them.
pub async fn delete_sessions_of(
    db: impl Executor<'_, Database = Any>,
    user_id: &str,
) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user_id)
        .execute(db)
        .await
        .map(|_| ())
}

/// Sessions past either limit are useless; removing them keeps the table small.
pub async fn delete_expired_sessions(
    db: &Db,
    idle_before: i64,
    created_before: i64,
) -> sqlx::Result<u64> {
    sqlx::query("DELETE FROM sessions WHERE last_seen_at < $1 OR created_at < $2")
        .bind(idle_before)
        .bind(created_before)
        .execute(db)
        .await
        .map(|r| r.rows_affected())
}

pub async fn insert_sign_in_failure(db: &Db, throttle_key: &str, now: i64) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO sign_in_failures (throttle_key, failed_at) VALUES ($1, $2)")
        .bind(throttle_key)
        .bind(now)
        .execute(db)
        .await
        .map(|_| ())
}

/// How many failures a key has since `since`, and when the oldest of them happened.
pub async fn fetch_sign_in_failures(
    db: &Db,
    throttle_key: &str,
    since: i64,
) -> sqlx::Result<(i64, Option<i64>)> {
    sqlx::query_as(
        "SELECT COUNT(*), MIN(failed_at) FROM sign_in_failures \
         WHERE throttle_key = $1 AND failed_at >= $2",
    )
    .bind(throttle_key)
    .bind(since)
    .fetch_one(db)
    .await
}

pub async fn delete_sign_in_failures(db: &Db, throttle_key: &str) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM sign_in_failures WHERE throttle_key = $1")
        .bind(throttle_key)
        .execute(db)
        .await
        .map(|_| ())
}

/// Failures older than the throttle window no longer count; removing them keeps the table small.
pub async fn delete_old_sign_in_failures(db: &Db, before: i64) -> sqlx::Result<u64> {
    sqlx::query("DELETE FROM sign_in_failures WHERE failed_at < $1")
        .bind(before)
        .execute(db)
        .await
        .map(|r| r.rows_affected())
}

pub async fn update_password_hash(
    db: impl Executor<'_, Database = Any>,
    user_id: &str,
    password_hash: &str,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE users SET password_hash = $2 WHERE user_id = $1")
        .bind(user_id)
        .bind(password_hash)
        .execute(db)
        .await
        .map(|_| ())
}
