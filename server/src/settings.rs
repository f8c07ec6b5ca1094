//! Configuration from environment variables, with defaults that need no set-up at all.
use anyhow::{bail, Context};
use app::server::Config;
use std::net::SocketAddr;
use std::path::PathBuf;

/// The default database: a SQLite file beside the working directory, created on first start.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/soundings.db";

/// Everything the server reads from its environment.
#[derive(Debug, Clone)]
pub struct Settings {
    pub database_url: String,
    pub listen: SocketAddr,
    /// A folder holding the built site (`pkg/` with the CSS, JS and WASM) to serve instead of
    /// the one a release binary carries (`LEPTOS_SITE_ROOT`).
    pub site_root: Option<PathBuf>,
    pub app: Config,
    pub max_connections: u32,
    /// Whether `BASE_URL` was given; if not, links use the address actually bound.
    pub base_url_given: bool,
    /// Where the key for personal-link tokens comes from.
    pub secret: SecretSource,
    pub mail: MailSettings,
    pub webhooks: WebhookSettings,
    /// The bearer token `/metrics` asks for; without one there is no `/metrics`.
    pub metrics_token: Option<Hidden>,
}

/// How the webhook worker delivers.
#[derive(Debug, Clone)]
pub struct WebhookSettings {
    pub concurrency: usize,
    /// The first retry waits this long, each next one twice as long, up to an hour.
    pub retry_base_secs: i64,
    /// Attempts before a delivery counts as failed (10: about four hours of retries).
    pub max_attempts: i64,
    pub timeout_secs: u64,
    pub poll_millis: u64,
}

impl Default for WebhookSettings {
    fn default() -> Self {
        Self {
            concurrency: 4,
            retry_base_secs: 30,
            max_attempts: 10,
            timeout_secs: 10,
            poll_millis: 2000,
        }
    }
}

/// `SECRET_KEY` itself, or the file that holds it (created on first start).
#[derive(Debug, Clone)]
pub enum SecretSource {
    /// The key as given; at least 32 characters. `Debug` hides it.
    Given(Hidden),
    File(PathBuf),
}

/// A secret string whose `Debug` shows nothing.
#[derive(Clone)]
pub struct Hidden(pub String);

impl std::fmt::Debug for Hidden {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("***")
    }
}

/// How the token is obtained: the settings `SMTP_OAUTH_*`.
#[derive(Debug, Clone)]
pub struct OauthSettings {
    /// `SMTP_OAUTH_TOKEN_URL`, e.g. `https://login.microsoftonline.com/<tenant>/oauth2/v2.0/token`
    /// or `https://oauth2.googleapis.com/token`.
    pub token_url: String,
    pub client_id: String,
    pub client_secret: Hidden,
    /// With a refresh token, the refresh-token grant; without, client credentials.
    pub refresh_token: Option<Hidden>,
    /// `SMTP_OAUTH_SCOPE`: what the token is for (client credentials need it, e.g.
    /// `https://outlook.office365.com/.default`).
    pub scope: Option<String>,
    /// `SMTP_USER`: the mailbox the token logs in as.
    pub user: String,
}

/// How the outbox sends mail.
#[derive(Debug, Clone)]
pub struct MailSettings {
    /// `smtp://`, `smtps://` or `smtp://...?tls=required`, with user and password if
    /// needed; `None` keeps mail in the development mailbox. `Debug` hides it (password).
    pub smtp_url: Option<Hidden>,
    /// The From of every message, e.g. `Product team <product@example.org>`.
    pub from: String,
    pub reply_to: Option<String>,
    /// The key that signs every message, when one is configured.
    pub dkim: Option<DkimSettings>,
    /// `BOUNCE_ADDRESS`, e.g. `bounces@example.org`: each message's return path becomes
    /// `bounces+<message id>@example.org` (VERP), and its `mailto:` unsubscribe too.
    pub bounce_address: Option<String>,
    /// The mailbox those return paths deliver to, read over IMAP.
    pub bounce_mailbox: Option<BounceMailbox>,
    /// XOAUTH2 login to the SMTP server instead of a password (`SMTP_OAUTH_*`).
    pub oauth: Option<OauthSettings>,
    /// Messages sent at once over the SMTP connection pool.
    pub concurrency: usize,
    /// Open a new SMTP connection for every message instead of reusing pooled ones (for
    /// relays that limit messages per connection, and to measure what pooling gains).
    pub connection_per_message: bool,
    /// At most this many messages a second.
    pub per_second: u32,
    /// The first retry after a temporary failure waits this long; each next one twice as
    /// long (with jitter), up to an hour.
    pub retry_base_secs: i64,
    /// Attempts before a message counts as failed.
    pub max_attempts: i64,
    /// How often the worker looks for due mail when nothing wakes it.
    pub poll_millis: u64,
    /// How often the worker queues the reminders that schedules make due.
    pub reminder_check_millis: u64,
}

