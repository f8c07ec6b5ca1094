//! Single sign-on against a real OpenID provider: the certified npm `oidc-provider`,
//! started by each test on a port of its own with Soundings as its client
//! (`end2end/oidc/provider.mjs`). A browser (a cookie-keeping client) goes from the sign-in
//! button through the provider's own login form and back. The attacks: a token with the
//! wrong nonce, for another audience or expired (re-signed with the provider's key, as a
//! confused provider or a stolen key would make), an unverified address, a domain that is
//! not allowed, a callback the browser did not start (login CSRF), and passwords when
//! single sign-on is the only way in.
use crate::helpers::{free_port, with_each_backend, Backend, TestApp, ADMIN_EMAIL, PASSWORD};
use reqwest::{redirect::Policy, StatusCode};
use std::process::{Child, Command, Stdio};

with_each_backend!(
    a_member_signs_in_through_the_provider_and_an_allowed_domain_gets_an_account,
    an_id_token_with_the_wrong_nonce_signs_nobody_in,
    an_id_token_for_another_audience_signs_nobody_in,
    an_expired_id_token_signs_nobody_in,
    an_address_the_provider_has_not_verified_signs_nobody_in,
    an_address_without_a_verified_claim_counts_only_when_trusted_and_at_an_allowed_domain,
    an_address_outside_the_allowed_domains_needs_an_invitation,
    a_callback_this_browser_did_not_start_signs_nobody_in,
    with_single_sign_on_only_passwords_work_for_the_break_glass_admin_alone,
);

/// The provider, running until the test ends.
struct Provider {
    child: Child,
    issuer: String,
}

