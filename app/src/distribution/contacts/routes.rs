//! The routes of the contact list outside the Leptos router. The server adds the layers
//! each group needs (the link-guessing throttle, the upload's body limit).
use crate::server::AppState;
use axum::routing::{get, post};
use axum::Router;

/// Reached from an email, so behind the respondent pages' link-guessing throttle.
pub fn respondent_routes() -> Router<AppState> {
    Router::new().route(
        "/u/{token}",
        get(super::unsubscribe::show).post(super::unsubscribe::submit),
    )
}

/// The CSV import, the one place that takes files.
pub fn upload_routes() -> Router<AppState> {
    Router::new()
        .route(
            "/contacts/import",
            get(super::import_page::show).post(super::import_page::preview),
        )
        .route(
            "/contacts/import/{id}/apply",
            post(super::import_page::apply),
        )
}
