//! Surveys in several languages: each person's page in their language (picked on the page,
//! else their contact's, else their browser's, else the survey's default), missing
//! translations falling back text by text, invitations in the contact's language, answers
//! read per language under the small-group rule, and no language kept with an anonymous
//! answer.
use crate::helpers::{on_both_backends, path_of, TestApp};
use crate::public_api::{api, token};
use reqwest::StatusCode;
use serde_json::{json, Value};

/// The survey's default (English) title and German one, which tests look for on pages.
const TITLE: &str = "Dashboards v2";
const GERMAN_TITLE: &str = "Übersichten v2";

async fn contact(app: &TestApp, email: &str, language: &str) {
    let fields = [
        ("email", email),
        ("name", email.split('@').next().unwrap()),
        ("community", "North Side"),
        ("role", ""),
        ("tags", ""),
        ("language", language),
    ];
    let (status, body) = app.call("save_contact", &fields).await;
    assert!(status.is_success(), "{status}: {body}");
}

/// An open survey in English, German and Arabic with a German title and prompt (no
/// Arabic texts), sent to `people` (email, preferred language); returns its id, the first
/// question's field and each person's link path.
async fn survey(
    app: &TestApp,
    anonymity: &str,
    people: &[(&str, &str)],
) -> (String, String, Vec<(String, String)>) {
    app.set_up_admin().await;
    app.add_community("North Side", "tier-essential").await;
    for (email, language) in people {
        contact(app, email, language).await;
    }
    let survey_id = app.create_survey(TITLE).await;
    sqlx::query("UPDATE surveys SET anonymity = $1, reminder_days = '' WHERE survey_id = $2")
        .bind(anonymity)
        .bind(&survey_id)
        .execute(&app.db)
        .await
        .unwrap();
    let editor = token(app, "editor").await;
    let path = format!("/surveys/{survey_id}/languages");
    let body = json!({ "default": "en", "translations": ["de", "ar"] });
    let (status, answer, _) = api(app, "PUT", &path, Some(&editor), Some(body)).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let question = app.first_question(&survey_id).await;
    let german = json!({
        "title": GERMAN_TITLE,
        "questions": { question.clone(): { "prompt": "Wie zufrieden sind Sie mit den Übersichten?" } },
        "emails": { "invitation": {
            "subject": "Ihre Meinung zu {{ feature }}",
            "body": "Hallo {{ name }},\n\nsagen Sie uns Ihre Meinung:\n\n{{ survey_link }}"
        } }
    });
    let path = format!("/surveys/{survey_id}/translations/de");
    let (status, answer, _) = api(app, "PUT", &path, Some(&editor), Some(german)).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    app.open_survey(&survey_id).await;
    let emails: Vec<&str> = people.iter().map(|(e, _)| *e).collect();
    let links = app.add_recipients(&survey_id, &emails.join("\n")).await;
    let links = links.into_iter().map(|(e, l)| (e, path_of(&l))).collect();
    (survey_id, format!("q_{question}"), links)
}

fn link<'a>(links: &'a [(String, String)], email: &str) -> &'a str {
    &links.iter().find(|(e, _)| e == email).unwrap().1
}

/// A person's page as their browser asks for it, signed out.
async fn page(app: &TestApp, path: &str, accept_language: &str) -> String {
    let response = reqwest::Client::new()
        .get(app.url(path))
        .header("accept-language", accept_language)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    response.text().await.unwrap()
}

fn html_lang(html: &str) -> &str {
    let at = html.find("<html lang=\"").expect("an html lang") + 12;
    &html[at..at + html[at..].find('"').unwrap()]
}

