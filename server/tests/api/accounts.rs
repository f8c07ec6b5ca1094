use crate::helpers::TestApp;
use crate::helpers::{location, on_both_backends, ADMIN_EMAIL, PASSWORD};
use reqwest::StatusCode;

const HOUR: i64 = 3600;

on_both_backends!(
    a_new_instance_sends_visitors_to_the_setup_page,
    setup_creates_an_admin_and_signs_them_in_with_a_safe_cookie,
    setup_is_refused_once_an_account_exists,
    a_short_password_or_a_mismatch_is_refused_with_field_messages,
    each_sign_in_starts_a_new_session_and_sign_out_ends_it,
    a_session_id_planted_before_sign_in_is_replaced_and_never_honoured,
    a_wrong_password_is_refused_without_saying_which_part_was_wrong,
    a_wrong_password_tried_20_times_is_throttled_even_when_the_right_one_follows,
    failures_spread_over_many_accounts_are_throttled_by_address,
    an_idle_session_expires,
    a_session_expires_at_its_absolute_limit_however_active,
    the_command_line_creates_an_account_that_can_sign_in,
);

async fn a_new_instance_sends_visitors_to_the_setup_page(app: TestApp) {
    let response = app.get("/").await;
    assert!(response.status().is_redirection());
    assert_eq!(location(&response), "/setup");
    let page = app.get("/setup").await.text().await.unwrap();
    assert!(page.contains("Create the first admin account"));
}

async fn setup_creates_an_admin_and_signs_them_in_with_a_safe_cookie(app: TestApp) {
    let response = app
        .post_form_with(
            "/fn/set_up_first_admin",
            &[
                ("email", " Admin@Example.org "),
                ("password", PASSWORD),
                ("confirm", PASSWORD),
            ],
            &[("origin", &app.address), ("accept", "application/json")],
        )
        .await;
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(cookie.starts_with("soundings_session="), "{cookie}");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM users WHERE role = 'admin' AND email = 'admin@example.org'"
        )
        .await,
        1
    );
    let stored: String = sqlx::query_scalar("SELECT password_hash FROM users")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert!(stored.starts_with("$argon2id$"));
    let surveys = app.get("/surveys").await;
    assert_eq!(surveys.status(), StatusCode::OK);
    assert!(surveys.text().await.unwrap().contains("admin@example.org"));
}

