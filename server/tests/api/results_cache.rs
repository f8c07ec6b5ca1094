//! The shared results copy on the real binary (default 2 s): readers within that time get
//! the same figures, a change the team makes shows at once, answers once the copy is
//! older than 2 s and its background refresh is in.
use crate::helpers::{path_of, Backend, TestApp};
use crate::process::Process;
use reqwest::StatusCode;
use std::time::Duration;

async fn completed(app: &TestApp, survey_id: &str) -> (u64, u64) {
    let (status, body) = app.call("get_results", &[("survey_id", survey_id)]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let results: serde_json::Value = serde_json::from_str(&body).unwrap();
    let completed = results["rate"]["completed"].as_u64().unwrap();
    (completed, results["target_points"].as_u64().unwrap())
}

#[tokio::test]
async fn results_are_shared_for_two_seconds_and_a_teams_own_change_shows_at_once() {
    let mut app = TestApp::spawn(Backend::Sqlite).await;
    app.set_up_admin().await;
    let survey_id = app.create_survey("Cached").await;
    app.open_survey(&survey_id).await;
    let links = app
        .add_recipients(&survey_id, "a@example.org\nb@example.org")
        .await;
    let (status, _) = app
        .call("send_invitations", &[("survey_id", &survey_id)])
        .await;
    assert_eq!(status, StatusCode::OK);
    app.wait_for_count(
        "SELECT COUNT(*) FROM invitations WHERE sent_at IS NOT NULL",
        2,
    )
    .await;
    let question_id: String = sqlx::query_scalar("SELECT question_id FROM questions")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let field = format!("q_{question_id}");
    app.crash();
    let site = tempfile::tempdir().unwrap();
    let server = Process::start(&app.database_url, "", site.path()).await;
    app.address = server.address.clone();
    let (before, target) = completed(&app, &survey_id).await;
    assert_eq!(before, 0);
    let answer = |link: &str| {
        reqwest::Client::new()
            .post(format!("{}{}", server.address, path_of(link)))
            .form(&[(field.as_str(), "4")])
            .send()
    };
    assert!(answer(&links[0].1).await.unwrap().status().is_success());
    assert_eq!(
        completed(&app, &survey_id).await.0,
        0,
        "read within 2 s: the shared copy"
    );
    let new_target = if target == 5 { "4" } else { "5" };
    let (status, body) = app
        .call(
            "set_precision_target",
            &[("survey_id", &survey_id), ("target_points", new_target)],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (now, target) = completed(&app, &survey_id).await;
    assert_eq!(
        (now, target.to_string()),
        (1, new_target.to_string()),
        "the team's change and the answer show at once"
    );
    assert!(answer(&links[1].1).await.unwrap().status().is_success());
    tokio::time::sleep(Duration::from_millis(2100)).await;
    // The first read after 2 s still gets the copy and starts its refresh.
    assert_eq!(completed(&app, &survey_id).await.0, 1);
    let mut shown = 1;
    for _ in 0..50 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        shown = completed(&app, &survey_id).await.0;
        if shown == 2 {
            break;
        }
    }
    assert_eq!(
        shown, 2,
        "the answer shows once the background refresh is in"
    );
}