/// The bounce mailbox: where delivery reports, complaints and unsubscribe mail arrive.
#[derive(Debug, Clone)]
pub struct BounceMailbox {
    /// `BOUNCE_IMAP_URL`: `imaps://user:password@host[:993][/FOLDER]`, or `imap://` without
    /// TLS (for a server on the same machine only). `Debug` hides it (password).
    pub url: Hidden,
    /// Where messages that were read are moved (`BOUNCE_IMAP_PROCESSED_FOLDER`).
    pub processed_folder: String,
    /// Where messages nobody could read are kept (`BOUNCE_IMAP_UNREADABLE_FOLDER`).
    pub unreadable_folder: String,
    /// How often the mailbox is read (`BOUNCE_POLL_SECONDS`, 60).
    pub poll_secs: u64,
}

/// Where the DKIM key is and what the signature names.
#[derive(Debug, Clone)]
pub struct DkimSettings {
    /// `DKIM_PRIVATE_KEY_FILE`: a PEM private key, RSA (2048 bits or more) or Ed25519.
    pub key_file: PathBuf,
    /// `DKIM_SELECTOR`, `soundings` unless set: the record lives at
    /// `<selector>._domainkey.<domain>`.
    pub selector: String,
    /// `DKIM_DOMAIN`; None signs for MAIL_FROM's domain, which DMARC alignment needs.
    pub domain: Option<String>,
}

