//! Structured logs. Paths are logged with personal tokens cut out, and query strings
//! (which may carry them too) are never logged.
use tracing_subscriber::{fmt, EnvFilter};

/// Starts logging to stderr; `RUST_LOG` picks the level, `LOG_FORMAT=json` the format.
pub fn init() {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=info"));
    let builder = fmt().with_env_filter(filter).with_writer(std::io::stderr);
    let result = if std::env::var("LOG_FORMAT").as_deref() == Ok("json") {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
    // A second call (tests start many servers in one process) keeps the first subscriber.
    let _ = result;
}

/// The path with the secret part of respondent, unsubscribe, digest-stop and account
/// (password reset, invitation) links replaced.
pub fn redacted_path(path: &str) -> String {
    // A digest's stop link: the member's id may show, its token may not.
    if let Some(rest) = path.strip_prefix("/digest/stop/") {
        let member = rest.split('/').next().unwrap_or_default();
        return format!("/digest/stop/{member}/[token]");
    }
    for prefix in ["/s/", "/u/", "/password/"] {
        if let Some(rest) = path.strip_prefix(prefix) {
            let tail = rest.find('/').map(|i| &rest[i..]).unwrap_or("");
            return format!("{prefix}[token]{tail}");
        }
    }
    path.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn respondent_tokens_never_reach_the_log() {
        assert_eq!(redacted_path("/s/abcDEF123_-xyz"), "/s/[token]");
        assert_eq!(redacted_path("/u/abc/confirm"), "/u/[token]/confirm");
        assert_eq!(redacted_path("/surveys/42"), "/surveys/42");
        assert_eq!(redacted_path("/password/resetTOKEN"), "/password/[token]");
        assert_eq!(
            redacted_path("/digest/stop/member-1/secretTOKEN"),
            "/digest/stop/member-1/[token]"
        );
    }
}
