use crate::helpers::on_both_backends;
use crate::helpers::TestApp;
use reqwest::StatusCode;

on_both_backends!(
    a_cross_site_post_to_a_server_function_with_a_valid_session_is_refused,
    a_post_whose_origin_is_not_this_host_is_refused_without_fetch_metadata,
    a_cross_site_post_to_the_recipient_form_is_refused,
    server_functions_that_change_state_do_not_answer_get,
    no_sign_in_or_form_post_redirects_to_another_site,
);

async fn a_cross_site_post_to_a_server_function_with_a_valid_session_is_refused(app: TestApp) {
    app.set_up_admin().await;
    let response = app
        .post_form_with(
            "/fn/create_survey",
            &[("title", "Planted"), ("prompt", "Planted?")],
            &[
                ("origin", "https://evil.example"),
                ("sec-fetch-site", "cross-site"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(response
        .text()
        .await
        .unwrap()
        .contains("came from another site"));
    assert_eq!(app.count("SELECT COUNT(*) FROM surveys").await, 0);
}

async fn a_post_whose_origin_is_not_this_host_is_refused_without_fetch_metadata(app: TestApp) {
    app.set_up_admin().await;
    let response = app
        .post_form_with("/fn/sign_out", &[], &[("origin", "http://127.0.0.1:1")])
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.count("SELECT COUNT(*) FROM sessions").await, 1);
}

async fn a_cross_site_post_to_the_recipient_form_is_refused(app: TestApp) {
    app.set_up_admin().await;
    let survey_id = app.create_survey("Dashboards").await;
    let response = app
        .post_form_with(
            &format!("/surveys/{survey_id}/recipients"),
            &[("emails", "planted@example.org")],
            &[("sec-fetch-site", "cross-site")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.count("SELECT COUNT(*) FROM invitations").await, 0);
}

async fn server_functions_that_change_state_do_not_answer_get(app: TestApp) {
    app.set_up_admin().await;
    for function in [
        "create_survey",
        "open_survey",
        "sign_out",
        "invite_team_member",
        "change_role",
        "remove_team_member",
        "set_up_first_admin",
        "sign_in",
    ] {
        let response = app.get(&format!("/fn/{function}?title=x&prompt=y")).await;
        assert_eq!(
            response.status(),
            StatusCode::METHOD_NOT_ALLOWED,
            "{function}"
        );
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM surveys").await, 0);
}

async fn no_sign_in_or_form_post_redirects_to_another_site(app: TestApp) {
    app.set_up_admin().await;
    app.set_session_cookie(None);
    for (path, fields) in [
        (
            "/fn/sign_in?next=https://evil.example/",
            vec![
                ("email", crate::helpers::ADMIN_EMAIL),
                ("password", crate::helpers::PASSWORD),
                ("next", "https://evil.example/"),
            ],
        ),
        (
            "/fn/create_community",
            vec![
                ("name", "Lakeside"),
                ("tier_id", "tier-enterprise"),
                ("next", "https://evil.example/"),
            ],
        ),
        (
            "/fn/sign_out?return_to=//evil.example/",
            vec![("redirect", "https://evil.example/")],
        ),
    ] {
        let response = app
            .post_form_with(
                path,
                &fields,
                &[
                    ("origin", &app.address),
                    ("referer", "https://evil.example/landing"),
                    ("accept", "text/html,application/xhtml+xml"),
                ],
            )
            .await;
        let location = crate::helpers::location(&response);
        eprintln!("{path}: {} {location:?}", response.status());
        assert!(
            location.is_empty()
                || (location.starts_with('/') && !location.starts_with("//"))
                || location.starts_with(&app.address),
            "{path} sent the browser to {location:?}"
        );
    }
}
