//! Sending invitations through a real SMTP server: the message itself, one-click answers,
//! unsubscribing, faults of the mail server, the development mailbox, and two instances
//! draining one outbox.
use crate::helpers::{on_both_backends, path_of, Backend, TestApp};
use crate::mail_sink::{MailSink, ReceivedMail};
use reqwest::StatusCode;

/// An open survey (one CSAT question) with `emails` invited; returns its id.
async fn survey_for(app: &TestApp, emails: &str) -> String {
    app.set_up_admin().await;
    let survey_id = app.create_survey("New storage options").await;
    app.open_survey(&survey_id).await;
    app.add_recipients(&survey_id, emails).await;
    survey_id
}

async fn send(app: &TestApp, survey_id: &str) -> u64 {
    let (status, body) = app
        .call("send_invitations", &[("survey_id", survey_id)])
        .await;
    assert!(status.is_success(), "{status}: {body}");
    body.parse().unwrap()
}

/// The personal link a received message carries (as a path), and its unsubscribe link.
fn links_of(mail: &ReceivedMail) -> (String, String) {
    let links = mail.links();
    let survey = links
        .iter()
        .find(|l| l.contains("/s/") && !l.contains('?'))
        .expect("a survey link");
    let unsubscribe = links
        .iter()
        .find(|l| l.contains("/u/"))
        .expect("an unsubscribe link");
    (path_of(survey), path_of(unsubscribe))
}

pub(crate) async fn app_with(backend: Backend, sink: &MailSink) -> TestApp {
    TestApp::spawn_with(backend, Some(sink.smtp_url())).await
}

/// Runs each named test twice, as `mail::sqlite::name` and `mail::postgres::name`, each
/// with its own SMTP sink and an app that sends to it.
macro_rules! with_mail {
    ($($name:ident),* $(,)?) => {
        mod mail {
            mod sqlite {
                $(#[tokio::test]
                async fn $name() {
                    let sink = crate::mail_sink::MailSink::start();
                    let app = crate::sending::app_with(crate::helpers::Backend::Sqlite, &sink).await;
                    super::super::$name(app, sink).await
                })*
            }
            mod postgres {
                $(#[tokio::test]
                async fn $name() {
                    let sink = crate::mail_sink::MailSink::start();
                    let app = crate::sending::app_with(crate::helpers::Backend::Postgres, &sink).await;
                    super::super::$name(app, sink).await
                })*
            }
        }
    };
}
pub(crate) use with_mail;

with_mail!(
    each_recipient_gets_a_multipart_invitation_with_one_click_unsubscribe,
    a_one_click_answer_is_selected_on_the_page_and_stored_only_when_sent,
    a_hostile_name_cannot_add_a_header_or_a_recipient,
    mail_waits_while_the_smtp_server_is_down_and_goes_out_when_it_returns,
    a_4xx_reply_is_retried_later,
    a_5xx_reply_marks_the_invitation_bounced_and_is_not_retried,
    unsubscribing_through_the_email_stops_all_future_surveys_and_can_be_undone,
    a_crash_in_the_middle_of_a_send_loses_no_message,
    two_instances_drain_one_outbox_without_sending_anything_twice,
    reminding_now_reaches_only_those_sent_the_invitation_who_have_not_answered,
    scheduled_reminders_go_out_when_due_and_stop_after_the_last,
    a_test_of_the_wording_goes_to_the_editor_and_its_links_open_the_preview,
    mail_cancelled_by_an_unsubscribe_goes_out_after_the_undo,
    a_surveys_sender_name_is_the_from_name_and_the_address_stays_the_teams,
);