on_both_backends!(
    each_page_is_in_the_contacts_language_then_the_browsers_then_the_default,
    a_language_picked_on_the_page_wins_and_is_kept_through_the_answer,
    a_missing_translation_shows_the_default_text_under_the_pages_own_words,
    the_invitation_reaches_each_contact_in_their_language,
    answers_are_read_per_language_and_a_lone_speaker_stays_hidden,
    an_insider_reading_the_database_cannot_tell_an_anonymous_answers_language,
    a_translation_for_the_default_or_an_unoffered_language_or_with_a_broken_email_is_refused,
    a_contacts_language_is_read_from_the_api_and_a_language_nobody_knows_is_refused,
    the_next_releases_copy_speaks_the_same_languages,
    a_survey_written_in_german_previews_and_sends_its_email_layout_in_german,
    a_translated_option_never_records_another_option_after_the_options_move,
);

async fn each_page_is_in_the_contacts_language_then_the_browsers_then_the_default(app: TestApp) {
    let people = [
        ("greta@example.org", "de"),
        ("farid@example.org", "fr"),
        ("jun@example.org", ""),
    ];
    let (_, _, links) = survey(&app, "identified", &people).await;
    app.set_session_cookie(None);
    // The contact's German wins over the browser's Arabic.
    let greta = page(&app, link(&links, "greta@example.org"), "ar, en;q=0.5").await;
    assert_eq!(html_lang(&greta), "de");
    assert!(greta.contains(GERMAN_TITLE) && greta.contains("Antworten senden"));
    // French is not offered: the browser's first offered language (Arabic) decides,
    // right to left.
    let farid = page(
        &app,
        link(&links, "farid@example.org"),
        "fr-CH, ar;q=0.9, en;q=0.8",
    )
    .await;
    assert!(
        farid.contains("<html lang=\"ar\" dir=\"rtl\""),
        "{}",
        &farid[..200]
    );
    assert!(farid.contains("أرسل إجاباتي"));
    // Arabic has no texts of its own: the English title shows, marked as English and left
    // to right inside the right-to-left page.
    assert!(
        farid.contains(&format!("<h1 lang=\"en\" dir=\"ltr\">{TITLE}</h1>")),
        "{farid}"
    );
    assert!(
        !greta.contains("<h1 lang="),
        "a translated title is in the page's language"
    );
    // Nothing offered matches: the default.
    let jun = page(&app, link(&links, "jun@example.org"), "ja, ko;q=0.7").await;
    assert!(jun.contains("<html lang=\"en\" dir=\"ltr\""));
    assert!(jun.contains("Send my answers") && jun.contains(TITLE));
    // Every page links each language, named in itself.
    for html in [&greta, &farid, &jun] {
        assert!(html.contains("Deutsch") && html.contains("العربية") && html.contains("English"));
    }
}

async fn a_language_picked_on_the_page_wins_and_is_kept_through_the_answer(app: TestApp) {
    let people = [("greta@example.org", "de")];
    let (survey_id, field, links) = survey(&app, "identified", &people).await;
    app.set_session_cookie(None);
    let path = link(&links, "greta@example.org");
    let arabic = page(&app, &format!("{path}?lang=ar"), "de").await;
    assert_eq!(html_lang(&arabic), "ar");
    // The form posts back in the picked language, and the saved page stays in it.
    let action = format!("action=\"{path}?lang=ar\"");
    assert!(arabic.contains(&action), "the form forgets the language");
    let response = app
        .post_form(&format!("{path}?lang=ar"), &[(&field, "4")])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let saved = crate::helpers::location(&response);
    assert!(saved.contains("lang=ar"), "{saved}");
    let language: Option<String> =
        sqlx::query_scalar("SELECT language FROM responses WHERE survey_id = $1")
            .bind(&survey_id)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(language.as_deref(), Some("ar"));
}

async fn a_missing_translation_shows_the_default_text_under_the_pages_own_words(app: TestApp) {
    let people = [("greta@example.org", "de")];
    let (_, field, links) = survey(&app, "identified", &people).await;
    app.set_session_cookie(None);
    let path = link(&links, "greta@example.org");
    // The German translation has no help or intro; what it has is German, the rest
    // English, and the page's own words German throughout, errors included.
    let response = app.post_form(path, &[(&field, "12")]).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert!(html.contains("Wie zufrieden sind Sie mit den Übersichten?"));
    assert!(html.contains("Bitte prüfen Sie Ihre Antworten"));
    assert!(html.contains("Wählen Sie eine der Antworten von 1 bis 5."));
    assert!(
        html.contains("Sehr zufrieden"),
        "the scale's words stay English"
    );
}

