//! The mailbox's route outside the Leptos router: a message's HTML, for its page to frame.
use crate::server::AppState;
use axum::routing::get;
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new().route("/mailbox/{id}/html", get(super::html::mail_html))
}
