//! What every server function does first: find the state, the request and the signed-in
//! team member, and refuse early when the role is not enough.
use super::{AppState, Config};
use crate::auth::model::{CurrentUser, Role};
use crate::auth::session;
use crate::error::{AppError, AppResult};
use axum::extract::ConnectInfo;
use http::request::Parts;
use leptos::prelude::use_context;
use std::future::Future;
use std::net::SocketAddr;

/// The state and request of the server function being run.
pub fn context() -> AppResult<(AppState, Parts)> {
    let state = use_context::<AppState>().ok_or(AppError::Internal)?;
    let parts = use_context::<Parts>().ok_or(AppError::Internal)?;
    Ok((state, parts))
}

/// The signed-in team member, if their role includes `role`; every server function that
/// reads or changes team data starts here, since each one is a public HTTP endpoint.
pub async fn require_role(role: Role) -> AppResult<(AppState, CurrentUser)> {
    let (state, parts) = context()?;
    let user = session::current_user(&state, &parts.headers)
        .await?
        .ok_or(AppError::Unauthorized)?;
    if !user.role.includes(role) {
        return Err(AppError::Forbidden);
    }
    Ok((state, user))
}

/// `require_role` for plain axum handlers (pages outside the router), which hold the
/// request's headers instead of a server function's context.
pub async fn require_role_in(
    state: &AppState,
    headers: &http::HeaderMap,
    role: Role,
) -> AppResult<CurrentUser> {
    let user = session::current_user(state, headers)
        .await?
        .ok_or(AppError::Unauthorized)?;
    if !user.role.includes(role) {
        return Err(AppError::Forbidden);
    }
    Ok(user)
}

/// The signed-in team member whose role includes editing, as an extractor for plain axum
/// handlers: a missing session or a lesser role is refused before the handler runs (and
/// before any body is read), answered as `server::edge` answers every refusal.
pub struct Editor(pub CurrentUser);

impl axum::extract::FromRequestParts<AppState> for Editor {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> AppResult<Self> {
        require_role_in(state, &parts.headers, Role::Editor)
            .await
            .map(Self)
    }
}

/// Runs a server function's body and gives a failure its proper HTTP status. A plain form
/// post (no JavaScript) keeps the redirect Leptos makes back to the form instead.
pub async fn respond<T>(body: impl Future<Output = AppResult<T>>) -> AppResult<T> {
    let result = body.await;
    if let Err(error) = &result {
        set_error_status(error);
    }
    result
}

fn set_error_status(error: &AppError) {
    let Some(parts) = use_context::<Parts>() else {
        return;
    };
    if accepts_html(&parts.headers) {
        return;
    }
    if let Some(options) = use_context::<leptos_axum::ResponseOptions>() {
        options.set_status(error.status_code());
    }
}

/// Whether the request came from a plain HTML form rather than from script.
pub fn accepts_html(headers: &http::HeaderMap) -> bool {
    headers
        .get(http::header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"))
}

/// The client's address, for throttling. Behind a proxy that is configured as trusted, the
/// last `X-Forwarded-For` entry (the one that proxy appended) wins.
pub fn client_address(parts: &Parts, config: &Config) -> String {
    let peer = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| *addr);
    client_address_of(&parts.headers, peer, config)
}

/// `client_address` for handlers that hold the headers and the peer address separately.
pub fn client_address_of(
    headers: &http::HeaderMap,
    peer: Option<SocketAddr>,
    config: &Config,
) -> String {
    if config.trust_forwarded_for {
        let forwarded = headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .map(str::trim)
            .filter(|v| !v.is_empty());
        if let Some(address) = forwarded {
            return address.to_string();
        }
    }
    peer.map(|addr| addr.ip().to_string())
        .unwrap_or_else(|| "unknown".into())
}
