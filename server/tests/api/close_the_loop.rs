//! Closing the loop: after a survey closes, "what we heard" goes to exactly the respondents
//! who asked (and to non-respondents only when the editor chooses), through the outbox;
//! the next survey's results compare those told with those not.
use crate::helpers::{on_both_backends, path_of, TestApp, ADMIN_EMAIL, PASSWORD};
use reqwest::StatusCode;
use serde_json::Value;

const BODY: &str =
    "Hello {{ name }},\n\nYou told us exports were slow. We rebuilt them: they now take seconds.";

/// An open survey with `emails` invited and sent; returns (survey id, question field,
/// email → personal link path).
async fn sent_survey(
    app: &TestApp,
    title: &str,
    emails: &str,
) -> (String, String, Vec<(String, String)>) {
    let survey_id = app.create_survey(title).await;
    app.open_survey(&survey_id).await;
    let links = app.add_recipients(&survey_id, emails).await;
    app.send_invitations(&survey_id).await;
    let field = format!("q_{}", app.first_question(&survey_id).await);
    let links = links
        .into_iter()
        .map(|(email, link)| (email, path_of(&link)))
        .collect();
    (survey_id, field, links)
}

fn link<'a>(links: &'a [(String, String)], email: &str) -> &'a str {
    &links.iter().find(|(e, _)| e == email).unwrap().1
}

/// Answers through the personal page, ticking "tell me what you do with this" or not.
async fn answer(app: &TestApp, path: &str, field: &str, score: &str, tell_me: bool) {
    let mut fields = vec![(field, score), ("tell_me_shown", "1")];
    if tell_me {
        fields.push(("tell_me", "1"));
    }
    let response = app.post_form(path, &fields).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
}

async fn close(app: &TestApp, survey_id: &str) {
    let (status, body) = app.call("close_survey", &[("survey_id", survey_id)]).await;
    assert!(status.is_success(), "{status}: {body}");
}

/// Saves and sends the closing message; returns the status and the answer.
async fn send(app: &TestApp, survey_id: &str, non_respondents: bool) -> (StatusCode, String) {
    let mut fields = vec![
        ("survey_id", survey_id),
        ("loop_subject", "What we did about {{ feature }}"),
        ("loop_body", BODY),
        ("send", "1"),
    ];
    if non_respondents {
        fields.push(("non_respondents", "1"));
    }
    app.call("set_closing_message", &fields).await
}

/// Who got a closing message, by address, sorted.
async fn told(app: &TestApp) -> Vec<String> {
    app.dispatch_all_pending_emails().await;
    sqlx::query_scalar(
        "SELECT to_address FROM dev_mailbox WHERE subject LIKE 'What we did about%' ORDER BY to_address",
    )
    .fetch_all(&app.db)
    .await
    .unwrap()
}

crate::sending::with_mail!(a_bounced_closing_message_leaves_the_closed_surveys_rate_alone);

on_both_backends!(
    what_we_heard_reaches_exactly_the_respondents_who_asked,
    non_respondents_hear_back_only_when_the_editor_chooses,
    an_anonymous_survey_tells_only_those_who_asked_and_ties_them_to_no_answer,
    the_next_survey_compares_the_people_told_with_the_rest,
    the_tick_box_is_shown_as_stored_and_can_be_taken_back,
    the_api_saves_the_closing_message_and_sends_it_once_after_closing,
);

