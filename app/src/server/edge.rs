//! The one HTTP edge of the plain team-page handlers (those outside the Leptos router): how
//! a refusal becomes a response. A missing session goes to sign-in; any other error is its
//! status with a page that says what went wrong in the user's words (a validation error
//! lists each problem), never a database's.
use super::html::team_document;
use crate::error::AppError;
use axum::response::{Html, IntoResponse, Redirect, Response};
use leptos::prelude::*;

/// Sign-in for `Unauthorized`; otherwise the error's status with the page `render` draws
/// for it (the handler's own page, so the person keeps their context).
pub fn refusal(error: AppError, render: impl FnOnce(&AppError) -> String) -> Response {
    match error {
        AppError::Unauthorized => Redirect::to("/sign-in").into_response(),
        error => (error.status_code(), Html(render(&error))).into_response(),
    }
}

/// The messages an error shows: one per field for a validation error, else its own.
pub fn messages(error: &AppError) -> Vec<String> {
    match error {
        AppError::Validation(fields) => fields.iter().map(|f| f.message.clone()).collect(),
        other => vec![other.to_string()],
    }
}

/// The error as an alert, for a handler's page.
pub fn alert(error: &AppError) -> AnyView {
    let messages = messages(error);
    view! {
        <div class="notice notice-error" role="alert">
            {messages.into_iter().map(|m| view! { <p>{m}</p> }).collect_view()}
        </div>
    }
    .into_any()
}

/// The heading of a plain refusal page: what kind of refusal it is, in a few words.
fn heading(error: &AppError) -> &'static str {
    match error {
        AppError::Forbidden => "Not allowed",
        AppError::NotFound => "Not found",
        AppError::Validation(_) => "Check what you entered",
        AppError::Conflict(_) => "Not possible now",
        AppError::TooManyRequests { .. } => "Too many attempts",
        AppError::Unavailable => "Briefly unavailable",
        _ => "Something went wrong",
    }
}

/// A handler with no page of its own answers an error with a plain team page.
impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        refusal(self, |error| {
            let back = ("/surveys".to_string(), "Surveys".to_string());
            let heading = heading(error);
            team_document(heading.into(), back, heading, alert(error))
        })
    }
}

/// A file to save (an export, a report, an access request): never cached, named by
/// `filename`; a refusal is its status with the error's words as plain text.
pub fn attachment(
    result: Result<Vec<u8>, AppError>,
    content_type: &'static str,
    filename: &str,
) -> Response {
    match result {
        Ok(body) => (
            [
                (http::header::CONTENT_TYPE, content_type.to_string()),
                (
                    http::header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{filename}\""),
                ),
                (http::header::CACHE_CONTROL, "no-store".to_string()),
            ],
            body,
        )
            .into_response(),
        Err(error) => (error.status_code(), error.to_string()).into_response(),
    }
}

/// The response with a `Set-Cookie` header for each of `cookies`, in order.
pub fn with_cookies(mut response: Response, cookies: &[String]) -> Response {
    for cookie in cookies {
        if let Ok(value) = http::HeaderValue::from_str(cookie) {
            response
                .headers_mut()
                .append(http::header::SET_COOKIE, value);
        }
    }
    response
}

/// Marks a redirect that leaves this site on purpose. The server keeps every other
/// redirect on the site (a `Referer` could name any host); only a handler that built the
/// address itself, from configuration, may send the browser away.
#[derive(Debug, Clone, Copy)]
pub struct LeavesSite;

/// A redirect to `url` on another site, marked so that the server lets it through.
pub fn redirect_off_site(url: &str) -> Response {
    let mut response = Redirect::to(url).into_response();
    response.extensions_mut().insert(LeavesSite);
    response
}
