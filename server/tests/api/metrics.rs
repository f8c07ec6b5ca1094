//! `/metrics`: not there unless the operator sets a token, refused to anyone without it,
//! and with it every series the Grafana dashboard (docs/grafana-dashboard.json) draws,
//! moved by real traffic: mail sent, bounced, retried and failed by a real SMTP server, a
//! webhook delivered, a send and a close.
use crate::helpers::{Backend, TestApp};
use crate::mail_sink::MailSink;
use crate::webhooks::{registered, Receiver};
use reqwest::StatusCode;

const TOKEN: &str = "metrics-token-for-the-tests";

mod sqlite {
    #[tokio::test]
    async fn a_scraper_without_the_token_is_refused_and_with_it_sees_what_the_server_did() {
        super::a_scraper_without_the_token_is_refused_and_with_it_sees_what_the_server_did(
            crate::helpers::Backend::Sqlite,
        )
        .await
    }

    #[tokio::test]
    async fn without_a_token_configured_there_is_no_metrics_address() {
        super::without_a_token_configured_there_is_no_metrics_address().await
    }
}

mod postgres {
    #[tokio::test]
    async fn a_scraper_without_the_token_is_refused_and_with_it_sees_what_the_server_did() {
        super::a_scraper_without_the_token_is_refused_and_with_it_sees_what_the_server_did(
            crate::helpers::Backend::Postgres,
        )
        .await
    }
}

async fn without_a_token_configured_there_is_no_metrics_address() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let response = reqwest::Client::new()
        .get(app.url("/metrics"))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

/// The value of the one sample whose name and labels are exactly `series`.
fn sample(scrape: &str, series: &str) -> f64 {
    let values: Vec<f64> = scrape
        .lines()
        .filter_map(|line| line.strip_prefix(series)?.strip_prefix(' '))
        .map(|value| value.trim().parse().unwrap())
        .collect();
    assert_eq!(values.len(), 1, "one sample of {series} in:\n{scrape}");
    values[0]
}

async fn scrape(app: &TestApp, token: Option<&str>) -> (StatusCode, String) {
    let mut request = reqwest::Client::new().get(app.url("/metrics"));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    (response.status(), response.text().await.unwrap())
}