async fn each_recipient_gets_a_multipart_invitation_with_one_click_unsubscribe(
    app: TestApp,
    sink: MailSink,
) {
    let survey_id = survey_for(&app, "ada@example.org\ngrace@example.org").await;
    assert_eq!(send(&app, &survey_id).await, 2);
    let mails = sink.wait_for(2).await;
    let mut to: Vec<String> = mails.iter().flat_map(|m| m.rcpt_to.clone()).collect();
    to.sort();
    assert_eq!(to, ["ada@example.org", "grace@example.org"]);
    let mail = &mails[0];
    assert_eq!(
        mail.content_types(),
        ["multipart/alternative", "text/plain", "text/html"]
    );
    assert_eq!(
        mail.header("Subject").unwrap(),
        "New storage options: how is it working for you?"
    );
    assert_eq!(
        mail.header("From").unwrap(),
        "\"Product team\" <product@example.org>"
    );
    let message_id = mail.header("Message-ID").unwrap();
    assert!(
        message_id.starts_with("<invite-") && message_id.ends_with("@example.org>"),
        "{message_id}"
    );
    let unsubscribe = mail.header("List-Unsubscribe").unwrap();
    assert!(
        unsubscribe.contains("/u/")
            && unsubscribe.contains("<mailto:product@example.org?subject=unsubscribe>"),
        "{unsubscribe}"
    );
    assert_eq!(
        mail.header("List-Unsubscribe-Post").unwrap(),
        "List-Unsubscribe=One-Click"
    );
    assert_eq!(
        mail.header("List-Id").unwrap(),
        "\"Product team surveys\" <surveys.example.org>"
    );
    assert!(mail.text_body().contains("Unsubscribe from these surveys:"));
    assert!(mail.html_body().contains(">Answer the survey</a>"));
    let (link, _) = links_of(mail);
    let page = app.get(&link).await;
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.text().await.unwrap().contains("New storage options"));
    app.wait_for_count(
        "SELECT COUNT(*) FROM invitations WHERE sent_at IS NOT NULL",
        2,
    )
    .await;
    assert_eq!(
        send(&app, &survey_id).await,
        0,
        "sending again sends nothing twice"
    );
}

async fn a_one_click_answer_is_selected_on_the_page_and_stored_only_when_sent(
    app: TestApp,
    sink: MailSink,
) {
    let survey_id = survey_for(&app, "ada@example.org").await;
    send(&app, &survey_id).await;
    let mail = &sink.wait_for(1).await[0];
    let four = mail
        .links()
        .into_iter()
        .find(|l| l.ends_with("?answer=4"))
        .expect("a one-click link for 4");
    assert!(mail.html_body().contains("?answer=5"));
    app.set_session_cookie(None);
    let html = app.get(&path_of(&four)).await.text().await.unwrap();
    assert!(html.contains("Your answer is selected below") && html.contains("value=\"4\" checked"));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM responses").await,
        0,
        "a mail scanner's click stores nothing"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM invitations WHERE started_at IS NOT NULL")
            .await,
        0
    );
    let question_id: String = sqlx::query_scalar("SELECT question_id FROM questions")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let (link, _) = links_of(mail);
    app.post_form(&link, &[(&format!("q_{question_id}"), "4")])
        .await;
    assert_eq!(
        app.count("SELECT CAST(score AS BIGINT) FROM answers").await,
        4
    );
}

async fn a_hostile_name_cannot_add_a_header_or_a_recipient(app: TestApp, sink: MailSink) {
    let survey_id = survey_for(&app, "ada@example.org").await;
    sqlx::query("UPDATE contacts SET name = $1")
        .bind("Ada\r\nBcc: victim@example.org\r\nX-Injected: yes")
        .execute(&app.db)
        .await
        .unwrap();
    send(&app, &survey_id).await;
    let mail = &sink.wait_for(1).await[0];
    assert_eq!(mail.rcpt_to, ["ada@example.org"]);
    let names = mail.header_names();
    assert!(
        !names
            .iter()
            .any(|n| n.eq_ignore_ascii_case("bcc") || n.eq_ignore_ascii_case("x-injected")),
        "{names:?}"
    );
    assert!(mail.text_body().contains("Hello Ada"));
}

async fn mail_waits_while_the_smtp_server_is_down_and_goes_out_when_it_returns(
    app: TestApp,
    mut sink: MailSink,
) {
    let survey_id = survey_for(&app, "ada@example.org").await;
    sink.stop();
    send(&app, &survey_id).await;
    app.wait_for_count(
        "SELECT COUNT(*) FROM outbox \
        WHERE status = 'queued' AND attempts >= 1 \
        AND last_error IS NOT NULL",
        1,
    )
    .await;
    sink.restart();
    sink.wait_for(1).await;
    app.wait_for_count("SELECT COUNT(*) FROM outbox WHERE status = 'sent'", 1)
        .await;
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM invitations WHERE sent_at IS NOT NULL AND delivery_error IS NULL"
        )
        .await,
        1
    );
}

