//! `TestApp`: a running Soundings plus a client that behaves like a same-origin browser.
use app::db::Db;
use reqwest::header::{HeaderMap, HeaderValue, COOKIE, LOCATION, SET_COOKIE};
use reqwest::{Response, StatusCode};
use server::settings::Settings;
use server::startup::Application;
use std::sync::Mutex;

/// Runs each named test, an `async fn name(app: TestApp)` beside the call, twice: as
/// `sqlite::name` and `postgres::name`, each on a fresh app and database. The tests are
/// plain functions, so rustfmt formats them.
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[tokio::test]
            async fn $name() {
                let app = crate::helpers::TestApp::spawn(crate::helpers::Backend::Sqlite).await;
                super::$name(app).await
            })*
        }
        mod postgres {
            $(#[tokio::test]
            async fn $name() {
                let app = crate::helpers::TestApp::spawn(crate::helpers::Backend::Postgres).await;
                super::$name(app).await
            })*
        }
    };
}
pub(crate) use on_both_backends;

/// Like `on_both_backends`, for tests that start their own app (with settings of their
/// own): each `async fn name(backend: Backend)` runs as `sqlite::name` and `postgres::name`.
macro_rules! with_each_backend {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[tokio::test]
            async fn $name() {
                super::$name(crate::helpers::Backend::Sqlite).await
            })*
        }
        mod postgres {
            $(#[tokio::test]
            async fn $name() {
                super::$name(crate::helpers::Backend::Postgres).await
            })*
        }
    };
}
pub(crate) use with_each_backend;

pub enum Backend {
    Sqlite,
    Postgres,
}

pub const ADMIN_EMAIL: &str = "admin@example.org";
pub const PASSWORD: &str = "a long enough passphrase";

pub struct TestApp {
    pub address: String,
    pub db: Db,
    /// The app's clock: `advance_clock` lets time pass for it.
    pub clock: app::clock::Clock,
    pub database_url: String,
    client: reqwest::Client,
    cookie: Mutex<Option<String>>,
    server: tokio::task::JoinHandle<anyhow::Result<()>>,
    /// The PostgreSQL database this instance made for its test, dropped with it.
    own_database: Option<String>,
    _dir: tempfile::TempDir,
}

/// A port free on 127.0.0.1 a moment ago, for a server a test starts (Dovecot, Postfix)
/// that must be told its port; a server that takes it first makes the start fail.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .expect("a free port on 127.0.0.1")
}

/// The secret every test instance shares, so two instances on one database agree on links.
pub const TEST_SECRET: &str = "test-secret-key-of-at-least-32-characters";

impl TestApp {
    pub async fn spawn(backend: Backend) -> Self {
        Self::spawn_with(backend, None).await
    }

    /// A TestApp whose outbox sends to `smtp_url` (None: the development mailbox).
    pub async fn spawn_with(backend: Backend, smtp_url: Option<String>) -> Self {
        Self::spawn_configured(backend, smtp_url, &[]).await
    }

    /// A TestApp with settings of its own on top of the tests' (name, value) pairs.
    pub async fn spawn_configured(
        backend: Backend,
        smtp_url: Option<String>,
        extra: &[(&str, String)],
    ) -> Self {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let database_url = match backend {
            Backend::Sqlite => format!("sqlite://{}/soundings.db", dir.path().display()),
            Backend::Postgres => fresh_postgres_database().await,
        };
        let mut app = Self::start(dir, database_url, smtp_url, extra).await;
        if let Backend::Postgres = backend {
            app.own_database = app.database_url.rsplit('/').next().map(str::to_string);
        }
        app
    }

    /// A second instance on this one's database (as behind a load balancer).
    pub async fn spawn_sharing(&self, smtp_url: Option<String>) -> Self {
        self.spawn_sharing_configured(smtp_url, &[]).await
    }

