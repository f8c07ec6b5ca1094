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
    document_in(
        crate::languages::model::Language::ENGLISH,
        title,
        body,
        script,
    )
}

/// Like `document_with_script`, for a page in `language`: its `<html lang>` and `dir`
/// (right to left for Arabic, Hebrew, Persian) follow it.
pub fn document_in(
    language: crate::languages::model::Language,
    title: String,
    body: impl IntoView + 'static,
    script: Option<&'static str>,
) -> String {
    let owner = Owner::new();
    let html = owner.with(|| {
        view! {
            <!DOCTYPE html>
            <html lang=language.code() dir=language.direction()>
                <head>
                    <crate::ui::BaseHead/>
                    <title>{title}</title>
                    <link rel="stylesheet" href=super::assets::stylesheet()/>
                </head>
                <body>{body}{script.map(|src| view! { <script src=src defer></script> })}</body>
            </html>
        }
        .to_html()
    });
    without_hydration_markers(&html)
}

/// The renderer writes `<!>` between neighbouring text nodes so that hydration can find
/// them again; these pages never hydrate, and the HTML standard calls `<!>` a bogus
/// comment (the Nu HTML Checker's error on every respondent page). It cannot occur
/// otherwise: text and attribute values are written with `<` escaped.
fn without_hydration_markers(html: &str) -> String {
    html.replace("<!>", "")
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

/// The message with `<base target="_blank">` first in its head (or first of all).
fn links_in_new_tabs(html: &str) -> String {
    const BASE: &str = "<base target=\"_blank\">";
    match html.find("<head>") {
        Some(at) => format!("{}{BASE}{}", &html[..at + 6], &html[at + 6..]),
        None => format!("{BASE}{html}"),
    }
}

/// An email's HTML version, for a team page to frame or open: sandboxed (nothing in it
/// runs; its links open in a new tab) and never cached. A failure is a short text.
pub fn sandboxed_email(result: crate::error::AppResult<String>) -> axum::response::Response {
    use axum::response::IntoResponse;
    match result {
        // The frame's page refuses to be framed itself (frame-ancestors 'none'), so a link
        // followed inside the frame shows "refused to connect": every link opens a tab.
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
            axum::response::Html(links_in_new_tabs(&html)),
        )
            .into_response(),
        Err(error) => {
            let status = error.status_code();
            (status, error.to_string()).into_response()
        }
    }
}

/// A page reached through a secret link (unsubscribe, stopping the digest): never cached,
/// and the link is not sent on as a referrer.
pub fn private_page(status: http::StatusCode, page: String) -> axum::response::Response {
    use axum::response::IntoResponse;
    let mut response = (status, axum::response::Html(page)).into_response();
    let headers = response.headers_mut();
    headers.insert(
        http::header::REFERRER_POLICY,
        http::HeaderValue::from_static("no-referrer"),
    );
    headers.insert(
        http::header::CACHE_CONTROL,
        http::HeaderValue::from_static("no-store"),
    );
    response
}

#[cfg(test)]
mod document_tests {
    use super::document;
    use leptos::prelude::*;

    #[test]
    fn a_page_served_without_hydration_carries_no_bogus_comment_markers() {
        let (name, count) = ("Ada <b>".to_string(), 3);
        let html = document(
            "Markers".into(),
            view! { <p title="<!>">"Hello "{name}", you have "{count}" answers"</p> },
        );
        assert!(!html.contains("<!>"), "{html}");
        assert!(
            html.contains("Hello Ada &lt;b&gt;, you have 3 answers"),
            "{html}"
        );
        assert!(html.contains(r#"title="&lt;!&gt;""#), "{html}");
    }
}

#[cfg(test)]
mod email_frame_tests {
    use super::links_in_new_tabs;

    #[test]
    fn a_link_in_a_framed_message_opens_a_new_tab_not_the_refusing_frame() {
        assert_eq!(
            links_in_new_tabs("<html><head><title>x</title></head><body><a href=\"/s/t\">Answer</a></body></html>"),
            "<html><head><base target=\"_blank\"><title>x</title></head><body><a href=\"/s/t\">Answer</a></body></html>"
        );
        assert_eq!(
            links_in_new_tabs("<p>hi</p>"),
            "<base target=\"_blank\"><p>hi</p>"
        );
    }
}

/// One labelled input of a plain server-rendered form, with its hint and the message the
/// error holds for it, wired for screen readers (`aria-describedby`, `aria-invalid`).
pub struct Input<'a> {
    kind: &'static str,
    id: &'static str,
    label: &'static str,
    error: Option<&'a crate::error::AppError>,
    autocomplete: Option<&'static str>,
    hint: Option<&'static str>,
    value: Option<String>,
    required: bool,
}

impl<'a> Input<'a> {
    /// An input of `kind` named and identified `id`; `error`'s message for `id` shows above it.
    pub fn new(
        kind: &'static str,
        id: &'static str,
        label: &'static str,
        error: Option<&'a crate::error::AppError>,
    ) -> Self {
        Self {
            kind,
            id,
            label,
            error,
            autocomplete: None,
            hint: None,
            value: None,
            required: false,
        }
    }

    pub fn autocomplete(mut self, autocomplete: &'static str) -> Self {
        self.autocomplete = Some(autocomplete);
        self
    }

    pub fn hint(mut self, hint: &'static str) -> Self {
        self.hint = Some(hint);
        self
    }

    pub fn value(mut self, value: &str) -> Self {
        self.value = Some(value.to_string());
        self
    }

    pub fn required(mut self) -> Self {
        self.required = true;
        self
    }

    pub fn render(self) -> impl IntoView {
        let id = self.id;
        let problem = self.error.and_then(|e| e.message_for(id));
        let error_id = format!("{id}-error");
        let hint_id = format!("{id}-hint");
        let described: Vec<String> = self
            .hint
            .map(|_| hint_id.clone())
            .into_iter()
            .chain(problem.as_ref().map(|_| error_id.clone()))
            .collect();
        let described = (!described.is_empty()).then(|| described.join(" "));
        let invalid = problem.is_some().then_some("true");
        let has_error = problem.is_some();
        view! {
            <div class="field" class:has-error=has_error>
                <label for=id>{self.label}</label>
                {self.hint.map(|h| view! { <p class="hint" id=hint_id>{h}</p> })}
                {problem.map(|m| view! { <p class="field-error" id=error_id>{m}</p> })}
                <input type=self.kind id=id name=id autocomplete=self.autocomplete required=self.required
                    value=self.value aria-describedby=described aria-invalid=invalid/>
            </div>
        }
    }
}
