//! The public JSON API: tokens on every call, the release flow in one call, cursor pages,
//! JSON errors with stable codes, and the OpenAPI document.
use crate::helpers::{on_both_backends, TestApp};
use reqwest::StatusCode;
use serde_json::{json, Value};

/// A token with `role`, created by the admin through the tokens page's server function.
pub(crate) async fn token(app: &TestApp, role: &str) -> String {
    let (status, body) = app
        .call(
            "create_api_token",
            &[
                ("name", &format!("{role} script")),
                ("role", role),
                ("expires_in_days", ""),
            ],
        )
        .await;
    assert!(status.is_success(), "{status}: {body}");
    let created: Value = serde_json::from_str(&body).unwrap();
    created["secret"].as_str().unwrap().to_string()
}

pub(crate) async fn api(
    app: &TestApp,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> (StatusCode, Value, reqwest::header::HeaderMap) {
    let client = reqwest::Client::new();
    let url = app.url(&format!("/api/v1{path}"));
    let mut request = match method {
        "GET" => client.get(url),
        "PUT" => client.put(url),
        "DELETE" => client.delete(url),
        _ => client.post(url),
    };
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let (status, headers) = (response.status(), response.headers().clone());
    let text = response.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
        headers,
    )
}

async fn with_audience(app: &TestApp) {
    app.set_up_admin().await;
    for (name, tier) in [
        ("North", "tier-essential"),
        ("Lakeside", "tier-enterprise"),
        ("Hilltop", "tier-professional"),
    ] {
        app.add_community(name, tier).await;
    }
    for (who, community) in [
        ("n1", "North"),
        ("n2", "North"),
        ("e1", "Lakeside"),
        ("p1", "Hilltop"),
    ] {
        app.add_contact(&format!("{who}@example.org"), who, community)
            .await;
    }
}

on_both_backends!(
    a_release_pipeline_creates_opens_and_sends_a_survey_in_one_call,
    a_release_call_refused_for_an_unknown_tier_leaves_no_survey_behind,
    every_call_needs_a_live_token_and_its_role,
    surveys_come_a_page_at_a_time_and_errors_are_json_with_stable_codes,
    the_tokens_page_shows_a_new_secret_once_on_a_page_of_its_own,
    contacts_are_upserted_all_or_nothing_listed_by_page_and_erased,
    responses_come_with_their_answers_a_page_at_a_time,
);

