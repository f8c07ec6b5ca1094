//! Privacy promises attacked the way a curious team member would: by reading every page,
//! function and API answer their role can reach, and by watching figures change.
use crate::helpers::{on_both_backends, path_of, TestApp, ADMIN_EMAIL, PASSWORD};
use crate::public_api::{api, token};
use reqwest::StatusCode;

on_both_backends!(
    a_viewer_cannot_read_any_personal_or_unsubscribe_link_or_anyones_own_answers,
    after_the_first_anonymous_answer_the_team_cannot_tell_who_gave_it,
    watching_the_results_of_an_anonymous_survey_answer_by_answer_reveals_no_single_answer,
    an_erased_persons_answers_are_linked_to_no_one_and_their_words_are_gone,
    no_hidden_groups_answers_can_be_recovered_by_subtracting_visible_figures,
    a_written_answer_never_names_a_group_too_small_to_hide_in,
    in_an_anonymous_survey_a_small_communitys_count_does_not_say_who_answered,
    a_viewer_cannot_tell_who_answered_an_identified_survey,
    the_database_cannot_pair_an_anonymous_answer_with_its_person_by_its_day,
);

/// An open anonymous survey (one CSAT question) sent to `emails`; returns its id, its
/// question's id and each person's link path.
async fn anonymous_survey(
    app: &TestApp,
    title: &str,
    emails: &str,
) -> (String, String, Vec<(String, String)>) {
    sent_survey(app, title, emails, "anonymous").await
}

/// `anonymous_survey`, with the anonymity given.
async fn sent_survey(
    app: &TestApp,
    title: &str,
    emails: &str,
    anonymity: &str,
) -> (String, String, Vec<(String, String)>) {
    let survey_id = app.create_survey(title).await;
    sqlx::query("UPDATE surveys SET anonymity = $2 WHERE survey_id = $1")
        .bind(&survey_id)
        .bind(anonymity)
        .execute(&app.db)
        .await
        .unwrap();
    app.open_survey(&survey_id).await;
    // The same people may be in another survey of this test: past the quiet period.
    let page = app
        .post_form(
            &format!("/surveys/{survey_id}/recipients"),
            &[("emails", emails), ("include_recently_surveyed", "on")],
        )
        .await;
    assert_eq!(page.status(), StatusCode::OK);
    let links = crate::helpers::personal_links(&page.text().await.unwrap());
    app.send_invitations(&survey_id).await;
    let question_id = app.first_question(&survey_id).await;
    let links = links
        .into_iter()
        .map(|(email, link)| (email, path_of(&link)))
        .collect();
    (survey_id, question_id, links)
}

async fn answer(app: &TestApp, link: &str, question_id: &str, score: &str) {
    let response = app
        .post_form(link, &[(&format!("q_{question_id}"), score)])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "{link}");
}

