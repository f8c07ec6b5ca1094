//! `GET /metrics`: what an operator watches, in the Prometheus text format. Off unless
//! `METRICS_TOKEN` is set, and then only for a scraper that sends it as a bearer token:
//! the figures (how much mail is waiting, which routes are slow) are nobody else's business.
//!
//! Counters are this instance's since it started (Prometheus adds instances up and copes
//! with restarts); the outbox and pool gauges are read from the database at each scrape, so
//! every instance sharing a database reports the same outbox (take their maximum).
use crate::settings::Hidden;
use app::server::AppState;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use http::{header, HeaderMap, StatusCode};
use metrics::{describe_counter, describe_gauge, describe_histogram, Unit};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use sqlx::Row;
use std::sync::OnceLock;
use std::time::Instant;

/// Request durations, in seconds: from a cached file to a slow results page.
const DURATION_BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];

/// The outbox's kinds of message (its `kind` CHECK), each reported even when none waits.
const OUTBOX_KINDS: [&str; 5] = ["invitation", "reminder", "test", "digest", "loop"];

static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();

/// Installs the process's recorder once (two instances in one test process share it).
/// `None` if something else installed a recorder first; there is then no `/metrics`.
fn handle() -> Option<&'static PrometheusHandle> {
    HANDLE
        .get_or_init(|| {
            let recorder = PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), &DURATION_BUCKETS)
                .ok()?
                .install_recorder()
                .map_err(|error| tracing::warn!(%error, "metrics recorder not installed"))
                .ok()?;
            describe();
            start_at_zero();
            Some(recorder)
        })
        .as_ref()
}

fn describe() {
    describe_counter!(
        "soundings_http_requests_total",
        "Requests answered, by route group, method and status."
    );
    describe_histogram!(
        "soundings_http_request_duration_seconds",
        Unit::Seconds,
        "Time to the response's head, by route group."
    );
    describe_gauge!(
        "soundings_outbox_depth",
        "Messages waiting to leave (queued or being sent), by kind."
    );
    describe_gauge!(
        "soundings_outbox_oldest_age_seconds",
        Unit::Seconds,
        "Age of the oldest message still waiting to leave (0 when none waits)."
    );
    describe_counter!(
        "soundings_mail_total",
        "Messages the outbox handed to the mail server, by kind and outcome: sent, retried \
         (a temporary refusal), bounced (a permanent refusal) or failed (out of attempts)."
    );
    describe_counter!(
        "soundings_webhook_deliveries_total",
        "Webhook delivery attempts, by outcome: delivered, retried or failed (given up)."
    );
    describe_gauge!(
        "soundings_db_pool_connections",
        "Connections of the write pool, by state: in_use, idle, max."
    );
    describe_gauge!(
        "soundings_db_pool_acquire_seconds",
        Unit::Seconds,
        "How long this scrape waited for a connection from the write pool."
    );
    describe_counter!(
        "soundings_db_pool_timeouts_total",
        "Requests that gave up waiting for a database connection."
    );
    describe_counter!(
        "soundings_surveys_closed_total",
        "Surveys closed, by trigger: schedule (closing time or quota) or by_hand."
    );
    describe_counter!(
        "soundings_sends_total",
        "Sends (a selection of recipients invited at once)."
    );
    describe_counter!(
        "soundings_invitations_queued_total",
        "Invitation emails queued by sends."
    );
}

/// Every counter with each of its label values at 0 from the start: a dashboard can then
/// tell "none yet" from "not reported", and a rate over a first event is not lost.
fn start_at_zero() {
    for kind in OUTBOX_KINDS {
        for outcome in ["sent", "retried", "bounced", "failed"] {
            metrics::counter!("soundings_mail_total", "kind" => kind, "outcome" => outcome)
                .absolute(0);
        }
    }
    for outcome in ["delivered", "retried", "failed"] {
        metrics::counter!("soundings_webhook_deliveries_total", "outcome" => outcome).absolute(0);
    }
    for trigger in ["schedule", "by_hand"] {
        metrics::counter!("soundings_surveys_closed_total", "trigger" => trigger).absolute(0);
    }
    metrics::counter!("soundings_sends_total").absolute(0);
    metrics::counter!("soundings_invitations_queued_total").absolute(0);
    metrics::counter!("soundings_db_pool_timeouts_total").absolute(0);
}

/// `/metrics`, when a token is configured; without one the address is not found.
pub fn routes(token: Option<Hidden>) -> Router<AppState> {
    let (Some(token), Some(handle)) = (token, handle()) else {
        return Router::new();
    };
    Router::new().route(
        "/metrics",
        get(move |state: State<AppState>, headers: HeaderMap| {
            scrape(state, headers, token, handle)
        }),
    )
}

