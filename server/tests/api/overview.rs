//! The overview: the satisfaction baseline pooled over closed release surveys, each
//! release against the others, open surveys needing attention, and engagement.
use crate::helpers::{assert_close, on_both_backends, TestApp};
use serde_json::Value;

const DAY: i64 = 86_400;

/// A closed survey about `release`, closed `days_ago`, whose CSAT question got
/// `satisfied` answers of 5 and `unsatisfied` answers of 2, seeded straight into the
/// tables the baseline reads.
async fn closed_release(
    app: &TestApp,
    release: &str,
    days_ago: i64,
    satisfied: usize,
    unsatisfied: usize,
) {
    let survey_id = app.create_survey(&format!("About {release}")).await;
    let now = app::db::now();
    let release_id = format!("release-{release}");
    sqlx::query("INSERT INTO releases (release_id, name, created_at) VALUES ($1, $2, $3)")
        .bind(&release_id)
        .bind(release)
        .bind(now)
        .execute(&app.db)
        .await
        .unwrap();
    sqlx::query("UPDATE surveys SET release_id = $1, status = 'closed', closed_at = $2 WHERE survey_id = $3")
        .bind(&release_id).bind(now - days_ago * DAY).bind(&survey_id).execute(&app.db).await.unwrap();
    let question_id: String =
        sqlx::query_scalar("SELECT question_id FROM questions WHERE survey_id = $1")
            .bind(&survey_id)
            .fetch_one(&app.db)
            .await
            .unwrap();
    let scores = std::iter::repeat_n(5, satisfied).chain(std::iter::repeat_n(2, unsatisfied));
    for (i, score) in scores.enumerate() {
        let response_id = format!("{release}-{i}");
        sqlx::query(
            "INSERT INTO responses (response_id, survey_id, submitted_at, \
            updated_at, completed) VALUES ($1, $2, $3, $3, 1)",
        )
        .bind(&response_id)
        .bind(&survey_id)
        .bind(now)
        .execute(&app.db)
        .await
        .unwrap();
        sqlx::query("INSERT INTO answers (response_id, question_id, score) VALUES ($1, $2, $3)")
            .bind(&response_id)
            .bind(&question_id)
            .bind(score as i64)
            .execute(&app.db)
            .await
            .unwrap();
    }
}

/// An open survey to four people in three communities, sent three days ago; one answered.
async fn lagging_open_survey(app: &TestApp) -> String {
    for (name, tier) in [
        ("North", "tier-essential"),
        ("South", "tier-essential"),
        ("Lakeside", "tier-enterprise"),
    ] {
        app.add_community(name, tier).await;
    }
    for (who, community) in [
        ("n1", "North"),
        ("s1", "South"),
        ("e1", "Lakeside"),
        ("e2", "Lakeside"),
    ] {
        app.add_contact(&format!("{who}@example.org"), who, community)
            .await;
    }
    let survey_id = app.create_survey("Search beta").await;
    app.open_survey(&survey_id).await;
    app.add_recipients(
        &survey_id,
        "n1@example.org\ns1@example.org\ne1@example.org\ne2@example.org",
    )
    .await;
    let now = app::db::now();
    sqlx::query("UPDATE surveys SET reminder_days = '' WHERE survey_id = $1")
        .bind(&survey_id)
        .execute(&app.db)
        .await
        .unwrap();
    sqlx::query("UPDATE invitations SET sent_at = $1")
        .bind(now - 3 * DAY)
        .execute(&app.db)
        .await
        .unwrap();
    sqlx::query(
        "UPDATE invitations SET completed_at = $1 \
        WHERE contact_id = (SELECT contact_id \
        FROM contacts WHERE email = 'n1@example.org')",
    )
    .bind(now - DAY)
    .execute(&app.db)
    .await
    .unwrap();
    survey_id
}

async fn dashboard(app: &TestApp) -> Value {
    let (status, body) = app.call("get_dashboard", &[]).await;
    assert!(status.is_success(), "{status}: {body}");
    serde_json::from_str(&body).unwrap()
}

on_both_backends!(
    the_baseline_pools_the_releases_and_places_each_against_the_others,
    an_open_survey_below_the_expected_rate_needs_attention_and_engagement_counts_communities,
);

async fn the_baseline_pools_the_releases_and_places_each_against_the_others(app: TestApp) {
    app.set_up_admin().await;
    closed_release(&app, "Storage 2.0", 30, 36, 4).await;
    closed_release(&app, "Search 1.0", 90, 30, 30).await;
    closed_release(&app, "Ancient", 400, 1, 9).await;
    let d = dashboard(&app).await;
    let csat = &d["baseline"]["csat"];
    // 66 satisfied of 100 answers; statsmodels' Wilson interval: 56.2777 to 74.5385.
    assert_close(&csat["estimate"]["value"], 66.0);
    assert_close(&csat["estimate"]["low"], 56.2777);
    assert_close(&csat["estimate"]["high"], 74.5385);
    assert_eq!(
        (csat["answers"].as_i64(), csat["surveys"].as_i64()),
        (Some(100), Some(2)),
        "outside the 12 months: left out"
    );
    let releases = d["baseline"]["releases"].as_array().unwrap();
    assert_eq!(releases.len(), 2);
    assert_eq!(
        (
            releases[0]["release"].as_str(),
            releases[0]["csat"]["against_others"].as_str()
        ),
        (Some("Storage 2.0"), Some("Above"))
    );
    assert_eq!(
        (
            releases[1]["release"].as_str(),
            releases[1]["csat"]["against_others"].as_str()
        ),
        (Some("Search 1.0"), Some("Below"))
    );
    assert!(d["baseline"]["nps"].is_null(), "no NPS question anywhere");
    let page = app.get("/overview").await.text().await.unwrap();
    assert!(
        page.contains("class=\"interval-plot\"")
            && page.contains("dot dot-above")
            && page.contains("dot dot-below"),
        "{page}"
    );
}

async fn an_open_survey_below_the_expected_rate_needs_attention_and_engagement_counts_communities(
    app: TestApp,
) {
    app.set_up_admin().await;
    lagging_open_survey(&app).await;
    let d = dashboard(&app).await;
    assert_eq!(
        (
            d["expected_rate"].as_f64(),
            d["expected_from_history"].as_bool()
        ),
        (Some(30.0), Some(false))
    );
    let open = &d["open"][0];
    assert_eq!(
        (open["delivered"].as_i64(), open["completed"].as_i64()),
        (Some(4), Some(1))
    );
    assert_close(&open["rate"], 25.0);
    assert_eq!(
        (
            open["needs_attention"].as_bool(),
            open["remindable"].as_i64()
        ),
        (Some(true), Some(3))
    );
    let e = &d["engagement"];
    assert_eq!(
        (e["engaged"].as_i64(), e["communities"].as_i64()),
        (Some(1), Some(3))
    );
    assert_eq!(
        e["by_tier"],
        serde_json::json!([
            ["Essential", 1, 2],
            ["Professional", 0, 0],
            ["Enterprise", 0, 1]
        ])
    );
    assert_eq!(
        e["trend"],
        serde_json::json!([[3, 0], [2, 0], [1, 0], [0, 1]])
    );
    let page = app.get("/overview").await.text().await.unwrap();
    assert!(
        page.contains("Below expected rate") && page.contains("Remind 3 now"),
        "{page}"
    );
}
