//! Server-only plumbing shared by every feature: state, configuration, tokens and the
//! request guard that server functions and form handlers call first.
pub mod assets;
mod config;
pub mod guard;
pub mod html;
pub mod limiter;
pub mod token;

pub use config::{Config, MailMode};

use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use std::sync::Arc;

/// The database pool. One `Any` pool serves SQLite and PostgreSQL with the same SQL.
pub type Db = sqlx::AnyPool;

/// Everything a request handler, server function or worker needs; built once at start-up.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    /// For reads that must not wait behind writes (see `server::database::connect_reads`):
    /// a pool of its own on SQLite, the same pool on PostgreSQL.
    pub reads: Db,
    pub config: Arc<Config>,
    pub leptos_options: LeptosOptions,
    pub public_limiter: limiter::KeyedLimiter,
    /// API calls per token (kept in memory, per instance).
    pub api_limiter: limiter::KeyedLimiter,
    /// Respondent-link misses per client address, apart from the sign-in throttle.
    pub link_guesses: limiter::GuessThrottle,
    /// Each survey's results, shared by readers for a moment.
    pub results: crate::monitoring::cache::ResultsCache,
    /// First visits through personal links, written in batches off the request path.
    pub opened: crate::responses::opened::OpenedMarks,
    /// Wakes the outbox worker when mail is queued, instead of waiting for its next poll.
    pub mail_wakeup: Arc<tokio::sync::Notify>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// Seconds since the Unix epoch: every timestamp in the database is stored this way, so
/// both backends compare and sort them the same.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default()
}

/// A fresh random identifier for a new row.
pub fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// Whether the pool is SQLite (otherwise it is PostgreSQL).
pub fn is_sqlite(db: &Db) -> bool {
    db.connect_options().database_url.scheme() == "sqlite"
}

/// A row-locking clause (" FOR UPDATE", " FOR SHARE ...") for a SELECT inside
/// `begin_write`: PostgreSQL needs it to hold the rows it read until the commit, while
/// SQLite's write lock already holds the whole database (and has no such syntax).
pub fn row_lock(db: &Db, clause: &'static str) -> &'static str {
    if is_sqlite(db) {
        ""
    } else {
        clause
    }
}

/// Starts a transaction that will write after reading. SQLite's default (deferred)
/// transaction fails at once with "database is locked" when another connection commits
/// between its first read and its first write; `BEGIN IMMEDIATE` takes the write lock
/// up front, waiting its turn under the busy timeout instead.
pub async fn begin_write(db: &Db) -> sqlx::Result<sqlx::Transaction<'static, sqlx::Any>> {
    if is_sqlite(db) {
        db.begin_with("BEGIN IMMEDIATE").await
    } else {
        db.begin().await
    }
}
