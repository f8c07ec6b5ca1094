//! The anonymous public link: off by default, answerable by anyone who holds it, each
//! answer a new anonymous response, and a per-client limit on how many are sent.
use crate::helpers::{location, on_both_backends, path_of, TestApp};
use reqwest::StatusCode;

/// An open survey (one CSAT question) with its public link on; returns (survey id,
/// question field, link path).
async fn public_survey(app: &TestApp) -> (String, String, String) {
    app.set_up_admin().await;
    let survey_id = app.create_survey("Forum feedback").await;
    app.open_survey(&survey_id).await;
    let link = turn(app, &survey_id, "on").await.expect("the link is on");
    let question_id: String =
        sqlx::query_scalar("SELECT question_id FROM questions WHERE survey_id = $1")
            .bind(&survey_id)
            .fetch_one(&app.db)
            .await
            .unwrap();
    (survey_id, format!("q_{question_id}"), link)
}

/// Changes the public link as the signed-in editor; returns its path when it is on.
async fn turn(app: &TestApp, survey_id: &str, change: &str) -> Option<String> {
    let (status, body) = app
        .call(
            "set_public_link",
            &[("survey_id", survey_id), ("change", change)],
        )
        .await;
    assert!(status.is_success(), "{status}: {body}");
    public_link_of(app, survey_id).await
}

async fn public_link_of(app: &TestApp, survey_id: &str) -> Option<String> {
    let (_, body) = app.call("get_survey", &[("survey_id", survey_id)]).await;
    let detail: serde_json::Value = serde_json::from_str(&body).unwrap();
    detail["public_link"]["url"].as_str().map(path_of)
}

on_both_backends!(
    a_survey_has_no_public_link_until_an_editor_turns_it_on,
    each_answer_through_the_public_link_is_a_new_anonymous_response,
    a_wrong_public_answer_comes_back_with_its_message_and_stores_nothing,
    one_client_may_send_ten_public_answers_an_hour_and_is_told_to_wait_after,
    a_link_turned_off_or_renewed_answers_like_an_unknown_one,
    a_closed_survey_public_link_answers_410_and_cannot_be_turned_back_on,
    viewers_cannot_turn_the_public_link_on,
);

async fn a_survey_has_no_public_link_until_an_editor_turns_it_on(app: TestApp) {
    app.set_up_admin().await;
    let survey_id = app.create_survey("Quiet").await;
    assert_eq!(public_link_of(&app, &survey_id).await, None);
    let link = turn(&app, &survey_id, "on").await.unwrap();
    assert!(
        link.starts_with("/s/p/") && link.len() == "/s/p/".len() + 24,
        "{link}"
    );
    assert_eq!(
        turn(&app, &survey_id, "on").await.as_deref(),
        Some(link.as_str()),
        "on again keeps it"
    );
    app.open_survey(&survey_id).await;
    app.set_session_cookie(None);
    let page = app.get(&link).await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("Quiet") && html.contains("be changed once sent"),
        "{html}"
    );
    assert!(
        !html.contains("<script"),
        "no autosave: anonymous answers are stored whole or not at all"
    );
}

async fn each_answer_through_the_public_link_is_a_new_anonymous_response(app: TestApp) {
    let (survey_id, field, link) = public_survey(&app).await;
    app.set_session_cookie(None);
    for score in ["5", "2"] {
        let response = app.post_form(&link, &[(&field, score)]).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&response), format!("{link}?sent=1"));
    }
    let thanks = app
        .get(&format!("{link}?sent=1"))
        .await
        .text()
        .await
        .unwrap();
    assert!(thanks.contains("stored anonymously"));
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM responses \
            WHERE via_public_link = 1 AND invitation_id IS NULL \
            AND completed = 1"
        )
        .await,
        2
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM responses WHERE submitted_at % 86400 <> 0")
            .await,
        0,
        "only the day is kept"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM invitations").await,
        0,
        "the ledger is untouched"
    );
    app.sign_in(crate::helpers::ADMIN_EMAIL, crate::helpers::PASSWORD)
        .await;
    let (_, body) = app.call("get_survey", &[("survey_id", &survey_id)]).await;
    assert!(
        body.contains("\"invited\":0") && body.contains("\"completed\":0"),
        "response rates leave them out: {body}"
    );
    assert!(
        body.contains("\"responses\":2,\"limit_per_hour\":10"),
        "{body}"
    );
}

async fn a_wrong_public_answer_comes_back_with_its_message_and_stores_nothing(app: TestApp) {
    let (_, field, link) = public_survey(&app).await;
    let response = app.post_form(&link, &[(&field, "11")]).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response
        .text()
        .await
        .unwrap()
        .contains("Choose one of the answers from 1 to 5."));
    assert_eq!(app.count("SELECT COUNT(*) FROM responses").await, 0);
}

async fn one_client_may_send_ten_public_answers_an_hour_and_is_told_to_wait_after(app: TestApp) {
    let (_, field, link) = public_survey(&app).await;
    for _ in 0..10 {
        assert_eq!(
            app.post_form(&link, &[(&field, "4")]).await.status(),
            StatusCode::SEE_OTHER
        );
    }
    let refused = app.post_form(&link, &[(&field, "3")]).await;
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = refused.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=3600).contains(&wait), "{wait}");
    let html = refused.text().await.unwrap();
    assert!(
        html.contains("Not sent yet") && html.contains("value=\"3\" checked"),
        "the answer is kept"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM responses").await, 10);
}

async fn a_link_turned_off_or_renewed_answers_like_an_unknown_one(app: TestApp) {
    let (survey_id, field, old) = public_survey(&app).await;
    let unknown = app.get("/s/p/AAAAAAAAAAAAAAAAAAAAAAAA").await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    let unknown = unknown.text().await.unwrap();
    let new = turn(&app, &survey_id, "renew").await.unwrap();
    assert_ne!(new, old);
    let stale = app.get(&old).await;
    assert_eq!(stale.status(), StatusCode::NOT_FOUND);
    assert_eq!(stale.text().await.unwrap(), unknown);
    assert_eq!(app.get(&new).await.status(), StatusCode::OK);
    assert_eq!(turn(&app, &survey_id, "off").await, None);
    assert_eq!(app.get(&new).await.text().await.unwrap(), unknown);
    assert_eq!(
        app.post_form(&new, &[(&field, "4")]).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/s/p/<script>").await.text().await.unwrap(),
        unknown
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM responses").await, 0);
}

async fn a_closed_survey_public_link_answers_410_and_cannot_be_turned_back_on(app: TestApp) {
    let (survey_id, field, link) = public_survey(&app).await;
    app.call("close_survey", &[("survey_id", &survey_id)]).await;
    assert_eq!(app.get(&link).await.status(), StatusCode::GONE);
    assert_eq!(
        app.post_form(&link, &[(&field, "4")]).await.status(),
        StatusCode::GONE
    );
    let (status, body) = app
        .call(
            "set_public_link",
            &[("survey_id", &survey_id), ("change", "renew")],
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
}

async fn viewers_cannot_turn_the_public_link_on(app: TestApp) {
    app.set_up_admin().await;
    let survey_id = app.create_survey("Guarded").await;
    app.add_member("viewer@example.org", "viewer").await;
    app.sign_in("viewer@example.org", crate::helpers::PASSWORD)
        .await;
    let (status, _) = app
        .call(
            "set_public_link",
            &[("survey_id", &survey_id), ("change", "on")],
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM surveys WHERE public_token IS NOT NULL")
            .await,
        0
    );
}
