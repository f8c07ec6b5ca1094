//! The weekly community digest: a member who opts in gets one email a week, on the first
//! Monday after, naming the communities at risk with their reasons and what changed since
//! the last digest; nobody else gets one; its stop link works for its own member only; and
//! a mail server that refuses it for a while, or a second instance, never makes it two.
use crate::helpers::{on_both_backends, path_of, TestApp, ADMIN_EMAIL, PASSWORD};
use crate::mail_sink::MailSink;
use crate::sending::with_mail;
use serde_json::Value;

const DAY: i64 = 86_400;
const WEEK: i64 = 7 * DAY;
const COMMUNITIES: usize = 4;
const PEOPLE: usize = 3;
const VIEWER: &str = "viewer@example.org";

on_both_backends!(
    a_member_who_opted_in_gets_one_digest_a_week_naming_the_communities_at_risk_and_what_changed,
    a_forged_stop_link_stops_nobody_and_a_genuine_one_stops_only_its_own_member,
);

with_mail!(a_digest_the_mail_server_refuses_for_a_while_is_sent_once_even_with_two_instances,);

/// Four communities of three people each.
async fn seed_communities(app: &TestApp) {
    for c in 0..COMMUNITIES {
        sqlx::query(
            "INSERT INTO communities (community_id, name, name_key, tier_id, created_at) \
             VALUES ($1, $2, $3, 'tier-essential', 0)",
        )
        .bind(format!("community-{c}"))
        .bind(format!("Community {c}"))
        .bind(format!("community {c}"))
        .execute(&app.db)
        .await
        .unwrap();
        for p in 0..PEOPLE {
            sqlx::query(
                "INSERT INTO contacts (contact_id, email, created_at, name, community_id) \
                 VALUES ($1, $2, 0, '', $3)",
            )
            .bind(format!("contact-{c}-{p}"))
            .bind(format!("p{p}@c{c}.example.org"))
            .bind(format!("community-{c}"))
            .execute(&app.db)
            .await
            .unwrap();
        }
    }
}

/// A closed CSAT survey `n` sent to everyone at `sent_at`, answered (3, 4 and 5, so every
/// community scores alike) by the communities `answers` keeps.
async fn closed_survey(app: &TestApp, n: usize, sent_at: i64, answers: impl Fn(usize) -> bool) {
    let survey_id = format!("00000000-0000-4000-8000-{n:012}");
    sqlx::query(
        "INSERT INTO surveys (survey_id, title, status, created_at, opened_at, closed_at) \
         VALUES ($1, $2, 'closed', $3, $3, $4)",
    )
    .bind(&survey_id)
    .bind(format!("Survey {n}"))
    .bind(sent_at - 60)
    .bind(sent_at + DAY)
    .execute(&app.db)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO questions (question_id, survey_id, position, kind, prompt) \
         VALUES ($1, $2, 0, 'csat', 'How satisfied are you?')",
    )
    .bind(format!("question-{n}"))
    .bind(&survey_id)
    .execute(&app.db)
    .await
    .unwrap();
    for c in 0..COMMUNITIES {
        for p in 0..PEOPLE {
            let id = format!("invitation-{n}-{c}-{p}");
            let answered = answers(c).then_some(sent_at + 3600);
            sqlx::query(
                "INSERT INTO invitations (invitation_id, survey_id, contact_id, token_hash, \
                 created_at, sent_at, completed_at) VALUES ($1, $2, $3, $4, $5, $5, $6)",
            )
            .bind(&id)
            .bind(&survey_id)
            .bind(format!("contact-{c}-{p}"))
            .bind(format!("hash-{n}-{c}-{p}"))
            .bind(sent_at)
            .bind(answered)
            .execute(&app.db)
            .await
            .unwrap();
            if let Some(at) = answered {
                sqlx::query(
                    "INSERT INTO responses (response_id, survey_id, invitation_id, submitted_at, \
                     updated_at, completed) VALUES ($1, $2, $3, $4, $4, 1)",
                )
                .bind(format!("response-{id}"))
                .bind(&survey_id)
                .bind(&id)
                .bind(at)
                .execute(&app.db)
                .await
                .unwrap();
                sqlx::query(
                    "INSERT INTO answers (response_id, question_id, score) VALUES ($1, $2, $3)",
                )
                .bind(format!("response-{id}"))
                .bind(format!("question-{n}"))
                .bind(3 + p as i64)
                .execute(&app.db)
                .await
                .unwrap();
            }
        }
    }
}

