//! The in-product channel: a survey shown in a panel inside the team's own product to its
//! signed-in user, verified by the team's signature, in the same ledger as email.
use crate::helpers::{location, on_both_backends, path_of, TestApp, ADMIN_EMAIL, PASSWORD};
use app::distribution::in_product::signature::sign;
use reqwest::{Response, StatusCode};
use serde_json::Value;

const ORIGIN: &str = "https://app.example.test:8443";

/// The survey's channel as the Send step reads it.
async fn channel(app: &TestApp, survey_id: &str) -> Value {
    let (status, body) = app
        .call("get_in_product", &[("survey_id", survey_id)])
        .await;
    assert!(status.is_success(), "{status}: {body}");
    serde_json::from_str(&body).unwrap()
}

/// Changes the channel as the signed-in editor; returns the status and the answer.
async fn set(app: &TestApp, survey_id: &str, fields: &[(&str, &str)]) -> (StatusCode, String) {
    let mut all = vec![("survey_id", survey_id)];
    all.extend_from_slice(fields);
    app.call("set_in_product", &all).await
}

/// An open survey (one CSAT question) shown in the product at `ORIGIN`; returns (survey
/// id, key, secret).
async fn survey_in_product(app: &TestApp, title: &str) -> (String, String, String) {
    let survey_id = app.create_survey(title).await;
    app.open_survey(&survey_id).await;
    let (status, body) = set(app, &survey_id, &[("switch", "on"), ("origins", ORIGIN)]).await;
    assert!(status.is_success(), "{status}: {body}");
    let on = channel(app, &survey_id).await;
    (
        survey_id,
        on["key"].as_str().unwrap().to_string(),
        on["secret"].as_str().unwrap().to_string(),
    )
}

/// What the host page's frame loads for `email` with `signature`, as a browser with no
/// cookie of ours would (the frame is a third party on the product's site).
async fn panel(app: &TestApp, key: &str, email: &str, signature: &str) -> Response {
    let query = query(email, signature);
    let saved = app.session_cookie();
    app.set_session_cookie(None);
    let response = app.get(&format!("/w/{key}?{query}")).await;
    app.set_session_cookie(saved);
    response
}

/// `email=..&signature=..`, encoded as a browser would.
fn query(email: &str, signature: &str) -> String {
    let url =
        reqwest::Url::parse_with_params("http://x/", [("email", email), ("signature", signature)])
            .unwrap();
    url.query().unwrap_or_default().to_string()
}

/// The panel for `email`, signed with `secret` as the team's server would.
async fn signed(app: &TestApp, key: &str, secret: &str, email: &str) -> Response {
    panel(app, key, email, &sign(secret, email)).await
}

fn assert_no_cookie(response: &Response) {
    assert!(
        response.headers().get("set-cookie").is_none(),
        "the panel set a cookie: {:?}",
        response.headers()
    );
}

async fn ledger(app: &TestApp) -> (i64, i64) {
    (
        app.count("SELECT COUNT(*) FROM contacts").await,
        app.count("SELECT COUNT(*) FROM invitations").await,
    )
}

on_both_backends!(
    a_signed_in_user_of_the_product_answers_in_the_panel_and_counts_as_reached,
    an_answer_in_the_panel_and_one_through_the_emailed_link_are_one_response,
    a_forged_or_missing_signature_shows_nothing_and_records_nothing,
    unsubscribed_and_recently_asked_people_are_never_shown_the_panel,
    a_closed_panel_stays_away_for_its_snooze_but_the_link_still_opens,
    another_site_cannot_frame_the_survey_pages,
    an_origin_that_would_rewrite_the_frame_policy_is_refused,
    an_anonymous_survey_stays_anonymous_through_the_panel,
    viewers_see_neither_the_secret_nor_a_way_to_change_the_channel,
    the_api_turns_the_panel_on_and_reports_every_bad_field_at_once,
);

