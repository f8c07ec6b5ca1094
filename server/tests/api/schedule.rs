//! Surveys that open, send and close by themselves: the clock is moved by the test, the
//! workers of one or two instances do the rest, with no request needed.
use crate::command_line::soundings;
use crate::helpers::{on_both_backends, Backend, TestApp};
use crate::mail_sink::MailSink;
use crate::public_api::{api, token};
use app::local_time::Zone;
use reqwest::StatusCode;
use serde_json::json;

on_both_backends!(
    a_closed_survey_reopens_until_a_new_time_and_closes_again_by_itself,
    a_scheduled_draft_opens_and_sends_to_the_people_chosen_by_itself,
    sends_and_reminders_after_the_closing_time_are_refused_before_the_schedule_runs,
    a_closing_time_already_past_is_refused_and_a_draft_past_it_does_not_open,
    the_api_and_the_command_line_reopen_a_survey_and_show_its_schedule,
);

/// Its own apps (four connections each), beside `on_both_backends`' modules.
mod closing {
    use super::a_survey_closes_by_itself_once_across_two_instances_and_withdraws_its_waiting_mail;
    crate::helpers::with_each_backend!(
        a_survey_closes_by_itself_once_across_two_instances_and_withdraws_its_waiting_mail,
    );
}

/// A local date and minute in UTC (the tests' team time zone), as the builder's fields
/// take it.
fn local(at: i64) -> String {
    Zone::utc().to_input(at)
}

/// Saves a survey's settings with this schedule (empty strings: none).
async fn set_schedule(app: &TestApp, survey_id: &str, opens: &str, send: &str, closes: &str) {
    let (status, body) = try_schedule(app, survey_id, opens, send, closes).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

async fn try_schedule(
    app: &TestApp,
    survey_id: &str,
    opens: &str,
    send: &str,
    closes: &str,
) -> (StatusCode, String) {
    app.call(
        "update_survey_settings",
        &[
            ("survey_id", survey_id),
            ("title", "New storage options"),
            ("intro", ""),
            ("thank_you", ""),
            ("anonymity", "identified"),
            ("closes_at", closes),
            ("release_name", ""),
            ("released_on", ""),
            ("opens_at", opens),
            ("send_at", send),
        ],
    )
    .await
}

/// Subscribes a (never reachable) endpoint to `survey.closed`, so each closing is recorded
/// as an event.
async fn subscribe_to_closings(app: &TestApp) {
    let (status, body) = app
        .call(
            "create_webhook",
            &[
                ("name", "Receiver"),
                ("url", "http://127.0.0.1:9/hook"),
                ("survey_closed", "on"),
                ("allow_private", "on"),
            ],
        )
        .await;
    assert!(status.is_success(), "{status}: {body}");
}

const CLOSED_EVENTS: &str = "SELECT COUNT(*) FROM webhook_events WHERE event = 'survey.closed'";

fn emails(n: usize) -> String {
    (1..=n)
        .map(|i| format!("member{i}@example.org"))
        .collect::<Vec<_>>()
        .join("\n")
}

async fn a_survey_closes_by_itself_once_across_two_instances_and_withdraws_its_waiting_mail(
    backend: Backend,
) {
    // Four connections each, so a worker's batch (twice that) leaves most of the 20 waiting.
    let sink = MailSink::start();
    let concurrency = [("MAIL_CONCURRENCY", "4".to_string())];
    let app = TestApp::spawn_configured(backend, Some(sink.smtp_url()), &concurrency).await;
    app.set_up_admin().await;
    subscribe_to_closings(&app).await;
    let survey_id = app.create_survey("New storage options").await;
    app.open_survey(&survey_id).await;
    app.add_recipients(&survey_id, &emails(20)).await;
    // Closes between two and three minutes from now (the field holds whole minutes).
    set_schedule(&app, &survey_id, "", "", &local(app.clock.now() + 180)).await;
    let second = app
        .spawn_sharing_configured(Some(sink.smtp_url()), &concurrency)
        .await;
    // The mail server answers slowly, so most invitations are still waiting at closing.
    sink.set_data_delay_ms(3_000);
    let (status, body) = app
        .call("send_invitations", &[("survey_id", &survey_id)])
        .await;
    assert!(status.is_success(), "{status}: {body}");
    app.wait_for_count("SELECT COUNT(*) FROM outbox WHERE status = 'sending'", 8)
        .await;

    // Past the closing time for both instances (each has its own clock), within the
    // lease of the messages already with the mail server.
    app.advance_clock(200);
    second.advance_clock(200);
    app.wait_for_count("SELECT COUNT(*) FROM surveys WHERE status = 'closed'", 1)
        .await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox WHERE status = 'queued'")
            .await,
        0,
        "nothing waits to go for a closed survey"
    );
    sink.set_data_delay_ms(0);
    app.dispatch_all_pending_emails().await;
    // Both workers have checked the schedule several times since (every 200 ms).
    tokio::time::sleep(std::time::Duration::from_millis(1_000)).await;

    let received = sink.messages().len() as i64;
    let withdrawn = app
        .count("SELECT COUNT(*) FROM outbox WHERE status = 'cancelled'")
        .await;
    // A message a worker had already claimed may still go (it was checked just before
    // the closing): at most one batch, twice the concurrency of 4, per instance.
    assert!(
        received <= 16,
        "only the messages already claimed went: {received}"
    );
    assert_eq!(received + withdrawn, 20, "every message sent or withdrawn");
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM invitations WHERE sent_at IS NULL AND queued_at IS NOT NULL"
        )
        .await,
        0,
        "a withdrawn invitation counts as not sent"
    );
    assert_eq!(app.count(CLOSED_EVENTS).await, 1, "one survey.closed event");
    let (status, body) = app
        .call("send_invitations", &[("survey_id", &survey_id)])
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(body.contains("this one is closed"), "{body}");
    let (status, body) = app.call("remind_now", &[("survey_id", &survey_id)]).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(
        body.contains("Only an open survey sends reminders"),
        "{body}"
    );
}