async fn setup_is_refused_once_an_account_exists(app: TestApp) {
    app.set_up_admin().await;
    app.set_session_cookie(None);
    let (status, body) = app
        .call(
            "set_up_first_admin",
            &[
                ("email", "intruder@example.org"),
                ("password", PASSWORD),
                ("confirm", PASSWORD),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(body.contains("already set up"), "{body}");
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 1);
    let setup = app.get("/setup").await;
    assert_eq!(location(&setup), "/sign-in");
}

async fn a_short_password_or_a_mismatch_is_refused_with_field_messages(app: TestApp) {
    let (status, body) = app
        .call(
            "set_up_first_admin",
            &[
                ("email", "not-an-email"),
                ("password", "short"),
                ("confirm", "other"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body.contains("\"email\"") && body.contains("at least 12 characters"),
        "{body}"
    );
    let (_, body) = app
        .call(
            "set_up_first_admin",
            &[
                ("email", ADMIN_EMAIL),
                ("password", PASSWORD),
                ("confirm", "something else entirely"),
            ],
        )
        .await;
    assert!(body.contains("\"confirm\""), "{body}");
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 0);
}

async fn each_sign_in_starts_a_new_session_and_sign_out_ends_it(app: TestApp) {
    app.set_up_admin().await;
    let first = app.session_cookie().unwrap();
    let (status, _) = app.sign_in(ADMIN_EMAIL, PASSWORD).await;
    assert!(status.is_success() || status.is_redirection());
    let second = app.session_cookie().unwrap();
    assert_ne!(first, second);
    app.call("sign_out", &[]).await;
    assert_eq!(app.session_cookie(), None);
    app.set_session_cookie(Some(second));
    let (status, _) = app.call("list_surveys", &[]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

async fn a_session_id_planted_before_sign_in_is_replaced_and_never_honoured(app: TestApp) {
    app.set_up_admin().await;
    app.call("sign_out", &[]).await;
    let planted = "soundings_session=chosen-by-an-attacker-0123456789abcdef".to_string();
    app.set_session_cookie(Some(planted.clone()));
    let (status, _) = app.sign_in(ADMIN_EMAIL, PASSWORD).await;
    assert!(status.is_success() || status.is_redirection());
    let issued = app.session_cookie().unwrap();
    assert_ne!(issued, planted, "sign-in issues its own id");
    app.set_session_cookie(Some(planted));
    let (status, _) = app.call("list_surveys", &[]).await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "the planted id signs no one in"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM sessions").await,
        1,
        "only the issued session exists"
    );
}

async fn a_wrong_password_is_refused_without_saying_which_part_was_wrong(app: TestApp) {
    app.set_up_admin().await;
    app.set_session_cookie(None);
    let (status, wrong_password) = app.sign_in(ADMIN_EMAIL, "not the right passphrase").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (_, unknown_account) = app
        .sign_in("nobody@example.org", "not the right passphrase")
        .await;
    assert_eq!(wrong_password, unknown_account);
    assert_eq!(app.session_cookie(), None);
}

async fn a_wrong_password_tried_20_times_is_throttled_even_when_the_right_one_follows(
    app: TestApp,
) {
    app.set_up_admin().await;
    app.set_session_cookie(None);
    let mut throttled = 0;
    for _ in 0..20 {
        let (status, _) = app.sign_in(ADMIN_EMAIL, "not the right passphrase").await;
        if status == StatusCode::TOO_MANY_REQUESTS {
            throttled += 1;
        }
    }
    assert_eq!(
        throttled, 15,
        "5 tries are allowed, the next 15 are throttled"
    );
    let (status, body) = app.sign_in(ADMIN_EMAIL, PASSWORD).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert!(body.contains("TooManyRequests"), "{body}");
    assert_eq!(app.session_cookie(), None);
}

async fn failures_spread_over_many_accounts_are_throttled_by_address(app: TestApp) {
    app.set_up_admin().await;
    app.set_session_cookie(None);
    for i in 0..20 {
        let (status, _) = app
            .sign_in(&format!("guess{i}@example.org"), "not the right passphrase")
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let (status, _) = app.sign_in(ADMIN_EMAIL, PASSWORD).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
}

async fn an_idle_session_expires(app: TestApp) {
    app.set_up_admin().await;
    app.advance_clock(11 * HOUR);
    let (status, _) = app.call("list_surveys", &[]).await;
    assert_eq!(status, StatusCode::OK, "11 idle hours are within the 12");
    app.advance_clock(12 * HOUR + 60);
    let (status, _) = app.call("list_surveys", &[]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.count("SELECT COUNT(*) FROM sessions").await, 0);
}

async fn a_session_expires_at_its_absolute_limit_however_active(app: TestApp) {
    app.set_up_admin().await;
    // A request every 11 hours never lets it idle out: 30 of them reach 13.75 days.
    for step in 1..=30 {
        app.advance_clock(11 * HOUR);
        let (status, _) = app.call("list_surveys", &[]).await;
        assert_eq!(
            status,
            StatusCode::OK,
            "still signed in after {} hours",
            step * 11
        );
    }
    app.advance_clock(11 * HOUR);
    let (status, _) = app.call("list_surveys", &[]).await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "341 hours is past the 336"
    );
}

async fn the_command_line_creates_an_account_that_can_sign_in(app: TestApp) {
    let settings = server::settings::Settings::from_lookup(|key| match key {
        "DATABASE_URL" => Some(app.database_url.clone()),
        _ => None,
    })
    .unwrap();
    server::cli::create_user(&settings, "Cli@Example.org", "admin", PASSWORD.into())
        .await
        .unwrap();
    let duplicate =
        server::cli::create_user(&settings, "cli@example.org", "viewer", PASSWORD.into()).await;
    assert!(duplicate
        .unwrap_err()
        .to_string()
        .contains("already has an account"));
    let short =
        server::cli::create_user(&settings, "other@example.org", "viewer", "short".into()).await;
    assert!(short
        .unwrap_err()
        .to_string()
        .contains("at least 12 characters"));
    let (status, _) = app.sign_in("cli@example.org", PASSWORD).await;
    assert!(status.is_success() || status.is_redirection());
    assert_eq!(location(&app.get("/setup").await), "/sign-in");
}
