//! Tiers and communities kept in step by a script: `/api/v1/tiers` and
//! `/api/v1/communities` read, add, rename and move them as lists, all or nothing.
use crate::helpers::{on_both_backends, TestApp};
use crate::public_api::{api, token};
use reqwest::StatusCode;
use serde_json::{json, Value};

on_both_backends!(
    a_crm_sync_adds_three_hundred_communities_in_one_list_and_sending_it_again_changes_nothing,
    communities_are_renamed_by_id_and_moved_to_a_tier_and_time_zone,
    one_refused_entry_writes_nothing_and_names_the_entry_and_field,
    tiers_are_added_renamed_and_swapped_in_one_list_and_never_more_than_twelve,
    a_viewer_token_reads_the_directory_but_cannot_change_it,
);

async fn communities_listed(app: &TestApp, token: &str) -> Vec<Value> {
    let mut items = Vec::new();
    let mut cursor = String::new();
    loop {
        let path = format!("/communities?limit=100&cursor={cursor}");
        let (status, page, _) = api(app, "GET", &path, Some(token), None).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        items.extend(page["items"].as_array().unwrap().iter().cloned());
        match page["next_cursor"].as_str() {
            Some(next) => cursor = next.to_string(),
            None => return items,
        }
    }
}

fn counts(out: &Value) -> (i64, i64, i64, i64) {
    (
        out["created"].as_i64().unwrap(),
        out["updated"].as_i64().unwrap(),
        out["unchanged"].as_i64().unwrap(),
        out["tiers_created"].as_i64().unwrap(),
    )
}

