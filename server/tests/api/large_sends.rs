//! Sends through the API: each contact invited once and mailed once, including a send to
//! more contacts than one PostgreSQL statement writes (1,000 invitations).
use crate::helpers::{on_both_backends, TestApp};
use crate::public_api::{api, token};
use http::StatusCode;
use serde_json::{json, Value};

/// Puts contacts `from..to` into the community North, 500 to a call (the API's most).
async fn add_contacts(app: &TestApp, editor: &str, from: usize, to: usize) {
    let numbers: Vec<usize> = (from..to).collect();
    for chunk in numbers.chunks(500) {
        let contacts: Vec<Value> = chunk
            .iter()
            .map(|n| json!({"email": format!("c{n}@example.org"), "name": format!("C {n}"), "community": "North"}))
            .collect();
        let (status, out, _) = api(
            app,
            "PUT",
            "/contacts",
            Some(editor),
            Some(json!({ "contacts": contacts })),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{out}");
    }
}

on_both_backends!(
    a_send_larger_than_one_batch_invites_each_contact_once_with_a_link_of_their_own,
    a_send_queues_its_new_invitations_and_those_chosen_earlier_each_once,
);

async fn a_send_larger_than_one_batch_invites_each_contact_once_with_a_link_of_their_own(
    app: TestApp,
) {
    app.set_up_admin().await;
    app.add_community("North", "tier-essential").await;
    let editor = token(&app, "editor").await;
    add_contacts(&app, &editor, 0, 2_345).await;
    let body = json!({"release": "Big send", "recipients": {"tiers": ["Essential"]}});
    let (status, out, _) = api(&app, "POST", "/release-surveys", Some(&editor), Some(body)).await;
    assert_eq!(status, StatusCode::CREATED, "{out}");
    assert_eq!(
        (out["invited"].as_i64(), out["queued"].as_u64()),
        (Some(2_345), Some(2_345)),
        "{out}"
    );
    let id = out["survey"]["id"].as_str().unwrap().to_string();
    // Added while the outbox sends the first 2,345: upserting must not wait for a
    // second pooled connection (it answered 503 before).
    add_contacts(&app, &editor, 2_345, 2_357).await;
    let (status, again, _) = api(
        &app,
        "POST",
        &format!("/surveys/{id}/sends"),
        Some(&editor),
        Some(json!({"tiers": ["Essential"]})),
    )
    .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{again}");
    assert_eq!(
        (again["invited"].as_i64(), again["queued"].as_u64()),
        (Some(12), Some(12)),
        "only the new contacts: {again}"
    );
    let survey = format!("FROM invitations WHERE survey_id = '{id}'");
    assert_eq!(app.count(&format!("SELECT COUNT(*) {survey}")).await, 2_357);
    assert_eq!(
        app.count(&format!("SELECT COUNT(DISTINCT contact_id) {survey}"))
            .await,
        2_357
    );
    assert_eq!(
        app.count(&format!("SELECT COUNT(DISTINCT token_hash) {survey}"))
            .await,
        2_357
    );
    assert_eq!(
        app.count(&format!("SELECT COUNT(DISTINCT unsubscribe_hash) {survey}"))
            .await,
        2_357
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) {survey} AND queued_at IS NOT NULL"
        ))
        .await,
        2_357
    );
    assert_eq!(
        invitation_messages(&app, &id).await,
        (2_357, 2_357),
        "one message each"
    );
}

async fn a_send_queues_its_new_invitations_and_those_chosen_earlier_each_once(app: TestApp) {
    app.set_up_admin().await;
    app.add_community("North", "tier-essential").await;
    let editor = token(&app, "editor").await;
    add_contacts(&app, &editor, 0, 3).await;
    let id = app.create_survey("Chosen first").await;
    app.open_survey(&id).await;
    let choose = [("tier", "tier-essential"), ("community", ""), ("tag", "")];
    let chosen = app
        .post_form(&format!("/surveys/{id}/choose"), &choose)
        .await;
    assert!(chosen.text().await.unwrap().contains("3 people invited."));
    assert_eq!(
        invitation_messages(&app, &id).await,
        (0, 0),
        "choosing sends nothing"
    );
    add_contacts(&app, &editor, 3, 5).await;
    let sends = format!("/surveys/{id}/sends");
    let (status, out, _) = api(
        &app,
        "POST",
        &sends,
        Some(&editor),
        Some(json!({"tiers": ["Essential"]})),
    )
    .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{out}");
    assert_eq!(
        (out["invited"].as_i64(), out["queued"].as_u64()),
        (Some(2), Some(5)),
        "{out}"
    );
    assert_eq!(invitation_messages(&app, &id).await, (5, 5));
    let queued = format!(
        "SELECT COUNT(*) FROM invitations WHERE survey_id = '{id}' AND queued_at IS NOT NULL"
    );
    assert_eq!(app.count(&queued).await, 5);
    let (_, again, _) = api(
        &app,
        "POST",
        &sends,
        Some(&editor),
        Some(json!({"tiers": ["Essential"]})),
    )
    .await;
    assert_eq!(
        (again["invited"].as_i64(), again["queued"].as_u64()),
        (Some(0), Some(0)),
        "{again}"
    );
    assert_eq!(
        invitation_messages(&app, &id).await,
        (5, 5),
        "nothing queued twice"
    );
}

/// The survey's invitation messages in the outbox, and how many invitations they are for.
async fn invitation_messages(app: &TestApp, survey_id: &str) -> (i64, i64) {
    let from = format!(
        "FROM outbox o JOIN invitations i ON i.invitation_id = o.invitation_id \
        WHERE o.kind = 'invitation' AND i.survey_id = '{survey_id}'"
    );
    let messages = app.count(&format!("SELECT COUNT(*) {from}")).await;
    let invitations = app
        .count(&format!("SELECT COUNT(DISTINCT o.invitation_id) {from}"))
        .await;
    (messages, invitations)
}
