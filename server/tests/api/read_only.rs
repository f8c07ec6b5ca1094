//! A PostgreSQL database that turns read-only, as when the app is pointed at a standby during
//! a failover: answers are refused with 503 and the person keeps what they chose; reading
//! goes on; once the database takes writes again, the same running app takes the answer.
//! (SQLite's read-only and full-disk errors share one mapping; `disk_full.rs` drives it.)
use crate::faults::assert_each_kept_once;
use crate::helpers::{path_of, Backend, TestApp};
use reqwest::StatusCode;
use std::time::{Duration, Instant};

/// Makes new sessions on the app's database read-only (or writable again) and ends the
/// open ones, so that every connection the app uses from now on has the new setting.
async fn set_read_only(app: &TestApp, read_only: bool) {
    let base = std::env::var("TEST_DATABASE_URL").expect("TEST_DATABASE_URL");
    let name = app.database_url.rsplit('/').next().unwrap();
    let mut admin = <sqlx::AnyConnection as sqlx::Connection>::connect(&base)
        .await
        .unwrap();
    let setting = if read_only { "on" } else { "off" };
    sqlx::Executor::execute(
        &mut admin,
        format!("ALTER DATABASE {name} SET default_transaction_read_only = {setting}").as_str(),
    )
    .await
    .unwrap();
    sqlx::query(
        "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity \
        WHERE datname = $1 AND pid <> pg_backend_pid()",
    )
    .bind(name)
    .execute(&mut admin)
    .await
    .unwrap();
}

/// PostgreSQL only: the path holds `postgres::`, which `bin/test` skips without a server.
mod postgres {
    use super::*;

    #[tokio::test]
    async fn a_read_only_database_refuses_answers_with_503_keeps_them_on_the_page_and_recovers() {
        let app = TestApp::spawn(Backend::Postgres).await;
        app.set_up_admin().await;
        let survey_id = app.create_survey("Read-only").await;
        app.open_survey(&survey_id).await;
        let links = app
            .add_recipients(&survey_id, "ro1@example.org\nro2@example.org")
            .await;
        let (answering, reading) = (path_of(&links[0].1), path_of(&links[1].1));
        let question_id: String = sqlx::query_scalar("SELECT question_id FROM questions")
            .fetch_one(&app.db)
            .await
            .unwrap();
        let field = format!("q_{question_id}");
        set_read_only(&app, true).await;
        let refused = app.post_form(&answering, &[(&field, "4")]).await;
        assert_eq!(refused.status(), StatusCode::SERVICE_UNAVAILABLE);
        let page = refused.text().await.unwrap();
        assert!(
            page.contains("Not saved yet") && page.contains("value=\"4\" checked"),
            "{page}"
        );
        assert_eq!(
            app.get(&reading).await.status(),
            StatusCode::OK,
            "reads go on"
        );
        assert_eq!(app.get("/healthz").await.status(), StatusCode::OK);
        let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM responses")
            .fetch_one(&app.db)
            .await
            .unwrap();
        assert_eq!(stored, 0, "nothing half-written");
        set_read_only(&app, false).await;
        let started = Instant::now();
        loop {
            let status = app.post_form(&answering, &[(&field, "4")]).await.status();
            if status == StatusCode::SEE_OTHER {
                break;
            }
            assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "the same app takes answers again"
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        assert_each_kept_once(&app.db, &[answering]).await;
    }
}