    /// A second instance on this one's database, with settings of its own.
    pub async fn spawn_sharing_configured(
        &self,
        smtp_url: Option<String>,
        extra: &[(&str, String)],
    ) -> Self {
        let dir = tempfile::tempdir().expect("a temporary folder");
        Self::start(dir, self.database_url.clone(), smtp_url, extra).await
    }

    async fn start(
        dir: tempfile::TempDir,
        database_url: String,
        smtp_url: Option<String>,
        extra: &[(&str, String)],
    ) -> Self {
        let mut settings = Settings::from_lookup(|key| match key {
            key if extra.iter().any(|(k, _)| *k == key) => extra
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| v.clone()),
            "SOUNDINGS_ADDR" => Some("127.0.0.1:0".into()),
            "DATABASE_URL" => Some(database_url.clone()),
            "LEPTOS_SITE_ROOT" => Some(dir.path().display().to_string()),
            "SECRET_KEY" => Some(TEST_SECRET.into()),
            "SMTP_URL" => smtp_url.clone(),
            "MAIL_FROM" => Some("Product team <product@example.org>".into()),
            "MAIL_RETRY_BASE_SECONDS" => Some("1".into()),
            "MAIL_MAX_ATTEMPTS" => Some("3".into()),
            "WEBHOOK_RETRY_BASE_SECONDS" => Some("1".into()),
            "WEBHOOK_TIMEOUT_SECONDS" => Some("2".into()),
            // nextest runs each test in its own process, so a test may set this alone.
            "API_CALLS_PER_MINUTE" => std::env::var("TEST_API_CALLS_PER_MINUTE").ok(),
            "CONTACT_CAP_PER_30_DAYS" => std::env::var("TEST_CONTACT_CAP_PER_30_DAYS").ok(),
            "TEAM_TIME_ZONE" => std::env::var("TEST_TEAM_TIME_ZONE").ok(),
            "METRICS_TOKEN" => std::env::var("TEST_METRICS_TOKEN").ok(),
            // Tests read results right after each change; the cache has tests of its own.
            "RESULTS_CACHE_MILLIS" => Some("0".into()),
            // Mail goes at once unless a test sets a survey's window: the suite runs on any
            // day at any hour.
            "DEFAULT_SENDING_WINDOW" => Some("any time".into()),
            _ => None,
        })
        .expect("test settings");
        // The default pool (2 SQLite connections on a 2-core machine) also shows any code
        // that holds one connection while it waits for another.
        settings.mail.poll_millis = 100;
        settings.mail.reminder_check_millis = 200;
        settings.webhooks.poll_millis = 100;
        // Cheap hashing keeps the suite fast; the real parameters are unit-tested.
        settings.app.argon2_memory_kib = 1024;
        settings.app.argon2_iterations = 1;
        let app = Application::build(settings).await.expect("the app starts");
        let address = format!("http://{}", app.address().unwrap());
        let db = app.state().db.clone();
        let clock = app.state().clock.clone();
        let server = tokio::spawn(app.run_until(std::future::pending()));
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        Self {
            address,
            db,
            clock,
            database_url,
            client,
            cookie: Mutex::new(None),
            server,
            own_database: None,
            _dir: dir,
        }
    }

    /// Stops this instance at once, as a crash would: requests and sends in flight are
    /// dropped, claims are not given back.
    pub fn crash(&self) {
        self.server.abort();
    }

    /// Lets `secs` seconds pass for the app (its requests and workers), as if they had.
    pub fn advance_clock(&self, secs: i64) {
        self.clock.advance(secs);
    }

    /// Waits until the outbox has nothing left to send now (every message sent, bounced,
    /// failed or cancelled, none claimed), as the worker leaves it; panics after 15 s.
    /// For tests that only need the mail out.
    pub async fn dispatch_all_pending_emails(&self) {
        self.wait_for_count(
            "SELECT COUNT(*) FROM outbox WHERE status IN ('queued', 'sending')",
            0,
        )
        .await;
    }

    /// Polls `sql` (a count) until it reaches `expected`; panics after 15 s.
    pub async fn wait_for_count(&self, sql: &str, expected: i64) {
        for _ in 0..150 {
            if self.count(sql).await == expected {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        panic!(
            "waited 15 s for {sql} to be {expected}; it is {}",
            self.count(sql).await
        );
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    fn base_headers(&self) -> HeaderMap {
        let mut headers = HeaderMap::new();
        if let Some(cookie) = self.cookie.lock().unwrap().clone() {
            headers.insert(COOKIE, HeaderValue::from_str(&cookie).unwrap());
        }
        headers
    }

    pub fn session_cookie(&self) -> Option<String> {
        self.cookie.lock().unwrap().clone()
    }

    pub fn set_session_cookie(&self, cookie: Option<String>) {
        *self.cookie.lock().unwrap() = cookie;
    }

    fn remember_cookie(&self, response: &Response) {
        for value in response.headers().get_all(SET_COOKIE) {
            let text = value.to_str().unwrap();
            let pair = text.split(';').next().unwrap().trim().to_string();
            let cleared = pair.ends_with('=') || text.contains("Max-Age=0");
            *self.cookie.lock().unwrap() = (!cleared).then_some(pair);
        }
    }

    /// Gets a page as a browser navigation does (asking for HTML).
    pub async fn get(&self, path: &str) -> Response {
        self.client
            .get(self.url(path))
            .headers(self.base_headers())
            .header(reqwest::header::ACCEPT, "text/html,application/xhtml+xml")
            .send()
            .await
            .unwrap()
    }

    /// Posts a form the way a same-origin browser page would (with `Origin`).
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Response {
        self.post_form_with(path, fields, &[("origin", &self.address)])
            .await
    }

    pub async fn post_form_with(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        extra: &[(&str, &str)],
    ) -> Response {
        let mut headers = self.base_headers();
        for (name, value) in extra {
            headers.insert(
                reqwest::header::HeaderName::from_bytes(name.as_bytes()).unwrap(),
                HeaderValue::from_str(value).unwrap(),
            );
        }
        let response = self
            .client
            .post(self.url(path))
            .headers(headers)
            .form(fields)
            .send()
            .await
            .unwrap();
        self.remember_cookie(&response);
        response
    }

    /// Calls a server function as the hydrated app does (no redirect dance) and returns its
    /// answer as JSON text, as the API would show it: the pages receive postcard
    /// (`app::ui::wire`), which names no fields, so the answer is decoded as the function's
    /// type (`answer_as_json`) and written out again. An error comes back as the
    /// `AppError`'s JSON (`{"Validation":[...]}`).
    pub async fn call(&self, function: &str, fields: &[(&str, &str)]) -> (StatusCode, String) {
        let response = self
            .post_form_with(
                &format!("/fn/{function}"),
                fields,
                &[
                    ("origin", &self.address),
                    ("accept", "application/x-postcard"),
                ],
            )
            .await;
        let status = response.status();
        let body = response.bytes().await.unwrap();
        let json = match status.is_success() {
            true => answer_as_json(function, &body),
            false => decoded_json::<app::error::AppError>(&body),
        };
        (
            status,
            json.unwrap_or_else(|| String::from_utf8_lossy(&body).into_owned()),
        )
    }

    pub async fn set_up_admin(&self) {
        let (status, body) = self
            .call(
                "set_up_first_admin",
                &[
                    ("email", ADMIN_EMAIL),
                    ("password", PASSWORD),
                    ("confirm", PASSWORD),
                ],
            )
            .await;
        assert!(
            status.is_success() || status.is_redirection(),
            "{status}: {body}"
        );
        assert!(self.session_cookie().is_some(), "setup signs the admin in");
    }

    pub async fn sign_in(&self, email: &str, password: &str) -> (StatusCode, String) {
        self.call("sign_in", &[("email", email), ("password", password)])
            .await
    }

    /// Adds a member as a real team does: the signed-in admin invites them on the team
    /// page, and they choose `PASSWORD` through the link in their invitation. The admin
    /// stays signed in.
    pub async fn add_member(&self, email: &str, role: &str) {
        self.invite(email, role).await;
        let link = self.account_link(email).await;
        let admin = self.session_cookie();
        self.set_session_cookie(None);
        let response = self
            .post_form(
                &path_of(&link),
                &[("new_password", PASSWORD), ("confirm_password", PASSWORD)],
            )
            .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{link}");
        self.set_session_cookie(admin);
    }

    /// Invites `email` with `role` through the team page's server function.
    pub async fn invite(&self, email: &str, role: &str) {
        let (status, body) = self
            .call("invite_team_member", &[("email", email), ("role", role)])
            .await;
        assert!(status.is_success(), "{status}: {body}");
    }

    /// The links in every account mail (resets, invitations) to `email` that reached the
    /// development mailbox, once the outbox is empty.
    pub async fn account_links(&self, email: &str) -> Vec<String> {
        self.dispatch_all_pending_emails().await;
        let texts: Vec<String> = sqlx::query_scalar(
            "SELECT text_body FROM dev_mailbox WHERE to_address = $1 AND admins_only = 1",
        )
        .bind(email.to_lowercase())
        .fetch_all(&self.db)
        .await
        .unwrap();
        texts.iter().map(|t| account_link_in(t)).collect()
    }

    /// The one account link to `email` that still works (each new one retires the rest).
    pub async fn account_link(&self, email: &str) -> String {
        let mut working = Vec::new();
        for link in self.account_links(email).await {
            if self.get(&path_of(&link)).await.status() == StatusCode::OK {
                working.push(link);
            }
        }
        assert_eq!(working.len(), 1, "one working account link to {email}");
        working.remove(0)
    }

    /// Creates a survey from the blank template (one CSAT question) and returns its id.
    pub async fn create_survey(&self, title: &str) -> String {
        self.create_survey_from(title, "blank").await
    }

    pub async fn create_survey_from(&self, title: &str, template: &str) -> String {
        let (status, body) = self
            .call("create_survey", &[("title", title), ("template", template)])
            .await;
        assert!(
            status.is_success() || status.is_redirection(),
            "{status}: {body}"
        );
        serde_json::from_str::<String>(&body).expect("the new survey's id")
    }

    pub async fn open_survey(&self, survey_id: &str) {
        let (status, body) = self.call("open_survey", &[("survey_id", survey_id)]).await;
        assert!(status.is_success(), "{status}: {body}");
    }

    /// Adds recipients through the plain form and returns (email, link) for each new one.
    pub async fn add_recipients(&self, survey_id: &str, emails: &str) -> Vec<(String, String)> {
        let response = self
            .post_form(
                &format!("/surveys/{survey_id}/recipients"),
                &[("emails", emails)],
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK);
        personal_links(&response.text().await.unwrap())
    }

    /// Sends the survey's waiting invitations, as the survey page's button does, and
    /// delivers them.
    pub async fn send_invitations(&self, survey_id: &str) {
        let (status, body) = self
            .call("send_invitations", &[("survey_id", survey_id)])
            .await;
        assert!(status.is_success(), "{status}: {body}");
        self.dispatch_all_pending_emails().await;
    }

    /// The id of the survey's first question.
    pub async fn first_question(&self, survey_id: &str) -> String {
        sqlx::query_scalar(
            "SELECT question_id FROM questions WHERE survey_id = $1 ORDER BY position LIMIT 1",
        )
        .bind(survey_id)
        .fetch_one(&self.db)
        .await
        .unwrap()
    }

    /// Adds a community on a tier (by the tier's id), as an editor on the contacts page.
    pub async fn add_community(&self, name: &str, tier_id: &str) {
        let (status, body) = self
            .call("create_community", &[("name", name), ("tier_id", tier_id)])
            .await;
        assert!(status.is_success(), "{status}: {body}");
    }

    /// Adds a contact with no role or tags to an existing community.
    pub async fn add_contact(&self, email: &str, name: &str, community: &str) {
        let fields = [
            ("email", email),
            ("name", name),
            ("community", community),
            ("role", ""),
            ("tags", ""),
        ];
        let (status, body) = self.call("save_contact", &fields).await;
        assert!(status.is_success(), "{status}: {body}");
    }

    pub async fn count(&self, sql: &str) -> i64 {
        sqlx::query_scalar::<_, i64>(sql)
            .fetch_one(&self.db)
            .await
            .unwrap()
    }
}

/// The personal links a links page shows, with their recipients.
pub fn personal_links(html: &str) -> Vec<(String, String)> {
    html.split("<tr>")
        .filter(|row| row.contains("personal-link"))
        .map(|row| {
            let email = between(row, "<td>", "</td>");
            let link = between(row, "href=\"", "\"");
            (email, link)
        })
        .collect()
}

fn between(text: &str, start: &str, end: &str) -> String {
    let from = text.find(start).map(|i| i + start.len()).unwrap_or(0);
    let to = text[from..]
        .find(end)
        .map(|i| from + i)
        .unwrap_or(text.len());
    text[from..to].to_string()
}

/// A test's PostgreSQL database goes with it, so runs do not pile up databases (CI's sweep
/// in `.ci/run` still removes any a killed run left). The server stops first; `FORCE` ends
/// connections still open elsewhere (a second instance, a child process).
impl Drop for TestApp {
    fn drop(&mut self) {
        self.server.abort();
        let Some(name) = self.own_database.take() else {
            return;
        };
        let Ok(base) = std::env::var("TEST_DATABASE_URL") else {
            return;
        };
        // Drop runs inside the test's runtime, which cannot block on a future: a thread
        // with a runtime of its own does the work, and the test waits for it.
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .ok()?;
            runtime.block_on(async {
                let mut admin = <sqlx::AnyConnection as sqlx::Connection>::connect(&base)
                    .await
                    .ok()?;
                let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                sqlx::Executor::execute(&mut admin, sql.as_str()).await.ok()
            })
        });
        let _ = dropped.join();
    }
}

