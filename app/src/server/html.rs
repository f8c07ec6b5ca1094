//! Whole HTML documents for the pages served without the Leptos router: the respondent's
//! pages, which must never load the team's WASM bundle, and one-off result pages.
use leptos::prelude::*;
use leptos::tachys::view::RenderHtml;

/// Where the stylesheet built from `style/` is served.
pub const STYLESHEET: &str = "/pkg/soundings.css";

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
                    <link rel="stylesheet" href=STYLESHEET/>
                </head>
                <body>{body}{script.map(|src| view! { <script src=src defer></script> })}</body>
            </html>
        }
        .to_html()
    })
}
