//! Redirects stay on this site. Without JavaScript, a server function sends the browser
//! back to the page its form was on, which Leptos takes from the `Referer` header as it
//! stands; a request carrying another site's address there would be sent on to it. Any
//! `Location` naming another host than the request's or `BASE_URL`'s (a proxy may rewrite
//! `Host`) becomes `/`, unless the handler marked it as leaving on purpose (`LeavesSite`:
//! single sign-on's way to the identity provider, an address from its own metadata).
use app::server::edge::LeavesSite;
use app::server::AppState;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use http::{header, HeaderValue};

pub async fn keep_redirects_on_site(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let mut response = next.run(request).await;
    let meant = response.extensions().get::<LeavesSite>().is_some();
    let off_site = !meant
        && response
            .headers()
            .get(header::LOCATION)
            .and_then(|l| l.to_str().ok())
            .is_some_and(|location| {
                is_off_site(location, &host) && is_off_site(location, base_host(&state))
            });
    if off_site {
        tracing::warn!("a redirect to another site was kept on this one");
        response
            .headers_mut()
            .insert(header::LOCATION, HeaderValue::from_static("/"));
    }
    response
}

/// The host part of `BASE_URL`, the public address people reach the site at.
fn base_host(state: &AppState) -> &str {
    let base = &state.config.base_url;
    let rest = base
        .split_once("://")
        .map_or(base.as_str(), |(_, rest)| rest);
    rest.split('/').next().unwrap_or_default()
}

/// Whether `location` leaves the site served as `host`: an absolute or scheme-relative
/// address naming another host, or anything with a scheme other than http(s).
fn is_off_site(location: &str, host: &str) -> bool {
    let location = location.trim();
    let rest = if let Some(rest) = location.strip_prefix("//") {
        rest
    } else if let Some((scheme, rest)) = location.split_once("://") {
        if !matches!(scheme.to_ascii_lowercase().as_str(), "http" | "https") {
            return true;
        }
        rest
    } else {
        // A path on this site, unless a backslash or scheme makes a browser read it otherwise.
        return location.starts_with("/\\") || location.contains(':') && !location.starts_with('/');
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    !authority.eq_ignore_ascii_case(host)
}

#[cfg(test)]
mod tests {
    use super::is_off_site;

    #[test]
    fn paths_and_this_host_stay_and_other_hosts_do_not() {
        let host = "127.0.0.1:3000";
        for on_site in [
            "/surveys",
            "/sign-in?x=1",
            "http://127.0.0.1:3000/surveys",
            "surveys",
        ] {
            assert!(!is_off_site(on_site, host), "{on_site}");
        }
        for off_site in [
            "https://evil.example/landing?",
            "//evil.example/",
            "/\\evil.example",
            "javascript:alert(1)",
            "http://127.0.0.1:3000@evil.example/",
        ] {
            assert!(is_off_site(off_site, host), "{off_site}");
        }
    }
}