async fn a_signed_in_user_of_the_product_answers_in_the_panel_and_counts_as_reached(app: TestApp) {
    app.set_up_admin().await;
    let (survey_id, key, secret) = survey_in_product(&app, "Dashboard filters").await;
    let before = ledger(&app).await;
    let shown = signed(&app, &key, &secret, "ada@example.org").await;
    assert_eq!(shown.status(), StatusCode::SEE_OTHER);
    assert_no_cookie(&shown);
    let page_path = location(&shown);
    assert!(
        page_path.starts_with("/s/") && page_path.ends_with("?embed=1"),
        "{page_path}"
    );
    assert_eq!(
        ledger(&app).await,
        (before.0 + 1, before.1 + 1),
        "contact and invitation made"
    );
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM invitations WHERE channel = 'in_product' \
             AND shown_at IS NOT NULL AND opened_at IS NULL AND queued_at IS NULL"
        )
        .await,
        1,
        "shown is noted; opened stays for links people chose to follow"
    );

    let page = app.get(&page_path).await;
    assert_eq!(page.status(), StatusCode::OK);
    assert_no_cookie(&page);
    let csp = page.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(csp.contains(&format!("frame-ancestors {ORIGIN}")), "{csp}");
    assert!(page.headers().get("x-frame-options").is_none());
    let html = page.text().await.unwrap();
    assert!(html.contains("class=\"respondent embedded\""), "{html}");
    assert!(html.contains("data-panel-close") && html.contains("/dismiss"));
    assert!(
        !html.contains("Soundings survey"),
        "the compact form starts with the survey"
    );

    let field = format!("q_{}", app.first_question(&survey_id).await);
    let answered = app.post_form(&page_path, &[(&field, "4")]).await;
    assert_eq!(answered.status(), StatusCode::SEE_OTHER);
    assert!(location(&answered).ends_with("?saved=1&embed=1"));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM invitations WHERE completed_in_product = 1 AND completed_at IS NOT NULL")
            .await,
        1
    );

    let (_, body) = app.call("get_survey", &[("survey_id", &survey_id)]).await;
    let detail: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(detail["funnel"]["shown"], 1);
    assert_eq!(detail["funnel"]["completed"], 1);
    assert_eq!(
        detail["funnel"]["unsent"], 0,
        "a panel invitation is never mailed unasked"
    );
    let (_, body) = app.call("get_results", &[("survey_id", &survey_id)]).await;
    let results: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        results["rate"]["delivered"], 1,
        "shown in the product counts as reached: {body}"
    );
    assert_eq!(results["rate"]["completed"], 1);
    assert_eq!(
        results["channels"],
        serde_json::json!({"email": [0, 0], "in_product": [1, 1]}),
        "the panel is its own channel: {body}"
    );
    let on = channel(&app, &survey_id).await;
    assert_eq!(on["counts"]["shown"], 1);
    assert_eq!(on["counts"]["completed"], 1);

    app.send_invitations(&survey_id).await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox").await,
        0,
        "no email for it"
    );
    let again = signed(&app, &key, &secret, "ada@example.org").await;
    assert_eq!(
        again.status(),
        StatusCode::NO_CONTENT,
        "answered: not shown again"
    );
}

async fn an_answer_in_the_panel_and_one_through_the_emailed_link_are_one_response(app: TestApp) {
    app.set_up_admin().await;
    let (survey_id, key, secret) = survey_in_product(&app, "Exports").await;
    let links = app.add_recipients(&survey_id, "grace@example.org").await;
    app.send_invitations(&survey_id).await;
    let emailed = path_of(&links[0].1);
    let shown = signed(&app, &key, &secret, "grace@example.org").await;
    assert_eq!(
        location(&shown),
        format!("{emailed}?embed=1"),
        "the same invitation"
    );
    let field = format!("q_{}", app.first_question(&survey_id).await);
    app.post_form(&location(&shown), &[(&field, "2")]).await;
    let page = app.get(&emailed).await.text().await.unwrap();
    assert!(
        page.contains("value=\"2\" checked") || page.contains("checked value=\"2\"") || {
            let at = page.find("value=\"2\"").unwrap();
            page[at..at + 40].contains("checked")
        },
        "the emailed link shows the answer given in the panel"
    );
    app.post_form(&emailed, &[(&field, "5")]).await;
    assert_eq!(app.count("SELECT COUNT(*) FROM responses").await, 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM invitations").await, 1);
    let score: i64 = sqlx::query_scalar("SELECT CAST(score AS BIGINT) FROM answers")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(score, 5, "the later answer replaced the first");
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM invitations WHERE channel = 'email' AND completed_in_product = 1"
        )
        .await,
        1,
        "invited by email, completed in the panel"
    );
    let (_, body) = app.call("get_results", &[("survey_id", &survey_id)]).await;
    let results: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        results["rate"]["delivered"], 1,
        "one person, reached twice: {body}"
    );
    assert_eq!(
        results["channels"],
        serde_json::json!({"email": [1, 0], "in_product": [1, 1]}),
        "reached by both, completed through the panel: {body}"
    );
    // Invited by email but not sent yet, then answered in the panel: no email follows.
    app.add_recipients(&survey_id, "zoe@example.org").await;
    let zoe = signed(&app, &key, &secret, "zoe@example.org").await;
    app.post_form(&location(&zoe), &[(&field, "4")]).await;
    app.send_invitations(&survey_id).await;
    let mailed =
        "SELECT COUNT(*) FROM outbox o JOIN invitations i ON i.invitation_id = o.invitation_id \
         JOIN contacts c ON c.contact_id = i.contact_id WHERE c.email = 'zoe@example.org'";
    assert_eq!(app.count(mailed).await, 0, "she answered already");
}

