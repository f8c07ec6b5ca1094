use crate::helpers::on_both_backends;
use crate::helpers::TestApp;
use reqwest::StatusCode;

on_both_backends!(
    the_health_check_answers_ok_while_the_database_is_up,
    the_health_check_answers_503_once_the_database_is_gone,
    every_page_carries_the_security_headers,
    team_pages_allow_scripts_only_with_the_response_nonce,
    a_request_body_over_the_limit_is_refused,
    an_unknown_page_gets_a_friendly_404,
    an_instance_with_another_secret_key_refuses_to_start,
);

async fn the_health_check_answers_ok_while_the_database_is_up(app: TestApp) {
    let response = app.get("/healthz").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.text().await.unwrap(), "ok");
}

async fn the_health_check_answers_503_once_the_database_is_gone(app: TestApp) {
    app.db.close().await;
    let response = app.get("/healthz").await;
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
}

async fn every_page_carries_the_security_headers(app: TestApp) {
    for path in ["/", "/sign-in", "/s/unknown", "/healthz", "/no-such-page"] {
        let response = app.get(path).await;
        let headers = response.headers();
        let csp = headers["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert!(headers.contains_key("referrer-policy"), "{path}");
        assert!(headers.contains_key("x-request-id"), "{path}");
    }
}

async fn team_pages_allow_scripts_only_with_the_response_nonce(app: TestApp) {
    let response = app.get("/sign-in").await;
    let csp = response.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    let html = response.text().await.unwrap();
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|r| r.split('\'').next())
        .expect("a nonce");
    assert!(
        html.contains(&format!("nonce=\"{nonce}\"")),
        "the hydration script carries it"
    );
    assert!(!csp.contains("unsafe-inline"));
}

async fn a_request_body_over_the_limit_is_refused(app: TestApp) {
    let huge = "x".repeat(200 * 1024);
    let response = app
        .post_form("/fn/sign_in", &[("email", &huge), ("password", "x")])
        .await;
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
}

async fn an_unknown_page_gets_a_friendly_404(app: TestApp) {
    let response = app.get("/no-such-page").await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert!(response
        .text()
        .await
        .unwrap()
        .contains("We couldn't find that page"));
}

async fn an_instance_with_another_secret_key_refuses_to_start(app: TestApp) {
    let database_url = app.database_url.clone();
    let dir = tempfile::tempdir().unwrap();
    let settings = server::settings::Settings::from_lookup(|key| match key {
        "SOUNDINGS_ADDR" => Some("127.0.0.1:0".into()),
        "DATABASE_URL" => Some(database_url.clone()),
        "LEPTOS_SITE_ROOT" => Some(dir.path().display().to_string()),
        "SECRET_KEY" => Some("a-different-secret-key-of-32-characters-or-more".into()),
        _ => None,
    })
    .unwrap();
    let error = server::startup::Application::build(settings)
        .await
        .err()
        .expect("refused");
    assert!(
        format!("{error:#}").contains("same SECRET_KEY"),
        "{error:#}"
    );
}
