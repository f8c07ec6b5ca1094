//! Who may be asked again: a hard bounce suppresses the address, the quiet period counts
//! messages that left (reminders too), a cap limits messages per 30 days, and pasting an
//! address is no way round any of them.
use crate::helpers::{on_both_backends, TestApp, ADMIN_EMAIL, PASSWORD};
use crate::mail_sink::MailSink;
use crate::public_api::{api, token};
use crate::sending::with_mail;
use reqwest::StatusCode;
use serde_json::{json, Value};

on_both_backends!(
    the_quiet_period_counts_a_reminder_that_left_and_not_an_invitation_never_sent,
    a_pasted_address_is_left_out_by_the_same_rules_unless_the_editor_includes_it,
    the_cap_leaves_out_a_contact_sent_that_many_messages_in_30_days,
);

with_mail!(a_hard_bounce_marks_the_contact_undeliverable_and_the_next_send_leaves_it_out,);

const DAY: i64 = 86_400;

/// Three contacts in one community on the Essential tier.
async fn audience(app: &TestApp) {
    app.add_community("North", "tier-essential").await;
    for who in ["ada", "bob", "dead"] {
        app.add_contact(&format!("{who}@example.org"), who, "North")
            .await;
    }
}

async fn send_to_everyone(app: &TestApp, token: &str, survey_id: &str, include: bool) -> Value {
    let (status, body, _) = api(
        app,
        "POST",
        &format!("/surveys/{survey_id}/sends"),
        Some(token),
        Some(json!({ "include_recently_surveyed": include })),
    )
    .await;
    assert!(status.is_success(), "{status}: {body}");
    body
}

async fn open_survey_titled(app: &TestApp, title: &str) -> String {
    let survey_id = app.create_survey(title).await;
    app.open_survey(&survey_id).await;
    survey_id
}

