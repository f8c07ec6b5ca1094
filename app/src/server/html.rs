//! Whole HTML documents for the pages served without the Leptos router: the respondent's
//! pages, which must never load the team's WASM bundle, and one-off result pages.
use leptos::prelude::*;
use leptos::tachys::view::RenderHtml;

/// Renders `body` inside the site's document shell, with no script at all.
pub fn document(title: String, body: impl IntoView + 'static) -> String {
    document_with_script(title, body, None)
}

/// Like `document`, with at most one small same-origin script loaded after the page.
pub fn document_with_script(
    title: String,
    body: impl IntoView + 'static,
    script: Option<&'static str>,
) -> String {
    let owner = Owner::new();
    owner.with(|| {
        view! {
            <!DOCTYPE html>
            <html lang="en">
                <head>
                    <crate::ui::BaseHead/>
                    <title>{title}</title>
                    <link rel="stylesheet" href=super::assets::stylesheet()/>
                </head>
                <body>{body}{script.map(|src| view! { <script src=src defer></script> })}</body>
            </html>
        }
        .to_html()
    })
}

/// A team page rendered outside the router (file uploads, lists of new links): the top
/// bar, a way back, the heading and the body, with no script.
pub fn team_document(
    title: String,
    back: (String, String),
    heading: &'static str,
    body: impl IntoView + 'static,
) -> String {
    let (href, text) = back;
    document(
        format!("{title} · Soundings"),
        view! {
            <header class="topbar"><a class="brand" href="/surveys">"Soundings"</a></header>
            <main class="container">
                <p class="breadcrumb"><a href=href>{text}</a></p>
                <h1>{heading}</h1>
                {body}
            </main>
        },
    )
}

/// An email's HTML version, for a team page to frame or open: sandboxed (nothing in it
/// runs; its links open in a new tab) and never cached. A failure is a short text.
pub fn sandboxed_email(result: crate::error::AppResult<String>) -> axum::response::Response {
    use axum::response::IntoResponse;
    match result {
        Ok(html) => (
            [
                (
                    http::header::CONTENT_SECURITY_POLICY,
                    "sandbox allow-popups allow-popups-to-escape-sandbox; default-src 'none'; \
                     style-src 'unsafe-inline'; frame-ancestors 'self'",
                ),
                (http::header::X_FRAME_OPTIONS, "SAMEORIGIN"),
                (http::header::CACHE_CONTROL, "no-store"),
            ],
            axum::response::Html(html),
        )
            .into_response(),
        Err(error) => {
            let status = error.status_code();
            (status, error.to_string()).into_response()
        }
    }
}
