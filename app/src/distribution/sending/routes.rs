//! The routes of sending outside the Leptos router (plain forms and framed previews).
use crate::server::AppState;
use axum::routing::{get, post};
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/surveys/{id}/recipients",
            post(super::paste_page::add_recipients),
        )
        .route(
            "/surveys/{id}/email-preview/{kind}",
            get(super::wording::preview_html),
        )
        .route(
            "/surveys/{id}/choose",
            get(super::choose_page::show).post(super::choose_page::submit),
        )
}