async fn the_invitation_reaches_each_contact_in_their_language(app: TestApp) {
    let people = [("greta@example.org", "de"), ("jun@example.org", "")];
    let (survey_id, _, _) = survey(&app, "identified", &people).await;
    app.send_invitations(&survey_id).await;
    let mail: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT to_address, subject, html_body FROM dev_mailbox ORDER BY to_address",
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert_eq!(mail.len(), 2, "{mail:?}");
    let (greta, jun) = (&mail[0], &mail[1]);
    assert_eq!(greta.0, "greta@example.org");
    assert!(greta.1.starts_with("Ihre Meinung zu"), "{}", greta.1);
    assert!(greta.2.contains("<html lang=\"de\""));
    assert!(greta.2.contains("Diese Umfragen abbestellen"));
    assert!(
        greta.2.contains("Sehr zufrieden"),
        "one-click words in German"
    );
    assert!(
        jun.2.contains("<html lang=\"en\"") && jun.2.contains("Unsubscribe from these surveys")
    );
    assert!(!jun.1.contains("Ihre Meinung"));
    // Greta's unsubscribe page is in German too, whatever her browser asks for.
    let at = greta.2.find("/u/").expect("an unsubscribe link");
    let token: String = greta.2[at + 3..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    let html = page(&app, &format!("/u/{token}"), "en").await;
    assert!(html.contains("<html lang=\"de\"") && html.contains("Keine Umfragen mehr erhalten?"));
}

async fn answers_are_read_per_language_and_a_lone_speaker_stays_hidden(app: TestApp) {
    let mut people: Vec<(String, &str)> = (0..7)
        .map(|n| (format!("de{n}@example.org"), "de"))
        .collect();
    people.extend((0..6).map(|n| (format!("en{n}@example.org"), "")));
    people.push(("ar0@example.org".to_string(), "ar"));
    let people: Vec<(&str, &str)> = people.iter().map(|(e, l)| (e.as_str(), *l)).collect();
    let (survey_id, field, links) = survey(&app, "identified", &people).await;
    app.set_session_cookie(None);
    for (email, _) in &people {
        let score = if email.starts_with("de") { "5" } else { "2" };
        let response = app.post_form(link(&links, email), &[(&field, score)]).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{email}");
    }
    app.sign_in(crate::helpers::ADMIN_EMAIL, crate::helpers::PASSWORD)
        .await;
    let (status, body) = app.call("get_results", &[("survey_id", &survey_id)]).await;
    assert!(status.is_success(), "{status}: {body}");
    let results: Value = serde_json::from_str(&body).unwrap();
    let rows = results["languages"]["rows"]
        .as_array()
        .expect("rows by language");
    let row = |name: &str| {
        rows.iter()
            .find(|r| r["language"].as_str().unwrap().starts_with(name))
            .unwrap()
    };
    assert_eq!(row("German")["completed"], 7);
    assert_eq!(row("German")["score"], 100.0);
    // One Arabic answer: hidden, and since the total is on the page, the smallest other
    // language (English, 6) is hidden with it, or 14 - 7 - 6 would give it away.
    for language in ["Arabic", "English"] {
        assert_eq!(row(language)["completed"], Value::Null, "{language}");
        assert_eq!(row(language)["score"], Value::Null, "{language}");
    }
}

async fn an_insider_reading_the_database_cannot_tell_an_anonymous_answers_language(app: TestApp) {
    let people = [("greta@example.org", "de"), ("jun@example.org", "")];
    let (survey_id, field, links) = survey(&app, "anonymous", &people).await;
    app.set_session_cookie(None);
    for email in ["greta@example.org", "jun@example.org"] {
        let path = format!("{}?lang=de", link(&links, email));
        let response = app.post_form(&path, &[(&field, "4")]).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
    }
    // Greta is the only German speaker: a language beside her answer would name her.
    let kept = app
        .count(&format!(
            "SELECT COUNT(*) FROM responses WHERE survey_id = '{survey_id}' AND language IS NOT NULL"
        ))
        .await;
    assert_eq!(kept, 0);
    app.sign_in(crate::helpers::ADMIN_EMAIL, crate::helpers::PASSWORD)
        .await;
    let (_, body) = app.call("get_results", &[("survey_id", &survey_id)]).await;
    let results: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(results["languages"]["kept"], false);
    assert_eq!(results["languages"]["rows"], json!([]));
}

async fn a_translation_for_the_default_or_an_unoffered_language_or_with_a_broken_email_is_refused(
    app: TestApp,
) {
    let (survey_id, _, _) = survey(&app, "identified", &[("greta@example.org", "de")]).await;
    let editor = token(&app, "editor").await;
    let put = |language: &str, body: Value| {
        let path = format!("/surveys/{survey_id}/translations/{language}");
        let editor = editor.clone();
        let app = &app;
        async move { api(app, "PUT", &path, Some(&editor), Some(body)).await }
    };
    let (status, body, _) = put("en", json!({ "title": "Dashboards" })).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(body.to_string().contains("the survey's own language"));
    let (status, body, _) = put("fr", json!({ "title": "Tableaux" })).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(body.to_string().contains("doesn't offer French"));
    let (status, _, _) = put("0", json!({ "title": "?" })).await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "a language nobody knows has no translation"
    );
    let broken = json!({ "emails": { "invitation": { "subject": "Hallo", "body": "Kein Link {{ nope }}" } } });
    let (status, body, _) = put("de", broken).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.to_string().contains("email.invitation.body"), "{body}");
    let long = json!({ "title": "x".repeat(121) });
    let (status, body, _) = put("de", long).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    // Nothing was lost: the German translation saved earlier is still there.
    let path = format!("/surveys/{survey_id}/translations/de");
    let (status, body, _) = api(&app, "GET", &path, Some(&editor), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["content"]["title"], GERMAN_TITLE);
    let path = format!("/surveys/{survey_id}/languages");
    let (_, body, _) = api(&app, "GET", &path, Some(&editor), None).await;
    let codes: Vec<&str> = body["languages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["en", "de", "ar"]);
    // Arabic lacks every text; German lacks all but the title, the first prompt and the
    // invitation's two texts.
    let missing = |code: &str| {
        body["languages"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["code"] == code)
            .unwrap()["missing"]
            .as_i64()
            .unwrap()
    };
    assert_eq!(missing("ar") - missing("de"), 4);
}

