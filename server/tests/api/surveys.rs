use crate::helpers::TestApp;
use crate::helpers::{location, on_both_backends, PASSWORD};
use reqwest::StatusCode;

on_both_backends!(
    an_editor_creates_a_draft_survey_with_one_csat_question,
    a_survey_without_a_title_is_refused_with_a_field_message,
    the_survey_list_shows_an_empty_state_first,
    a_viewer_reads_surveys_but_cannot_create_or_open_them,
    signed_out_visitors_are_sent_to_sign_in,
    a_survey_opens_once_and_closes_once,
    adding_recipients_shows_each_new_link_once_and_never_twice,
    a_list_with_a_bad_address_adds_nobody_and_keeps_the_text,
);

async fn an_editor_creates_a_draft_survey_with_one_csat_question(app: TestApp) {
    app.set_up_admin().await;
    let survey_id = app.create_survey("New storage options").await;
    let page = app.get(&format!("/surveys/{survey_id}")).await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains("New storage options") && html.contains("Draft"));
    assert!(
        html.contains("How satisfied are you with this feature?")
            && html.contains("Satisfaction (CSAT, 1-5)")
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM questions WHERE kind = 'csat'")
            .await,
        1
    );
    let list = app.get("/surveys").await.text().await.unwrap();
    assert!(list.contains("New storage options"));
}

async fn a_survey_without_a_title_is_refused_with_a_field_message(app: TestApp) {
    app.set_up_admin().await;
    let (status, body) = app
        .call("create_survey", &[("title", "  "), ("template", "blank")])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("Give the survey a title."), "{body}");
    let (status, _) = app
        .call("create_survey", &[("title", "T"), ("template", "essay")])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.count("SELECT COUNT(*) FROM surveys").await, 0);
}

async fn the_survey_list_shows_an_empty_state_first(app: TestApp) {
    app.set_up_admin().await;
    let html = app.get("/surveys").await.text().await.unwrap();
    assert!(html.contains("No surveys yet"));
}

async fn a_viewer_reads_surveys_but_cannot_create_or_open_them(app: TestApp) {
    app.set_up_admin().await;
    let survey_id = app.create_survey("Dashboards").await;
    app.add_member("viewer@example.org", "viewer").await;
    app.sign_in("viewer@example.org", PASSWORD).await;
    let (status, _) = app.call("list_surveys", &[]).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = app
        .call("create_survey", &[("title", "Mine"), ("template", "blank")])
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = app.call("open_survey", &[("survey_id", &survey_id)]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let response = app
        .post_form(
            &format!("/surveys/{survey_id}/recipients"),
            &[("emails", "a@example.org")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.count("SELECT COUNT(*) FROM invitations").await, 0);
}

async fn signed_out_visitors_are_sent_to_sign_in(app: TestApp) {
    app.set_up_admin().await;
    app.set_session_cookie(None);
    let response = app.get("/surveys").await;
    assert_eq!(response.status(), StatusCode::FOUND);
    assert_eq!(location(&response), "/sign-in");
    let (status, _) = app.call("list_surveys", &[]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let response = app
        .post_form(
            "/surveys/00000000-0000-0000-0000-000000000000/recipients",
            &[("emails", "a@example.org")],
        )
        .await;
    assert_eq!(location(&response), "/sign-in");
}

async fn a_survey_opens_once_and_closes_once(app: TestApp) {
    app.set_up_admin().await;
    let survey_id = app.create_survey("Dashboards").await;
    app.open_survey(&survey_id).await;
    let (status, body) = app.call("open_survey", &[("survey_id", &survey_id)]).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(body.contains("This survey is open"), "{body}");
    let (status, _) = app.call("close_survey", &[("survey_id", &survey_id)]).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = app
        .call(
            "get_survey",
            &[("survey_id", "00000000-0000-0000-0000-000000000000")],
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = app
        .call("get_survey", &[("survey_id", "../../etc/passwd")])
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

async fn adding_recipients_shows_each_new_link_once_and_never_twice(app: TestApp) {
    app.set_up_admin().await;
    let survey_id = app.create_survey("Dashboards").await;
    let links = app
        .add_recipients(
            &survey_id,
            "Ada <ada@example.org>\ngrace@example.org, ADA@example.org",
        )
        .await;
    let emails: Vec<&str> = links.iter().map(|(e, _)| e.as_str()).collect();
    assert_eq!(emails, ["ada@example.org", "grace@example.org"]);
    assert!(links
        .iter()
        .all(|(_, link)| link.starts_with(&format!("{}/s/", app.address))));
    let again = app
        .post_form(
            &format!("/surveys/{survey_id}/recipients"),
            &[("emails", "ada@example.org")],
        )
        .await;
    let html = again.text().await.unwrap();
    assert!(html.contains("Already invited") && !html.contains("personal-link"));
    assert_eq!(app.count("SELECT COUNT(*) FROM invitations").await, 2);
}

async fn a_list_with_a_bad_address_adds_nobody_and_keeps_the_text(app: TestApp) {
    app.set_up_admin().await;
    let survey_id = app.create_survey("Dashboards").await;
    let response = app
        .post_form(
            &format!("/surveys/{survey_id}/recipients"),
            &[("emails", "ok@example.org\nnot-an-address")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert!(html.contains("Nothing was added") && html.contains("not-an-address"));
    assert!(html.contains("ok@example.org\nnot-an-address</textarea>"));
    assert_eq!(app.count("SELECT COUNT(*) FROM invitations").await, 0);
}
