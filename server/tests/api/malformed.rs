//! Malformed and oversized input: each gets a clear refusal and nothing is half-written.
use crate::answering::survey_with_every_kind;
use crate::helpers::{on_both_backends, TestApp, ADMIN_EMAIL, PASSWORD};
use reqwest::StatusCode;

/// Posts raw bytes as a form body, as a broken or hostile client might.
async fn post_bytes(app: &TestApp, path: &str, body: Vec<u8>) -> reqwest::Response {
    reqwest::Client::new()
        .post(app.url(path))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("origin", &app.address)
        .body(body)
        .send()
        .await
        .unwrap()
}

/// The raw message the development mailbox holds for the one mail in it.
async fn only_raw_mail(app: &TestApp) -> String {
    app.wait_for_count("SELECT COUNT(*) FROM dev_mailbox", 1)
        .await;
    sqlx::query_scalar("SELECT raw FROM dev_mailbox")
        .fetch_one(&app.db)
        .await
        .unwrap()
}

on_both_backends!(
    nps_answers_outside_zero_to_ten_or_not_whole_numbers_are_refused,
    a_body_that_is_not_utf8_is_refused_without_a_server_error,
    bodies_over_the_limit_are_refused_with_413_and_store_nothing,
    fields_over_their_length_are_refused_with_a_message_naming_them,
    line_breaks_in_names_and_subjects_cannot_add_an_email_header,
);

async fn nps_answers_outside_zero_to_ten_or_not_whole_numbers_are_refused(app: TestApp) {
    let (_, link) = survey_with_every_kind(&app, false).await;
    for value in ["-1", "11", "10.5", "ten", "", "1e1", "０"] {
        let response = app
            .post_form(&link, &[("q_csat", "4"), ("q_nps", value)])
            .await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{value:?}"
        );
        let page = response.text().await.unwrap();
        let message = if value.is_empty() {
            "field-error"
        } else {
            "Choose one of the answers from 0 to 10."
        };
        assert!(
            page.contains(message),
            "{value:?}: {}",
            page.split("field-error")
                .nth(1)
                .unwrap_or_default()
                .chars()
                .take(200)
                .collect::<String>()
        );
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM responses").await, 0);
}

async fn a_body_that_is_not_utf8_is_refused_without_a_server_error(app: TestApp) {
    let (_, link) = survey_with_every_kind(&app, false).await;
    for body in [
        b"q_csat=%FF%FE".to_vec(),
        b"q_csat=\xff\xfe4".to_vec(),
        b"\xc3\x28=4".to_vec(),
    ] {
        let response = post_bytes(&app, &link, body.clone()).await;
        assert!(
            response.status().is_client_error(),
            "{body:?}: {}",
            response.status()
        );
    }
    app.sign_in(ADMIN_EMAIL, PASSWORD).await;
    let (status, _) = app
        .call("create_survey", &[("title", "ok"), ("template", "blank")])
        .await;
    assert_eq!(status, StatusCode::OK);
    let response = post_bytes(
        &app,
        "/fn/create_survey",
        b"title=\xff\xfe&template=blank".to_vec(),
    )
    .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(app.count("SELECT COUNT(*) FROM responses").await, 0);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM surveys").await,
        2,
        "the one good survey and the first"
    );
}

async fn bodies_over_the_limit_are_refused_with_413_and_store_nothing(app: TestApp) {
    let (_, link) = survey_with_every_kind(&app, false).await;
    let huge = format!("q_csat=4&q_short={}", "a".repeat(100 * 1024));
    let response = post_bytes(&app, &link, huge.into_bytes()).await;
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    app.sign_in(ADMIN_EMAIL, PASSWORD).await;
    let title = format!("title={}&template=blank", "a".repeat(100 * 1024));
    let response = post_bytes(&app, "/fn/create_survey", title.into_bytes()).await;
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(app.count("SELECT COUNT(*) FROM responses").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM surveys").await, 1);
}

async fn fields_over_their_length_are_refused_with_a_message_naming_them(app: TestApp) {
    app.set_up_admin().await;
    let (status, body) = app
        .call(
            "create_survey",
            &[("title", &"t".repeat(5000)), ("template", "blank")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.contains("title"), "{body}");
    let (status, body) = app
        .call(
            "create_community",
            &[("name", &"c".repeat(5000)), ("tier_id", "tier-enterprise")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(app.count("SELECT COUNT(*) FROM surveys").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM communities").await, 0);
}

async fn line_breaks_in_names_and_subjects_cannot_add_an_email_header(app: TestApp) {
    app.set_up_admin().await;
    let survey_id = app.create_survey("Headers").await;
    app.add_community("Lakeside", "tier-enterprise").await;
    let name = "Ada\r\nBcc: evil@example.org";
    let (contact, body) = app
        .call(
            "save_contact",
            &[
                ("email", "ada@example.org"),
                ("name", name),
                ("community", "Lakeside"),
                ("role", ""),
                ("tags", ""),
            ],
        )
        .await;
    assert!(
        contact.is_success() || contact == StatusCode::UNPROCESSABLE_ENTITY,
        "{contact} {body}"
    );
    let subject = "Hello\r\nBcc: evil@example.org";
    let wording = [
        ("survey_id", survey_id.as_str()),
        ("kind", "invitation"),
        ("subject", subject),
        ("body", "Hi {{ name }}\n\n{{ survey_link }}"),
    ];
    let (wording, body) = app.call("update_email_wording", &wording).await;
    assert!(
        wording.is_success() || wording == StatusCode::UNPROCESSABLE_ENTITY,
        "{wording} {body}"
    );
    app.open_survey(&survey_id).await;
    app.add_recipients(&survey_id, "ada@example.org").await;
    let (status, _) = app
        .call("send_invitations", &[("survey_id", &survey_id)])
        .await;
    assert_eq!(status, StatusCode::OK);
    let raw = only_raw_mail(&app).await;
    eprintln!("crlf: contact {contact}, wording {wording}");
    let headers = raw.split("\r\n\r\n").next().unwrap();
    assert!(
        !headers
            .lines()
            .any(|line| line.to_ascii_lowercase().starts_with("bcc:")),
        "no header was injected:\n{headers}"
    );
}
