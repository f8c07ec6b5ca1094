//! The API-token page's plain form post, outside the Leptos router.
use crate::server::AppState;
use axum::routing::post;
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new().route("/api-tokens/new", post(super::tokens_new::create))
}
