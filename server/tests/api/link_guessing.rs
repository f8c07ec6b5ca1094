//! Guessing respondent links: every kind of dead link looks the same, a client that keeps
//! missing is refused every link for a while, and that throttle is not the sign-in one.
use crate::helpers::{on_both_backends, path_of, TestApp, ADMIN_EMAIL, PASSWORD};
use reqwest::StatusCode;

/// The default allowance of misses per minute (`LINK_MISSES_PER_MINUTE`).
const ALLOWANCE: usize = 20;

/// What a reply says about the link: status, the headers a guesser could compare, body.
async fn reply(app: &TestApp, path: &str) -> (StatusCode, Vec<String>, String) {
    let response = app.get(path).await;
    let status = response.status();
    let headers = [
        "content-type",
        "content-length",
        "cache-control",
        "retry-after",
    ]
    .iter()
    .map(|name| format!("{name}: {:?}", response.headers().get(*name)))
    .collect();
    (status, headers, response.text().await.unwrap())
}

/// An open survey with one invited person; returns the link path.
async fn one_link(app: &TestApp) -> String {
    app.set_up_admin().await;
    let survey_id = app.create_survey("Bulk export").await;
    app.open_survey(&survey_id).await;
    let links = app.add_recipients(&survey_id, "ada@example.org").await;
    path_of(&links[0].1)
}

on_both_backends!(
    unknown_malformed_and_revoked_links_get_the_same_reply,
    a_client_that_keeps_missing_is_refused_every_link_until_it_waits,
    a_person_opening_their_own_link_often_is_never_throttled,
    failed_sign_ins_do_not_lock_anyone_out_of_their_link,
);

async fn unknown_malformed_and_revoked_links_get_the_same_reply(app: TestApp) {
    let link = one_link(&app).await;
    let (status, _) = app
        .call(
            "erase_contact",
            &[("email", "ada@example.org"), ("confirm", "on")],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    app.set_session_cookie(None);
    let unknown = reply(&app, "/s/AAAAAAAAAAAAAAAAAAAAAAAA").await;
    assert_eq!(unknown.0, StatusCode::NOT_FOUND);
    assert!(
        unknown.2.contains("This link doesn&#x27;t work")
            || unknown.2.contains("This link doesn't work"),
        "{}",
        unknown.2
    );
    for other in [
        link.as_str(),
        "/s/short",
        "/s/not*base64*at*all*here",
        "/s/AAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "/s/p/AAAAAAAAAAAAAAAAAAAAAAAA",
    ] {
        assert_eq!(
            reply(&app, other).await,
            unknown,
            "{other} tells itself apart"
        );
    }
}

async fn a_client_that_keeps_missing_is_refused_every_link_until_it_waits(app: TestApp) {
    let link = one_link(&app).await;
    app.set_session_cookie(None);
    for i in 0..ALLOWANCE {
        let status = app
            .get(&format!("/s/AAAAAAAAAAAAAAAAAAAAAA{i:02}"))
            .await
            .status();
        assert_eq!(
            status,
            StatusCode::NOT_FOUND,
            "miss {i} is within the allowance"
        );
    }
    assert_eq!(
        app.get(&link).await.status(),
        StatusCode::OK,
        "the allowance is not spent yet"
    );
    assert_eq!(
        app.get("/s/AAAAAAAAAAAAAAAAAAAAAAZZ").await.status(),
        StatusCode::NOT_FOUND
    );
    for path in [
        link.as_str(),
        "/s/AAAAAAAAAAAAAAAAAAAAAAYY",
        "/u/AAAAAAAAAAAAAAAAAAAAAAYY",
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS, "{path}");
        let wait: u64 = response.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((1..=60).contains(&wait), "{wait}");
        let page = response.text().await.unwrap();
        assert!(
            page.contains("Too many links tried") && !page.contains("Bulk export"),
            "{page}"
        );
    }
    let (status, body) = app.sign_in(ADMIN_EMAIL, PASSWORD).await;
    assert!(
        status.is_success() || status.is_redirection(),
        "sign-in is throttled apart: {status} {body}"
    );
}

async fn a_person_opening_their_own_link_often_is_never_throttled(app: TestApp) {
    let link = one_link(&app).await;
    app.set_session_cookie(None);
    for _ in 0..3 * ALLOWANCE {
        assert_eq!(app.get(&link).await.status(), StatusCode::OK);
    }
}

async fn failed_sign_ins_do_not_lock_anyone_out_of_their_link(app: TestApp) {
    let link = one_link(&app).await;
    app.set_session_cookie(None);
    let mut throttled = false;
    for _ in 0..30 {
        let (status, _) = app.sign_in(ADMIN_EMAIL, "not the passphrase").await;
        throttled |= status == StatusCode::TOO_MANY_REQUESTS;
    }
    assert!(throttled, "the sign-in throttle engaged");
    assert_eq!(app.get(&link).await.status(), StatusCode::OK);
}
