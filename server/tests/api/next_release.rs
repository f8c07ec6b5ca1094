//! The next release in one step: duplicate copies everything that is not answers, from
//! the page and the API, and the API reads and changes how a survey sends.
use crate::helpers::{on_both_backends, TestApp};
use crate::public_api::{api, token};
use reqwest::StatusCode;
use serde_json::{json, Value};

on_both_backends!(
    the_api_sets_how_a_survey_sends_and_refuses_every_bad_part_at_once,
    duplicating_for_the_next_release_keeps_wording_reminders_target_and_window,
    a_pipeline_dates_its_release_and_the_baseline_places_it_on_that_day,
    a_release_run_retried_from_the_command_line_with_its_key_makes_one_survey,
);

async fn sending(app: &TestApp, token: &str, survey_id: &str) -> Value {
    let (status, body, _) = api(
        app,
        "GET",
        &format!("/surveys/{survey_id}/sending"),
        Some(token),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

fn change() -> Value {
    json!({
        "invitation": {"subject": "{{ feature }}: two minutes?", "body": "Hello {{ name }},\n\n{{ survey_link }}"},
        "reminder": {"subject": "Still time: {{ feature }}", "body": "A reminder: {{ survey_link }}"},
        "reminder_days": [2, 5],
        "target_points": 7,
        "stop_reminders_at_target": true,
        "sending_window": "mon-fri 08:00-18:00",
        "sender_name": "Maya from the Product team"
    })
}

async fn the_api_sets_how_a_survey_sends_and_refuses_every_bad_part_at_once(app: TestApp) {
    app.set_up_admin().await;
    let editor = token(&app, "editor").await;
    let viewer = token(&app, "viewer").await;
    let survey_id = app.create_survey("Storage").await;
    let before = sending(&app, &viewer, &survey_id).await;
    assert_eq!(
        before["sending_window"],
        Value::Null,
        "follows the team's default"
    );
    assert_eq!(
        before["effective_window"], "any time",
        "the test team's default"
    );

    let path = format!("/surveys/{survey_id}/sending");
    let (status, _, _) = api(&app, "PUT", &path, Some(&viewer), Some(change())).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "a viewer reads, never changes"
    );
    let bad = json!({
        "invitation": {"subject": "Hi", "body": "No link here"},
        "reminder_days": [0],
        "target_points": 99,
        "sending_window": "whenever",
        "sender_name": "it@bank.example"
    });
    let (status, refused, _) = api(&app, "PUT", &path, Some(&editor), Some(bad)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    let fields: Vec<&str> = refused["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["field"].as_str().unwrap())
        .collect();
    for field in [
        "invitation.body",
        "reminder_days",
        "target_points",
        "sending_window",
        "sender_name",
    ] {
        assert!(fields.contains(&field), "{field} in {fields:?}");
    }
    assert_eq!(
        sending(&app, &viewer, &survey_id).await,
        before,
        "nothing changed"
    );

    let (status, after, _) = api(&app, "PUT", &path, Some(&editor), Some(change())).await;
    assert_eq!(status, StatusCode::OK, "{after}");
    assert_eq!(after["reminder_days"], json!([2, 5]));
    assert_eq!(after["target_points"], 7);
    assert_eq!(after["stop_reminders_at_target"], true);
    assert_eq!(after["sending_window"], "Mon-Fri 08:00-18:00");
    assert_eq!(after["sender_name"], "Maya from the Product team");
    assert_eq!(
        after["invitation"]["subject"],
        "{{ feature }}: two minutes?"
    );
    let (status, _, _) = api(
        &app,
        "PUT",
        &path,
        Some(&editor),
        Some(json!({"sending_window": "any time"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let now = sending(&app, &viewer, &survey_id).await;
    assert_eq!(now["sending_window"], "any time");
    assert_eq!(now["target_points"], 7, "parts not given are kept");
}

async fn duplicating_for_the_next_release_keeps_wording_reminders_target_and_window(app: TestApp) {
    app.set_up_admin().await;
    let editor = token(&app, "editor").await;
    let survey_id = app.create_survey("Storage").await;
    let path = format!("/surveys/{survey_id}/sending");
    let (status, original, _) = api(&app, "PUT", &path, Some(&editor), Some(change())).await;
    assert_eq!(status, StatusCode::OK, "{original}");

    let (status, body) = app
        .call("duplicate_survey", &[("survey_id", &survey_id)])
        .await;
    assert!(
        status.is_success() || status.is_redirection(),
        "{status}: {body}"
    );
    let from_page: String = serde_json::from_str(&body).unwrap();
    assert_eq!(
        sending(&app, &editor, &from_page).await,
        original,
        "the page's copy"
    );

    let (status, copy, _) = api(
        &app,
        "POST",
        &format!("/surveys/{survey_id}/duplicate"),
        Some(&editor),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{copy}");
    assert_eq!(copy["status"], "draft");
    assert!(copy["closes_at"].is_null() && copy["release"].is_null());
    let from_api = copy["id"].as_str().unwrap();
    assert_eq!(
        sending(&app, &editor, from_api).await,
        original,
        "the API's copy"
    );
}

async fn a_pipeline_dates_its_release_and_the_baseline_places_it_on_that_day(app: TestApp) {
    app.set_up_admin().await;
    let editor = token(&app, "editor").await;
    let (status, out, _) = api(
        &app,
        "POST",
        "/release-surveys",
        Some(&editor),
        Some(json!({"release": "Storage 2.0", "released_on": "2026-11-30"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{out}");
    let (status, baseline, _) = api(&app, "GET", "/baseline", Some(&editor), None).await;
    assert_eq!(status, StatusCode::OK, "{baseline}");
    let release = baseline["releases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["surveys"][0]["title"] == "Storage 2.0")
        .cloned()
        .unwrap_or_else(|| panic!("the open release is placed so far: {baseline}"));
    assert_eq!(release["released_on"], "2026-11-30");
    for (body, field) in [
        (
            json!({"release": "Storage 2.1", "released_on": "2026-02-30"}),
            "released_on",
        ),
        (
            json!({"title": "No release", "template": "blank", "released_on": "2026-11-30"}),
            "released_on",
        ),
    ] {
        let path = if body.get("title").is_some() {
            "/surveys"
        } else {
            "/release-surveys"
        };
        let (status, out, _) = api(&app, "POST", path, Some(&editor), Some(body)).await;
        assert_eq!(
            (status, out["details"][0]["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some(field)),
            "{out}"
        );
    }
}

async fn a_release_run_retried_from_the_command_line_with_its_key_makes_one_survey(app: TestApp) {
    use crate::command_line::soundings;
    app.set_up_admin().await;
    app.add_community("Lakeside", "tier-enterprise").await;
    app.add_contact("ada@example.org", "Ada", "Lakeside").await;
    let run = |key: &str, release: &str| {
        soundings(
            &app,
            &[
                "survey",
                "release",
                "--release",
                release,
                "--released-on",
                "2026-12-01",
                "--tier",
                "Enterprise",
                "--idempotency-key",
                key,
            ],
        )
    };
    let first = run("build-4711", "Storage 2.0");
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let first = String::from_utf8(first.stdout).unwrap();
    assert!(first.contains("1 invited"), "{first}");
    let again = String::from_utf8(run("build-4711", "Storage 2.0").stdout).unwrap();
    assert!(again.contains("nothing was done again"), "{again}");
    let id = |out: &str| out.split_whitespace().nth(1).unwrap().to_string();
    assert_eq!(id(&first), id(&again), "the same survey");
    assert_eq!(app.count("SELECT COUNT(*) FROM surveys").await, 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM invitations").await, 1);
    let reused = run("build-4711", "Storage 2.1");
    assert!(!reused.status.success());
    assert!(
        String::from_utf8_lossy(&reused.stderr).contains("different request"),
        "{}",
        String::from_utf8_lossy(&reused.stderr)
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM surveys").await, 1);
}