async fn a_closed_survey_reopens_until_a_new_time_and_closes_again_by_itself(app: TestApp) {
    app.set_up_admin().await;
    subscribe_to_closings(&app).await;
    let survey_id = app.create_survey("New storage options").await;
    app.open_survey(&survey_id).await;
    let (status, body) = app.call("close_survey", &[("survey_id", &survey_id)]).await;
    assert!(status.is_success(), "{status}: {body}");
    assert_eq!(app.count(CLOSED_EVENTS).await, 1);

    let past = local(app.clock.now() - 3_600);
    let (status, body) = app
        .call(
            "reopen_survey",
            &[("survey_id", &survey_id), ("closes_at", &past)],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.contains("still to come"), "{body}");

    let later = local(app.clock.now() + 7 * 86_400);
    let (status, body) = app
        .call(
            "reopen_survey",
            &[("survey_id", &survey_id), ("closes_at", &later)],
        )
        .await;
    assert!(status.is_success(), "{status}: {body}");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM surveys WHERE status = 'open' AND closed_at IS NULL")
            .await,
        1
    );
    let page = app.get(&format!("/surveys/{survey_id}")).await;
    let html = page.text().await.unwrap();
    assert!(html.contains("Closes by itself"), "the page says when");

    app.advance_clock(7 * 86_400 + 60);
    app.wait_for_count("SELECT COUNT(*) FROM surveys WHERE status = 'closed'", 1)
        .await;
    assert_eq!(
        app.count(CLOSED_EVENTS).await,
        2,
        "each closing is an event"
    );
    // A week passed: the session ended; sign in again.
    let (status, body) = app
        .sign_in(crate::helpers::ADMIN_EMAIL, crate::helpers::PASSWORD)
        .await;
    assert!(
        status.is_success() || status.is_redirection(),
        "{status}: {body}"
    );
    let (status, body) = app
        .call(
            "reopen_survey",
            &[("survey_id", "not-a-survey"), ("closes_at", "")],
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
}

async fn a_scheduled_draft_opens_and_sends_to_the_people_chosen_by_itself(app: TestApp) {
    app.set_up_admin().await;
    let survey_id = app.create_survey("New storage options").await;
    app.add_recipients(&survey_id, &emails(3)).await;
    let now = app.clock.now();
    set_schedule(
        &app,
        &survey_id,
        &local(now + 3_600),
        &local(now + 2 * 3_600),
        &local(now + 9 * 86_400),
    )
    .await;
    let page = app.get(&format!("/surveys/{survey_id}")).await;
    let html = page.text().await.unwrap();
    assert!(
        html.contains("Opens by itself") && html.contains("Sends to the people chosen"),
        "the page says what will happen"
    );

    app.advance_clock(3_700);
    app.wait_for_count("SELECT COUNT(*) FROM surveys WHERE status = 'open'", 1)
        .await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox").await,
        0,
        "opened, but nothing sent before its sending time"
    );
    app.advance_clock(3_600);
    app.wait_for_count("SELECT COUNT(*) FROM dev_mailbox", 3)
        .await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM surveys WHERE opens_at IS NULL AND send_at IS NULL")
            .await,
        1,
        "each step is done once and cleared"
    );
}

