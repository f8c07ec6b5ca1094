use crate::helpers::TestApp;
use crate::helpers::{on_both_backends, ADMIN_EMAIL, PASSWORD};
use reqwest::StatusCode;

async fn user_id(app: &crate::helpers::TestApp, email: &str) -> String {
    sqlx::query_scalar("SELECT user_id FROM users WHERE email = $1")
        .bind(email)
        .fetch_one(&app.db)
        .await
        .unwrap()
}

on_both_backends!(
    an_admin_adds_a_member_who_can_then_sign_in,
    an_admin_changes_a_role_and_the_member_is_signed_out,
    the_last_admin_can_be_neither_demoted_nor_removed,
    an_admin_removes_a_member_and_their_sessions_end,
    only_admins_may_use_the_team_functions,
);

async fn an_admin_adds_a_member_who_can_then_sign_in(app: TestApp) {
    app.set_up_admin().await;
    app.add_member("Editor@Example.org", "editor").await;
    let (status, body) = app.call("list_team", &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        body.contains("editor@example.org") && body.contains("\"editor\""),
        "{body}"
    );
    let (status, body) = app
        .call(
            "invite_team_member",
            &[("email", "editor@example.org"), ("role", "viewer")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("already on the team"), "{body}");
    app.set_session_cookie(None);
    let (status, _) = app.sign_in("editor@example.org", PASSWORD).await;
    assert!(status.is_success() || status.is_redirection());
}

async fn an_admin_changes_a_role_and_the_member_is_signed_out(app: TestApp) {
    app.set_up_admin().await;
    app.add_member("editor@example.org", "editor").await;
    let admin_cookie = app.session_cookie();
    app.sign_in("editor@example.org", PASSWORD).await;
    let editor_cookie = app.session_cookie();
    app.set_session_cookie(admin_cookie);
    let editor_id = user_id(&app, "editor@example.org").await;
    let (status, body) = app
        .call(
            "change_role",
            &[("user_id", &editor_id), ("role", "viewer")],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    app.set_session_cookie(editor_cookie);
    let (status, _) = app.call("list_surveys", &[]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM users WHERE role = 'viewer'")
            .await,
        1
    );
}

async fn the_last_admin_can_be_neither_demoted_nor_removed(app: TestApp) {
    app.set_up_admin().await;
    let admin_id = user_id(&app, ADMIN_EMAIL).await;
    let (status, body) = app
        .call("change_role", &[("user_id", &admin_id), ("role", "editor")])
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(body.contains("at least one admin"), "{body}");
    let (status, _) = app
        .call("remove_team_member", &[("user_id", &admin_id)])
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM users WHERE role = 'admin'")
            .await,
        1
    );
}

async fn an_admin_removes_a_member_and_their_sessions_end(app: TestApp) {
    app.set_up_admin().await;
    app.add_member("viewer@example.org", "viewer").await;
    let viewer_id = user_id(&app, "viewer@example.org").await;
    let (status, _) = app
        .call("remove_team_member", &[("user_id", &viewer_id)])
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = app
        .call("remove_team_member", &[("user_id", &viewer_id)])
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 1);
}

async fn only_admins_may_use_the_team_functions(app: TestApp) {
    app.set_up_admin().await;
    app.add_member("editor@example.org", "editor").await;
    let admin_id = user_id(&app, ADMIN_EMAIL).await;
    app.sign_in("editor@example.org", PASSWORD).await;
    let calls: [(&str, Vec<(&str, &str)>); 4] = [
        ("list_team", vec![]),
        (
            "invite_team_member",
            vec![("email", "x@example.org"), ("role", "admin")],
        ),
        (
            "change_role",
            vec![("user_id", &admin_id), ("role", "viewer")],
        ),
        ("remove_team_member", vec![("user_id", &admin_id)]),
    ];
    for (function, fields) in calls {
        let (status, body) = app.call(function, &fields).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{function}: {body}");
    }
    let team_page = app.get("/team").await.text().await.unwrap();
    assert!(team_page.contains("Your role doesn't allow this"));
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 2);
}
