//! Server-side sessions: the cookie holds a random token, the database holds its hash, the
//! member it belongs to and when it was made and last used.
use super::db;
use super::model::{CurrentUser, Role};
use crate::error::AppResult;
use crate::server::token::{SecretToken, SESSION_TOKEN_BYTES};
use crate::server::{AppState, Config};
use http::HeaderMap;

/// Last-seen times are written at most this often, so reading pages does not mean writing.
const TOUCH_EVERY_SECS: i64 = 60;

/// Starts a new session (always a new id, so a planted cookie is never promoted) and
/// returns the `Set-Cookie` value that carries it.
pub async fn start(state: &AppState, user_id: &str) -> AppResult<String> {
    let token = SecretToken::generate(SESSION_TOKEN_BYTES)?;
    db::insert_session(&state.db, token.hash().as_str(), user_id, state.clock.now()).await?;
    Ok(cookie(
        &state.config,
        token.expose(),
        state.config.session_absolute_secs,
    ))
}

/// Ends the session named by the request's cookie and returns a cookie that clears it.
pub async fn end(state: &AppState, headers: &HeaderMap) -> AppResult<String> {
    if let Some(token) = session_token(&state.config, headers) {
        db::delete_session(&state.db, token.hash().as_str()).await?;
    }
    Ok(cookie(&state.config, "", 0))
}

/// The member whose live session the request carries, if any.
pub async fn current_user(state: &AppState, headers: &HeaderMap) -> AppResult<Option<CurrentUser>> {
    let Some(token) = session_token(&state.config, headers) else {
        return Ok(None);
    };
    let hash = token.hash();
    let Some(session) = db::fetch_session(&state.db, hash.as_str()).await? else {
        return Ok(None);
    };
    let now = state.clock.now();
    let config = &state.config;
    if now - session.last_seen_at > config.session_idle_secs
        || now - session.created_at > config.session_absolute_secs
    {
        db::delete_session(&state.db, hash.as_str()).await?;
        return Ok(None);
    }
    if now - session.last_seen_at >= TOUCH_EVERY_SECS {
        db::update_session_seen(&state.db, hash.as_str(), now).await?;
    }
    Ok(Some(CurrentUser {
        user_id: session.user_id,
        email: session.email,
        role: session.role.parse().unwrap_or(Role::Viewer),
    }))
}

fn session_token(config: &Config, headers: &HeaderMap) -> Option<SecretToken> {
    let value = cookie_value(headers, config.session_cookie_name())?;
    SecretToken::parse(&value, SESSION_TOKEN_BYTES)
}

/// The value of the named cookie across all `Cookie` headers.
pub fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_string())
}

/// The session cookie: never readable by script, not sent on cross-site subrequests, and
/// `Secure` with the `__Host-` prefix when served over TLS.
pub fn cookie(config: &Config, value: &str, max_age: i64) -> String {
    named_cookie(config, config.session_cookie_name(), "/", value, max_age)
}

/// A cookie of ours under `path`: `HttpOnly`, `SameSite=Lax` (a top-level navigation from
/// another site, such as the identity provider's redirect back, still carries it), and
/// `Secure` over TLS.
pub fn named_cookie(config: &Config, name: &str, path: &str, value: &str, max_age: i64) -> String {
    let secure = if config.secure_cookies() {
        "; Secure"
    } else {
        ""
    };
    format!("{name}={value}; Path={path}; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_https_site_gets_a_secure_host_prefixed_cookie() {
        let config = Config {
            base_url: "https://surveys.example.org".into(),
            ..Config::default()
        };
        let set = cookie(&config, "abc", 60);
        assert_eq!(
            set,
            "__Host-soundings_session=abc; Path=/; HttpOnly; SameSite=Lax; Max-Age=60; Secure"
        );
    }

    #[test]
    fn a_plain_http_site_gets_an_http_only_lax_cookie() {
        let set = cookie(&Config::default(), "abc", 60);
        assert_eq!(
            set,
            "soundings_session=abc; Path=/; HttpOnly; SameSite=Lax; Max-Age=60"
        );
    }

    #[test]
    fn the_session_cookie_is_found_among_others() {
        let mut headers = HeaderMap::new();
        headers.insert(
            http::header::COOKIE,
            "a=1; soundings_session=xyz; b=2".parse().unwrap(),
        );
        assert_eq!(
            cookie_value(&headers, "soundings_session").as_deref(),
            Some("xyz")
        );
        assert_eq!(cookie_value(&headers, "missing"), None);
    }
}