impl Settings {
    /// Reads the process environment (and a `.env` file if present).
    pub fn from_env() -> anyhow::Result<Self> {
        Self::from_lookup(|key| std::env::var(key).ok())
    }

    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> anyhow::Result<Self> {
        let listen: SocketAddr = get("SOUNDINGS_ADDR")
            .or_else(|| get("LEPTOS_SITE_ADDR"))
            .unwrap_or_else(|| "127.0.0.1:3000".into())
            .parse()
            .context("SOUNDINGS_ADDR must be an address like 127.0.0.1:3000")?;
        let base_url_given = get("BASE_URL").is_some();
        let base_url = get("BASE_URL").unwrap_or_else(|| format!("http://{listen}"));
        if !(base_url.starts_with("http://") || base_url.starts_with("https://")) {
            bail!("BASE_URL must start with http:// or https://, got {base_url:?}");
        }
        let defaults = Config::default();
        let app = Config {
            base_url: base_url.trim_end_matches('/').to_string(),
            session_idle_secs: number(
                &get,
                "SESSION_IDLE_MINUTES",
                defaults.session_idle_secs / 60,
            )? * 60,
            session_absolute_secs: number(
                &get,
                "SESSION_MAX_HOURS",
                defaults.session_absolute_secs / 3600,
            )? * 3600,
            trust_forwarded_for: flag(&get, "TRUST_FORWARDED_FOR")?,
            quiet_period_days: number(&get, "QUIET_PERIOD_DAYS", defaults.quiet_period_days)?,
            // 0 is documented as "no cap", so it is a value, not a mistake.
            contact_cap_per_30_days: whole(
                &get,
                "CONTACT_CAP_PER_30_DAYS",
                defaults.contact_cap_per_30_days,
            )?,
            small_group_min: number(&get, "SMALL_GROUP_MIN", defaults.small_group_min)?.max(2),
            anonymous_step: number(&get, "ANONYMOUS_MIN_ANSWERS", defaults.anonymous_step)?.max(3),
            baseline_window_days: number(
                &get,
                "BASELINE_WINDOW_DAYS",
                defaults.baseline_window_days,
            )?
            .clamp(30, 3650),
            audit_retention_days: number(
                &get,
                "AUDIT_RETENTION_DAYS",
                defaults.audit_retention_days,
            )?
            .clamp(1, 36_500),
            sso: sso(&get)?,
            default_window: match get("DEFAULT_SENDING_WINDOW") {
                Some(text) => app::distribution::sending::window::SendingWindow::parse(&text)
                    .map_err(|message| anyhow::anyhow!("DEFAULT_SENDING_WINDOW: {message}"))?,
                None => defaults.default_window,
            },
            time_zone: match get("TEAM_TIME_ZONE") {
                Some(name) => app::local_time::Zone::parse(&name)
                    .map_err(|message| anyhow::anyhow!("TEAM_TIME_ZONE: {message}"))?,
                None => defaults.time_zone.clone(),
            },
            public_link_per_hour: number(
                &get,
                "PUBLIC_LINK_LIMIT_PER_HOUR",
                defaults.public_link_per_hour.into(),
            )?
            .try_into()
            .context("PUBLIC_LINK_LIMIT_PER_HOUR is too large")?,
            api_calls_per_minute: number(
                &get,
                "API_CALLS_PER_MINUTE",
                defaults.api_calls_per_minute.into(),
            )?
            .try_into()
            .context("API_CALLS_PER_MINUTE is too large")?,
            link_misses_per_minute: number(
                &get,
                "LINK_MISSES_PER_MINUTE",
                defaults.link_misses_per_minute.into(),
            )?
            .try_into()
            .context("LINK_MISSES_PER_MINUTE is too large")?,
            results_cache_millis: match get("RESULTS_CACHE_MILLIS").as_deref().map(str::trim) {
                Some("0") => 0,
                _ => number(
                    &get,
                    "RESULTS_CACHE_MILLIS",
                    defaults.results_cache_millis as i64,
                )? as u64,
            },
            ..defaults
        };
        let database_url = get("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.into());
        let pool_size = default_pool_size(&database_url);
        Ok(Self {
            max_connections: number(&get, "DATABASE_MAX_CONNECTIONS", pool_size)? as u32,
            database_url,
            listen,
            site_root: get("LEPTOS_SITE_ROOT").map(PathBuf::from),
            app,
            base_url_given,
            secret: secret_source(&get)?,
            mail: mail_settings(&get)?,
            webhooks: webhook_settings(&get)?,
            metrics_token: metrics_token(&get)?,
        })
    }
}

fn secret_source(get: &impl Fn(&str) -> Option<String>) -> anyhow::Result<SecretSource> {
    match get("SECRET_KEY") {
        Some(key) if key.len() >= 32 => Ok(SecretSource::Given(Hidden(key))),
        Some(_) => {
            bail!("SECRET_KEY must be at least 32 characters (e.g. `openssl rand -base64 32`)")
        }
        None => Ok(SecretSource::File(
            get("SECRET_KEY_FILE")
                .unwrap_or_else(|| "data/secret.key".into())
                .into(),
        )),
    }
}

fn metrics_token(get: &impl Fn(&str) -> Option<String>) -> anyhow::Result<Option<Hidden>> {
    match given(get, "METRICS_TOKEN") {
        Some(token) if token.len() >= 16 => Ok(Some(Hidden(token))),
        Some(_) => {
            bail!("METRICS_TOKEN must be at least 16 characters (e.g. `openssl rand -hex 16`)")
        }
        None => Ok(None),
    }
}

/// A setting that is set and not blank.
fn given(get: &impl Fn(&str) -> Option<String>, key: &str) -> Option<String> {
    get(key).filter(|v| !v.trim().is_empty())
}

fn mail_settings(get: &impl Fn(&str) -> Option<String>) -> anyhow::Result<MailSettings> {
    let smtp_url = given(get, "SMTP_URL");
    if let Some(url) = &smtp_url {
        if !(url.starts_with("smtp://") || url.starts_with("smtps://")) {
            bail!("SMTP_URL must start with smtp:// or smtps://");
        }
    }
    let bounce_address = given(get, "BOUNCE_ADDRESS");
    Ok(MailSettings {
        oauth: oauth_settings(get, smtp_url.as_deref())?,
        smtp_url: smtp_url.map(Hidden),
        from: get("MAIL_FROM").unwrap_or_else(|| "Soundings <soundings@localhost>".into()),
        reply_to: given(get, "MAIL_REPLY_TO"),
        bounce_mailbox: bounce_mailbox(get, bounce_address.is_some())?,
        bounce_address,
        dkim: given(get, "DKIM_PRIVATE_KEY_FILE").map(|file| DkimSettings {
            key_file: file.into(),
            selector: given(get, "DKIM_SELECTOR").unwrap_or_else(|| "soundings".into()),
            domain: given(get, "DKIM_DOMAIN"),
        }),
        concurrency: number(get, "MAIL_CONCURRENCY", 8)? as usize,
        connection_per_message: flag(get, "MAIL_CONNECTION_PER_MESSAGE")?,
        per_second: number(get, "MAIL_PER_SECOND", 50)?
            .try_into()
            .context("MAIL_PER_SECOND is too large")?,
        retry_base_secs: number(get, "MAIL_RETRY_BASE_SECONDS", 60)?,
        max_attempts: number(get, "MAIL_MAX_ATTEMPTS", 8)?,
        poll_millis: 2000,
        // How late a survey may open, send or close after its time, and a scheduled
        // reminder go out: at most this long.
        reminder_check_millis: number(get, "SCHEDULE_CHECK_SECONDS", 60)?.clamp(1, 3600) as u64
            * 1000,
    })
}

/// A percent-encoded part of a URL setting (a user, password or folder), decoded.
pub fn url_part(text: &str, setting: &str) -> anyhow::Result<String> {
    Ok(percent_encoding::percent_decode_str(text)
        .decode_utf8()
        .with_context(|| format!("{setting}'s user, password or path is not valid UTF-8"))?
        .into_owned())
}

fn bounce_mailbox(
    get: &impl Fn(&str) -> Option<String>,
    bounce_address_given: bool,
) -> anyhow::Result<Option<BounceMailbox>> {
    let Some(url) = given(get, "BOUNCE_IMAP_URL") else {
        return Ok(None);
    };
    if !(url.starts_with("imaps://") || url.starts_with("imap://")) {
        bail!("BOUNCE_IMAP_URL must start with imaps:// (or imap:// on this machine)");
    }
    if !bounce_address_given {
        bail!("BOUNCE_IMAP_URL needs BOUNCE_ADDRESS, the address whose mail that mailbox receives");
    }
    Ok(Some(BounceMailbox {
        url: Hidden(url),
        processed_folder: given(get, "BOUNCE_IMAP_PROCESSED_FOLDER")
            .unwrap_or_else(|| "Soundings-processed".into()),
        unreadable_folder: given(get, "BOUNCE_IMAP_UNREADABLE_FOLDER")
            .unwrap_or_else(|| "Soundings-unreadable".into()),
        poll_secs: number(get, "BOUNCE_POLL_SECONDS", 60)?.clamp(1, 3600) as u64,
    }))
}

fn oauth_settings(
    get: &impl Fn(&str) -> Option<String>,
    smtp_url: Option<&str>,
) -> anyhow::Result<Option<OauthSettings>> {
    let given = |key: &str| given(get, key);
    let Some(token_url) = given("SMTP_OAUTH_TOKEN_URL") else {
        return Ok(None);
    };
    if !(token_url.starts_with("https://") || token_url.starts_with("http://127.0.0.1")) {
        bail!("SMTP_OAUTH_TOKEN_URL must be an https:// address");
    }
    if smtp_url.is_some_and(|url| reqwest::Url::parse(url).is_ok_and(|u| u.password().is_some())) {
        bail!("SMTP_URL carries a password and SMTP_OAUTH_TOKEN_URL is set: use one or the other");
    }
    let need =
        |key: &str| given(key).with_context(|| format!("SMTP_OAUTH_TOKEN_URL needs {key} as well"));
    Ok(Some(OauthSettings {
        token_url,
        client_id: need("SMTP_OAUTH_CLIENT_ID")?,
        client_secret: Hidden(need("SMTP_OAUTH_CLIENT_SECRET")?),
        refresh_token: given("SMTP_OAUTH_REFRESH_TOKEN").map(Hidden),
        scope: given("SMTP_OAUTH_SCOPE"),
        user: need("SMTP_USER")?,
    }))
}

fn webhook_settings(get: &impl Fn(&str) -> Option<String>) -> anyhow::Result<WebhookSettings> {
    let defaults = WebhookSettings::default();
    Ok(WebhookSettings {
        retry_base_secs: number(get, "WEBHOOK_RETRY_BASE_SECONDS", defaults.retry_base_secs)?,
        max_attempts: number(get, "WEBHOOK_MAX_ATTEMPTS", defaults.max_attempts)?,
        timeout_secs: number(get, "WEBHOOK_TIMEOUT_SECONDS", defaults.timeout_secs as i64)? as u64,
        ..defaults
    })
}

/// SQLite runs each connection's queries on a thread of its own and commits one writer at
/// a time, so connections beyond the cores add thread switches and busy waits, not work.
/// Measured on the 2-core benchmark machine (BENCHMARKS.md, stop 16): 10 connections served
/// 7,956 pages or 2,305 answers a second, 2 connections 9,470 and 2,975, and the summary's
/// p99 while answers arrived fell from 282 to 16 ms. PostgreSQL's connections wait on the
/// network and on the server's own processes, so it keeps 10.
fn default_pool_size(database_url: &str) -> i64 {
    if app::db::Backend::of_url(database_url) == app::db::Backend::Sqlite {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get() as i64);
        cores.clamp(2, 8)
    } else {
        10
    }
}

