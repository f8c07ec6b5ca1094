//! The survey page's recipients table: fifty at a time, searchable, filterable by status,
//! community and tier, with counts that agree with what each filter lists.
use crate::helpers::{on_both_backends, path_of, TestApp, PASSWORD};
use reqwest::StatusCode;
use serde_json::Value;

on_both_backends!(
    the_table_pages_fifty_at_a_time_in_address_order_with_no_one_lost_or_repeated,
    a_search_finds_people_by_name_or_address_ignoring_case_and_taking_wildcards_literally,
    each_status_filter_lists_exactly_as_many_people_as_its_count_says,
    community_and_tier_filters_narrow_the_rows_and_the_counts,
    an_unknown_status_community_tier_or_page_is_refused_with_a_message_for_its_field,
    a_viewer_or_anyone_reading_an_anonymous_survey_cannot_narrow_the_table_to_who_answered,
    the_watch_step_lists_a_page_of_recipients_without_javascript,
    dates_on_the_team_pages_are_the_teams_own_day,
);

/// One page of the table as the page's server function returns it.
async fn page(app: &TestApp, survey_id: &str, fields: &[(&str, &str)]) -> (StatusCode, Value) {
    let mut all = vec![("survey_id", survey_id)];
    all.extend_from_slice(fields);
    let (status, body) = app.call("list_recipients", &all).await;
    (
        status,
        serde_json::from_str(&body).unwrap_or(Value::String(body)),
    )
}

fn emails(page: &Value) -> Vec<String> {
    page["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["email"].as_str().unwrap().to_string())
        .collect()
}

fn counts(page: &Value) -> Vec<(String, i64)> {
    page["counts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c[0].as_str().unwrap().to_string(), c[1].as_i64().unwrap()))
        .collect()
}

/// An open survey with `emails` added through the paste form; returns its id and links.
async fn survey_with(app: &TestApp, emails: &str) -> (String, Vec<(String, String)>) {
    let survey_id = app.create_survey("Storage").await;
    app.open_survey(&survey_id).await;
    let links = app.add_recipients(&survey_id, emails).await;
    (survey_id, links)
}

async fn the_table_pages_fifty_at_a_time_in_address_order_with_no_one_lost_or_repeated(
    app: TestApp,
) {
    app.set_up_admin().await;
    // Added in reverse, so address order is the table's own doing.
    let people: Vec<String> = (0..120)
        .rev()
        .map(|i| format!("person{i:03}@example.org"))
        .collect();
    let (survey_id, _) = survey_with(&app, &people.join("\n")).await;
    let mut seen = Vec::new();
    let mut sizes = Vec::new();
    let mut after = String::new();
    loop {
        let (status, body) = page(&app, &survey_id, &[("after", &after)]).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["matching"], 120);
        assert_eq!(body["total"], 120);
        sizes.push(body["rows"].as_array().unwrap().len());
        seen.extend(emails(&body));
        match body["next"].as_str() {
            Some(next) => after = next.to_string(),
            None => break,
        }
    }
    assert_eq!(sizes, [50, 50, 20]);
    let mut expected = people.clone();
    expected.sort();
    assert_eq!(seen, expected, "every person once, in address order");
}

async fn a_search_finds_people_by_name_or_address_ignoring_case_and_taking_wildcards_literally(
    app: TestApp,
) {
    app.set_up_admin().await;
    app.add_community("Lakeside", "tier-enterprise").await;
    app.add_contact("ada@example.org", "Ada Lovelace", "Lakeside")
        .await;
    app.add_contact("grace@example.org", "Grace Hopper", "Lakeside")
        .await;
    app.add_contact("lovelace.fan@example.org", "Charles", "Lakeside")
        .await;
    let (survey_id, _) = survey_with(
        &app,
        "ada@example.org\ngrace@example.org\nlovelace.fan@example.org\nbob_x@example.org",
    )
    .await;
    let found = |search: &'static str| {
        let (app, survey_id) = (&app, survey_id.clone());
        async move {
            let (status, body) = page(app, &survey_id, &[("search", search)]).await;
            assert_eq!(status, StatusCode::OK, "{body}");
            (emails(&body), body["matching"].as_i64().unwrap())
        }
    };
    assert_eq!(
        found("LOVELACE").await,
        (
            vec![
                "ada@example.org".to_string(),
                "lovelace.fan@example.org".into()
            ],
            2
        ),
        "by name and by address"
    );
    assert_eq!(found("  grace ").await.0, ["grace@example.org"]);
    assert_eq!(found("b_x").await.0, ["bob_x@example.org"], "_ is a letter");
    assert_eq!(found("a_a").await.1, 0, "_ is not a wildcard");
    assert_eq!(found("%").await.1, 0, "% is not a wildcard");
    assert_eq!(found("").await.1, 4);
}