async fn scrape(
    State(state): State<AppState>,
    headers: HeaderMap,
    token: Hidden,
    handle: &'static PrometheusHandle,
) -> Response {
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    // Digests compared, so how long the comparison takes says nothing about the token.
    let digest = app::server::token::sha256_hex;
    if digest(given) != digest(&token.0) {
        return (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer")],
            "Send the METRICS_TOKEN as a bearer token.",
        )
            .into_response();
    }
    read_gauges(&state).await;
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        handle.render(),
    )
        .into_response()
}

/// The figures read at each scrape: the outbox from the database, the pool from itself.
async fn read_gauges(state: &AppState) {
    let pool = state.db.pool();
    let started = Instant::now();
    match pool.acquire().await {
        Ok(connection) => {
            metrics::gauge!("soundings_db_pool_acquire_seconds")
                .set(started.elapsed().as_secs_f64());
            drop(connection);
        }
        Err(error) => tracing::warn!(%error, "metrics: no database connection"),
    }
    let size = f64::from(pool.size());
    let idle = pool.num_idle() as f64;
    metrics::gauge!("soundings_db_pool_connections", "state" => "in_use").set(size - idle);
    metrics::gauge!("soundings_db_pool_connections", "state" => "idle").set(idle);
    metrics::gauge!("soundings_db_pool_connections", "state" => "max")
        .set(f64::from(pool.options().get_max_connections()));
    let now = state.clock.now();
    match outbox_waiting(state).await {
        Ok(rows) => {
            for kind in OUTBOX_KINDS {
                let count = rows.iter().find(|(k, _, _)| k == kind).map_or(0, |r| r.1);
                metrics::gauge!("soundings_outbox_depth", "kind" => kind).set(count as f64);
            }
            let oldest = rows.iter().filter_map(|(_, _, first)| *first).min();
            let age = oldest.map_or(0, |created| (now - created).max(0));
            metrics::gauge!("soundings_outbox_oldest_age_seconds").set(age as f64);
        }
        Err(error) => tracing::warn!(%error, "metrics: could not read the outbox"),
    }
}

/// Per kind: how many messages wait to leave, and when the oldest was queued.
async fn outbox_waiting(state: &AppState) -> sqlx::Result<Vec<(String, i64, Option<i64>)>> {
    let rows = sqlx::query(
        "SELECT kind, COUNT(*) AS waiting, MIN(created_at) AS oldest FROM outbox \
         WHERE status IN ('queued', 'sending') GROUP BY kind",
    )
    .fetch_all(state.db.reads())
    .await?;
    rows.iter()
        .map(|row| Ok((row.try_get(0)?, row.try_get(1)?, row.try_get(2)?)))
        .collect()
}

/// Counts every request and times it to its response's head, by route group: a label per
/// path would grow with every survey and link.
pub async fn track_requests(request: Request, next: Next) -> Response {
    let group = route_group(request.uri().path());
    let method = request.method().as_str().to_owned();
    let started = Instant::now();
    let response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    metrics::counter!(
        "soundings_http_requests_total",
        "group" => group, "method" => method, "status" => status
    )
    .increment(1);
    metrics::histogram!("soundings_http_request_duration_seconds", "group" => group)
        .record(started.elapsed().as_secs_f64());
    response
}

/// The route group a path belongs to, one of a fixed few.
fn route_group(path: &str) -> &'static str {
    let starts = |prefix: &str| path.starts_with(prefix);
    if path == "/healthz" {
        "health"
    } else if path == "/metrics" {
        "metrics"
    } else if starts("/api/v1/") || path == "/api/v1" {
        "api"
    } else if starts("/fn/") {
        "server_functions"
    } else if starts("/s/") || starts("/u/") || starts("/w/") {
        "respondent"
    } else if starts("/digest/") {
        "email_links"
    } else if starts("/assets/")
        || starts("/pkg/")
        || path == "/favicon.svg"
        || path == "/respond.js"
        || path == "/widget.js"
    {
        "assets"
    } else {
        "team_pages"
    }
}

#[cfg(test)]
mod tests {
    use super::route_group;

    #[test]
    fn every_path_falls_in_one_of_a_few_route_groups() {
        let cases = [
            ("/healthz", "health"),
            ("/metrics", "metrics"),
            ("/api/v1/surveys", "api"),
            ("/fn/get_results", "server_functions"),
            ("/s/abc123", "respondent"),
            ("/s/p/abc", "respondent"),
            ("/u/abc", "respondent"),
            ("/digest/stop/1/abc", "email_links"),
            ("/assets/0123/pkg/soundings.wasm", "assets"),
            ("/favicon.svg", "assets"),
            ("/surveys/1/results", "team_pages"),
            ("/", "team_pages"),
        ];
        for (path, group) in cases {
            assert_eq!(route_group(path), group, "{path}");
        }
    }
}
