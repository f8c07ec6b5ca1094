//! Surveys as full JSON definitions: created in one call, replaced while draft, and held
//! to the builder's own rules, with every problem reported on its field.
use crate::helpers::on_both_backends;
use crate::helpers::TestApp;
use crate::public_api::{api, token};
use reqwest::StatusCode;
use serde_json::{json, Value};

fn definition() -> Value {
    json!({
        "title": "Bulk export: first weeks",
        "release": "Export 3.1",
        "intro": "Two minutes about the new export.",
        "anonymous": false,
        "closes_on": "2099-12-31",
        "questions": [
            {"key": "sat", "kind": "csat", "prompt": "How satisfied are you with bulk export?"},
            {
                "kind": "single_choice",
                "prompt": "What do you export most?",
                "options": ["Responses", "Contacts"],
                "allow_other": true
            },
            {
                "kind": "long_text",
                "prompt": "What let you down?",
                "required": false,
                "show_if": {"question": "sat", "min": 1, "max": 3}
            }
        ]
    })
}

on_both_backends!(
    a_full_definition_becomes_a_draft_with_its_questions_and_follow_up,
    every_problem_of_a_definition_is_reported_on_its_field_and_nothing_is_stored,
    a_draft_is_replaced_whole_but_an_opened_survey_is_refused,
);

async fn a_full_definition_becomes_a_draft_with_its_questions_and_follow_up(app: TestApp) {
    app.set_up_admin().await;
    let editor = token(&app, "editor").await;
    let (status, out, _) = api(
        &app,
        "POST",
        "/surveys/definitions",
        Some(&editor),
        Some(definition()),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{out}");
    assert_eq!(out["survey"]["status"], "draft");
    assert_eq!(out["survey"]["release"], "Export 3.1");
    let questions = out["questions"].as_array().unwrap();
    assert_eq!(questions.len(), 3);
    assert_eq!(questions[1]["options"], json!(["Responses", "Contacts"]));
    assert_eq!(questions[1]["allow_other"], true);
    assert_eq!(questions[2]["required"], false);
    assert_eq!(
        questions[2]["show_if"],
        json!({"question_id": questions[0]["id"], "min": 1, "max": 3})
    );
    let closes: i64 = sqlx::query_scalar("SELECT closes_at FROM surveys")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(
        closes, 4_102_444_800,
        "answers are taken until the end of 2099-12-31 UTC"
    );
}

async fn every_problem_of_a_definition_is_reported_on_its_field_and_nothing_is_stored(
    app: TestApp,
) {
    app.set_up_admin().await;
    let editor = token(&app, "editor").await;
    let body = json!({
        "title": "  ",
        "closes_on": "2026-02-30",
        "questions": [
            {"key": "a", "kind": "nps", "prompt": "Recommend us?", "options": ["x", "y"]},
            {"key": "a", "kind": "single_choice", "prompt": "Pick", "options": ["Yes", "yes"]},
            {"kind": "short_text", "prompt": "Why?", "show_if": {"question": "later", "max": 3}},
            {"kind": "long_text", "prompt": "More?", "show_if": {"question": "a", "min": 0, "max": 11}}
        ]
    });
    let (status, out, _) = api(
        &app,
        "POST",
        "/surveys/definitions",
        Some(&editor),
        Some(body),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{out}");
    assert_eq!(out["code"], "validation_failed");
    let fields: Vec<&str> = out["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["field"].as_str().unwrap())
        .collect();
    for field in [
        "title",
        "closes_on",
        "questions[0].options",
        "questions[1].key",
        "questions[1].options",
        "questions[2].show_if",
    ] {
        assert!(fields.contains(&field), "{field} missing from {fields:?}");
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM surveys").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM questions").await, 0);
}

async fn a_draft_is_replaced_whole_but_an_opened_survey_is_refused(app: TestApp) {
    app.set_up_admin().await;
    let editor = token(&app, "editor").await;
    let (_, out, _) = api(
        &app,
        "POST",
        "/surveys/definitions",
        Some(&editor),
        Some(definition()),
    )
    .await;
    let id = out["survey"]["id"].as_str().unwrap().to_string();
    let mut changed = definition();
    changed["title"] = json!("Bulk export, revised");
    changed["anonymous"] = json!(true);
    changed["questions"] = json!([{"kind": "nps", "prompt": "Would you recommend bulk export?"}]);
    let (status, out, _) = api(
        &app,
        "PUT",
        &format!("/surveys/{id}"),
        Some(&editor),
        Some(changed.clone()),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{out}");
    assert_eq!(out["survey"]["title"], "Bulk export, revised");
    assert_eq!(out["survey"]["anonymous"], true);
    assert_eq!(out["questions"].as_array().unwrap().len(), 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM questions").await, 1);

    let viewer = token(&app, "viewer").await;
    let (status, _, _) = api(
        &app,
        "PUT",
        &format!("/surveys/{id}"),
        Some(&viewer),
        Some(changed.clone()),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let unknown = "00000000-0000-4000-8000-000000000000";
    let (status, _, _) = api(
        &app,
        "PUT",
        &format!("/surveys/{unknown}"),
        Some(&editor),
        Some(changed.clone()),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let (status, _, _) = api(
        &app,
        "POST",
        &format!("/surveys/{id}/open"),
        Some(&editor),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (status, out, _) = api(
        &app,
        "PUT",
        &format!("/surveys/{id}"),
        Some(&editor),
        Some(changed),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{out}");
    assert_eq!(app.count("SELECT COUNT(*) FROM questions").await, 1);
}

#[tokio::test]
async fn a_body_over_the_limit_is_refused_with_413_in_the_apis_json_format() {
    let app = crate::helpers::TestApp::spawn(crate::helpers::Backend::Sqlite).await;
    app.set_up_admin().await;
    let editor = token(&app, "editor").await;
    let mut body = definition();
    body["intro"] = json!("x".repeat(70 * 1024));
    let (status, out, headers) = api(
        &app,
        "POST",
        "/surveys/definitions",
        Some(&editor),
        Some(body),
    )
    .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(out["code"], "payload_too_large", "{out}");
    assert!(headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/json"));
}