fn number(get: &impl Fn(&str) -> Option<String>, key: &str, default: i64) -> anyhow::Result<i64> {
    match get(key) {
        None => Ok(default),
        Some(v) => match v.trim().parse::<i64>() {
            Ok(n) if n > 0 => Ok(n),
            _ => bail!("{key} must be a positive whole number, got {v:?}"),
        },
    }
}

/// A whole number, zero included.
fn whole(get: &impl Fn(&str) -> Option<String>, key: &str, default: i64) -> anyhow::Result<i64> {
    match get(key) {
        None => Ok(default),
        Some(v) => match v.trim().parse::<i64>() {
            Ok(n) if n >= 0 => Ok(n),
            _ => bail!("{key} must be a whole number (0 or more), got {v:?}"),
        },
    }
}

/// Single sign-on, when `OIDC_ISSUER` is set: it then needs the client's id and secret.
fn sso(get: &impl Fn(&str) -> Option<String>) -> anyhow::Result<Option<app::auth::sso::SsoConfig>> {
    let Some(issuer) = get("OIDC_ISSUER").filter(|v| !v.trim().is_empty()) else {
        if flag(get, "OIDC_ONLY")? {
            bail!("OIDC_ONLY turns password sign-in off, so it needs OIDC_ISSUER too");
        }
        return Ok(None);
    };
    let required = |key: &str| {
        get(key)
            .filter(|v| !v.trim().is_empty())
            .with_context(|| format!("OIDC_ISSUER is set, so {key} is needed too"))
    };
    let issuer = issuer.trim().trim_end_matches('/').to_string();
    if !(issuer.starts_with("https://")
        || issuer.starts_with("http://127.0.0.1")
        || issuer.starts_with("http://localhost"))
    {
        bail!("OIDC_ISSUER must be an https:// address (http:// only on this machine), got {issuer:?}");
    }
    let default_role = match get("OIDC_DEFAULT_ROLE") {
        Some(role) => role
            .parse::<app::auth::model::Role>()
            .map_err(|m| anyhow::anyhow!("OIDC_DEFAULT_ROLE: {m}"))?,
        None => app::auth::model::Role::Viewer,
    };
    let allowed_domains = get("OIDC_ALLOWED_DOMAINS")
        .unwrap_or_default()
        .split([',', ' '])
        .map(|d| d.trim().trim_start_matches('@').to_ascii_lowercase())
        .filter(|d| !d.is_empty())
        .collect();
    let break_glass = match get("OIDC_BREAK_GLASS_ADMIN").filter(|v| !v.trim().is_empty()) {
        Some(email) => Some(
            app::email::EmailAddress::parse(&email)
                .map_err(|m| anyhow::anyhow!("OIDC_BREAK_GLASS_ADMIN: {m}"))?
                .as_str()
                .to_string(),
        ),
        None => None,
    };
    let only = flag(get, "OIDC_ONLY")?;
    if only && break_glass.is_none() {
        bail!("OIDC_ONLY needs OIDC_BREAK_GLASS_ADMIN: an admin who can still sign in with a password when the identity provider is down");
    }
    Ok(Some(app::auth::sso::SsoConfig {
        issuer,
        client_id: required("OIDC_CLIENT_ID")?,
        client_secret: required("OIDC_CLIENT_SECRET")?,
        name: get("OIDC_NAME")
            .filter(|v| !v.trim().is_empty())
            .unwrap_or_else(|| "your organisation's account".into()),
        allowed_domains,
        default_role,
        only,
        break_glass,
        trust_domain_emails: flag(get, "OIDC_TRUST_DOMAIN_EMAILS")?,
    }))
}

