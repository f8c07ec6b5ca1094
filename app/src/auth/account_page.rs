//! `/account`: a member's own access, on a plain server-rendered page (no WASM): their
//! address and role, changing their password, and signing out of every session. Thin
//! adapters over `account`.
use super::account::{self, PasswordChange};
use super::model::{CurrentUser, Role};
use crate::error::{AppError, AppResult};
use crate::server::edge::{alert, refusal, with_cookies};
use crate::server::guard;
use crate::server::html::{team_document, Input};
use crate::server::AppState;
use axum::extract::rejection::FormRejection;
use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use http::{HeaderMap, StatusCode};
use leptos::prelude::*;
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/account", get(show))
        .route("/account/password", post(change_password))
        .route("/account/sign-out-everywhere", post(sign_out_everywhere))
}

#[derive(Deserialize)]
pub struct DoneQuery {
    changed: Option<String>,
}

async fn show(
    State(state): State<AppState>,
    Query(query): Query<DoneQuery>,
    headers: HeaderMap,
) -> Response {
    match guard::require_role_in(&state, &headers, Role::Viewer).await {
        Ok(user) => Html(page(&user, query.changed.is_some(), None)).into_response(),
        Err(error) => refusal(error, error_page),
    }
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    confirm_password: String,
}

async fn change_password(
    State(state): State<AppState>,
    headers: HeaderMap,
    form: Result<Form<PasswordForm>, FormRejection>,
) -> Response {
    let result: AppResult<Response> = async {
        let user = guard::require_role_in(&state, &headers, Role::Viewer).await?;
        let Form(form) = form.map_err(|_| AppError::BadRequest)?;
        let change = PasswordChange {
            current: form.current_password,
            new: form.new_password,
            confirm: form.confirm_password,
        };
        match account::change_password(&state, &user, change).await {
            Ok(cookie) => Ok(with_cookies(
                Redirect::to("/account?changed=1").into_response(),
                &[cookie],
            )),
            Err(error @ AppError::Validation(_)) => {
                let html = page(&user, false, Some(&error));
                Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
            }
            Err(error) => Err(error),
        }
    }
    .await;
    result.unwrap_or_else(|error| refusal(error, error_page))
}

async fn sign_out_everywhere(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let result: AppResult<Response> = async {
        let user = guard::require_role_in(&state, &headers, Role::Viewer).await?;
        let cookie = account::sign_out_everywhere(&state, &user).await?;
        Ok(with_cookies(
            Redirect::to("/sign-in").into_response(),
            &[cookie],
        ))
    }
    .await;
    result.unwrap_or_else(|error| refusal(error, error_page))
}

fn back() -> (String, String) {
    ("/surveys".to_string(), "Surveys".to_string())
}

fn error_page(error: &AppError) -> String {
    team_document("Your account".into(), back(), "Your account", alert(error))
}

fn page(user: &CurrentUser, changed: bool, error: Option<&AppError>) -> String {
    let body = view! {
        <p class="lead">{format!("{} · {}: {}", user.email, user.role.label(), user.role.description())}</p>
        {changed.then(|| view! {
            <div class="notice notice-success" role="status">"Password changed. Every other session was signed out."</div>
        })}
        {error.map(alert)}
        <section class="card stack narrow-form" aria-labelledby="password-title">
            <h2 id="password-title" class="section-title">"Change your password"</h2>
            <form method="post" action="/account/password" class="stack">
                {password(error, "current_password", "Current password", "current-password").render()}
                {new_password(error).render()}
                {password(error, "confirm_password", "New password again", "new-password").render()}
                <button type="submit" class="button primary">"Change password"</button>
            </form>
        </section>
        <section class="card stack narrow-form" aria-labelledby="everywhere-title">
            <h2 id="everywhere-title" class="section-title">"Sign out everywhere"</h2>
            <p class="hint">"Ends every session of yours, on every device and browser, this one included. Use it when a device was lost or shared."</p>
            <form method="post" action="/account/sign-out-everywhere">
                <button type="submit" class="button">"Sign out everywhere"</button>
            </form>
        </section>
    };
    team_document("Your account".into(), back(), "Your account", body)
}

/// A required password input.
pub(super) fn password<'a>(
    error: Option<&'a AppError>,
    id: &'static str,
    label: &'static str,
    autocomplete: &'static str,
) -> Input<'a> {
    Input::new("password", id, label, error)
        .autocomplete(autocomplete)
        .required()
}

/// The new password, with the length policy as its hint.
pub(super) fn new_password(error: Option<&AppError>) -> Input<'_> {
    password(error, "new_password", "New password", "new-password")
        .hint("At least 12 characters. A short phrase is easy to remember.")
}