impl Provider {
    // The child is waited for in `Drop`, which clippy's lint cannot see.
    #[allow(clippy::zombie_processes)]
    async fn start(port: u16, app: &TestApp) -> Self {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../end2end/oidc/provider.mjs");
        let redirect = app.url("/sign-in/sso/callback");
        let child = Command::new("node")
            .arg(script)
            .arg(port.to_string())
            .arg(redirect)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("node runs end2end/oidc/provider.mjs (bin/setup installs oidc-provider)");
        let issuer = format!("http://127.0.0.1:{port}");
        let discovery = format!("{issuer}/.well-known/openid-configuration");
        for _ in 0..100 {
            if reqwest::get(&discovery)
                .await
                .is_ok_and(|r| r.status().is_success())
            {
                return Self { child, issuer };
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        panic!("the OpenID provider did not start on port {port}");
    }

    /// The next ID token the provider hands out carries these claims instead.
    async fn tamper(&self, claims: serde_json::Value) {
        let response = reqwest::Client::new()
            .post(format!("{}/__test/tamper", self.issuer))
            .body(claims.to_string())
            .send()
            .await
            .unwrap();
        assert!(response.status().is_success());
    }
}

impl Drop for Provider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The settings of Soundings for the provider on `port`, and `extra`.
fn sso_settings(port: u16, extra: &[(&'static str, &str)]) -> Vec<(&'static str, String)> {
    let mut settings = vec![
        ("OIDC_ISSUER", format!("http://127.0.0.1:{port}")),
        ("OIDC_CLIENT_ID", "soundings".to_string()),
        ("OIDC_CLIENT_SECRET", "a test client secret".to_string()),
        ("OIDC_NAME", "Corp ID".to_string()),
        ("OIDC_ALLOWED_DOMAINS", "corp.example".to_string()),
        ("OIDC_DEFAULT_ROLE", "editor".to_string()),
    ];
    settings.extend(extra.iter().map(|(k, v)| (*k, v.to_string())));
    settings
}

/// Soundings set up for the provider on `port`, with its first admin.
async fn app_with_sso(backend: Backend, port: u16, extra: &[(&'static str, &str)]) -> TestApp {
    let app = TestApp::spawn_configured(backend, None, &sso_settings(port, extra)).await;
    app.set_up_admin().await;
    app
}

async fn set_up(backend: Backend) -> (TestApp, Provider) {
    let port = free_port();
    let app = app_with_sso(backend, port, &[]).await;
    let provider = Provider::start(port, &app).await;
    (app, provider)
}

/// A browser that keeps its cookies, on both sites, and follows no redirect by itself.
fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(Policy::none())
        .build()
        .unwrap()
}

fn absolute(base: &str, location: &str) -> String {
    if location.starts_with("http") {
        location.to_string()
    } else {
        let origin: String = base.splitn(4, '/').take(3).collect::<Vec<_>>().join("/");
        format!("{origin}{location}")
    }
}

/// Presses "Sign in with …" and types `login` into the provider's own login form; returns
/// the address the provider sends the browser back to (Soundings' callback, with the code
/// and state).
async fn through_provider(app: &TestApp, browser: &reqwest::Client, login: &str) -> String {
    let mut url = app.url("/sign-in/sso");
    for _ in 0..12 {
        if url.starts_with(&app.url("/sign-in/sso/callback")) {
            return url;
        }
        let response = browser.get(&url).send().await.unwrap();
        if response.status().is_redirection() {
            let location = response.headers()["location"].to_str().unwrap().to_string();
            url = absolute(&url, &location);
            continue;
        }
        let html = response.text().await.unwrap();
        assert!(
            html.contains("name=\"login\""),
            "the provider's login form: {html}"
        );
        let action = html
            .split("action=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap()
            .to_string();
        let response = browser
            .post(absolute(&url, &action))
            .form(&[("prompt", "login"), ("login", login), ("password", "any")])
            .send()
            .await
            .unwrap();
        assert!(response.status().is_redirection(), "{}", response.status());
        let location = response.headers()["location"].to_str().unwrap().to_string();
        url = absolute(&url, &location);
    }
    panic!("the provider never sent the browser back");
}

/// The whole sign-in; returns Soundings' answer to the callback.
async fn sign_in_through_provider(
    app: &TestApp,
    login: &str,
) -> (reqwest::Response, reqwest::Client) {
    let browser = browser();
    let callback = through_provider(app, &browser, login).await;
    let response = browser.get(&callback).send().await.unwrap();
    (response, browser)
}

/// Whose session the response started, asked as a browser holding only that cookie.
async fn signed_in_as(app: &TestApp, response: &reqwest::Response) -> Option<String> {
    let cookie = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("soundings_session=") && !v.contains("Max-Age=0"))?
        .split(';')
        .next()?
        .to_string();
    app.set_session_cookie(Some(cookie));
    let (_, body) = app.call("session_info", &[]).await;
    app.set_session_cookie(None);
    let info: serde_json::Value = serde_json::from_str(&body).ok()?;
    info["user"]["email"].as_str().map(str::to_string)
}

async fn refused_with(response: reqwest::Response, words: &str) {
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let html = response.text().await.unwrap();
    assert!(html.contains(words), "{html}");
}

async fn a_member_signs_in_through_the_provider_and_an_allowed_domain_gets_an_account(
    backend: Backend,
) {
    let (app, _provider) = set_up(backend).await;
    let planted = app.session_cookie();
    let (response, _) = sign_in_through_provider(&app, "ada@corp.example").await;
    if response.status() != StatusCode::SEE_OTHER {
        panic!("{}", response.text().await.unwrap());
    }
    assert_eq!(response.headers()["location"], "/surveys");
    assert_eq!(
        signed_in_as(&app, &response).await.as_deref(),
        Some("ada@corp.example")
    );
    let new_cookie = response.headers().get_all("set-cookie").iter().any(|v| {
        let v = v.to_str().unwrap();
        v.starts_with("soundings_session=") && planted.as_deref() != v.split(';').next()
    });
    assert!(new_cookie, "a fresh session, never an earlier one");
    let role: String =
        sqlx::query_scalar("SELECT role FROM users WHERE email = 'ada@corp.example'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(role, "editor", "OIDC_DEFAULT_ROLE");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'member.joined'")
            .await,
        1
    );
    // The second time, the same account; no password works for it.
    let (again, _) = sign_in_through_provider(&app, "ada@corp.example").await;
    assert_eq!(
        signed_in_as(&app, &again).await.as_deref(),
        Some("ada@corp.example")
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 2);
    let (status, _) = app.sign_in("ada@corp.example", "").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    // The sign-in page offers the button.
    let (_, info) = app.call("session_info", &[]).await;
    assert!(info.contains("Corp ID"), "{info}");
}

async fn an_id_token_with_the_wrong_nonce_signs_nobody_in(backend: Backend) {
    let (app, provider) = set_up(backend).await;
    provider
        .tamper(serde_json::json!({"nonce": "a nonce from another sign-in"}))
        .await;
    let (response, _) = sign_in_through_provider(&app, "ada@corp.example").await;
    refused_with(response, "could not be verified").await;
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 1);
}

async fn an_id_token_for_another_audience_signs_nobody_in(backend: Backend) {
    let (app, provider) = set_up(backend).await;
    provider
        .tamper(serde_json::json!({"aud": "another-application"}))
        .await;
    let (response, _) = sign_in_through_provider(&app, "ada@corp.example").await;
    refused_with(response, "could not be verified").await;
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 1);
}

async fn an_expired_id_token_signs_nobody_in(backend: Backend) {
    let (app, provider) = set_up(backend).await;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    provider
        .tamper(serde_json::json!({"iat": now - 7200, "exp": now - 3600}))
        .await;
    let (response, _) = sign_in_through_provider(&app, "ada@corp.example").await;
    refused_with(response, "could not be verified").await;
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 1);
}

async fn an_address_the_provider_has_not_verified_signs_nobody_in(backend: Backend) {
    let (app, _provider) = set_up(backend).await;
    let (response, _) = sign_in_through_provider(&app, "unverified@corp.example").await;
    refused_with(response, "has not verified your email address").await;
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 1);
}

