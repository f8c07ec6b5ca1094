//! The in-product channel's settings and counts, as the Send step and the API show them,
//! and the parsing of what an editor types into them.
use crate::error::{AppError, FieldError};
use serde::{Deserialize, Serialize};

/// Origins an editor may list for one survey: enough for a product, its staging copy and
/// a few regional hosts, few enough that the header stays short.
pub const MAX_ORIGINS: usize = 10;
/// A closed panel stays away at least a day and at most a year.
pub const SNOOZE_DAYS: std::ops::RangeInclusive<i64> = 1..=365;
pub const DEFAULT_SNOOZE_DAYS: i64 = 14;

/// The survey's in-product channel as the Send step shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InProduct {
    /// The key in the snippet; `None` while the channel is off.
    pub key: Option<String>,
    /// The signing secret, for editors only (viewers get `None`).
    pub secret: Option<String>,
    /// Origins that may show the panel, e.g. `https://app.example.com`.
    pub origins: Vec<String>,
    pub snooze_days: i64,
    /// This instance's address, which the snippets load from.
    pub base_url: String,
    pub counts: ChannelCounts,
}

/// What the in-product channel did for one survey, from the invitation ledger.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChannelCounts {
    /// People the panel was shown to at least once.
    pub shown: i64,
    /// Of those, how many closed it without finishing (their last close counts).
    pub dismissed: i64,
    /// Responses completed from the panel.
    pub completed: i64,
    /// An anonymous survey shown to fewer people than the small-group minimum: who closed
    /// it and who answered in it are not shown (they would say who answered).
    pub hidden: bool,
}

impl ChannelCounts {
    /// Completed from the panel / shown the panel, in percent; `None` before anyone saw it.
    pub fn rate(&self) -> Option<f64> {
        (self.shown > 0 && !self.hidden).then(|| 100.0 * self.completed as f64 / self.shown as f64)
    }
}

/// An origin a survey's panel may be framed by: scheme, host and optional port, nothing
/// else. The value goes into a `Content-Security-Policy` header, so anything that could
/// end the directive (`;`, spaces, quotes) is refused rather than escaped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrameOrigin(String);

impl FrameOrigin {
    pub fn parse(input: &str) -> Result<Self, String> {
        let text = input.trim().trim_end_matches('/').to_ascii_lowercase();
        let problem = || {
            format!("“{}” is not an origin: write it as https://app.example.com (scheme, host and port only; plain http only for localhost).", input.trim())
        };
        let (scheme, rest) = text.split_once("://").ok_or_else(problem)?;
        if scheme != "https" && scheme != "http" {
            return Err(problem());
        }
        let (host, port) = match rest.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (rest, None),
        };
        let wildcard = host.starts_with("*.");
        let bare = host.strip_prefix("*.").unwrap_or(host);
        // A wildcard names the subdomains of one site (`*.example.com`), never of a whole
        // top-level domain; plain http is for a product running on this machine only.
        let local = matches!(bare, "localhost" | "127.0.0.1");
        let scheme_ok = scheme == "https" || local;
        let wildcard_ok = !wildcard || bare.split('.').count() >= 2;
        let host_ok = scheme_ok
            && wildcard_ok
            && !bare.is_empty()
            && bare.len() <= 253
            && bare.split('.').all(|label| {
                !label.is_empty()
                    && label
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-')
            });
        let port_ok = port
            .is_none_or(|p| !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit()));
        if !host_ok || !port_ok {
            return Err(problem());
        }
        Ok(Self(text))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The origins as typed (one a line, or separated by spaces or commas), each checked; every
/// problem is reported at once under `field`.
pub fn parse_origins(field: &str, text: &str) -> Result<Vec<FrameOrigin>, AppError> {
    let pieces: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|p| !p.is_empty())
        .collect();
    parse_origin_list(field, &pieces)
}

/// The origins as a list (the API's), each item one origin: an empty item is an error, not
/// nothing, and more than `MAX_ORIGINS` items are refused however many are repeats.
pub fn parse_origin_list(field: &str, pieces: &[&str]) -> Result<Vec<FrameOrigin>, AppError> {
    let mut origins: Vec<FrameOrigin> = Vec::new();
    let mut errors = Vec::new();
    if pieces.len() > MAX_ORIGINS {
        errors.push(FieldError::new(
            field,
            format!("List at most {MAX_ORIGINS} origins."),
        ));
    }
    for piece in pieces.iter().copied() {
        match FrameOrigin::parse(piece) {
            Ok(origin) if !origins.contains(&origin) => origins.push(origin),
            Ok(_) => {}
            Err(message) => errors.push(FieldError::new(field, message)),
        }
    }
    if errors.is_empty() {
        Ok(origins)
    } else {
        Err(AppError::Validation(errors))
    }
}