/// The account link (`…/password/…`) in a mail's text.
pub fn account_link_in(text: &str) -> String {
    text.split_whitespace()
        .find(|word| word.contains("/password/"))
        .expect("the mail carries an account link")
        .to_string()
}

/// The path part of an absolute link.
pub fn path_of(link: &str) -> String {
    let after_scheme = link.split_once("://").map(|(_, rest)| rest).unwrap_or(link);
    after_scheme
        .find('/')
        .map(|i| after_scheme[i..].to_string())
        .unwrap_or_default()
}

pub fn location(response: &Response) -> String {
    response
        .headers()
        .get(LOCATION)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default()
}

/// A new, empty PostgreSQL database for one test, on the server `TEST_DATABASE_URL` names.
pub async fn fresh_postgres_database() -> String {
    let base = std::env::var("TEST_DATABASE_URL")
        .expect("TEST_DATABASE_URL must name a PostgreSQL server for the postgres:: tests");
    sqlx::any::install_default_drivers();
    let name = format!("soundings_test_{}", uuid::Uuid::new_v4().simple());
    let mut admin = <sqlx::AnyConnection as sqlx::Connection>::connect(&base)
        .await
        .expect("TEST_DATABASE_URL is reachable");
    sqlx::Executor::execute(&mut admin, format!("CREATE DATABASE {name}").as_str())
        .await
        .expect("CREATE DATABASE");
    let (prefix, _) = base
        .rsplit_once('/')
        .expect("TEST_DATABASE_URL has a database path");
    format!("{prefix}/{name}")
}