async fn a_forged_or_missing_signature_shows_nothing_and_records_nothing(app: TestApp) {
    app.set_up_admin().await;
    let (survey_id, key, secret) = survey_in_product(&app, "Search").await;
    app.add_recipients(&survey_id, "victim@example.org").await;
    let before = ledger(&app).await;
    let victim_signature = sign(&secret, "victim@example.org");
    let attempts = [
        // A host page (or anyone who read its HTML) swaps in another user's address.
        ("mallory@example.org", victim_signature.clone()),
        (
            "victim@example.org",
            sign("a guessed secret", "victim@example.org"),
        ),
        ("VICTIM@example.org", victim_signature.clone()),
        ("victim@example.org", victim_signature[..63].to_string()),
        ("victim@example.org", String::new()),
        ("", String::new()),
        ("not an address", sign(&secret, "not an address")),
    ];
    for (email, signature) in &attempts {
        let response = panel(&app, &key, email, signature).await;
        assert_eq!(
            response.status(),
            StatusCode::NO_CONTENT,
            "{email} / {signature}"
        );
        assert_no_cookie(&response);
    }
    let unknown = panel(&app, "no-such-key", "victim@example.org", &victim_signature).await;
    assert_eq!(unknown.status(), StatusCode::NO_CONTENT);
    assert_eq!(ledger(&app).await, before, "nothing was written");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM invitations WHERE shown_at IS NOT NULL")
            .await,
        0
    );

    set(&app, &survey_id, &[("switch", "renew")]).await;
    let renewed = channel(&app, &survey_id).await;
    let old_key = panel(&app, &key, "victim@example.org", &victim_signature).await;
    assert_eq!(
        old_key.status(),
        StatusCode::NO_CONTENT,
        "a renewed channel forgets the old key"
    );
    let new_key = renewed["key"].as_str().unwrap();
    let old_secret = panel(&app, new_key, "victim@example.org", &victim_signature).await;
    assert_eq!(
        old_secret.status(),
        StatusCode::NO_CONTENT,
        "and the old secret"
    );
    let good = sign(renewed["secret"].as_str().unwrap(), "victim@example.org");
    assert_eq!(
        panel(&app, new_key, "victim@example.org", &good)
            .await
            .status(),
        StatusCode::SEE_OTHER
    );

    set(&app, &survey_id, &[("switch", "off")]).await;
    assert_eq!(
        panel(&app, new_key, "victim@example.org", &good)
            .await
            .status(),
        StatusCode::NO_CONTENT,
        "off shows nothing"
    );
}

async fn unsubscribed_and_recently_asked_people_are_never_shown_the_panel(app: TestApp) {
    app.set_up_admin().await;
    let earlier = app.create_survey("Last month's survey").await;
    app.open_survey(&earlier).await;
    app.add_recipients(&earlier, "mailed@example.org, left@example.org")
        .await;
    app.send_invitations(&earlier).await;
    sqlx::query("UPDATE contacts SET unsubscribed_at = 1 WHERE email = 'left@example.org'")
        .execute(&app.db)
        .await
        .unwrap();
    let (_, first_key, first_secret) = survey_in_product(&app, "Panel one").await;
    let shown = signed(&app, &first_key, &first_secret, "seen@example.org").await;
    assert_eq!(shown.status(), StatusCode::SEE_OTHER);
    let (_, key, secret) = survey_in_product(&app, "Panel two").await;
    let before = ledger(&app).await;
    for (email, why) in [
        ("left@example.org", "unsubscribed"),
        (
            "mailed@example.org",
            "another survey's email within the quiet period",
        ),
        (
            "seen@example.org",
            "another survey's panel within the quiet period",
        ),
    ] {
        let response = panel(&app, &key, email, &sign(&secret, email)).await;
        assert_eq!(response.status(), StatusCode::NO_CONTENT, "{email}: {why}");
    }
    assert_eq!(ledger(&app).await, before);
    // And the other way round: the panel shown counts for the next survey's email.
    let next = app.create_survey("By email next").await;
    app.open_survey(&next).await;
    let page = app
        .post_form(
            &format!("/surveys/{next}/recipients"),
            &[("emails", "seen@example.org")],
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("sent a survey in the last 30 days"), "{page}");
    app.advance_clock(31 * 86_400);
    let later = signed(&app, &key, &secret, "mailed@example.org").await;
    assert_eq!(
        later.status(),
        StatusCode::SEE_OTHER,
        "after the quiet period"
    );
    let still = signed(&app, &key, &secret, "left@example.org").await;
    assert_eq!(
        still.status(),
        StatusCode::NO_CONTENT,
        "an unsubscribe has no end"
    );
}