/// Days a closed panel stays away, within `SNOOZE_DAYS`.
pub fn parse_snooze_days(field: &str, days: i64) -> Result<i64, AppError> {
    if SNOOZE_DAYS.contains(&days) {
        Ok(days)
    } else {
        Err(AppError::field(
            field,
            format!(
                "Choose between {} and {} days.",
                SNOOZE_DAYS.start(),
                SNOOZE_DAYS.end()
            ),
        ))
    }
}

/// The three ways to put the survey in a product, for the snippet box. `{{email}}` and
/// `{{signature}}` are filled in by the team's own server for each signed-in user.
pub fn snippets(base_url: &str, key: &str) -> Snippets {
    let base = base_url.trim_end_matches('/');
    Snippets {
        script: format!(
            "<script src=\"{base}/widget.js\" data-survey=\"{key}\" data-email=\"{{{{email}}}}\" data-signature=\"{{{{signature}}}}\" async></script>"
        ),
        iframe: format!(
            "<iframe src=\"{base}/w/{key}?email={{{{email, URL-encoded}}}}&amp;signature={{{{signature}}}}\" title=\"Feedback survey\" width=\"380\" height=\"480\"></iframe>"
        ),
        link: format!(
            "<a href=\"{base}/w/{key}/open?email={{{{email, URL-encoded}}}}&amp;signature={{{{signature}}}}\">Tell us what you think</a>"
        ),
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippets {
    /// One script tag: the panel, dismissible, for pages that allow our script.
    pub script: String,
    /// For pages that allow no third-party script: the same panel in a frame.
    pub iframe: String,
    /// Without JavaScript on the host page: a link to the person's own survey page.
    pub link: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_origin_keeps_its_scheme_host_and_port_only() {
        let origin = FrameOrigin::parse(" https://App.Example.com:8443/ ").map(|o| o.0);
        assert_eq!(origin.as_deref(), Ok("https://app.example.com:8443"));
        assert!(FrameOrigin::parse("https://*.example.com").is_ok());
        assert!(FrameOrigin::parse("http://127.0.0.1:4000").is_ok());
        assert!(FrameOrigin::parse("http://localhost:3199").is_ok());
    }

    #[test]
    fn an_origin_that_could_end_the_header_directive_is_refused() {
        for bad in [
            "https://a.example.com; script-src *",
            "https://a.example.com'",
            "*",
            "javascript:alert(1)",
            "https://a.example.com/path",
            "https://",
            "ftp://a.example.com",
            "https://a..example.com",
            "https://a.example.com:99999x",
            "https://*.com",
            "http://app.example.com",
        ] {
            assert!(FrameOrigin::parse(bad).is_err(), "{bad} was accepted");
        }
    }

    #[test]
    fn every_bad_origin_is_reported_at_once() {
        let Err(AppError::Validation(errors)) =
            parse_origins("origins", "https://ok.example.com bad, also-bad")
        else {
            panic!("accepted")
        };
        assert_eq!(errors.len(), 2);
        let many: Vec<String> = (0..11)
            .map(|i| format!("https://h{i}.example.com"))
            .collect();
        assert!(parse_origins("origins", &many.join("\n")).is_err());
        assert_eq!(parse_origins("origins", "").map(|o| o.len()), Ok(0));
        let blanks = vec![""; 11];
        assert!(
            parse_origin_list("origins", &blanks).is_err(),
            "eleven empty items are eleven bad origins, not none"
        );
        assert!(parse_origin_list("origins", &[""]).is_err());
    }

    #[test]
    fn the_snooze_is_between_a_day_and_a_year() {
        assert!(parse_snooze_days("d", 0).is_err());
        assert!(parse_snooze_days("d", 366).is_err());
        assert_eq!(parse_snooze_days("d", 14), Ok(14));
    }

    #[test]
    fn the_panel_rate_is_completions_over_people_shown() {
        let counts = ChannelCounts {
            shown: 8,
            dismissed: 3,
            completed: 2,
            hidden: false,
        };
        assert_eq!(counts.rate(), Some(25.0));
        assert_eq!(ChannelCounts::default().rate(), None);
    }
}