/// Everything the team can read about a survey: its page, its functions, the API and the
/// export, with the survey's own ids replaced so two surveys can be compared.
async fn team_view(
    app: &TestApp,
    api_token: &str,
    survey_id: &str,
    question_id: &str,
) -> Vec<(String, String)> {
    let mut seen = Vec::new();
    for path in [
        format!("/surveys/{survey_id}"),
        format!("/surveys/{survey_id}/build"),
        format!("/surveys/{survey_id}/send"),
        format!("/surveys/{survey_id}/watch"),
        format!("/surveys/{survey_id}/results"),
    ] {
        seen.push((path.clone(), app.get(&path).await.text().await.unwrap()));
    }
    for function in [
        "get_survey",
        "get_results",
        "get_comments",
        "get_funnel",
        "list_recipients",
    ] {
        let (_, body) = app.call(function, &[("survey_id", survey_id)]).await;
        seen.push((function.to_string(), body));
    }
    for path in [
        format!("/surveys/{survey_id}"),
        format!("/surveys/{survey_id}/responses"),
        format!("/surveys/{survey_id}/summary"),
    ] {
        let (_, body, _) = api(app, "GET", &path, Some(api_token), None).await;
        seen.push((format!("api {path}"), body.to_string()));
    }
    for format in ["csv", "json"] {
        let export = crate::command_line::soundings(
            app,
            &["export", "responses", survey_id, "--format", format],
        );
        seen.push((
            format!("export {format}"),
            String::from_utf8_lossy(&export.stdout).into(),
        ));
    }
    seen.into_iter()
        .map(|(what, body)| {
            let what = what.replace(survey_id, "SURVEY");
            let body = body
                .replace(survey_id, "SURVEY")
                .replace(question_id, "QUESTION");
            // The page's hydration data ends it (its scripts are the body's last), and its
            // resource numbering depends on timing; the functions it repeats are compared
            // on their own.
            let body = match body
                .find("__RESOLVED_RESOURCES=[]")
                .and_then(|at| body[..at].rfind("<script"))
            {
                Some(end) => body[..end].to_string(),
                None => body,
            };
            (what, without_nonces(&body))
        })
        .collect()
}

/// Fails, showing where, unless what the team read of two surveys is the same.
fn assert_alike(ada: &[(String, String)], bob: &[(String, String)]) {
    assert_eq!(ada.len(), bob.len());
    for ((what, ada_saw), (_, bob_saw)) in ada.iter().zip(bob) {
        if let Some(at) = ada_saw
            .chars()
            .zip(bob_saw.chars())
            .position(|(a, b)| a != b)
        {
            let around = |text: &str| {
                text.chars()
                    .skip(at.saturating_sub(120))
                    .take(240)
                    .collect::<String>()
            };
            panic!(
                "{what} tells who answered:\n Ada's survey: …{}…\n Bob's survey: …{}…",
                around(ada_saw),
                around(bob_saw)
            );
        }
        assert_eq!(ada_saw.len(), bob_saw.len(), "{what}");
    }
}

/// Each page carries a fresh CSP nonce: not about anyone.
fn without_nonces(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    loop {
        let next = ["nonce=\""]
            .iter()
            .filter_map(|marker| rest.find(marker).map(|at| (at, marker.len())))
            .min();
        let Some((at, len)) = next else {
            out.push_str(rest);
            return out;
        };
        out.push_str(&rest[..at + len]);
        rest = &rest[at + len..];
        rest = &rest[rest.find('"').unwrap_or(0)..];
    }
}

async fn after_the_first_anonymous_answer_the_team_cannot_tell_who_gave_it(app: TestApp) {
    app.set_up_admin().await;
    let reader = token(&app, "editor").await;
    let people = "ada@example.org\nbob@example.org\ncy@example.org";
    // Two identical anonymous surveys to the same three people: Ada answers one, Bob the
    // other. Whatever the team reads must not tell the two apart.
    let (first, first_question, first_links) = anonymous_survey(&app, "Anonymous", people).await;
    let (second, second_question, second_links) = anonymous_survey(&app, "Anonymous", people).await;
    let link_of = |links: &[(String, String)], email: &str| {
        links.iter().find(|(e, _)| e == email).unwrap().1.clone()
    };
    answer(
        &app,
        &link_of(&first_links, "ada@example.org"),
        &first_question,
        "5",
    )
    .await;
    answer(
        &app,
        &link_of(&second_links, "bob@example.org"),
        &second_question,
        "5",
    )
    .await;
    same_times(&app).await;
    let ada = team_view(&app, &reader, &first, &first_question).await;
    let bob = team_view(&app, &reader, &second, &second_question).await;
    assert_alike(&ada, &bob);
    assert!(
        ada.iter()
            .any(|(what, body)| what == "get_survey" && body.contains("\"completed\":1")),
        "the count of answers is there: {ada:?}"
    );
    // Nor does the database order or time the answer finer than the day.
    let fine = app
        .count(
            "SELECT COUNT(*) FROM invitations i JOIN surveys s ON s.survey_id = i.survey_id \
             WHERE s.anonymity = 'anonymous' AND i.completed_at % 86400 <> 0",
        )
        .await;
    assert_eq!(
        fine, 0,
        "the ledger keeps only the day an anonymous answer came"
    );
}

