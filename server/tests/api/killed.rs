//! The real `soundings` binary killed with SIGKILL in the middle of a send, then started
//! again: every invitation goes out, none is lost, and a message sent twice (the crash
//! fell between the mail server's acceptance and our commit) carries the same Message-ID.
use crate::helpers::{Backend, TestApp, TEST_SECRET};
use crate::mail_sink::MailSink;
use std::collections::BTreeMap;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

const RECIPIENTS: usize = 30;
/// Messages the binary sends at once; also the most that can be caught mid-send.
const CONCURRENCY: usize = 2;

/// A `soundings serve` process, killed when dropped so a failing test leaves none behind.
struct Process {
    child: Child,
    address: String,
}

impl Process {
    async fn start(database_url: &str, smtp_url: &str, site: &std::path::Path) -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let child = Command::new(env!("CARGO_BIN_EXE_soundings"))
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("SOUNDINGS_ADDR", format!("127.0.0.1:{port}"))
            .env("DATABASE_URL", database_url)
            .env("SECRET_KEY", TEST_SECRET)
            .env("SMTP_URL", smtp_url)
            .env("MAIL_FROM", "Product team <product@example.org>")
            .env("MAIL_CONCURRENCY", CONCURRENCY.to_string())
            .env("LEPTOS_SITE_ROOT", site)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the soundings binary starts");
        let process = Self {
            child,
            address: format!("http://127.0.0.1:{port}"),
        };
        process.wait_until_healthy().await;
        process
    }

    async fn wait_until_healthy(&self) {
        for _ in 0..200 {
            if let Ok(response) = reqwest::get(format!("{}/healthz", self.address)).await {
                if response.status().is_success() {
                    return;
                }
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("soundings did not become healthy within 10 s");
    }

    /// SIGKILL: no shutdown code runs, claims stay taken, the connection to the mail
    /// server drops mid-conversation.
    fn kill(&mut self) {
        self.child.kill().expect("SIGKILL delivered");
        self.child.wait().expect("the process is reaped");
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

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
    let mut first = Process::start(&app.database_url, &sink.smtp_url(), site.path()).await;
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
    let _second = Process::start(&app.database_url, &sink.smtp_url(), site.path()).await;
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
    if app.database_url.starts_with("sqlite") {
        let check: String = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_one(&app.db)
            .await
            .unwrap();
        assert_eq!(check, "ok");
    }
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
