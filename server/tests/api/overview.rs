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
    a_year_of_twelve_releases_each_in_two_audiences_gives_twelve_rows_labelled_as_computed_by_hand,
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
        (csat["answers"].as_i64(), csat["releases"].as_i64()),
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
    // Engagement: of the three communities sent an invitation, one answered; the share
    // has the Wilson interval of 1 in 3 (z = 1.96, no finite population correction).
    let e = &d["engagement"];
    assert_eq!(
        (
            e["overall"]["engaged"].as_i64(),
            e["overall"]["invited"].as_i64()
        ),
        (Some(1), Some(3))
    );
    let (p, n, z) = (1.0 / 3.0, 3.0, 1.96_f64);
    let centre = (p + z * z / (2.0 * n)) / (1.0 + z * z / n);
    let spread = z / (1.0 + z * z / n) * (p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt();
    assert_close(&e["overall"]["estimate"]["value"], 100.0 / 3.0);
    assert_close(&e["overall"]["estimate"]["low"], 100.0 * (centre - spread));
    assert_close(&e["overall"]["estimate"]["high"], 100.0 * (centre + spread));
    let tiers: Vec<(String, i64, i64)> = e["by_tier"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t[0].as_str().unwrap().to_string(),
                t[1]["engaged"].as_i64().unwrap(),
                t[1]["invited"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        tiers,
        [
            ("Essential".to_string(), 1, 2),
            ("Professional".into(), 0, 0),
            ("Enterprise".into(), 0, 1)
        ]
    );
    assert_eq!(
        e["by_tier"][1][1]["estimate"],
        Value::Null,
        "nobody was invited"
    );
    let page = app.get("/overview").await.text().await.unwrap();
    assert!(
        page.contains("Below expected rate") && page.contains("Remind 3 now"),
        "{page}"
    );
}

/// A survey about a release seeded straight into the tables: a CSAT, an NPS and a CES
/// question, and completed responses answering each with the given (score, count)s.
struct Seeded<'a> {
    release_id: &'a str,
    status: &'a str,
    closed_at: Option<i64>,
    csat: Vec<(i64, usize)>,
    nps: Vec<(i64, usize)>,
    ces: Vec<(i64, usize)>,
}

async fn seed_survey(app: &TestApp, key: &str, seeded: Seeded<'_>) {
    let now = app.clock.now();
    let survey_id = uuid::Uuid::new_v4().to_string();
    sqlx::query(
        "INSERT INTO surveys (survey_id, title, status, created_at, opened_at, closed_at, release_id) \
         VALUES ($1, $2, $3, $4, $4, $5, $6)",
    )
    .bind(&survey_id)
    .bind(format!("Survey {key}"))
    .bind(seeded.status)
    .bind(now - 400 * DAY)
    .bind(seeded.closed_at)
    .bind(seeded.release_id)
    .execute(&app.db)
    .await
    .unwrap();
    let mut response = 0;
    for (position, (kind, scores)) in [
        ("csat", &seeded.csat),
        ("nps", &seeded.nps),
        ("ces", &seeded.ces),
    ]
    .into_iter()
    .enumerate()
    {
        let question_id = format!("{key}-{kind}");
        sqlx::query(
            "INSERT INTO questions (question_id, survey_id, position, kind, prompt) \
             VALUES ($1, $2, $3, $4, 'How was it?')",
        )
        .bind(&question_id)
        .bind(&survey_id)
        .bind(position as i64)
        .bind(kind)
        .execute(&app.db)
        .await
        .unwrap();
        for &(score, count) in scores {
            for _ in 0..count {
                response += 1;
                let response_id = format!("{key}-r{response}");
                sqlx::query(
                    "INSERT INTO responses (response_id, survey_id, submitted_at, updated_at, completed) \
                     VALUES ($1, $2, $3, $3, 1)",
                )
                .bind(&response_id)
                .bind(&survey_id)
                .bind(now)
                .execute(&app.db)
                .await
                .unwrap();
                sqlx::query(
                    "INSERT INTO answers (response_id, question_id, score) VALUES ($1, $2, $3)",
                )
                .bind(&response_id)
                .bind(&question_id)
                .bind(score)
                .execute(&app.db)
                .await
                .unwrap();
            }
        }
    }
}

/// The label the product's definition gives, computed here without the app's code: a
/// two-proportion z-test with pooled variance for a share, at 95% (z = 1.959964).
fn share_label(own: (f64, f64), others: (f64, f64)) -> &'static str {
    let (p1, p0) = (own.0 / own.1, others.0 / others.1);
    let pooled = (own.0 + others.0) / (own.1 + others.1);
    let z = (p1 - p0) / (pooled * (1.0 - pooled) * (1.0 / own.1 + 1.0 / others.1)).sqrt();
    label_of(z)
}

/// NPS: a z-test on the difference, each side's variance (p+ + p- - (p+ - p-)^2) / n.
fn nps_label(own: (f64, f64, f64), others: (f64, f64, f64)) -> &'static str {
    let side = |(p, m, d): (f64, f64, f64)| {
        let n = p + m + d;
        let (pp, pd) = (p / n, d / n);
        (pp - pd, (pp + pd - (pp - pd).powi(2)) / n)
    };
    let ((s1, v1), (s0, v0)) = (side(own), side(others));
    label_of((s1 - s0) / (v1 + v0).sqrt())
}

fn label_of(z: f64) -> &'static str {
    if z > 1.959964 {
        "Above"
    } else if z < -1.959964 {
        "Below"
    } else {
        "NotDistinguishable"
    }
}