async fn a_closed_panel_stays_away_for_its_snooze_but_the_link_still_opens(app: TestApp) {
    app.set_up_admin().await;
    let (survey_id, key, secret) = survey_in_product(&app, "Alerts").await;
    set(&app, &survey_id, &[("snooze_days", "3")]).await;
    let signature = sign(&secret, "lin@example.org");
    let shown = panel(&app, &key, "lin@example.org", &signature).await;
    let page = location(&shown);
    let token = page.trim_start_matches("/s/").trim_end_matches("?embed=1");
    let closed = app.post_form(&format!("/s/{token}/dismiss"), &[]).await;
    assert_eq!(closed.status(), StatusCode::OK);
    let csp = closed.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(csp.contains(&format!("frame-ancestors {ORIGIN}")), "{csp}");
    let html = closed.text().await.unwrap();
    assert!(
        html.contains("data-panel-closed") && html.contains("for 3 days"),
        "{html}"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM invitations WHERE dismissed_at IS NOT NULL")
            .await,
        1
    );
    let counts = channel(&app, &survey_id).await;
    assert_eq!(counts["counts"]["dismissed"], 1);

    assert_eq!(
        panel(&app, &key, "lin@example.org", &signature)
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    let query = query("lin@example.org", &signature);
    let link = app.get(&format!("/w/{key}/open?{query}")).await;
    assert_eq!(
        link.status(),
        StatusCode::SEE_OTHER,
        "a link the person chose still opens"
    );
    assert_eq!(location(&link), format!("/s/{token}"));
    app.advance_clock(3 * 86_400 + 1);
    assert_eq!(
        panel(&app, &key, "lin@example.org", &signature)
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    let unknown = app
        .post_form("/s/AAAAAAAAAAAAAAAAAAAAAAAA/dismiss", &[])
        .await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
}

async fn another_site_cannot_frame_the_survey_pages(app: TestApp) {
    app.set_up_admin().await;
    let plain = app.create_survey("Email only").await;
    app.open_survey(&plain).await;
    let links = app.add_recipients(&plain, "pat@example.org").await;
    // The compact form asked for by hand is no panel: it neither closes a panel nor counts
    // an answer as the panel's.
    let token = path_of(&links[0].1).trim_start_matches("/s/").to_string();
    let dismissed = app.post_form(&format!("/s/{token}/dismiss"), &[]).await;
    assert_eq!(dismissed.status(), StatusCode::NOT_FOUND);
    let field = format!("q_{}", app.first_question(&plain).await);
    app.post_form(&format!("/s/{token}?embed=1"), &[(&field, "5")])
        .await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM invitations WHERE completed_in_product = 1 OR dismissed_at IS NOT NULL")
            .await,
        0
    );
    let page = app.get(&path_of(&links[0].1)).await;
    let csp = page.headers()["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert_eq!(page.headers()["x-frame-options"], "DENY");

    let (survey_id, key, secret) = survey_in_product(&app, "In product").await;
    let shown = signed(&app, &key, &secret, "pat@example.org").await;
    let embedded = location(&shown);
    let framed = app.get(&embedded).await;
    let csp = framed.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    let ancestors = csp
        .split(';')
        .map(str::trim)
        .find(|d| d.starts_with("frame-ancestors"))
        .unwrap();
    assert_eq!(
        ancestors,
        format!("frame-ancestors {ORIGIN}"),
        "only the listed origin"
    );

    set(&app, &survey_id, &[("switch", "off")]).await;
    let after = app.get(&embedded).await;
    let csp = after.headers()["content-security-policy"].to_str().unwrap();
    assert!(
        csp.contains("frame-ancestors 'none'"),
        "turned off, framed by none: {csp}"
    );
    assert_eq!(after.headers()["x-frame-options"], "DENY");
}

async fn an_origin_that_would_rewrite_the_frame_policy_is_refused(app: TestApp) {
    app.set_up_admin().await;
    let (survey_id, _, _) = survey_in_product(&app, "Injection").await;
    for bad in [
        "https://evil.example; script-src *",
        "https://evil.example 'unsafe-inline'",
        "*",
        "https://evil.example/path",
    ] {
        let (status, body) = set(&app, &survey_id, &[("origins", bad), ("snooze_days", "0")]).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {body}");
        assert!(
            body.contains("origins") && body.contains("snooze_days"),
            "both reported: {body}"
        );
    }
    let on = channel(&app, &survey_id).await;
    assert_eq!(
        on["origins"],
        serde_json::json!([ORIGIN]),
        "nothing was saved"
    );
    assert_eq!(on["snooze_days"], 14);
}

async fn an_anonymous_survey_stays_anonymous_through_the_panel(app: TestApp) {
    app.set_up_admin().await;
    let (survey_id, key, secret) = survey_in_product(&app, "Anonymous pulse").await;
    sqlx::query("UPDATE surveys SET anonymity = 'anonymous' WHERE survey_id = $1")
        .bind(&survey_id)
        .execute(&app.db)
        .await
        .unwrap();
    let shown = signed(&app, &key, &secret, "kim@example.org").await;
    let page_path = location(&shown);
    let html = app.get(&page_path).await.text().await.unwrap();
    assert!(html.contains("stored without your name"), "{html}");
    let field = format!("q_{}", app.first_question(&survey_id).await);
    let sent = app.post_form(&page_path, &[(&field, "5")]).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM responses WHERE invitation_id IS NULL")
            .await,
        1,
        "the response is tied to no one"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM responses").await, 1);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM invitations WHERE completed_at % 86400 <> 0")
            .await,
        0,
        "the ledger keeps only the day"
    );
    let again = signed(&app, &key, &secret, "kim@example.org").await;
    assert_eq!(again.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM invitations WHERE shown_at % 86400 <> 0")
            .await,
        0,
        "only the day it was shown: exact times would order the panel's respondents"
    );
    let counts = channel(&app, &survey_id).await;
    assert_eq!(counts["counts"]["shown"], 1);
    assert_eq!(
        counts["counts"]["hidden"], true,
        "one person: who answered stays hidden"
    );
    assert_eq!(counts["counts"]["completed"], 0);
}

