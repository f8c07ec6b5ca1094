//! The survey builder's server functions and preview.
use crate::helpers::{on_both_backends, path_of, TestApp, PASSWORD};
use reqwest::StatusCode;

async fn question_ids(app: &TestApp, survey_id: &str) -> Vec<String> {
    sqlx::query_scalar("SELECT question_id FROM questions WHERE survey_id = $1 ORDER BY position")
        .bind(survey_id)
        .fetch_all(&app.db)
        .await
        .unwrap()
}

async fn kinds(app: &TestApp, survey_id: &str) -> Vec<String> {
    sqlx::query_scalar("SELECT kind FROM questions WHERE survey_id = $1 ORDER BY position")
        .bind(survey_id)
        .fetch_all(&app.db)
        .await
        .unwrap()
}

on_both_backends!(
    each_template_starts_with_its_questions,
    an_editor_adds_edits_reorders_and_removes_questions,
    bad_question_edits_are_refused_with_messages_tied_to_that_question,
    a_survey_takes_at_most_fifteen_questions,
    once_a_response_exists_structure_is_locked_but_wording_is_not,
    settings_save_texts_release_and_closing_date,
    a_garbled_anonymity_is_refused_and_never_makes_an_anonymous_survey_identified,
    duplicating_copies_questions_and_follow_ups_into_a_new_draft,
    the_preview_shows_the_respondent_page_and_stores_nothing,
    viewers_cannot_change_a_survey,
);

async fn each_template_starts_with_its_questions(app: TestApp) {
    app.set_up_admin().await;
    let satisfaction = app
        .create_survey_from("Storage", "feature_satisfaction")
        .await;
    assert_eq!(
        kinds(&app, &satisfaction).await,
        ["csat", "long_text", "long_text"]
    );
    let rule: (String, i64, i64) = sqlx::query_as(
        "SELECT show_if_question_id, CAST(show_if_min AS BIGINT), CAST(show_if_max AS BIGINT) FROM questions \
        WHERE survey_id = $1 AND position = 2",
    ).bind(&satisfaction).fetch_one(&app.db).await.unwrap();
    assert_eq!(rule.0, question_ids(&app, &satisfaction).await[0]);
    assert_eq!((rule.1, rule.2), (1, 3));
    assert_eq!(
        kinds(
            &app,
            &app.create_survey_from("NPS", "relationship_nps").await
        )
        .await,
        ["nps", "long_text"]
    );
    assert_eq!(
        kinds(&app, &app.create_survey_from("CES", "effort").await).await,
        ["ces", "long_text"]
    );
    assert_eq!(
        kinds(&app, &app.create_survey_from("Blank", "blank").await).await,
        ["csat"]
    );
}

