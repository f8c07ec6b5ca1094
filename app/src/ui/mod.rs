//! Components every page shares: form fields, messages, the role guard, page frames.
mod dates;
mod fields;
mod guard;
mod server_form;
pub mod wire;
mod words;

pub use dates::{format_date, parse_date, use_team_zone, TeamZone, ZoneSpan};
pub use fields::{FormMessage, TextArea, TextField};
pub use guard::{use_current_user, Guarded, SessionResource};
pub use server_form::{FormAction, ServerForm};
pub use words::{count, format_count};

use leptos::prelude::*;

/// Text for the inside of a `<textarea>`. tachys 0.2 renders that element's children
/// unescaped on the server (as it does for `<script>`), so a value holding `</textarea>`
/// would close it early. Escaped, the browser decodes it back to the very same text. In
/// the browser, text is set through the DOM and needs no escaping.
pub fn textarea_text(text: &str) -> String {
    if cfg!(feature = "ssr") {
        text.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    } else {
        text.to_string()
    }
}

/// The `<head>` tags every document shares, team and respondent pages alike.
#[component]
pub fn BaseHead() -> impl IntoView {
    view! {
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <meta name="color-scheme" content="light dark"/>
        <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
    }
}

/// The title block of a team page, with an optional line of context beneath.
#[component]
pub fn PageHeader(
    title: String,
    #[prop(optional, into)] lead: Option<String>,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    view! {
        <leptos_meta::Title text=title.clone()/>
        <header class="page-header">
            <div>
                <h1>{title}</h1>
                {lead.map(|lead| view! { <p class="lead">{lead}</p> })}
            </div>
            {children.map(|c| view! { <div class="page-actions">{c()}</div> })}
        </header>
    }
}

/// What a list shows before it has anything in it: what belongs here and how to add it.
#[component]
pub fn EmptyState(title: &'static str, children: Children) -> impl IntoView {
    view! {
        <div class="empty-state">
            <h2>{title}</h2>
            {children()}
        </div>
    }
}

/// The placeholder while a page's data is on its way.
#[component]
pub fn Loading() -> impl IntoView {
    view! { <p class="loading" role="status">"Loading…"</p> }
}

/// A page-level failure, said plainly with a way forward.
#[component]
pub fn ErrorPanel(error: crate::error::AppError) -> impl IntoView {
    view! {
        <div class="notice notice-error" role="alert">
            <p>{error.to_string()}</p>
        </div>
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::textarea_text;

    #[test]
    fn textarea_text_cannot_close_its_element_when_rendered_on_the_server() {
        assert_eq!(
            textarea_text("a</textarea><b>&"),
            "a&lt;/textarea&gt;&lt;b&gt;&amp;"
        );
    }
}