async fn a_survey_written_in_german_previews_and_sends_its_email_layout_in_german(app: TestApp) {
    app.set_up_admin().await;
    let survey_id = app.create_survey(GERMAN_TITLE).await;
    let editor = token(&app, "editor").await;
    let path = format!("/surveys/{survey_id}/languages");
    let body = json!({ "default": "de", "translations": [] });
    let (status, answer, _) = api(&app, "PUT", &path, Some(&editor), Some(body)).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let preview = app
        .get(&format!("/surveys/{survey_id}/email-preview/invitation"))
        .await;
    let preview = preview.text().await.unwrap();
    assert!(preview.contains("<html lang=\"de\"") && preview.contains("Zur Umfrage"));
    app.open_survey(&survey_id).await;
    app.add_recipients(&survey_id, "jun@example.org").await;
    app.send_invitations(&survey_id).await;
    let html: String = sqlx::query_scalar("SELECT html_body FROM dev_mailbox")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert!(html.contains("Diese Umfragen abbestellen"), "{html}");
}

async fn a_translated_option_never_records_another_option_after_the_options_move(app: TestApp) {
    app.set_up_admin().await;
    let survey_id = app.create_survey(TITLE).await;
    let (status, body) = app
        .call(
            "add_question",
            &[("survey_id", &survey_id), ("kind", "single_choice")],
        )
        .await;
    assert!(status.is_success(), "{body}");
    let question: String =
        sqlx::query_scalar("SELECT question_id FROM questions WHERE kind = 'single_choice'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    let edit = |options: &'static str| {
        let (survey_id, question) = (survey_id.clone(), question.clone());
        let app = &app;
        async move {
            let fields = [
                ("survey_id", survey_id.as_str()),
                ("question_id", question.as_str()),
                ("prompt", "Which plan are you on?"),
                ("help", ""),
                ("options", options),
            ];
            let (status, body) = app.call("update_question", &fields).await;
            assert!(status.is_success(), "{body}");
        }
    };
    edit("Free\nEnterprise").await;
    let editor = token(&app, "editor").await;
    let path = format!("/surveys/{survey_id}/languages");
    let body = json!({ "default": "en", "translations": ["de"] });
    api(&app, "PUT", &path, Some(&editor), Some(body)).await;
    let german = json!({ "questions": { question.clone(): {
        "prompt": "Welchen Tarif haben Sie?", "options": ["Kostenlos", "Enterprise"]
    } }, "emails": { "poll": { "subject": "ignored" } } });
    let path = format!("/surveys/{survey_id}/translations/de");
    let (status, body, _) = api(&app, "PUT", &path, Some(&editor), Some(german)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(
        body["content"]["emails"].get("poll").is_none(),
        "an unknown email was kept: {body}"
    );
    // The editor puts Enterprise first: option 0 is now Enterprise.
    edit("Enterprise\nFree").await;
    let preview = app
        .get(&format!("/surveys/{survey_id}/preview?lang=de"))
        .await;
    let html = preview.text().await.unwrap();
    // "Kostenlos" would now sit on Enterprise's radio: it is not shown; the English
    // options are, marked as English.
    assert!(!html.contains("Kostenlos"), "a stale option label shows");
    assert!(html.contains("<span lang=\"en\" dir=\"ltr\">Enterprise</span>"));
    assert!(
        html.contains("Welchen Tarif haben Sie?"),
        "the unchanged prompt stays German"
    );
    let (_, body, _) = api(
        &app,
        "GET",
        &format!("/surveys/{survey_id}/languages"),
        Some(&editor),
        None,
    )
    .await;
    let page = app
        .get(&format!("/surveys/{survey_id}/languages/de"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Outdated"), "the editor is not told");
    assert!(body["languages"][1]["missing"].as_i64().unwrap() >= 2);
}

async fn the_next_releases_copy_speaks_the_same_languages(app: TestApp) {
    let (survey_id, _, _) = survey(&app, "identified", &[("greta@example.org", "de")]).await;
    let (status, body) = app
        .call("duplicate_survey", &[("survey_id", &survey_id)])
        .await;
    assert!(
        status.is_success() || status.is_redirection(),
        "{status}: {body}"
    );
    let copy: String = sqlx::query_scalar("SELECT survey_id FROM surveys WHERE survey_id <> $1")
        .bind(&survey_id)
        .fetch_one(&app.db)
        .await
        .unwrap();
    let editor = token(&app, "editor").await;
    let (_, body, _) = api(
        &app,
        "GET",
        &format!("/surveys/{copy}/translations/de"),
        Some(&editor),
        None,
    )
    .await;
    let question = app.first_question(&copy).await;
    assert_eq!(body["content"]["title"], GERMAN_TITLE);
    assert_eq!(
        body["content"]["questions"][&question]["prompt"],
        "Wie zufrieden sind Sie mit den Übersichten?",
        "the copy's question lost its German: {body}"
    );
    let (_, body, _) = api(
        &app,
        "GET",
        &format!("/surveys/{copy}/languages"),
        Some(&editor),
        None,
    )
    .await;
    assert_eq!(body["languages"].as_array().unwrap().len(), 3);
}

async fn a_contacts_language_is_read_from_the_api_and_a_language_nobody_knows_is_refused(
    app: TestApp,
) {
    app.set_up_admin().await;
    let editor = token(&app, "editor").await;
    let contacts = json!({ "contacts": [
        { "email": "greta@example.org", "name": "Greta", "community": "North Side", "tier": "Essential", "language": "de-AT" },
        { "email": "jun@example.org", "name": "Jun", "community": "North Side", "tier": "Essential" }
    ] });
    let (status, body, _) = api(&app, "PUT", "/contacts", Some(&editor), Some(contacts)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, body, _) = api(&app, "GET", "/contacts", Some(&editor), None).await;
    let items = body["items"].as_array().unwrap();
    assert_eq!(items[0]["email"], "greta@example.org");
    assert_eq!(items[0]["language"], "de");
    assert_eq!(items[1]["language"], Value::Null);
    let unknown = json!({ "contacts": [
        { "email": "greta@example.org", "name": "Greta", "community": "North Side", "language": "Klingon" }
    ] });
    let (status, body, _) = api(&app, "PUT", "/contacts", Some(&editor), Some(unknown)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(
        body.to_string().contains("“Klingon” is not a language"),
        "{body}"
    );
    let (_, body, _) = api(&app, "GET", "/contacts", Some(&editor), None).await;
    assert_eq!(
        body["items"][0]["language"], "de",
        "the refused call changed nothing"
    );
}

mod pages {
    use super::*;

    on_both_backends!(
        an_editor_offers_languages_and_translates_on_plain_pages,
        the_translation_page_keeps_what_was_typed_beside_its_problem,
        a_viewer_reads_the_translation_pages_but_cannot_change_them,
        a_body_that_is_not_the_form_changes_nothing,
    );

    /// A new survey offered in English and German through the languages page; returns its
    /// id and that page's path.
    async fn offered_in_german(app: &TestApp) -> (String, String) {
        app.set_up_admin().await;
        let survey_id = app.create_survey(TITLE).await;
        let languages = format!("/surveys/{survey_id}/languages");
        app.post_form(&languages, &[("default", "en"), ("translations", "de")])
            .await;
        (survey_id, languages)
    }

    async fn a_body_that_is_not_the_form_changes_nothing(app: TestApp) {
        let (survey_id, languages) = offered_in_german(&app).await;
        let question = app.first_question(&survey_id).await;
        let prompt = format!("q.{question}.prompt");
        app.post_form(&format!("{languages}/de"), &[(prompt.as_str(), "Wie?")])
            .await;
        let send = |path: String| {
            let app = &app;
            async move {
                reqwest::Client::new()
                    .post(app.url(&path))
                    .header("origin", &app.address)
                    .header("cookie", app.session_cookie().unwrap())
                    .header("content-type", "application/json")
                    .body("{\"default\": \"en\"}")
                    .send()
                    .await
                    .unwrap()
                    .status()
            }
        };
        assert_eq!(send(languages.clone()).await, StatusCode::BAD_REQUEST);
        assert_eq!(
            send(format!("{languages}/de")).await,
            StatusCode::BAD_REQUEST
        );
        // A form without the default language is no languages form either.
        let response = app.post_form(&languages, &[("translations", "fr")]).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        let content: String = sqlx::query_scalar("SELECT content FROM survey_translations")
            .fetch_one(&app.db)
            .await
            .unwrap();
        assert!(
            content.contains("Wie?"),
            "the translation was touched: {content}"
        );
    }

    async fn an_editor_offers_languages_and_translates_on_plain_pages(app: TestApp) {
        app.set_up_admin().await;
        let survey_id = app.create_survey(TITLE).await;
        let languages = format!("/surveys/{survey_id}/languages");
        let fields = [
            ("default", "en"),
            ("translations", "de"),
            ("translations", "es"),
        ];
        let response = app.post_form(&languages, &fields).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let saved = crate::helpers::location(&response);
        let html = app.get(&saved).await.text().await.unwrap();
        assert!(html.contains("Languages saved.") && html.contains("German (Deutsch)"));
        let question = app.first_question(&survey_id).await;
        let german = format!("{languages}/de");
        let before = app.get(&german).await.text().await.unwrap();
        assert!(before.contains("Missing") && before.contains(TITLE));
        let prompt = format!("q.{question}.prompt");
        let fields = [
            ("title", GERMAN_TITLE),
            (prompt.as_str(), "Wie zufrieden sind Sie?"),
        ];
        let response = app.post_form(&german, &fields).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let after = app
            .get(&format!("{german}?saved=1"))
            .await
            .text()
            .await
            .unwrap();
        assert!(after.contains("Translation saved.") && after.contains(GERMAN_TITLE));
        // The builder's preview shows it, in German.
        let preview = app
            .get(&format!("/surveys/{survey_id}/preview?lang=de"))
            .await;
        let preview = preview.text().await.unwrap();
        assert!(
            preview.contains("Wie zufrieden sind Sie?") && preview.contains("<html lang=\"de\"")
        );
        // Dropping Spanish keeps German's translation; dropping German deletes it.
        let fields = [("default", "en"), ("translations", "de")];
        app.post_form(&languages, &fields).await;
        assert_eq!(
            app.count("SELECT COUNT(*) FROM survey_translations").await,
            1
        );
        app.post_form(&languages, &[("default", "en")]).await;
        assert_eq!(
            app.count("SELECT COUNT(*) FROM survey_translations").await,
            0
        );
    }

    async fn the_translation_page_keeps_what_was_typed_beside_its_problem(app: TestApp) {
        let (survey_id, languages) = offered_in_german(&app).await;
        let question = app.first_question(&survey_id).await;
        let prompt = format!("q.{question}.prompt");
        let too_long = "ü".repeat(301);
        let fields = [
            ("title", GERMAN_TITLE),
            (prompt.as_str(), too_long.as_str()),
        ];
        let response = app.post_form(&format!("{languages}/de"), &fields).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = response.text().await.unwrap();
        assert!(html.contains("Keep it under 300 characters (it has 301)."));
        assert!(
            html.contains(GERMAN_TITLE) && html.contains(&too_long),
            "typed text was lost"
        );
        assert_eq!(
            app.count("SELECT COUNT(*) FROM survey_translations").await,
            0
        );
        // An unknown language, and too many, are refused in words.
        let response = app.post_form(&languages, &[("default", "xx")]).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(response
            .text()
            .await
            .unwrap()
            .contains("“xx” is not a language"));
        let mut many = vec![("default", "en")];
        many.extend(["de", "fr", "es", "it", "nl", "pt", "pl", "sv"].map(|c| ("translations", c)));
        let response = app.post_form(&languages, &many).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(response
            .text()
            .await
            .unwrap()
            .contains("at most 8 languages"));
    }

    async fn a_viewer_reads_the_translation_pages_but_cannot_change_them(app: TestApp) {
        let (_, languages) = offered_in_german(&app).await;
        app.add_member("viewer@example.org", "viewer").await;
        app.sign_in("viewer@example.org", crate::helpers::PASSWORD)
            .await;
        assert_eq!(app.get(&languages).await.status(), StatusCode::OK);
        assert_eq!(
            app.get(&format!("{languages}/de")).await.status(),
            StatusCode::OK
        );
        let response = app.post_form(&languages, &[("default", "de")]).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        let response = app
            .post_form(&format!("{languages}/de"), &[("title", "X")])
            .await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        assert_eq!(
            app.count("SELECT COUNT(*) FROM survey_translations").await,
            0
        );
        app.set_session_cookie(None);
        let response = app.get(&languages).await;
        assert_eq!(crate::helpers::location(&response), "/sign-in");
    }
}