/// Seven people, each left in a different place: returns the survey id.
async fn survey_with_every_status(app: &TestApp) -> String {
    let people = [
        "completed@example.org",
        "opened@example.org",
        "sent@example.org",
        "bounced@example.org",
        "unsubscribed@example.org",
        "waiting@example.org",
    ];
    let (survey_id, links) = survey_with(app, &people.join("\n")).await;
    app.send_invitations(&survey_id).await;
    let question_id = app.first_question(&survey_id).await;
    let link = &links
        .iter()
        .find(|(e, _)| e == "completed@example.org")
        .unwrap()
        .1;
    let answered = app
        .post_form(&path_of(link), &[(&format!("q_{question_id}"), "4")])
        .await;
    assert_eq!(answered.status(), StatusCode::SEE_OTHER);
    let contact =
        |email: &str| format!("(SELECT contact_id FROM contacts WHERE email = '{email}')");
    for sql in [
        format!(
            "UPDATE invitations SET opened_at = 1796500000 WHERE contact_id = {}",
            contact("opened@example.org")
        ),
        format!(
            "UPDATE invitations SET bounced_at = 1796500000, delivery_error = '550 no such user' WHERE contact_id = {}",
            contact("bounced@example.org")
        ),
        "UPDATE contacts SET unsubscribed_at = 1796500000 WHERE email = 'unsubscribed@example.org'"
            .to_string(),
        format!(
            "UPDATE invitations SET sent_at = NULL, queued_at = 1796500000 WHERE contact_id = {}",
            contact("waiting@example.org")
        ),
    ] {
        sqlx::query(&sql).execute(&app.db).await.unwrap();
    }
    // And one more, added after the send: not sent.
    app.add_recipients(&survey_id, "later@example.org").await;
    survey_id
}

async fn each_status_filter_lists_exactly_as_many_people_as_its_count_says(app: TestApp) {
    app.set_up_admin().await;
    let survey_id = survey_with_every_status(&app).await;
    let (_, all) = page(&app, &survey_id, &[]).await;
    assert_eq!(
        counts(&all),
        [
            ("NotSent".to_string(), 2),
            ("Sent".into(), 1),
            ("Opened".into(), 1),
            ("Completed".into(), 1),
            ("Bounced".into(), 1),
            ("Unsubscribed".into(), 1),
        ]
    );
    let expected = [
        ("not_sent", vec!["later@example.org", "waiting@example.org"]),
        ("sent", vec!["sent@example.org"]),
        ("opened", vec!["opened@example.org"]),
        ("completed", vec!["completed@example.org"]),
        ("bounced", vec!["bounced@example.org"]),
        ("unsubscribed", vec!["unsubscribed@example.org"]),
    ];
    for (status, people) in expected {
        let (code, body) = page(&app, &survey_id, &[("status", status)]).await;
        assert_eq!(code, StatusCode::OK, "{body}");
        assert_eq!(emails(&body), people, "{status}");
        assert_eq!(body["matching"], people.len(), "{status}");
    }
    let (_, bounced) = page(&app, &survey_id, &[("status", "bounced")]).await;
    assert_eq!(bounced["rows"][0]["delivery_error"], "550 no such user");
    let (_, completed) = page(&app, &survey_id, &[("status", "completed")]).await;
    assert!(completed["rows"][0]["completed_at"].is_i64());
}

