//! The public JSON API: tokens on every call, the release flow in one call, cursor pages,
//! JSON errors with stable codes, and the OpenAPI document.
use crate::helpers::{on_both_backends, TestApp};
use reqwest::StatusCode;
use serde_json::{json, Value};

/// A token with `role`, created by the admin through the tokens page's server function.
async fn token(app: &TestApp, role: &str) -> String {
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

async fn api(
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
        app.call("create_community", &[("name", name), ("tier_id", tier)])
            .await;
    }
    for (who, community) in [
        ("n1", "North"),
        ("n2", "North"),
        ("e1", "Lakeside"),
        ("p1", "Hilltop"),
    ] {
        app.call(
            "save_contact",
            &[
                ("email", &format!("{who}@example.org")),
                ("name", who),
                ("community", community),
                ("role", ""),
                ("tags", ""),
            ],
        )
        .await;
    }
}

on_both_backends! {
    async fn a_release_pipeline_creates_opens_and_sends_a_survey_in_one_call(app) {
        with_audience(&app).await;
        let editor = token(&app, "editor").await;
        let body = json!({"release": "Storage 2.0", "recipients": {"tiers": ["Enterprise", "essential"]}});
        let (status, out, _) = api(&app, "POST", "/release-surveys", Some(&editor), Some(body)).await;
        assert_eq!(status, StatusCode::CREATED, "{out}");
        assert_eq!((out["invited"].as_i64(), out["queued"].as_u64()), (Some(3), Some(3)), "{out}");
        assert_eq!((out["survey"]["status"].as_str(), out["survey"]["release"].as_str()), (Some("open"), Some("Storage 2.0")));
        assert_eq!(out["survey"]["title"], "Storage 2.0");
        app.wait_for_count("SELECT COUNT(*) FROM invitations WHERE sent_at IS NOT NULL", 3).await;
        let id = out["survey"]["id"].as_str().unwrap();
        let (status, again, _) = api(&app, "POST", &format!("/surveys/{id}/sends"), Some(&editor), Some(json!({"tiers": ["Professional"]}))).await;
        assert_eq!((status, again["invited"].as_i64()), (StatusCode::ACCEPTED, Some(1)), "{again}");
        let (status, refused, _) = api(&app, "POST", &format!("/surveys/{id}/sends"), Some(&editor), Some(json!({"tiers": ["Gold"]}))).await;
        assert_eq!((status, refused["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("validation_failed")));
        assert_eq!(refused["details"][0]["field"], "tiers");
        let (status, summary, _) = api(&app, "GET", &format!("/surveys/{id}/summary"), Some(&editor), None).await;
        assert_eq!(status, StatusCode::OK, "{summary}");
        assert_eq!(summary["scores"][0]["kind"], "csat");
        assert_eq!(summary["scores"][0]["verdict"], "need_more");
    }

    async fn every_call_needs_a_live_token_and_its_role(app) {
        with_audience(&app).await;
        let viewer = token(&app, "viewer").await;
        let (status, body, headers) = api(&app, "GET", "/surveys", None, None).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("unauthorized")));
        assert_eq!(headers["www-authenticate"], "Bearer");
        let (status, ..) = api(&app, "GET", "/surveys", Some("snd_not-a-token"), None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        // The admin's session cookie alone authorises nothing here.
        let response = reqwest::Client::new().get(app.url("/api/v1/surveys"))
            .header("cookie", app.session_cookie().unwrap()).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        let (status, ..) = api(&app, "GET", "/surveys", Some(&viewer), None).await;
        assert_eq!(status, StatusCode::OK);
        let (status, body, _) = api(&app, "POST", "/surveys", Some(&viewer), Some(json!({"title": "T", "template": "blank"}))).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::FORBIDDEN, Some("forbidden")));
        assert_eq!(app.count("SELECT COUNT(*) FROM api_tokens WHERE last_used_at IS NOT NULL").await, 1);
        sqlx::query("UPDATE api_tokens SET expires_at = 1").execute(&app.db).await.unwrap();
        assert_eq!(api(&app, "GET", "/surveys", Some(&viewer), None).await.0, StatusCode::UNAUTHORIZED, "expired");
        sqlx::query("UPDATE api_tokens SET expires_at = NULL").execute(&app.db).await.unwrap();
        let (_, list) = app.call("list_api_tokens", &[]).await;
        let list: Value = serde_json::from_str(&list).unwrap();
        let token_id = list[0]["token_id"].as_str().unwrap().to_string();
        assert!(!list.to_string().contains(&viewer), "the secret is never shown again");
        app.call("revoke_api_token", &[("token_id", &token_id)]).await;
        assert_eq!(api(&app, "GET", "/surveys", Some(&viewer), None).await.0, StatusCode::UNAUTHORIZED, "revoked");
        app.add_member("editor@example.org", "editor").await;
        app.sign_in("editor@example.org", crate::helpers::PASSWORD).await;
        let (status, _) = app.call("create_api_token", &[("name", "mine"), ("role", "admin"), ("expires_in_days", "")]).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "only admins make tokens");
    }

    async fn surveys_come_a_page_at_a_time_and_errors_are_json_with_stable_codes(app) {
        with_audience(&app).await;
        let editor = token(&app, "editor").await;
        for title in ["One", "Two", "Three"] {
            let (status, body, _) = api(&app, "POST", "/surveys", Some(&editor), Some(json!({"title": title, "template": "blank"}))).await;
            assert_eq!(status, StatusCode::CREATED, "{body}");
        }
        let (_, first, _) = api(&app, "GET", "/surveys?limit=2", Some(&editor), None).await;
        assert_eq!(first["items"].as_array().unwrap().len(), 2);
        let cursor = first["next_cursor"].as_str().unwrap();
        let (_, second, _) = api(&app, "GET", &format!("/surveys?limit=2&cursor={cursor}"), Some(&editor), None).await;
        assert_eq!(second["items"].as_array().unwrap().len(), 1);
        assert!(second["next_cursor"].is_null());
        let mut seen: Vec<String> = first["items"].as_array().unwrap().iter().chain(second["items"].as_array().unwrap()).map(|s| s["title"].as_str().unwrap().to_string()).collect();
        seen.sort();
        assert_eq!(seen, ["One", "Three", "Two"]);
        assert_eq!(api(&app, "GET", "/surveys?limit=0", Some(&editor), None).await.1["code"], "validation_failed");
        assert_eq!(api(&app, "GET", "/surveys?cursor=nonsense", Some(&editor), None).await.1["code"], "bad_request");
        assert_eq!(api(&app, "GET", "/surveys?limit=ten", Some(&editor), None).await.1["code"], "bad_request");
        let (status, body, _) = api(&app, "POST", "/surveys", Some(&editor), Some(json!({"title": "X", "template": "nope"}))).await;
        assert_eq!((status, body["details"][0]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("template")));
        let (status, body, _) = api(&app, "POST", "/surveys", Some(&editor), Some(json!({"title": "X"}))).await;
        assert_eq!((status, body["code"].as_str(), body["details"][0]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("validation_failed"), Some("template")));
        let (status, body, _) = api(&app, "POST", "/surveys", Some(&editor), Some(json!({"title": "   ", "template": "blank"}))).await;
        assert_eq!((status, body["details"][0]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("title")));
        let raw = reqwest::Client::new().post(app.url("/api/v1/surveys")).bearer_auth(&editor)
            .header("content-type", "application/json").body("{not json").send().await.unwrap();
        assert_eq!(raw.status(), StatusCode::BAD_REQUEST);
        assert_eq!(raw.json::<Value>().await.unwrap()["code"], "bad_request");
        let id = first["items"][0]["id"].as_str().unwrap();
        assert_eq!(api(&app, "POST", &format!("/surveys/{id}/open"), Some(&editor), None).await.0, StatusCode::OK);
        let (status, body, _) = api(&app, "POST", &format!("/surveys/{id}/open"), Some(&editor), None).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::CONFLICT, Some("conflict")));
        let (status, body, _) = api(&app, "GET", "/surveys/00000000-0000-4000-8000-000000000000", Some(&editor), None).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::NOT_FOUND, Some("not_found")));
        assert_eq!(api(&app, "GET", "/nowhere", Some(&editor), None).await.1["code"], "not_found");
        let (status, detail, _) = api(&app, "GET", &format!("/surveys/{id}"), Some(&editor), None).await;
        assert_eq!((status, detail["questions"][0]["kind"].as_str()), (StatusCode::OK, Some("csat")));
    }
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
        "/baseline",
        "/release-surveys",
    ] {
        assert!(doc["paths"].get(path).is_some(), "{path} is documented");
    }
    let page = app.get("/api/v1/docs").await.text().await.unwrap();
    assert!(page.contains("/api/v1/release-surveys") && page.contains("OpenAPI 3.1"));
}
