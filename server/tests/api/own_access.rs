//! A member's own access (`/account`): changing one's password needs the current one and
//! ends every other session; signing out everywhere ends them all.
use crate::helpers::{location, on_both_backends, TestApp, ADMIN_EMAIL, PASSWORD};
use reqwest::StatusCode;

const NEW_PASSWORD: &str = "another long enough phrase";

on_both_backends!(
    a_stolen_session_cannot_change_the_password_without_the_current_one,
    changing_the_password_ends_every_other_session_and_keeps_this_one,
    signing_out_everywhere_ends_every_session,
    a_signed_out_visitor_is_sent_to_sign_in,
);

/// Whether the cookie `cookie` still opens a team page (`session_info` names a user).
async fn signed_in(app: &TestApp, cookie: &Option<String>) -> bool {
    app.set_session_cookie(cookie.clone());
    let (_, body) = app.call("session_info", &[]).await;
    body.contains(ADMIN_EMAIL)
}

async fn change(app: &TestApp, current: &str, new: &str, confirm: &str) -> reqwest::Response {
    let fields = [
        ("current_password", current),
        ("new_password", new),
        ("confirm_password", confirm),
    ];
    app.post_form("/account/password", &fields).await
}

async fn a_stolen_session_cannot_change_the_password_without_the_current_one(app: TestApp) {
    app.set_up_admin().await;
    let response = change(&app, "a guess at the password", NEW_PASSWORD, NEW_PASSWORD).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert!(html.contains("That is not your current password."));
    // Short and mismatched new passwords are refused next to their fields, all at once.
    let response = change(&app, "also wrong", "short", "shirt").await;
    let html = response.text().await.unwrap();
    assert!(html.contains("Use at least 12 characters") && html.contains("not your current"));
    let response = change(&app, PASSWORD, NEW_PASSWORD, "something else entirely").await;
    assert!(response
        .text()
        .await
        .unwrap()
        .contains("The two new passwords are not the same."));
    // Guessing is throttled with sign-in's own limit: 20 wrong tries, then even the right
    // current password is refused for a while.
    for _ in 0..20 {
        change(&app, "a guess at the password", NEW_PASSWORD, NEW_PASSWORD).await;
    }
    let response = change(&app, PASSWORD, NEW_PASSWORD, NEW_PASSWORD).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    app.set_session_cookie(None);
    let (status, _) = app.sign_in(ADMIN_EMAIL, PASSWORD).await;
    assert!(
        status.is_success() || status.is_redirection() || status == StatusCode::TOO_MANY_REQUESTS
    );
    let (status, _) = app.sign_in(ADMIN_EMAIL, NEW_PASSWORD).await;
    assert!(!status.is_success(), "the password changed");
}

async fn changing_the_password_ends_every_other_session_and_keeps_this_one(app: TestApp) {
    app.set_up_admin().await;
    let first = app.session_cookie();
    app.set_session_cookie(None);
    app.sign_in(ADMIN_EMAIL, PASSWORD).await;
    let second = app.session_cookie();
    assert!(signed_in(&app, &first).await && signed_in(&app, &second).await);
    app.set_session_cookie(second.clone());
    let response = change(&app, PASSWORD, NEW_PASSWORD, NEW_PASSWORD).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/account?changed=1");
    let renewed = app.session_cookie();
    assert_ne!(renewed, second, "the session was not rotated");
    assert!(!signed_in(&app, &first).await, "the other session survived");
    assert!(
        !signed_in(&app, &second).await,
        "the old cookie of this browser survived"
    );
    assert!(signed_in(&app, &renewed).await);
    let page = app.get("/account?changed=1").await.text().await.unwrap();
    assert!(page.contains("Password changed."));
    app.set_session_cookie(None);
    let (status, _) = app.sign_in(ADMIN_EMAIL, PASSWORD).await;
    assert!(!status.is_success(), "the old password still signs in");
    let (status, body) = app.sign_in(ADMIN_EMAIL, NEW_PASSWORD).await;
    assert!(
        status.is_success() || status.is_redirection(),
        "{status}: {body}"
    );
}

async fn signing_out_everywhere_ends_every_session(app: TestApp) {
    app.set_up_admin().await;
    let first = app.session_cookie();
    app.set_session_cookie(None);
    app.sign_in(ADMIN_EMAIL, PASSWORD).await;
    let second = app.session_cookie();
    let response = app.post_form("/account/sign-out-everywhere", &[]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/sign-in");
    assert!(!signed_in(&app, &first).await && !signed_in(&app, &second).await);
    assert_eq!(app.count("SELECT COUNT(*) FROM sessions").await, 0);
}

async fn a_signed_out_visitor_is_sent_to_sign_in(app: TestApp) {
    app.set_up_admin().await;
    app.set_session_cookie(None);
    assert_eq!(location(&app.get("/account").await), "/sign-in");
    let response = app.post_form("/account/sign-out-everywhere", &[]).await;
    assert_eq!(location(&response), "/sign-in");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM sessions").await,
        1,
        "a session ended"
    );
}
