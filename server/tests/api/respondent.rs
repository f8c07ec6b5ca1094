use crate::helpers::{location, on_both_backends, path_of, TestApp};
use reqwest::StatusCode;
use sha2::{Digest, Sha256};

/// An open survey with one invited person; returns (survey id, question id, link path).
async fn invited(app: &TestApp) -> (String, String, String) {
    app.set_up_admin().await;
    let survey_id = app.create_survey("New storage options").await;
    app.open_survey(&survey_id).await;
    let links = app.add_recipients(&survey_id, "ada@example.org").await;
    let question_id: String =
        sqlx::query_scalar("SELECT question_id FROM questions WHERE survey_id = $1")
            .bind(&survey_id)
            .fetch_one(&app.db)
            .await
            .unwrap();
    (survey_id, question_id, path_of(&links[0].1))
}

fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

on_both_backends!(
    a_person_answers_through_their_link_and_the_survey_counts_it,
    answering_again_through_the_same_link_updates_the_one_response,
    a_missing_answer_comes_back_with_the_problem_next_to_the_question,
    personal_link_tokens_are_stored_only_as_their_sha256,
    unknown_and_malformed_links_get_the_same_friendly_404,
    respondent_pages_never_send_their_address_as_a_referer,
    a_draft_survey_link_says_it_is_not_open_yet,
    a_closed_survey_takes_no_more_answers,
    opening_a_link_is_recorded_once,
    marks_noted_before_a_flush_are_written_when_it_returns,
    the_page_says_in_one_sentence_what_the_team_will_see_of_the_answers,
);

async fn a_person_answers_through_their_link_and_the_survey_counts_it(app: TestApp) {
    let (survey_id, question_id, link) = invited(&app).await;
    app.set_session_cookie(None);
    let page = app.get(&link).await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("How satisfied are you with this feature?")
            && html.contains("Very satisfied")
    );
    assert!(html.contains("<fieldset") && html.contains("<legend>"));
    assert_eq!(
        html.matches("<script").count(),
        1,
        "one script: the autosave file"
    );
    assert!(html.contains("<script src=\"/respond.js\" defer></script>"));
    assert!(
        !html.contains("soundings.wasm") && !html.contains("/pkg/soundings.js"),
        "never the team's bundle"
    );
    let field = format!("q_{question_id}");
    let response = app.post_form(&link, &[(&field, "4")]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), format!("{link}?saved=1"));
    let thanks = app.get(&location(&response)).await.text().await.unwrap();
    assert!(thanks.contains("Your answers are saved"));
    assert!(
        thanks.contains("value=\"4\" checked"),
        "the page shows the saved answer"
    );
    app.sign_in(crate::helpers::ADMIN_EMAIL, crate::helpers::PASSWORD)
        .await;
    let (_, body) = app.call("get_survey", &[("survey_id", &survey_id)]).await;
    assert!(
        body.contains("\"invited\":1") && body.contains("\"completed\":1"),
        "{body}"
    );
}

async fn answering_again_through_the_same_link_updates_the_one_response(app: TestApp) {
    let (_, question_id, link) = invited(&app).await;
    let field = format!("q_{question_id}");
    app.post_form(&link, &[(&field, "2")]).await;
    let completed_first: i64 = app.count("SELECT completed_at FROM invitations").await;
    app.post_form(&link, &[(&field, "5")]).await;
    assert_eq!(app.count("SELECT COUNT(*) FROM responses").await, 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM answers").await, 1);
    assert_eq!(
        app.count("SELECT CAST(score AS BIGINT) FROM answers").await,
        5
    );
    assert_eq!(
        app.count("SELECT completed_at FROM invitations").await,
        completed_first
    );
}

async fn a_missing_answer_comes_back_with_the_problem_next_to_the_question(app: TestApp) {
    let (_, question_id, link) = invited(&app).await;
    let response = app.post_form(&link, &[]).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert!(html.contains("Please check your answers"));
    assert!(
        html.contains(&format!("id=\"q_{question_id}-error\""))
            && html.contains("Choose an answer from 1 to 5.")
    );
    let response = app
        .post_form(&link, &[(&format!("q_{question_id}"), "9")])
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.count("SELECT COUNT(*) FROM responses").await, 0);
}

async fn personal_link_tokens_are_stored_only_as_their_sha256(app: TestApp) {
    let (_, _, link) = invited(&app).await;
    let token = link.trim_start_matches("/s/").to_string();
    assert!(token.len() >= 22, "at least 128 bits");
    let stored: String = sqlx::query_scalar("SELECT token_hash FROM invitations")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(stored, sha256_hex(&token));
    let like = format!("%{token}%");
    for (table, column) in [
        ("invitations", "token_hash"),
        ("invitations", "invitation_id"),
        ("contacts", "contact_id"),
    ] {
        let hits: i64 = sqlx::query_scalar(&format!(
            "SELECT COUNT(*) FROM {table} WHERE {column} LIKE $1"
        ))
        .bind(&like)
        .fetch_one(&app.db)
        .await
        .unwrap();
        assert_eq!(hits, 0, "{table}.{column}");
    }
}

