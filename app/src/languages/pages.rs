//! `/surveys/{id}/languages`: which languages a survey offers, and
//! `/surveys/{id}/languages/{code}`: its texts in one of them, each beside the default's.
//! Plain server-rendered forms (no WASM: the team's bundle stays as it is), thin adapters
//! over `use_cases`.
use super::model::{Language, SurveyLanguages, Translation, UI_LANGUAGES};
use super::use_cases::{self, Editing, Overview};
use crate::auth::model::Role;
use crate::error::{AppError, AppResult};
use crate::ids::SurveyId;
use crate::server::edge::{alert, refusal};
use crate::server::guard;
use crate::server::html::team_document;
use crate::server::AppState;
use axum::extract::rejection::FormRejection;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use http::{HeaderMap, StatusCode};
use leptos::prelude::*;
use serde::Deserialize;

/// The pages' routes. A translation's form can be long (two emails of up to 5,000
/// characters, percent-encoded three times over in Arabic), so they take bigger bodies than
/// the other forms; the server gives them their own limit.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/surveys/{id}/languages",
            get(show_languages).post(save_languages),
        )
        .route(
            "/surveys/{id}/languages/{code}",
            get(show_translation).post(save_translation),
        )
}

/// The largest form the translation page takes.
pub const MAX_TRANSLATION_FORM_BYTES: usize = 512 * 1024;

#[derive(Deserialize)]
pub struct SavedQuery {
    saved: Option<String>,
}

async fn show_languages(
    State(state): State<AppState>,
    Path(survey_id): Path<String>,
    Query(query): Query<SavedQuery>,
    headers: HeaderMap,
) -> Response {
    let result = async {
        guard::require_role_in(&state, &headers, Role::Viewer).await?;
        let survey_id = SurveyId::parse(&survey_id)?;
        let overview = use_cases::overview(&state.db, &survey_id).await?;
        Ok(languages_page(
            &survey_id,
            &overview,
            query.saved.is_some(),
            None,
        ))
    }
    .await;
    page_or_refusal(result, StatusCode::OK)
}

async fn save_languages(
    State(state): State<AppState>,
    Path(survey_id): Path<String>,
    headers: HeaderMap,
    form: Result<Form<Vec<(String, String)>>, FormRejection>,
) -> Response {
    let result: AppResult<Response> = async {
        let user = guard::require_role_in(&state, &headers, Role::Editor).await?;
        let survey_id = SurveyId::parse(&survey_id)?;
        // A body that is not the form (or no default in it) changes nothing: read as
        // empty, it would drop every translation.
        let fields = form.map_err(|_| AppError::BadRequest)?.0;
        let default = value(&fields, "default").ok_or(AppError::BadRequest)?;
        let others: Vec<String> = fields
            .iter()
            .filter(|(name, value)| name == "translations" && value != default)
            .map(|(_, value)| value.clone())
            .collect();
        let parsed = SurveyLanguages::parse(default, &others)
            .map_err(|message| AppError::field("translations", message));
        let error = match parsed {
            Ok(languages) => {
                let (by, now) = (user.actor(), state.clock.now());
                use_cases::set_languages(&state.db, &survey_id, &languages, &by, now).await?;
                let to = format!("/surveys/{survey_id}/languages?saved=1");
                return Ok(Redirect::to(&to).into_response());
            }
            Err(error) => error,
        };
        // Shown again with the error, the survey's languages as they still are.
        let overview = use_cases::overview(&state.db, &survey_id).await?;
        let html = languages_page(&survey_id, &overview, false, Some(&error));
        Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
    }
    .await;
    result.unwrap_or_else(|error| refusal(error, error_document))
}

async fn show_translation(
    State(state): State<AppState>,
    Path((survey_id, code)): Path<(String, String)>,
    Query(query): Query<SavedQuery>,
    headers: HeaderMap,
) -> Response {
    let result = async {
        guard::require_role_in(&state, &headers, Role::Viewer).await?;
        let survey_id = SurveyId::parse(&survey_id)?;
        let language = Language::parse(&code).map_err(|_| AppError::NotFound)?;
        let editing = use_cases::editing(&state.db, &survey_id, language).await?;
        let saved = query.saved.is_some();
        Ok(translation_page(&survey_id, &editing, saved, None))
    }
    .await;
    page_or_refusal(result, StatusCode::OK)
}