impl TestApp {
    /// Uploads a file to the contact import as a browser form does; returns the page.
    pub async fn upload_contacts(&self, bytes: Vec<u8>) -> (StatusCode, String) {
        let part = reqwest::multipart::Part::bytes(bytes)
            .file_name("contacts.csv")
            .mime_str("text/csv")
            .unwrap();
        let form = reqwest::multipart::Form::new().part("file", part);
        let response = self
            .client
            .post(self.url("/contacts/import"))
            .headers(self.base_headers())
            .header("origin", &self.address)
            .multipart(form)
            .send()
            .await
            .unwrap();
        (response.status(), response.text().await.unwrap())
    }
}

/// Asserts a JSON number is `expected` to 0.01.
pub fn assert_close(value: &serde_json::Value, expected: f64) {
    let actual = value.as_f64().unwrap_or(f64::NAN);
    assert!(
        (actual - expected).abs() < 0.01,
        "{actual} is not {expected}"
    );
}

/// `body`, a postcard-encoded `T`, as JSON; `None` when it is not a `T`.
fn decoded_json<T: serde::de::DeserializeOwned + serde::Serialize>(body: &[u8]) -> Option<String> {
    let value = app::ui::wire::decode::<T>(body)?;
    Some(serde_json::to_string(&value).expect("every answer is JSON too"))
}

