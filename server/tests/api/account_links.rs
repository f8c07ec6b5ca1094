//! Account links: resetting a forgotten password by email, and joining the team through
//! an admin's invitation. Each test is named after what it stops: replaying a link, using
//! an old one, learning who has an account, flooding an inbox, reading someone's link.
use crate::helpers::{location, on_both_backends, path_of, TestApp, ADMIN_EMAIL, PASSWORD};
use reqwest::StatusCode;

const NEW_PASSWORD: &str = "a brand new passphrase";

on_both_backends!(
    a_member_who_forgot_their_password_sets_a_new_one_through_the_mailed_link,
    a_reset_link_cannot_be_replayed_once_used,
    a_reset_link_stops_working_after_an_hour,
    an_older_reset_link_stops_working_once_a_newer_one_is_sent,
    two_people_racing_with_one_link_cannot_both_set_a_password,
    setting_a_password_through_a_link_signs_out_whoever_held_a_session,
    asking_for_a_reset_answers_the_same_for_an_address_with_no_account,
    asking_again_and_again_mails_at_most_three_links_an_hour,
    one_client_asking_for_many_resets_is_slowed_down,
    an_editor_cannot_read_a_reset_link_in_the_development_mailbox,
    a_mistyped_or_made_up_link_opens_nothing,
    an_invited_member_chooses_their_own_password_and_joins_with_the_chosen_role,
    an_invited_member_cannot_sign_in_before_choosing_a_password,
    sending_an_invitation_again_retires_the_first_link,
    an_invitation_expires_after_a_week_and_the_team_page_says_so,
    account_mail_is_not_list_mail,
);

async fn ask_for_reset(app: &TestApp, email: &str) -> reqwest::Response {
    app.post_form("/forgot-password", &[("email", email)]).await
}

async fn set_password(app: &TestApp, link: &str, password: &str) -> reqwest::Response {
    app.post_form(
        &path_of(link),
        &[("new_password", password), ("confirm_password", password)],
    )
    .await
}

/// Whether `email` and `password` sign in (the app's cookie is left signed out).
async fn signs_in(app: &TestApp, email: &str, password: &str) -> bool {
    app.set_session_cookie(None);
    let (status, _) = app.sign_in(email, password).await;
    let ok = status.is_success() || status.is_redirection();
    app.set_session_cookie(None);
    ok
}

/// The admin, signed out, asks for a reset and gets one link.
async fn reset_link(app: &TestApp) -> String {
    app.set_session_cookie(None);
    const RESETS: &str = "SELECT COUNT(*) FROM account_links WHERE purpose = 'reset'";
    let before = app.count(RESETS).await;
    let response = ask_for_reset(app, ADMIN_EMAIL).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    app.wait_for_count(RESETS, before + 1).await;
    app.account_link(ADMIN_EMAIL).await
}