async fn a_4xx_reply_is_retried_later(app: TestApp, sink: MailSink) {
    let survey_id = survey_for(&app, "ada@example.org").await;
    sink.set_rcpt_reply("ada@example.org", "451 4.3.0 Mailbox busy, try again later");
    send(&app, &survey_id).await;
    app.wait_for_count(
        "SELECT COUNT(*) FROM outbox WHERE status = 'queued' AND attempts >= 1",
        1,
    )
    .await;
    let error: String = sqlx::query_scalar("SELECT last_error FROM outbox")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert!(error.contains("451"), "{error}");
    sink.clear_rules();
    sink.wait_for(1).await;
    app.wait_for_count(
        "SELECT COUNT(*) FROM invitations WHERE sent_at IS NOT NULL",
        1,
    )
    .await;
}

async fn a_5xx_reply_marks_the_invitation_bounced_and_is_not_retried(app: TestApp, sink: MailSink) {
    let survey_id = survey_for(&app, "ada@example.org\ngrace@example.org").await;
    sink.set_rcpt_reply("ada@example.org", "550 5.1.1 No such user here");
    send(&app, &survey_id).await;
    sink.wait_for(1).await;
    app.wait_for_count(
        "SELECT COUNT(*) FROM invitations WHERE bounced_at IS NOT NULL",
        1,
    )
    .await;
    app.dispatch_all_pending_emails().await;
    // Nothing is left for any worker to try again, even a day later.
    let due = app::distribution::sending::outbox::claim_due(&app.db, app.clock.now() + 86_400, 10)
        .await
        .unwrap();
    assert!(due.is_empty(), "a bounced message is never claimed again");
    assert_eq!(
        app.count("SELECT CAST(attempts AS BIGINT) FROM outbox WHERE status = 'bounced'")
            .await,
        1
    );
    assert_eq!(sink.messages().len(), 1, "grace only");
    let (_, body) = app.call("get_survey", &[("survey_id", &survey_id)]).await;
    assert!(body.contains("\"bounced\":1"), "{body}");
    let (_, body) = app
        .call(
            "list_recipients",
            &[("survey_id", &survey_id), ("status", "bounced")],
        )
        .await;
    assert!(
        body.contains("(550): 5.1.1 No such user here"),
        "the reply is shown beside the person: {body}"
    );
}

async fn unsubscribing_through_the_email_stops_all_future_surveys_and_can_be_undone(
    app: TestApp,
    sink: MailSink,
) {
    let survey_id = survey_for(&app, "ada@example.org").await;
    send(&app, &survey_id).await;
    let mail = sink.wait_for(1).await.remove(0);
    let (link, unsubscribe) = links_of(&mail);
    let page = app.get(&unsubscribe).await.text().await.unwrap();
    assert!(page.contains("Stop getting surveys?") && page.contains("a•••@example.org"));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM contacts WHERE unsubscribed_at IS NOT NULL")
            .await,
        0,
        "opening the page changes nothing"
    );
    let one_click = app
        .post_form_with(&unsubscribe, &[("List-Unsubscribe", "One-Click")], &[])
        .await;
    assert_eq!(one_click.status(), StatusCode::OK);
    assert!(one_click
        .text()
        .await
        .unwrap()
        .contains("You are unsubscribed"));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM invitations WHERE unsubscribed_at IS NOT NULL")
            .await,
        1
    );
    let undone = app
        .post_form(&unsubscribe, &[("action", "undo")])
        .await
        .text()
        .await
        .unwrap();
    assert!(undone.contains("Welcome back"));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM contacts WHERE unsubscribed_at IS NOT NULL")
            .await,
        0
    );
    app.post_form(&unsubscribe, &[("action", "unsubscribe")])
        .await;
    assert_eq!(
        app.get(&link).await.status(),
        StatusCode::OK,
        "the survey already received still works"
    );
    let next = app.create_survey("Next release").await;
    app.open_survey(&next).await;
    app.add_recipients(&next, "ada@example.org").await;
    assert_eq!(
        send(&app, &next).await,
        0,
        "no invitation for someone unsubscribed"
    );
    assert_eq!(
        app.get("/u/AAAAAAAAAAAAAAAAAAAAAAAA").await.status(),
        StatusCode::NOT_FOUND
    );
}

