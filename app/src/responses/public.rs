//! `GET` and `POST /s/p/{token}`: a survey's anonymous public link, for a forum post or a
//! chat channel. Anyone holding it may answer; each answer is stored as a new anonymous
//! response (no invitation, no token, only the day), and each client address may send a
//! limited number per hour. A link that is off answers exactly like an unknown one.
use super::access::{not_answerable, Refusal};
use super::answers::Problem;
use super::db::{self, PublicSurvey};
use super::page::{self, FormPage, Notice, SeenAs};
use super::recording::record_public_answers;
use super::reply::{error_page, harden, html};
use super::{parse_answers, Answers};
use crate::error::AppResult;
use crate::languages::choice;
use crate::languages::content::{PageLanguage, SurveyTexts};
use crate::languages::model::Language;
use crate::languages::use_cases::texts_in;
use crate::languages::words::Words;
use crate::server::guard::client_address_of;
use crate::server::token::{SecretToken, LINK_TOKEN_BYTES};
use crate::server::AppState;
use crate::surveys::db as survey_db;
use axum::extract::rejection::FormRejection;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use http::{HeaderMap, StatusCode};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::net::SocketAddr;

#[derive(Deserialize)]
pub struct SentQuery {
    sent: Option<String>,
    /// The language the person picked on the page (`de`).
    lang: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Query(query): Query<SentQuery>,
    headers: HeaderMap,
) -> Response {
    let result: AppResult<Response> = async {
        let survey = match answerable(&state, &token).await? {
            Ok(survey) => survey,
            Err(refusal) => return Ok(refused(&refusal, &headers)),
        };
        let (language, texts) = in_language(&state, &survey, &query, &headers).await?;
        if query.sent.is_some() {
            return Ok(html(StatusCode::OK, thanks(&texts, language)));
        }
        let page_language = page_language(&token, &survey, language);
        let form = PublicForm::blank(&token, &texts, &page_language);
        Ok(html(StatusCode::OK, form.page(Notice::None).render()))
    }
    .await;
    result.unwrap_or_else(error_page)
}

fn refused(refusal: &Refusal, headers: &HeaderMap) -> Response {
    refusal.page(choice::words_language(choice::accept_language(headers)))
}

/// The page's language (picked, else the browser's, else the survey's default: nobody's
/// contact is known here) and the survey's texts in it.
async fn in_language(
    state: &AppState,
    survey: &PublicSurvey,
    query: &SentQuery,
    headers: &HeaderMap,
) -> AppResult<(Language, SurveyTexts)> {
    let accept = choice::accept_language(headers);
    let language = choice::choose(&survey.languages, query.lang.as_deref(), None, accept);
    let questions = survey_db::fetch_questions(&state.db, &survey.survey_id).await?;
    let texts = SurveyTexts::new(
        survey.title.clone(),
        survey.intro.clone(),
        survey.thank_you.clone(),
        questions,
    );
    let texts = texts_in(
        &state.db,
        &survey.survey_id,
        &survey.languages,
        language,
        texts,
    )
    .await?;
    Ok((language, texts))
}

/// The page's language, with links to the survey's others; addresses carry the language
/// when there are several, so the form posts back in it.
fn page_language(token: &str, survey: &PublicSurvey, language: Language) -> PageLanguage {
    PageLanguage::new(language, survey.languages.all(), &format!("/s/p/{token}"))
}

pub async fn submit(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Query(query): Query<SentQuery>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    form: Result<Form<Vec<(String, String)>>, FormRejection>,
) -> Response {
    let fields = form.map(|Form(f)| f).unwrap_or_default();
    let result: AppResult<Response> = async {
        let survey = match answerable(&state, &token).await? {
            Ok(survey) => survey,
            Err(refusal) => return Ok(refused(&refusal, &headers)),
        };
        let (language, texts) = in_language(&state, &survey, &query, &headers).await?;
        let submission = parse_answers(&texts.questions, &fields);
        let page_language = page_language(&token, &survey, language);
        let mut form = PublicForm::blank(&token, &texts, &page_language);
        form.values = &fields;
        form.answers = &submission.answers;
        if !submission.errors.is_empty() {
            form.errors = &submission.errors;
            let page = form.page(Notice::None).render();
            return Ok(html(StatusCode::UNPROCESSABLE_ENTITY, page));
        }
        if !submission.is_complete() {
            // Anonymous answers are stored whole or not at all: ask the follow-up first.
            return Ok(html(StatusCode::OK, form.page(Notice::FollowUp).render()));
        }
        let client = client_address_of(&headers, Some(peer), &state.config);
        if let Err(wait) = state.public_limiter.take(&client) {
            let mut response = html(
                StatusCode::TOO_MANY_REQUESTS,
                form.page(Notice::Throttled).render(),
            );
            if let Ok(value) = http::HeaderValue::from_str(&wait.to_string()) {
                response
                    .headers_mut()
                    .insert(http::header::RETRY_AFTER, value);
            }
            return Ok(response);
        }
        record_public_answers(
            &state.db,
            &survey.survey_id,
            &submission.answers,
            state.clock.now(),
        )
        .await?;
        let sent = page_language.keep(&format!("/s/p/{token}?sent=1"));
        let mut response = Redirect::to(&sent).into_response();
        harden(&mut response);
        Ok(response)
    }
    .await;
    result.unwrap_or_else(error_page)
}

/// The survey behind a public token, if it takes answers now.
async fn answerable(state: &AppState, token: &str) -> AppResult<Result<PublicSurvey, Refusal>> {
    // Tokens have the personal links' shape, so junk never reaches a query.
    if SecretToken::parse(token, LINK_TOKEN_BYTES).is_none() {
        return Ok(Err(Refusal::Unknown));
    }
    let Some(survey) = db::fetch_survey_by_public_token(&state.db, token).await? else {
        return Ok(Err(Refusal::Unknown));
    };
    Ok(
        match not_answerable(
            survey.status,
            survey.closes_at,
            &survey.title,
            state.clock.now(),
        ) {
            Some(refusal) => Err(refusal),
            None => Ok(survey),
        },
    )
}

/// The page after a public answer is stored.
fn thanks(texts: &SurveyTexts, language: Language) -> String {
    let words = Words::new(language);
    let thanks = match texts.thank_you.as_str() {
        "" => words.get("answered-default"),
        text => text.to_string(),
    };
    let text = format!("{thanks} {}", words.get("public-stored"));
    page::message_in(language, &texts.title, &text)
}

/// The parts of the form page that change between showing it and answering a submit.
struct PublicForm<'a> {
    action: String,
    texts: &'a SurveyTexts,
    language: &'a PageLanguage,
    values: &'a [(String, String)],
    answers: &'a Answers,
    errors: &'a BTreeMap<String, Problem>,
}

static NO_ANSWERS: Answers = Answers::new();
static NO_ERRORS: BTreeMap<String, Problem> = BTreeMap::new();

impl<'a> PublicForm<'a> {
    fn blank(token: &str, texts: &'a SurveyTexts, language: &'a PageLanguage) -> Self {
        Self {
            action: language.keep(&format!("/s/p/{token}")),
            texts,
            language,
            values: &[],
            answers: &NO_ANSWERS,
            errors: &NO_ERRORS,
        }
    }

    fn page(&self, notice: Notice) -> FormPage<'a> {
        FormPage {
            action: self.action.clone(),
            dismiss: None,
            loop_choice: None,
            texts: self.texts,
            values: self.values,
            answers: self.answers,
            errors: self.errors,
            notice,
            answered_before: false,
            seen_as: SeenAs::Unknown,
            autosave: None,
            language: self.language,
        }
    }
}
