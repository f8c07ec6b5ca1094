//! How every respondent page is answered: HTML with headers that keep the page to itself
//! (no script but the site's own, no `Referer` carrying the token, no caching).
use super::page;
use crate::error::AppError;
use axum::response::{Html, IntoResponse, Response};
use http::{header, HeaderValue, StatusCode};

/// The respondent's pages load nothing but the stylesheet, and the token in their address
/// must never travel to another site in a `Referer`.
/// The only script allowed is the site's own autosave file.
const RESPONDENT_CSP: &str =
    "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; \
     img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

pub(crate) fn error_page(error: AppError) -> Response {
    let status = error.status_code();
    html(
        status,
        page::message("Something went wrong", &error.to_string()),
    )
}

pub(crate) fn html(status: StatusCode, page: String) -> Response {
    let mut response = (status, Html(page)).into_response();
    harden(&mut response);
    response
}

pub(crate) fn harden(response: &mut Response) {
    harden_framed(response, "");
}

/// A respondent page of a survey shown in the team's product: the origins its editor
/// listed (space-separated, each checked by `FrameOrigin` when saved) may frame it; with
/// none, nobody may.
pub(crate) fn framed_html(status: StatusCode, page: String, origins: &str) -> Response {
    let mut response = (status, Html(page)).into_response();
    harden_framed(&mut response, origins);
    response
}

pub(crate) fn harden_framed(response: &mut Response, origins: &str) {
    let csp = match origins.trim() {
        "" => HeaderValue::from_static(RESPONDENT_CSP),
        origins => HeaderValue::from_str(&RESPONDENT_CSP.replace(
            "frame-ancestors 'none'",
            &format!("frame-ancestors {origins}"),
        ))
        .unwrap_or(HeaderValue::from_static(RESPONDENT_CSP)),
    };
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_SECURITY_POLICY, csp);
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
}
