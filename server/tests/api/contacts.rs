//! Communities and contacts: adding them one at a time, and the CSV import's preview and
//! all-or-nothing apply.
use crate::helpers::{on_both_backends, TestApp};
use crate::public_api::{api, token};
use reqwest::StatusCode;
use serde_json::json;

async fn with_communities(app: &TestApp) {
    app.set_up_admin().await;
    for (name, tier) in [
        ("North Side", "tier-essential"),
        ("Riverside", "tier-enterprise"),
    ] {
        app.add_community(name, tier).await;
    }
}

/// The apply form's address on a preview page.
fn apply_path(html: &str) -> String {
    let start = html.find("/contacts/import/").expect("an apply form");
    let end = start + html[start..].find('"').unwrap();
    html[start..end].to_string()
}

const FILE: &str = "email,name,community,role,tags\n\
    ada@example.org,Ada Lovelace,north side,CTO,beta;admin\n\
    grace@example.org,Grace Hopper,Riverside,,\n";

on_both_backends!(
    an_editor_adds_communities_and_people_and_names_compare_ignoring_case,
    the_team_adds_and_renames_tiers_and_moves_a_community_to_another,
    an_import_is_previewed_row_by_row_then_applied_and_a_second_run_changes_nothing,
    a_file_with_any_rejected_row_applies_nothing_and_says_why_for_each,
    malformed_files_are_refused_with_advice,
    ten_thousand_contacts_import_in_one_go,
    a_crm_file_of_300_communities_and_20000_contacts_imports_with_its_communities_and_tiers,
    the_api_and_the_command_line_create_communities_from_a_tier,
    viewers_can_read_contacts_but_not_import,
    recipients_are_chosen_by_tier_community_and_tag_with_a_count_first,
    the_unsubscribed_and_the_recently_surveyed_are_left_out_unless_overridden,
    erasing_a_person_leaves_no_trace_of_them_and_keeps_the_counts,
);