async fn sends_and_reminders_after_the_closing_time_are_refused_before_the_schedule_runs(
    app: TestApp,
) {
    use app::distribution::sending::use_cases::{queue_chosen, remind_now};
    app.set_up_admin().await;
    let survey_id = app.create_survey("New storage options").await;
    app.open_survey(&survey_id).await;
    app.add_recipients(&survey_id, &emails(2)).await;
    let closes = app.clock.now() + 3_600;
    set_schedule(&app, &survey_id, "", "", &local(closes)).await;
    // The use cases are asked for a moment after the closing time, before any worker
    // has seen it (the app's own clock has not moved).
    let id = app::ids::SurveyId::parse(&survey_id).unwrap();
    let after = closes + 60;
    let refused = queue_chosen(&app.db, &id, false, &app::audit::Actor::CommandLine, after)
        .await
        .unwrap_err();
    assert!(
        refused.to_string().contains("this one is closed"),
        "{refused}"
    );
    let refused = remind_now(&app.db, &id, false, &app::audit::Actor::CommandLine, after)
        .await
        .unwrap_err();
    assert!(refused.to_string().contains("sends reminders"), "{refused}");
    assert_eq!(app.count("SELECT COUNT(*) FROM outbox").await, 0);
}

async fn a_closing_time_already_past_is_refused_and_a_draft_past_it_does_not_open(app: TestApp) {
    app.set_up_admin().await;
    let survey_id = app.create_survey("New storage options").await;
    let now = app.clock.now();
    let (status, body) = try_schedule(&app, &survey_id, "", "", &local(now - 120)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.contains("\"closes_at\""), "{body}");
    let (status, body) = try_schedule(
        &app,
        &survey_id,
        &local(now + 7_200),
        "",
        &local(now + 3_600),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.contains("Open it before it closes"), "{body}");
    let (status, body) = try_schedule(&app, &survey_id, "tomorrow", "", "").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.contains("YYYY-MM-DD HH:MM"), "{body}");

    set_schedule(&app, &survey_id, "", "", &local(now + 3_600)).await;
    app.advance_clock(7_200);
    let (status, body) = app.call("open_survey", &[("survey_id", &survey_id)]).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(body.contains("closing time has passed"), "{body}");
}

async fn the_api_and_the_command_line_reopen_a_survey_and_show_its_schedule(app: TestApp) {
    app.set_up_admin().await;
    let editor = token(&app, "editor").await;
    let survey_id = app.create_survey("New storage options").await;
    let closes = app.clock.now() + 86_400 - (app.clock.now() + 86_400) % 60;
    set_schedule(&app, &survey_id, "", "", &local(closes)).await;
    let (status, body, _) = api(
        &app,
        "GET",
        &format!("/surveys/{survey_id}"),
        Some(&editor),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["survey"]["closes_at"], json!(closes));
    app.open_survey(&survey_id).await;
    let (status, body, _) = api(
        &app,
        "POST",
        &format!("/surveys/{survey_id}/close"),
        Some(&editor),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let (status, body, _) = api(
        &app,
        "POST",
        &format!("/surveys/{survey_id}/reopen"),
        Some(&editor),
        Some(json!({ "closes_at": "2020-01-01T00:00:00Z" })),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let reopen_until = app::local_time::rfc3339(closes + 86_400);
    let (status, body, _) = api(
        &app,
        "POST",
        &format!("/surveys/{survey_id}/reopen"),
        Some(&editor),
        Some(json!({ "closes_at": reopen_until })),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["status"], "open");
    assert_eq!(body["closes_at"], json!(closes + 86_400));

    let output = soundings(&app, &["survey", "close", &survey_id]);
    assert!(output.status.success(), "{output:?}");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM surveys WHERE status = 'closed'")
            .await,
        1
    );
    let output = soundings(&app, &["survey", "reopen", &survey_id]);
    assert!(output.status.success(), "{output:?}");
    let said = String::from_utf8_lossy(&output.stdout);
    assert!(said.contains("open again until closed by hand"), "{said}");
    let output = soundings(
        &app,
        &["survey", "reopen", &survey_id, "--closes-at", "soon"],
    );
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("--closes-at"));
}

mod windows {
    use super::*;

    crate::helpers::on_both_backends!(
        a_community_in_utc_plus_10_gets_its_invitation_inside_its_own_window,
    );

    fn at(text: &str) -> i64 {
        app::local_time::Zone::utc().parse_api(text).unwrap()
    }

    async fn community_in(app: &TestApp, name: &str, zone: &str) {
        app.add_community(name, "tier-essential").await;
        let id: String = sqlx::query_scalar("SELECT community_id FROM communities WHERE name = $1")
            .bind(name)
            .fetch_one(&app.db)
            .await
            .unwrap();
        let (status, body) = app
            .call(
                "update_community",
                &[
                    ("community_id", &id),
                    ("name", name),
                    ("tier_id", "tier-essential"),
                    ("time_zone", zone),
                ],
            )
            .await;
        assert!(status.is_success(), "{status}: {body}");
    }