async fn a_year_of_twelve_releases_each_in_two_audiences_gives_twelve_rows_labelled_as_computed_by_hand(
    app: TestApp,
) {
    app.set_up_admin().await;
    let now = app.clock.now();
    // Release i: CSAT satisfied (5) of 40 per audience, NPS promoters and detractors of
    // 30, CES easy (6) of 20, spread so some releases stand out and most do not.
    let csat_x = |i: i64, a: i64| 14 + 2 * i + 2 * a;
    let nps_pd = |i: i64, a: i64| (8 + i + a, 12 - i / 2);
    let ces_x = |i: i64, a: i64| 8 + (i * 5) % 11 + a;
    let mut expected = Vec::new();
    let (mut tc, mut tn, mut te) = ((0.0, 0.0), (0.0, 0.0, 0.0), (0.0, 0.0));
    for i in 0..12i64 {
        let release_id = format!("release-{i:02}");
        let shipped = app::ui::format_date(now - (340 - 28 * i) * DAY);
        sqlx::query("INSERT INTO releases (release_id, name, released_on, created_at) VALUES ($1, $2, $3, $4)")
            .bind(&release_id)
            .bind(format!("Release {i:02}"))
            .bind(&shipped)
            .bind(now)
            .execute(&app.db)
            .await
            .unwrap();
        let (mut c, mut n, mut e) = ((0.0, 0.0), (0.0, 0.0, 0.0), (0.0, 0.0));
        for a in 0..2 {
            let (p, d) = nps_pd(i, a);
            let passives = 30 - p - d;
            seed_survey(
                &app,
                &format!("{i}-{a}"),
                Seeded {
                    release_id: &release_id,
                    status: "closed",
                    closed_at: Some(now - (330 - 28 * i) * DAY),
                    csat: vec![
                        (5, csat_x(i, a) as usize),
                        (2, (40 - csat_x(i, a)) as usize),
                    ],
                    nps: vec![(10, p as usize), (8, passives as usize), (3, d as usize)],
                    ces: vec![(6, ces_x(i, a) as usize), (3, (20 - ces_x(i, a)) as usize)],
                },
            )
            .await;
            c = (c.0 + csat_x(i, a) as f64, c.1 + 40.0);
            n = (n.0 + p as f64, n.1 + passives as f64, n.2 + d as f64);
            e = (e.0 + ces_x(i, a) as f64, e.1 + 20.0);
        }
        tc = (tc.0 + c.0, tc.1 + c.1);
        tn = (tn.0 + n.0, tn.1 + n.1, tn.2 + n.2);
        te = (te.0 + e.0, te.1 + e.1);
        expected.push((format!("Release {i:02}"), c, n, e));
    }
    // The release being surveyed now: one audience still open.
    sqlx::query("INSERT INTO releases (release_id, name, released_on, created_at) VALUES ('now', 'Release now', $1, $2)")
        .bind(app::ui::format_date(now - 5 * DAY))
        .bind(now)
        .execute(&app.db)
        .await
        .unwrap();
    seed_survey(
        &app,
        "now-0",
        Seeded {
            release_id: "now",
            status: "open",
            closed_at: None,
            csat: vec![(5, 9), (1, 1)],
            nps: vec![(10, 5)],
            ces: vec![],
        },
    )
    .await;

    let d = dashboard(&app).await;
    let baseline = &d["baseline"];
    assert_close(&baseline["csat"]["estimate"]["value"], 100.0 * tc.0 / tc.1);
    assert_eq!(baseline["csat"]["answers"].as_i64(), Some(960));
    assert_eq!(baseline["csat"]["releases"].as_i64(), Some(12));
    assert_close(&baseline["ces"]["estimate"]["value"], 100.0 * te.0 / te.1);
    let nps_n = tn.0 + tn.1 + tn.2;
    assert_close(
        &baseline["nps"]["estimate"]["value"],
        100.0 * (tn.0 - tn.2) / nps_n,
    );
    let rows = baseline["releases"].as_array().unwrap();
    assert_eq!(rows.len(), 13, "twelve releases and the one being surveyed");
    let now_row = &rows[0];
    assert_eq!(now_row["release"], "Release now", "newest first");
    assert_eq!(now_row["so_far"], true);
    assert!(now_row["closed_at"].is_null());
    assert_close(&now_row["csat"]["estimate"]["value"], 90.0);
    let mut labels = std::collections::BTreeSet::new();
    for (row, (name, c, n, e)) in rows[1..].iter().zip(expected.iter().rev()) {
        assert_eq!(row["release"].as_str(), Some(name.as_str()));
        assert_eq!(row["so_far"], false);
        assert_eq!(
            row["surveys"].as_array().map(Vec::len),
            Some(2),
            "{name}: both audiences"
        );
        assert_eq!(
            row["csat"]["answers"].as_i64(),
            Some(80),
            "{name}: pooled per release"
        );
        let others_c = (tc.0 - c.0, tc.1 - c.1);
        let others_n = (tn.0 - n.0, tn.1 - n.1, tn.2 - n.2);
        let others_e = (te.0 - e.0, te.1 - e.1);
        let want = [
            ("csat", share_label(*c, others_c)),
            ("nps", nps_label(*n, others_n)),
            ("ces", share_label(*e, others_e)),
        ];
        for (kind, label) in want {
            assert_eq!(
                row[kind]["against_others"].as_str(),
                Some(label),
                "{name} {kind}"
            );
            labels.insert(label);
        }
    }
    assert_eq!(
        labels.len(),
        3,
        "the year holds releases above, below and level: {labels:?}"
    );
    let page = app.get("/overview").await.text().await.unwrap();
    assert!(
        page.contains("release-timeline")
            && page.contains("dot dot-so-far")
            && page.contains("CES by release"),
        "the overview plots the year"
    );
}