async fn a_hard_bounce_marks_the_contact_undeliverable_and_the_next_send_leaves_it_out(
    app: TestApp,
    sink: MailSink,
) {
    app.set_up_admin().await;
    audience(&app).await;
    let editor = token(&app, "editor").await;
    sink.set_rcpt_reply("dead@example.org", "550 5.1.1 No such user");
    let first = open_survey_titled(&app, "Storage").await;
    let sent = send_to_everyone(&app, &editor, &first, false).await;
    assert_eq!(sent["invited"], 3);
    app.dispatch_all_pending_emails().await;

    let (_, contacts, _) = api(&app, "GET", "/contacts", Some(&editor), None).await;
    let dead = contacts["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["email"] == "dead@example.org")
        .unwrap()
        .clone();
    assert_eq!(dead["undeliverable"], true, "{dead}");
    assert!(dead["undeliverable_reason"]
        .as_str()
        .unwrap()
        .contains("550"));
    let page = app.get("/contacts").await.text().await.unwrap();
    assert!(
        page.contains("Undeliverable addresses (1)"),
        "the contacts page shows it"
    );

    let second = open_survey_titled(&app, "Search").await;
    let sent = send_to_everyone(&app, &editor, &second, true).await;
    assert_eq!(sent["invited"], 2, "{sent}");
    assert_eq!(sent["left_out"]["undeliverable"], 1, "{sent}");
    let choose = app
        .get(&format!("/surveys/{second}/choose?override_quiet=on"))
        .await
        .text()
        .await
        .unwrap();
    assert!(choose.contains("bounced for good"), "the chooser says why");

    let (status, _, _) = api(
        &app,
        "POST",
        "/contacts/dead@example.org/deliverable",
        Some(&editor),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let third = open_survey_titled(&app, "Billing").await;
    let sent = send_to_everyone(&app, &editor, &third, true).await;
    assert_eq!(sent["invited"], 3, "cleared by an editor: invited again");
    let (status, _, _) = api(
        &app,
        "POST",
        "/contacts/dead@example.org/deliverable",
        Some(&editor),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "nothing left to clear");
}

async fn the_quiet_period_counts_a_reminder_that_left_and_not_an_invitation_never_sent(
    app: TestApp,
) {
    app.set_up_admin().await;
    audience(&app).await;
    let editor = token(&app, "editor").await;
    // Ada was invited 31 days ago and reminded today; Bob was chosen for a draft that
    // never sent anything.
    let first = open_survey_titled(&app, "Storage").await;
    app.add_recipients(&first, "ada@example.org").await;
    let (status, body) = app.call("send_invitations", &[("survey_id", &first)]).await;
    assert!(status.is_success(), "{status}: {body}");
    app.dispatch_all_pending_emails().await;
    let draft = app.create_survey("Draft").await;
    app.add_recipients(&draft, "bob@example.org").await;
    app.advance_clock(31 * DAY);
    app.sign_in(ADMIN_EMAIL, PASSWORD).await;

    let next = open_survey_titled(&app, "Search").await;
    let counts = choose_counts(&app, &next).await;
    assert!(
        counts.contains("3 people to invite")
            && counts.contains("0 sent a survey in the last 30 days"),
        "the invitation left 31 days ago; Bob's was never sent: {counts}"
    );

    let (status, body) = app.call("remind_now", &[("survey_id", &first)]).await;
    assert!(status.is_success(), "{status}: {body}");
    app.dispatch_all_pending_emails().await;
    let counts = choose_counts(&app, &next).await;
    assert!(
        counts.contains("2 people to invite")
            && counts.contains("1 sent a survey in the last 30 days"),
        "the reminder that left today counts: {counts}"
    );
    let _ = editor;
}

/// The chooser's counts for every contact, as its page shows them (nothing is written).
async fn choose_counts(app: &TestApp, survey_id: &str) -> String {
    let page = app
        .get(&format!(
            "/surveys/{survey_id}/choose?tier=&community=&tag="
        ))
        .await;
    assert_eq!(page.status(), StatusCode::OK);
    page.text().await.unwrap()
}

async fn a_pasted_address_is_left_out_by_the_same_rules_unless_the_editor_includes_it(
    app: TestApp,
) {
    app.set_up_admin().await;
    audience(&app).await;
    let first = open_survey_titled(&app, "Storage").await;
    app.add_recipients(&first, "ada@example.org").await;
    let (status, body) = app.call("send_invitations", &[("survey_id", &first)]).await;
    assert!(status.is_success(), "{status}: {body}");
    app.dispatch_all_pending_emails().await;

    let second = open_survey_titled(&app, "Search").await;
    let response = app
        .post_form(
            &format!("/surveys/{second}/recipients"),
            &[("emails", "ada@example.org\nbob@example.org")],
        )
        .await;
    let page = response.text().await.unwrap();
    assert!(page.contains("1 personal link created."), "{page}");
    assert!(
        page.contains("ada@example.org") && page.contains("sent a survey in the last 30 days"),
        "{page}"
    );
    let response = app
        .post_form(
            &format!("/surveys/{second}/recipients"),
            &[
                ("emails", "ada@example.org"),
                ("include_recently_surveyed", "on"),
            ],
        )
        .await;
    let page = response.text().await.unwrap();
    assert!(
        page.contains("1 personal link created."),
        "included: {page}"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM invitations").await,
        3,
        "Ada twice (two surveys) and Bob once"
    );
}

async fn the_cap_leaves_out_a_contact_sent_that_many_messages_in_30_days(app: TestApp) {
    // nextest runs each test in its own process, so this setting is this test's alone.
    std::env::set_var("TEST_CONTACT_CAP_PER_30_DAYS", "2");
    let app = app.spawn_sharing(None).await;
    app.set_up_admin().await;
    audience(&app).await;
    let editor = token(&app, "editor").await;
    let first = open_survey_titled(&app, "Storage").await;
    app.add_recipients(&first, "ada@example.org").await;
    let (status, body) = app.call("send_invitations", &[("survey_id", &first)]).await;
    assert!(status.is_success(), "{status}: {body}");
    app.dispatch_all_pending_emails().await;
    app.advance_clock(DAY + 60);
    app.sign_in(ADMIN_EMAIL, PASSWORD).await;
    let (status, body) = app.call("remind_now", &[("survey_id", &first)]).await;
    assert!(status.is_success(), "{status}: {body}");
    app.dispatch_all_pending_emails().await;

    let second = open_survey_titled(&app, "Search").await;
    let sent = send_to_everyone(&app, &editor, &second, true).await;
    assert_eq!(
        (
            sent["invited"].as_i64(),
            sent["left_out"]["capped"].as_i64()
        ),
        (Some(2), Some(1)),
        "two messages in 30 days is the cap, even with the quiet period overridden: {sent}"
    );
}
