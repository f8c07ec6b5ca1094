//! SQL for account links (password resets and invitations) and the mail that carries them.
use crate::db::Db;
use sqlx::{Any, Executor};

/// A link as opening it needs it.
pub struct StoredLink {
    pub link_id: String,
    pub user_id: String,
    pub email: String,
    pub purpose: String,
    pub expires_at: i64,
    pub used_at: Option<i64>,
}

/// A new link and the outbox row that mails it, written together by the caller's
/// transaction.
pub struct NewLink<'a> {
    pub link_id: &'a str,
    pub token_hash: &'a str,
    pub user_id: &'a str,
    pub purpose: &'a str,
    pub invited_by: Option<&'a str>,
    pub now: i64,
    pub expires_at: i64,
}

pub async fn insert_link(
    db: impl Executor<'_, Database = Any>,
    link: &NewLink<'_>,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO account_links (link_id, token_hash, user_id, purpose, created_at, expires_at, invited_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(link.link_id)
    .bind(link.token_hash)
    .bind(link.user_id)
    .bind(link.purpose)
    .bind(link.now)
    .bind(link.expires_at)
    .bind(link.invited_by)
    .execute(db)
    .await
    .map(|_| ())
}

/// An account mail's outbox message id is this and the link's id.
const MESSAGE_PREFIX: &str = "account-";

/// Queues the mail that carries link `link_id`; its message id names the link, so it is
/// sent once however often the worker retries.
pub async fn queue_link_mail(
    db: impl Executor<'_, Database = Any>,
    link_id: &str,
    user_id: &str,
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO outbox (message_id, kind, user_id, status, attempts, next_attempt_at, ignore_window, created_at) \
         VALUES ($1, 'account', $2, 'queued', 0, $3, 1, $3)",
    )
    .bind(format!("{MESSAGE_PREFIX}{link_id}"))
    .bind(user_id)
    .bind(now)
    .execute(db)
    .await
    .map(|_| ())
}

/// Retires the member's unused links: a new one replaces them, a password set through one
/// ends the others.
pub async fn retire_links_of(
    db: impl Executor<'_, Database = Any>,
    user_id: &str,
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE account_links SET used_at = $2 WHERE user_id = $1 AND used_at IS NULL")
        .bind(user_id)
        .bind(now)
        .execute(db)
        .await
        .map(|_| ())
}

/// How many reset links the member was sent since `since`.
pub async fn count_resets_since(db: &Db, user_id: &str, since: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM account_links WHERE user_id = $1 AND purpose = 'reset' AND created_at >= $2",
    )
    .bind(user_id)
    .bind(since)
    .fetch_one(db)
    .await
}

pub async fn fetch_link_by_hash(
    db: impl Executor<'_, Database = Any>,
    token_hash: &str,
) -> sqlx::Result<Option<StoredLink>> {
    type Row = (String, String, String, String, i64, Option<i64>);
    let row: Option<Row> = sqlx::query_as(
        "SELECT l.link_id, l.user_id, u.email, l.purpose, l.expires_at, l.used_at \
         FROM account_links l JOIN users u ON u.user_id = l.user_id WHERE l.token_hash = $1",
    )
    .bind(token_hash)
    .fetch_optional(db)
    .await?;
    Ok(row.map(
        |(link_id, user_id, email, purpose, expires_at, used_at)| StoredLink {
            link_id,
            user_id,
            email,
            purpose,
            expires_at,
            used_at,
        },
    ))
}

/// Uses the link, if nobody has yet: true for the one caller that did. Two people racing
/// with the same link cannot both set a password.
pub async fn use_link(
    db: impl Executor<'_, Database = Any>,
    link_id: &str,
    now: i64,
) -> sqlx::Result<bool> {
    sqlx::query(
        "UPDATE account_links SET used_at = $2 WHERE link_id = $1 AND used_at IS NULL AND expires_at > $2",
    )
    .bind(link_id)
    .bind(now)
    .execute(db)
    .await
    .map(|r| r.rows_affected() == 1)
}

/// What the mail of outbox message `message_id` needs: the link's id and purpose, its
/// member's address, whether it is still usable, and who sent an invitation.
pub struct LinkMail {
    pub link_id: String,
    pub purpose: String,
    pub email: String,
    pub usable: bool,
    pub invited_by: Option<String>,
    pub expires_at: i64,
}

pub async fn fetch_link_mail(
    db: &Db,
    message_id: &str,
    now: i64,
) -> sqlx::Result<Option<LinkMail>> {
    type Row = (String, String, String, Option<i64>, i64, Option<String>);
    let Some(link_id) = message_id.strip_prefix(MESSAGE_PREFIX) else {
        return Ok(None);
    };
    let row: Option<Row> = sqlx::query_as(
        "SELECT l.link_id, l.purpose, u.email, l.used_at, l.expires_at, b.email \
         FROM account_links l JOIN users u ON u.user_id = l.user_id \
         LEFT JOIN users b ON b.user_id = l.invited_by WHERE l.link_id = $1",
    )
    .bind(link_id)
    .fetch_optional(db)
    .await?;
    Ok(row.map(
        |(link_id, purpose, email, used_at, expires_at, invited_by)| LinkMail {
            link_id,
            purpose,
            email,
            usable: used_at.is_none() && expires_at > now,
            invited_by,
            expires_at,
        },
    ))
}

/// Links that expired before `before`.
pub async fn delete_old_links(db: &Db, before: i64) -> sqlx::Result<u64> {
    sqlx::query("DELETE FROM account_links WHERE expires_at < $1")
        .bind(before)
        .execute(db)
        .await
        .map(|r| r.rows_affected())
}