async fn save_translation(
    State(state): State<AppState>,
    Path((survey_id, code)): Path<(String, String)>,
    headers: HeaderMap,
    form: Result<Form<Vec<(String, String)>>, FormRejection>,
) -> Response {
    let result: AppResult<Response> = async {
        let user = guard::require_role_in(&state, &headers, Role::Editor).await?;
        let survey_id = SurveyId::parse(&survey_id)?;
        let language = Language::parse(&code).map_err(|_| AppError::NotFound)?;
        // A body that is not the form changes nothing: read as empty, it would wipe the
        // translation.
        let fields = form.map_err(|_| AppError::BadRequest)?.0;
        let translation = Translation::from_fields(&fields);
        let now = state.clock.now();
        let by = user.actor();
        match use_cases::save_translation(&state.db, &survey_id, language, &translation, &by, now)
            .await
        {
            Ok(()) => {
                let to = format!("/surveys/{survey_id}/languages/{}?saved=1", language.code());
                Ok(Redirect::to(&to).into_response())
            }
            Err(error @ AppError::Validation(_)) => {
                // The page again with what was typed, each problem beside its text.
                let mut editing = use_cases::editing(&state.db, &survey_id, language).await?;
                editing.pairs = editing
                    .pairs
                    .into_iter()
                    .map(|mut pair| {
                        pair.translated = value(&fields, &pair.key).unwrap_or_default().to_string();
                        pair
                    })
                    .collect();
                let html = translation_page(&survey_id, &editing, false, Some(&error));
                Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
            }
            Err(error) => Err(error),
        }
    }
    .await;
    result.unwrap_or_else(|error| refusal(error, error_document))
}

fn value<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

fn page_or_refusal(result: AppResult<String>, status: StatusCode) -> Response {
    match result {
        Ok(html) => (status, Html(html)).into_response(),
        Err(error) => refusal(error, error_document),
    }
}

fn error_document(error: &AppError) -> String {
    let back = ("/surveys".to_string(), "Surveys".to_string());
    team_document("Languages".into(), back, "Languages", alert(error))
}

fn back_to(survey_id: &SurveyId) -> (String, String) {
    (
        format!("/surveys/{survey_id}/build"),
        "Back to the survey".to_string(),
    )
}

/// Which languages ship the respondent pages' own words, named in English.
fn page_word_languages() -> String {
    let names: Vec<&str> = UI_LANGUAGES
        .iter()
        .filter_map(|code| Language::parse(code).ok())
        .map(Language::english_name)
        .collect();
    match names.split_last() {
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    }
}

fn languages_page(
    survey_id: &SurveyId,
    overview: &Overview,
    saved: bool,
    error: Option<&AppError>,
) -> String {
    let languages = &overview.languages;
    let default = languages.default_language();
    let options = Language::all()
        .map(|l| {
            view! { <option value=l.code() selected=l == default>{l.label()}</option> }
        })
        .collect_view();
    // The language the survey is written in is always offered; it has no box.
    let boxes = Language::all()
        .filter(|l| *l != default)
        .map(|l| {
            let id = format!("translation-{}", l.code());
            let label = format!(" {}", l.label());
            view! {
                <label class="inline-choice" for=id.clone()>
                    <input type="checkbox" id=id.clone() name="translations" value=l.code()
                        checked=languages.translations().contains(&l)/>
                    {label}
                </label>
            }
        })
        .collect_view();
    let rows = overview
        .missing
        .iter()
        .map(|(language, missing)| {
            let href = format!("/surveys/{survey_id}/languages/{}", language.code());
            let state = match missing {
                0 => "Complete".to_string(),
                1 => "1 text missing".to_string(),
                n => format!("{n} texts missing"),
            };
            let name = language.label();
            // The language the respondent page's buttons and messages are in.
            let words = match language.has_ui_words() {
                true => language.english_name(),
                false => "English",
            };
            view! {
                <tr>
                    <th scope="row">{name}</th>
                    <td>{state}</td>
                    <td>{words}</td>
                    <td><a href=href>"Translate"</a></td>
                </tr>
            }
        })
        .collect_view();
    let has_translations = !overview.missing.is_empty();
    let default_name = default.english_name();
    let body = view! {
        {saved.then(|| view! { <div class="notice notice-success" role="status">"Languages saved."</div> })}
        {error.map(alert)}
        <p class="hint">
            "Each person sees the survey in the language picked on its page, else their contact's preferred language, else the first their browser asks for, else the default; only among the languages below. "
            {format!("Buttons and messages on the respondent's page ship in {}; in other languages they stay in English.", page_word_languages())}
        </p>
        <form method="post" class="card stack">
            <div class="field narrow-field">
                <label for="default">"Written in"</label>
                <select id="default" name="default">{options}</select>
                <p class="hint">"The language of the survey's own texts in the builder: the default, and what a missing translation falls back to."</p>
            </div>
            <fieldset class="field language-choices">
                <legend>"Also offered in"</legend>
                <p class="hint">"At most seven besides the default. Removing a language deletes its translation."</p>
                <div class="language-grid">{boxes}</div>
            </fieldset>
            <button type="submit" class="button primary">"Save languages"</button>
        </form>
        <h2 class="section-title">"Translations"</h2>
        {if has_translations {
            view! {
                <table class="table">
                    <thead><tr><th scope="col">"Language"</th><th scope="col">"Texts"</th><th scope="col">"Buttons and messages"</th><th scope="col"><span class="visually-hidden">"Edit"</span></th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            }.into_any()
        } else {
            view! { <p class="hint">{format!("The survey is offered in {default_name} only.")}</p> }.into_any()
        }}
    };
    team_document("Languages".into(), back_to(survey_id), "Languages", body)
}

