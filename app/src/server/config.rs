use super::token::ServerSecret;

/// Settings read from the environment at start-up (see docs/operator-guide.md#configuration).
#[derive(Debug, Clone)]
pub struct Config {
    /// Where people reach this instance, e.g. `https://surveys.example.org`; personal links
    /// are built from it and it decides whether cookies are `Secure`.
    pub base_url: String,
    /// A session ends after this many seconds without a request.
    pub session_idle_secs: i64,
    /// A session ends this many seconds after sign-in, however active.
    pub session_absolute_secs: i64,
    /// Failed sign-ins allowed per account within `throttle_window_secs`.
    pub throttle_per_account: i64,
    /// Failed sign-ins allowed per client address within `throttle_window_secs`.
    pub throttle_per_address: i64,
    pub throttle_window_secs: i64,
    /// Take the client address from the last `X-Forwarded-For` entry (only behind a proxy
    /// that sets it; otherwise anyone could pick their own address).
    pub trust_forwarded_for: bool,
    /// Argon2id memory cost in KiB and passes; lowered only by the test suite.
    pub argon2_memory_kib: u32,
    pub argon2_iterations: u32,
    /// Answers one client address may send through public links per hour.
    pub public_link_per_hour: u32,
    /// API calls one token may make per minute (per instance).
    pub api_calls_per_minute: u32,
    /// Respondent links that lead nowhere one client address may try per minute before
    /// every link is refused to it for a while (per instance).
    pub link_misses_per_minute: u32,
    /// How long readers share a survey's computed results, in milliseconds (0: never).
    pub results_cache_millis: u64,
    /// Contacts sent an invitation or reminder for another survey this recently are left
    /// out of a new selection unless the editor overrides it.
    pub quiet_period_days: i64,
    /// At most this many invitations and reminders reach one contact in 30 days (0: no cap).
    pub contact_cap_per_30_days: i64,
    /// Breakdown rows with fewer completed answers show no score (at least 2).
    pub small_group_min: i64,
    /// An anonymous survey's results appear once this many answers are in and then move
    /// only in steps of this many (at least 3).
    pub anonymous_step: i64,
    /// The satisfaction baseline's rolling window, in days.
    pub baseline_window_days: i64,
    /// Audit log entries older than this many days are removed.
    pub audit_retention_days: i64,
    /// Single sign-on through the team's OpenID Connect provider, when configured.
    pub sso: Option<crate::auth::sso::SsoConfig>,
    /// The team's time zone: schedules are typed and shown in it, and it is the sending
    /// window's zone for a community that names none.
    pub time_zone: crate::local_time::Zone,
    /// The sending window of a survey that sets none (None: any time).
    pub default_window: Option<crate::distribution::sending::window::SendingWindow>,
    /// The key personal-link and unsubscribe tokens are derived from.
    pub secret: ServerSecret,
    /// Whether mail really leaves (SMTP) or lands in the in-app development mailbox.
    pub mail_mode: MailMode,
    /// The sender, the relay, whether mail is signed and the DNS records to publish.
    pub mail_setup: crate::distribution::delivery::model::MailSetup,
}

/// Where the outbox delivers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailMode {
    Smtp,
    /// No `SMTP_URL`: mail is kept in the database for the team to read in the app.
    DevMailbox,
}

impl Config {
    pub fn protection(&self) -> crate::monitoring::model::Protection {
        crate::monitoring::model::Protection {
            small_group: self.small_group_min,
            anonymous_step: self.anonymous_step,
        }
    }

    /// Cookies get `Secure` and the `__Host-` prefix when the site is served over TLS.
    pub fn secure_cookies(&self) -> bool {
        self.base_url.starts_with("https://")
    }

    pub fn session_cookie_name(&self) -> &'static str {
        if self.secure_cookies() {
            "__Host-soundings_session"
        } else {
            "soundings_session"
        }
    }

    /// A team page: `path` starts with a slash.
    pub fn team_link(&self, path: &str) -> String {
        format!("{}{path}", self.base_url.trim_end_matches('/'))
    }

    /// The public link of a respondent token.
    pub fn survey_link(&self, token: &str) -> String {
        format!("{}/s/{token}", self.base_url.trim_end_matches('/'))
    }

    /// The unsubscribe page of an unsubscribe token.
    pub fn unsubscribe_link(&self, token: &str) -> String {
        format!("{}/u/{token}", self.base_url.trim_end_matches('/'))
    }

    /// A survey's anonymous public link.
    pub fn public_link(&self, token: &str) -> String {
        format!("{}/s/p/{token}", self.base_url.trim_end_matches('/'))
    }
}

impl Default for Config {
    fn default() -> Self {
        Self {
            base_url: "http://127.0.0.1:3000".into(),
            session_idle_secs: 12 * 3600,
            session_absolute_secs: 14 * 24 * 3600,
            throttle_per_account: 5,
            throttle_per_address: 20,
            throttle_window_secs: 15 * 60,
            trust_forwarded_for: false,
            argon2_memory_kib: 19 * 1024,
            argon2_iterations: 2,
            public_link_per_hour: 10,
            api_calls_per_minute: 600,
            link_misses_per_minute: 20,
            results_cache_millis: 2000,
            quiet_period_days: 30,
            contact_cap_per_30_days: 0,
            small_group_min: crate::monitoring::model::SMALL_GROUP,
            anonymous_step: crate::monitoring::model::ANONYMOUS_STEP,
            baseline_window_days: crate::monitoring::baseline_model::WINDOW_DAYS,
            audit_retention_days: 365,
            sso: None,
            time_zone: crate::local_time::Zone::utc(),
            default_window: crate::distribution::sending::window::SendingWindow::parse(
                crate::distribution::sending::window::DEFAULT,
            )
            .expect("the default window parses"),
            secret: ServerSecret::generate().expect("the OS random generator works"),
            mail_mode: MailMode::DevMailbox,
            mail_setup: Default::default(),
        }
    }
}
