//! The authorisation matrix: every registered server function, called by each role with
//! arguments good enough to reach its guard. A function missing from `MATRIX` fails the
//! test, so a new one cannot ship without a decision on who may call it.
use crate::helpers::{on_both_backends, TestApp, ADMIN_EMAIL, PASSWORD};
use crate::public_api::{api, token};
use reqwest::StatusCode;
use std::collections::BTreeSet;

/// Who may call a function: everyone, or a team role and the roles above it.
#[derive(Clone, Copy, PartialEq, PartialOrd, Debug)]
enum Least {
    Anyone,
    Viewer,
    Editor,
    Admin,
}

use Least::*;

const MATRIX: &[(&str, Least)] = &[
    ("session_info", Anyone),
    ("sign_in", Anyone),
    ("set_up_first_admin", Anyone),
    ("get_dashboard", Viewer),
    ("get_health", Viewer),
    ("get_community", Viewer),
    ("set_community_care", Editor),
    ("get_quarterly_report", Viewer),
    ("get_weekly_digest", Viewer),
    ("set_weekly_digest", Viewer),
    ("list_surveys", Viewer),
    ("get_survey", Viewer),
    ("get_results", Viewer),
    ("get_comments", Viewer),
    ("get_funnel", Viewer),
    ("list_recipients", Viewer),
    ("get_audience", Viewer),
    ("get_email_wording", Viewer),
    ("list_mail", Editor),
    ("get_mail", Editor),
    ("get_mail_setup", Editor),
    ("create_survey", Editor),
    ("duplicate_survey", Editor),
    ("update_survey_settings", Editor),
    ("add_question", Editor),
    ("update_question", Editor),
    ("move_question", Editor),
    ("remove_question", Editor),
    ("open_survey", Editor),
    ("close_survey", Editor),
    ("reopen_survey", Editor),
    ("set_public_link", Editor),
    ("get_in_product", Viewer),
    ("set_in_product", Editor),
    ("set_closing_message", Editor),
    ("set_precision_target", Editor),
    ("update_email_wording", Editor),
    ("send_test_email", Editor),
    ("send_invitations", Editor),
    ("remind_now", Editor),
    ("set_reminder_schedule", Editor),
    ("set_sending_window", Editor),
    ("save_tier", Editor),
    ("create_community", Editor),
    ("update_community", Editor),
    ("save_contact", Editor),
    ("erase_contact", Editor),
    ("mark_deliverable", Editor),
    ("list_team", Admin),
    ("invite_team_member", Admin),
    ("change_role", Admin),
    ("remove_team_member", Admin),
    ("list_api_tokens", Admin),
    ("create_api_token", Admin),
    ("revoke_api_token", Admin),
    ("list_webhooks", Admin),
    ("create_webhook", Admin),
    ("get_webhook", Admin),
    ("set_webhook_active", Admin),
    ("delete_webhook", Admin),
    ("send_test_webhook", Admin),
    ("retry_webhook_delivery", Admin),
    // Signing out without a session changes nothing, so it answers everyone.
    ("sign_out", Anyone),
];

/// Every function registered in this binary, by its endpoint name.
fn registered() -> BTreeSet<String> {
    leptos::server_fn::axum::server_fn_paths()
        .filter_map(|(path, _)| path.strip_prefix("/fn/").map(str::to_string))
        .collect()
}