fn flag(get: &impl Fn(&str) -> Option<String>, key: &str) -> anyhow::Result<bool> {
    match get(key).as_deref().map(str::trim) {
        None | Some("") | Some("0") | Some("false") => Ok(false),
        Some("1") | Some("true") => Ok(true),
        Some(other) => bail!("{key} must be true or false, got {other:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn settings(pairs: &[(&str, &str)]) -> anyhow::Result<Settings> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Settings::from_lookup(|k| map.get(k).cloned())
    }

    const PROVIDER: [(&str, &str); 3] = [
        ("OIDC_ISSUER", "https://accounts.google.com/"),
        ("OIDC_CLIENT_ID", "id"),
        ("OIDC_CLIENT_SECRET", "secret"),
    ];

    #[test]
    fn single_sign_on_is_off_unless_an_issuer_is_given_and_then_needs_its_client() {
        assert!(settings(&[]).unwrap().app.sso.is_none());
        let sso = settings(&PROVIDER).unwrap().app.sso.unwrap();
        assert_eq!(sso.issuer, "https://accounts.google.com");
        assert_eq!(sso.default_role, app::auth::model::Role::Viewer);
        assert!(sso.allows_password("anyone@example.org"));
        assert!(settings(&PROVIDER[..2]).is_err(), "no client secret");
        assert!(settings(&[
            ("OIDC_ISSUER", "http://idp.example.org"),
            PROVIDER[1],
            PROVIDER[2]
        ])
        .is_err());
    }

    #[test]
    fn single_sign_on_only_needs_a_break_glass_admin_who_alone_keeps_a_password() {
        let only = [PROVIDER[0], PROVIDER[1], PROVIDER[2], ("OIDC_ONLY", "true")];
        assert!(settings(&only).is_err());
        assert!(
            settings(&[("OIDC_ONLY", "true")]).is_err(),
            "no provider at all"
        );
        let mut with_admin = only.to_vec();
        with_admin.push(("OIDC_BREAK_GLASS_ADMIN", "Root@Example.org"));
        let sso = settings(&with_admin).unwrap().app.sso.unwrap();
        assert!(sso.allows_password("root@example.org"));
        assert!(!sso.allows_password("editor@example.org"));
    }

    #[test]
    fn small_groups_and_the_baseline_window_have_defaults_and_bounds() {
        assert_eq!(settings(&[]).unwrap().app.small_group_min, 3);
        assert_eq!(
            settings(&[("SMALL_GROUP_MIN", "5")])
                .unwrap()
                .app
                .small_group_min,
            5
        );
        assert_eq!(
            settings(&[("SMALL_GROUP_MIN", "1")])
                .unwrap()
                .app
                .small_group_min,
            2
        );
        assert!(settings(&[("SMALL_GROUP_MIN", "few")]).is_err());
        assert_eq!(settings(&[]).unwrap().app.anonymous_step, 5);
        let step = |value: &'static str| {
            settings(&[("ANONYMOUS_MIN_ANSWERS", value)])
                .map(|s| s.app.anonymous_step)
                .ok()
        };
        assert_eq!(
            (step("8"), step("1"), step("many")),
            (Some(8), Some(3), None)
        );
        assert_eq!(settings(&[]).unwrap().app.baseline_window_days, 365);
        assert_eq!(
            settings(&[("BASELINE_WINDOW_DAYS", "5")])
                .unwrap()
                .app
                .baseline_window_days,
            30
        );
    }

    #[test]
    fn sqlite_pools_follow_the_cores_and_postgres_keeps_ten_unless_told() {
        let sqlite = settings(&[("DATABASE_URL", "sqlite://data/soundings.db")]).unwrap();
        assert!((2..=8).contains(&sqlite.max_connections));
        let postgres = settings(&[("DATABASE_URL", "postgres://db/soundings")]).unwrap();
        assert_eq!(postgres.max_connections, 10);
        let told = [
            ("DATABASE_URL", "sqlite://x.db"),
            ("DATABASE_MAX_CONNECTIONS", "12"),
        ];
        assert_eq!(settings(&told).unwrap().max_connections, 12);
        assert!(settings(&[("DATABASE_MAX_CONNECTIONS", "0")]).is_err());
    }

    #[test]
    fn the_results_cache_and_link_throttle_have_defaults_and_the_cache_can_be_off() {
        let defaults = settings(&[]).unwrap();
        assert_eq!(defaults.app.results_cache_millis, 2000);
        assert_eq!(defaults.app.link_misses_per_minute, 20);
        assert!(!defaults.mail.connection_per_message);
        let set = settings(&[
            ("RESULTS_CACHE_MILLIS", "0"),
            ("LINK_MISSES_PER_MINUTE", "5"),
            ("MAIL_CONNECTION_PER_MESSAGE", "true"),
        ])
        .unwrap();
        assert_eq!(set.app.results_cache_millis, 0);
        assert_eq!(set.app.link_misses_per_minute, 5);
        assert!(set.mail.connection_per_message);
        assert!(settings(&[("RESULTS_CACHE_MILLIS", "-1")]).is_err());
        assert!(settings(&[("LINK_MISSES_PER_MINUTE", "0")]).is_err());
    }

    #[test]
    fn with_no_environment_the_app_uses_sqlite_on_port_3000() {
        let s = settings(&[]).unwrap();
        assert_eq!(s.database_url, "sqlite://data/soundings.db");
        assert_eq!(s.listen.to_string(), "127.0.0.1:3000");
        assert_eq!(s.app.base_url, "http://127.0.0.1:3000");
        assert!(!s.app.secure_cookies());
    }

    #[test]
    fn an_https_base_url_turns_on_secure_cookies() {
        let s = settings(&[("BASE_URL", "https://surveys.example.org/")]).unwrap();
        assert_eq!(s.app.base_url, "https://surveys.example.org");
        assert!(s.app.secure_cookies());
    }

    #[test]
    fn a_contact_cap_of_zero_means_no_cap_as_documented() {
        assert_eq!(settings(&[]).unwrap().app.contact_cap_per_30_days, 0);
        let off = settings(&[("CONTACT_CAP_PER_30_DAYS", "0")]).unwrap();
        assert_eq!(off.app.contact_cap_per_30_days, 0);
        let error = settings(&[("CONTACT_CAP_PER_30_DAYS", "-1")]).unwrap_err();
        assert!(error.to_string().contains("CONTACT_CAP_PER_30_DAYS"));
    }

    #[test]
    fn bad_values_are_refused_with_the_variable_named() {
        let error = settings(&[("SESSION_IDLE_MINUTES", "soon")]).unwrap_err();
        assert!(error.to_string().contains("SESSION_IDLE_MINUTES"));
        assert!(settings(&[("BASE_URL", "surveys.example.org")]).is_err());
        assert!(settings(&[("TRUST_FORWARDED_FOR", "maybe")]).is_err());
    }
}