async fn what_we_heard_reaches_exactly_the_respondents_who_asked(app: TestApp) {
    app.set_up_admin().await;
    let (survey_id, field, links) = sent_survey(
        &app,
        "Exports",
        "asked@example.org, silent@example.org, declined@example.org, changed@example.org, left@example.org, waiting@example.org",
    )
    .await;
    answer(&app, link(&links, "asked@example.org"), &field, "4", true).await;
    answer(
        &app,
        link(&links, "declined@example.org"),
        &field,
        "2",
        false,
    )
    .await;
    answer(&app, link(&links, "changed@example.org"), &field, "5", true).await;
    answer(
        &app,
        link(&links, "changed@example.org"),
        &field,
        "5",
        false,
    )
    .await;
    answer(&app, link(&links, "left@example.org"), &field, "3", true).await;
    sqlx::query("UPDATE contacts SET unsubscribed_at = 1 WHERE email = 'left@example.org'")
        .execute(&app.db)
        .await
        .unwrap();

    let (status, body) = send(&app, &survey_id, false).await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "not before the survey closes: {body}"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox WHERE kind = 'loop'")
            .await,
        0
    );

    close(&app, &survey_id).await;
    let (_, body) = app.call("get_survey", &[("survey_id", &survey_id)]).await;
    let detail: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(detail["closing"]["asked"], 1, "{body}");
    let (status, body) = send(&app, &survey_id, false).await;
    assert!(status.is_success(), "{status}: {body}");
    assert_eq!(body, "1");
    assert_eq!(told(&app).await, ["asked@example.org"]);
    let (text, raw): (String, String) = sqlx::query_as(
        "SELECT text_body, raw FROM dev_mailbox WHERE subject LIKE 'What we did about%'",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert!(text.contains("they now take seconds"), "{text}");
    assert!(
        !text.contains("/s/"),
        "no survey link in a message about a closed survey: {text}"
    );
    assert!(
        raw.contains("List-Unsubscribe:") && text.contains("/u/"),
        "it can be unsubscribed from"
    );
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM invitations WHERE bounced_at IS NOT NULL OR reminders_sent > 0"
        )
        .await,
        0,
        "the closing message is not the invitation's"
    );

    let (status, _) = send(&app, &survey_id, true).await;
    assert_eq!(status, StatusCode::CONFLICT, "it goes once");
    assert_eq!(told(&app).await, ["asked@example.org"]);
    // What was sent stays as it was sent: the page quotes it, and mail still waiting for
    // its window would be composed from it.
    let (status, body) = app
        .call(
            "set_closing_message",
            &[
                ("survey_id", &survey_id),
                ("loop_subject", ""),
                ("loop_body", "Changed afterwards"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    let stored: String = sqlx::query_scalar("SELECT loop_body FROM surveys WHERE survey_id = $1")
        .bind(&survey_id)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(stored, BODY);
}

async fn non_respondents_hear_back_only_when_the_editor_chooses(app: TestApp) {
    app.set_up_admin().await;
    let (survey_id, field, links) = sent_survey(
        &app,
        "Filters",
        "asked@example.org, declined@example.org, quiet@example.org",
    )
    .await;
    answer(&app, link(&links, "asked@example.org"), &field, "4", true).await;
    answer(
        &app,
        link(&links, "declined@example.org"),
        &field,
        "4",
        false,
    )
    .await;
    close(&app, &survey_id).await;
    let (status, body) = send(&app, &survey_id, true).await;
    assert!(status.is_success(), "{status}: {body}");
    assert_eq!(
        told(&app).await,
        ["asked@example.org", "quiet@example.org"],
        "the respondent who did not ask still gets nothing"
    );
}

async fn an_anonymous_survey_tells_only_those_who_asked_and_ties_them_to_no_answer(app: TestApp) {
    app.set_up_admin().await;
    let survey_id = app.create_survey("Anonymous pulse").await;
    sqlx::query("UPDATE surveys SET anonymity = 'anonymous' WHERE survey_id = $1")
        .bind(&survey_id)
        .execute(&app.db)
        .await
        .unwrap();
    app.open_survey(&survey_id).await;
    let links = app
        .add_recipients(
            &survey_id,
            "asked@example.org, declined@example.org, quiet@example.org",
        )
        .await;
    app.send_invitations(&survey_id).await;
    let field = format!("q_{}", app.first_question(&survey_id).await);
    let links: Vec<(String, String)> = links.into_iter().map(|(e, l)| (e, path_of(&l))).collect();
    let page = app
        .get(link(&links, "asked@example.org"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("kept apart from your answers"), "{page}");
    answer(&app, link(&links, "asked@example.org"), &field, "5", true).await;
    answer(
        &app,
        link(&links, "declined@example.org"),
        &field,
        "1",
        false,
    )
    .await;
    // A curious insider with the database: the responses name no invitation, and the
    // invitations keep only the day they were completed, so which of the two answers is
    // the one from the person who asked cannot be read off the tables.
    assert_eq!(
        app.count("SELECT COUNT(*) FROM responses WHERE invitation_id IS NOT NULL")
            .await,
        0
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM invitations WHERE completed_at % 86400 <> 0")
            .await,
        0
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM invitations WHERE wants_loop = 1")
            .await,
        1
    );

    close(&app, &survey_id).await;
    let (status, body) = send(&app, &survey_id, true).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.contains("non_respondents"), "{body}");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox WHERE kind = 'loop'")
            .await,
        0
    );
    let (status, body) = send(&app, &survey_id, false).await;
    assert!(status.is_success(), "{status}: {body}");
    assert_eq!(told(&app).await, ["asked@example.org"]);
}

async fn the_next_survey_compares_the_people_told_with_the_rest(app: TestApp) {
    app.set_up_admin().await;
    let (first, field, links) = sent_survey(
        &app,
        "Search",
        "ada@example.org, bob@example.org, cy@example.org",
    )
    .await;
    answer(&app, link(&links, "ada@example.org"), &field, "4", true).await;
    close(&app, &first).await;
    send(&app, &first, false).await;
    assert_eq!(told(&app).await, ["ada@example.org"]);
    // A month later, the next release's survey.
    app.advance_clock(31 * 86_400);
    app.sign_in(ADMIN_EMAIL, PASSWORD).await;
    let (second, field, links) = sent_survey(
        &app,
        "Search, again",
        "ada@example.org, bob@example.org, cy@example.org",
    )
    .await;
    let (_, body) = app.call("get_results", &[("survey_id", &second)]).await;
    let results: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        results["heard_back"]["told"],
        serde_json::json!([1, 0]),
        "{body}"
    );
    answer(&app, link(&links, "ada@example.org"), &field, "5", false).await;
    answer(&app, link(&links, "bob@example.org"), &field, "3", false).await;
    let (_, body) = app.call("get_results", &[("survey_id", &second)]).await;
    let results: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        results["heard_back"]["told"],
        serde_json::json!([1, 1]),
        "{body}"
    );
    assert_eq!(
        results["heard_back"]["not_told"],
        serde_json::json!([2, 1]),
        "{body}"
    );
    let (_, body) = app.call("get_results", &[("survey_id", &first)]).await;
    let results: Value = serde_json::from_str(&body).unwrap();
    assert!(
        results["heard_back"].is_null(),
        "nobody was told before the first: {body}"
    );

    // An anonymous survey: one person told is a group of one, and the group's rate would
    // say whether that person answered.
    let third = app.create_survey("Search, anonymously").await;
    sqlx::query("UPDATE surveys SET anonymity = 'anonymous' WHERE survey_id = $1")
        .bind(&third)
        .execute(&app.db)
        .await
        .unwrap();
    app.open_survey(&third).await;
    let added = app
        .post_form(
            &format!("/surveys/{third}/recipients"),
            &[
                ("emails", "ada@example.org, bob@example.org, cy@example.org"),
                ("include_recently_surveyed", "on"),
            ],
        )
        .await;
    assert_eq!(added.status(), StatusCode::OK);
    app.send_invitations(&third).await;
    let (_, body) = app.call("get_results", &[("survey_id", &third)]).await;
    let results: Value = serde_json::from_str(&body).unwrap();
    assert!(
        results["heard_back"].is_null(),
        "a group under the minimum is not shown: {body}"
    );
}

