//! A full disk under SQLite: answers are refused with 503 and the person keeps what they
//! typed; once space returns, the same running server takes them. The database lives on a
//! small tmpfs mounted for the test (so it runs as root, as CI and `bin/setup` do).
use crate::faults::assert_each_kept_once;
use crate::helpers::{path_of, Backend, TestApp};
use crate::process::Process;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

const PEOPLE: usize = 200;

/// A 4 MiB tmpfs, unmounted when dropped.
struct SmallDisk {
    dir: tempfile::TempDir,
}

impl SmallDisk {
    fn mount() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let status = Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=4m", "tmpfs"])
            .arg(dir.path())
            .status()
            .expect("mount runs");
        assert!(
            status.success(),
            "mounting a small tmpfs needs root (CI runs as root)"
        );
        Self { dir }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a file until the disk is full; returns it, to delete when space should return.
    fn fill(&self) -> PathBuf {
        let filler = self.path().join("filler");
        let mut file = std::fs::File::create(&filler).unwrap();
        let chunk = vec![0u8; 16 * 1024];
        while file
            .write_all(&chunk)
            .and_then(|_| file.sync_data())
            .is_ok()
        {}
        filler
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount")
            .arg("-l")
            .arg(self.dir.path())
            .status();
    }
}

#[tokio::test]
async fn a_full_disk_refuses_answers_with_503_keeps_them_on_the_page_and_recovers() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    app.set_up_admin().await;
    let survey_id = app.create_survey("Disk full").await;
    app.open_survey(&survey_id).await;
    let emails: Vec<String> = (0..PEOPLE).map(|i| format!("d{i}@example.org")).collect();
    let links = app.add_recipients(&survey_id, &emails.join("\n")).await;
    let question_id: String = sqlx::query_scalar("SELECT question_id FROM questions")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let field = format!("q_{question_id}");
    let disk = SmallDisk::mount();
    let copy = disk.path().join("soundings.db");
    sqlx::query("VACUUM INTO $1")
        .bind(copy.to_str().unwrap())
        .execute(&app.db)
        .await
        .unwrap();
    app.crash();
    let url = format!("sqlite://{}", copy.display());
    let site = tempfile::tempdir().unwrap();
    let server = Process::start(&url, "", site.path()).await;
    let filler = disk.fill();
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let mut acknowledged = Vec::new();
    let mut refused = None;
    for (_, link) in &links {
        let link = path_of(link);
        let reply = client
            .post(format!("{}{link}", server.address))
            .form(&[(field.as_str(), "4")])
            .send()
            .await
            .unwrap();
        match reply.status().as_u16() {
            303 => acknowledged.push(link),
            503 => {
                let page = reply.text().await.unwrap();
                assert!(
                    page.contains("Not saved yet") && page.contains("value=\"4\" checked"),
                    "{page}"
                );
                refused = Some(link);
                break;
            }
            other => panic!(
                "only 303 or 503, got {other}: {}",
                reply.text().await.unwrap()
            ),
        }
    }
    let refused = refused.expect("a write failed once the disk was full");
    let health = reqwest::get(format!("{}/healthz", server.address))
        .await
        .unwrap();
    assert_eq!(health.status(), 200, "reads still work");
    let page = reqwest::get(format!(
        "{}{}",
        server.address,
        path_of(&links[PEOPLE - 1].1)
    ))
    .await
    .unwrap();
    assert_eq!(
        page.status(),
        200,
        "an unopened link still shows its survey"
    );
    std::fs::remove_file(filler).unwrap();
    let again = client
        .post(format!("{}{refused}", server.address))
        .form(&[(field.as_str(), "4")])
        .send()
        .await
        .unwrap();
    assert_eq!(
        again.status(),
        303,
        "the same server takes answers once space returns"
    );
    acknowledged.push(refused);
    let db = sqlx::AnyPool::connect(&url).await.unwrap();
    assert_each_kept_once(&db, &acknowledged).await;
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM responses")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(
        stored as usize,
        acknowledged.len(),
        "nothing half-written by the refused one"
    );
    let check: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(check, "ok");
    eprintln!(
        "disk full: {} answers stored before the disk filled, then 503, then recovered",
        acknowledged.len() - 1
    );
    drop(server);
}