async fn a_release_pipeline_creates_opens_and_sends_a_survey_in_one_call(app: TestApp) {
    with_audience(&app).await;
    let editor = token(&app, "editor").await;
    let body =
        json!({"release": "Storage 2.0", "recipients": {"tiers": ["Enterprise", "essential"]}});
    let (status, out, _) = api(&app, "POST", "/release-surveys", Some(&editor), Some(body)).await;
    assert_eq!(status, StatusCode::CREATED, "{out}");
    assert_eq!(
        (out["invited"].as_i64(), out["queued"].as_u64()),
        (Some(3), Some(3)),
        "{out}"
    );
    assert_eq!(
        (
            out["survey"]["status"].as_str(),
            out["survey"]["release"].as_str()
        ),
        (Some("open"), Some("Storage 2.0"))
    );
    assert_eq!(out["survey"]["title"], "Storage 2.0");
    app.wait_for_count(
        "SELECT COUNT(*) FROM invitations WHERE sent_at IS NOT NULL",
        3,
    )
    .await;
    let id = out["survey"]["id"].as_str().unwrap();
    let (status, again, _) = api(
        &app,
        "POST",
        &format!("/surveys/{id}/sends"),
        Some(&editor),
        Some(json!({"tiers": ["Professional"]})),
    )
    .await;
    assert_eq!(
        (status, again["invited"].as_i64()),
        (StatusCode::ACCEPTED, Some(1)),
        "{again}"
    );
    let (status, refused, _) = api(
        &app,
        "POST",
        &format!("/surveys/{id}/sends"),
        Some(&editor),
        Some(json!({"tiers": ["Gold"]})),
    )
    .await;
    assert_eq!(
        (status, refused["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("validation_failed"))
    );
    assert_eq!(refused["details"][0]["field"], "tiers");
    let (status, summary, _) = api(
        &app,
        "GET",
        &format!("/surveys/{id}/summary"),
        Some(&editor),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{summary}");
    assert_eq!(summary["scores"][0]["kind"], "csat");
    assert_eq!(summary["scores"][0]["verdict"], "need_more");
}

async fn a_release_call_refused_for_an_unknown_tier_leaves_no_survey_behind(app: TestApp) {
    // A pipeline that names a tier by mistake must not leave an open survey (nor its
    // release, invitations or mail) behind; its corrected retry then makes exactly one.
    with_audience(&app).await;
    let editor = token(&app, "editor").await;
    let body = json!({"release": "Storage 2.0", "recipients": {"tiers": ["Enterprise", "Gold"]}});
    let (status, refused, _) =
        api(&app, "POST", "/release-surveys", Some(&editor), Some(body)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    assert_eq!(refused["details"][0]["field"], "tiers", "{refused}");
    for table in ["surveys", "releases", "questions", "invitations", "outbox"] {
        assert_eq!(
            app.count(&format!("SELECT COUNT(*) FROM {table}")).await,
            0,
            "{table} after the refusal"
        );
    }
    let body = json!({"release": "Storage 2.0", "recipients": {"tiers": ["Enterprise"]}});
    let (status, out, _) = api(&app, "POST", "/release-surveys", Some(&editor), Some(body)).await;
    assert_eq!(
        (status, out["invited"].as_i64()),
        (StatusCode::CREATED, Some(1)),
        "{out}"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM surveys WHERE status = 'open'")
            .await,
        1
    );
}

async fn every_call_needs_a_live_token_and_its_role(app: TestApp) {
    with_audience(&app).await;
    let viewer = token(&app, "viewer").await;
    let (status, body, headers) = api(&app, "GET", "/surveys", None, None).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("unauthorized"))
    );
    assert_eq!(headers["www-authenticate"], "Bearer");
    let (status, ..) = api(&app, "GET", "/surveys", Some("snd_not-a-token"), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // The admin's session cookie alone authorises nothing here.
    let response = reqwest::Client::new()
        .get(app.url("/api/v1/surveys"))
        .header("cookie", app.session_cookie().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let (status, ..) = api(&app, "GET", "/surveys", Some(&viewer), None).await;
    assert_eq!(status, StatusCode::OK);
    let (status, body, _) = api(
        &app,
        "POST",
        "/surveys",
        Some(&viewer),
        Some(json!({"title": "T", "template": "blank"})),
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("forbidden"))
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM api_tokens WHERE last_used_at IS NOT NULL")
            .await,
        1
    );
    sqlx::query("UPDATE api_tokens SET expires_at = 1")
        .execute(&app.db)
        .await
        .unwrap();
    assert_eq!(
        api(&app, "GET", "/surveys", Some(&viewer), None).await.0,
        StatusCode::UNAUTHORIZED,
        "expired"
    );
    sqlx::query("UPDATE api_tokens SET expires_at = NULL")
        .execute(&app.db)
        .await
        .unwrap();
    let (_, list) = app.call("list_api_tokens", &[]).await;
    let list: Value = serde_json::from_str(&list).unwrap();
    let token_id = list[0]["token_id"].as_str().unwrap().to_string();
    assert!(
        !list.to_string().contains(&viewer),
        "the secret is never shown again"
    );
    app.call("revoke_api_token", &[("token_id", &token_id)])
        .await;
    assert_eq!(
        api(&app, "GET", "/surveys", Some(&viewer), None).await.0,
        StatusCode::UNAUTHORIZED,
        "revoked"
    );
    app.add_member("editor@example.org", "editor").await;
    app.sign_in("editor@example.org", crate::helpers::PASSWORD)
        .await;
    let (status, _) = app
        .call(
            "create_api_token",
            &[("name", "mine"), ("role", "admin"), ("expires_in_days", "")],
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "only admins make tokens");
}

async fn surveys_come_a_page_at_a_time_and_errors_are_json_with_stable_codes(app: TestApp) {
    with_audience(&app).await;
    let editor = token(&app, "editor").await;
    for title in ["One", "Two", "Three"] {
        let (status, body, _) = api(
            &app,
            "POST",
            "/surveys",
            Some(&editor),
            Some(json!({"title": title, "template": "blank"})),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    let (_, first, _) = api(&app, "GET", "/surveys?limit=2", Some(&editor), None).await;
    assert_eq!(first["items"].as_array().unwrap().len(), 2);
    let cursor = first["next_cursor"].as_str().unwrap();
    let (_, second, _) = api(
        &app,
        "GET",
        &format!("/surveys?limit=2&cursor={cursor}"),
        Some(&editor),
        None,
    )
    .await;
    assert_eq!(second["items"].as_array().unwrap().len(), 1);
    assert!(second["next_cursor"].is_null());
    let mut seen: Vec<String> = first["items"]
        .as_array()
        .unwrap()
        .iter()
        .chain(second["items"].as_array().unwrap())
        .map(|s| s["title"].as_str().unwrap().to_string())
        .collect();
    seen.sort();
    assert_eq!(seen, ["One", "Three", "Two"]);
    assert_eq!(
        api(&app, "GET", "/surveys?limit=0", Some(&editor), None)
            .await
            .1["code"],
        "validation_failed"
    );
    assert_eq!(
        api(&app, "GET", "/surveys?cursor=nonsense", Some(&editor), None)
            .await
            .1["code"],
        "bad_request"
    );
    assert_eq!(
        api(&app, "GET", "/surveys?limit=ten", Some(&editor), None)
            .await
            .1["code"],
        "bad_request"
    );
    let (status, body, _) = api(
        &app,
        "POST",
        "/surveys",
        Some(&editor),
        Some(json!({"title": "X", "template": "nope"})),
    )
    .await;
    assert_eq!(
        (status, body["details"][0]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("template"))
    );
    let (status, body, _) = api(
        &app,
        "POST",
        "/surveys",
        Some(&editor),
        Some(json!({"title": "X"})),
    )
    .await;
    assert_eq!(
        (
            status,
            body["code"].as_str(),
            body["details"][0]["field"].as_str()
        ),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("validation_failed"),
            Some("template")
        )
    );
    let (status, body, _) = api(
        &app,
        "POST",
        "/surveys",
        Some(&editor),
        Some(json!({"title": "   ", "template": "blank"})),
    )
    .await;
    assert_eq!(
        (status, body["details"][0]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("title"))
    );
    let raw = reqwest::Client::new()
        .post(app.url("/api/v1/surveys"))
        .bearer_auth(&editor)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status(), StatusCode::BAD_REQUEST);
    assert_eq!(raw.json::<Value>().await.unwrap()["code"], "bad_request");
    let id = first["items"][0]["id"].as_str().unwrap();
    assert_eq!(
        api(
            &app,
            "POST",
            &format!("/surveys/{id}/open"),
            Some(&editor),
            None
        )
        .await
        .0,
        StatusCode::OK
    );
    let (status, body, _) = api(
        &app,
        "POST",
        &format!("/surveys/{id}/open"),
        Some(&editor),
        None,
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::CONFLICT, Some("conflict"))
    );
    let (status, body, _) = api(
        &app,
        "GET",
        "/surveys/00000000-0000-4000-8000-000000000000",
        Some(&editor),
        None,
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("not_found"))
    );
    assert_eq!(
        api(&app, "GET", "/nowhere", Some(&editor), None).await.1["code"],
        "not_found"
    );
    let (status, detail, _) =
        api(&app, "GET", &format!("/surveys/{id}"), Some(&editor), None).await;
    assert_eq!(
        (status, detail["questions"][0]["kind"].as_str()),
        (StatusCode::OK, Some("csat"))
    );
}

async fn the_tokens_page_shows_a_new_secret_once_on_a_page_of_its_own(app: TestApp) {
    app.set_up_admin().await;
    let response = app
        .post_form(
            "/api-tokens/new",
            &[
                ("name", "pipeline"),
                ("role", "editor"),
                ("expires_in_days", "30"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["cache-control"], "no-store");
    let page = response.text().await.unwrap();
    let start = page.find("snd_").expect("the secret is on the page");
    let secret = page[start..].split('<').next().unwrap().to_string();
    assert!(secret.starts_with("snd_"), "{page}");
    assert_eq!(
        api(&app, "GET", "/surveys", Some(&secret), None).await.0,
        StatusCode::OK
    );
    let list = app.get("/api-tokens").await.text().await.unwrap();
    assert!(
        list.contains("pipeline") && !list.contains(&secret),
        "the list never shows the secret"
    );
    let refused = app
        .post_form(
            "/api-tokens/new",
            &[("name", "x"), ("role", "boss"), ("expires_in_days", "")],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text().await.unwrap().contains("is not a role"));
    app.add_member("editor@example.org", "editor").await;
    app.sign_in("editor@example.org", crate::helpers::PASSWORD)
        .await;
    assert_eq!(
        app.post_form(
            "/api-tokens/new",
            &[("name", "x"), ("role", "admin"), ("expires_in_days", "")]
        )
        .await
        .status(),
        StatusCode::FORBIDDEN
    );
}

async fn contacts_are_upserted_all_or_nothing_listed_by_page_and_erased(app: TestApp) {
    with_audience(&app).await;
    let editor = token(&app, "editor").await;
    let body = json!({"contacts": [
        {"email": "New@Example.org", "name": "New Person", "community": "north", "tags": ["Beta"]},
        {"email": "n1@example.org", "name": "N One", "community": "North"}
    ]});
    let (status, out, _) = api(&app, "PUT", "/contacts", Some(&editor), Some(body)).await;
    assert_eq!(status, StatusCode::OK, "{out}");
    assert_eq!(
        (
            out["created"].as_i64(),
            out["updated"].as_i64(),
            out["unchanged"].as_i64()
        ),
        (Some(1), Some(1), Some(0))
    );
    let bad = json!({"contacts": [
        {"email": "fine@example.org", "name": "Fine", "community": "North"},
        {"email": "lost@example.org", "name": "Lost", "community": "Nowhere"}
    ]});
    let (status, out, _) = api(&app, "PUT", "/contacts", Some(&editor), Some(bad)).await;
    assert_eq!(
        (status, out["details"][0]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("contacts[1]")),
        "{out}"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM contacts").await,
        5,
        "nothing half-applied"
    );
    let mut emails = Vec::new();
    let mut cursor = String::new();
    loop {
        let (_, page, _) = api(
            &app,
            "GET",
            &format!("/contacts?limit=2&cursor={cursor}"),
            Some(&editor),
            None,
        )
        .await;
        emails.extend(
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["email"].as_str().unwrap().to_string()),
        );
        match page["next_cursor"].as_str() {
            Some(next) => cursor = next.to_string(),
            None => break,
        }
    }
    assert_eq!(
        emails,
        [
            "e1@example.org",
            "n1@example.org",
            "n2@example.org",
            "new@example.org",
            "p1@example.org"
        ]
    );
    let (_, first, _) = api(&app, "GET", "/contacts?limit=100", Some(&editor), None).await;
    let new = first["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["email"] == "new@example.org")
        .unwrap()
        .clone();
    assert_eq!(
        (new["tags"][0].as_str(), new["community"].as_str()),
        (Some("beta"), Some("North"))
    );
    let (status, ..) = api(
        &app,
        "DELETE",
        "/contacts/new@example.org",
        Some(&editor),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, body, _) = api(
        &app,
        "DELETE",
        "/contacts/new@example.org",
        Some(&editor),
        None,
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("not_found"))
    );
    let (_, communities, _) = api(&app, "GET", "/communities", Some(&editor), None).await;
    assert_eq!(communities["items"].as_array().unwrap().len(), 3);
    let viewer = token(&app, "viewer").await;
    let (status, ..) = api(
        &app,
        "PUT",
        "/contacts",
        Some(&viewer),
        Some(json!({"contacts": []})),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

async fn responses_come_with_their_answers_a_page_at_a_time(app: TestApp) {
    with_audience(&app).await;
    let survey_id = app.create_survey("Answers").await;
    app.open_survey(&survey_id).await;
    let links = app
        .add_recipients(&survey_id, "n1@example.org\nn2@example.org")
        .await;
    let question_id: String = sqlx::query_scalar("SELECT question_id FROM questions")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let editor = token(&app, "editor").await;
    let cookie = app.session_cookie();
    app.set_session_cookie(None);
    for ((_, link), score) in links.iter().zip(["5", "2"]) {
        app.post_form(
            &crate::helpers::path_of(link),
            &[(&format!("q_{question_id}"), score)],
        )
        .await;
    }
    app.set_session_cookie(cookie);
    let (status, first, _) = api(
        &app,
        "GET",
        &format!("/surveys/{survey_id}/responses?limit=1"),
        Some(&editor),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{first}");
    assert_eq!(first["items"].as_array().unwrap().len(), 1);
    assert_eq!(first["items"][0]["answers"][0]["question_id"], question_id);
    let cursor = first["next_cursor"].as_str().unwrap();
    let (_, second, _) = api(
        &app,
        "GET",
        &format!("/surveys/{survey_id}/responses?limit=1&cursor={cursor}"),
        Some(&editor),
        None,
    )
    .await;
    assert!(second["next_cursor"].is_null());
    let mut scores: Vec<(String, i64)> = [&first, &second]
        .iter()
        .map(|p| {
            (
                p["items"][0]["respondent"].as_str().unwrap().to_string(),
                p["items"][0]["answers"][0]["score"].as_i64().unwrap(),
            )
        })
        .collect();
    scores.sort();
    assert_eq!(
        scores,
        [
            ("n1@example.org".to_string(), 5),
            ("n2@example.org".to_string(), 2)
        ]
    );
    sqlx::query("UPDATE surveys SET anonymity = 'anonymous'")
        .execute(&app.db)
        .await
        .unwrap();
    let (_, anonymous, _) = api(
        &app,
        "GET",
        &format!("/surveys/{survey_id}/responses"),
        Some(&editor),
        None,
    )
    .await;
    assert!(anonymous["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["respondent"].is_null()));
}

#[tokio::test]
async fn the_openapi_document_is_3_1_and_names_every_route() {
    let app = TestApp::spawn(crate::helpers::Backend::Sqlite).await;
    let (status, doc, _) = api(&app, "GET", "/openapi.json", None, None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"), "{doc}");
    for path in [
        "/surveys",
        "/surveys/{survey_id}",
        "/surveys/{survey_id}/sends",
        "/surveys/{survey_id}/summary",
        "/surveys/definitions",
        "/baseline",
        "/release-surveys",
    ] {
        assert!(doc["paths"].get(path).is_some(), "{path} is documented");
    }
    let page = app.get("/api/v1/docs").await.text().await.unwrap();
    assert!(page.contains("/api/v1/release-surveys") && page.contains("OpenAPI 3.1"));
}

#[tokio::test]
async fn a_token_over_its_allowance_gets_429_with_retry_after() {
    std::env::set_var("TEST_API_CALLS_PER_MINUTE", "3");
    let app = TestApp::spawn(crate::helpers::Backend::Sqlite).await;
    app.set_up_admin().await;
    let viewer = token(&app, "viewer").await;
    for _ in 0..3 {
        assert_eq!(
            api(&app, "GET", "/surveys", Some(&viewer), None).await.0,
            StatusCode::OK
        );
    }
    let (status, body, headers) = api(&app, "GET", "/surveys", Some(&viewer), None).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::TOO_MANY_REQUESTS, Some("rate_limited"))
    );
    let wait: u64 = headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    let other = token(&app, "viewer").await;
    assert_eq!(
        api(&app, "GET", "/surveys", Some(&other), None).await.0,
        StatusCode::OK,
        "each token counts apart"
    );
}

/// Posts a release survey with an `Idempotency-Key`; returns the status, the body and
/// whether the answer was a replay.
async fn release_with_key(
    app: &TestApp,
    token: &str,
    key: &str,
    body: &Value,
) -> (StatusCode, Value, bool) {
    let response = reqwest::Client::new()
        .post(app.url("/api/v1/release-surveys"))
        .bearer_auth(token)
        .header("Idempotency-Key", key)
        .json(body)
        .send()
        .await
        .unwrap();
    let status = response.status();
    let replayed = response.headers().get("idempotent-replayed").is_some();
    let body = response.json().await.unwrap();
    (status, body, replayed)
}

mod idempotency {
    use super::*;

    crate::helpers::on_both_backends!(
        a_pipeline_retrying_with_the_same_key_gets_the_one_survey_the_first_call_made,
    );

    async fn a_pipeline_retrying_with_the_same_key_gets_the_one_survey_the_first_call_made(
        app: TestApp,
    ) {
        with_audience(&app).await;
        let editor = token(&app, "editor").await;
        let body = json!({"release": "Storage 2.0", "recipients": {"tiers": ["Enterprise"]}});
        // Two calls at once, as a pipeline that timed out and retried at once would make.
        let (first, second) = tokio::join!(
            release_with_key(&app, &editor, "build-4711", &body),
            release_with_key(&app, &editor, "build-4711", &body),
        );
        assert_eq!(
            (first.0, second.0),
            (StatusCode::CREATED, StatusCode::CREATED)
        );
        assert_eq!(first.1["survey"]["id"], second.1["survey"]["id"]);
        assert_eq!(first.1["invited"], second.1["invited"], "the same outcome");
        assert!(first.2 != second.2, "exactly one is the replay");
        assert_eq!(app.count("SELECT COUNT(*) FROM surveys").await, 1);
        assert_eq!(app.count("SELECT COUNT(*) FROM invitations").await, 1);

        let other = json!({"release": "Search 1.0", "recipients": {"tiers": ["Enterprise"]}});
        let (status, refused, _) = release_with_key(&app, &editor, "build-4711", &other).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
        assert_eq!(refused["details"][0]["field"], "Idempotency-Key");
        let (status, refused, _) = release_with_key(&app, &editor, &"k".repeat(201), &other).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");

        let (status, fresh, replayed) = release_with_key(&app, &editor, "build-4712", &other).await;
        assert_eq!((status, replayed), (StatusCode::CREATED, false), "{fresh}");
        assert_eq!(app.count("SELECT COUNT(*) FROM surveys").await, 2);
    }
}
