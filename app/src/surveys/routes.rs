//! The survey's route outside the Leptos router: its preview, a plain page.
use crate::server::AppState;
use axum::routing::get;
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new().route(
        "/surveys/{id}/preview",
        get(super::preview::show).post(super::preview::submit),
    )
}