async fn choose_digest(app: &TestApp, on: &str) {
    let (status, body) = app.call("set_weekly_digest", &[("on", on)]).await;
    assert!(status.is_success(), "{status}: {body}");
}

async fn digest_setting(app: &TestApp) -> Value {
    let (status, body) = app.call("get_weekly_digest", &[]).await;
    assert!(status.is_success(), "{status}: {body}");
    serde_json::from_str(&body).unwrap()
}

/// The names on the at-risk list as the communities page shows it now.
async fn at_risk_names(app: &TestApp) -> Vec<String> {
    let (status, body) = app.call("get_health", &[("tier", ""), ("owner", "")]).await;
    assert!(status.is_success(), "{status}: {body}");
    let health: Value = serde_json::from_str(&body).unwrap();
    health["at_risk"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| row["name"].as_str().unwrap().to_string())
        .collect()
}

/// The digests in the development mailbox: (to, subject, text), oldest first.
async fn digests(app: &TestApp) -> Vec<(String, String, String)> {
    sqlx::query_as(
        "SELECT to_address, subject, text_body FROM dev_mailbox \
         WHERE subject LIKE 'Community digest%' ORDER BY created_at, mail_id",
    )
    .fetch_all(&app.db)
    .await
    .unwrap()
}

/// The names a digest lists, from its `* Name (tier)` lines.
fn listed(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|line| line.strip_prefix("* "))
        .map(|line| line.split(" (").next().unwrap().to_string())
        .collect()
}

/// A week on: the sessions have run out, so the admin signs in again.
async fn a_week_later(app: &TestApp) {
    app.advance_clock(WEEK);
    let (status, body) = app.sign_in(ADMIN_EMAIL, PASSWORD).await;
    assert!(status.is_success(), "{status}: {body}");
}

/// Waits until the outbox has sent `count` digests in all.
async fn digests_sent(app: &TestApp, count: i64) {
    app.wait_for_count(
        "SELECT COUNT(*) FROM outbox WHERE kind = 'digest' AND status = 'sent'",
        count,
    )
    .await;
}

/// Lets the worker tick a few times (every 200 ms in tests).
async fn let_the_worker_tick() {
    tokio::time::sleep(std::time::Duration::from_millis(1200)).await;
}