async fn watching_the_results_of_an_anonymous_survey_answer_by_answer_reveals_no_single_answer(
    app: TestApp,
) {
    app.set_up_admin().await;
    let reader = token(&app, "editor").await;
    let people: Vec<String> = (0..12).map(|i| format!("p{i}@example.org")).collect();
    let (survey_id, question_id, links) =
        anonymous_survey(&app, "Watched", &people.join("\n")).await;
    // What a watcher records after each answer: the counted answers per score, from the
    // page's function, the API's summary and its list of responses.
    let mut seen: Vec<(i64, i64, i64)> = Vec::new();
    for (i, (_, link)) in links.iter().enumerate() {
        let score = ["1", "5", "3", "4", "2"][i % 5];
        answer(&app, link, &question_id, score).await;
        let (_, results) = app.call("get_results", &[("survey_id", &survey_id)]).await;
        let results: serde_json::Value = serde_json::from_str(&results).unwrap();
        let counted: i64 = results["scores"][0]["distribution"]
            .as_array()
            .map(|d| d.iter().map(|bar| bar[1].as_i64().unwrap()).sum())
            .unwrap_or(0);
        let (_, summary, _) = api(
            &app,
            "GET",
            &format!("/surveys/{survey_id}/summary"),
            Some(&reader),
            None,
        )
        .await;
        let answered = summary["scores"][0]["answered"].as_i64().unwrap_or(-1);
        let (_, listed, _) = api(
            &app,
            "GET",
            &format!("/surveys/{survey_id}/responses?limit=100"),
            Some(&reader),
            None,
        )
        .await;
        let listed = listed["items"]
            .as_array()
            .map_or(0, |items| items.len() as i64);
        seen.push((counted, answered, listed));
    }
    let steps: Vec<i64> = seen.iter().map(|s| s.0).collect();
    assert_eq!(steps, [0, 0, 0, 0, 5, 5, 5, 5, 5, 10, 10, 10], "{seen:?}");
    for (i, (counted, answered, listed)) in seen.iter().enumerate() {
        assert_eq!(
            (answered, listed),
            (counted, counted),
            "after answer {}: {seen:?}",
            i + 1
        );
    }
    let page = app
        .get(&format!("/surveys/{survey_id}/results"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("2 answers are waiting for 3 more"),
        "the page says why"
    );
}

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

async fn a_viewer_cannot_read_any_personal_or_unsubscribe_link_or_anyones_own_answers(
    app: TestApp,
) {
    app.set_up_admin().await;
    let survey_id = app.create_survey("Storage").await;
    app.open_survey(&survey_id).await;
    let links = app
        .add_recipients(&survey_id, "ada@example.org\nbob@example.org")
        .await;
    app.send_invitations(&survey_id).await;
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
        format!("/surveys/{survey_id}/build"),
        format!("/surveys/{survey_id}/send"),
        format!("/surveys/{survey_id}/watch"),
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
        format!("/surveys/{survey_id}/summary"),
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
    let answers = seen
        .iter()
        .find(|(what, _, _)| what.ends_with("/responses"))
        .unwrap();
    assert_eq!(
        answers.1,
        StatusCode::FORBIDDEN,
        "people's own answers are for editors"
    );
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

async fn an_erased_persons_answers_are_linked_to_no_one_and_their_words_are_gone(app: TestApp) {
    app.set_up_admin().await;
    app.add_community("North", "tier-enterprise").await;
    app.add_contact("ada@example.org", "Ada", "North").await;
    app.add_contact("bob@example.org", "Bob", "North").await;
    // Ada answers two identified surveys, each with a score and words of her own.
    for title in ["Storage", "Search"] {
        let survey_id = app.create_survey(title).await;
        let (status, body) = app
            .call(
                "add_question",
                &[("survey_id", &survey_id), ("kind", "long_text")],
            )
            .await;
        assert!(status.is_success(), "{status}: {body}");
        app.open_survey(&survey_id).await;
        let page = app
            .post_form(
                &format!("/surveys/{survey_id}/recipients"),
                &[
                    ("emails", "ada@example.org\nbob@example.org"),
                    ("include_recently_surveyed", "on"),
                ],
            )
            .await;
        let links = crate::helpers::personal_links(&page.text().await.unwrap());
        let ada = path_of(
            &links
                .iter()
                .find(|(e, _)| e == "ada@example.org")
                .unwrap()
                .1,
        );
        let questions: Vec<(String, String)> = sqlx::query_as(
            "SELECT question_id, kind FROM questions WHERE survey_id = $1 ORDER BY position",
        )
        .bind(&survey_id)
        .fetch_all(&app.db)
        .await
        .unwrap();
        let fields: Vec<(String, &str)> = questions
            .iter()
            .map(|(id, kind)| {
                let value = if kind == "csat" {
                    "2"
                } else {
                    "Ada's own secret words"
                };
                (format!("q_{id}"), value)
            })
            .collect();
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), *v)).collect();
        let answered = app.post_form(&ada, &fields).await;
        assert_eq!(answered.status(), StatusCode::SEE_OTHER);
    }
    let contact_id: String =
        sqlx::query_scalar("SELECT contact_id FROM contacts WHERE email = 'ada@example.org'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    let hers: Vec<String> =
        sqlx::query_scalar("SELECT invitation_id FROM invitations WHERE contact_id = $1")
            .bind(&contact_id)
            .fetch_all(&app.db)
            .await
            .unwrap();
    assert_eq!(hers.len(), 2);
    let (status, body) = app
        .call(
            "erase_contact",
            &[("email", "ada@example.org"), ("confirm", "on")],
        )
        .await;
    assert!(status.is_success(), "{status}: {body}");

    // The insider's first move: follow her old id. It is nowhere.
    let holding = crate::traces::holding(&app, &contact_id).await;
    assert!(holding.is_empty(), "her id is still in {holding:?}");
    // Second: group the ledger by contact. Each of her invitations now stands alone,
    // with no community.
    for invitation in &hers {
        let (alone, community): (i64, Option<String>) = sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM invitations o WHERE o.contact_id = i.contact_id), \
             c.community_id FROM invitations i JOIN contacts c ON c.contact_id = i.contact_id \
             WHERE i.invitation_id = $1",
        )
        .bind(invitation)
        .fetch_one(&app.db)
        .await
        .unwrap();
        assert_eq!(
            (alone, community),
            (1, None),
            "{invitation} is linked to someone"
        );
    }
    // Third: read her words.
    let words = crate::traces::holding(&app, "secret words").await;
    assert!(words.is_empty(), "her words are still in {words:?}");
    // The counts stay: two completions and two scores, so past rates keep their
    // denominators.
    assert_eq!(
        app.count("SELECT COUNT(*) FROM invitations WHERE completed_at IS NOT NULL")
            .await,
        2
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM answers WHERE score = 2")
            .await,
        2
    );
}