/// The answer of server function `function` as JSON, for each function the tests read an
/// answer from; functions that answer nothing give `null`, as they did in JSON.
fn answer_as_json(function: &str, body: &[u8]) -> Option<String> {
    use app::{api, auth, community_health as health, distribution as dist, monitoring};
    use app::{surveys, webhooks};
    match function {
        "create_survey" | "create_webhook" | "duplicate_survey" | "send_test_email"
        | "set_sending_window" => decoded_json::<String>(body),
        "send_invitations" | "remind_now" | "set_closing_message" => decoded_json::<u64>(body),
        "set_weekly_digest" => decoded_json::<bool>(body),
        "create_api_token" => decoded_json::<api::model::CreatedToken>(body),
        "list_api_tokens" => decoded_json::<Vec<api::model::ApiToken>>(body),
        "session_info" => decoded_json::<auth::api::SessionInfo>(body),
        "list_team" => decoded_json::<Vec<auth::model::TeamMember>>(body),
        "get_health" => decoded_json::<health::model::Health>(body),
        "get_community" => decoded_json::<health::model::CommunityHealth>(body),
        "get_quarterly_report" => decoded_json::<health::model::QuarterlyReport>(body),
        "get_weekly_digest" => decoded_json::<health::model::DigestSetting>(body),
        "get_audience" => decoded_json::<dist::model::Audience>(body),
        "get_email_wording" => decoded_json::<dist::model::EmailWording>(body),
        "get_funnel" => decoded_json::<dist::model::Funnel>(body),
        "get_mail" => decoded_json::<dist::model::MailView>(body),
        "get_mail_setup" => decoded_json::<dist::delivery::model::MailSetup>(body),
        "get_in_product" => decoded_json::<dist::in_product::model::InProduct>(body),
        "list_mail" => decoded_json::<Vec<dist::model::MailSummary>>(body),
        "list_recipients" => decoded_json::<dist::recipients::model::RecipientPage>(body),
        "get_results" => decoded_json::<monitoring::model::Results>(body),
        "get_comments" => decoded_json::<monitoring::comments::Comments>(body),
        "get_dashboard" => decoded_json::<monitoring::baseline_model::Dashboard>(body),
        "get_survey" => decoded_json::<surveys::model::SurveyDetail>(body),
        "list_surveys" => decoded_json::<Vec<surveys::model::SurveySummary>>(body),
        "get_webhook" => decoded_json::<webhooks::model::WebhookDetail>(body),
        "list_webhooks" => decoded_json::<Vec<webhooks::model::Webhook>>(body),
        _ => decoded_json::<()>(body),
    }
}
