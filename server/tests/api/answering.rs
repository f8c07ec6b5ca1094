//! Answering surveys with every kind of question, follow-ups, concurrency and anonymity.
use crate::helpers::{location, on_both_backends, path_of, TestApp, ADMIN_EMAIL, PASSWORD};
use app::surveys::db::insert_question;
use app::surveys::question::{Question, QuestionKind, ShowIf};
use reqwest::StatusCode;

/// An open survey holding one question of each kind (the first, CSAT, from creation), with
/// "What would make it better?" shown only for CSAT 1-3. Returns (survey id, link path).
pub(crate) async fn survey_with_every_kind(app: &TestApp, anonymous: bool) -> (String, String) {
    app.set_up_admin().await;
    let survey_id = app.create_survey("Every kind").await;
    if anonymous {
        sqlx::query("UPDATE surveys SET anonymity = 'anonymous' WHERE survey_id = $1")
            .bind(&survey_id)
            .execute(&app.db)
            .await
            .unwrap();
    }
    let csat: String = sqlx::query_scalar("SELECT question_id FROM questions WHERE survey_id = $1")
        .bind(&survey_id)
        .fetch_one(&app.db)
        .await
        .unwrap();
    sqlx::query("UPDATE questions SET question_id = 'csat' WHERE question_id = $1")
        .bind(&csat)
        .execute(&app.db)
        .await
        .unwrap();
    let kinds = [
        ("nps", QuestionKind::Nps, true),
        ("ces", QuestionKind::Ces, false),
        ("rating", QuestionKind::Rating, false),
        ("single", QuestionKind::SingleChoice, false),
        ("multi", QuestionKind::MultipleChoice, false),
        ("short", QuestionKind::ShortText, false),
        ("better", QuestionKind::LongText, false),
    ];
    for (position, (id, kind, required)) in kinds.into_iter().enumerate() {
        let mut q = Question::new(id.into(), position as i64 + 2, kind);
        q.required = required;
        q.allow_other = kind == QuestionKind::MultipleChoice;
        if id == "better" {
            q.show_if = Some(ShowIf {
                question_id: "csat".into(),
                min: 1,
                max: 3,
            });
        }
        insert_question(&app.db, &survey_id, &q).await.unwrap();
    }
    app.open_survey(&survey_id).await;
    let links = app.add_recipients(&survey_id, "ada@example.org").await;
    app.set_session_cookie(None);
    (survey_id, path_of(&links[0].1))
}

on_both_backends!(
    every_kind_of_question_is_shown_with_its_own_control,
    wrong_answers_of_each_kind_come_back_next_to_their_questions_with_the_text_kept,
    a_low_score_reveals_the_follow_up_and_a_high_one_drops_its_answer,
    a_required_follow_up_revealed_by_the_answer_is_asked_before_completion,
    coming_back_shows_every_saved_answer,
    twenty_parallel_submits_through_one_link_store_one_response,
    an_anonymous_survey_stores_nothing_that_links_an_answer_to_a_person,
    a_survey_past_its_closing_time_answers_410,
    autosave_keeps_a_half_finished_survey_as_started_and_reveals_follow_ups,
    anonymous_surveys_store_nothing_until_sent,
);

async fn every_kind_of_question_is_shown_with_its_own_control(app: TestApp) {
    let (_, link) = survey_with_every_kind(&app, false).await;
    let html = app.get(&link).await.text().await.unwrap();
    assert_eq!(
        html.matches("name=\"q_nps\"").count(),
        11,
        "NPS offers 0 to 10"
    );
    assert_eq!(html.matches("name=\"q_ces\"").count(), 7);
    assert!(html.contains("type=\"checkbox\"") && html.contains("name=\"q_multi_other\""));
    assert!(html.contains("name=\"q_short\"") && html.contains("maxlength=\"200\""));
    assert!(
        !html.contains("name=\"q_better\""),
        "the follow-up waits for a low score"
    );
}