    async fn due_at(app: &TestApp, email: &str) -> (String, i64) {
        sqlx::query_as(
            "SELECT o.status, o.next_attempt_at FROM outbox o \
             JOIN invitations i ON i.invitation_id = o.invitation_id \
             JOIN contacts c ON c.contact_id = i.contact_id WHERE c.email = $1",
        )
        .bind(email)
        .fetch_one(&app.db)
        .await
        .unwrap()
    }

    async fn a_community_in_utc_plus_10_gets_its_invitation_inside_its_own_window(app: TestApp) {
        // Monday 20:00 UTC: Tuesday 06:00 in Brisbane (UTC+10, no daylight saving),
        // Monday 21:00 in Berlin.
        app.advance_clock(at("2026-12-07T20:00:00Z") - app.clock.now());
        app.set_up_admin().await;
        community_in(&app, "Brisbane", "Australia/Brisbane").await;
        community_in(&app, "Berlin", "Europe/Berlin").await;
        let (status, body) = app
            .call(
                "update_community",
                &[
                    ("community_id", "x"),
                    ("name", "Nowhere"),
                    ("tier_id", "tier-essential"),
                    ("time_zone", "Mars/Olympus"),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        app.add_contact("bri@example.org", "Bri", "Brisbane").await;
        app.add_contact("ber@example.org", "Ber", "Berlin").await;
        let survey_id = app.create_survey("New storage options").await;
        let (status, body) = app
            .call(
                "set_sending_window",
                &[
                    ("survey_id", &survey_id),
                    ("sending_window", "tue-thu 09:00-17:00"),
                ],
            )
            .await;
        assert!(status.is_success(), "{status}: {body}");
        assert_eq!(
            body, "\"Tue-Thu 09:00-17:00\"",
            "the window as the form shows it"
        );
        app.open_survey(&survey_id).await;
        app.add_recipients(&survey_id, "bri@example.org\nber@example.org")
            .await;
        let (status, body) = app
            .call("send_invitations", &[("survey_id", &survey_id)])
            .await;
        assert!(status.is_success(), "{status}: {body}");
        let now = app.clock.now();
        app.wait_for_count(
            &format!(
                "SELECT COUNT(*) FROM outbox WHERE status = 'queued' AND next_attempt_at > {now}"
            ),
            2,
        )
        .await;
        assert_eq!(
            due_at(&app, "bri@example.org").await,
            ("queued".to_string(), at("2026-12-07T23:00:00Z")),
            "Tuesday 09:00 in Brisbane"
        );
        assert_eq!(
            due_at(&app, "ber@example.org").await,
            ("queued".to_string(), at("2026-12-08T08:00:00Z")),
            "Tuesday 09:00 in Berlin"
        );
        assert_eq!(app.count("SELECT COUNT(*) FROM dev_mailbox").await, 0);

        app.advance_clock(3 * 3_600 + 60);
        app.wait_for_count("SELECT COUNT(*) FROM dev_mailbox", 1)
            .await;
        let to: String = sqlx::query_scalar("SELECT to_address FROM dev_mailbox")
            .fetch_one(&app.db)
            .await
            .unwrap();
        assert_eq!(to, "bri@example.org", "Brisbane's morning, Berlin's night");
        assert_eq!(due_at(&app, "ber@example.org").await.0, "queued");

        // An urgent send ignores the window.
        app.add_contact("late@example.org", "Late", "Berlin").await;
        app.add_recipients(&survey_id, "late@example.org").await;
        let (status, body) = app
            .call(
                "send_invitations",
                &[("survey_id", &survey_id), ("ignore_window", "on")],
            )
            .await;
        assert!(status.is_success(), "{status}: {body}");
        app.wait_for_count("SELECT COUNT(*) FROM dev_mailbox", 2)
            .await;
        assert_eq!(due_at(&app, "ber@example.org").await.0, "queued");

        // A window saved now applies to the mail already waiting for the old one.
        let (status, body) = app
            .call(
                "set_sending_window",
                &[("survey_id", &survey_id), ("sending_window", "any time")],
            )
            .await;
        assert!(status.is_success(), "{status}: {body}");
        app.wait_for_count("SELECT COUNT(*) FROM dev_mailbox", 3)
            .await;
        // The mailbox row is written before the outbox row is marked sent,
        // so wait for the mark rather than read it once.
        app.wait_for_count("SELECT COUNT(*) FROM outbox WHERE status = 'sent'", 3)
            .await;
        assert_eq!(due_at(&app, "ber@example.org").await.0, "sent");
    }
}
