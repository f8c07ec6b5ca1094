//! The respondent's routes: the personal link, its autosave and the public link.
use crate::server::AppState;
use axum::routing::{get, post};
use axum::Router;

pub fn respondent_routes() -> Router<AppState> {
    Router::new()
        .route(
            "/s/{token}",
            get(super::handlers::show).post(super::handlers::submit),
        )
        .route("/s/{token}/autosave", post(super::handlers::autosave))
        .route(
            "/s/p/{token}",
            get(super::public::show).post(super::public::submit),
        )
}
