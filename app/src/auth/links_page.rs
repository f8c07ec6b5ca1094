//! The pages of account links, plain server-rendered (no WASM) and reachable signed out:
//! `/forgot-password`, where a member asks for a reset link, and `/password/{token}`,
//! where a reset or an invitation link lets them choose a password. Thin adapters over
//! `links`.
use super::account_page::{new_password, password};
use super::links::{self, OpenedLink, Purpose};
use super::throttle;
use crate::email::EmailAddress;
use crate::error::{AppError, AppResult};
use crate::server::edge::{alert, with_cookies};
use crate::server::guard::client_address_of;
use crate::server::html::{document, private_page, Input};
use crate::server::AppState;
use axum::extract::rejection::FormRejection;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use http::{HeaderMap, StatusCode};
use leptos::prelude::*;
use serde::Deserialize;
use std::net::SocketAddr;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/forgot-password", get(show_request).post(request))
        .route("/password/{token}", get(show_link).post(set_password))
}

#[derive(Deserialize)]
pub struct SentQuery {
    sent: Option<String>,
}

async fn show_request(Query(query): Query<SentQuery>) -> Response {
    Html(request_page(query.sent.is_some(), None, "")).into_response()
}

#[derive(Deserialize)]
pub struct RequestForm {
    #[serde(default)]
    email: String,
}

/// Answers at once, and the same way whether or not the address has an account: the
/// lookup and the mail happen after the answer has gone, so neither its words nor its
/// timing say who is on the team.
async fn request(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    form: Result<Form<RequestForm>, FormRejection>,
) -> Response {
    let result: AppResult<Response> = async {
        let Form(form) = form.map_err(|_| AppError::BadRequest)?;
        let email = match EmailAddress::parse(&form.email) {
            Ok(email) => email,
            Err(message) => {
                let error = AppError::field("email", message);
                let html = request_page(false, Some(&error), &form.email);
                return Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response());
            }
        };
        let address = client_address_of(&headers, Some(peer), &state.config);
        let key = [throttle::ThrottleKey::reset_requests(&address)];
        throttle::check(&state, &key).await?;
        throttle::record_failure(&state, &key).await?;
        let state = state.clone();
        tokio::spawn(async move {
            if let Err(error) = links::request_reset(&state, &email).await {
                tracing::warn!(%error, "could not handle a password reset request");
            }
        });
        Ok(Redirect::to("/forgot-password?sent=1").into_response())
    }
    .await;
    result.unwrap_or_else(|error| {
        let html = request_page(false, Some(&error), "");
        (error.status_code(), Html(html)).into_response()
    })
}

async fn show_link(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    match links::open(&state, &token).await {
        Ok(opened) => link_response(&token, opened, None),
        Err(error) => private_page(error.status_code(), broken_page(&error.to_string())),
    }
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    confirm_password: String,
}

async fn set_password(
    State(state): State<AppState>,
    Path(token): Path<String>,
    form: Result<Form<PasswordForm>, FormRejection>,
) -> Response {
    let Ok(Form(form)) = form else {
        return private_page(
            StatusCode::BAD_REQUEST,
            broken_page(&AppError::BadRequest.to_string()),
        );
    };
    match links::set_password(&state, &token, form.new_password, &form.confirm_password).await {
        Ok(cookie) => with_cookies(Redirect::to("/surveys").into_response(), &[cookie]),
        Err(error @ AppError::Validation(_)) => match links::open(&state, &token).await {
            Ok(opened) => link_response(&token, opened, Some(&error)),
            Err(error) => private_page(error.status_code(), broken_page(&error.to_string())),
        },
        Err(AppError::NotFound) => link_response(&token, OpenedLink::Unknown, None),
        Err(error) => private_page(error.status_code(), broken_page(&error.to_string())),
    }
}

