//! SQL of webhooks and their deliveries. Deliveries follow the mail outbox's pattern:
//! claimed with a lease, every later update fenced by the attempt it belongs to.
use super::model::{Delivery, Webhook};
use crate::db::Db;

/// How long a delivery's claim lasts; a worker that dies loses it after this long.
pub const LEASE_SECS: i64 = 120;

pub struct NewWebhook<'a> {
    pub webhook_id: &'a str,
    pub name: &'a str,
    pub url: &'a str,
    pub events: &'a [String],
    pub allow_private: bool,
    pub secret_nonce: &'a str,
    pub created_by: Option<&'a str>,
}

/// The stored form of a list of events: `,a,b,`.
fn events_column(events: &[String]) -> String {
    format!(",{},", events.join(","))
}

pub async fn insert_webhook(db: &Db, hook: &NewWebhook<'_>, now: i64) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO webhooks (webhook_id, name, url, events, allow_private, active, secret_nonce, \
         created_by, created_at) VALUES ($1, $2, $3, $4, $5, 1, $6, $7, $8)",
    )
    .bind(hook.webhook_id)
    .bind(hook.name)
    .bind(hook.url)
    .bind(events_column(hook.events))
    .bind(i64::from(hook.allow_private))
    .bind(hook.secret_nonce)
    .bind(hook.created_by)
    .bind(now)
    .execute(db)
    .await
    .map(|_| ())
}

type WebhookRow = (
    String,
    String,
    String,
    String,
    i64,
    i64,
    i64,
    i64,
    i64,
    String,
);

const WEBHOOK_COLUMNS: &str = "w.webhook_id, w.name, w.url, w.events, w.allow_private, w.active, \
     w.created_at, \
     (SELECT COUNT(*) FROM webhook_deliveries d WHERE d.webhook_id = w.webhook_id AND d.status IN ('queued', 'sending')), \
     (SELECT COUNT(*) FROM webhook_deliveries d WHERE d.webhook_id = w.webhook_id AND d.status = 'failed'), \
     w.secret_nonce";

fn webhook(row: WebhookRow) -> (Webhook, String) {
    let events = row
        .3
        .split(',')
        .filter(|e| !e.is_empty())
        .map(str::to_string)
        .collect();
    let hook = Webhook {
        webhook_id: row.0,
        name: row.1,
        url: row.2,
        events,
        allow_private: row.4 != 0,
        active: row.5 != 0,
        created_at: row.6,
        pending: row.7,
        failed: row.8,
    };
    (hook, row.9)
}

pub async fn fetch_webhooks(db: &Db) -> sqlx::Result<Vec<Webhook>> {
    let rows: Vec<WebhookRow> = sqlx::query_as(&format!(
        "SELECT {WEBHOOK_COLUMNS} FROM webhooks w ORDER BY w.created_at DESC, w.name"
    ))
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|r| webhook(r).0).collect())
}

/// The webhook and its secret's nonce.
pub async fn fetch_webhook(db: &Db, webhook_id: &str) -> sqlx::Result<Option<(Webhook, String)>> {
    let row: Option<WebhookRow> = sqlx::query_as(&format!(
        "SELECT {WEBHOOK_COLUMNS} FROM webhooks w WHERE w.webhook_id = $1"
    ))
    .bind(webhook_id)
    .fetch_optional(db)
    .await?;
    Ok(row.map(webhook))
}

type DeliveryRow = (
    String,
    String,
    String,
    i64,
    Option<i64>,
    Option<String>,
    i64,
    i64,
    Option<i64>,
);

/// The newest deliveries of one webhook, at most `limit`.
pub async fn fetch_deliveries(
    db: &Db,
    webhook_id: &str,
    limit: i64,
) -> sqlx::Result<Vec<Delivery>> {
    let rows: Vec<DeliveryRow> = sqlx::query_as(
        "SELECT d.delivery_id, e.event, d.status, CAST(d.attempts AS BIGINT), \
         CAST(d.response_status AS BIGINT), d.last_error, d.created_at, d.next_attempt_at, d.finished_at \
         FROM webhook_deliveries d JOIN webhook_events e ON e.event_id = d.event_id \
         WHERE d.webhook_id = $1 ORDER BY d.created_at DESC, d.delivery_id LIMIT $2",
    )
    .bind(webhook_id)
    .bind(limit)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Delivery {
            delivery_id: r.0,
            event: r.1,
            status: r.2,
            attempts: r.3,
            response_status: r.4,
            last_error: r.5,
            created_at: r.6,
            next_attempt_at: r.7,
            finished_at: r.8,
        })
        .collect())
}

/// Pauses or resumes an endpoint; false when there is no such webhook.
pub async fn set_active(db: &Db, webhook_id: &str, active: bool) -> sqlx::Result<bool> {
    sqlx::query("UPDATE webhooks SET active = $2 WHERE webhook_id = $1")
        .bind(webhook_id)
        .bind(i64::from(active))
        .execute(db)
        .await
        .map(|r| r.rows_affected() == 1)
}

/// Deletes an endpoint with its delivery log; false when there is no such webhook.
pub async fn delete_webhook(db: &Db, webhook_id: &str) -> sqlx::Result<bool> {
    let mut tx = db.begin().await?;
    sqlx::query("DELETE FROM webhook_deliveries WHERE webhook_id = $1")
        .bind(webhook_id)
        .execute(&mut *tx)
        .await?;
    let deleted = sqlx::query("DELETE FROM webhooks WHERE webhook_id = $1")
        .bind(webhook_id)
        .execute(&mut *tx)
        .await?
        .rows_affected()
        == 1;
    tx.commit().await?;
    Ok(deleted)
}

