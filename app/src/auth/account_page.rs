//! `/account`: a member's own access, on a plain server-rendered page (no WASM): their
//! address and role, changing their password, and signing out of every session. Thin
//! adapters over `account`.
use super::account::{self, PasswordChange};
use super::model::{CurrentUser, Role};
use crate::error::{AppError, AppResult};
use crate::server::edge::{alert, refusal};
use crate::server::guard;
use crate::server::html::team_document;
use crate::server::AppState;
use axum::extract::rejection::FormRejection;
use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use http::{header, HeaderMap, HeaderValue, StatusCode};
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
            Ok(cookie) => Ok(with_cookie(Redirect::to("/account?changed=1"), &cookie)),
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
        Ok(with_cookie(Redirect::to("/sign-in"), &cookie))
    }
    .await;
    result.unwrap_or_else(|error| refusal(error, error_page))
}

fn with_cookie(redirect: Redirect, cookie: &str) -> Response {
    let mut response = redirect.into_response();
    if let Ok(value) = HeaderValue::from_str(cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}

fn back() -> (String, String) {
    ("/surveys".to_string(), "Surveys".to_string())
}

fn error_page(error: &AppError) -> String {
    team_document("Your account".into(), back(), "Your account", alert(error))
}

fn page(user: &CurrentUser, changed: bool, error: Option<&AppError>) -> String {
    let field =
        |id, label, autocomplete, hint| password_field(error, id, label, autocomplete, hint);
    let body = view! {
        <p class="lead">{format!("{} · {}: {}", user.email, user.role.label(), user.role.description())}</p>
        {changed.then(|| view! {
            <div class="notice notice-success" role="status">"Password changed. Every other session was signed out."</div>
        })}
        {error.map(alert)}
        <section class="card stack narrow-form" aria-labelledby="password-title">
            <h2 id="password-title" class="section-title">"Change your password"</h2>
            <form method="post" action="/account/password" class="stack">
                {field("current_password", "Current password", "current-password", None)}
                {field("new_password", "New password", "new-password", Some("At least 12 characters. A short phrase is easy to remember."))}
                {field("confirm_password", "New password again", "new-password", None)}
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

/// A password input with its label, hint and the error `error` holds for it, wired for
/// screen readers (`aria-describedby`, `aria-invalid`).
pub(super) fn password_field(
    error: Option<&AppError>,
    id: &'static str,
    label: &'static str,
    autocomplete: &'static str,
    hint: Option<&'static str>,
) -> impl IntoView {
    let problem = error.and_then(|e| e.message_for(id));
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described: Vec<String> = hint
        .map(|_| hint_id.clone())
        .into_iter()
        .chain(problem.as_ref().map(|_| error_id.clone()))
        .collect();
    let described = (!described.is_empty()).then(|| described.join(" "));
    let invalid = problem.is_some().then_some("true");
    let has_error = problem.is_some();
    view! {
        <div class="field" class:has-error=has_error>
            <label for=id>{label}</label>
            {hint.map(|h| view! { <p class="hint" id=hint_id>{h}</p> })}
            {problem.map(|m| view! { <p class="field-error" id=error_id>{m}</p> })}
            <input type="password" id=id name=id autocomplete=autocomplete required
                aria-describedby=described aria-invalid=invalid/>
        </div>
    }
}
