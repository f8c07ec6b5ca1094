//! Cross-site request refusal and the security headers every response carries.
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{header, HeaderMap, HeaderValue, Method, StatusCode};

/// Refuses any state-changing request that a browser sent from another site. Follows the
/// approach of Go's `CrossOriginProtection`: trust `Sec-Fetch-Site` where the browser sends
/// it, else compare `Origin` with `Host`; a request with neither did not come from a
/// browser page, so it cannot be riding a visitor's cookie.
pub async fn refuse_cross_site(request: Request, next: Next) -> Response {
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    // The API authenticates with a bearer token only, never a cookie, so a request from
    // another site carries no authority it did not bring itself.
    let api = request.uri().path().starts_with("/api/");
    if safe || api || !is_cross_site(request.headers()) {
        return next.run(request).await;
    }
    tracing::warn!(path = %crate::telemetry::redacted_path(request.uri().path()), "cross-site request refused");
    (
        StatusCode::FORBIDDEN,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "This request came from another site, so it was refused. Go back to Soundings and try again from there.",
    )
        .into_response()
}

/// Whether a request's own headers say it was sent from another origin.
pub fn is_cross_site(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site") {
        return !matches!(site.as_bytes(), b"same-origin" | b"none");
    }
    let Some(origin) = headers.get(header::ORIGIN) else {
        return false;
    };
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    let origin_host = origin
        .to_str()
        .ok()
        .and_then(|o| o.split_once("://"))
        .map(|(_, rest)| rest);
    match (origin_host, host) {
        (Some(origin_host), Some(host)) => !origin_host.eq_ignore_ascii_case(host),
        _ => true,
    }
}

/// The policy for responses that set none of their own: nothing may run or be framed.
const DEFAULT_CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self'; \
     form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// Adds the headers every response needs; a handler's own stricter values are kept.
pub async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    // A page that names who may frame it (a survey's panel in the team's product) says so
    // in its own policy; `X-Frame-Options` knows no list of origins, so it is left out there.
    let framing = if names_its_framers(headers) {
        None
    } else {
        Some((header::X_FRAME_OPTIONS, "DENY"))
    };
    let defaults = [
        (header::CONTENT_SECURITY_POLICY, DEFAULT_CSP),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
    ];
    for (name, value) in defaults.into_iter().chain(framing) {
        headers
            .entry(name)
            .or_insert(HeaderValue::from_static(value));
    }
    headers
        .entry("cross-origin-opener-policy")
        .or_insert(HeaderValue::from_static("same-origin"));
    response
}

/// Whether the response's own policy lets some origin frame it.
fn names_its_framers(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_SECURITY_POLICY)
        .and_then(|v| v.to_str().ok())
        .and_then(|csp| {
            csp.split(';')
                .map(str::trim)
                .find_map(|d| d.strip_prefix("frame-ancestors "))
        })
        .is_some_and(|sources| sources.trim() != "'none'")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        pairs
            .iter()
            .map(|(k, v)| {
                (
                    http::HeaderName::from_static(k),
                    HeaderValue::from_static(v),
                )
            })
            .collect()
    }

    #[test]
    fn a_same_origin_fetch_is_allowed() {
        assert!(!is_cross_site(&headers(&[(
            "sec-fetch-site",
            "same-origin"
        )])));
        assert!(!is_cross_site(&headers(&[("sec-fetch-site", "none")])));
    }

    #[test]
    fn a_cross_site_or_same_site_fetch_is_refused() {
        assert!(is_cross_site(&headers(&[("sec-fetch-site", "cross-site")])));
        assert!(is_cross_site(&headers(&[("sec-fetch-site", "same-site")])));
    }

    #[test]
    fn without_fetch_metadata_the_origin_must_match_the_host() {
        let same = headers(&[
            ("origin", "http://127.0.0.1:3000"),
            ("host", "127.0.0.1:3000"),
        ]);
        let other = headers(&[
            ("origin", "https://evil.example"),
            ("host", "127.0.0.1:3000"),
        ]);
        let null = headers(&[("origin", "null"), ("host", "127.0.0.1:3000")]);
        assert!(!is_cross_site(&same));
        assert!(is_cross_site(&other));
        assert!(is_cross_site(&null));
    }

    #[test]
    fn a_request_with_neither_header_is_not_from_a_browser_page() {
        assert!(!is_cross_site(&headers(&[("host", "127.0.0.1:3000")])));
    }
}