/// Real ids for everything a function may name, plus a value for every other argument.
async fn arguments(app: &TestApp) -> Vec<(&'static str, String)> {
    let survey_id = app.create_survey("Matrix").await;
    let scalar = |sql: &'static str| async move {
        sqlx::query_scalar::<_, String>(sql)
            .fetch_one(&app.db)
            .await
            .unwrap()
    };
    let question_id = scalar("SELECT question_id FROM questions").await;
    app.add_community("Lakeside", "tier-enterprise").await;
    let community_id = scalar("SELECT community_id FROM communities").await;
    let user_id = scalar("SELECT user_id FROM users WHERE role = 'viewer'").await;
    let (status, _) = app
        .call(
            "send_test_email",
            &[("survey_id", &survey_id), ("kind", "invitation")],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    app.wait_for_count("SELECT COUNT(*) FROM dev_mailbox WHERE admins_only = 0", 1)
        .await;
    let mail_id = scalar("SELECT mail_id FROM dev_mailbox WHERE admins_only = 0").await;
    let id = |v: &str| v.to_string();
    vec![
        ("survey_id", survey_id),
        ("question_id", question_id),
        ("community_id", community_id),
        ("user_id", user_id),
        ("mail_id", mail_id),
        ("tier_id", id("tier-enterprise")),
        ("token_id", id("00000000-0000-0000-0000-000000000000")),
        ("webhook_id", id("00000000-0000-0000-0000-000000000000")),
        ("delivery_id", id("00000000-0000-0000-0000-000000000000")),
        ("title", id("Planted")),
        ("template", id("blank")),
        ("kind", id("invitation")),
        ("name", id("Planted")),
        ("email", id("planted@example.org")),
        ("password", id("a long enough passphrase too")),
        ("confirm", id("a long enough passphrase too")),
        ("role", id("viewer")),
        ("change", id("enable")),
        ("direction", id("up")),
        ("days", id("3")),
        ("subject", id("Planted")),
        ("body", id("Planted {{link}}")),
        ("prompt", id("Planted?")),
        ("url", id("https://203.0.113.9/hook")),
        ("active", id("false")),
        ("target_points", id("5")),
        ("intro", id("")),
        ("thank_you", id("")),
        ("anonymity", id("identified")),
        ("community", id("Lakeside")),
        // Optional or free-text arguments, present so no call fails on a missing one.
        ("closes_at", id("")),
        ("release_name", id("")),
        ("released_on", id("")),
        ("help", id("")),
        ("required", id("")),
        ("options", id("")),
        ("allow_other", id("")),
        ("show_if_question_id", id("")),
        ("show_if_min", id("")),
        ("show_if_max", id("")),
        ("tags", id("")),
        ("expires_in_days", id("")),
        ("stop_reminders", id("")),
        ("score", id("")),
        ("tier", id("")),
        ("sending_window", id("")),
        ("owner", id("")),
        ("renews_on", id("")),
        ("quarter", id("")),
        ("on", id("true")),
        ("loop_subject", id("")),
        ("loop_body", id("")),
    ]
}

/// Calls every function; returns those that answered `refused` and those that did not.
async fn sweep(app: &TestApp, args: &[(&str, String)]) -> Vec<(String, StatusCode)> {
    let fields: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let mut answers = Vec::new();
    // sign_out last, so the session lasts the whole sweep.
    for (name, _) in MATRIX
        .iter()
        .filter(|(n, _)| *n != "sign_out")
        .chain(MATRIX.iter().filter(|(n, _)| *n == "sign_out"))
    {
        let (status, _) = app.call(name, &fields).await;
        answers.push((name.to_string(), status));
    }
    answers
}

fn check(role: Option<Least>, answers: &[(String, StatusCode)]) {
    let mut wrong = Vec::new();
    for (name, status) in answers {
        let least = MATRIX.iter().find(|(n, _)| n == name).unwrap().1;
        let allowed = least == Anyone || role.is_some_and(|r| r >= least);
        let refused = *status == StatusCode::UNAUTHORIZED || *status == StatusCode::FORBIDDEN;
        let expected = match role {
            None => StatusCode::UNAUTHORIZED,
            Some(_) => StatusCode::FORBIDDEN,
        };
        if (allowed && refused) || (!allowed && *status != expected) {
            wrong.push(format!("{name}: {status}"));
        }
    }
    assert!(wrong.is_empty(), "{role:?} got: {wrong:#?}");
    let refused = answers
        .iter()
        .filter(|(_, s)| s.as_u16() == 401 || s.as_u16() == 403)
        .count();
    eprintln!("{role:?}: {refused} of {} functions refused", answers.len());
}

on_both_backends!(
    every_server_function_is_in_the_matrix,
    each_role_gets_exactly_the_server_functions_it_should,
    another_surveys_id_gets_404_not_its_data,
    each_role_reaches_exactly_the_pages_and_endpoints_that_show_a_persons_link_or_answer,
);