async fn wrong_answers_of_each_kind_come_back_next_to_their_questions_with_the_text_kept(
    app: TestApp,
) {
    let (_, link) = survey_with_every_kind(&app, false).await;
    let long = "z".repeat(201);
    let response = app
        .post_form(
            &link,
            &[
                ("shown", "csat"),
                ("q_csat", "6"),
                ("q_ces", "x"),
                ("q_single", "9"),
                ("q_multi", "other"),
                ("q_multi_other", ""),
                ("q_short", &long),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    for message in [
        "Choose one of the answers from 1 to 5.",
        "Choose an answer from 0 to 10.",
        "Choose one of the answers from 1 to 7.",
        "Choose one of the options shown.",
        "Write your answer next to “Other”.",
        "Keep it under 200 characters (it has 201).",
    ] {
        assert!(html.contains(message), "{message}");
    }
    assert!(
        html.contains(&format!("value=\"{long}\"")),
        "the over-long text is kept to be shortened"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM responses").await, 0);
}

async fn a_low_score_reveals_the_follow_up_and_a_high_one_drops_its_answer(app: TestApp) {
    let (_, link) = survey_with_every_kind(&app, false).await;
    let high = app
        .post_form(
            &link,
            &[("q_csat", "5"), ("q_nps", "9"), ("q_better", "stray")],
        )
        .await;
    assert_eq!(high.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM answers WHERE question_id = 'better'")
            .await,
        0
    );
    let low = app
        .post_form(&link, &[("q_csat", "2"), ("q_nps", "9")])
        .await;
    assert_eq!(low.status(), StatusCode::SEE_OTHER);
    let page = app.get(&location(&low)).await.text().await.unwrap();
    assert!(
        page.contains("name=\"q_better\""),
        "the optional follow-up is now asked"
    );
    app.post_form(
        &link,
        &[
            ("q_csat", "2"),
            ("q_nps", "9"),
            ("q_better", "Faster exports"),
        ],
    )
    .await;
    let text: String =
        sqlx::query_scalar("SELECT text_value FROM answers WHERE question_id = 'better'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(text, "Faster exports");
}

async fn a_required_follow_up_revealed_by_the_answer_is_asked_before_completion(app: TestApp) {
    let (_, link) = survey_with_every_kind(&app, false).await;
    sqlx::query("UPDATE questions SET required = 1 WHERE question_id = 'better'")
        .execute(&app.db)
        .await
        .unwrap();
    let response = app
        .post_form(
            &link,
            &[
                ("shown", "csat"),
                ("shown", "nps"),
                ("q_csat", "1"),
                ("q_nps", "3"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.unwrap();
    assert!(html.contains("One more question") && html.contains("name=\"q_better\""));
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM invitations \
            WHERE started_at IS NOT NULL \
            AND completed_at IS NULL"
        )
        .await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM responses WHERE completed = 0")
            .await,
        1
    );
    let done = app
        .post_form(
            &link,
            &[
                ("shown", "csat"),
                ("shown", "nps"),
                ("shown", "better"),
                ("q_csat", "1"),
                ("q_nps", "3"),
                ("q_better", "Docs"),
            ],
        )
        .await;
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM responses WHERE completed = 1")
            .await,
        1
    );
}

async fn coming_back_shows_every_saved_answer(app: TestApp) {
    let (_, link) = survey_with_every_kind(&app, false).await;
    app.post_form(
        &link,
        &[
            ("q_csat", "4"),
            ("q_nps", "10"),
            ("q_single", "1"),
            ("q_multi", "0"),
            ("q_multi", "other"),
            ("q_multi_other", "Chat bots"),
            ("q_short", "Dark mode"),
        ],
    )
    .await;
    let html = app.get(&link).await.text().await.unwrap();
    assert!(html.contains("value=\"4\" checked") && html.contains("value=\"10\" checked"));
    assert!(html.contains("name=\"q_single\" value=\"1\" checked"));
    assert!(html.contains("value=\"Chat bots\"") && html.contains("value=\"Dark mode\""));
    assert!(html.contains("Update my answers"));
}

async fn twenty_parallel_submits_through_one_link_store_one_response(app: TestApp) {
    let (_, link) = survey_with_every_kind(&app, false).await;
    let app = std::sync::Arc::new(app);
    let submits = (0..20).map(|i| {
        let (app, link) = (app.clone(), link.clone());
        tokio::spawn(async move {
            let score = (i % 5 + 1).to_string();
            app.post_form(&link, &[("q_csat", &score), ("q_nps", "8")])
                .await
                .status()
        })
    });
    for submit in submits {
        assert_eq!(submit.await.unwrap(), StatusCode::SEE_OTHER);
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM responses").await, 1);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM answers WHERE question_id = 'csat'")
            .await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM invitations WHERE completed_at IS NOT NULL")
            .await,
        1
    );
}

async fn an_anonymous_survey_stores_nothing_that_links_an_answer_to_a_person(app: TestApp) {
    let (_, link) = survey_with_every_kind(&app, true).await;
    let response = app
        .post_form(
            &link,
            &[("q_csat", "3"), ("q_nps", "7"), ("q_short", "Fine")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM responses WHERE invitation_id IS NOT NULL")
            .await,
        0
    );
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM responses \
            WHERE submitted_at % 86400 <> 0 \
            OR updated_at % 86400 <> 0"
        )
        .await,
        0
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM invitations WHERE completed_at IS NOT NULL")
            .await,
        1
    );
    let (token_hash, invitation_id): (String, String) =
        sqlx::query_as("SELECT token_hash, invitation_id FROM invitations")
            .fetch_one(&app.db)
            .await
            .unwrap();
    let token = link.trim_start_matches("/s/");
    for needle in [
        token_hash.as_str(),
        invitation_id.as_str(),
        token,
        "ada@example.org",
    ] {
        let hits: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM responses r LEFT JOIN answers a ON a.response_id = r.response_id \
            WHERE r.response_id LIKE $1 OR COALESCE(a.text_value, '') LIKE $1 OR COALESCE(a.choices, '') LIKE $1",
        )
        .bind(format!("%{needle}%"))
        .fetch_one(&app.db).await.unwrap();
        assert_eq!(hits, 0, "{needle}");
    }
    let again = app.get(&link).await.text().await.unwrap();
    assert!(again.contains("This survey is anonymous") && !again.contains("<form"));
    let second = app
        .post_form(&link, &[("q_csat", "1"), ("q_nps", "1")])
        .await;
    assert_eq!(second.status(), StatusCode::OK);
    assert_eq!(app.count("SELECT COUNT(*) FROM responses").await, 1);
}

async fn a_survey_past_its_closing_time_answers_410(app: TestApp) {
    let (survey_id, link) = survey_with_every_kind(&app, false).await;
    // Today is the last day answers are taken: the survey closes at its end.
    app.sign_in(ADMIN_EMAIL, PASSWORD).await;
    let midnight = format!("{}T00:00", app::ui::format_date(app.clock.now() + 86_400));
    let settings = [
        ("survey_id", survey_id.as_str()),
        ("title", "Every kind"),
        ("intro", ""),
        ("thank_you", ""),
        ("anonymity", "identified"),
        ("closes_at", midnight.as_str()),
        ("release_name", ""),
        ("released_on", ""),
    ];
    let (status, body) = app.call("update_survey_settings", &settings).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let response = app.get(&link).await;
    assert_eq!(response.status(), StatusCode::OK, "open on its last day");
    app.advance_clock(86_400);
    let response = app.get(&link).await;
    assert_eq!(response.status(), StatusCode::GONE);
    assert!(response.text().await.unwrap().contains("has closed"));
}

async fn autosave_keeps_a_half_finished_survey_as_started_and_reveals_follow_ups(app: TestApp) {
    let (_, link) = survey_with_every_kind(&app, false).await;
    let response = app
        .post_form_with(
            &format!("{link}/autosave"),
            &[("q_csat", "2"), ("q_nps", "11")],
            &[("origin", &app.address), ("accept", "application/json")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: serde_json::Value = response.json().await.unwrap();
    let visible: Vec<&str> = body["visible"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(
        visible.contains(&"better"),
        "a low score reveals the follow-up: {body}"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM responses WHERE completed = 0")
            .await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM answers").await,
        1,
        "only the valid answer is kept"
    );
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM invitations \
            WHERE started_at IS NOT NULL \
            AND completed_at IS NULL"
        )
        .await,
        1
    );
    let page = app.get(&link).await.text().await.unwrap();
    assert!(page.contains("value=\"2\" checked") && page.contains("name=\"q_better\""));
    app.post_form(&link, &[("q_csat", "2"), ("q_nps", "9")])
        .await;
    app.post_form_with(
        &format!("{link}/autosave"),
        &[("q_csat", "3")],
        &[("origin", &app.address)],
    )
    .await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM responses WHERE completed = 1")
            .await,
        1,
        "autosave never un-completes"
    );
}

async fn anonymous_surveys_store_nothing_until_sent(app: TestApp) {
    let (_, link) = survey_with_every_kind(&app, true).await;
    let html = app.get(&link).await.text().await.unwrap();
    assert!(
        !html.contains("<script"),
        "no autosave script where answers can't be tied to the link"
    );
    let response = app
        .post_form_with(
            &format!("{link}/autosave"),
            &[("q_csat", "2")],
            &[("origin", &app.address)],
        )
        .await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    assert_eq!(app.count("SELECT COUNT(*) FROM responses").await, 0);
    let unknown = app
        .post_form("/s/AAAAAAAAAAAAAAAAAAAAAAAA/autosave", &[("q_csat", "2")])
        .await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
}
