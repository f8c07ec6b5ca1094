//! Webhooks end to end: a local receiver gets signed deliveries of real events, a receiver
//! that is down gets them once it is back, redirects are not followed, and endpoints on
//! private addresses are refused unless an admin allows them.
use crate::helpers::{on_both_backends, path_of, TestApp};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use hmac::{Hmac, Mac};
use serde_json::Value;
use sha2::Sha256;
use std::sync::{Arc, Mutex};
use tokio::net::TcpListener;

/// What a local endpoint received: each delivery's headers and body.
#[derive(Clone, Default)]
pub(crate) struct Receiver {
    received: Arc<Mutex<Vec<(HeaderMap, String)>>>,
}

impl Receiver {
    /// Serves `/hook` (200) and `/moved` (a 302 to `/hook`) on `listener`.
    fn serve(&self, listener: TcpListener) -> tokio::task::JoinHandle<()> {
        let received = self.received.clone();
        let app = axum::Router::new()
            .route(
                "/hook",
                post(move |headers: HeaderMap, body: String| async move {
                    received.lock().unwrap().push((headers, body));
                    StatusCode::NO_CONTENT
                }),
            )
            .route(
                "/moved",
                post(|| async { (StatusCode::FOUND, [("location", "/hook")]) }),
            );
        tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        })
    }

    pub(crate) async fn start() -> (Self, u16) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let receiver = Self::default();
        receiver.serve(listener);
        (receiver, port)
    }

    /// Waits up to 15 s for a delivery of `event`, and returns its headers and body.
    pub(crate) async fn wait_for(&self, event: &str) -> (HeaderMap, Value) {
        for _ in 0..150 {
            let found =
                self.received.lock().unwrap().iter().find_map(|(h, b)| {
                    (h["soundings-event"] == event).then(|| (h.clone(), b.clone()))
                });
            if let Some((headers, body)) = found {
                return (headers, serde_json::from_str(&body).unwrap());
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        panic!("no {event} delivery arrived within 15 s");
    }

    pub(crate) fn count(&self) -> usize {
        self.received.lock().unwrap().len()
    }
}

/// Registers an endpoint for every event through the admin page's server function.
async fn register(app: &TestApp, url: &str, allow_private: bool) -> (StatusCode, String) {
    let mut fields = vec![
        ("name", "Receiver"),
        ("url", url),
        ("response_completed", "on"),
        ("survey_closed", "on"),
        ("send_finished", "on"),
        ("contact_unsubscribed", "on"),
    ];
    if allow_private {
        fields.push(("allow_private", "on"));
    }
    app.call("create_webhook", &fields).await
}

pub(crate) async fn registered(app: &TestApp, url: &str) -> String {
    let (status, body) = register(app, url, true).await;
    assert!(status.is_success(), "{status}: {body}");
    serde_json::from_str(&body).unwrap()
}

async fn detail(app: &TestApp, webhook_id: &str) -> Value {
    let (status, body) = app.call("get_webhook", &[("webhook_id", webhook_id)]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    serde_json::from_str(&body).unwrap()
}

/// Checks the signature as a receiver would: HMAC-SHA256 over "{t}.{body}".
fn assert_signed(secret: &str, headers: &HeaderMap, body: &str) {
    let header = headers["soundings-signature"].to_str().unwrap();
    let (t, v1) = header
        .strip_prefix("t=")
        .and_then(|rest| rest.split_once(",v1="))
        .expect("t=…,v1=…");
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{t}.{body}").as_bytes());
    let expected: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(v1, expected, "the signature verifies");
    let age = app::db::now() - t.parse::<i64>().unwrap();
    assert!(
        (0..60).contains(&age),
        "the timestamp is the time of sending"
    );
}

/// An open one-question survey with one recipient; returns (survey id, their link path).
async fn survey_with_recipient(app: &TestApp, email: &str) -> (String, String) {
    let survey_id = app.create_survey("Release 4.2").await;
    app.open_survey(&survey_id).await;
    let links = app.add_recipients(&survey_id, email).await;
    (survey_id, path_of(&links[0].1))
}

async fn answer(app: &TestApp, path: &str, score: &str) {
    let question_id: String = sqlx::query_scalar("SELECT question_id FROM questions")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let cookie = app.session_cookie();
    app.set_session_cookie(None);
    app.post_form(path, &[(&format!("q_{question_id}"), score)])
        .await;
    app.set_session_cookie(cookie);
}

on_both_backends!(
    a_completed_response_and_a_closed_survey_arrive_signed_without_addresses,
    a_receiver_that_is_down_gets_the_delivery_once_it_is_back,
    a_redirect_is_not_followed_and_retries_end_in_failed_then_an_admin_can_retry,
    private_addresses_are_refused_unless_an_admin_allows_them,
    sends_and_unsubscribes_are_reported_and_erasing_the_contact_removes_their_events,
    an_anonymous_completion_carries_no_answers_and_no_response_id,
    only_admins_see_or_register_webhooks,
);

async fn a_completed_response_and_a_closed_survey_arrive_signed_without_addresses(app: TestApp) {
    app.set_up_admin().await;
    let (receiver, port) = Receiver::start().await;
    let webhook_id = registered(&app, &format!("http://127.0.0.1:{port}/hook")).await;
    let secret = detail(&app, &webhook_id).await["secret"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(secret.starts_with("whsec_"));
    let (survey_id, path) = survey_with_recipient(&app, "ada@example.org").await;
    answer(&app, &path, "4").await;

    let (headers, body) = receiver.wait_for("response.completed").await;
    let raw = receiver.received.lock().unwrap()[0].1.clone();
    assert_signed(&secret, &headers, &raw);
    assert!(
        !raw.contains("ada@example.org"),
        "no address in a delivery: {raw}"
    );
    assert_eq!(body["event"], "response.completed");
    assert_eq!(body["data"]["survey_id"], survey_id);
    assert_eq!(body["data"]["answers"][0]["kind"], "csat");
    assert_eq!(body["data"]["answers"][0]["answer"]["score"], 4);
    let contact: String = sqlx::query_scalar("SELECT contact_id FROM contacts")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(body["data"]["contact_id"], contact);
    let delivery = headers["soundings-delivery"].to_str().unwrap().to_string();

    // Changing the answers later is not a second completion.
    answer(&app, &path, "5").await;
    let (status, _) = app.call("close_survey", &[("survey_id", &survey_id)]).await;
    assert_eq!(status, StatusCode::OK);
    let (_, closed) = receiver.wait_for("survey.closed").await;
    assert_eq!(closed["data"]["counts"]["completed"], 1);
    assert_eq!(closed["data"]["counts"]["invited"], 1);
    assert_eq!(receiver.count(), 2, "one completion, one close");

    let log = detail(&app, &webhook_id).await;
    let entry = log["deliveries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["delivery_id"] == delivery.as_str())
        .expect("the delivery is logged")
        .clone();
    assert_eq!(entry["status"], "delivered");
    assert_eq!(entry["response_status"], 204);
}

async fn a_receiver_that_is_down_gets_the_delivery_once_it_is_back(app: TestApp) {
    app.set_up_admin().await;
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let webhook_id = registered(&app, &format!("http://127.0.0.1:{port}/hook")).await;
    let (status, body) = app
        .call("send_test_webhook", &[("webhook_id", &webhook_id)])
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    app.wait_for_count(
        "SELECT COUNT(*) FROM webhook_deliveries WHERE status = 'queued' AND attempts >= 2 \
        AND last_error = 'could not connect'",
        1,
    )
    .await;

    let receiver = Receiver::default();
    receiver.serve(TcpListener::bind(("127.0.0.1", port)).await.unwrap());
    let (_, ping) = receiver.wait_for("ping").await;
    assert_eq!(ping["data"]["webhook_id"], webhook_id);
    app.wait_for_count(
        "SELECT COUNT(*) FROM webhook_deliveries WHERE status = 'delivered' AND attempts >= 3",
        1,
    )
    .await;
    assert_eq!(receiver.count(), 1, "delivered once");
}

async fn a_redirect_is_not_followed_and_retries_end_in_failed_then_an_admin_can_retry(
    app: TestApp,
) {
    app.set_up_admin().await;
    let (receiver, port) = Receiver::start().await;
    let webhook_id = registered(&app, &format!("http://127.0.0.1:{port}/moved")).await;
    app.call("send_test_webhook", &[("webhook_id", &webhook_id)])
        .await;
    app.wait_for_count(
        "SELECT COUNT(*) FROM webhook_deliveries WHERE status = 'queued' AND attempts >= 1 \
        AND response_status = 302",
        1,
    )
    .await;
    assert_eq!(
        receiver.count(),
        0,
        "the redirect's target was never called"
    );
    let error: String = sqlx::query_scalar("SELECT last_error FROM webhook_deliveries")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert!(error.contains("redirects are not followed"), "{error}");

    // The last allowed attempt fails for good.
    sqlx::query(
        "UPDATE webhook_deliveries SET attempts = 9, next_attempt_at = 0 WHERE status = 'queued'",
    )
    .execute(&app.db)
    .await
    .unwrap();
    app.wait_for_count(
        "SELECT COUNT(*) FROM webhook_deliveries WHERE status = 'failed'",
        1,
    )
    .await;
    let delivery: String = sqlx::query_scalar("SELECT delivery_id FROM webhook_deliveries")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let (status, _) = app
        .call(
            "retry_webhook_delivery",
            &[("webhook_id", &webhook_id), ("delivery_id", &delivery)],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    app.wait_for_count(
        "SELECT COUNT(*) FROM webhook_deliveries WHERE status = 'queued' AND attempts >= 1",
        1,
    )
    .await;
}

async fn private_addresses_are_refused_unless_an_admin_allows_them(app: TestApp) {
    app.set_up_admin().await;
    for (url, says) in [
        ("https://127.0.0.1/hook", "127.0.0.1"),
        (
            "https://169.254.169.254/latest/meta-data",
            "169.254.169.254",
        ),
        ("https://[::1]/hook", "::1"),
        ("https://localhost:9/hook", "loopback"),
        ("http://hooks.example.org/hook", "https://"),
    ] {
        let (status, body) = register(&app, url, false).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{url}: {body}");
        assert!(body.contains(says), "{url}: {body}");
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM webhooks").await, 0);

    // A name that resolves somewhere private after it was saved is refused at delivery.
    let (receiver, port) = Receiver::start().await;
    sqlx::query(
        "INSERT INTO webhooks (webhook_id, name, url, events, allow_private, active, secret_nonce, created_at) \
        VALUES ('w1', 'Moved', $1, ',response.completed,', 0, 1, 'n', 0)",
    )
    .bind(format!("https://localhost:{port}/hook"))
    .execute(&app.db).await.unwrap();
    app.call("send_test_webhook", &[("webhook_id", "w1")]).await;
    app.wait_for_count(
        "SELECT COUNT(*) FROM webhook_deliveries WHERE status = 'failed' AND attempts = 1",
        1,
    )
    .await;
    let error: String = sqlx::query_scalar("SELECT last_error FROM webhook_deliveries")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert!(error.contains("loopback"), "{error}");
    assert_eq!(receiver.count(), 0);

    let (status, body) = register(&app, &format!("http://127.0.0.1:{port}/hook"), true).await;
    assert!(status.is_success(), "allowed explicitly: {body}");
}

async fn sends_and_unsubscribes_are_reported_and_erasing_the_contact_removes_their_events(
    app: TestApp,
) {
    app.set_up_admin().await;
    let (receiver, port) = Receiver::start().await;
    registered(&app, &format!("http://127.0.0.1:{port}/hook")).await;
    let (survey_id, _) = survey_with_recipient(&app, "grace@example.org").await;
    app.add_recipients(&survey_id, "alan@example.org").await;
    let (status, _) = app
        .call("send_invitations", &[("survey_id", &survey_id)])
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, sent) = receiver.wait_for("send.finished").await;
    assert_eq!(sent["data"]["counts"]["sent"], 2);

    let text: String = sqlx::query_scalar(
        "SELECT text_body FROM dev_mailbox WHERE to_address = 'grace@example.org'",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    let link = text
        .split_whitespace()
        .find(|w| w.contains("/u/"))
        .expect("an unsubscribe link");
    let response = app
        .post_form(&path_of(link), &[("action", "unsubscribe")])
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let (_, gone) = receiver.wait_for("contact.unsubscribed").await;
    let contact: String =
        sqlx::query_scalar("SELECT contact_id FROM contacts WHERE email = 'grace@example.org'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(gone["data"]["contact_id"], contact);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM webhook_events WHERE contact_id IS NOT NULL")
            .await,
        1
    );

    let (status, body) = app
        .call(
            "erase_contact",
            &[("email", "grace@example.org"), ("confirm", "on")],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM webhook_events WHERE contact_id IS NOT NULL")
            .await,
        0
    );
}

async fn an_anonymous_completion_carries_no_answers_and_no_response_id(app: TestApp) {
    app.set_up_admin().await;
    let (receiver, port) = Receiver::start().await;
    registered(&app, &format!("http://127.0.0.1:{port}/hook")).await;
    let survey_id = app.create_survey("Anonymous pulse").await;
    sqlx::query("UPDATE surveys SET anonymity = 'anonymous' WHERE survey_id = $1")
        .bind(&survey_id)
        .execute(&app.db)
        .await
        .unwrap();
    app.open_survey(&survey_id).await;
    let links = app.add_recipients(&survey_id, "kat@example.org").await;
    answer(&app, &path_of(&links[0].1), "5").await;
    let (_, body) = receiver.wait_for("response.completed").await;
    assert_eq!(body["data"]["anonymous"], true);
    assert!(body["data"]["answers"].is_null(), "{body}");
    assert!(
        body["data"].get("response_id").is_none() && body["data"].get("contact_id").is_none(),
        "{body}"
    );
}

async fn only_admins_see_or_register_webhooks(app: TestApp) {
    app.set_up_admin().await;
    app.add_member("ed@example.org", "editor").await;
    app.sign_in("ed@example.org", crate::helpers::PASSWORD)
        .await;
    let (status, _) = app.call("list_webhooks", &[]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = register(&app, "https://hooks.example.org/x", false).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(app.count("SELECT COUNT(*) FROM webhooks").await, 0);
}