async fn every_server_function_is_in_the_matrix(app: TestApp) {
    let _ = &app;
    let listed: BTreeSet<String> = MATRIX.iter().map(|(n, _)| n.to_string()).collect();
    assert_eq!(registered(), listed);
}

async fn each_role_gets_exactly_the_server_functions_it_should(app: TestApp) {
    app.set_up_admin().await;
    app.add_member("viewer@example.org", "viewer").await;
    app.add_member("editor@example.org", "editor").await;
    let args = arguments(&app).await;
    for (email, role) in [
        ("viewer@example.org", Viewer),
        ("editor@example.org", Editor),
    ] {
        app.set_session_cookie(None);
        app.sign_in(email, PASSWORD).await;
        let answers = sweep(&app, &args).await;
        check(Some(role), &answers);
    }
    app.set_session_cookie(None);
    let answers = sweep(&app, &args).await;
    check(None, &answers);
    app.sign_in(ADMIN_EMAIL, PASSWORD).await;
    let answers = sweep(&app, &args).await;
    check(Some(Admin), &answers);
}

async fn another_surveys_id_gets_404_not_its_data(app: TestApp) {
    app.set_up_admin().await;
    for function in ["get_survey", "get_results", "get_funnel", "get_comments"] {
        let (status, body) = app
            .call(
                function,
                &[("survey_id", "3f1c2b9e-0000-4000-8000-000000000000")],
            )
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{function}: {body}");
    }
    let (status, _) = app
        .call(
            "get_mail",
            &[("mail_id", "3f1c2b9e-0000-4000-8000-000000000000")],
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

/// The pages and API endpoints outside the server functions that show a person's link,
/// own answers or stored data, and the least role each needs. `GET` and `POST` are plain
/// pages with a session; `API` is `/api/v1` with a token of the role.
const PERSONAL: &[(&str, &str, Least)] = &[
    ("GET", "/mailbox/{mail_id}/html", Editor),
    ("GET", "/contacts/access.json?email=ada@example.org", Editor),
    ("POST", "/surveys/{survey_id}/recipients", Editor),
    ("GET", "/surveys/{survey_id}/choose", Editor),
    ("POST", "/surveys/{survey_id}/choose", Editor),
    ("API", "/surveys/{survey_id}/responses", Editor),
    ("API", "/contacts/ada@example.org/access", Editor),
    // The aggregates a viewer is for, as a check that the sweep can tell the two apart.
    ("API", "/surveys/{survey_id}/summary", Viewer),
];

async fn each_role_reaches_exactly_the_pages_and_endpoints_that_show_a_persons_link_or_answer(
    app: TestApp,
) {
    app.set_up_admin().await;
    app.add_member("viewer@example.org", "viewer").await;
    app.add_member("editor@example.org", "editor").await;
    let args = arguments(&app).await;
    let arg = |name: &str| args.iter().find(|(n, _)| *n == name).unwrap().1.clone();
    let (survey_id, mail_id) = (arg("survey_id"), arg("mail_id"));
    app.add_recipients(&survey_id, "ada@example.org").await;
    let tokens = [
        (Viewer, token(&app, "viewer").await),
        (Editor, token(&app, "editor").await),
        (Admin, token(&app, "admin").await),
    ];
    let mut wrong = Vec::new();
    for (email, role) in [
        ("viewer@example.org", Viewer),
        ("editor@example.org", Editor),
        (ADMIN_EMAIL, Admin),
    ] {
        app.set_session_cookie(None);
        app.sign_in(email, PASSWORD).await;
        let secret = &tokens.iter().find(|(r, _)| *r == role).unwrap().1;
        for (method, path, least) in PERSONAL {
            let path = path
                .replace("{survey_id}", &survey_id)
                .replace("{mail_id}", &mail_id);
            let fields = [("emails", "planted@example.org")];
            let status = match *method {
                "GET" => app.get(&path).await.status(),
                "POST" => app.post_form(&path, &fields).await.status(),
                _ => api(&app, "GET", &path, Some(secret), None).await.0,
            };
            let refused = status == StatusCode::FORBIDDEN;
            let allowed = role >= *least;
            if allowed == refused || !(refused || status.is_success() || status.is_redirection()) {
                wrong.push(format!("{role:?} {method} {path}: {status}"));
            }
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}
