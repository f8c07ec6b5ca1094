//! `/sign-in/sso` and `/sign-in/sso/callback`: the browser's way to the identity provider
//! and back. Thin adapters over `sso`; a refusal is a plain page with a way back to
//! sign-in, and the provider's own error (the person cancelled) is said in our words.
use super::links_page::auth_document;
use super::session::{cookie_value, named_cookie};
use super::sso::{self, LOGIN_COOKIE, LOGIN_SECS};
use crate::error::AppError;
use crate::server::edge::{redirect_off_site, with_cookies};
use crate::server::html::private_page;
use crate::server::AppState;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use http::{HeaderMap, StatusCode};
use leptos::prelude::*;
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/sign-in/sso", get(start))
        .route("/sign-in/sso/callback", get(callback))
}

/// The login cookie: only ever sent back to the callback.
fn login_cookie(state: &AppState, value: &str, max_age: i64) -> String {
    named_cookie(&state.config, LOGIN_COOKIE, "/sign-in/sso", value, max_age)
}

async fn start(State(state): State<AppState>) -> Response {
    match sso::start(&state).await {
        Ok((url, login)) => with_cookies(
            redirect_off_site(&url),
            &[login_cookie(&state, &login, LOGIN_SECS)],
        ),
        Err(error) => refused(&error),
    }
}

#[derive(Deserialize)]
pub struct CallbackQuery {
    #[serde(default)]
    code: String,
    #[serde(default)]
    state: String,
    error: Option<String>,
}

async fn callback(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<CallbackQuery>,
) -> Response {
    let clear = login_cookie(&state, "", 0);
    if query.error.is_some() {
        let error = AppError::Conflict(
            "The identity provider did not sign you in (it may have been cancelled). Try again from the sign-in page.".into(),
        );
        return with_cookies(refused(&error), &[clear]);
    }
    let login = cookie_value(&headers, LOGIN_COOKIE);
    match sso::finish(&state, login.as_deref(), &query.state, &query.code).await {
        Ok(session) => with_cookies(Redirect::to("/surveys").into_response(), &[clear, session]),
        Err(error) => with_cookies(refused(&error), &[clear]),
    }
}

fn refused(error: &AppError) -> Response {
    let status = match error {
        AppError::NotFound => StatusCode::NOT_FOUND,
        AppError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        AppError::Conflict(_) => StatusCode::FORBIDDEN,
        other => other.status_code(),
    };
    let text = match error {
        AppError::NotFound => {
            "Single sign-on is not set up here. Sign in with your password.".to_string()
        }
        AppError::Unavailable => {
            "The identity provider can't be reached just now. Try again in a moment.".to_string()
        }
        other => other.to_string(),
    };
    let page = auth_document(
        "Not signed in",
        view! {
            <h1>"Not signed in"</h1>
            <div class="notice notice-error" role="alert"><p>{text}</p></div>
            <p><a href="/sign-in">"Back to sign-in"</a></p>
        },
    );
    private_page(status, page)
}