async fn unknown_and_malformed_links_get_the_same_friendly_404(app: TestApp) {
    invited(&app).await;
    let unknown = app.get("/s/AAAAAAAAAAAAAAAAAAAAAAAA").await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    let unknown = unknown.text().await.unwrap();
    assert!(unknown.contains("This link doesn't work") && !unknown.contains("New storage options"));
    let malformed = app.get("/s/<script>").await;
    assert_eq!(malformed.status(), StatusCode::NOT_FOUND);
    assert_eq!(malformed.text().await.unwrap(), unknown);
    let posted = app
        .post_form("/s/AAAAAAAAAAAAAAAAAAAAAAAA", &[("q_x", "1")])
        .await;
    assert_eq!(posted.status(), StatusCode::NOT_FOUND);
}

async fn respondent_pages_never_send_their_address_as_a_referer(app: TestApp) {
    let (_, _, link) = invited(&app).await;
    let response = app.get(&link).await;
    assert_eq!(response.headers()["referrer-policy"], "no-referrer");
    let csp = response.headers()["content-security-policy"]
        .to_str()
        .unwrap();
    assert!(csp.starts_with("default-src 'none'") && csp.contains("script-src 'self'"));
    assert!(
        !csp.contains("unsafe-inline") && !csp.contains("wasm"),
        "{csp}"
    );
}

async fn a_draft_survey_link_says_it_is_not_open_yet(app: TestApp) {
    app.set_up_admin().await;
    let survey_id = app.create_survey("Later").await;
    let links = app.add_recipients(&survey_id, "ada@example.org").await;
    let html = app.get(&path_of(&links[0].1)).await.text().await.unwrap();
    assert!(html.contains("isn't open yet"));
}

async fn a_closed_survey_takes_no_more_answers(app: TestApp) {
    let (survey_id, question_id, link) = invited(&app).await;
    app.call("close_survey", &[("survey_id", &survey_id)]).await;
    let response = app
        .post_form(&link, &[(&format!("q_{question_id}"), "3")])
        .await;
    assert_eq!(response.status(), StatusCode::GONE);
    assert!(response.text().await.unwrap().contains("has closed"));
    assert_eq!(app.get(&link).await.status(), StatusCode::GONE);
    assert_eq!(app.count("SELECT COUNT(*) FROM responses").await, 0);
}

async fn opening_a_link_is_recorded_once(app: TestApp) {
    let (_, _, link) = invited(&app).await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM invitations WHERE opened_at IS NOT NULL")
            .await,
        0
    );
    app.get(&link).await;
    // Written off the request path, in the writer's next batch.
    app.wait_for_count(
        "SELECT COUNT(*) FROM invitations WHERE opened_at IS NOT NULL",
        1,
    )
    .await;
    let first = app.count("SELECT MAX(opened_at) FROM invitations").await;
    app.get(&link).await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM invitations WHERE opened_at IS NOT NULL")
            .await,
        1
    );
    assert_eq!(
        app.count("SELECT MAX(opened_at) FROM invitations").await,
        first
    );
}

async fn marks_noted_before_a_flush_are_written_when_it_returns(app: TestApp) {
    app.set_up_admin().await;
    let survey_id = app.create_survey("Marks").await;
    app.open_survey(&survey_id).await;
    app.add_recipients(&survey_id, "a@example.org\nb@example.org\nc@example.org")
        .await;
    let ids: Vec<String> =
        sqlx::query_scalar("SELECT invitation_id FROM invitations ORDER BY invitation_id")
            .fetch_all(&app.db)
            .await
            .unwrap();
    let marks = app::responses::opened::OpenedMarks::start(app.db.clone());
    let (earlier, later) = (1_700_000_000, 1_700_000_001);
    marks.note(&ids[0], earlier).await;
    marks.note(&ids[1], earlier).await;
    marks.note(&ids[0], later).await;
    marks.note(&ids[2], later).await;
    marks.flush().await;
    let opened: Vec<i64> = sqlx::query_scalar(
        "SELECT CAST(opened_at AS BIGINT) FROM invitations ORDER BY invitation_id",
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert_eq!(
        opened,
        [earlier, earlier, later],
        "a later visit keeps the first time"
    );
}

async fn the_page_says_in_one_sentence_what_the_team_will_see_of_the_answers(app: TestApp) {
    let (survey_id, _, link) = invited(&app).await;
    let identified = app.get(&link).await.text().await.unwrap();
    assert!(
        identified.contains("will see your answers with your name"),
        "{identified}"
    );
    sqlx::query("UPDATE surveys SET anonymity = 'anonymous' WHERE survey_id = $1")
        .bind(&survey_id)
        .execute(&app.db)
        .await
        .unwrap();
    let anonymous = app.get(&link).await.text().await.unwrap();
    assert!(
        anonymous.contains(
            "The team sees how many people answered, not who, and never which answers are yours"
        ),
        "{anonymous}"
    );
    assert!(!anonymous.contains("with your name;"));
}