async fn the_tick_box_is_shown_as_stored_and_can_be_taken_back(app: TestApp) {
    app.set_up_admin().await;
    let (_, field, links) = sent_survey(&app, "Alerts", "lin@example.org").await;
    let path = link(&links, "lin@example.org");
    let page = app.get(path).await.text().await.unwrap();
    assert!(page.contains("Tell me what you do with this"), "{page}");
    assert!(
        !page.contains("name=\"tell_me\" value=\"1\" checked"),
        "unticked at first"
    );
    answer(&app, path, &field, "4", true).await;
    let page = app.get(path).await.text().await.unwrap();
    let at = page.find("id=\"tell_me\"").unwrap();
    let tag = &page[page[..at].rfind('<').unwrap()..at + page[at..].find('>').unwrap()];
    assert!(tag.contains("checked"), "{tag}");
    answer(&app, path, &field, "4", false).await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM invitations WHERE wants_loop = 1")
            .await,
        0
    );
    // The autosave sends answers only: it leaves the choice as it was.
    answer(&app, path, &field, "4", true).await;
    let saved = app
        .post_form(&format!("{path}/autosave"), &[(&field, "3")])
        .await;
    assert_eq!(saved.status(), StatusCode::OK);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM invitations WHERE wants_loop = 1")
            .await,
        1
    );
}

