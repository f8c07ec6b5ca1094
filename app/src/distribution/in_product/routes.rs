//! The in-product channel's HTTP doors, thin adapters over `use_cases`:
//! - `GET /w/{key}?email=..&signature=..`: the panel. A person it may show is sent on to
//!   their own page in its compact form (`/s/{token}?embed=1`); anyone else gets
//!   `204 No Content`, which leaves the frame empty and the host's script never shows it.
//! - `GET /w/{key}/open?...`: the same person following a plain link (the fallback for a
//!   host page without JavaScript), to their full page.
//! - `POST /s/{token}/dismiss`: the panel's close button; it stays away for the snooze.
//!
//! Behind the respondent pages' link-guessing throttle. None of these sets a cookie: the
//! panel lives in a frame on the team's product, where it would be a third party's.
use super::use_cases::{self, Arrival, Visitor};
use crate::languages::choice;
use crate::languages::model::Language;
use crate::responses::page;
use crate::responses::reply::{error_page, framed_html, harden};
use crate::server::AppState;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use http::{header, HeaderValue, StatusCode};
use serde::Deserialize;

pub fn respondent_routes() -> Router<AppState> {
    Router::new()
        .route("/w/{key}", get(panel))
        .route("/w/{key}/open", get(open))
        .route("/s/{token}/dismiss", post(dismiss))
}

#[derive(Deserialize)]
pub struct Signed {
    #[serde(default)]
    email: String,
    #[serde(default)]
    signature: String,
}

async fn panel(
    State(state): State<AppState>,
    Path(key): Path<String>,
    Query(signed): Query<Signed>,
) -> Response {
    match admit(&state, &key, &signed, Arrival::Panel).await {
        Ok(Some(token)) => see_other(&format!("/s/{token}?embed=1")),
        Ok(None) => nothing(),
        Err(error) => {
            tracing::warn!(%error, "in-product panel failed");
            nothing()
        }
    }
}

async fn open(
    State(state): State<AppState>,
    Path(key): Path<String>,
    Query(signed): Query<Signed>,
) -> Response {
    match admit(&state, &key, &signed, Arrival::Link).await {
        Ok(Some(token)) => see_other(&format!("/s/{token}")),
        Ok(None) => crate::responses::reply::html(
            StatusCode::OK,
            page::message(
                "Nothing to answer right now",
                "There is no survey waiting for you here at the moment. Thank you for looking.",
            ),
        ),
        Err(error) => error_page(error),
    }
}

async fn admit(
    state: &AppState,
    key: &str,
    signed: &Signed,
    arrival: Arrival,
) -> crate::error::AppResult<Option<String>> {
    let visitor = Visitor {
        key,
        email: &signed.email,
        signature: &signed.signature,
    };
    let token = use_cases::admit(
        &state.db,
        &state.config,
        &visitor,
        arrival,
        state.clock.now(),
    )
    .await?;
    Ok(token.map(|t| t.expose().to_string()))
}

#[derive(Deserialize)]
pub struct DismissQuery {
    /// The panel's language, when its survey offers several.
    lang: Option<String>,
}

async fn dismiss(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Query(query): Query<DismissQuery>,
    headers: http::HeaderMap,
) -> Response {
    // The panel's own language where Soundings ships its words, else the browser's.
    let panel = query
        .lang
        .as_deref()
        .and_then(|code| Language::parse(code).ok());
    let language = choice::words_language_for(panel, choice::accept_language(&headers));
    match use_cases::dismiss(&state.db, &token, state.clock.now()).await {
        Ok(Some((days, origins))) => {
            framed_html(StatusCode::OK, page::panel_closed(days, language), &origins)
        }
        Ok(None) => crate::responses::access::Refusal::Unknown.page(language),
        Err(error) => error_page(error),
    }
}

fn see_other(to: &str) -> Response {
    let mut response = Redirect::to(to).into_response();
    harden(&mut response);
    response
}

/// Nothing to show: an empty answer that leaves the frame blank.
fn nothing() -> Response {
    let mut response = StatusCode::NO_CONTENT.into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}
