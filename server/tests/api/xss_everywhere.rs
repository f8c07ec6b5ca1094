//! The stored-XSS corpus in every other field a person can fill: community, contact,
//! webhook and API-token names, email wording, text answers. Each page that shows one
//! shows it as text; the email's HTML escapes it; the CSV export neutralises formulas.
use crate::helpers::{on_both_backends, TestApp};
use crate::xss::{assert_inert, hostile_survey, PAYLOADS};
use reqwest::StatusCode;

async fn call_ok(app: &TestApp, function: &str, fields: &[(&str, &str)]) -> String {
    let (status, body) = app.call(function, fields).await;
    assert!(status.is_success(), "{function}: {status} {body}");
    body
}

/// Fills every other user-controlled field with a payload; returns the dev-mailbox id of
/// an invitation sent with hostile wording to a hostile name.
async fn plant(app: &TestApp, survey_id: &str) -> String {
    let community = format!("{} Lakeside", PAYLOADS[1]);
    call_ok(
        app,
        "create_community",
        &[("name", &community), ("tier_id", "tier-enterprise")],
    )
    .await;
    let fields = [
        ("email", "ada@example.org"),
        ("name", PAYLOADS[0]),
        ("community", community.as_str()),
        ("role", PAYLOADS[3]),
        ("tags", ""),
    ];
    call_ok(app, "save_contact", &fields).await;
    let hook = [
        ("name", PAYLOADS[0]),
        ("url", "http://127.0.0.1:9/hook"),
        ("response_completed", "on"),
        ("allow_private", "on"),
    ];
    call_ok(app, "create_webhook", &hook).await;
    call_ok(
        app,
        "create_api_token",
        &[
            ("name", PAYLOADS[2]),
            ("role", "viewer"),
            ("expires_in_days", ""),
        ],
    )
    .await;
    let body = format!(
        "Hello {{{{ name }}}} {}\n\n{{{{ survey_link }}}}",
        PAYLOADS[2]
    );
    let wording = [
        ("survey_id", survey_id),
        ("kind", "invitation"),
        ("subject", PAYLOADS[1]),
        ("body", body.as_str()),
    ];
    call_ok(app, "update_email_wording", &wording).await;
    call_ok(
        app,
        "send_test_email",
        &[("survey_id", survey_id), ("kind", "invitation")],
    )
    .await;
    app.wait_for_count("SELECT COUNT(*) FROM dev_mailbox", 1)
        .await;
    sqlx::query_scalar("SELECT mail_id FROM dev_mailbox")
        .fetch_one(&app.db)
        .await
        .unwrap()
}

on_both_backends!(
    hostile_names_wording_and_answers_are_inert_on_every_page_and_in_the_email,
    an_export_neutralises_formulas_in_names_and_answers,
);

async fn hostile_names_wording_and_answers_are_inert_on_every_page_and_in_the_email(app: TestApp) {
    let (survey_id, _) = hostile_survey(&app).await;
    let mail_id = plant(&app, &survey_id).await;
    let webhook_id: String = sqlx::query_scalar("SELECT webhook_id FROM webhooks")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let community_id: String =
        sqlx::query_scalar("SELECT community_id FROM communities WHERE name LIKE '%Lakeside'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    for page in [
        "/communities".to_string(),
        format!("/communities/{community_id}"),
        "/contacts".to_string(),
        "/webhooks".to_string(),
        format!("/webhooks/{webhook_id}"),
        "/api-tokens".to_string(),
        "/mailbox".to_string(),
        format!("/mailbox/{mail_id}"),
        format!("/mailbox/{mail_id}/html"),
        format!("/surveys/{survey_id}/email-preview/invitation"),
        format!("/surveys/{survey_id}/results"),
        "/overview".to_string(),
    ] {
        let response = app.get(&page).await;
        assert_eq!(response.status(), StatusCode::OK, "{page}");
        assert_inert(&response.text().await.unwrap(), &page);
    }
}

async fn an_export_neutralises_formulas_in_names_and_answers(app: TestApp) {
    let (survey_id, link) = hostile_survey(&app).await;
    let ids: Vec<String> =
        sqlx::query_scalar("SELECT question_id FROM questions ORDER BY position")
            .fetch_all(&app.db)
            .await
            .unwrap();
    sqlx::query("UPDATE questions SET kind = 'long_text', options = '[]' WHERE question_id = $1")
        .bind(&ids[1])
        .execute(&app.db)
        .await
        .unwrap();
    let formula = "=HYPERLINK(\"https://evil.example\",\"click\")";
    let reply = app
        .post_form(
            &link,
            &[
                (&format!("q_{}", ids[0]), "4"),
                (&format!("q_{}", ids[1]), formula),
            ],
        )
        .await;
    assert_eq!(reply.status(), StatusCode::SEE_OTHER);
    let output = crate::command_line::soundings(&app, &["export", "responses", &survey_id]);
    let csv = String::from_utf8(output.stdout).unwrap();
    assert!(csv.contains("'=HYPERLINK"), "{csv}");
    assert!(
        !csv.contains(",=HYPERLINK") && !csv.contains(",\"=HYPERLINK"),
        "{csv}"
    );
}
