//! The audit log: every audited change leaves exactly one entry naming who, what and
//! when; a change that fails leaves none; entries hold ids and counts, never answers,
//! contacts' addresses or links; and only admins read or export it.
use crate::helpers::{on_both_backends, TestApp, ADMIN_EMAIL, PASSWORD};
use crate::public_api::{api, token};
use reqwest::StatusCode;
use serde_json::json;

on_both_backends!(
    each_audited_change_writes_exactly_one_entry_naming_who_did_it,
    a_change_that_is_refused_leaves_no_entry,
    an_entry_never_holds_answers_contacts_addresses_or_links,
    an_editor_can_neither_read_nor_export_the_audit_log,
    the_log_filters_by_action_and_actor_and_the_export_is_itself_recorded,
    entries_older_than_the_retention_period_are_removed,
);

/// How many entries record `action`.
async fn entries(app: &TestApp, action: &str) -> i64 {
    app.count(&format!(
        "SELECT COUNT(*) FROM audit_log WHERE action = '{action}'"
    ))
    .await
}

async fn total(app: &TestApp) -> i64 {
    app.count("SELECT COUNT(*) FROM audit_log").await
}

/// Runs `change`, then checks that it added exactly one entry, for `action`.
macro_rules! exactly_one {
    ($app:expr, $action:expr, $change:expr) => {{
        let before = total($app).await;
        let before_action = entries($app, $action).await;
        $change;
        assert_eq!(
            entries($app, $action).await,
            before_action + 1,
            "{}",
            $action
        );
        assert_eq!(
            total($app).await,
            before + 1,
            "only {} was recorded",
            $action
        );
    }};
}

async fn ok(app: &TestApp, function: &str, fields: &[(&str, &str)]) -> String {
    let (status, body) = app.call(function, fields).await;
    assert!(
        status.is_success() || status.is_redirection(),
        "{function}: {status} {body}"
    );
    body
}

async fn user_id(app: &TestApp, email: &str) -> String {
    sqlx::query_scalar("SELECT user_id FROM users WHERE email = $1")
        .bind(email)
        .fetch_one(&app.db)
        .await
        .unwrap()
}