async fn an_editor_adds_edits_reorders_and_removes_questions(app: TestApp) {
    app.set_up_admin().await;
    let survey_id = app.create_survey("Storage").await;
    for kind in ["single_choice", "short_text"] {
        let (status, body) = app
            .call("add_question", &[("survey_id", &survey_id), ("kind", kind)])
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let ids = question_ids(&app, &survey_id).await;
    let (status, body) = app
        .call(
            "update_question",
            &[
                ("survey_id", &survey_id),
                ("question_id", &ids[1]),
                ("prompt", "Which plan are you on?"),
                ("help", "As on your last invoice."),
                ("options", "Community\nPlus\nEnterprise"),
                ("allow_other", "on"),
                ("required", "on"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (options, other, required): (String, i64, i64) = sqlx::query_as(
        "SELECT options, CAST(allow_other AS BIGINT), CAST(required AS BIGINT) FROM questions WHERE question_id = $1",
    ).bind(&ids[1]).fetch_one(&app.db).await.unwrap();
    assert_eq!(
        (options.as_str(), other, required),
        ("[\"Community\",\"Plus\",\"Enterprise\"]", 1, 1)
    );
    app.call(
        "move_question",
        &[
            ("survey_id", &survey_id),
            ("question_id", &ids[2]),
            ("direction", "up"),
        ],
    )
    .await;
    assert_eq!(
        question_ids(&app, &survey_id).await,
        [ids[0].clone(), ids[2].clone(), ids[1].clone()]
    );
    let (status, _) = app
        .call(
            "remove_question",
            &[("survey_id", &survey_id), ("question_id", &ids[0])],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        question_ids(&app, &survey_id).await,
        [ids[2].clone(), ids[1].clone()]
    );
    let positions: Vec<i64> = sqlx::query_scalar(
        "SELECT CAST(position AS BIGINT) FROM questions WHERE survey_id = $1 ORDER BY position",
    )
    .bind(&survey_id)
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert_eq!(positions, [1, 2], "removal closes the gap");
}

async fn bad_question_edits_are_refused_with_messages_tied_to_that_question(app: TestApp) {
    app.set_up_admin().await;
    let survey_id = app.create_survey("Storage").await;
    app.call(
        "add_question",
        &[("survey_id", &survey_id), ("kind", "multiple_choice")],
    )
    .await;
    let ids = question_ids(&app, &survey_id).await;
    let (status, body) = app
        .call(
            "update_question",
            &[
                ("survey_id", &survey_id),
                ("question_id", &ids[1]),
                ("prompt", " "),
                ("help", ""),
                ("options", "Only one"),
                ("show_if_question_id", &ids[0]),
                ("show_if_min", "4"),
                ("show_if_max", "9"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    for field in ["prompt", "options", "show_if"] {
        assert!(
            body.contains(&format!("\"{field}:{}\"", ids[1])),
            "{field}: {body}"
        );
    }
    let (status, _) = app
        .call(
            "add_question",
            &[("survey_id", &survey_id), ("kind", "essay")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}

async fn a_survey_takes_at_most_fifteen_questions(app: TestApp) {
    app.set_up_admin().await;
    let survey_id = app.create_survey("Long").await;
    for _ in 0..14 {
        let (status, _) = app
            .call(
                "add_question",
                &[("survey_id", &survey_id), ("kind", "rating")],
            )
            .await;
        assert_eq!(status, StatusCode::OK);
    }
    let (status, body) = app
        .call(
            "add_question",
            &[("survey_id", &survey_id), ("kind", "rating")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("at most 15 questions"), "{body}");
    let page = app
        .get(&format!("/surveys/{survey_id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("15 questions. Surveys of 5 or fewer"));
}

async fn once_a_response_exists_structure_is_locked_but_wording_is_not(app: TestApp) {
    app.set_up_admin().await;
    let survey_id = app.create_survey("Storage").await;
    app.call(
        "add_question",
        &[("survey_id", &survey_id), ("kind", "single_choice")],
    )
    .await;
    app.open_survey(&survey_id).await;
    let links = app.add_recipients(&survey_id, "ada@example.org").await;
    let ids = question_ids(&app, &survey_id).await;
    let cookie = app.session_cookie();
    app.set_session_cookie(None);
    app.post_form(&path_of(&links[0].1), &[(&format!("q_{}", ids[0]), "4")])
        .await;
    app.set_session_cookie(cookie);
    let (status, body) = app
        .call(
            "remove_question",
            &[("survey_id", &survey_id), ("question_id", &ids[0])],
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(body.contains("already has responses"), "{body}");
    let (status, _) = app
        .call(
            "update_question",
            &[
                ("survey_id", &survey_id),
                ("question_id", &ids[1]),
                ("prompt", "Reworded?"),
                ("help", ""),
                ("options", "One\nTwo\nThree"),
            ],
        )
        .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "adding an option is structural"
    );
    let (status, body) = app
        .call(
            "update_question",
            &[
                ("survey_id", &survey_id),
                ("question_id", &ids[1]),
                ("prompt", "Reworded?"),
                ("help", ""),
                ("options", "Uno\nDos"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, _) = app
        .call(
            "update_survey_settings",
            &[
                ("survey_id", &survey_id),
                ("title", "Storage"),
                ("intro", ""),
                ("thank_you", ""),
                ("anonymity", "anonymous"),
                ("closes_at", ""),
                ("release_name", ""),
                ("released_on", ""),
            ],
        )
        .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "anonymity can't change under existing answers"
    );
}

async fn a_garbled_anonymity_is_refused_and_never_makes_an_anonymous_survey_identified(
    app: TestApp,
) {
    // A crafted form (or a broken client) sends a value that is neither mode; before,
    // the builder read it as "identified" and the survey began naming its respondents.
    app.set_up_admin().await;
    let survey_id = app.create_survey("Storage").await;
    let settings = |anonymity: &'static str| {
        vec![
            ("survey_id", survey_id.clone()),
            ("title", "Storage".to_string()),
            ("intro", String::new()),
            ("thank_you", String::new()),
            ("anonymity", anonymity.to_string()),
            ("closes_at", String::new()),
            ("release_name", String::new()),
            ("released_on", String::new()),
        ]
    };
    for (anonymity, expected) in [
        ("anonymous", StatusCode::OK),
        ("Anonymous ", StatusCode::UNPROCESSABLE_ENTITY),
        ("", StatusCode::UNPROCESSABLE_ENTITY),
    ] {
        let fields = settings(anonymity);
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let (status, body) = app.call("update_survey_settings", &fields).await;
        assert_eq!(status, expected, "{anonymity:?}: {body}");
        if expected != StatusCode::OK {
            assert!(body.contains("identified or anonymous"), "{body}");
        }
    }
    let stored: String = sqlx::query_scalar("SELECT anonymity FROM surveys WHERE survey_id = $1")
        .bind(&survey_id)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(stored, "anonymous");
}

async fn settings_save_texts_release_and_closing_date(app: TestApp) {
    app.set_up_admin().await;
    let first = app.create_survey("Storage, admins").await;
    let second = app.create_survey("Storage, members").await;
    for survey_id in [&first, &second] {
        let (status, body) = app
            .call(
                "update_survey_settings",
                &[
                    ("survey_id", survey_id),
                    ("title", "Storage options"),
                    ("intro", "We shipped it last week."),
                    ("thank_you", "Thanks, that helps!"),
                    ("anonymity", "anonymous"),
                    ("closes_at", "2030-02-01T00:00"),
                    ("release_name", "Storage 2.0"),
                    ("released_on", "2026-11-20"),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM releases").await,
        1,
        "both surveys share the release"
    );
    let (intro, anonymity, closes_at): (String, String, i64) =
        sqlx::query_as("SELECT intro, anonymity, closes_at FROM surveys WHERE survey_id = $1")
            .bind(&first)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(
        (intro.as_str(), anonymity.as_str()),
        ("We shipped it last week.", "anonymous")
    );
    assert_eq!(
        closes_at, 1_896_134_400,
        "2030-02-01 00:00 in the team's zone, UTC"
    );
    let (status, body) = app
        .call(
            "update_survey_settings",
            &[
                ("survey_id", &first),
                ("title", ""),
                ("intro", ""),
                ("thank_you", ""),
                ("anonymity", "identified"),
                ("closes_at", "31/01/2030 23:59"),
                ("release_name", ""),
                ("released_on", ""),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body.contains("\"closes_at\"") && body.contains("\"title\""),
        "{body}"
    );
}

async fn duplicating_copies_questions_and_follow_ups_into_a_new_draft(app: TestApp) {
    app.set_up_admin().await;
    let original = app
        .create_survey_from("Storage", "feature_satisfaction")
        .await;
    app.open_survey(&original).await;
    let (status, body) = app
        .call("duplicate_survey", &[("survey_id", &original)])
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let copy: String = serde_json::from_str(&body).unwrap();
    assert_eq!(kinds(&app, &copy).await, ["csat", "long_text", "long_text"]);
    let copied = question_ids(&app, &copy).await;
    let rule: String = sqlx::query_scalar(
        "SELECT show_if_question_id FROM questions WHERE survey_id = $1 AND position = 2",
    )
    .bind(&copy)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(
        rule, copied[0],
        "the follow-up points at the copy's own question"
    );
    let (title, status): (String, String) =
        sqlx::query_as("SELECT title, status FROM surveys WHERE survey_id = $1")
            .bind(&copy)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(
        (title.as_str(), status.as_str()),
        ("Storage (copy)", "draft")
    );
}

async fn the_preview_shows_the_respondent_page_and_stores_nothing(app: TestApp) {
    app.set_up_admin().await;
    let survey_id = app
        .create_survey_from("Storage", "feature_satisfaction")
        .await;
    let page = app.get(&format!("/surveys/{survey_id}/preview")).await;
    assert_eq!(page.status(), StatusCode::OK);
    assert_eq!(page.headers()["x-frame-options"], "SAMEORIGIN");
    let html = page.text().await.unwrap();
    assert!(html.contains("How satisfied are you with this feature?") && !html.contains("<script"));
    let csat = &question_ids(&app, &survey_id).await[0];
    let low = app
        .post_form(
            &format!("/surveys/{survey_id}/preview"),
            &[("shown", csat), (&format!("q_{csat}"), "2")],
        )
        .await;
    assert!(low
        .text()
        .await
        .unwrap()
        .contains("What would make it better?"));
    assert_eq!(app.count("SELECT COUNT(*) FROM responses").await, 0);
    app.set_session_cookie(None);
    assert_eq!(
        app.get(&format!("/surveys/{survey_id}/preview"))
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
}

async fn viewers_cannot_change_a_survey(app: TestApp) {
    app.set_up_admin().await;
    let survey_id = app.create_survey("Storage").await;
    let id = question_ids(&app, &survey_id).await.remove(0);
    app.add_member("viewer@example.org", "viewer").await;
    app.sign_in("viewer@example.org", PASSWORD).await;
    let calls: [(&str, Vec<(&str, &str)>); 5] = [
        (
            "add_question",
            vec![("survey_id", &survey_id), ("kind", "nps")],
        ),
        (
            "update_question",
            vec![
                ("survey_id", &survey_id),
                ("question_id", &id),
                ("prompt", "x"),
                ("help", ""),
            ],
        ),
        (
            "move_question",
            vec![
                ("survey_id", &survey_id),
                ("question_id", &id),
                ("direction", "down"),
            ],
        ),
        (
            "remove_question",
            vec![("survey_id", &survey_id), ("question_id", &id)],
        ),
        ("duplicate_survey", vec![("survey_id", &survey_id)]),
    ];
    for (function, fields) in calls {
        let (status, _) = app.call(function, &fields).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{function}");
    }
    assert_eq!(
        app.get(&format!("/surveys/{survey_id}/preview"))
            .await
            .status(),
        StatusCode::OK
    );
}
