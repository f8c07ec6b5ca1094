//! Two repairs of the HTML that Leptos (0.8.23) writes for team pages, so that every
//! page is valid HTML (the Nu HTML Checker's errors on `main`). None can be set in our use
//! of the framework, so the finished page is mended here, in one documented place:
//!
//! - The renderer marks places for hydration with `<!>`, which the HTML standard calls a
//!   bogus comment. A browser parses it as an empty comment node, exactly as it parses
//!   `<!---->`, the valid spelling written instead: hydration finds the same nodes. (`<!>`
//!   cannot occur otherwise: text and attributes are written with `<` escaped, and the
//!   resources serialised into scripts escape it as `\u003c`.)
//! - The resources a page resolved on the server are sent as inline scripts after
//!   `</html>`. The HTML parser moves anything there into the body; here they are put
//!   before `</body>` instead, which is where the parser would run them.
//!
//! Only responses that carry a script nonce in their CSP are touched (the pages Leptos
//! renders); team pages are rendered whole before they are sent (`SsrMode::Async`), so
//! reading the body in full delays nothing.
use axum::body::Body;
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::header::{CONTENT_LENGTH, CONTENT_SECURITY_POLICY, CONTENT_TYPE};
use http::StatusCode;

/// Larger than any team page (the communities page over a year is about 150 KB).
const MAX_PAGE_BYTES: usize = 16 * 1024 * 1024;

pub async fn repair_leptos_html(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    if !is_leptos_page(&response) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = match axum::body::to_bytes(body, MAX_PAGE_BYTES).await {
        Ok(bytes) => bytes,
        Err(error) => {
            tracing::error!(%error, "could not read a page to send it");
            return (StatusCode::INTERNAL_SERVER_ERROR, "Something went wrong.").into_response();
        }
    };
    let page = repair(&String::from_utf8_lossy(&bytes));
    parts.headers.remove(CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(page))
}

/// Whether the response is an HTML page whose script policy carries a nonce (`'nonce-…'`).
fn is_leptos_page(response: &Response) -> bool {
    let headers = response.headers();
    let html = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("text/html"));
    let nonced = headers
        .get(CONTENT_SECURITY_POLICY)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|policy| policy.contains("'nonce-"));
    html && nonced
}

/// The page with the repairs made; a page needing none comes back as it was.
pub fn repair(page: &str) -> String {
    let page = page.replace("<!>", "<!---->");
    let Some(end) = page.rfind("</html>") else {
        return page;
    };
    let (document, after) = (&page[..end], &page[end + "</html>".len()..]);
    if after.trim().is_empty() {
        return page;
    }
    match document.rfind("</body>") {
        Some(body_end) => format!(
            "{}{}{}</html>",
            &document[..body_end],
            after.trim_end(),
            &document[body_end..]
        ),
        None => page,
    }
}

#[cfg(test)]
mod tests {
    use super::repair;

    #[test]
    fn bogus_comments_are_spelled_validly_and_late_scripts_move_into_the_body() {
        let page = concat!(
            "<!DOCTYPE html><html><head>",
            r#"<script type="module" nonce="N0nce">go()</script>"#,
            "</head><body><main>Hi <!>there</main></body></html>",
            r#"<script nonce="N0nce">__RESOLVED_RESOURCES=[];</script>"#,
        );
        assert_eq!(
            repair(page),
            concat!(
                "<!DOCTYPE html><html><head>",
                r#"<script type="module" nonce="N0nce">go()</script>"#,
                "</head><body><main>Hi <!---->there</main>",
                r#"<script nonce="N0nce">__RESOLVED_RESOURCES=[];</script>"#,
                "</body></html>",
            )
        );
    }

    #[test]
    fn a_page_that_needs_no_repair_is_left_as_it_is() {
        let page = "<!DOCTYPE html><html><head></head><body><p>Hi</p></body></html>\n";
        assert_eq!(repair(page), page);
        assert_eq!(repair("not html"), "not html");
    }
}