async fn a_member_who_opted_in_gets_one_digest_a_week_naming_the_communities_at_risk_and_what_changed(
    app: TestApp,
) {
    app.set_up_admin().await;
    app.add_member(VIEWER, "viewer").await;
    seed_communities(&app).await;
    let t0 = app.clock.now();
    // Community 0 answered neither of the two surveys; the others answered both.
    closed_survey(&app, 1, t0 - 40 * DAY, |c| c != 0).await;
    closed_survey(&app, 2, t0 - 20 * DAY, |c| c != 0).await;

    let off = digest_setting(&app).await;
    assert_eq!(off["on"], false);
    assert_eq!(off["email"], ADMIN_EMAIL);
    choose_digest(&app, "true").await;
    let on = digest_setting(&app).await;
    assert_eq!(on["on"], true);
    // The first digest is the next Monday's at 08:00 in the team's zone (UTC here).
    let next = on["next_at"].as_i64().unwrap();
    assert!(next > t0 && next <= t0 + WEEK, "{next} after {t0}");
    assert_eq!((next / DAY + 3).rem_euclid(7), 0, "a Monday");
    assert_eq!(next.rem_euclid(DAY), 8 * 3600, "at 08:00");
    let_the_worker_tick().await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox WHERE kind = 'digest'")
            .await,
        0,
        "nothing before the first Monday after opting in"
    );

    // A week on, that Monday has come: one digest, to the member who opted in.
    a_week_later(&app).await;
    digests_sent(&app, 1).await;
    let first = digests(&app).await;
    assert_eq!(first.len(), 1);
    let (to, subject, text) = &first[0];
    assert_eq!(to, ADMIN_EMAIL);
    assert_eq!(subject, "Community digest: 1 at risk");
    assert_eq!(listed(text), at_risk_names(&app).await, "{text}");
    assert_eq!(listed(text), ["Community 0"]);
    assert!(
        text.contains("Answered none of its last 2 surveys (Survey 2; Survey 1)."),
        "{text}"
    );
    // Every community was invited in the last year and three of four answered.
    assert!(
        text.contains(
            "75% of the communities invited in the last 365 days answered at least once (3 of 4;"
        ),
        "{text}"
    );
    assert!(
        !text.contains("new since"),
        "nothing to compare with yet: {text}"
    );
    let stop = text
        .lines()
        .find_map(|l| l.strip_prefix("Stop it: "))
        .unwrap();
    assert!(stop.contains("/digest/stop/"), "{stop}");

    // However often the worker looks again this week, there is no second digest.
    let_the_worker_tick().await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox WHERE kind = 'digest'")
            .await,
        1
    );

    // Two more surveys close: community 1 answers neither, community 0 answers both.
    let t1 = app.clock.now();
    closed_survey(&app, 3, t1 - 3 * DAY, |c| c != 1).await;
    closed_survey(&app, 4, t1 - 2 * DAY, |c| c != 1).await;
    a_week_later(&app).await;
    digests_sent(&app, 2).await;
    let second = digests(&app).await;
    assert_eq!(second.len(), 2);
    let (_, subject, text) = &second[1];
    assert_eq!(subject, "Community digest: 1 at risk, 1 new");
    assert_eq!(listed(text), at_risk_names(&app).await, "{text}");
    assert_eq!(listed(text), ["Community 1"]);
    let week_one = first[0]
        .2
        .lines()
        .nth(1)
        .unwrap()
        .trim_start_matches("Week of ")
        .to_string();
    assert!(text.contains("* Community 1 (Essential) - new\n"), "{text}");
    assert!(
        text.contains(&format!(
            "Since the digest of the week of {week_one}: 1 new on the list, 1 off it."
        )),
        "{text}"
    );
    assert!(
        text.contains("Answered none of its last 2 surveys (Survey 4; Survey 3)."),
        "{text}"
    );

    // The viewer never opted in and got nothing.
    assert!(digests(&app).await.iter().all(|(to, ..)| to == ADMIN_EMAIL));
}

