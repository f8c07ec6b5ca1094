//! `/digest/stop/{member}/{token}`: the link at the foot of every weekly digest. Opening
//! it asks for a confirmation (mail scanners follow links, and a GET changes nothing); the
//! button, or a mail client's RFC 8058 one-click POST, turns that member's digest off.
//! No sign-in is needed; the token, derived from the server's secret and the member's
//! id, is what proves the link genuine.
use super::digest;
use crate::error::AppResult;
use crate::responses::page;
use crate::server::html::private_page;
use crate::server::AppState;
use axum::extract::{Path, State};
use axum::response::Response;
use http::StatusCode;
use leptos::prelude::*;

pub async fn show(
    State(state): State<AppState>,
    Path((member, token)): Path<(String, String)>,
) -> Response {
    respond(&state, &member, &token, false).await
}

/// Any POST stops the digest: the page's button and a one-click request alike.
pub async fn submit(
    State(state): State<AppState>,
    Path((member, token)): Path<(String, String)>,
) -> Response {
    respond(&state, &member, &token, true).await
}

async fn respond(state: &AppState, member: &str, token: &str, stop: bool) -> Response {
    let result: AppResult<Option<(String, bool)>> =
        digest::stop_by_link(&state.db, &state.config, member, token, stop).await;
    match result {
        Ok(Some((email, on))) => {
            if stop {
                tracing::info!(user_id = member, "weekly digest stopped by its link");
            }
            private_page(
                StatusCode::OK,
                confirmation(member, token, &email, on, stop),
            )
        }
        Ok(None) => private_page(
            StatusCode::NOT_FOUND,
            page::message(
                "This link doesn't work",
                "It may be incomplete or no longer valid.",
            ),
        ),
        Err(error) => private_page(
            error.status_code(),
            page::message("Something went wrong", &error.to_string()),
        ),
    }
}

fn confirmation(member: &str, token: &str, email: &str, on: bool, stopped: bool) -> String {
    let action = format!("/digest/stop/{member}/{token}");
    let (title, text) = match (on, stopped) {
        (true, _) => (
            "Stop the weekly digest?",
            format!("{email} will get no more weekly community digests from Soundings."),
        ),
        (false, true) => (
            "The weekly digest is off",
            format!("{email} will get no more weekly community digests. Turn it on again at the foot of the Communities page."),
        ),
        (false, false) => (
            "The weekly digest is off",
            format!("{email} gets no weekly community digest. Turn it on at the foot of the Communities page."),
        ),
    };
    let action = if on {
        view! {
            <form method="post" action=action class="stack">
                <button type="submit" class="button primary large">"Stop the digest"</button>
            </form>
        }
        .into_any()
    } else {
        view! { <p><a class="button large" href="/communities">"Go to Communities"</a></p> }
            .into_any()
    };
    // The digest goes to team members, whose pages are in English.
    page::link_status(
        crate::languages::model::Language::ENGLISH,
        title,
        text,
        action,
    )
}
