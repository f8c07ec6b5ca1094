//! What the app keeps about a person, searched for in every column of every table (and,
//! for anonymous answers, in the log and the export): nothing after an erase, nothing that
//! ties an anonymous answer to whoever sent it.
use crate::answering::survey_with_every_kind;
use crate::helpers::{on_both_backends, path_of, TestApp};
use crate::process::Process;
use app::db::Db;
use reqwest::StatusCode;
use std::process::Stdio;

/// Every (table, column) of the app's schema, read from the database's own catalogue.
async fn columns(db: &Db, sqlite: bool) -> Vec<(String, String)> {
    let sql = if sqlite {
        "SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p \
        WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> '_sqlx_migrations'"
    } else {
        "SELECT table_name::TEXT, column_name::TEXT FROM information_schema.columns \
        WHERE table_schema = current_schema() AND table_name <> '_sqlx_migrations'"
    };
    sqlx::query_as(sql).fetch_all(db).await.unwrap()
}

/// "table.column" for every column holding `needle` anywhere in its text.
pub(crate) async fn holding(app: &TestApp, needle: &str) -> Vec<String> {
    let sqlite = app.database_url.starts_with("sqlite");
    let mut found = Vec::new();
    for (table, column) in columns(&app.db, sqlite).await {
        let sql =
            format!("SELECT COUNT(*) FROM {table} WHERE LOWER(CAST({column} AS TEXT)) LIKE $1");
        let hits: i64 = sqlx::query_scalar(&sql)
            .bind(format!("%{}%", needle.to_lowercase()))
            .fetch_one(&app.db)
            .await
            .unwrap();
        if hits > 0 {
            found.push(format!("{table}.{column}"));
        }
    }
    found
}

/// A person in a community, invited, answering, mailed, with a webhook listening.
async fn a_person_with_history(app: &TestApp) -> String {
    app.set_up_admin().await;
    app.add_community("Lakeside", "tier-enterprise").await;
    app.add_contact("ada.lovelace@example.org", "Augusta Lovelace", "Lakeside")
        .await;
    let hook = [
        ("name", "Listener"),
        ("url", "http://127.0.0.1:9/hook"),
        ("response_completed", "on"),
        ("contact_unsubscribed", "on"),
        ("allow_private", "on"),
    ];
    assert!(app.call("create_webhook", &hook).await.0.is_success());
    let survey_id = app.create_survey("Erasure everywhere").await;
    app.open_survey(&survey_id).await;
    let links = app
        .add_recipients(&survey_id, "ada.lovelace@example.org")
        .await;
    let (status, _) = app
        .call("send_invitations", &[("survey_id", &survey_id)])
        .await;
    assert_eq!(status, StatusCode::OK);
    app.wait_for_count("SELECT COUNT(*) FROM dev_mailbox", 1)
        .await;
    let question_id: String = sqlx::query_scalar("SELECT question_id FROM questions")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let link = path_of(&links[0].1);
    let reply = app
        .post_form(&link, &[(&format!("q_{question_id}"), "4")])
        .await;
    assert_eq!(reply.status(), StatusCode::SEE_OTHER);
    link
}

on_both_backends!(
    after_an_erase_no_column_of_any_table_holds_the_persons_address_or_name,
    an_anonymous_answer_is_tied_to_no_one_in_any_table_the_log_or_the_export,
);

async fn after_an_erase_no_column_of_any_table_holds_the_persons_address_or_name(app: TestApp) {
    a_person_with_history(&app).await;
    assert!(
        !holding(&app, "ada.lovelace@example.org").await.is_empty(),
        "the search finds her first"
    );
    let (status, body) = app
        .call(
            "erase_contact",
            &[("email", "ada.lovelace@example.org"), ("confirm", "on")],
        )
        .await;
    assert!(status.is_success(), "{status} {body}");
    for needle in [
        "ada.lovelace@example.org",
        "Augusta Lovelace",
        "ada.lovelace",
    ] {
        assert_eq!(
            holding(&app, needle).await,
            Vec::<String>::new(),
            "{needle}"
        );
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM responses").await,
        1,
        "the answer still counts"
    );
    let sqlite = app.database_url.starts_with("sqlite");
    eprintln!(
        "erase: searched {} columns, none holds her",
        columns(&app.db, sqlite).await.len()
    );
}

async fn an_anonymous_answer_is_tied_to_no_one_in_any_table_the_log_or_the_export(app: TestApp) {
    let (survey_id, link) = survey_with_every_kind(&app, true).await;
    let (invitation_id, contact_id, token_hash): (String, String, String) =
        sqlx::query_as("SELECT invitation_id, contact_id, token_hash FROM invitations")
            .fetch_one(&app.db)
            .await
            .unwrap();
    app.crash();
    let site = tempfile::tempdir().unwrap();
    let log_path = site.path().join("soundings.log");
    let log = std::fs::File::create(&log_path).unwrap();
    let extra = [("RUST_LOG", "debug")];
    let server =
        Process::spawn_logging_to(&app.database_url, "", site.path(), &extra, Stdio::from(log));
    server.wait_until_healthy().await;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let reply = client
        .post(format!("{}{link}", server.address))
        .form(&[("q_csat", "2"), ("q_nps", "9"), ("q_short", "Quiet")])
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), StatusCode::SEE_OTHER);
    drop(server);
    let response_id: String = sqlx::query_scalar("SELECT response_id FROM responses")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let mut tables: Vec<String> = holding(&app, &response_id).await;
    tables.sort();
    assert_eq!(
        tables,
        ["answers.response_id", "responses.response_id"],
        "only the answer's own rows hold its id"
    );
    let person = [
        invitation_id.as_str(),
        contact_id.as_str(),
        token_hash.as_str(),
        "ada@example.org",
    ];
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT r.response_id || ' ' || CAST(r.submitted_at AS TEXT) || ' ' || CAST(r.updated_at AS TEXT), \
        COALESCE(a.text_value, '') || COALESCE(a.choices, '') || COALESCE(CAST(a.score AS TEXT), '') \
        FROM responses r JOIN answers a ON a.response_id = r.response_id",
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    for (response, answer) in &rows {
        for id in person {
            assert!(!response.contains(id) && !answer.contains(id), "{id}");
        }
    }
    let log = std::fs::read_to_string(&log_path).unwrap();
    assert!(log.contains("request"), "the debug log was written");
    let token = link.trim_start_matches("/s/");
    for needle in [
        token,
        response_id.as_str(),
        token_hash.as_str(),
        invitation_id.as_str(),
        contact_id.as_str(),
        "ada@example.org",
    ] {
        assert!(!log.contains(needle), "the log holds {needle}");
    }
    let export = crate::command_line::soundings(
        &app,
        &["export", "responses", &survey_id, "--format", "json"],
    );
    let export = String::from_utf8(export.stdout).unwrap();
    // A lone anonymous answer is held back until ANONYMOUS_MIN_ANSWERS have arrived.
    assert!(!export.contains("Quiet"), "{export}");
    // The response's own random id may appear; nothing that names the person may.
    for needle in [
        invitation_id.as_str(),
        contact_id.as_str(),
        token_hash.as_str(),
        "ada@example.org",
    ] {
        assert!(!export.contains(needle), "the export holds {needle}");
    }
}