async fn a_member_who_forgot_their_password_sets_a_new_one_through_the_mailed_link(app: TestApp) {
    app.set_up_admin().await;
    let link = reset_link(&app).await;
    assert!(link.starts_with(&app.address), "{link}");
    let page = app.get(&path_of(&link)).await;
    assert_eq!(page.status(), StatusCode::OK);
    assert_eq!(page.headers()["referrer-policy"], "no-referrer");
    let html = page.text().await.unwrap();
    assert!(html.contains("Choose a new password") && html.contains(ADMIN_EMAIL));
    // A mismatch is refused next to its field, and the link still works afterwards.
    let response = app
        .post_form(
            &path_of(&link),
            &[
                ("new_password", NEW_PASSWORD),
                ("confirm_password", "something else"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response.text().await.unwrap().contains("not the same"));
    let response = set_password(&app, &link, NEW_PASSWORD).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/surveys");
    let (_, body) = app.call("session_info", &[]).await;
    assert!(
        body.contains(ADMIN_EMAIL),
        "the link signs its member in: {body}"
    );
    assert!(signs_in(&app, ADMIN_EMAIL, NEW_PASSWORD).await);
    assert!(!signs_in(&app, ADMIN_EMAIL, PASSWORD).await);
    // Only the hash of the link's token is stored.
    let token = link.rsplit('/').next().unwrap();
    let stored = app
        .count(&format!(
            "SELECT COUNT(*) FROM account_links WHERE token_hash LIKE '%{token}%'"
        ))
        .await;
    assert_eq!(stored, 0);
}

async fn a_reset_link_cannot_be_replayed_once_used(app: TestApp) {
    app.set_up_admin().await;
    let link = reset_link(&app).await;
    let response = set_password(&app, &link, NEW_PASSWORD).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    app.set_session_cookie(None);
    let page = app.get(&path_of(&link)).await;
    assert_eq!(page.status(), StatusCode::GONE);
    assert!(page.text().await.unwrap().contains("used already"));
    let replay = set_password(&app, &link, "the attacker's passphrase").await;
    assert_eq!(replay.status(), StatusCode::CONFLICT);
    assert!(app.session_cookie().is_none(), "a replay signs nobody in");
    assert!(signs_in(&app, ADMIN_EMAIL, NEW_PASSWORD).await);
    assert!(!signs_in(&app, ADMIN_EMAIL, "the attacker's passphrase").await);
}

async fn a_reset_link_stops_working_after_an_hour(app: TestApp) {
    app.set_up_admin().await;
    let link = reset_link(&app).await;
    app.advance_clock(3600);
    let page = app.get(&path_of(&link)).await;
    assert_eq!(page.status(), StatusCode::GONE);
    assert!(page.text().await.unwrap().contains("expired"));
    let late = set_password(&app, &link, NEW_PASSWORD).await;
    assert_eq!(late.status(), StatusCode::CONFLICT);
    assert!(signs_in(&app, ADMIN_EMAIL, PASSWORD).await);
}

async fn an_older_reset_link_stops_working_once_a_newer_one_is_sent(app: TestApp) {
    app.set_up_admin().await;
    let first = reset_link(&app).await;
    assert_eq!(
        ask_for_reset(&app, ADMIN_EMAIL).await.status(),
        StatusCode::SEE_OTHER
    );
    app.wait_for_count("SELECT COUNT(*) FROM outbox WHERE kind = 'account'", 2)
        .await;
    let newest = app.account_link(ADMIN_EMAIL).await;
    assert_ne!(first, newest);
    assert_eq!(app.get(&path_of(&first)).await.status(), StatusCode::GONE);
    assert_eq!(
        set_password(&app, &first, NEW_PASSWORD).await.status(),
        StatusCode::CONFLICT
    );
    assert_eq!(
        set_password(&app, &newest, NEW_PASSWORD).await.status(),
        StatusCode::SEE_OTHER
    );
}

async fn two_people_racing_with_one_link_cannot_both_set_a_password(app: TestApp) {
    app.set_up_admin().await;
    let link = reset_link(&app).await;
    let (a, b) = tokio::join!(
        set_password(&app, &link, "the first racer's phrase"),
        set_password(&app, &link, "the second racer's phrase"),
    );
    let statuses = [a.status(), b.status()];
    let won = statuses
        .iter()
        .filter(|s| **s == StatusCode::SEE_OTHER)
        .count();
    assert_eq!(won, 1, "{statuses:?}");
    let first = signs_in(&app, ADMIN_EMAIL, "the first racer's phrase").await;
    let second = signs_in(&app, ADMIN_EMAIL, "the second racer's phrase").await;
    assert!(first != second, "exactly one password took");
}

async fn setting_a_password_through_a_link_signs_out_whoever_held_a_session(app: TestApp) {
    app.set_up_admin().await;
    let thief = app.session_cookie();
    let link = reset_link(&app).await;
    assert_eq!(
        set_password(&app, &link, NEW_PASSWORD).await.status(),
        StatusCode::SEE_OTHER
    );
    app.set_session_cookie(thief);
    let (_, body) = app.call("session_info", &[]).await;
    assert!(
        !body.contains(ADMIN_EMAIL),
        "the old session is over: {body}"
    );
}

/// The visible answer to a reset request: status, where it leads, and the page there.
async fn answer(app: &TestApp, email: &str) -> (StatusCode, String, String) {
    let response = ask_for_reset(app, email).await;
    let status = response.status();
    let to = location(&response);
    let page = app.get(&to).await.text().await.unwrap();
    (status, to, page)
}

async fn asking_for_a_reset_answers_the_same_for_an_address_with_no_account(app: TestApp) {
    app.set_up_admin().await;
    app.set_session_cookie(None);
    let known = answer(&app, ADMIN_EMAIL).await;
    let unknown = answer(&app, "nobody@example.org").await;
    assert_eq!(known, unknown);
    assert!(known.2.contains("If an account uses that address"));
    app.wait_for_count("SELECT COUNT(*) FROM outbox WHERE kind = 'account'", 1)
        .await;
    app.dispatch_all_pending_emails().await;
    let to_nobody = app
        .count("SELECT COUNT(*) FROM dev_mailbox WHERE to_address = 'nobody@example.org'")
        .await;
    assert_eq!(to_nobody, 0);
    // A malformed address is refused for what it is, whoever asks.
    let response = ask_for_reset(&app, "not an address").await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

async fn asking_again_and_again_mails_at_most_three_links_an_hour(app: TestApp) {
    app.set_up_admin().await;
    app.set_session_cookie(None);
    for _ in 0..6 {
        assert_eq!(
            ask_for_reset(&app, ADMIN_EMAIL).await.status(),
            StatusCode::SEE_OTHER
        );
        // Each request's work happens after its answer; let it finish before the next.
        tokio::time::sleep(std::time::Duration::from_millis(150)).await;
    }
    app.dispatch_all_pending_emails().await;
    let links = app
        .count("SELECT COUNT(*) FROM account_links WHERE purpose = 'reset'")
        .await;
    assert_eq!(links, 3);
    app.advance_clock(3601);
    assert_eq!(
        ask_for_reset(&app, ADMIN_EMAIL).await.status(),
        StatusCode::SEE_OTHER
    );
    app.wait_for_count(
        "SELECT COUNT(*) FROM account_links WHERE purpose = 'reset'",
        4,
    )
    .await;
}

async fn one_client_asking_for_many_resets_is_slowed_down(app: TestApp) {
    app.set_up_admin().await;
    app.set_session_cookie(None);
    for n in 0..10 {
        let email = format!("someone{n}@example.org");
        assert_eq!(
            ask_for_reset(&app, &email).await.status(),
            StatusCode::SEE_OTHER
        );
    }
    let response = ask_for_reset(&app, ADMIN_EMAIL).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(response.text().await.unwrap().contains("Too many attempts"));
}

async fn an_editor_cannot_read_a_reset_link_in_the_development_mailbox(app: TestApp) {
    app.set_up_admin().await;
    let admin = app.session_cookie();
    app.add_member("editor@example.org", "editor").await;
    app.set_session_cookie(None);
    let (_, _) = app.sign_in("editor@example.org", PASSWORD).await;
    let editor = app.session_cookie();
    let link = reset_link(&app).await;
    let mail_id: String = sqlx::query_scalar(
        "SELECT mail_id FROM dev_mailbox WHERE to_address = $1 AND subject LIKE 'Reset%'",
    )
    .bind(ADMIN_EMAIL)
    .fetch_one(&app.db)
    .await
    .unwrap();
    app.set_session_cookie(editor);
    let (status, list) = app.call("list_mail", &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!list.contains("Reset your Soundings password"), "{list}");
    assert!(!list.contains("invited"), "nor the invitation: {list}");
    let (status, _) = app.call("get_mail", &[("mail_id", &mail_id)]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let html = app.get(&format!("/mailbox/{mail_id}/html")).await;
    assert_eq!(html.status(), StatusCode::NOT_FOUND);
    // An admin, who could remove and invite the account anyway, sees it.
    app.set_session_cookie(admin);
    let (_, list) = app.call("list_mail", &[]).await;
    assert!(list.contains("Reset your Soundings password"), "{list}");
    let (status, mail) = app.call("get_mail", &[("mail_id", &mail_id)]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(mail.contains(&path_of(&link)));
}

async fn a_mistyped_or_made_up_link_opens_nothing(app: TestApp) {
    app.set_up_admin().await;
    let link = reset_link(&app).await;
    let made_up = format!("/password/{}", "A".repeat(43));
    for path in [
        made_up.as_str(),
        "/password/short",
        &path_of(&link)[..path_of(&link).len() - 1],
    ] {
        let page = app.get(path).await;
        assert_eq!(page.status(), StatusCode::NOT_FOUND, "{path}");
        let response = set_password(&app, &format!("{}{path}", app.address), NEW_PASSWORD).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
    }
    assert!(signs_in(&app, ADMIN_EMAIL, PASSWORD).await);
}

async fn an_invited_member_chooses_their_own_password_and_joins_with_the_chosen_role(app: TestApp) {
    app.set_up_admin().await;
    app.invite("Viewer@Example.org", "viewer").await;
    let (_, team) = app.call("list_team", &[]).await;
    assert!(
        team.contains("viewer@example.org") && team.contains("\"invitation\":{"),
        "{team}"
    );
    let link = app.account_link("viewer@example.org").await;
    let mail: String = sqlx::query_scalar(
        "SELECT text_body FROM dev_mailbox WHERE to_address = 'viewer@example.org'",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert!(
        mail.contains(ADMIN_EMAIL) && mail.contains("7 days"),
        "{mail}"
    );
    let admin = app.session_cookie();
    app.set_session_cookie(None);
    let page = app.get(&path_of(&link)).await.text().await.unwrap();
    assert!(page.contains("Join the team"));
    assert_eq!(
        set_password(&app, &link, NEW_PASSWORD).await.status(),
        StatusCode::SEE_OTHER
    );
    let (_, body) = app.call("session_info", &[]).await;
    assert!(
        body.contains("viewer@example.org") && body.contains("\"viewer\""),
        "{body}"
    );
    app.set_session_cookie(admin);
    let (_, team) = app.call("list_team", &[]).await;
    assert!(!team.contains("\"invitation\":{"), "joined: {team}");
    assert!(signs_in(&app, "viewer@example.org", NEW_PASSWORD).await);
}

async fn an_invited_member_cannot_sign_in_before_choosing_a_password(app: TestApp) {
    app.set_up_admin().await;
    app.invite("new@example.org", "admin").await;
    for guess in ["", " ", PASSWORD, "$argon2id$"] {
        assert!(!signs_in(&app, "new@example.org", guess).await, "{guess:?}");
    }
}

async fn sending_an_invitation_again_retires_the_first_link(app: TestApp) {
    app.set_up_admin().await;
    app.invite("new@example.org", "viewer").await;
    let first = app.account_link("new@example.org").await;
    app.invite("new@example.org", "editor").await;
    let links = app.account_links("new@example.org").await;
    assert_eq!(links.len(), 2);
    assert_eq!(app.get(&path_of(&first)).await.status(), StatusCode::GONE);
    let second = app.account_link("new@example.org").await;
    assert_ne!(first, second);
    let role: String = sqlx::query_scalar("SELECT role FROM users WHERE email = 'new@example.org'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(role, "editor", "the newest invitation's role counts");
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 2);
}

async fn an_invitation_expires_after_a_week_and_the_team_page_says_so(app: TestApp) {
    app.set_up_admin().await;
    app.invite("late@example.org", "viewer").await;
    let link = app.account_link("late@example.org").await;
    app.advance_clock(7 * 86_400);
    let page = app.get(&path_of(&link)).await;
    assert_eq!(page.status(), StatusCode::GONE);
    assert!(page
        .text()
        .await
        .unwrap()
        .contains("send the invitation again"));
    // The admin's session has run out meanwhile too.
    app.sign_in(ADMIN_EMAIL, PASSWORD).await;
    let (_, team) = app.call("list_team", &[]).await;
    assert!(team.contains("\"expired\":true"), "{team}");
    app.invite("late@example.org", "viewer").await;
    let again = app.account_link("late@example.org").await;
    app.set_session_cookie(None);
    assert_eq!(
        set_password(&app, &again, NEW_PASSWORD).await.status(),
        StatusCode::SEE_OTHER
    );
}

async fn account_mail_is_not_list_mail(app: TestApp) {
    app.set_up_admin().await;
    app.invite("new@example.org", "viewer").await;
    app.account_link("new@example.org").await;
    let raw: String =
        sqlx::query_scalar("SELECT raw FROM dev_mailbox WHERE to_address = 'new@example.org'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    let headers = raw.split("\r\n\r\n").next().unwrap();
    assert!(
        headers.contains("Subject: You're invited to Soundings"),
        "{headers}"
    );
    assert!(
        !headers.contains("List-Unsubscribe") && !headers.contains("List-Id"),
        "{headers}"
    );
}

/// The timing attack: an address with an account would be told apart by an answer that
/// waits for the account's lookup and its new link. Here a transaction holds both tables
/// that work touches, so any answer that waited for it would hang; it must come at once.
/// (PostgreSQL only: SQLite has no lock on a single table, and one on the whole database
/// would hold up the per-client throttle that every answer, known address or not, writes.)
mod postgres_only {
    use super::*;
    use crate::helpers::Backend;

    #[tokio::test]
    async fn the_answer_to_a_reset_request_never_waits_for_the_account_lookup() {
        let app = TestApp::spawn(Backend::Postgres).await;
        app.set_up_admin().await;
        app.set_session_cookie(None);
        let mut hold = app.db.begin().await.unwrap();
        sqlx::query("LOCK TABLE users, account_links IN ACCESS EXCLUSIVE MODE")
            .execute(&mut *hold)
            .await
            .unwrap();
        let answered = tokio::time::timeout(
            std::time::Duration::from_secs(5),
            ask_for_reset(&app, ADMIN_EMAIL),
        )
        .await
        .expect("the answer came while the account tables were held");
        assert_eq!(answered.status(), StatusCode::SEE_OTHER);
        hold.rollback().await.unwrap();
        // The work itself was only delayed: the link is made once the tables are free.
        app.wait_for_count("SELECT COUNT(*) FROM account_links", 1)
            .await;
    }
}
