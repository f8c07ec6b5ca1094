//! Server-only plumbing shared by every feature: state, configuration, tokens and the
//! request guard that server functions and form handlers call first.
pub mod assets;
mod config;
pub mod edge;
pub mod guard;
pub mod html;
pub mod hydration;
pub mod limiter;
pub mod token;

pub use config::{Config, MailMode};

use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use std::sync::Arc;

/// Everything a request handler, server function or worker needs; built once at start-up.
#[derive(Clone)]
pub struct AppState {
    /// The database; `db.reads()` for the reads that must not wait behind writes.
    pub db: crate::db::Db,
    /// The time every request and worker goes by (tests move it).
    pub clock: crate::clock::Clock,
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
    /// How this instance's last read of the bounce mailbox went, for the delivery page.
    pub last_intake_poll:
        Arc<std::sync::Mutex<Option<crate::distribution::intake::model::LastPoll>>>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