async fn an_editor_adds_communities_and_people_and_names_compare_ignoring_case(app: TestApp) {
    with_communities(&app).await;
    let (status, body) = app
        .call(
            "create_community",
            &[("name", "NORTH SIDE"), ("tier_id", "tier-essential")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("already exists"), "{body}");
    let (status, _) = app
        .call(
            "create_community",
            &[("name", "Elsewhere"), ("tier_id", "tier-nope")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, body) = app
        .call(
            "save_contact",
            &[
                ("email", "Ada@Example.org"),
                ("name", "Ada"),
                ("community", "Riverside"),
                ("role", ""),
                ("tags", "beta"),
            ],
        )
        .await;
    assert!(status.is_success(), "{status}: {body}");
    let (status, body) = app
        .call(
            "save_contact",
            &[
                ("email", "x@example.org"),
                ("name", "=HYPERLINK(1)"),
                ("community", "Riverside"),
                ("role", ""),
                ("tags", ""),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("formula"), "{body}");
    let (_, audience) = app.call("get_audience", &[]).await;
    let audience: serde_json::Value = serde_json::from_str(&audience).unwrap();
    assert_eq!(audience["total_contacts"], 1);
    assert_eq!(audience["contacts"][0]["email"], "ada@example.org");
    assert_eq!(audience["contacts"][0]["tags"][0], "beta");
    assert_eq!(audience["communities"][1]["tier"], "Enterprise");
    assert_eq!(audience["communities"][1]["contacts"], 1);
}

async fn the_team_adds_and_renames_tiers_and_moves_a_community_to_another(app: TestApp) {
    with_communities(&app).await;
    let (status, body) = app
        .call("save_tier", &[("tier_id", ""), ("name", "Partner")])
        .await;
    assert!(status.is_success(), "{status}: {body}");
    let (status, body) = app
        .call("save_tier", &[("tier_id", ""), ("name", "partner")])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("exists already"), "{body}");
    let (status, _) = app
        .call(
            "save_tier",
            &[("tier_id", "tier-essential"), ("name", "Starter\nplan")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "one line only");
    let (status, body) = app
        .call(
            "save_tier",
            &[("tier_id", "tier-essential"), ("name", "Starter")],
        )
        .await;
    assert!(status.is_success(), "{status}: {body}");
    let (status, _) = app
        .call("save_tier", &[("tier_id", "tier-nope"), ("name", "Ghost")])
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, audience) = app.call("get_audience", &[]).await;
    let audience: serde_json::Value = serde_json::from_str(&audience).unwrap();
    let tiers: Vec<&str> = audience["tiers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        tiers,
        ["Starter", "Professional", "Enterprise", "Partner"],
        "a new tier comes last"
    );
    let partner = audience["tiers"][3]["tier_id"]
        .as_str()
        .unwrap()
        .to_string();
    let north = audience["communities"][0]["community_id"]
        .as_str()
        .unwrap()
        .to_string();
    let (status, body) = app
        .call(
            "update_community",
            &[
                ("community_id", &north),
                ("name", "RIVERSIDE"),
                ("tier_id", &partner),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("already exists"), "{body}");
    let (status, body) = app
        .call(
            "update_community",
            &[
                ("community_id", &north),
                ("name", "North Side Co-op"),
                ("tier_id", &partner),
            ],
        )
        .await;
    assert!(status.is_success(), "{status}: {body}");
    let (status, _) = app
        .call(
            "update_community",
            &[
                ("community_id", &north),
                ("name", "North Side Co-op"),
                ("tier_id", "tier-nope"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (_, audience) = app.call("get_audience", &[]).await;
    let audience: serde_json::Value = serde_json::from_str(&audience).unwrap();
    assert_eq!(audience["communities"][0]["name"], "North Side Co-op");
    assert_eq!(audience["communities"][0]["tier"], "Partner");
    let (status, _) = app
        .call(
            "create_community",
            &[("name", "north side co-op"), ("tier_id", "tier-essential")],
        )
        .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "the new name is taken, in any case"
    );
    app.add_member("viewer@example.org", "viewer").await;
    app.sign_in("viewer@example.org", crate::helpers::PASSWORD)
        .await;
    let (status, _) = app
        .call("save_tier", &[("tier_id", ""), ("name", "Gold")])
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

async fn an_import_is_previewed_row_by_row_then_applied_and_a_second_run_changes_nothing(
    app: TestApp,
) {
    with_communities(&app).await;
    let (status, preview) = app.upload_contacts(FILE.as_bytes().to_vec()).await;
    assert_eq!(status, StatusCode::OK, "{preview}");
    assert!(
        preview.contains("2 to create, 0 to update, 0 unchanged, 0 rejected"),
        "{preview}"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM contacts").await,
        0,
        "a preview saves nothing"
    );
    let applied = app
        .post_form(&apply_path(&preview), &[])
        .await
        .text()
        .await
        .unwrap();
    assert!(
        applied.contains("Imported: 2 created, 0 updated, 0 unchanged."),
        "{applied}"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM contact_tags").await, 2);
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM contacts c \
            JOIN communities m ON m.community_id = c.community_id \
            WHERE m.name = 'North Side' \
            AND c.role = 'CTO'"
        )
        .await,
        1
    );
    let (_, again) = app.upload_contacts(FILE.as_bytes().to_vec()).await;
    assert!(
        again.contains("0 to create, 0 to update, 2 unchanged, 0 rejected"),
        "{again}"
    );
    let changed = FILE.replace("Grace Hopper", "Grace B. Hopper");
    let (_, update) = app.upload_contacts(changed.into_bytes()).await;
    assert!(
        update.contains("0 to create, 1 to update, 1 unchanged") && update.contains("Changes name"),
        "{update}"
    );
}

async fn a_file_with_any_rejected_row_applies_nothing_and_says_why_for_each(app: TestApp) {
    with_communities(&app).await;
    let file = "email,name,community\n\
        ok@example.org,Fine,Riverside\n\
        bad-address,Someone,Riverside\n\
        eve@example.org,=HYPERLINK(\"http://x\"),Riverside\n\
        zoe@example.org,Zoe,Atlantis\n\
        ok@example.org,Again,Riverside\n\
        short@example.org,Short\n";
    let (status, preview) = app.upload_contacts(file.as_bytes().to_vec()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        preview.contains("1 to create, 0 to update, 0 unchanged, 5 rejected"),
        "{preview}"
    );
    for message in [
        "is missing an @.",
        "spreadsheet formula",
        "Unknown community",
        "already on line 2",
        "This line has 2 fields; the header has 3.",
    ] {
        assert!(
            preview.contains(message) || preview.contains(&message.replace("&#x27;", "'")),
            "{message}: {preview}"
        );
    }
    assert!(
        !preview.contains("/apply"),
        "no way to apply a file with rejected rows"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM contacts").await, 0);
}

async fn malformed_files_are_refused_with_advice(app: TestApp) {
    with_communities(&app).await;
    let latin1 = b"email,name,community\nzoe@example.org,Zo\xeb,Riverside\n".to_vec();
    let (status, page) = app.upload_contacts(latin1).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("CSV UTF-8"), "{page}");
    let (status, page) = app.upload_contacts(b"mail;fullname\nx;y\n".to_vec()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("email") && page.contains("community"),
        "{page}"
    );
    let (status, _) = app.upload_contacts(vec![b'a'; 9 * 1024 * 1024]).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    let (status, page) = app.upload_contacts(Vec::new()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Choose a CSV file"));
}

async fn ten_thousand_contacts_import_in_one_go(app: TestApp) {
    with_communities(&app).await;
    let mut file = String::from("email;name;community;tags\n");
    for i in 0..10_000 {
        file.push_str(&format!(
            "person{i}@example.org;Person {i};Riverside;t{}\n",
            i % 7
        ));
    }
    let (status, preview) = app.upload_contacts(file.into_bytes()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        preview.contains("10000 to create"),
        "{}",
        &preview[..2000.min(preview.len())]
    );
    assert!(preview.contains("And 9,800 more rows"));
    let applied = app
        .post_form(&apply_path(&preview), &[])
        .await
        .text()
        .await
        .unwrap();
    assert!(applied.contains("10000 created"), "{applied}");
    assert_eq!(app.count("SELECT COUNT(*) FROM contacts").await, 10_000);
    let survey_id = app.create_survey("Ten thousand").await;
    app.open_survey(&survey_id).await;
    let editor = token(&app, "editor").await;
    let sends = format!("/surveys/{survey_id}/sends");
    let everyone = Some(json!({"community": "Riverside"}));
    let (status, out, _) = api(&app, "POST", &sends, Some(&editor), everyone.clone()).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{out}");
    assert_eq!(
        (out["invited"].as_i64(), out["queued"].as_u64()),
        (Some(10_000), Some(10_000))
    );
    assert_eq!(
        app.count("SELECT COUNT(DISTINCT token_hash) FROM invitations")
            .await,
        10_000
    );
    assert_eq!(
        app.count("SELECT COUNT(DISTINCT contact_id) FROM invitations")
            .await,
        10_000
    );
    let (_, again, _) = api(&app, "POST", &sends, Some(&editor), everyone).await;
    assert_eq!(
        again["invited"].as_i64(),
        Some(0),
        "nobody is invited twice: {again}"
    );
}

async fn viewers_can_read_contacts_but_not_import(app: TestApp) {
    with_communities(&app).await;
    app.add_member("viewer@example.org", "viewer").await;
    app.sign_in("viewer@example.org", crate::helpers::PASSWORD)
        .await;
    let (status, _) = app.call("get_audience", &[]).await;
    assert!(status.is_success());
    let (status, _) = app.upload_contacts(FILE.as_bytes().to_vec()).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = app
        .call(
            "create_community",
            &[("name", "X"), ("tier_id", "tier-essential")],
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(app.count("SELECT COUNT(*) FROM contacts").await, 0);
}

async fn recipients_are_chosen_by_tier_community_and_tag_with_a_count_first(app: TestApp) {
    let riverside = three_contacts(&app).await;
    let survey_id = app.create_survey("Chosen").await;
    let choose = format!("/surveys/{survey_id}/choose");
    assert_eq!(
        to_invite(&app.get(&choose).await.text().await.unwrap()),
        "3 people to invite"
    );
    let enterprise = format!("{choose}?tier=tier-enterprise");
    assert_eq!(
        to_invite(&app.get(&enterprise).await.text().await.unwrap()),
        "2 people to invite"
    );
    let tagged = format!("{choose}?community={riverside}&tag=Beta");
    assert_eq!(
        to_invite(&app.get(&tagged).await.text().await.unwrap()),
        "1 people to invite"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM invitations").await,
        0,
        "counting invites no one"
    );
    let done = app
        .post_form(
            &choose,
            &[("tier", "tier-enterprise"), ("community", ""), ("tag", "")],
        )
        .await;
    assert!(done.text().await.unwrap().contains("2 people invited."));
    let again = app.get(&choose).await.text().await.unwrap();
    assert_eq!(to_invite(&again), "1 people to invite");
    assert!(again.contains("2 already invited to this survey."));
}

async fn the_unsubscribed_and_the_recently_surveyed_are_left_out_unless_overridden(app: TestApp) {
    three_contacts(&app).await;
    let earlier = app.create_survey("Last week").await;
    app.open_survey(&earlier).await;
    app.post_form(&format!("/surveys/{earlier}/choose"), &[("tag", "beta")])
        .await;
    // The quiet period counts messages that left, not people chosen.
    app.call("send_invitations", &[("survey_id", &earlier)])
        .await;
    app.dispatch_all_pending_emails().await;
    sqlx::query("UPDATE contacts SET unsubscribed_at = 1 WHERE email = 'linus@example.org'")
        .execute(&app.db)
        .await
        .unwrap();
    let survey_id = app.create_survey("This week").await;
    let choose = format!("/surveys/{survey_id}/choose");
    let page = app.get(&choose).await.text().await.unwrap();
    assert_eq!(to_invite(&page), "0 people to invite");
    assert!(
        page.contains("1 unsubscribed: never invited.")
            && page.contains("2 sent a survey in the last 30 days"),
        "{page}"
    );
    let overridden = app
        .get(&format!("{choose}?override_quiet=on"))
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(to_invite(&overridden), "2 people to invite");
    app.post_form(&choose, &[("override_quiet", "on")]).await;
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM invitations WHERE survey_id = '{survey_id}'"
        ))
        .await,
        2
    );
}

async fn erasing_a_person_leaves_no_trace_of_them_and_keeps_the_counts(app: TestApp) {
    three_contacts(&app).await;
    let survey_id = app.create_survey("Erasure").await;
    app.open_survey(&survey_id).await;
    let links = app.add_recipients(&survey_id, "ada@example.org").await;
    let link = crate::helpers::path_of(&links[0].1);
    let question_id: String = sqlx::query_scalar("SELECT question_id FROM questions")
        .fetch_one(&app.db)
        .await
        .unwrap();
    app.post_form(&link, &[(&format!("q_{question_id}"), "4")])
        .await;
    app.call("send_invitations", &[("survey_id", &survey_id)])
        .await;
    app.upload_contacts(b"email,name,community\nada@example.org,Ada Again,Riverside\n".to_vec())
        .await;
    let (status, body) = app
        .call("erase_contact", &[("email", "ada@example.org")])
        .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a confirmation is required: {body}"
    );
    let (status, body) = app
        .call(
            "erase_contact",
            &[("email", "ADA@example.org"), ("confirm", "on")],
        )
        .await;
    assert!(status.is_success(), "{status}: {body}");
    for (table, columns) in [
        ("contacts", "email || name || role"),
        ("invitations", "token_hash || COALESCE(delivery_error, '')"),
        (
            "outbox",
            "COALESCE(to_address, '') || COALESCE(last_error, '')",
        ),
        ("dev_mailbox", "to_address || raw"),
        ("pending_imports", "content"),
    ] {
        let hits = app
            .count(&format!(
                "SELECT COUNT(*) FROM {table} \
                WHERE {columns} LIKE '%ada@example.org%' \
                OR {columns} LIKE '%Ada%'"
            ))
            .await;
        assert_eq!(hits, 0, "{table} still names her");
    }
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM contact_tags t \
            JOIN contacts c ON c.contact_id = t.contact_id \
            WHERE c.erased_at IS NOT NULL"
        )
        .await,
        0
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM invitations WHERE completed_at IS NOT NULL")
            .await,
        1,
        "the response still counts"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM answers").await, 1);
    assert_eq!(
        app.get(&link).await.status(),
        StatusCode::NOT_FOUND,
        "her link opens nothing"
    );
    let (status, _) = app
        .call(
            "erase_contact",
            &[("email", "ada@example.org"), ("confirm", "on")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (_, audience) = app.call("get_audience", &[]).await;
    assert!(audience.contains("\"total_contacts\":2"), "{audience}");
}

/// Three contacts in two communities of two tiers; returns the Riverside community's id.
async fn three_contacts(app: &TestApp) -> String {
    with_communities(app).await;
    let file = "email,name,community,tags\n\
        ada@example.org,Ada,North Side,beta\n\
        grace@example.org,Grace,Riverside,beta\n\
        linus@example.org,Linus,Riverside,\n";
    let (_, preview) = app.upload_contacts(file.as_bytes().to_vec()).await;
    app.post_form(&apply_path(&preview), &[]).await;
    sqlx::query_scalar("SELECT community_id FROM communities WHERE name = 'Riverside'")
        .fetch_one(&app.db)
        .await
        .unwrap()
}

fn to_invite(html: &str) -> String {
    let start = html.find("data-testid=\"to-invite\">").expect("a count") + 24;
    html[start..start + html[start..].find('<').unwrap()].to_string()
}

/// A CRM export: 300 member organisations on three tiers (one new), each with its time
/// zone, and 20,000 people.
fn crm_file() -> String {
    let tiers = ["Essential", "Professional", "Enterprise", "Strategic"];
    let zones = [
        "Europe/Berlin",
        "Australia/Brisbane",
        "America/New_York",
        "",
    ];
    let mut file = String::from("email,name,community,tier,time_zone,tags\n");
    for i in 0..20_000 {
        let org = i % 300;
        file.push_str(&format!(
            "member{i}@example.org,Member {i},Org {org:03},{},{},t{}\n",
            tiers[org % 4],
            zones[org % 4],
            i % 5
        ));
    }
    file
}

async fn a_crm_file_of_300_communities_and_20000_contacts_imports_with_its_communities_and_tiers(
    app: TestApp,
) {
    app.set_up_admin().await;
    // One of the 300 exists already, on another tier: the file moves it.
    app.add_community("Org 001", "tier-essential").await;
    let (status, preview) = app.upload_contacts(crm_file().into_bytes()).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "{}",
        &preview[..2000.min(preview.len())]
    );
    assert!(
        preview.contains("Communities: 299 to create, 1 to change, 1 new tier"),
        "{}",
        &preview[..4000.min(preview.len())]
    );
    assert!(preview.contains("New tier: Strategic."));
    assert!(preview.contains("20000 to create"));
    let applied = app
        .post_form(&apply_path(&preview), &[])
        .await
        .text()
        .await
        .unwrap();
    assert!(applied.contains("20000 created"), "{applied}");
    assert_eq!(app.count("SELECT COUNT(*) FROM communities").await, 300);
    assert_eq!(app.count("SELECT COUNT(*) FROM tiers").await, 4);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM communities WHERE time_zone = 'Australia/Brisbane'")
            .await,
        75
    );
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM communities cm JOIN tiers t ON t.tier_id = cm.tier_id \
             WHERE cm.name = 'Org 001' AND t.name = 'Professional'"
        )
        .await,
        1,
        "the known community moved to the file's tier"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM contacts WHERE community_id IS NULL")
            .await,
        0
    );
    // The same file again changes nothing.
    let (_, again) = app.upload_contacts(crm_file().into_bytes()).await;
    assert!(
        again.contains("20000 unchanged"),
        "{}",
        &again[..2000.min(again.len())]
    );
    assert!(!again.contains("Communities:"), "no community changes");
}

