//! The results page's figures on a seeded survey with a known ledger and known answers:
//! exact funnel, rate, scores, breakdowns, coverage and verdict.
use crate::helpers::{assert_close, on_both_backends, TestApp};
use serde_json::Value;

/// Ten people in three communities on two tiers, all sent the invitation; one bounces,
/// one unsubscribes, six answer the CSAT question. Returns the survey's id.
async fn seeded(app: &TestApp) -> String {
    app.set_up_admin().await;
    for (name, tier) in [
        ("North Side", "tier-essential"),
        ("Riverside", "tier-enterprise"),
        ("Lakeside", "tier-enterprise"),
    ] {
        app.add_community(name, tier).await;
    }
    let people = [
        ("n1", "North Side"),
        ("n2", "North Side"),
        ("n3", "North Side"),
        ("n4", "North Side"),
        ("n5", "North Side"),
        ("n6", "North Side"),
        ("r1", "Riverside"),
        ("r2", "Riverside"),
        ("r3", "Riverside"),
        ("l1", "Lakeside"),
    ];
    for (who, community) in people {
        app.add_contact(&format!("{who}@example.org"), who, community)
            .await;
    }
    let survey_id = app.create_survey("Storage").await;
    app.open_survey(&survey_id).await;
    let emails: Vec<String> = people
        .iter()
        .map(|(w, _)| format!("{w}@example.org"))
        .collect();
    let links = app.add_recipients(&survey_id, &emails.join("\n")).await;
    // No automatic reminders unless a test turns them on: the worker checks often.
    sqlx::query("UPDATE surveys SET reminder_days = ''")
        .execute(&app.db)
        .await
        .unwrap();
    sqlx::query("UPDATE invitations SET sent_at = 1000")
        .execute(&app.db)
        .await
        .unwrap();
    let contact =
        |who: &str| format!("(SELECT contact_id FROM contacts WHERE email = '{who}@example.org')");
    sqlx::query(&format!(
        "UPDATE invitations SET bounced_at = 1001 WHERE contact_id = {}",
        contact("r3")
    ))
    .execute(&app.db)
    .await
    .unwrap();
    sqlx::query(&format!(
        "UPDATE invitations SET unsubscribed_at = 1002 WHERE contact_id = {}",
        contact("n5")
    ))
    .execute(&app.db)
    .await
    .unwrap();
    sqlx::query("UPDATE contacts SET unsubscribed_at = 1002 WHERE email = 'n5@example.org'")
        .execute(&app.db)
        .await
        .unwrap();
    let question_id: String = sqlx::query_scalar("SELECT question_id FROM questions")
        .fetch_one(&app.db)
        .await
        .unwrap();
    app.set_session_cookie(None);
    for (who, score) in [
        ("n1", "5"),
        ("n2", "4"),
        ("n3", "4"),
        ("n4", "2"),
        ("r1", "5"),
        ("r2", "1"),
    ] {
        let (_, link) = links.iter().find(|(e, _)| e.starts_with(who)).unwrap();
        let path = crate::helpers::path_of(link);
        app.post_form(&path, &[(&format!("q_{question_id}"), score)])
            .await;
    }
    app.sign_in(crate::helpers::ADMIN_EMAIL, crate::helpers::PASSWORD)
        .await;
    survey_id
}

async fn results(app: &TestApp, survey_id: &str) -> Value {
    let (status, body) = app.call("get_results", &[("survey_id", survey_id)]).await;
    assert!(status.is_success(), "{status}: {body}");
    serde_json::from_str(&body).unwrap()
}

on_both_backends!(
    the_rate_is_completed_over_delivered_and_the_score_carries_its_interval,
    breakdowns_hide_scores_of_small_groups_and_of_those_that_would_give_them_away,
    an_anonymous_survey_shows_rates_by_group_but_no_group_scores,
    reminders_stop_once_every_score_is_within_the_target,
);

