//! Free-text answers on the results page: each with the score given alongside, filtered
//! by score, community and tier.
use crate::helpers::{on_both_backends, path_of, TestApp};
use reqwest::StatusCode;
use serde_json::Value;

/// Six people, three in each community (groups large enough to be named with an
/// answer), answer the feature-release template: (email, community, score, comment).
const ANSWERS: [(&str, &str, &str, &str); 6] = [
    ("a@example.org", "North Side", "5", "Love the new storage"),
    ("b@example.org", "Riverside", "2", "Too slow to upload"),
    ("c@example.org", "Riverside", "4", ""),
    ("d@example.org", "North Side", "4", ""),
    ("e@example.org", "North Side", "4", ""),
    ("f@example.org", "Riverside", "4", ""),
];

async fn answered(app: &TestApp) -> String {
    app.set_up_admin().await;
    app.add_community("North Side", "tier-essential").await;
    app.add_community("Riverside", "tier-enterprise").await;
    for (email, community, ..) in ANSWERS {
        app.add_contact(email, email, community).await;
    }
    let survey_id = app
        .create_survey_from("Storage", "feature_satisfaction")
        .await;
    app.open_survey(&survey_id).await;
    let emails: Vec<&str> = ANSWERS.iter().map(|a| a.0).collect();
    let links = app.add_recipients(&survey_id, &emails.join("\n")).await;
    let csat: String = sqlx::query_scalar("SELECT question_id FROM questions WHERE kind = 'csat'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let comment: String = sqlx::query_scalar(
        "SELECT question_id FROM questions \
        WHERE kind = 'long_text' AND show_if_question_id IS NULL",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    let follow_up: String = sqlx::query_scalar(
        "SELECT question_id FROM questions WHERE show_if_question_id IS NOT NULL",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    let cookie = app.session_cookie();
    app.set_session_cookie(None);
    for (email, _, score, text) in ANSWERS {
        let (_, link) = links.iter().find(|(e, _)| e == email).unwrap();
        let fields = [
            (format!("q_{csat}"), score),
            (format!("q_{comment}"), text),
            (format!("q_{follow_up}"), "Faster uploads"),
        ];
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), *v)).collect();
        app.post_form(&path_of(link), &fields).await;
    }
    app.set_session_cookie(cookie);
    survey_id
}

async fn comments(app: &TestApp, survey_id: &str, filters: &[(&str, &str)]) -> (StatusCode, Value) {
    let mut fields = vec![("survey_id", survey_id)];
    fields.extend_from_slice(filters);
    let (status, body) = app.call("get_comments", &fields).await;
    (status, serde_json::from_str(&body).unwrap_or(Value::Null))
}

fn texts(value: &Value) -> Vec<String> {
    let mut texts: Vec<String> = value["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["text"].as_str().unwrap().to_string())
        .collect();
    texts.sort();
    texts
}

on_both_backends!(
    written_answers_carry_the_score_given_and_filter_by_score_community_and_tier,
    an_anonymous_survey_lists_written_answers_without_community_or_tier,
);

async fn written_answers_carry_the_score_given_and_filter_by_score_community_and_tier(
    app: TestApp,
) {
    let survey_id = answered(&app).await;
    let (status, all) = comments(&app, &survey_id, &[]).await;
    assert_eq!(status, StatusCode::OK, "{all}");
    // b's low score also revealed the follow-up "what would make it better?".
    assert_eq!(
        texts(&all),
        [
            "Faster uploads",
            "Love the new storage",
            "Too slow to upload"
        ]
    );
    let (_, low) = comments(&app, &survey_id, &[("score", "2")]).await;
    assert_eq!(texts(&low), ["Faster uploads", "Too slow to upload"]);
    assert_eq!(low["items"][0]["score"], 2);
    assert_eq!(low["items"][0]["community"], "Riverside");
    assert_eq!(low["items"][0]["tier"], "Enterprise");
    let north = all["communities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c[1] == "North Side")
        .unwrap()[0]
        .as_str()
        .unwrap()
        .to_string();
    let (_, by_community) = comments(&app, &survey_id, &[("community", &north)]).await;
    assert_eq!(texts(&by_community), ["Love the new storage"]);
    let (_, by_tier) = comments(&app, &survey_id, &[("tier", "tier-enterprise")]).await;
    assert_eq!(texts(&by_tier), ["Faster uploads", "Too slow to upload"]);
    let (status, _) = comments(&app, &survey_id, &[("score", "ten")]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

async fn an_anonymous_survey_lists_written_answers_without_community_or_tier(app: TestApp) {
    let survey_id = answered(&app).await;
    sqlx::query("UPDATE surveys SET anonymity = 'anonymous'")
        .execute(&app.db)
        .await
        .unwrap();
    sqlx::query("UPDATE responses SET invitation_id = NULL")
        .execute(&app.db)
        .await
        .unwrap();
    let (_, all) = comments(&app, &survey_id, &[("community", "whatever")]).await;
    assert_eq!(texts(&all).len(), 3, "the community filter is ignored");
    assert!(all["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["community"].is_null() && c["tier"].is_null()));
    assert_eq!(all["anonymous"], true);
}