async fn a_crash_in_the_middle_of_a_send_loses_no_message(app: TestApp, sink: MailSink) {
    let survey_id = survey_for(&app, "ada@example.org").await;
    sink.set_data_delay_ms(3000);
    send(&app, &survey_id).await;
    app.wait_for_count("SELECT COUNT(*) FROM outbox WHERE status = 'sending'", 1)
        .await;
    app.crash();
    sink.clear_rules();
    // A crashed instance's lease runs out; here it is made to run out now.
    sqlx::query("UPDATE outbox SET lease_until = 0")
        .execute(&app.db)
        .await
        .unwrap();
    let restarted = app.spawn_sharing(Some(sink.smtp_url())).await;
    restarted
        .wait_for_count("SELECT COUNT(*) FROM outbox WHERE status = 'sent'", 1)
        .await;
    let mails = sink.messages();
    assert!(
        !mails.is_empty() && mails.len() <= 2,
        "{} messages",
        mails.len()
    );
    let ids: std::collections::BTreeSet<_> = mails.iter().map(|m| m.header("Message-ID")).collect();
    assert_eq!(
        ids.len(),
        1,
        "a second copy would carry the same Message-ID"
    );
}

async fn two_instances_drain_one_outbox_without_sending_anything_twice(
    app: TestApp,
    sink: MailSink,
) {
    let emails: Vec<String> = (0..40).map(|i| format!("person{i}@example.org")).collect();
    let survey_id = survey_for(&app, &emails.join("\n")).await;
    let _second = app.spawn_sharing(Some(sink.smtp_url())).await;
    assert_eq!(send(&app, &survey_id).await, 40);
    let mails = sink.wait_for(40).await;
    app.dispatch_all_pending_emails().await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox WHERE status = 'sent'")
            .await,
        40
    );
    // A second copy, if the claims ever let one through, would be on its way with no row
    // left to show it: this wait gives it time to arrive, and is the one kept on purpose.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let ids: std::collections::BTreeSet<_> = sink
        .messages()
        .iter()
        .map(|m| m.header("Message-ID"))
        .collect();
    assert_eq!(ids.len(), 40);
    assert_eq!(
        sink.messages().len(),
        40,
        "{} messages for 40 invitations",
        mails.len()
    );
}

async fn reminding_now_reaches_only_those_sent_the_invitation_who_have_not_answered(
    app: TestApp,
    sink: MailSink,
) {
    let survey_id = survey_for(
        &app,
        "ada@example.org\ngrace@example.org\nlinus@example.org",
    )
    .await;
    send(&app, &survey_id).await;
    let mails = sink.wait_for(3).await;
    let by = |who: &str| mails.iter().find(|m| m.rcpt_to[0] == who).cloned().unwrap();
    let (ada_link, _) = links_of(&by("ada@example.org"));
    let (_, grace_unsubscribe) = links_of(&by("grace@example.org"));
    let (linus_link, _) = links_of(&by("linus@example.org"));
    let question_id: String = sqlx::query_scalar("SELECT question_id FROM questions")
        .fetch_one(&app.db)
        .await
        .unwrap();
    app.post_form(&ada_link, &[(&format!("q_{question_id}"), "5")])
        .await;
    app.post_form(&grace_unsubscribe, &[("action", "unsubscribe")])
        .await;
    app.wait_for_count(
        "SELECT COUNT(*) FROM invitations WHERE sent_at IS NOT NULL",
        3,
    )
    .await;
    let (_, detail) = app.call("get_survey", &[("survey_id", &survey_id)]).await;
    assert!(detail.contains("\"remindable\":1"), "{detail}");
    let (status, queued) = app.call("remind_now", &[("survey_id", &survey_id)]).await;
    assert_eq!((status, queued.as_str()), (StatusCode::OK, "1"));
    let reminder = sink.wait_for(4).await.remove(3);
    assert_eq!(reminder.rcpt_to, ["linus@example.org"]);
    assert_eq!(
        reminder.header("Subject").unwrap(),
        "A minute for New storage options? Your answer still counts"
    );
    assert_eq!(
        links_of(&reminder).0,
        linus_link,
        "the reminder carries the same personal link"
    );
    assert!(
        reminder.links().iter().any(|l| l.ends_with("?answer=5")),
        "with the one-click scale"
    );
    app.wait_for_count(
        "SELECT COUNT(*) FROM invitations \
        WHERE reminders_sent = 1 AND last_reminded_at IS NOT NULL",
        1,
    )
    .await;
    let (_, again) = app.call("remind_now", &[("survey_id", &survey_id)]).await;
    assert_eq!(again, "0", "not twice in one day");
}

