//! Survey text written by a team member is shown as text on every page, never run.
use crate::helpers::{on_both_backends, path_of, TestApp};
use reqwest::StatusCode;

pub(crate) const PAYLOADS: [&str; 4] = [
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(2)>",
    "</textarea><script>alert(3)</script>",
    "<svg onload=alert(4)>",
];

/// The markup that would run if a payload were not escaped. (Inside the hydration data, a
/// JSON string in a script, `<` is written `\u003c`, so no tag can start there.)
const LIVE: [&str; 4] = [
    "<script>alert",
    "<img src=x",
    "<svg onload",
    "</textarea><script",
];

pub(crate) fn assert_inert(html: &str, page: &str) {
    assert!(
        !html.contains("</title><script>alert(5)"),
        "{page}: the title breaks out of <title>"
    );
    // Inside <title> (raw text, RCDATA) a "<script>" is only text; everywhere else it must be escaped.
    let outside_title = match (html.find("<title>"), html.find("</title>")) {
        (Some(start), Some(end)) if start < end => format!("{}{}", &html[..start], &html[end..]),
        _ => html.to_string(),
    };
    for live in LIVE {
        if let Some(i) = outside_title.find(live) {
            let context = &outside_title[i.saturating_sub(100)..(i + 100).min(outside_title.len())];
            panic!("{page} contains live markup {live:?}: …{context}…");
        }
    }
    let shown = ["&lt;script&gt;alert(", "&lt;img src=x", "&lt;svg onload"];
    assert!(
        shown.iter().any(|text| outside_title.contains(text)),
        "{page} shows a payload as text"
    );
}

pub(crate) async fn hostile_survey(app: &TestApp) -> (String, String) {
    app.set_up_admin().await;
    let survey_id = app.create_survey("</title><script>alert(5)</script>").await;
    app.call(
        "add_question",
        &[("survey_id", &survey_id), ("kind", "single_choice")],
    )
    .await;
    let ids: Vec<String> = sqlx::query_scalar(
        "SELECT question_id FROM questions WHERE survey_id = $1 ORDER BY position",
    )
    .bind(&survey_id)
    .fetch_all(&app.db)
    .await
    .unwrap();
    let options = PAYLOADS.join("\n");
    let (status, body) = app
        .call(
            "update_question",
            &[
                ("survey_id", &survey_id),
                ("question_id", &ids[1]),
                ("prompt", PAYLOADS[2]),
                ("help", PAYLOADS[1]),
                ("options", &options),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = app
        .call(
            "update_survey_settings",
            &[
                ("survey_id", &survey_id),
                ("title", "</title><script>alert(5)</script>"),
                ("intro", PAYLOADS[2]),
                ("thank_you", PAYLOADS[3]),
                ("anonymity", "identified"),
                ("closes_at", ""),
                ("release_name", PAYLOADS[1]),
                ("released_on", ""),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    app.open_survey(&survey_id).await;
    let links = app.add_recipients(&survey_id, "ada@example.org").await;
    (survey_id, path_of(&links[0].1))
}

on_both_backends!(
    hostile_survey_text_is_inert_on_every_page,
    a_hostile_answer_is_shown_back_as_text,
);

async fn hostile_survey_text_is_inert_on_every_page(app: TestApp) {
    let (survey_id, link) = hostile_survey(&app).await;
    for page in [
        "/surveys".to_string(),
        format!("/surveys/{survey_id}"),
        format!("/surveys/{survey_id}/preview"),
    ] {
        let html = app.get(&page).await.text().await.unwrap();
        assert_inert(&html, &page);
    }
    let cookie = app.session_cookie();
    app.set_session_cookie(None);
    let respondent = app.get(&link).await.text().await.unwrap();
    assert_inert(&respondent, "the respondent page");
    let refused = app.post_form(&link, &[]).await.text().await.unwrap();
    assert_inert(&refused, "the respondent page's error state");
    app.set_session_cookie(cookie);
    let (_, json) = app.call("get_survey", &[("survey_id", &survey_id)]).await;
    assert!(
        json.contains("<script>alert(1)</script>"),
        "the data itself is kept as written"
    );
}

async fn a_hostile_answer_is_shown_back_as_text(app: TestApp) {
    let (_, link) = hostile_survey(&app).await;
    let ids: Vec<String> =
        sqlx::query_scalar("SELECT question_id FROM questions ORDER BY position")
            .fetch_all(&app.db)
            .await
            .unwrap();
    let refused = app
        .post_form(
            &link,
            &[
                (&format!("q_{}", ids[1]), "0"),
                (&format!("q_{}", ids[0]), "9"),
            ],
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(!refused.contains("<img src=x"));
    let long = format!("{}{}", PAYLOADS[2], "x".repeat(5000));
    sqlx::query("UPDATE questions SET kind = 'long_text', options = '[]' WHERE question_id = $1")
        .bind(&ids[1])
        .execute(&app.db)
        .await
        .unwrap();
    let echoed = app
        .post_form(&link, &[(&format!("q_{}", ids[1]), &long)])
        .await
        .text()
        .await
        .unwrap();
    assert!(
        !echoed.contains("</textarea><script>"),
        "an over-long hostile answer is echoed escaped"
    );
}