async fn no_hidden_groups_answers_can_be_recovered_by_subtracting_visible_figures(app: TestApp) {
    app.set_up_admin().await;
    // Essential: North 2 answers, South 5; Enterprise: Lakeside 4; Professional: Hilltop 1;
    // and one pasted person in no community.
    let groups = [
        ("North", "tier-essential", 2),
        ("South", "tier-essential", 5),
        ("Lakeside", "tier-enterprise", 4),
        ("Hilltop", "tier-professional", 1),
    ];
    let mut emails = vec!["loner@example.org".to_string()];
    for (community, tier, people) in groups {
        app.add_community(community, tier).await;
        for i in 0..people {
            let email = format!("{}{i}@example.org", community.to_lowercase());
            app.add_contact(&email, &email, community).await;
            emails.push(email);
        }
    }
    let survey_id = app.create_survey("Groups").await;
    app.open_survey(&survey_id).await;
    let links = app.add_recipients(&survey_id, &emails.join("\n")).await;
    app.send_invitations(&survey_id).await;
    let question_id = app.first_question(&survey_id).await;
    for (i, (_, link)) in links.iter().enumerate() {
        answer(&app, &path_of(link), &question_id, ["5", "2", "4"][i % 3]).await;
    }
    app.add_member("viewer@example.org", "viewer").await;
    app.sign_in("viewer@example.org", PASSWORD).await;
    let (_, results) = app.call("get_results", &[("survey_id", &survey_id)]).await;
    let results: serde_json::Value = serde_json::from_str(&results).unwrap();
    // The atoms: each community, and the people in no community.
    let atoms = ["North", "South", "Lakeside", "Hilltop", "(none)"];
    let answered = [2i64, 5, 4, 1, 1];
    let tier_of = |community: &str| match community {
        "North" | "South" => "Essential",
        "Lakeside" => "Enterprise",
        _ => "Professional",
    };
    // What the viewer sees: the overall score, and every row that shows a score.
    let mut figures: Vec<(String, Vec<i64>)> = vec![("overall".into(), vec![1; atoms.len()])];
    for row in results["by_tier"].as_array().unwrap() {
        if !row["score"].is_null() {
            let tier = row["name"].as_str().unwrap();
            let set = atoms
                .iter()
                .map(|a| i64::from(*a != "(none)" && tier_of(a) == tier))
                .collect();
            figures.push((format!("tier {tier}"), set));
        }
    }
    for row in results["by_community"].as_array().unwrap() {
        if !row["score"].is_null() {
            let name = row["name"].as_str().unwrap();
            figures.push((
                format!("community {name}"),
                atoms.iter().map(|a| i64::from(*a == name)).collect(),
            ));
        }
    }
    assert!(
        figures.len() >= 2,
        "some groups are large enough to show: {results}"
    );
    // Every sum and difference of visible figures: none may single out fewer than three.
    for mut code in 0..3usize.pow(figures.len() as u32) {
        let mut sum = vec![0i64; atoms.len()];
        let mut used = Vec::new();
        for (name, set) in &figures {
            let coefficient = (code % 3) as i64 - 1;
            code /= 3;
            if coefficient != 0 {
                used.push(format!("{coefficient:+} {name}"));
            }
            for (s, v) in sum.iter_mut().zip(set) {
                *s += coefficient * v;
            }
        }
        if sum.iter().all(|c| *c == 0 || *c == 1) {
            let mass: i64 = sum.iter().zip(answered).map(|(c, n)| c * n).sum();
            assert!(
                mass == 0 || mass >= 3,
                "{} isolates {mass} answer(s): {:?}",
                used.join(" "),
                atoms
                    .iter()
                    .zip(&sum)
                    .filter(|(_, c)| **c == 1)
                    .map(|(a, _)| *a)
                    .collect::<Vec<_>>()
            );
        }
    }
}

