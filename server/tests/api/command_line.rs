//! The `soundings` command line on a real database: import contacts, create, open and send
//! a survey, and export its responses, each through the app's own code paths.
use crate::helpers::{Backend, TestApp, TEST_SECRET};
use std::process::{Command, Output};

/// Runs one `soundings` command on the app's database.
pub(crate) fn soundings(app: &TestApp, args: &[&str]) -> Output {
    soundings_on(&app.database_url, args)
}

/// Runs one `soundings` command on the database at `database_url`.
pub(crate) fn soundings_on(database_url: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_soundings"))
        .args(args)
        .env("DATABASE_URL", database_url)
        .env("SECRET_KEY", TEST_SECRET)
        .env("RUST_LOG", "warn")
        .output()
        .expect("the binary runs")
}

fn stdout(output: &Output) -> String {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout.clone()).unwrap()
}

async fn the_command_line_imports_creates_sends_and_exports(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.set_up_admin().await;
    app.add_community("Lakeside", "tier-enterprise").await;
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "email,name,community\nada@example.org,Ada,Lakeside\nnot-an-address,Bob,Lakeside\n",
    )
    .unwrap();
    let refused = soundings(&app, &["contacts", "import", bad.to_str().unwrap()]);
    assert!(!refused.status.success());
    let why = String::from_utf8_lossy(&refused.stderr);
    assert!(
        why.contains("nothing was imported") && why.contains("line 3"),
        "{why}"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM contacts").await, 0);
    let good = dir.path().join("good.csv");
    std::fs::write(
        &good,
        "email,name,community\nada@example.org,Ada,Lakeside\ngrace@example.org,Grace,Lakeside\n",
    )
    .unwrap();
    assert_eq!(
        stdout(&soundings(
            &app,
            &["contacts", "import", good.to_str().unwrap()]
        ))
        .trim(),
        "Imported: 2 created, 0 updated, 0 unchanged."
    );

    let survey_id = stdout(&soundings(
        &app,
        &["survey", "create", "--release", "Storage 2.0"],
    ))
    .trim()
    .to_string();
    assert_eq!(survey_id.len(), 36, "{survey_id}");
    let refused = soundings(
        &app,
        &["survey", "send", &survey_id, "--tier", "Enterprise"],
    );
    assert!(String::from_utf8_lossy(&refused.stderr).contains("open it first"));
    stdout(&soundings(&app, &["survey", "open", &survey_id]));
    let sent = stdout(&soundings(
        &app,
        &["survey", "send", &survey_id, "--tier", "Enterprise"],
    ));
    assert!(
        sent.starts_with("2 invited, 2 invitation emails queued"),
        "{sent}"
    );
    // The running server's worker sends what the command queued (no wake-up: its poll).
    app.wait_for_count(
        "SELECT COUNT(*) FROM invitations WHERE sent_at IS NOT NULL",
        2,
    )
    .await;

    let links = app.add_recipients(&survey_id, "linus@example.org").await;
    let questions: Vec<(String, String)> = sqlx::query_as(
        "SELECT question_id, kind FROM questions \
        WHERE survey_id = $1 AND show_if_question_id IS NULL \
        ORDER BY position",
    )
    .bind(&survey_id)
    .fetch_all(&app.db)
    .await
    .unwrap();
    let fields: Vec<(String, &str)> = questions
        .iter()
        .map(|(id, kind)| {
            (
                format!("q_{id}"),
                if kind == "csat" {
                    "4"
                } else {
                    "=HYPERLINK(\"http://evil\")"
                },
            )
        })
        .collect();
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    app.set_session_cookie(None);
    app.post_form(&crate::helpers::path_of(&links[0].1), &fields)
        .await;
    let csv = stdout(&soundings(&app, &["export", "responses", &survey_id]));
    let mut lines = csv.lines();
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("response_id,submitted_on,completed,respondent,language,"),
        "{csv}"
    );
    let row = lines.next().unwrap();
    assert!(
        row.contains(",yes,linus@example.org,en,4,") && row.contains("'=HYPERLINK"),
        "the formula is neutralised: {row}"
    );
    let json: serde_json::Value = serde_json::from_str(&stdout(&soundings(
        &app,
        &["export", "responses", &survey_id, "--format", "json"],
    )))
    .unwrap();
    assert_eq!(json.as_array().unwrap().len(), 1);
    assert_eq!(json[0]["respondent"], "linus@example.org");
    assert_eq!(json[0]["language"], "en");
    let refused = soundings(
        &app,
        &["export", "responses", &survey_id, "--format", "xml"],
    );
    assert!(String::from_utf8_lossy(&refused.stderr).contains("choose csv or json"));
}

mod sqlite {
    #[tokio::test]
    async fn the_command_line_imports_creates_sends_and_exports() {
        super::the_command_line_imports_creates_sends_and_exports(crate::helpers::Backend::Sqlite)
            .await;
    }
}

mod postgres {
    #[tokio::test]
    async fn the_command_line_imports_creates_sends_and_exports() {
        super::the_command_line_imports_creates_sends_and_exports(
            crate::helpers::Backend::Postgres,
        )
        .await;
    }
}
