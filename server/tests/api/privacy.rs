//! Privacy promises attacked the way a curious team member would: by reading every page,
//! function and API answer their role can reach, and by watching figures change.
use crate::helpers::{on_both_backends, path_of, TestApp, ADMIN_EMAIL, PASSWORD};
use crate::public_api::{api, token};
use reqwest::StatusCode;

on_both_backends!(a_viewer_cannot_read_any_personal_or_unsubscribe_link,);

/// The secret part of every personal (`/s/...`) and unsubscribe (`/u/...`) link in `text`.
fn link_tokens(text: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    for prefix in ["/s/", "/u/"] {
        for (i, _) in text.match_indices(prefix) {
            let token: String = text[i + 3..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                .collect();
            if token.len() >= 16 {
                tokens.push(token);
            }
        }
    }
    tokens
}

async fn a_viewer_cannot_read_any_personal_or_unsubscribe_link(app: TestApp) {
    app.set_up_admin().await;
    let survey_id = app.create_survey("Storage").await;
    app.open_survey(&survey_id).await;
    let links = app
        .add_recipients(&survey_id, "ada@example.org\nbob@example.org")
        .await;
    let (status, body) = app
        .call("send_invitations", &[("survey_id", &survey_id)])
        .await;
    assert!(status.is_success(), "{status}: {body}");
    app.dispatch_all_pending_emails().await;
    app.wait_for_count("SELECT COUNT(*) FROM dev_mailbox", 2)
        .await;
    // What the attacker is after: every link's secret, as the mail and the links page hold them.
    let (_, mails) = app.call("list_mail", &[]).await;
    let mail_ids: Vec<String> = serde_json::from_str::<serde_json::Value>(&mails)
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["mail_id"].as_str().unwrap().to_string())
        .collect();
    let mut secrets: Vec<String> = links
        .iter()
        .flat_map(|(_, link)| link_tokens(&path_of(link)))
        .collect();
    for id in &mail_ids {
        let (_, mail) = app.call("get_mail", &[("mail_id", id)]).await;
        secrets.extend(link_tokens(&mail));
    }
    secrets.sort();
    secrets.dedup();
    assert!(
        secrets.len() >= 4,
        "two personal and two unsubscribe links: {secrets:?}"
    );

    app.add_member("viewer@example.org", "viewer").await;
    app.sign_in("viewer@example.org", PASSWORD).await;
    let mut seen = Vec::new();
    let pages = [
        "/overview".to_string(),
        "/surveys".into(),
        format!("/surveys/{survey_id}"),
        format!("/surveys/{survey_id}/results"),
        "/contacts".into(),
        "/mailbox".into(),
    ];
    let mut paths: Vec<String> = pages.to_vec();
    for id in &mail_ids {
        paths.push(format!("/mailbox/{id}"));
        paths.push(format!("/mailbox/{id}/html"));
    }
    for path in &paths {
        let response = app.get(path).await;
        let status = response.status();
        seen.push((path.clone(), status, response.text().await.unwrap()));
    }
    for (function, fields) in [
        ("list_mail", vec![]),
        ("get_mail", vec![("mail_id", mail_ids[0].as_str())]),
        ("get_survey", vec![("survey_id", survey_id.as_str())]),
        ("get_audience", vec![]),
    ] {
        let (status, body) = app.call(function, &fields).await;
        seen.push((function.to_string(), status, body));
    }
    let viewer = {
        app.sign_in(ADMIN_EMAIL, PASSWORD).await;
        let secret = token(&app, "viewer").await;
        app.sign_in("viewer@example.org", PASSWORD).await;
        secret
    };
    for path in [
        format!("/surveys/{survey_id}"),
        format!("/surveys/{survey_id}/responses"),
        format!("/surveys/{survey_id}/results"),
        "/contacts".to_string(),
    ] {
        let (status, body, _) = api(&app, "GET", &path, Some(&viewer), None).await;
        seen.push((format!("api {path}"), status, body.to_string()));
    }
    let mut leaks = Vec::new();
    for (what, status, body) in &seen {
        for secret in &secrets {
            if body.contains(secret.as_str()) {
                leaks.push(format!("{what} ({status}) shows {secret}"));
            }
        }
    }
    assert!(leaks.is_empty(), "a viewer read links: {leaks:#?}");
    let mailbox = seen
        .iter()
        .find(|(what, _, _)| what == "list_mail")
        .unwrap();
    assert_eq!(
        mailbox.1,
        StatusCode::FORBIDDEN,
        "the mailbox is for editors"
    );
    let overview = &seen
        .iter()
        .find(|(what, _, _)| what == "/overview")
        .unwrap()
        .2;
    assert!(!overview.contains("href=\"/mailbox\""), "no way in offered");
}
