//! The real `soundings` binary killed with SIGKILL in the middle of a send, then started
//! again: every invitation goes out, none is lost, and a message sent twice (the crash
//! fell between the mail server's acceptance and our commit) carries the same Message-ID.
use crate::helpers::{Backend, TestApp};
use crate::mail_sink::MailSink;
use crate::process::Process;
use std::collections::BTreeMap;

const RECIPIENTS: usize = 30;
/// Messages the binary sends at once; also the most that can be caught mid-send.
const CONCURRENCY: usize = 2;

async fn killed_mid_send_then_restarted(backend: Backend) {
    let sink = MailSink::start();
    // Each message takes a while at the mail server, so the kill lands mid-send.
    sink.set_data_delay_ms(150);
    let mut app = TestApp::spawn_with(backend, None).await;
    app.set_up_admin().await;
    let survey_id = app.create_survey("Killed mid-send").await;
    app.open_survey(&survey_id).await;
    let emails: Vec<String> = (0..RECIPIENTS)
        .map(|i| format!("person{i}@example.org"))
        .collect();
    app.add_recipients(&survey_id, &emails.join("\n")).await;
    // The in-process instance only prepared the data; the binary does the sending.
    app.crash();
    let site = tempfile::tempdir().unwrap();
    let concurrency = CONCURRENCY.to_string();
    let extra = [("MAIL_CONCURRENCY", concurrency.as_str())];
    let mut first = Process::spawn(&app.database_url, &sink.smtp_url(), site.path(), &extra);
    first.wait_until_healthy().await;
    app.address = first.address.clone();
    let (status, queued) = app
        .call("send_invitations", &[("survey_id", &survey_id)])
        .await;
    assert_eq!((status.as_u16(), queued), (200, RECIPIENTS.to_string()));
    sink.wait_for(5).await;
    first.kill();
    let before_restart = sink.messages().len();
    assert!(
        before_restart < RECIPIENTS,
        "the kill came before the send finished"
    );
    // A killed instance's lease (5 minutes) would run out by itself; here it runs out now.
    sqlx::query("UPDATE outbox SET lease_until = 0 WHERE status = 'sending'")
        .execute(&app.db)
        .await
        .unwrap();
    let second = Process::spawn(&app.database_url, &sink.smtp_url(), site.path(), &extra);
    second.wait_until_healthy().await;
    app.wait_for_count(
        "SELECT COUNT(*) FROM invitations WHERE sent_at IS NOT NULL",
        RECIPIENTS as i64,
    )
    .await;
    let mut copies: BTreeMap<String, usize> = BTreeMap::new();
    for mail in sink.messages() {
        *copies
            .entry(mail.header("Message-ID").unwrap())
            .or_default() += 1;
    }
    assert_eq!(copies.len(), RECIPIENTS, "every invitation arrived");
    let duplicated = copies.values().filter(|&&n| n > 1).count();
    assert!(
        copies.values().all(|&n| n <= 2) && duplicated <= CONCURRENCY,
        "at most the messages in flight at the kill arrive twice: {copies:?}"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox WHERE status <> 'sent'")
            .await,
        0
    );
    crate::faults::assert_integrity(&app).await;
}

mod sqlite {
    #[tokio::test]
    async fn a_killed_server_loses_no_invitation_and_repeats_at_most_those_in_flight() {
        super::killed_mid_send_then_restarted(crate::helpers::Backend::Sqlite).await;
    }
}

mod postgres {
    #[tokio::test]
    async fn a_killed_server_loses_no_invitation_and_repeats_at_most_those_in_flight() {
        super::killed_mid_send_then_restarted(crate::helpers::Backend::Postgres).await;
    }
}