/// The page a link leads to: its form while it works, else why it doesn't.
fn link_response(token: &str, opened: OpenedLink, error: Option<&AppError>) -> Response {
    let ask_again = "Ask for a new link on the sign-in page (“Forgot your password?”).";
    let ask_admin = "Ask an admin of your team to send the invitation again.";
    match opened {
        OpenedLink::Usable { email, purpose } => {
            let status = if error.is_some() {
                StatusCode::UNPROCESSABLE_ENTITY
            } else {
                StatusCode::OK
            };
            private_page(status, password_page(token, &email, purpose, error))
        }
        OpenedLink::Used(purpose) => private_page(
            StatusCode::GONE,
            broken_page(&format!(
                "This link was used already: each works once. {}",
                if purpose == Purpose::Invitation {
                    "If you chose your password with it, sign in."
                } else {
                    ask_again
                }
            )),
        ),
        OpenedLink::Expired(purpose) => private_page(
            StatusCode::GONE,
            broken_page(&format!(
                "This link has expired. {}",
                if purpose == Purpose::Invitation {
                    ask_admin
                } else {
                    ask_again
                }
            )),
        ),
        OpenedLink::Unknown => private_page(
            StatusCode::NOT_FOUND,
            broken_page(&format!(
                "This link doesn't work: it may be incomplete, or a newer mail replaced it. {ask_again}"
            )),
        ),
    }
}

/// A page before sign-in: the brand and one narrow card.
pub(super) fn auth_document(title: &str, body: impl IntoView + 'static) -> String {
    document(
        format!("{title} · Soundings"),
        view! {
            <header class="topbar"><a class="brand" href="/sign-in">"Soundings"</a></header>
            <main class="container">
                <div class="auth-card stack">{body}</div>
            </main>
        },
    )
}

fn broken_page(text: &str) -> String {
    let text = text.to_string();
    auth_document(
        "This link doesn't work",
        view! {
            <h1>"This link doesn't work"</h1>
            <p>{text}</p>
            <p><a href="/forgot-password">"Ask for a new link"</a>" · "<a href="/sign-in">"Sign in"</a></p>
        },
    )
}

fn request_page(sent: bool, error: Option<&AppError>, email: &str) -> String {
    let title = "Forgot your password?";
    if sent {
        return auth_document(
            title,
            view! {
                <h1>"Check your inbox"</h1>
                <div class="notice notice-success" role="status">
                    <p>"If an account uses that address, a link to choose a new password is on its way. It works once, for an hour."</p>
                </div>
                <p class="hint">"Nothing after a few minutes? Check the spam folder, or ask an admin of your team."</p>
                <p><a href="/sign-in">"Back to sign-in"</a></p>
            },
        );
    }
    let other = error
        .filter(|e| e.message_for("email").is_none())
        .map(alert);
    let field = Input::new("email", "email", "Email", error)
        .autocomplete("username")
        .value(email)
        .required();
    auth_document(
        title,
        view! {
            <h1>{title}</h1>
            <p class="lead">"Type the address you sign in with. We'll mail it a link to choose a new password."</p>
            {other}
            <form method="post" action="/forgot-password" class="stack">
                {field.render()}
                <button type="submit" class="button primary">"Send the link"</button>
            </form>
            <p><a href="/sign-in">"Back to sign-in"</a></p>
        },
    )
}

fn password_page(token: &str, email: &str, purpose: Purpose, error: Option<&AppError>) -> String {
    let (title, lead, button) = match purpose {
        Purpose::Invitation => (
            "Join the team",
            "Choose the password you will sign in to Soundings with.",
            "Choose password and sign in",
        ),
        Purpose::Reset => (
            "Choose a new password",
            "Your old password stops working, and every session of yours ends.",
            "Set new password and sign in",
        ),
    };
    let action = format!("/password/{token}");
    let email = email.to_string();
    let other = error
        .filter(|e| !matches!(e, AppError::Validation(_)))
        .map(alert);
    auth_document(
        title,
        view! {
            <h1>{title}</h1>
            <p class="lead">{lead}</p>
            {other}
            <form method="post" action=action class="stack">
                <div class="field">
                    <label for="account-email">"Email"</label>
                    <input type="email" id="account-email" name="username" autocomplete="username" value=email readonly/>
                </div>
                {new_password(error).render()}
                {password(error, "confirm_password", "New password again", "new-password").render()}
                <button type="submit" class="button primary">{button}</button>
            </form>
        },
    )
}