async fn the_api_saves_the_closing_message_and_sends_it_once_after_closing(app: TestApp) {
    use crate::public_api::{api, token};
    use serde_json::json;
    app.set_up_admin().await;
    let (survey_id, field, links) = sent_survey(&app, "Through the API", "ada@example.org").await;
    answer(&app, link(&links, "ada@example.org"), &field, "5", true).await;
    let editor = token(&app, "editor").await;
    let path = format!("/surveys/{survey_id}/closing-message");
    let (status, body, _) = api(
        &app,
        "PUT",
        &path,
        Some(&editor),
        Some(json!({
            "subject": "{{ survey_link }}", "body": ""
        })),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(
        body["details"].as_array().unwrap().len(),
        2,
        "both fields: {body}"
    );
    let message = json!({"subject": "", "body": "We heard you, {{ name }}.", "send": true});
    let (status, body, _) = api(&app, "PUT", &path, Some(&editor), Some(message.clone())).await;
    assert_eq!(status, StatusCode::CONFLICT, "still open: {body}");
    let (status, body, _) = api(
        &app,
        "PUT",
        &path,
        Some(&editor),
        Some(json!({"subject": "", "body": "Draft"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["message"]["body"], "Draft");
    assert_eq!(
        body["message"]["subject"],
        "What we heard about {{ feature }}"
    );
    close(&app, &survey_id).await;
    let (status, body, _) = api(&app, "PUT", &path, Some(&editor), Some(message.clone())).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["queued"], 1);
    assert!(body["message"]["sent_at"].is_i64());
    let (status, _, _) = api(&app, "PUT", &path, Some(&editor), Some(message)).await;
    assert_eq!(status, StatusCode::CONFLICT, "once");
    assert_eq!(
        told_by_subject(&app, "What we heard about Through the API").await,
        ["ada@example.org"]
    );
}

async fn told_by_subject(app: &TestApp, subject: &str) -> Vec<String> {
    app.dispatch_all_pending_emails().await;
    sqlx::query_scalar("SELECT to_address FROM dev_mailbox WHERE subject = $1")
        .bind(subject)
        .fetch_all(&app.db)
        .await
        .unwrap()
}

/// A closing message that bounces tells the team the address is dead, but it is not the
/// invitation's: the closed survey's delivered count and rate stay as they were.
async fn a_bounced_closing_message_leaves_the_closed_surveys_rate_alone(
    app: TestApp,
    sink: crate::mail_sink::MailSink,
) {
    app.set_up_admin().await;
    let (survey_id, field, links) =
        sent_survey(&app, "Bounces", "gone@example.org, ada@example.org").await;
    sink.wait_for(2).await;
    answer(&app, link(&links, "gone@example.org"), &field, "4", true).await;
    answer(&app, link(&links, "ada@example.org"), &field, "5", true).await;
    close(&app, &survey_id).await;
    sink.set_rcpt_reply("gone@example.org", "550 5.1.1 No such user");
    let (status, body) = send(&app, &survey_id, false).await;
    assert!(status.is_success(), "{status}: {body}");
    app.dispatch_all_pending_emails().await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox WHERE kind = 'loop' AND status = 'bounced'")
            .await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM contacts WHERE undeliverable_at IS NOT NULL")
            .await,
        1,
        "the dead address is suppressed"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM invitations WHERE bounced_at IS NOT NULL")
            .await,
        0,
        "the invitation was delivered; only the later message bounced"
    );
    let (_, body) = app.call("get_results", &[("survey_id", &survey_id)]).await;
    let results: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(results["rate"]["delivered"], 2, "{body}");
    assert_eq!(results["rate"]["completed"], 2, "{body}");
}