async fn viewers_see_neither_the_secret_nor_a_way_to_change_the_channel(app: TestApp) {
    app.set_up_admin().await;
    let (survey_id, _, _) = survey_in_product(&app, "Viewers").await;
    app.add_member("viewer@example.org", "viewer").await;
    app.sign_in("viewer@example.org", PASSWORD).await;
    let seen = channel(&app, &survey_id).await;
    assert!(seen["key"].is_string());
    assert!(seen["secret"].is_null(), "{seen}");
    let (status, _) = set(&app, &survey_id, &[("switch", "off")]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    app.sign_in(ADMIN_EMAIL, PASSWORD).await;
    assert!(
        channel(&app, &survey_id).await["key"].is_string(),
        "still on"
    );
}

async fn the_api_turns_the_panel_on_and_reports_every_bad_field_at_once(app: TestApp) {
    use crate::public_api::{api, token};
    app.set_up_admin().await;
    let survey_id = app.create_survey("Through the API").await;
    app.open_survey(&survey_id).await;
    let editor = token(&app, "editor").await;
    let viewer = token(&app, "viewer").await;
    let path = format!("/surveys/{survey_id}/in-product");
    let (status, body, _) = api(
        &app,
        "PUT",
        &path,
        Some(&editor),
        Some(serde_json::json!({
            "switch": "sideways", "origins": ["https://ok.example", "nope"], "snooze_days": 400
        })),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let blanks = serde_json::json!({"origins": vec![""; 11]});
    let (status, refused, _) = api(&app, "PUT", &path, Some(&editor), Some(blanks)).await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "eleven empty origins: {refused}"
    );
    let fields: Vec<&str> = body["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["switch", "origins", "snooze_days"], "{body}");
    let (status, body, _) = api(
        &app,
        "PUT",
        &path,
        Some(&editor),
        Some(serde_json::json!({
            "switch": "on", "origins": ["https://app.example.com"], "snooze_days": 7
        })),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["on"], true);
    assert!(body["secret"].as_str().unwrap().starts_with("sps_"));
    assert!(body["script_snippet"]
        .as_str()
        .unwrap()
        .contains("/widget.js"));
    assert_eq!(body["snooze_days"], 7);
    let (status, body, _) = api(&app, "GET", &path, Some(&viewer), None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body["secret"].is_null() && body["on"] == true, "{body}");
    let (status, _, _) = api(
        &app,
        "PUT",
        &path,
        Some(&viewer),
        Some(serde_json::json!({"switch": "off"})),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}
