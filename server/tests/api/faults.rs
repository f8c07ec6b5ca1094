//! Faults injected into the real binary: SIGKILL under a submit load, SIGTERM with a
//! request and a send in flight, several instances racing to migrate one empty database.
use crate::command_line::{soundings, soundings_on};
use crate::helpers::{path_of, Backend, TestApp};
use crate::mail_sink::MailSink;
use crate::process::Process;
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const PEOPLE: usize = 300;
const CLIENTS: usize = 16;
/// Acknowledged answers to wait for before the kill.
const BEFORE_KILL: usize = 80;

/// An open one-question survey with `people` invited, answered by the binary from here on;
/// returns the app (pointing at nothing yet), the answer's field name and the link paths.
async fn invited(backend: Backend, people: usize) -> (TestApp, String, Vec<String>) {
    let app = TestApp::spawn_with(backend, None).await;
    app.set_up_admin().await;
    let survey_id = app.create_survey("Faults").await;
    app.open_survey(&survey_id).await;
    let emails: Vec<String> = (0..people).map(|i| format!("p{i}@example.org")).collect();
    let links = app.add_recipients(&survey_id, &emails.join("\n")).await;
    assert_eq!(links.len(), people);
    let question_id: String = sqlx::query_scalar("SELECT question_id FROM questions")
        .fetch_one(&app.db)
        .await
        .unwrap();
    app.crash();
    let paths = links.iter().map(|(_, link)| path_of(link)).collect();
    (app, format!("q_{question_id}"), paths)
}

pub(crate) fn token_hash(path: &str) -> String {
    let token = path.rsplit('/').next().unwrap();
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Clients answering through distinct links as fast as they can, each answer noted once
/// the server acknowledged it (303 to the saved page).
fn submit_load(
    address: &str,
    field: &str,
    links: &Arc<Vec<String>>,
    acknowledged: &Arc<Mutex<Vec<String>>>,
) -> Vec<tokio::task::JoinHandle<()>> {
    let next = Arc::new(AtomicUsize::new(0));
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    (0..CLIENTS)
        .map(|_| {
            let (client, next, links, acknowledged) = (
                client.clone(),
                next.clone(),
                links.clone(),
                acknowledged.clone(),
            );
            let (address, field) = (address.to_string(), field.to_string());
            tokio::spawn(async move {
                while let Some(link) = links.get(next.fetch_add(1, Ordering::SeqCst)) {
                    let sent = client
                        .post(format!("{address}{link}"))
                        .form(&[(field.as_str(), "4")])
                        .send()
                        .await;
                    if sent.is_ok_and(|r| r.status() == reqwest::StatusCode::SEE_OTHER) {
                        acknowledged.lock().unwrap().push(link.clone());
                    }
                }
            })
        })
        .collect()
}

/// Every acknowledged answer (by its link) is stored, once.
pub(crate) async fn assert_each_kept_once<'a, E>(db: E, links: &[String])
where
    E: sqlx::Executor<'a, Database = sqlx::Any> + Copy,
{
    for link in links {
        let kept: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM responses r JOIN invitations i \
            ON i.invitation_id = r.invitation_id WHERE i.token_hash = $1",
        )
        .bind(token_hash(link))
        .fetch_one(db)
        .await
        .unwrap();
        assert_eq!(kept, 1, "the answer acknowledged through {link}, once");
    }
}

pub(crate) async fn assert_integrity(app: &TestApp) {
    if app.database_url.starts_with("sqlite") {
        let check: String = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_one(&app.db)
            .await
            .unwrap();
        assert_eq!(check, "ok");
    }
}