async fn each_audited_change_writes_exactly_one_entry_naming_who_did_it(app: TestApp) {
    app.set_up_admin().await;
    let survey_id;
    exactly_one!(&app, "survey.created", {
        survey_id = app.create_survey("Saved filters").await;
    });
    // A draft's edits are not audited: nobody has its questions yet.
    let before = total(&app).await;
    ok(
        &app,
        "add_question",
        &[("survey_id", &survey_id), ("kind", "long_text")],
    )
    .await;
    assert_eq!(total(&app).await, before);
    exactly_one!(&app, "survey.opened", app.open_survey(&survey_id).await);
    exactly_one!(
        &app,
        "survey.edited",
        ok(
            &app,
            "add_question",
            &[("survey_id", &survey_id), ("kind", "nps")]
        )
        .await
    );
    exactly_one!(
        &app,
        "settings.changed",
        ok(
            &app,
            "set_sending_window",
            &[("survey_id", &survey_id), ("sending_window", "any time")]
        )
        .await
    );
    exactly_one!(
        &app,
        "survey.recipients_added",
        app.add_recipients(&survey_id, "ada@example.org\ngrace@example.org")
            .await
    );
    exactly_one!(&app, "survey.sent", app.send_invitations(&survey_id).await);
    exactly_one!(
        &app,
        "survey.reminded",
        ok(&app, "remind_now", &[("survey_id", &survey_id)]).await
    );
    exactly_one!(
        &app,
        "survey.closed",
        ok(&app, "close_survey", &[("survey_id", &survey_id)]).await
    );
    exactly_one!(
        &app,
        "survey.closing_message_sent",
        ok(
            &app,
            "set_closing_message",
            &[
                ("survey_id", &survey_id),
                ("loop_subject", "What we did about {{ feature }}"),
                (
                    "loop_body",
                    "Hello {{ name }},\n\nThank you: we changed it."
                ),
                ("non_respondents", "1"),
                ("send", "1")
            ]
        )
        .await
    );
    exactly_one!(
        &app,
        "survey.reopened",
        ok(
            &app,
            "reopen_survey",
            &[("survey_id", &survey_id), ("closes_at", "")]
        )
        .await
    );
    exactly_one!(
        &app,
        "contacts.exported",
        assert_eq!(
            app.get("/contacts/access.json?email=ada@example.org")
                .await
                .status(),
            StatusCode::OK
        )
    );
    // The team.
    exactly_one!(
        &app,
        "member.invited",
        app.invite("new@example.org", "viewer").await
    );
    let new_id = user_id(&app, "new@example.org").await;
    exactly_one!(
        &app,
        "member.role_changed",
        ok(
            &app,
            "change_role",
            &[("user_id", &new_id), ("role", "editor")]
        )
        .await
    );
    exactly_one!(
        &app,
        "member.removed",
        ok(&app, "remove_team_member", &[("user_id", &new_id)]).await
    );
    // Tokens and webhooks.
    let secret;
    exactly_one!(&app, "token.created", secret = token(&app, "editor").await);
    let address = format!("{}/healthz", app.address);
    exactly_one!(
        &app,
        "webhook.added",
        ok(
            &app,
            "create_webhook",
            &[
                ("name", "CRM"),
                ("url", &address),
                ("survey_closed", "on"),
                ("allow_private", "on")
            ]
        )
        .await
    );
    let webhook_id: String = sqlx::query_scalar("SELECT webhook_id FROM webhooks")
        .fetch_one(&app.db)
        .await
        .unwrap();
    exactly_one!(
        &app,
        "webhook.changed",
        ok(
            &app,
            "set_webhook_active",
            &[("webhook_id", &webhook_id), ("active", "false")]
        )
        .await
    );
    exactly_one!(
        &app,
        "webhook.removed",
        ok(&app, "delete_webhook", &[("webhook_id", &webhook_id)]).await
    );
    // Through the API, as the token: contacts imported and one erased.
    exactly_one!(&app, "contacts.imported", {
        let body = json!({"contacts": [{"email": "lin@example.org", "name": "Lin", "community": "Lakeside", "tier": "Gold", "role": "", "tags": []}]});
        let (status, body, _) = api(&app, "PUT", "/contacts", Some(&secret), Some(body)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    });
    exactly_one!(&app, "contact.erased", {
        let (status, body, _) = api(
            &app,
            "DELETE",
            "/contacts/lin@example.org",
            Some(&secret),
            None,
        )
        .await;
        assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    });
    exactly_one!(&app, "settings.changed", {
        let path = format!("/surveys/{survey_id}/languages");
        let body = json!({"default": "en", "translations": ["de"]});
        let (status, body, _) = api(&app, "PUT", &path, Some(&secret), Some(body)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    });
    let token_id: String = sqlx::query_scalar("SELECT token_id FROM api_tokens")
        .fetch_one(&app.db)
        .await
        .unwrap();
    exactly_one!(
        &app,
        "token.revoked",
        ok(&app, "revoke_api_token", &[("token_id", &token_id)]).await
    );
    // Who: the admin's address for the pages, the token's name for the API, and each
    // entry says what it was about.
    let by_token: Vec<(String, String)> = sqlx::query_as(
        "SELECT actor_kind, actor_label FROM audit_log WHERE action IN ('contacts.imported', 'contact.erased')",
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert_eq!(by_token, vec![("token".into(), "editor script".into()); 2]);
    let by_admin = app
        .count(&format!(
            "SELECT COUNT(*) FROM audit_log WHERE actor_kind = 'member' AND actor_label = '{ADMIN_EMAIL}'"
        ))
        .await;
    let by_tokens = app
        .count("SELECT COUNT(*) FROM audit_log WHERE actor_kind = 'token'")
        .await;
    assert_eq!(by_tokens, 3);
    assert_eq!(by_admin, total(&app).await - by_tokens);
    let about_survey = app
        .count(&format!(
            "SELECT COUNT(*) FROM audit_log WHERE subject_id = '{survey_id}'"
        ))
        .await;
    assert_eq!(about_survey, 11);
    // A member's own access: joining through an invitation, changing the password.
    app.invite("joiner@example.org", "viewer").await;
    let link = app.account_link("joiner@example.org").await;
    let admin = app.session_cookie();
    app.set_session_cookie(None);
    exactly_one!(&app, "member.joined", {
        let fields = [("new_password", PASSWORD), ("confirm_password", PASSWORD)];
        let response = app
            .post_form(&crate::helpers::path_of(&link), &fields)
            .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
    });
    app.set_session_cookie(admin);
    exactly_one!(&app, "member.password_changed", {
        let fields = [
            ("current_password", PASSWORD),
            ("new_password", "a second long passphrase"),
            ("confirm_password", "a second long passphrase"),
        ];
        let response = app.post_form("/account/password", &fields).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
    });
    // The removed member is still named in the entries about them.
    let page = app.get("/audit").await.text().await.unwrap();
    assert!(page.contains("Member removed") && page.contains("new@example.org"));
}

async fn a_change_that_is_refused_leaves_no_entry(app: TestApp) {
    app.set_up_admin().await;
    let survey_id = app.create_survey("Saved filters").await;
    app.open_survey(&survey_id).await;
    let before = total(&app).await;
    // Opening an open survey, demoting the last admin, revoking an unknown token.
    let (status, _) = app.call("open_survey", &[("survey_id", &survey_id)]).await;
    assert_eq!(status, StatusCode::CONFLICT);
    let admin_id = user_id(&app, ADMIN_EMAIL).await;
    let (status, _) = app
        .call("change_role", &[("user_id", &admin_id), ("role", "viewer")])
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (status, _) = app.call("revoke_api_token", &[("token_id", "nope")]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = app
        .call(
            "invite_team_member",
            &[("email", ADMIN_EMAIL), ("role", "viewer")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        total(&app).await,
        before,
        "a refused change is not a change"
    );
}

async fn an_entry_never_holds_answers_contacts_addresses_or_links(app: TestApp) {
    app.set_up_admin().await;
    let survey_id = app.create_survey("Saved filters").await;
    ok(
        &app,
        "add_question",
        &[("survey_id", &survey_id), ("kind", "long_text")],
    )
    .await;
    app.open_survey(&survey_id).await;
    let links = app
        .add_recipients(&survey_id, "ada.private@example.org")
        .await;
    app.send_invitations(&survey_id).await;
    let (_, link) = &links[0];
    // Ada answers with words only she would write.
    let path = crate::helpers::path_of(link);
    let questions: Vec<String> = sqlx::query_scalar(
        "SELECT question_id FROM questions WHERE survey_id = $1 ORDER BY position",
    )
    .bind(&survey_id)
    .fetch_all(&app.db)
    .await
    .unwrap();
    let (score, words) = (format!("q_{}", questions[0]), format!("q_{}", questions[1]));
    let response = app
        .post_form(&path, &[(&score, "5"), (&words, "my secret words")])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.count("SELECT COUNT(*) FROM answers").await, 2);
    let (status, _) = app
        .call(
            "erase_contact",
            &[("email", "ada.private@example.org"), ("confirm", "on")],
        )
        .await;
    assert!(status.is_success(), "{status}");
    let rows: Vec<(String, String, Option<String>, String)> =
        sqlx::query_as("SELECT actor_label, action, subject_id, detail FROM audit_log")
            .fetch_all(&app.db)
            .await
            .unwrap();
    assert!(rows.iter().any(|r| r.1 == "contact.erased"));
    let token = path.rsplit('/').next().unwrap().to_string();
    for row in &rows {
        let text = format!("{row:?}");
        assert!(!text.contains("ada.private"), "{text}");
        assert!(!text.contains("my secret words"), "{text}");
        assert!(!text.contains(&token), "{text}");
    }
    let export = app.get("/audit.csv").await.text().await.unwrap();
    assert!(!export.contains("ada.private") && !export.contains(&token));
}

async fn an_editor_can_neither_read_nor_export_the_audit_log(app: TestApp) {
    app.set_up_admin().await;
    app.create_survey("Saved filters").await;
    app.add_member("editor@example.org", "editor").await;
    app.set_session_cookie(None);
    app.sign_in("editor@example.org", PASSWORD).await;
    for path in ["/audit", "/audit.csv", "/audit?action=survey.created"] {
        let response = app.get(path).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{path}");
        let body = response.text().await.unwrap();
        assert!(
            !body.contains("Saved filters") && !body.contains(ADMIN_EMAIL),
            "{path}"
        );
    }
    app.set_session_cookie(None);
    let response = app.get("/audit").await;
    assert_eq!(
        response.status(),
        StatusCode::SEE_OTHER,
        "signed out: to sign-in"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'audit.exported'")
            .await,
        0
    );
}

async fn the_log_filters_by_action_and_actor_and_the_export_is_itself_recorded(app: TestApp) {
    app.set_up_admin().await;
    let first = app.create_survey("=HYPERLINK(\"http://evil\")").await;
    app.open_survey(&first).await;
    app.create_survey("Second").await;
    let page = app.get("/audit?action=survey.opened").await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert_eq!(
        html.matches("<tr>").count(),
        2,
        "a header and one entry: {html}"
    );
    assert!(html.contains("Survey opened") && !html.contains("Survey created</td>"));
    let admin_id = user_id(&app, ADMIN_EMAIL).await;
    let html = app
        .get(&format!("/audit?who=member:{admin_id}"))
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(html.matches("<tr>").count(), 4);
    let html = app
        .get("/audit?who=token:nobody")
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("No entry matches these filters"));
    let refused = app.get("/audit?from=2026-13-45").await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused
        .text()
        .await
        .unwrap()
        .contains("Enter a date as YYYY-MM-DD"));
    let csv = app.get("/audit.csv?action=survey.created").await;
    assert_eq!(csv.status(), StatusCode::OK);
    assert!(csv.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains("soundings-audit-log.csv"));
    let text = csv.text().await.unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert!(lines[0].starts_with("at_utc,at_local,actor_kind"));
    assert!(
        text.contains("'=HYPERLINK"),
        "a formula is made plain text: {text}"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'audit.exported'")
            .await,
        1
    );
}

async fn entries_older_than_the_retention_period_are_removed(app: TestApp) {
    app.set_up_admin().await;
    app.create_survey("Old").await;
    app.advance_clock(366 * 86_400);
    app.sign_in(ADMIN_EMAIL, PASSWORD).await;
    app.create_survey("New").await;
    let now = app.clock.now();
    let removed = app::audit::record::prune(&app.db, 365, now).await.unwrap();
    assert_eq!(removed, 1);
    assert_eq!(total(&app).await, 1);
    let left: String = sqlx::query_scalar("SELECT detail FROM audit_log")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(left, "from the “Blank” template");
}