async fn a_crm_sync_adds_three_hundred_communities_in_one_list_and_sending_it_again_changes_nothing(
    app: TestApp,
) {
    app.set_up_admin().await;
    let editor = token(&app, "editor").await;
    let tiers = ["Essential", "Professional", "Enterprise", "Partner"];
    let list: Vec<Value> = (0..300)
        .map(|i| json!({"name": format!("Org {i:03}"), "tier": tiers[i % 4], "time_zone": "Europe/Berlin"}))
        .collect();
    let body = json!({ "communities": list });
    let (status, out, _) = api(
        &app,
        "PUT",
        "/communities",
        Some(&editor),
        Some(body.clone()),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{out}");
    assert_eq!(counts(&out), (300, 0, 0, 1), "Partner is the one new tier");
    let listed = communities_listed(&app, &editor).await;
    assert_eq!(listed.len(), 300);
    assert_eq!(
        (
            listed[5]["name"].as_str(),
            listed[5]["tier"].as_str(),
            listed[5]["time_zone"].as_str()
        ),
        (Some("Org 005"), Some("Professional"), Some("Europe/Berlin"))
    );
    let (status, out, _) = api(&app, "PUT", "/communities", Some(&editor), Some(body)).await;
    assert_eq!(status, StatusCode::OK, "{out}");
    assert_eq!(
        counts(&out),
        (0, 0, 300, 0),
        "the same list again is a no-op"
    );
    let (_, tiers_out, _) = api(&app, "GET", "/tiers", Some(&editor), None).await;
    let names: Vec<(&str, i64)> = tiers_out["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["name"].as_str().unwrap(),
                t["communities"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        names,
        [
            ("Essential", 75),
            ("Professional", 75),
            ("Enterprise", 75),
            ("Partner", 75)
        ],
        "a tier a community named is added after the others"
    );
}

async fn communities_are_renamed_by_id_and_moved_to_a_tier_and_time_zone(app: TestApp) {
    app.set_up_admin().await;
    app.add_community("North", "tier-essential").await;
    app.add_community("South", "tier-essential").await;
    app.add_contact("n1@example.org", "N One", "North").await;
    let editor = token(&app, "editor").await;
    let listed = communities_listed(&app, &editor).await;
    let id_of = |name: &str| {
        listed
            .iter()
            .find(|c| c["name"] == name)
            .map(|c| c["id"].as_str().unwrap().to_string())
            .unwrap()
    };
    let (north, south) = (id_of("North"), id_of("South"));
    // A swap of two names in one list: each is first moved aside, so no name clashes.
    let body = json!({"communities": [
        {"id": north, "name": "South", "tier": "enterprise", "time_zone": "Australia/Sydney"},
        {"id": south, "name": "North"},
        {"name": "south", "time_zone": ""}
    ]});
    let (status, out, _) = api(&app, "PUT", "/communities", Some(&editor), Some(body)).await;
    assert_eq!(status, StatusCode::OK, "{out}");
    assert_eq!(
        counts(&out),
        (0, 2, 0, 0),
        "two communities changed, one of them twice"
    );
    let listed = communities_listed(&app, &editor).await;
    let renamed = listed.iter().find(|c| c["id"] == north.as_str()).unwrap();
    assert_eq!(
        (
            renamed["name"].as_str(),
            renamed["tier"].as_str(),
            renamed["time_zone"].as_str(),
            renamed["contacts"].as_i64()
        ),
        (Some("South"), Some("Enterprise"), Some(""), Some(1)),
        "renamed, moved, its contact kept; the by-name edit met the new name and cleared the zone"
    );
}

async fn one_refused_entry_writes_nothing_and_names_the_entry_and_field(app: TestApp) {
    app.set_up_admin().await;
    app.add_community("North", "tier-essential").await;
    let editor = token(&app, "editor").await;
    let before = app.count("SELECT COUNT(*) FROM communities").await;
    let body = json!({"communities": [
        {"name": "Fine", "tier": "Essential"},
        {"name": "Needs a tier"},
        {"name": "Elsewhere", "tier": "Essential", "time_zone": "Mars/Olympus"},
        {"name": "FINE", "tier": "Essential"},
        {"id": "no-such-id", "name": "Ghost"}
    ]});
    let (status, out, _) = api(&app, "PUT", "/communities", Some(&editor), Some(body)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{out}");
    let fields: Vec<&str> = out["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["field"].as_str().unwrap())
        .collect();
    for expected in [
        "communities[1].tier",
        "communities[2].time_zone",
        "communities[3].name",
        "communities[4].id",
    ] {
        assert!(fields.contains(&expected), "{expected} in {out}");
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM communities").await,
        before,
        "nothing half-applied"
    );
    let (status, out, _) = api(
        &app,
        "PUT",
        "/communities",
        Some(&editor),
        Some(json!({"communities": []})),
    )
    .await;
    assert_eq!(
        (status, out["details"][0]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("communities"))
    );
}

async fn tiers_are_added_renamed_and_swapped_in_one_list_and_never_more_than_twelve(app: TestApp) {
    app.set_up_admin().await;
    let editor = token(&app, "editor").await;
    let body = json!({"tiers": [
        {"id": "tier-essential", "name": "Professional"},
        {"id": "tier-professional", "name": "Essential"},
        {"name": "Partner"},
        {"name": "enterprise"}
    ]});
    let (status, out, _) = api(&app, "PUT", "/tiers", Some(&editor), Some(body)).await;
    assert_eq!(status, StatusCode::OK, "{out}");
    assert_eq!(counts(&out), (1, 2, 1, 0), "{out}");
    let (_, listed, _) = api(&app, "GET", "/tiers", Some(&editor), None).await;
    let tiers: Vec<(&str, &str)> = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["id"].as_str().unwrap(), t["name"].as_str().unwrap()))
        .collect();
    assert_eq!(
        &tiers[..3],
        &[
            ("tier-essential", "Professional"),
            ("tier-professional", "Essential"),
            ("tier-enterprise", "Enterprise")
        ]
    );
    assert_eq!(tiers[3].1, "Partner");
    let clash = json!({"tiers": [{"id": "tier-enterprise", "name": "partner"}]});
    let (status, out, _) = api(&app, "PUT", "/tiers", Some(&editor), Some(clash)).await;
    assert_eq!(
        (status, out["details"][0]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("tiers[0].name")),
        "{out}"
    );
    let many: Vec<Value> = (0..9)
        .map(|i| json!({"name": format!("Extra {i}")}))
        .collect();
    let (status, out, _) = api(
        &app,
        "PUT",
        "/tiers",
        Some(&editor),
        Some(json!({"tiers": many})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{out}");
    assert!(
        out["details"][0]["message"]
            .as_str()
            .unwrap()
            .contains("At most 12 tiers"),
        "{out}"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM tiers").await,
        4,
        "nothing half-applied"
    );
}

async fn a_viewer_token_reads_the_directory_but_cannot_change_it(app: TestApp) {
    app.set_up_admin().await;
    let viewer = token(&app, "viewer").await;
    let (status, _, _) = api(&app, "GET", "/tiers", Some(&viewer), None).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _, _) = api(
        &app,
        "PUT",
        "/tiers",
        Some(&viewer),
        Some(json!({"tiers": [{"name": "Sneaky"}]})),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, _) = api(
        &app,
        "PUT",
        "/communities",
        Some(&viewer),
        Some(json!({"communities": [{"name": "Sneaky", "tier": "Essential"}]})),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(app.count("SELECT COUNT(*) FROM tiers").await, 3);
}