/// Removes finished deliveries older than `before`, then events nobody still needs.
pub async fn prune(db: &Db, before: i64) -> sqlx::Result<()> {
    sqlx::query(
        "DELETE FROM webhook_deliveries WHERE status IN ('delivered', 'failed') AND created_at < $1",
    )
    .bind(before)
    .execute(db)
    .await?;
    sqlx::query(
        "DELETE FROM webhook_events WHERE NOT EXISTS \
         (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = webhook_events.event_id)",
    )
    .execute(db)
    .await
    .map(|_| ())
}

/// A worker's hold on one delivery, fenced by its attempt number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    pub delivery_id: String,
    pub attempts: i64,
}

/// Claims up to `limit` due deliveries of active endpoints.
pub async fn claim_due(db: &Db, now: i64, limit: i64) -> sqlx::Result<Vec<Claim>> {
    let lock = db.row_lock(" FOR UPDATE OF d SKIP LOCKED");
    let sql = format!(
        "UPDATE webhook_deliveries SET status = 'sending', lease_until = $1, attempts = attempts + 1 \
         WHERE delivery_id IN (SELECT d.delivery_id FROM webhook_deliveries d \
           JOIN webhooks w ON w.webhook_id = d.webhook_id AND w.active = 1 \
           WHERE (d.status = 'queued' AND d.next_attempt_at <= $2) \
              OR (d.status = 'sending' AND d.lease_until < $2) \
           ORDER BY d.next_attempt_at LIMIT $3{lock}) \
         RETURNING delivery_id, CAST(attempts AS BIGINT)"
    );
    let rows: Vec<(String, i64)> = sqlx::query_as(&sql)
        .bind(now + LEASE_SECS)
        .bind(now)
        .bind(limit)
        .fetch_all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(delivery_id, attempts)| Claim {
            delivery_id,
            attempts,
        })
        .collect())
}

/// A claimed delivery with its endpoint and body.
pub struct Outgoing {
    pub webhook_id: String,
    pub url: String,
    pub allow_private: bool,
    pub secret_nonce: String,
    pub event: String,
    pub payload: String,
}

pub async fn fetch_outgoing(db: &Db, delivery_id: &str) -> sqlx::Result<Option<Outgoing>> {
    type Row = (String, String, i64, String, String, String);
    let row: Option<Row> = sqlx::query_as(
        "SELECT w.webhook_id, w.url, w.allow_private, w.secret_nonce, e.event, e.payload \
         FROM webhook_deliveries d JOIN webhooks w ON w.webhook_id = d.webhook_id \
         JOIN webhook_events e ON e.event_id = d.event_id WHERE d.delivery_id = $1",
    )
    .bind(delivery_id)
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| Outgoing {
        webhook_id: r.0,
        url: r.1,
        allow_private: r.2 != 0,
        secret_nonce: r.3,
        event: r.4,
        payload: r.5,
    }))
}

const HELD: &str = "delivery_id = $1 AND status = 'sending' AND attempts = $2";

/// The endpoint answered 2xx.
pub async fn mark_delivered(db: &Db, claim: &Claim, code: u16, now: i64) -> sqlx::Result<()> {
    sqlx::query(&format!(
        "UPDATE webhook_deliveries SET status = 'delivered', response_status = $3, \
         finished_at = $4, lease_until = NULL, last_error = NULL WHERE {HELD}"
    ))
    .bind(&claim.delivery_id)
    .bind(claim.attempts)
    .bind(i64::from(code))
    .bind(now)
    .execute(db)
    .await
    .map(|_| ())
}

/// The attempt failed: due again at `next_at`, or (`next_at` None) given up for good.
pub async fn mark_failed_attempt(
    db: &Db,
    claim: &Claim,
    code: Option<u16>,
    error: &str,
    next_at: Option<i64>,
    now: i64,
) -> sqlx::Result<()> {
    let (status, next, finished) = match next_at {
        Some(at) => ("queued", at, None),
        None => ("failed", now, Some(now)),
    };
    sqlx::query(&format!(
        "UPDATE webhook_deliveries SET status = $3, next_attempt_at = $4, finished_at = $5, \
         response_status = $6, last_error = $7, lease_until = NULL WHERE {HELD}"
    ))
    .bind(&claim.delivery_id)
    .bind(claim.attempts)
    .bind(status)
    .bind(next)
    .bind(finished)
    .bind(code.map(i64::from))
    .bind(error)
    .execute(db)
    .await
    .map(|_| ())
}

/// Gives back claims a stopping worker did not start; the attempt is not counted.
pub async fn release_claims(db: &Db, claims: &[Claim]) -> sqlx::Result<()> {
    for claim in claims {
        sqlx::query(&format!(
            "UPDATE webhook_deliveries SET status = 'queued', lease_until = NULL, \
             attempts = attempts - 1 WHERE {HELD}"
        ))
        .bind(&claim.delivery_id)
        .bind(claim.attempts)
        .execute(db)
        .await?;
    }
    Ok(())
}

/// Queues a delivery again now, e.g. after an admin fixed the endpoint.
pub async fn retry_now(
    db: &Db,
    webhook_id: &str,
    delivery_id: &str,
    now: i64,
) -> sqlx::Result<bool> {
    sqlx::query(
        "UPDATE webhook_deliveries SET status = 'queued', next_attempt_at = $3, attempts = 0, \
         finished_at = NULL WHERE delivery_id = $1 AND webhook_id = $2 AND status = 'failed'",
    )
    .bind(delivery_id)
    .bind(webhook_id)
    .bind(now)
    .execute(db)
    .await
    .map(|r| r.rows_affected() == 1)
}