async fn the_api_and_the_command_line_create_communities_from_a_tier(app: TestApp) {
    app.set_up_admin().await;
    let editor = token(&app, "editor").await;
    let body = json!({"contacts": [
        {"email": "ada@example.org", "name": "Ada", "community": "Harbour", "tier": "Enterprise",
         "time_zone": "Australia/Sydney"},
        {"email": "bob@example.org", "name": "Bob", "community": "Quay"}
    ]});
    let (status, refused, _) = api(&app, "PUT", "/contacts", Some(&editor), Some(body)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    assert!(refused.to_string().contains("give its tier"), "{refused}");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM communities").await,
        0,
        "all or nothing"
    );
    let body = json!({"contacts": [
        {"email": "ada@example.org", "name": "Ada", "community": "Harbour", "tier": "Enterprise",
         "time_zone": "Australia/Sydney"}
    ]});
    let (status, out, _) = api(&app, "PUT", "/contacts", Some(&editor), Some(body)).await;
    assert_eq!(status, StatusCode::OK, "{out}");
    let (_, communities, _) = api(&app, "GET", "/communities", Some(&editor), None).await;
    assert_eq!(communities["items"][0]["name"], "Harbour");
    assert_eq!(communities["items"][0]["tier"], "Enterprise");
    assert_eq!(communities["items"][0]["time_zone"], "Australia/Sydney");

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("crm.csv");
    std::fs::write(
        &file,
        "email,name,community,tier\ncy@example.org,Cy,Quay,Professional\n",
    )
    .unwrap();
    let output =
        crate::command_line::soundings(&app, &["contacts", "import", file.to_str().unwrap()]);
    assert!(output.status.success(), "{output:?}");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM communities WHERE name = 'Quay'")
            .await,
        1
    );
}