async fn a_written_answer_never_names_a_group_too_small_to_hide_in(app: TestApp) {
    app.set_up_admin().await;
    let groups = [
        ("Tiny", "tier-professional", 1),
        ("Big", "tier-enterprise", 4),
        ("Large", "tier-essential", 5),
    ];
    let mut emails = Vec::new();
    for (community, tier, people) in groups {
        app.add_community(community, tier).await;
        for i in 0..people {
            let email = format!("{}{i}@example.org", community.to_lowercase());
            app.add_contact(&email, &email, community).await;
            emails.push(email);
        }
    }
    let survey_id = app.create_survey("Words").await;
    let (status, body) = app
        .call(
            "add_question",
            &[("survey_id", &survey_id), ("kind", "long_text")],
        )
        .await;
    assert!(status.is_success(), "{status}: {body}");
    app.open_survey(&survey_id).await;
    let links = app.add_recipients(&survey_id, &emails.join("\n")).await;
    let questions: Vec<(String, String)> =
        sqlx::query_as("SELECT question_id, kind FROM questions ORDER BY position")
            .fetch_all(&app.db)
            .await
            .unwrap();
    for (email, link) in &links {
        let words = format!(
            "words from {}",
            email.split(|c: char| c.is_ascii_digit()).next().unwrap()
        );
        let fields: Vec<(String, String)> = questions
            .iter()
            .map(|(id, kind)| {
                let value = if kind == "csat" {
                    "4".to_string()
                } else {
                    words.clone()
                };
                (format!("q_{id}"), value)
            })
            .collect();
        let fields: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            app.post_form(&path_of(link), &fields).await.status(),
            StatusCode::SEE_OTHER
        );
    }
    let (_, comments) = app.call("get_comments", &[("survey_id", &survey_id)]).await;
    let comments: serde_json::Value = serde_json::from_str(&comments).unwrap();
    let offered: Vec<&str> = comments["communities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c[1].as_str().unwrap())
        .collect();
    assert_eq!(
        offered,
        ["Large"],
        "only a group big enough to hide in is a filter"
    );
    for item in comments["items"].as_array().unwrap() {
        let text = item["text"].as_str().unwrap();
        let named = item["community"].as_str();
        if text.contains("tiny") || text.contains("big") {
            assert_eq!(named, None, "{text} is named with its group: {item}");
        } else {
            assert_eq!(named, Some("Large"), "{item}");
        }
    }
    // Asking for the small group by its id gets no narrower list.
    let tiny: String =
        sqlx::query_scalar("SELECT community_id FROM communities WHERE name = 'Tiny'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    let (_, filtered) = app
        .call(
            "get_comments",
            &[("survey_id", &survey_id), ("community", &tiny)],
        )
        .await;
    let filtered: serde_json::Value = serde_json::from_str(&filtered).unwrap();
    assert_eq!(
        filtered["items"].as_array().unwrap().len(),
        10,
        "{filtered}"
    );
}

mod access_request {
    use super::*;

    on_both_backends!(
        a_persons_access_request_holds_everything_stored_about_them_and_only_for_editors,
    );

    async fn a_persons_access_request_holds_everything_stored_about_them_and_only_for_editors(
        app: TestApp,
    ) {
        app.set_up_admin().await;
        app.add_community("North", "tier-enterprise").await;
        app.add_contact("ada@example.org", "Ada", "North").await;
        let survey_id = app.create_survey("Storage").await;
        app.open_survey(&survey_id).await;
        let links = app.add_recipients(&survey_id, "ada@example.org").await;
        app.send_invitations(&survey_id).await;
        let question_id = app.first_question(&survey_id).await;
        answer(&app, &path_of(&links[0].1), &question_id, "4").await;
        let page = app.get("/contacts/access.json?email=ADA@example.org").await;
        assert_eq!(page.status(), StatusCode::OK);
        let from_page: serde_json::Value = page.json().await.unwrap();
        assert_eq!(from_page["contact"]["email"], "ada@example.org");
        assert_eq!(from_page["contact"]["community"], "North");
        assert_eq!(from_page["invitations"][0]["survey"], "Storage");
        assert_eq!(from_page["invitations"][0]["answers"][0]["score"], 4);
        assert_eq!(from_page["mail"][0]["kind"], "invitation");
        let editor = token(&app, "editor").await;
        let (status, from_api, _) = api(
            &app,
            "GET",
            "/contacts/ada@example.org/access",
            Some(&editor),
            None,
        )
        .await;
        assert_eq!((status, &from_api), (StatusCode::OK, &from_page));
        let from_cli =
            crate::command_line::soundings(&app, &["contacts", "access", "ada@example.org"]);
        let from_cli: serde_json::Value = serde_json::from_slice(&from_cli.stdout).unwrap();
        assert_eq!(from_cli, from_page, "one report, whichever door");
        // Nothing in it that would let someone act as her.
        let text = from_page.to_string();
        assert!(!text.contains("/s/") && !text.contains("/u/"), "{text}");
        let viewer = token(&app, "viewer").await;
        let (status, _, _) = api(
            &app,
            "GET",
            "/contacts/ada@example.org/access",
            Some(&viewer),
            None,
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, body) = app
            .call(
                "erase_contact",
                &[("email", "ada@example.org"), ("confirm", "on")],
            )
            .await;
        assert!(status.is_success(), "{status}: {body}");
        let gone = app.get("/contacts/access.json?email=ada@example.org").await;
        assert_eq!(
            gone.status(),
            StatusCode::NOT_FOUND,
            "an erased person is gone"
        );
        let bad = app.get("/contacts/access.json?email=not-an-address").await;
        assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
}

/// Gives both surveys the same creation and invitation times, which say nothing about
/// who answered (the surveys were made a moment apart).
async fn same_times(app: &TestApp) {
    for sql in [
        "UPDATE surveys SET created_at = 1796500000",
        "UPDATE invitations SET created_at = 1796500000",
    ] {
        sqlx::query(sql).execute(&app.db).await.unwrap();
    }
}

async fn in_an_anonymous_survey_a_small_communitys_count_does_not_say_who_answered(app: TestApp) {
    app.set_up_admin().await;
    let reader = token(&app, "editor").await;
    // Essential: Solo (Ada alone) and Harbour (five people); Enterprise: Lakeside (five).
    let mut emails = Vec::new();
    for (community, tier, people) in [
        ("Solo", "tier-essential", 1),
        ("Harbour", "tier-essential", 5),
        ("Lakeside", "tier-enterprise", 5),
    ] {
        app.add_community(community, tier).await;
        for i in 0..people {
            let email = format!("{}{i}@example.org", community.to_lowercase());
            app.add_contact(&email, &email, community).await;
            emails.push(email);
        }
    }
    let people = emails.join("\n");
    // Two anonymous surveys to the same eleven people. In the first Ada (all of Solo)
    // answers, in the second someone from Harbour; in both one person from Lakeside.
    let (first, first_question, first_links) = anonymous_survey(&app, "Anonymous", &people).await;
    let (second, second_question, second_links) =
        anonymous_survey(&app, "Anonymous", &people).await;
    let link_of = |links: &[(String, String)], email: &str| {
        links.iter().find(|(e, _)| e == email).unwrap().1.clone()
    };
    for (links, question, who) in [
        (&first_links, &first_question, "solo0@example.org"),
        (&first_links, &first_question, "lakeside0@example.org"),
        (&second_links, &second_question, "harbour0@example.org"),
        (&second_links, &second_question, "lakeside0@example.org"),
    ] {
        answer(&app, &link_of(links, who), question, "4").await;
    }
    same_times(&app).await;
    let ada = team_view(&app, &reader, &first, &first_question).await;
    let harbour = team_view(&app, &reader, &second, &second_question).await;
    assert_alike(&ada, &harbour);
    // Not by hiding everything: the tier and the large community still count answers.
    let (_, body, _) = api(
        &app,
        "GET",
        &format!("/surveys/{first}/summary"),
        Some(&reader),
        None,
    )
    .await;
    let row = |list: &str, name: &str| {
        body[list]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["name"] == name)
            .unwrap()["completed"]
            .clone()
    };
    assert_eq!(row("by_community", "Solo"), serde_json::Value::Null);
    assert_eq!(row("by_community", "Lakeside"), 1);
    assert_eq!(row("by_tier", "Essential"), 1);
    assert_eq!(row("by_tier", "Enterprise"), 1);
}

async fn a_viewer_cannot_tell_who_answered_an_identified_survey(app: TestApp) {
    app.set_up_admin().await;
    let people = "ada@example.org\nbob@example.org\ncy@example.org";
    // Two identified surveys to the same three people: Ada answers one, Bob the other,
    // alike. Editors may see who answered; a viewer, who sees the results, must not.
    let mut surveys = Vec::new();
    for who in ["ada@example.org", "bob@example.org"] {
        let (survey_id, question_id, links) =
            sent_survey(&app, "Identified", people, "identified").await;
        let link = &links.iter().find(|(e, _)| e == who).unwrap().1;
        answer(&app, link, &question_id, "5").await;
        surveys.push((survey_id, question_id));
    }
    // A day apart would be the same: the ledger keeps the answer's time, which the
    // viewer must not see either.
    sqlx::query("UPDATE invitations SET completed_at = 1796600000 WHERE completed_at IS NOT NULL")
        .execute(&app.db)
        .await
        .unwrap();
    same_times(&app).await;
    let viewer = token(&app, "viewer").await;
    app.add_member("viewer@example.org", "viewer").await;
    app.sign_in("viewer@example.org", PASSWORD).await;
    let mut views = Vec::new();
    for (survey_id, question_id) in &surveys {
        let view: Vec<(String, String)> = team_view(&app, &viewer, survey_id, question_id)
            .await
            .into_iter()
            // The command line is the operator's, not a team role's.
            .filter(|(what, _)| !what.starts_with("export"))
            .collect();
        views.push(view);
    }
    assert_alike(&views[0], &views[1]);
    assert!(
        views[0]
            .iter()
            .any(|(what, body)| what == "get_results" && body.contains("\"completed\":1")),
        "the viewer still sees how many answered: {:?}",
        views[0]
    );
}

async fn the_database_cannot_pair_an_anonymous_answer_with_its_person_by_its_day(app: TestApp) {
    app.set_up_admin().await;
    let people: Vec<String> = (0..6).map(|i| format!("p{i}@example.org")).collect();
    let (survey_id, question_id, links) =
        anonymous_survey(&app, "Anonymous", &people.join("\n")).await;
    // One person on the first day, one on the second, three on the third: the fifth
    // answer fills the step and releases all five. The database's reader sees every row,
    // held or not.
    for (i, (_, link)) in links.iter().take(5).enumerate() {
        if i == 1 || i == 2 {
            app.advance_clock(86_400);
        }
        answer(&app, link, &question_id, ["5", "1", "3", "4", "2"][i]).await;
    }
    // And one more the next day, held back until four others join it.
    app.advance_clock(86_400);
    answer(&app, &links[5].1, &question_id, "5").await;
    // The insider's attack: a day on which the ledger shows one completion, matched with
    // the answers of that day.
    let ledger: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT completed_at, COUNT(*) FROM invitations WHERE survey_id = $1 \
         AND completed_at IS NOT NULL GROUP BY completed_at",
    )
    .bind(&survey_id)
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert_eq!(ledger.len(), 4, "four days of completions: {ledger:?}");
    for (day, completions) in ledger {
        let answers = app
            .count(&format!(
                "SELECT COUNT(*) FROM responses WHERE survey_id = '{survey_id}' AND submitted_at = {day}"
            ))
            .await;
        assert!(
            completions >= 5 || answers == 0 || answers >= 5,
            "{completions} completion(s) and {answers} answer(s) on day {day}: paired"
        );
    }
    let days = app
        .count(&format!(
            "SELECT COUNT(DISTINCT submitted_at) FROM responses WHERE survey_id = '{survey_id}' AND held = 0"
        ))
        .await;
    assert_eq!(days, 1, "the five answers share the day they were released");
}