fn translation_page(
    survey_id: &SurveyId,
    editing: &Editing,
    saved: bool,
    error: Option<&AppError>,
) -> String {
    let language = editing.language;
    let default = editing.default_language;
    let total = editing.pairs.len();
    let missing = editing.missing();
    let summary = match missing {
        0 => format!("All {total} texts are translated."),
        n => format!(
            "{n} of {total} texts missing or outdated: until they are translated, people reading {} see them in {}.",
            language.english_name(),
            default.english_name()
        ),
    };
    let preview = format!("/surveys/{survey_id}/preview?lang={}", language.code());
    let fields = editing
        .pairs
        .iter()
        .map(|pair| {
            let problem = error.and_then(|e| e.message_for(&pair.key));
            let error_id = format!("{}-error", pair.key);
            let source_id = format!("{}-source", pair.key);
            let described = match problem {
                Some(_) => format!("{source_id} {error_id}"),
                None => source_id.clone(),
            };
            let control = if pair.long {
                view! {
                    <textarea id=pair.key.clone() name=pair.key.clone() rows="4" lang=language.code() dir=language.direction()
                        aria-describedby=described.clone() aria-invalid=problem.is_some().then_some("true")>{crate::ui::textarea_text(&pair.translated)}</textarea>
                }.into_any()
            } else {
                view! {
                    <input type="text" id=pair.key.clone() name=pair.key.clone() value=pair.translated.clone() lang=language.code() dir=language.direction()
                        aria-describedby=described.clone() aria-invalid=problem.is_some().then_some("true")/>
                }.into_any()
            };
            let badge = match (pair.translated.trim().is_empty(), pair.outdated) {
                (true, _) => Some("Missing"),
                // Translated from an earlier wording: shown in the default until checked.
                (false, true) => Some("Outdated"),
                (false, false) => None,
            };
            let has_error = problem.is_some();
            view! {
                <div class="field translation-pair" class:has-error=has_error>
                    <label for=pair.key.clone()>{pair.label.clone()}{badge.map(|b| view! { " "<span class="badge">{b}</span> })}</label>
                    <p class="translation-source" id=source_id lang=default.code() dir=default.direction()>{pair.source.clone()}</p>
                    {problem.map(|m| view! { <p class="field-error" id=error_id>{m}</p> })}
                    {control}
                </div>
            }
        })
        .collect_view();
    // Which survey, into which language: the title as the default language has it.
    let title = editing
        .pairs
        .first()
        .filter(|pair| pair.key == "title")
        .map(|pair| pair.source.clone())
        .unwrap_or_default();
    let heading = format!("{title}, into {}", language.label());
    let body = view! {
        <p class="lead">{heading}</p>
        {saved.then(|| view! { <div class="notice notice-success" role="status">"Translation saved."</div> })}
        {error.map(alert)}
        <p class="hint">{summary}" "<a href=preview target="_blank">{format!("Preview in {}", language.english_name())}</a></p>
        <p class="hint">"Emails keep their placeholders, such as {{ survey_link }} and {{ name }}, exactly as written."</p>
        <form method="post" class="stack translation-form">
            {fields}
            <button type="submit" class="button primary">"Save translation"</button>
        </form>
    };
    team_document(
        "Translation".into(),
        back_to(survey_id),
        "Translation",
        body,
    )
}
