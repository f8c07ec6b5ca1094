//! `/surveys/{id}/preview`: the respondent's page exactly as it will look, for the builder
//! to frame. Submitting it checks the answers and shows follow-ups, and stores nothing.
use super::db;
use super::lifecycle;
use crate::auth::model::Role;
use crate::error::{AppError, AppResult};
use crate::ids::SurveyId;
use crate::languages::choice;
use crate::languages::content::{PageLanguage, SurveyTexts};
use crate::languages::db as language_db;
use crate::languages::use_cases::texts_in;
use crate::responses::page::{self, FormPage, Notice, SeenAs};
use crate::responses::{parse_answers, Answers};
use crate::server::guard;
use crate::server::AppState;
use axum::extract::rejection::FormRejection;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Response};
use axum::Form;
use http::{header, HeaderMap, HeaderValue, StatusCode};

/// Like the respondent's policy, but the builder on this site may frame it.
const PREVIEW_CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self'; \
     form-action 'self'; frame-ancestors 'self'; base-uri 'none'";

#[derive(serde::Deserialize)]
pub struct PreviewQuery {
    /// One of the survey's languages, to preview its translation.
    lang: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    Path(survey_id): Path<String>,
    Query(query): Query<PreviewQuery>,
    headers: HeaderMap,
) -> Response {
    render(&state, &survey_id, query, &headers, Vec::new()).await
}

pub async fn submit(
    State(state): State<AppState>,
    Path(survey_id): Path<String>,
    Query(query): Query<PreviewQuery>,
    headers: HeaderMap,
    form: Result<Form<Vec<(String, String)>>, FormRejection>,
) -> Response {
    render(
        &state,
        &survey_id,
        query,
        &headers,
        form.map(|Form(f)| f).unwrap_or_default(),
    )
    .await
}

async fn render(
    state: &AppState,
    survey_id: &str,
    query: PreviewQuery,
    headers: &HeaderMap,
    fields: Vec<(String, String)>,
) -> Response {
    let result: AppResult<(StatusCode, String)> = async {
        guard::require_role_in(state, headers, Role::Viewer).await?;
        let survey_id = SurveyId::parse(survey_id)?;
        let (summary, texts) = lifecycle::load(&state.db, &survey_id).await?;
        let offered = language_db::fetch_languages(state.db.reads(), &survey_id)
            .await?
            .ok_or(AppError::NotFound)?;
        // The survey's own language unless the editor picked another of its languages.
        let language = choice::choose(&offered, query.lang.as_deref(), None, None);
        let questions = db::fetch_questions(&state.db, &survey_id).await?;
        let read = SurveyTexts::new(
            summary.title.clone(),
            texts.intro.clone(),
            texts.thank_you.clone(),
            questions,
        );
        let read = texts_in(&state.db, &survey_id, &offered, language, read).await?;
        let questions = &read.questions;
        let address = format!("/surveys/{survey_id}/preview");
        let page_language = PageLanguage::new(language, offered.all(), &address);
        let submitted = !fields.is_empty();
        let submission = parse_answers(questions, &fields);
        let (status, notice) = match (
            submitted,
            submission.errors.is_empty(),
            submission.is_complete(),
        ) {
            (false, _, _) => (StatusCode::OK, Notice::None),
            (true, false, _) => (StatusCode::UNPROCESSABLE_ENTITY, Notice::None),
            (true, true, false) => (StatusCode::OK, Notice::FollowUp),
            (true, true, true) => (StatusCode::OK, Notice::Saved),
        };
        let empty = Answers::new();
        let no_errors = std::collections::BTreeMap::new();
        let form = FormPage {
            action: page_language.keep(&address),
            dismiss: None,
            loop_choice: None,
            texts: &read,
            values: &fields,
            answers: if submitted {
                &submission.answers
            } else {
                &empty
            },
            errors: if submitted {
                &submission.errors
            } else {
                &no_errors
            },
            notice,
            answered_before: false,
            seen_as: match texts.anonymity {
                crate::surveys::model::Anonymity::Identified => SeenAs::Named,
                crate::surveys::model::Anonymity::Anonymous => SeenAs::Anonymous,
            },
            autosave: None,
            language: &page_language,
        };
        Ok((status, form.render()))
    }
    .await;
    let (status, html) = result.unwrap_or_else(|error| {
        let status = error.status_code();
        (
            status,
            page::message("Preview unavailable", &error.to_string()),
        )
    });
    let mut response = (status, Html(html)).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(PREVIEW_CSP),
    );
    headers.insert(
        header::X_FRAME_OPTIONS,
        HeaderValue::from_static("SAMEORIGIN"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}
