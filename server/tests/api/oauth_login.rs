//! XOAUTH2: Soundings logs in to the SMTP server with an OAuth access token from a token
//! endpoint, and fetches a new one when it expires. Both peers are real servers on this
//! machine: the test SMTP server checks the token, a small token endpoint issues tokens
//! that live two seconds and rotates its refresh token as Microsoft's does.
use crate::helpers::{with_each_backend, Backend, TestApp};
use crate::mail_sink::MailSink;
use axum::extract::State;
use axum::http::StatusCode;
use axum::{Form, Json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// The token endpoint's state: the refresh token it accepts now, and every grant it saw.
#[derive(Default)]
struct Issuer {
    refresh_token: String,
    issued: usize,
    grants: Vec<HashMap<String, String>>,
}

type Shared = Arc<Mutex<Issuer>>;

async fn token(
    State(issuer): State<Shared>,
    Form(form): Form<HashMap<String, String>>,
) -> (StatusCode, Json<serde_json::Value>) {
    let mut issuer = issuer.lock().unwrap();
    issuer.grants.push(form.clone());
    let refused = |why: &str| {
        (
            StatusCode::BAD_REQUEST,
            Json(serde_json::json!({"error": "invalid_grant", "error_description": why})),
        )
    };
    if form.get("client_id").map(String::as_str) != Some("soundings")
        || form.get("client_secret").map(String::as_str) != Some("client-secret")
    {
        return refused("unknown client");
    }
    match form.get("grant_type").map(String::as_str) {
        Some("refresh_token") if form.get("refresh_token") == Some(&issuer.refresh_token) => {}
        Some("refresh_token") => return refused("the refresh token is not valid"),
        Some("client_credentials")
            if form.get("scope").map(String::as_str)
                == Some("https://outlook.office365.com/.default") => {}
        _ => return refused("unsupported grant"),
    }
    issuer.issued += 1;
    let n = issuer.issued;
    issuer.refresh_token = format!("refresh-{}", n + 1);
    (
        StatusCode::OK,
        Json(serde_json::json!({
            "token_type": "Bearer",
            "access_token": format!("token-{n}"),
            "expires_in": 2,
            "refresh_token": issuer.refresh_token,
        })),
    )
}

/// Starts the token endpoint; returns its URL and state.
async fn token_endpoint() -> (String, Shared) {
    let issuer: Shared = Arc::new(Mutex::new(Issuer {
        refresh_token: "refresh-1".into(),
        ..Default::default()
    }));
    let app = axum::Router::new()
        .route("/token", axum::routing::post(token))
        .with_state(issuer.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/token", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, issuer)
}

async fn oauth_app(
    backend: Backend,
    sink: &MailSink,
    token_url: &str,
    refresh_token: Option<&str>,
) -> TestApp {
    let mut settings = vec![
        ("SMTP_OAUTH_TOKEN_URL", token_url.to_string()),
        ("SMTP_OAUTH_CLIENT_ID", "soundings".into()),
        ("SMTP_OAUTH_CLIENT_SECRET", "client-secret".into()),
        ("SMTP_USER", "product@example.org".into()),
    ];
    match refresh_token {
        Some(token) => settings.push(("SMTP_OAUTH_REFRESH_TOKEN", token.into())),
        None => settings.push((
            "SMTP_OAUTH_SCOPE",
            "https://outlook.office365.com/.default".into(),
        )),
    }
    TestApp::spawn_configured(backend, Some(sink.smtp_url()), &settings).await
}

/// Queues a test of the invitation, which goes to the admin.
async fn send_test(app: &TestApp, survey_id: &str) {
    let (status, body) = app
        .call(
            "send_test_email",
            &[("survey_id", survey_id), ("kind", "invitation")],
        )
        .await;
    assert!(status.is_success(), "{status}: {body}");
}

async fn mail_logs_in_with_an_access_token_and_refreshes_it_when_it_expires(backend: Backend) {
    let sink = MailSink::start();
    sink.require_xoauth2("product@example.org", &["token-1"]);
    let (url, issuer) = token_endpoint().await;
    let app = oauth_app(backend, &sink, &url, Some("refresh-1")).await;
    app.set_up_admin().await;
    let survey_id = app.create_survey("New storage options").await;

    send_test(&app, &survey_id).await;
    let first = sink.wait_for(1).await.remove(0);
    assert_eq!(first.auth_token.as_deref(), Some("token-1"));

    // The first token has expired at the provider; only the next one logs in now.
    sink.require_xoauth2("product@example.org", &["token-2"]);
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
    send_test(&app, &survey_id).await;
    let second = sink.wait_for(2).await.remove(1);
    assert_eq!(second.auth_token.as_deref(), Some("token-2"));

    let issuer = issuer.lock().unwrap();
    let refresh_tokens: Vec<&str> = issuer
        .grants
        .iter()
        .map(|g| g["refresh_token"].as_str())
        .collect();
    assert_eq!(
        refresh_tokens,
        ["refresh-1", "refresh-2"],
        "the rotated refresh token is used"
    );
}

async fn client_credentials_get_a_token_for_the_configured_scope(backend: Backend) {
    let sink = MailSink::start();
    sink.require_xoauth2("product@example.org", &["token-1"]);
    let (url, issuer) = token_endpoint().await;
    let app = oauth_app(backend, &sink, &url, None).await;
    app.set_up_admin().await;
    let survey_id = app.create_survey("New storage options").await;
    send_test(&app, &survey_id).await;
    assert_eq!(
        sink.wait_for(1).await[0].auth_token.as_deref(),
        Some("token-1")
    );
    assert_eq!(
        issuer.lock().unwrap().grants[0]["grant_type"],
        "client_credentials"
    );
}

async fn a_refused_token_request_is_retried_and_bounces_nothing(backend: Backend) {
    let sink = MailSink::start();
    sink.require_xoauth2("product@example.org", &["token-1"]);
    let (url, _issuer) = token_endpoint().await;
    let app = oauth_app(backend, &sink, &url, Some("a-revoked-refresh-token")).await;
    app.set_up_admin().await;
    let survey_id = app.create_survey("New storage options").await;
    send_test(&app, &survey_id).await;
    app.wait_for_count(
        "SELECT COUNT(*) FROM outbox WHERE last_error LIKE '%OAuth%refresh token is not valid%'",
        1,
    )
    .await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox WHERE status = 'bounced'")
            .await,
        0
    );
    assert!(sink.messages().is_empty());
}

with_each_backend!(
    mail_logs_in_with_an_access_token_and_refreshes_it_when_it_expires,
    client_credentials_get_a_token_for_the_configured_scope,
    a_refused_token_request_is_retried_and_bounces_nothing,
);