async fn a_scraper_without_the_token_is_refused_and_with_it_sees_what_the_server_did(
    backend: Backend,
) {
    // nextest runs each test in its own process, so the variable is this test's alone.
    std::env::set_var("TEST_METRICS_TOKEN", TOKEN);
    let sink = MailSink::start();
    sink.set_rcpt_reply("gone@example.org", "550 5.1.1 no such mailbox");
    sink.set_rcpt_reply("later@example.org", "451 4.3.0 try again later");
    let app = TestApp::spawn_with(backend, Some(sink.smtp_url())).await;

    assert_eq!(scrape(&app, None).await.0, StatusCode::UNAUTHORIZED);
    let (status, body) = scrape(&app, Some("metrics-token-for-the-testz")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(!body.contains("soundings_"), "{body}");

    app.set_up_admin().await;
    let (receiver, port) = Receiver::start().await;
    registered(&app, &format!("http://127.0.0.1:{port}/hook")).await;
    let survey_id = app.create_survey("Release 4.2").await;
    app.open_survey(&survey_id).await;
    app.add_recipients(
        &survey_id,
        "ada@example.org, gone@example.org, later@example.org",
    )
    .await;
    let (status, body) = app
        .call("send_invitations", &[("survey_id", &survey_id)])
        .await;
    assert!(status.is_success(), "{status}: {body}");
    sink.wait_for(1).await;
    // Three attempts one, then two seconds apart (MAIL_MAX_ATTEMPTS=3 in the tests).
    app.wait_for_count(
        "SELECT COUNT(*) FROM outbox WHERE status IN ('sent', 'bounced', 'failed')",
        3,
    )
    .await;
    let (status, body) = app.call("close_survey", &[("survey_id", &survey_id)]).await;
    assert!(status.is_success(), "{status}: {body}");
    receiver.wait_for("survey.closed").await;
    // A message that has waited two minutes and is not due yet.
    let now = app.clock.now();
    sqlx::query(
        "INSERT INTO outbox (message_id, kind, to_address, status, attempts, next_attempt_at, \
         created_at, survey_id, test_of) \
         VALUES ('test-waiting', 'test', 'ada@example.org', 'queued', 0, $1, $2, $3, 'invitation')",
    )
    .bind(now + 86_400)
    .bind(now - 120)
    .bind(&survey_id)
    .execute(&app.db)
    .await
    .unwrap();

    let (status, body) = scrape(&app, Some(TOKEN)).await;
    assert_eq!(status, StatusCode::OK);
    let mail = |outcome: &str| {
        sample(
            &body,
            &format!("soundings_mail_total{{kind=\"invitation\",outcome=\"{outcome}\"}}"),
        )
    };
    assert_eq!(mail("sent"), 1.0);
    assert_eq!(mail("bounced"), 1.0);
    assert_eq!(
        mail("retried"),
        2.0,
        "two temporary refusals before the last"
    );
    assert_eq!(mail("failed"), 1.0);
    assert_eq!(
        sample(
            &body,
            "soundings_mail_total{kind=\"digest\",outcome=\"sent\"}"
        ),
        0.0,
        "a kind with nothing sent yet is reported at 0"
    );
    assert_eq!(
        sample(
            &body,
            "soundings_webhook_deliveries_total{outcome=\"delivered\"}"
        ),
        receiver.count() as f64,
        "the send's and the close's events"
    );
    assert_eq!(
        sample(&body, "soundings_surveys_closed_total{trigger=\"by_hand\"}"),
        1.0
    );
    assert_eq!(
        sample(
            &body,
            "soundings_surveys_closed_total{trigger=\"schedule\"}"
        ),
        0.0
    );
    assert_eq!(sample(&body, "soundings_sends_total"), 1.0);
    assert_eq!(sample(&body, "soundings_invitations_queued_total"), 3.0);
    assert_eq!(sample(&body, "soundings_outbox_depth{kind=\"test\"}"), 1.0);
    assert_eq!(
        sample(&body, "soundings_outbox_depth{kind=\"invitation\"}"),
        0.0
    );
    let age = sample(&body, "soundings_outbox_oldest_age_seconds");
    assert!((120.0..180.0).contains(&age), "{age}");
    assert_eq!(sample(&body, "soundings_db_pool_timeouts_total"), 0.0);
    assert!(sample(&body, "soundings_db_pool_connections{state=\"max\"}") >= 1.0);
    assert!(sample(&body, "soundings_db_pool_connections{state=\"in_use\"}") >= 0.0);
    assert!(sample(&body, "soundings_db_pool_connections{state=\"idle\"}") >= 0.0);
    assert!(sample(&body, "soundings_db_pool_acquire_seconds") >= 0.0);
    let calls = sample(
        &body,
        "soundings_http_requests_total{group=\"server_functions\",method=\"POST\",status=\"200\"}",
    );
    assert!(calls >= 4.0, "{calls}");
    assert!(
        sample(
            &body,
            "soundings_http_requests_total{group=\"metrics\",method=\"GET\",status=\"401\"}"
        ) == 2.0,
        "the refused scrapes are counted"
    );
    assert_eq!(
        sample(
            &body,
            "soundings_http_request_duration_seconds_count{group=\"server_functions\"}"
        ),
        sample(
            &body,
            "soundings_http_request_duration_seconds_bucket{group=\"server_functions\",le=\"+Inf\"}"
        ),
        "durations are a histogram with buckets a dashboard can add up across instances"
    );
    for help in [
        "# HELP soundings_http_requests_total",
        "# HELP soundings_outbox_oldest_age_seconds",
        "# TYPE soundings_http_request_duration_seconds histogram",
    ] {
        assert!(body.contains(help), "{help}");
    }

    // Every series the dashboard draws is one this scrape has.
    let dashboard: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../docs/grafana-dashboard.json"
        ))
        .unwrap(),
    )
    .unwrap();
    let mut drawn = 0;
    for panel in dashboard["panels"].as_array().unwrap() {
        for target in panel["targets"].as_array().unwrap() {
            let expr = target["expr"].as_str().unwrap();
            for name in series_names(expr) {
                drawn += 1;
                assert!(
                    body.lines()
                        .any(|line| line.starts_with(&format!("{name}{{"))
                            || line.starts_with(&format!("{name} "))),
                    "the dashboard's {name} is not in the scrape"
                );
            }
        }
    }
    assert!(drawn >= 10, "{drawn}");
}

/// The `soundings_…` series a PromQL expression reads.
fn series_names(expr: &str) -> Vec<String> {
    expr.match_indices("soundings_")
        .map(|(at, _)| {
            expr[at..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect()
        })
        .collect()
}