async fn scheduled_reminders_go_out_when_due_and_stop_after_the_last(app: TestApp, sink: MailSink) {
    let survey_id = survey_for(&app, "ada@example.org").await;
    send(&app, &survey_id).await;
    sink.wait_for(1).await;
    app.wait_for_count(
        "SELECT COUNT(*) FROM invitations WHERE sent_at IS NOT NULL",
        1,
    )
    .await;
    let day = 86_400;
    app.advance_clock(4 * day);
    sink.wait_for(2).await;
    app.wait_for_count("SELECT CAST(reminders_sent AS BIGINT) FROM invitations", 1)
        .await;
    app.advance_clock(4 * day);
    sink.wait_for(3).await;
    app.wait_for_count("SELECT CAST(reminders_sent AS BIGINT) FROM invitations", 2)
        .await;
    app.advance_clock(22 * day);
    // The worker's own check, run here at the moved time: nothing is due after the last.
    let due = app::distribution::sending::reminders::queue_due_reminders(&app.db, app.clock.now())
        .await
        .unwrap();
    assert_eq!(due, 0, "no third reminder is due on day 30");
    assert_eq!(
        sink.messages().len(),
        3,
        "the schedule of 3 and 7 days holds two reminders"
    );
}

async fn a_test_of_the_wording_goes_to_the_editor_and_its_links_open_the_preview(
    app: TestApp,
    sink: MailSink,
) {
    let survey_id = survey_for(&app, "ada@example.org").await;
    let (status, body) = app
        .call(
            "send_test_email",
            &[("survey_id", &survey_id), ("kind", "reminder")],
        )
        .await;
    assert!(
        status.is_success() || status.is_redirection(),
        "{status}: {body}"
    );
    let mail = sink.wait_for(1).await.remove(0);
    assert_eq!(mail.rcpt_to, [crate::helpers::ADMIN_EMAIL]);
    assert_eq!(
        mail.header("Subject").unwrap(),
        "[Test] A minute for New storage options? Your answer still counts"
    );
    let links = mail.links();
    assert!(
        links
            .iter()
            .any(|l| l.ends_with(&format!("/surveys/{survey_id}/preview"))),
        "{links:?}"
    );
    assert!(
        !links.iter().any(|l| l.contains("/s/") || l.contains("/u/")),
        "no one's personal link: {links:?}"
    );
    app.wait_for_count(
        "SELECT COUNT(*) FROM outbox WHERE kind = 'test' AND status = 'sent'",
        1,
    )
    .await;
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM invitations WHERE queued_at IS NOT NULL OR sent_at IS NOT NULL"
        )
        .await,
        0,
        "the test invites no one"
    );
}

async fn mail_cancelled_by_an_unsubscribe_goes_out_after_the_undo(
    app: TestApp,
    mut sink: MailSink,
) {
    let survey_id = survey_for(&app, "ada@example.org").await;
    sink.stop();
    send(&app, &survey_id).await;
    app.wait_for_count("SELECT COUNT(*) FROM outbox WHERE attempts >= 1", 1)
        .await;
    let invitation_id: String = sqlx::query_scalar("SELECT invitation_id FROM invitations")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let token =
        app::distribution::sending::tokens::unsubscribe_token(&test_config(), &invitation_id);
    let unsubscribe = format!("/u/{}", token.expose());
    app.post_form(&unsubscribe, &[("action", "unsubscribe")])
        .await;
    // Waiting mail is cancelled at once; mail being sent that moment, at its next try.
    app.wait_for_count("SELECT COUNT(*) FROM outbox WHERE status = 'cancelled'", 1)
        .await;
    app.wait_for_count(
        "SELECT COUNT(*) FROM invitations WHERE queued_at IS NULL",
        1,
    )
    .await;
    app.post_form(&unsubscribe, &[("action", "undo")]).await;
    sink.restart();
    assert_eq!(
        send(&app, &survey_id).await,
        1,
        "queued again after the undo"
    );
    sink.wait_for(1).await;
    app.wait_for_count(
        "SELECT COUNT(*) FROM invitations WHERE sent_at IS NOT NULL",
        1,
    )
    .await;
}