async fn community_and_tier_filters_narrow_the_rows_and_the_counts(app: TestApp) {
    app.set_up_admin().await;
    app.add_community("Lakeside", "tier-enterprise").await;
    app.add_community("North", "tier-essential").await;
    for (email, community) in [
        ("l1@example.org", "Lakeside"),
        ("l2@example.org", "Lakeside"),
        ("n1@example.org", "North"),
    ] {
        app.add_contact(email, email, community).await;
    }
    let (survey_id, _) = survey_with(
        &app,
        "l1@example.org\nl2@example.org\nn1@example.org\nloner@example.org",
    )
    .await;
    let (_, all) = page(&app, &survey_id, &[]).await;
    let lakeside = all["communities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c[1] == "Lakeside")
        .unwrap()[0]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(all["tiers"].as_array().unwrap().len(), 2, "{all}");
    let (_, by_community) = page(&app, &survey_id, &[("community", &lakeside)]).await;
    assert_eq!(emails(&by_community), ["l1@example.org", "l2@example.org"]);
    assert_eq!(counts(&by_community)[0], ("NotSent".to_string(), 2));
    let (_, by_tier) = page(&app, &survey_id, &[("tier", "tier-essential")]).await;
    assert_eq!(emails(&by_tier), ["n1@example.org"]);
    assert_eq!(by_tier["matching"], 1);
    assert_eq!(by_tier["total"], 4, "the survey's own total stays");
    assert_eq!(
        by_tier["rows"][0]["community"], "North",
        "rows name their community"
    );
}

async fn an_unknown_status_community_tier_or_page_is_refused_with_a_message_for_its_field(
    app: TestApp,
) {
    app.set_up_admin().await;
    let (survey_id, _) = survey_with(&app, "ada@example.org").await;
    for (field, value) in [
        ("status", "answered"),
        ("community", "00000000-0000-0000-0000-000000000000"),
        ("tier", "tier-nowhere"),
        ("after", "garbled"),
        ("search", &"x".repeat(101)),
    ] {
        let (status, body) = page(&app, &survey_id, &[(field, value)]).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{field}: {body}");
        assert!(body.to_string().contains(field), "{field}: {body}");
    }
    let (status, _) = page(&app, "3f1c2b9e-0000-4000-8000-000000000000", &[]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

async fn a_viewer_or_anyone_reading_an_anonymous_survey_cannot_narrow_the_table_to_who_answered(
    app: TestApp,
) {
    app.set_up_admin().await;
    let survey_id = survey_with_every_status(&app).await;
    let hidden = |body: &Value| {
        assert_eq!(body["shows_who_answered"], false);
        let statuses: Vec<String> = counts(body).into_iter().map(|(s, _)| s).collect();
        assert_eq!(
            statuses,
            ["NotSent", "Sent", "Bounced", "Unsubscribed"],
            "no count of who opened or answered"
        );
        assert!(
            body["rows"]
                .as_array()
                .unwrap()
                .iter()
                .all(|r| r["completed_at"].is_null()
                    && r["status"] != "Completed"
                    && r["status"] != "Opened"),
            "{body}"
        );
    };
    // The survey made anonymous, as an editor reads it.
    sqlx::query("UPDATE surveys SET anonymity = 'anonymous'")
        .execute(&app.db)
        .await
        .unwrap();
    let (_, body) = page(&app, &survey_id, &[]).await;
    hidden(&body);
    let (_, sent) = page(&app, &survey_id, &[("status", "sent")]).await;
    assert_eq!(
        emails(&sent),
        [
            "completed@example.org",
            "opened@example.org",
            "sent@example.org"
        ],
        "whoever answered is one of those sent the survey"
    );
    for status in ["completed", "opened"] {
        let (code, _) = page(&app, &survey_id, &[("status", status)]).await;
        assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY, "{status}");
    }
    // An identified survey, as a viewer reads it.
    sqlx::query("UPDATE surveys SET anonymity = 'identified'")
        .execute(&app.db)
        .await
        .unwrap();
    app.add_member("viewer@example.org", "viewer").await;
    app.sign_in("viewer@example.org", PASSWORD).await;
    let (status, body) = page(&app, &survey_id, &[]).await;
    assert_eq!(status, StatusCode::OK);
    hidden(&body);
    let (code, _) = page(&app, &survey_id, &[("status", "completed")]).await;
    assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY);
}

async fn the_watch_step_lists_a_page_of_recipients_without_javascript(app: TestApp) {
    app.set_up_admin().await;
    let people: Vec<String> = (0..60).map(|i| format!("p{i:02}@example.org")).collect();
    let (survey_id, _) = survey_with(&app, &people.join("\n")).await;
    let html = app
        .get(&format!("/surveys/{survey_id}/watch?search=p0"))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("p09@example.org") && !html.contains("p10@example.org"));
    assert!(
        html.contains("Showing 10 of 10 recipients matching"),
        "{html}"
    );
    let first = app
        .get(&format!("/surveys/{survey_id}/watch"))
        .await
        .text()
        .await
        .unwrap();
    assert!(first.contains("p49@example.org") && !first.contains("p50@example.org"));
    assert!(first.contains("rel=\"next\""), "a link to the next fifty");
    // The survey's own address opens an open survey on Watch, a draft on Build.
    let own = app
        .get(&format!("/surveys/{survey_id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        own.contains(
            "href=\"/surveys/{survey_id}/watch\" aria-current=\"page\""
                .replace("{survey_id}", &survey_id)
                .as_str()
        ),
        "{own}"
    );
    let draft = app.create_survey("Draft").await;
    let built = app
        .get(&format!("/surveys/{draft}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(built.contains(&format!(
        "href=\"/surveys/{draft}/build\" aria-current=\"page\""
    )));
}

async fn dates_on_the_team_pages_are_the_teams_own_day(app: TestApp) {
    // nextest runs each test in its own process, and the app reads this when it starts.
    std::env::set_var("TEST_TEAM_TIME_ZONE", "Pacific/Auckland");
    let app = app.spawn_sharing(None).await;
    // Saturday 12:30 in UTC is already Sunday 01:30 in Auckland (summer time, UTC+13).
    let target = 1_799_497_800; // 2027-01-09T12:30:00Z
    app.advance_clock(target - app.clock.now());
    app.set_up_admin().await;
    let (survey_id, _) = survey_with(&app, "ada@example.org").await;
    // The pages' hydration markers (`<!---->`) are not part of what a person reads.
    let text = |html: String| html.replace("<!---->", "");
    let list = text(app.get("/surveys").await.text().await.unwrap());
    assert!(list.contains("<td>2027-01-10</td>"), "{list}");
    assert!(!list.contains("2027-01-09"), "{list}");
    let watch = text(
        app.get(&format!("/surveys/{survey_id}/watch"))
            .await
            .text()
            .await
            .unwrap(),
    );
    assert!(watch.contains("Created 2027-01-10"), "{watch}");
    assert!(
        watch.contains("<td data-label=\"Invited\">2027-01-10</td>"),
        "invited on Auckland's Sunday"
    );
}