async fn an_address_without_a_verified_claim_counts_only_when_trusted_and_at_an_allowed_domain(
    backend: Backend,
) {
    let port = free_port();
    let app = app_with_sso(backend, port, &[]).await;
    let provider = Provider::start(port, &app).await;
    let (response, _) = sign_in_through_provider(&app, "noclaim@corp.example").await;
    refused_with(response, "has not verified your email address").await;
    drop(provider);
    // Trusted: the address counts as verified at an allowed domain, and only there.
    let port = free_port();
    let trust = [("OIDC_TRUST_DOMAIN_EMAILS", "true")];
    let app = app
        .spawn_sharing_configured(None, &sso_settings(port, &trust))
        .await;
    let _provider = Provider::start(port, &app).await;
    let (response, _) = sign_in_through_provider(&app, "noclaim@corp.example").await;
    assert_eq!(
        signed_in_as(&app, &response).await.as_deref(),
        Some("noclaim@corp.example")
    );
    app.set_session_cookie(None);
    app.sign_in(ADMIN_EMAIL, PASSWORD).await;
    app.invite("noclaim@other.example", "viewer").await;
    let (response, _) = sign_in_through_provider(&app, "noclaim@other.example").await;
    refused_with(response, "has not verified your email address").await;
}

async fn an_address_outside_the_allowed_domains_needs_an_invitation(backend: Backend) {
    let (app, _provider) = set_up(backend).await;
    let (response, _) = sign_in_through_provider(&app, "grace@other.example").await;
    refused_with(response, "Ask an admin of your team to invite you").await;
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 1);
    // Once invited, the provider's word for the address is enough.
    app.invite("grace@other.example", "viewer").await;
    let (response, _) = sign_in_through_provider(&app, "grace@other.example").await;
    assert_eq!(
        signed_in_as(&app, &response).await.as_deref(),
        Some("grace@other.example")
    );
}

async fn a_callback_this_browser_did_not_start_signs_nobody_in(backend: Backend) {
    let (app, _provider) = set_up(backend).await;
    // The attacker signs in at the provider and hands the victim the callback link.
    let attacker = browser();
    let callback = through_provider(&app, &attacker, "ada@corp.example").await;
    let victim = browser();
    let response = victim.get(&callback).send().await.unwrap();
    refused_with(response, "Start it again from the sign-in page").await;
    // Nor does the attacker's own cookie with a state changed on the way.
    let tampered = callback.replace("state=", "state=x");
    let response = attacker.get(&tampered).send().await.unwrap();
    refused_with(response, "Start it again").await;
    // And the real callback then finds its sign-in used up.
    let response = attacker.get(&callback).send().await.unwrap();
    refused_with(response, "Start it again").await;
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 1);
}

async fn with_single_sign_on_only_passwords_work_for_the_break_glass_admin_alone(backend: Backend) {
    let port = free_port();
    let only = [
        ("OIDC_ONLY", "true"),
        ("OIDC_BREAK_GLASS_ADMIN", ADMIN_EMAIL),
    ];
    let app = app_with_sso(backend, port, &only).await;
    let _provider = Provider::start(port, &app).await;
    app.invite("editor@example.org", "editor").await;
    app.dispatch_all_pending_emails().await;
    let mail: String = sqlx::query_scalar(
        "SELECT text_body FROM dev_mailbox WHERE to_address = 'editor@example.org'",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert!(
        mail.contains("Sign in with Corp ID") && !mail.contains("/password/"),
        "{mail}"
    );
    app.set_session_cookie(None);
    for (email, password) in [
        ("editor@example.org", PASSWORD),
        ("nobody@example.org", PASSWORD),
    ] {
        let (status, body) = app.sign_in(email, password).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("Password sign-in is off here"), "{body}");
    }
    let (status, _) = app.sign_in(ADMIN_EMAIL, PASSWORD).await;
    assert!(
        status.is_success() || status.is_redirection(),
        "the break-glass admin"
    );
    let (response, _) = sign_in_through_provider(&app, "editor@example.org").await;
    assert_eq!(
        signed_in_as(&app, &response).await.as_deref(),
        Some("editor@example.org")
    );
}