/// The configuration the test instances run with (the same secret key).
fn test_config() -> app::server::Config {
    app::server::Config {
        secret: app::server::token::ServerSecret::new(crate::helpers::TEST_SECRET.as_bytes())
            .unwrap(),
        ..Default::default()
    }
}

on_both_backends!(
    a_worker_whose_claim_was_taken_over_changes_nothing,
    without_smtp_the_mail_lands_in_the_development_mailbox,
    a_reminder_schedule_holds_at_most_three_days_from_1_to_60,
    the_team_words_its_own_email_previews_it_and_the_mail_uses_it,
    tests_of_the_wording_stop_at_ten_an_hour_and_viewers_send_none,
    the_live_funnel_follows_a_send_until_nothing_waits,
    a_draft_survey_sends_no_invitations,
);

async fn a_worker_whose_claim_was_taken_over_changes_nothing(app: TestApp) {
    let survey_id = survey_for(&app, "ada@example.org").await;
    let invitation_id: String = sqlx::query_scalar("SELECT invitation_id FROM invitations")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let far = 4_000_000_000_i64;
    sqlx::query(
        "INSERT INTO outbox (message_id, invitation_id, kind, status, \
        attempts, next_attempt_at, created_at) \
        VALUES ('m1', $1, 'invitation', 'queued', 0, $2, 0)",
    )
    .bind(&invitation_id)
    .bind(far)
    .execute(&app.db)
    .await
    .unwrap();
    let _ = survey_id;
    let outbox = app::distribution::sending::outbox::claim_due(&app.db, far, 10)
        .await
        .unwrap();
    assert_eq!(outbox.len(), 1);
    let stale = outbox[0].clone();
    let lease_gone = far + app::distribution::sending::outbox::LEASE_SECS + 1;
    let fresh = app::distribution::sending::outbox::claim_due(&app.db, lease_gone, 10)
        .await
        .unwrap();
    assert_eq!(
        fresh[0].attempts,
        stale.attempts + 1,
        "the lease ran out, another worker claimed it"
    );
    assert!(
        !app::distribution::sending::outbox::renew_claim(&app.db, &stale, lease_gone)
            .await
            .unwrap()
    );
    app::distribution::sending::outbox::mark_undeliverable(
        &app.db, &stale, true, "550 late", lease_gone,
    )
    .await
    .unwrap();
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox WHERE status = 'sending'")
            .await,
        1,
        "the stale worker changed nothing"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM invitations WHERE bounced_at IS NOT NULL")
            .await,
        0
    );
    app::distribution::sending::outbox::mark_sent(&app.db, &fresh[0], lease_gone)
        .await
        .unwrap();
    assert_eq!(
        app.count("SELECT COUNT(*) FROM invitations WHERE sent_at IS NOT NULL")
            .await,
        1
    );
}

async fn without_smtp_the_mail_lands_in_the_development_mailbox(app: TestApp) {
    let survey_id = survey_for(&app, "ada@example.org").await;
    let (_, session) = app.call("session_info", &[]).await;
    assert!(session.contains("\"dev_mailbox\":true"));
    send(&app, &survey_id).await;
    app.wait_for_count("SELECT COUNT(*) FROM dev_mailbox", 1)
        .await;
    let (_, list) = app.call("list_mail", &[]).await;
    let list: serde_json::Value = serde_json::from_str(&list).unwrap();
    let mail_id = list[0]["mail_id"].as_str().unwrap().to_string();
    assert_eq!(list[0]["to_address"], "ada@example.org");
    let (_, mail) = app.call("get_mail", &[("mail_id", &mail_id)]).await;
    assert!(
        mail.contains("/s/") && mail.contains("List-Unsubscribe"),
        "{mail}"
    );
    let html = app.get(&format!("/mailbox/{mail_id}/html")).await;
    assert!(html.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .starts_with("sandbox"));
    assert!(html.text().await.unwrap().contains("Answer the survey"));
    let page = app.get("/mailbox").await.text().await.unwrap();
    assert!(page.contains("Development mode") && page.contains("how is it working for you?"));
    app.set_session_cookie(None);
    assert_eq!(
        app.get(&format!("/mailbox/{mail_id}/html")).await.status(),
        StatusCode::UNAUTHORIZED
    );
}