async fn a_forged_stop_link_stops_nobody_and_a_genuine_one_stops_only_its_own_member(app: TestApp) {
    app.set_up_admin().await;
    app.add_member(VIEWER, "viewer").await;
    seed_communities(&app).await;
    choose_digest(&app, "true").await;
    let admin = app.session_cookie();
    let (status, body) = app.sign_in(VIEWER, PASSWORD).await;
    assert!(status.is_success(), "{status}: {body}");
    choose_digest(&app, "on").await;
    app.set_session_cookie(admin);

    app.advance_clock(WEEK);
    digests_sent(&app, 2).await;
    let mail = digests(&app).await;
    let link_of = |who: &str| -> String {
        let text = &mail.iter().find(|(to, ..)| to == who).unwrap().2;
        path_of(
            text.lines()
                .find_map(|l| l.strip_prefix("Stop it: "))
                .unwrap(),
        )
    };
    let (admin_link, viewer_link) = (link_of(ADMIN_EMAIL), link_of(VIEWER));
    let user_id = |link: &str| link.split('/').nth(3).unwrap().to_string();
    let token = |link: &str| link.split('/').nth(4).unwrap().to_string();
    let opted_in = "SELECT COUNT(*) FROM users WHERE digest_since IS NOT NULL";

    // Signed out, as a mail client or a scanner would be.
    app.set_session_cookie(None);
    // Opening the link (a scanner follows it) changes nothing.
    let page = app.get(&admin_link).await;
    assert_eq!(page.status(), 200);
    assert!(page
        .text()
        .await
        .unwrap()
        .contains("Stop the weekly digest?"));
    assert_eq!(app.count(opted_in).await, 2);

    // The attack: the admin's own token on the viewer's id, to stop someone else's digest.
    let forged = format!(
        "/digest/stop/{}/{}",
        user_id(&viewer_link),
        token(&admin_link)
    );
    assert_ne!(forged, viewer_link);
    let refused = app
        .post_form(&forged, &[("List-Unsubscribe", "One-Click")])
        .await;
    assert_eq!(refused.status(), 404);
    let guessed = format!(
        "/digest/stop/{}/AAAAAAAAAAAAAAAAAAAAAAAA",
        user_id(&viewer_link)
    );
    assert_eq!(app.post_form(&guessed, &[]).await.status(), 404);
    assert_eq!(app.count(opted_in).await, 2, "nobody was stopped");

    // The mail client's one-click request on the admin's own link stops the admin's only.
    let stopped = app
        .post_form(&admin_link, &[("List-Unsubscribe", "One-Click")])
        .await;
    assert_eq!(stopped.status(), 200);
    assert!(stopped
        .text()
        .await
        .unwrap()
        .contains("The weekly digest is off"));
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM users WHERE digest_since IS NOT NULL AND email = '{VIEWER}'"
        ))
        .await,
        1
    );
    assert_eq!(app.count(opted_in).await, 1);

    // The next Monday, only the viewer hears.
    app.advance_clock(WEEK);
    digests_sent(&app, 3).await;
    let to: Vec<String> = digests(&app).await.into_iter().map(|(to, ..)| to).collect();
    assert_eq!(to.iter().filter(|t| *t == ADMIN_EMAIL).count(), 1);
    assert_eq!(to.iter().filter(|t| *t == VIEWER).count(), 2);
}

async fn a_digest_the_mail_server_refuses_for_a_while_is_sent_once_even_with_two_instances(
    app: TestApp,
    sink: MailSink,
) {
    app.set_up_admin().await;
    choose_digest(&app, "true").await;
    let other = app.spawn_sharing(Some(sink.smtp_url())).await;
    sink.set_rcpt_reply(ADMIN_EMAIL, "451 4.3.0 Try again later");
    // The Monday comes for both instances, each with its own worker.
    app.advance_clock(WEEK);
    other.advance_clock(WEEK);
    app.wait_for_count(
        "SELECT COUNT(*) FROM outbox WHERE kind = 'digest' AND status = 'queued' \
         AND last_error LIKE '%451%'",
        1,
    )
    .await;
    sink.clear_rules();
    digests_sent(&app, 1).await;
    let_the_worker_tick().await;
    let_the_worker_tick().await;
    let received: Vec<_> = sink
        .messages()
        .into_iter()
        .filter(|m| {
            m.header("Subject")
                .unwrap_or_default()
                .starts_with("Community digest")
        })
        .collect();
    assert_eq!(
        received.len(),
        1,
        "one digest, however many instances and attempts"
    );
    assert_eq!(received[0].rcpt_to, [ADMIN_EMAIL]);
    // A mail client can stop it in one click (RFC 8058).
    assert!(received[0]
        .header("List-Unsubscribe")
        .unwrap()
        .contains("/digest/stop/"));
    assert_eq!(
        received[0].header("List-Unsubscribe-Post").as_deref(),
        Some("List-Unsubscribe=One-Click")
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox WHERE kind = 'digest'")
            .await,
        1
    );
}