async fn the_rate_is_completed_over_delivered_and_the_score_carries_its_interval(app: TestApp) {
    let survey_id = seeded(&app).await;
    let r = results(&app, &survey_id).await;
    assert_eq!(
        (
            r["rate"]["delivered"].as_i64(),
            r["rate"]["completed"].as_i64(),
            r["rate"]["remaining"].as_i64()
        ),
        (Some(9), Some(6), Some(2))
    );
    assert_close(&r["rate"]["percent"], 66.6667);
    let csat = &r["scores"][0];
    assert_eq!(csat["answered"], 6);
    assert_eq!(
        csat["distribution"],
        serde_json::json!([[1, 1], [2, 1], [3, 0], [4, 2], [5, 2]])
    );
    assert_close(&csat["headline"]["value"], 66.6667);
    // statsmodels' Wilson with n_eff = 6 * 8 / 3 = 16 (tools/stats_reference.py):
    // proportion_confint(16 * 4 / 6, 16, method="wilson") = (42.4482, 84.4316).
    assert_close(&csat["headline"]["low"], 42.4482);
    assert_close(&csat["headline"]["high"], 84.4316);
    assert_close(&csat["mean"]["value"], 3.5);
    // 9 delivered, p = 0.5 below ten answers: 96.04 / (1 + 95.04 / 9) -> 9 needed, 3
    // more, but only 2 people can still answer.
    assert_eq!(csat["verdict"], "Unreachable");
    assert_eq!(r["timeline"]["bucket_secs"], 86_400, "sent long ago: days");
    assert_eq!(
        r["timeline"]["points"].as_array().unwrap().last().unwrap()[1],
        6
    );
    let waiting: Vec<(&str, &str)> = r["non_responders"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["name"].as_str().unwrap(),
                p["community"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        waiting,
        [("l1", "Lakeside"), ("n6", "North Side")],
        "not the bounced, unsubscribed or answered"
    );
}

async fn breakdowns_hide_scores_of_small_groups_and_of_those_that_would_give_them_away(
    app: TestApp,
) {
    let survey_id = seeded(&app).await;
    let r = results(&app, &survey_id).await;
    let tiers = r["by_tier"].as_array().unwrap();
    assert_eq!(tiers.len(), 2);
    assert_eq!(
        (
            tiers[0]["name"].as_str(),
            tiers[0]["invited"].as_i64(),
            tiers[0]["delivered"].as_i64(),
            tiers[0]["completed"].as_i64()
        ),
        (Some("Essential"), Some(6), Some(6), Some(4))
    );
    assert!(
        tiers[0]["score"].is_null(),
        "four answers would show, but the overall minus Essential would give Enterprise's two"
    );
    assert_eq!(
        (
            tiers[1]["name"].as_str(),
            tiers[1]["invited"].as_i64(),
            tiers[1]["delivered"].as_i64(),
            tiers[1]["completed"].as_i64()
        ),
        (Some("Enterprise"), Some(4), Some(3), Some(2))
    );
    assert!(tiers[1]["score"].is_null(), "two answers show no score");
    let riverside = r["by_community"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "Riverside")
        .unwrap()
        .clone();
    assert_close(&riverside["rate"], 100.0);
    assert!(riverside["score"].is_null());
    assert_eq!(
        r["coverage"],
        serde_json::json!([
            {"tier": "Essential", "communities": 1, "with_answers": 1, "not_shown": 0},
            {"tier": "Enterprise", "communities": 2, "with_answers": 1, "not_shown": 0}
        ])
    );
}

async fn an_anonymous_survey_shows_rates_by_group_but_no_group_scores(app: TestApp) {
    let survey_id = seeded(&app).await;
    sqlx::query("UPDATE surveys SET anonymity = 'anonymous'")
        .execute(&app.db)
        .await
        .unwrap();
    let r = results(&app, &survey_id).await;
    assert!(r["by_tier"]
        .as_array()
        .unwrap()
        .iter()
        .all(|t| t["score"].is_null()));
    assert_eq!(r["by_tier"][0]["completed"], 4);
    assert!(
        r["non_responders"].is_null(),
        "whoever is not on a list of people yet to answer has answered: no list at all"
    );
    app.set_session_cookie(None);
    let (status, _) = app.call("get_results", &[("survey_id", &survey_id)]).await;
    assert_eq!(status, reqwest::StatusCode::UNAUTHORIZED);
}

async fn reminders_stop_once_every_score_is_within_the_target(app: TestApp) {
    let survey_id = seeded(&app).await;
    let set = |target: &'static str, stop: bool| {
        let survey_id = survey_id.clone();
        let app = &app;
        async move {
            let mut fields = vec![("survey_id", survey_id.as_str()), ("target_points", target)];
            if stop {
                fields.push(("stop_reminders", "on"));
            }
            app.call("set_precision_target", &fields).await
        }
    };
    let (status, body) = set("0", true).await;
    assert_eq!(status, reqwest::StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("from 1 to 50"), "{body}");
    // The CSAT share's interval is 42.4 to 84.4: within +-25 points, not +-10.
    let (status, body) = set("25", true).await;
    assert!(status.is_success(), "{status}: {body}");
    let r = results(&app, &survey_id).await;
    assert_eq!(
        (
            r["target_points"].as_i64(),
            r["stop_reminders_at_target"].as_bool()
        ),
        (Some(25), Some(true))
    );
    assert_eq!(r["scores"][0]["verdict"], "Actionable");
    sqlx::query("UPDATE surveys SET reminder_days = '3'")
        .execute(&app.db)
        .await
        .unwrap();
    // The reminder worker's own check, run now: the invitations are long due, and none
    // is reminded because every score is within the target.
    let queued =
        app::distribution::sending::reminders::queue_due_reminders(&app.db, app.clock.now())
            .await
            .unwrap();
    assert_eq!(queued, 0, "the target is reached");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox WHERE kind = 'reminder'")
            .await,
        0,
        "the target is reached"
    );
    set("10", true).await;
    // n6 and l1 were sent the invitation, have not answered and can be reminded.
    app.wait_for_count("SELECT COUNT(*) FROM outbox WHERE kind = 'reminder'", 2)
        .await;
}