async fn a_reminder_schedule_holds_at_most_three_days_from_1_to_60(app: TestApp) {
    app.set_up_admin().await;
    let survey_id = app.create_survey("Schedules").await;
    let (status, body) = app
        .call(
            "set_reminder_schedule",
            &[("survey_id", &survey_id), ("days", "1, 2, 3, 4")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("At most 3 reminders"), "{body}");
    let (status, _) = app
        .call(
            "set_reminder_schedule",
            &[("survey_id", &survey_id), ("days", "0")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = app
        .call(
            "set_reminder_schedule",
            &[("survey_id", &survey_id), ("days", "10 ,2")],
        )
        .await;
    assert!(status.is_success());
    let (_, detail) = app.call("get_survey", &[("survey_id", &survey_id)]).await;
    assert!(detail.contains("\"reminder_days\":[2,10]"), "{detail}");
    app.call(
        "set_reminder_schedule",
        &[("survey_id", &survey_id), ("days", "")],
    )
    .await;
    let (_, detail) = app.call("get_survey", &[("survey_id", &survey_id)]).await;
    assert!(detail.contains("\"reminder_days\":[]"), "{detail}");
}

async fn the_team_words_its_own_email_previews_it_and_the_mail_uses_it(app: TestApp) {
    let survey_id = survey_for(&app, "ada@example.org").await;
    let (_, wording) = app
        .call(
            "get_email_wording",
            &[("survey_id", &survey_id), ("kind", "invitation")],
        )
        .await;
    assert!(
        wording.contains("how is it working for you?"),
        "the built-in wording is shown: {wording}"
    );
    let (status, body) = app
        .call(
            "update_email_wording",
            &[
                ("survey_id", &survey_id),
                ("kind", "invitation"),
                ("subject", "{{ nmae }}"),
                ("body", "Hi {{ survey_link }}"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("A placeholder isn't known"), "{body}");
    let (status, body) = app
        .call(
            "update_email_wording",
            &[
                ("survey_id", &survey_id),
                ("kind", "invitation"),
                ("subject", "{{ name }}, one minute about {{ feature }}?"),
                ("body", "Dear {{ name }},\n\n{{ survey_link }}"),
            ],
        )
        .await;
    assert!(status.is_success(), "{status}: {body}");
    let (_, wording) = app
        .call(
            "get_email_wording",
            &[("survey_id", &survey_id), ("kind", "invitation")],
        )
        .await;
    assert!(
        wording.contains(
            "\"preview_subject\":\"Ada Lovelace, one minute about New storage options?\""
        ),
        "{wording}"
    );
    let preview = app
        .get(&format!("/surveys/{survey_id}/email-preview/invitation"))
        .await;
    assert!(preview.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .starts_with("sandbox"));
    assert!(preview.text().await.unwrap().contains("Dear Ada Lovelace,"));
    send(&app, &survey_id).await;
    app.wait_for_count(
        "SELECT COUNT(*) FROM dev_mailbox \
        WHERE subject = 'there, one minute about New storage options?'",
        1,
    )
    .await;
    let (_, reminder) = app
        .call(
            "get_email_wording",
            &[("survey_id", &survey_id), ("kind", "reminder")],
        )
        .await;
    assert!(reminder.contains("Your answer still counts"), "{reminder}");
}

async fn tests_of_the_wording_stop_at_ten_an_hour_and_viewers_send_none(app: TestApp) {
    app.set_up_admin().await;
    let survey_id = app.create_survey("Tests").await;
    for _ in 0..10 {
        let (status, body) = app
            .call(
                "send_test_email",
                &[("survey_id", &survey_id), ("kind", "invitation")],
            )
            .await;
        assert!(
            status.is_success() || status.is_redirection(),
            "{status}: {body}"
        );
    }
    let (status, body) = app
        .call(
            "send_test_email",
            &[("survey_id", &survey_id), ("kind", "invitation")],
        )
        .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    app.wait_for_count(
        "SELECT COUNT(*) FROM dev_mailbox \
        WHERE subject = '[Test] Tests: how is it working for you?'",
        10,
    )
    .await;
    let (status, _) = app
        .call(
            "send_test_email",
            &[("survey_id", &survey_id), ("kind", "thank-you")],
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    app.add_member("viewer@example.org", "viewer").await;
    app.sign_in("viewer@example.org", crate::helpers::PASSWORD)
        .await;
    let (status, _) = app
        .call(
            "send_test_email",
            &[("survey_id", &survey_id), ("kind", "invitation")],
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

async fn the_live_funnel_follows_a_send_until_nothing_waits(app: TestApp) {
    let survey_id = survey_for(&app, "ada@example.org\ngrace@example.org").await;
    let (_, before) = app.call("get_funnel", &[("survey_id", &survey_id)]).await;
    assert!(
        before.contains("\"unsent\":2") && before.contains("\"queued\":0"),
        "{before}"
    );
    send(&app, &survey_id).await;
    let mut last = String::new();
    for _ in 0..100 {
        last = app.call("get_funnel", &[("survey_id", &survey_id)]).await.1;
        if last.contains("\"sent\":2") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(
        last.contains("\"queued\":2")
            && last.contains("\"sent\":2")
            && last.contains("\"unsent\":0"),
        "{last}"
    );
    let (status, _) = app
        .call(
            "get_funnel",
            &[("survey_id", "00000000-0000-4000-8000-000000000000")],
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    app.set_session_cookie(None);
    let (status, _) = app.call("get_funnel", &[("survey_id", &survey_id)]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

async fn a_draft_survey_sends_no_invitations(app: TestApp) {
    app.set_up_admin().await;
    let survey_id = app.create_survey("Draft").await;
    app.add_recipients(&survey_id, "ada@example.org").await;
    let (status, body) = app
        .call("send_invitations", &[("survey_id", &survey_id)])
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(body.contains("open it first"), "{body}");
    assert_eq!(app.count("SELECT COUNT(*) FROM outbox").await, 0);
}

async fn a_surveys_sender_name_is_the_from_name_and_the_address_stays_the_teams(
    app: TestApp,
    sink: MailSink,
) {
    let survey_id = survey_for(&app, "ada@example.org").await;
    let wording = |name: &str| {
        [
            ("survey_id", survey_id.clone()),
            ("kind", "invitation".to_string()),
            (
                "subject",
                "How is {{ feature }} working for you?".to_string(),
            ),
            ("body", "Hello {{ name }}, {{ survey_link }}".to_string()),
            ("sender_name", name.to_string()),
        ]
    };
    let call = |fields: [(&'static str, String); 5]| {
        let app = &app;
        async move {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.call("update_email_wording", &fields).await
        }
    };
    // The spoofing attempt: a name that reads as another address is refused, and so is
    // one that would add a second address; the wording is not half saved.
    for spoof in [
        "support@bank.example",
        "Maya <maya@evil.example>",
        "\"Quoted\"",
    ] {
        let (status, body) = call(wording(spoof)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{spoof}: {body}");
        assert!(body.contains("sender_name"), "{body}");
    }
    let (status, body) = call(wording("  Maya   from the\nProduct team ")).await;
    assert!(status.is_success(), "{status}: {body}");
    let (_, shown) = app
        .call(
            "get_email_wording",
            &[("survey_id", &survey_id), ("kind", "invitation")],
        )
        .await;
    let shown: serde_json::Value = serde_json::from_str(&shown).unwrap();
    assert_eq!(shown["sender_name"], "Maya from the Product team");
    assert_eq!(
        shown["default_sender"],
        "Product team <product@example.org>"
    );

    send(&app, &survey_id).await;
    let mail = sink.wait_for(1).await.remove(0);
    assert_eq!(
        mail.header("From").unwrap(),
        "\"Maya from the Product team\" <product@example.org>"
    );
    assert_eq!(mail.mail_from, "product@example.org");

    // Emptied, the team's own name comes back.
    let (status, _) = call(wording("")).await;
    assert!(status.is_success());
    let (_, shown) = app
        .call(
            "get_email_wording",
            &[("survey_id", &survey_id), ("kind", "invitation")],
        )
        .await;
    assert!(shown.contains("\"sender_name\":\"\""), "{shown}");
}