async fn killed_under_submit_load(backend: Backend) {
    let (app, field, links) = invited(backend, PEOPLE).await;
    let site = tempfile::tempdir().unwrap();
    let mut first = Process::start(&app.database_url, "", site.path()).await;
    let links = Arc::new(links);
    let acknowledged = Arc::new(Mutex::new(Vec::new()));
    let load = submit_load(&first.address, &field, &links, &acknowledged);
    while acknowledged.lock().unwrap().len() < BEFORE_KILL {
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    first.kill();
    for client in load {
        client.await.unwrap();
    }
    let acknowledged = acknowledged.lock().unwrap().clone();
    assert!(acknowledged.len() < PEOPLE, "the kill came mid-load");
    let second = Process::start(&app.database_url, "", site.path()).await;
    assert_each_kept_once(&app.db, &acknowledged).await;
    let responses = app.count("SELECT COUNT(*) FROM responses").await;
    assert_eq!(
        responses,
        app.count("SELECT COUNT(DISTINCT invitation_id) FROM responses")
            .await
    );
    assert_eq!(
        responses,
        app.count("SELECT COUNT(*) FROM answers").await,
        "no half-written response"
    );
    assert_eq!(
        responses,
        app.count("SELECT COUNT(*) FROM invitations WHERE completed_at IS NOT NULL")
            .await
    );
    assert_integrity(&app).await;
    eprintln!(
        "killed: {} acknowledged, {responses} stored, {} links tried",
        acknowledged.len(),
        PEOPLE
    );
    let unanswered = links.iter().find(|l| !acknowledged.contains(l)).unwrap();
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let after = client
        .post(format!("{}{unanswered}", second.address))
        .form(&[(field.as_str(), "5")])
        .send()
        .await
        .unwrap();
    assert_eq!(
        after.status(),
        reqwest::StatusCode::SEE_OTHER,
        "the restarted server takes answers"
    );
}

/// Sends a form POST by hand: headers and half the body, then SIGTERM, then the rest.
async fn slow_submit_across_sigterm(process: &Process, link: &str, field: &str) -> String {
    let address = process.address.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    let body = format!("{field}=3");
    let (first, rest) = body.split_at(body.len() - 1);
    let head = format!(
        "POST {link} HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/x-www-form-urlencoded\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{first}",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    process.terminate();
    tokio::time::sleep(Duration::from_millis(500)).await;
    stream.write_all(rest.as_bytes()).await.unwrap();
    let mut reply = String::new();
    stream.read_to_string(&mut reply).await.unwrap();
    reply
}

async fn terminated_mid_request_and_mid_send(backend: Backend) {
    let (mut app, field, links) = invited(backend, 20).await;
    let sink = MailSink::start();
    sink.set_data_delay_ms(200);
    let site = tempfile::tempdir().unwrap();
    let extra = [("MAIL_CONCURRENCY", "2")];
    let mut process = Process::spawn(&app.database_url, &sink.smtp_url(), site.path(), &extra);
    process.wait_until_healthy().await;
    app.address = process.address.clone();
    app.sign_in(crate::helpers::ADMIN_EMAIL, crate::helpers::PASSWORD)
        .await;
    let survey_id: String = sqlx::query_scalar("SELECT survey_id FROM surveys")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let (status, queued) = app
        .call("send_invitations", &[("survey_id", &survey_id)])
        .await;
    assert_eq!((status.as_u16(), queued.as_str()), (200, "20"));
    sink.wait_for(2).await;
    let reply = slow_submit_across_sigterm(&process, &links[0], &field).await;
    assert!(
        reply.starts_with("HTTP/1.1 303"),
        "the request in flight completed: {reply}"
    );
    let exit = process.wait_for_exit(Duration::from_secs(20)).await;
    assert!(exit.success(), "a clean exit: {exit:?}");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox WHERE status = 'sending'")
            .await,
        0,
        "claims given back"
    );
    let sent = app
        .count("SELECT COUNT(*) FROM outbox WHERE status = 'sent'")
        .await;
    assert!(sent < 20, "the signal came mid-send ({sent} sent)");
    assert_eq!(
        sink.messages().len() as i64,
        sent,
        "every message the mail server took is recorded as sent"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM responses").await, 1);
    eprintln!("terminated: {sent} of 20 sent before the exit, none left claimed");
    let _again = Process::spawn(&app.database_url, &sink.smtp_url(), site.path(), &extra);
    app.wait_for_count("SELECT COUNT(*) FROM outbox WHERE status = 'sent'", 20)
        .await;
    let ids: BTreeSet<String> = sink
        .messages()
        .iter()
        .map(|m| m.header("Message-ID").unwrap())
        .collect();
    assert_eq!(
        (ids.len(), sink.messages().len()),
        (20, 20),
        "each invitation once, none twice"
    );
    assert_integrity(&app).await;
}

/// `soundings backup` run mid-load: the copy passes the integrity check, holds every
/// answer acknowledged before the command started, and serves when restored.
async fn backed_up_under_write_load() {
    let (app, field, links) = invited(Backend::Sqlite, PEOPLE).await;
    let site = tempfile::tempdir().unwrap();
    let server = Process::start(&app.database_url, "", site.path()).await;
    let links = Arc::new(links);
    let acknowledged = Arc::new(Mutex::new(Vec::new()));
    let load = submit_load(&server.address, &field, &links, &acknowledged);
    while acknowledged.lock().unwrap().len() < BEFORE_KILL {
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    let before: Vec<String> = acknowledged.lock().unwrap().clone();
    let copy = site.path().join("backup.db");
    let (url, target) = (app.database_url.clone(), copy.clone());
    let output = tokio::task::spawn_blocking(move || {
        soundings_on(&url, &["backup", target.to_str().unwrap()])
    })
    .await
    .unwrap();
    let during = acknowledged.lock().unwrap().len();
    for client in load {
        client.await.unwrap();
    }
    let report = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(report.contains("integrity ok"), "{report}");
    assert!(
        during < PEOPLE,
        "the load was still running when the backup finished"
    );
    let again = soundings(&app, &["backup", copy.to_str().unwrap()]);
    assert!(
        !again.status.success()
            && String::from_utf8_lossy(&again.stderr).contains("already exists")
    );
    let restored_url = format!("sqlite://{}", copy.display());
    let restored = Process::start(&restored_url, "", site.path()).await;
    let db = sqlx::AnyPool::connect(&restored_url).await.unwrap();
    let check: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(check, "ok");
    assert_each_kept_once(&db, &before).await;
    eprintln!(
        "backup: {} answers acknowledged before it began, {during} when \
        it ended, the first all in the copy",
        before.len()
    );
    let page = reqwest::get(format!("{}{}", restored.address, before[0]))
        .await
        .unwrap();
    assert_eq!(
        page.status(),
        reqwest::StatusCode::OK,
        "the restored copy serves"
    );
}

mod sqlite {
    use crate::helpers::Backend;

    #[tokio::test]
    async fn a_backup_taken_under_write_load_is_whole_consistent_and_restorable() {
        super::backed_up_under_write_load().await;
    }

    #[tokio::test]
    async fn a_server_killed_under_submit_load_keeps_every_acknowledged_answer_once() {
        super::killed_under_submit_load(Backend::Sqlite).await;
    }

    #[tokio::test]
    async fn sigterm_lets_the_request_in_flight_finish_and_gives_back_every_mail_claim() {
        super::terminated_mid_request_and_mid_send(Backend::Sqlite).await;
    }
}

mod postgres {
    use crate::helpers::Backend;

    #[tokio::test]
    async fn a_server_killed_under_submit_load_keeps_every_acknowledged_answer_once() {
        super::killed_under_submit_load(Backend::Postgres).await;
    }

    #[tokio::test]
    async fn sigterm_lets_the_request_in_flight_finish_and_gives_back_every_mail_claim() {
        super::terminated_mid_request_and_mid_send(Backend::Postgres).await;
    }

    #[tokio::test]
    async fn instances_started_together_on_an_empty_database_migrate_it_once_and_all_serve() {
        let database_url = crate::helpers::fresh_postgres_database().await;
        let site = tempfile::tempdir().unwrap();
        let instances: Vec<_> = (0..4)
            .map(|_| crate::process::Process::spawn(&database_url, "", site.path(), &[]))
            .collect();
        for instance in &instances {
            instance.wait_until_healthy().await;
            let page = reqwest::get(format!("{}/setup", instance.address))
                .await
                .unwrap();
            assert!(page.status().is_success(), "{}", page.status());
        }
        let db = sqlx::PgPool::connect(&database_url).await.unwrap();
        let applied: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT version, COUNT(*) FROM _sqlx_migrations GROUP BY version ORDER BY version",
        )
        .fetch_all(&db)
        .await
        .unwrap();
        let files = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../migrations"))
            .unwrap()
            .filter(|f| {
                f.as_ref()
                    .unwrap()
                    .path()
                    .extension()
                    .is_some_and(|e| e == "sql")
            })
            .count();
        assert_eq!(applied.len(), files, "every migration applied");
        assert!(
            applied.iter().all(|(_, n)| *n == 1),
            "each once: {applied:?}"
        );
    }
}
