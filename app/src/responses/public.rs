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
}

pub async fn show(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Query(query): Query<SentQuery>,
) -> Response {
    let result: AppResult<Response> = async {
        let survey = match answerable(&state, &token).await? {
            Ok(survey) => survey,
            Err(refusal) => return Ok(refusal.page()),
        };
        if query.sent.is_some() {
            return Ok(html(StatusCode::OK, thanks(&survey)));
        }
        let questions = survey_db::fetch_questions(&state.db, &survey.survey_id).await?;
        let form = PublicForm::blank(&token, &survey, &questions);
        Ok(html(StatusCode::OK, form.page(Notice::None).render()))
    }
    .await;
    result.unwrap_or_else(error_page)
}

pub async fn submit(
    State(state): State<AppState>,
    Path(token): Path<String>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    form: Result<Form<Vec<(String, String)>>, FormRejection>,
) -> Response {
    let fields = form.map(|Form(f)| f).unwrap_or_default();
    let result: AppResult<Response> = async {
        let survey = match answerable(&state, &token).await? {
            Ok(survey) => survey,
            Err(refusal) => return Ok(refusal.page()),
        };
        let questions = survey_db::fetch_questions(&state.db, &survey.survey_id).await?;
        let submission = parse_answers(&questions, &fields);
        let mut form = PublicForm::blank(&token, &survey, &questions);
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
        let mut response = Redirect::to(&format!("/s/p/{token}?sent=1")).into_response();
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

/// One new anonymous response with its answers, in one transaction.
fn thanks(survey: &PublicSurvey) -> String {
    let thanks = match survey.thank_you.as_str() {
        "" => "Thank you! Your answers are in.",
        text => text,
    };
    page::message(
        &survey.title,
        &format!("{thanks} They were stored anonymously, without your name or address."),
    )
}

/// The parts of the form page that change between showing it and answering a submit.
struct PublicForm<'a> {
    action: String,
    survey: &'a PublicSurvey,
    questions: &'a [crate::surveys::question::Question],
    values: &'a [(String, String)],
    answers: &'a Answers,
    errors: &'a BTreeMap<String, Problem>,
}

static NO_ANSWERS: Answers = Answers::new();
static NO_ERRORS: BTreeMap<String, Problem> = BTreeMap::new();

impl<'a> PublicForm<'a> {
    fn blank(
        token: &str,
        survey: &'a PublicSurvey,
        questions: &'a [crate::surveys::question::Question],
    ) -> Self {
        Self {
            action: format!("/s/p/{token}"),
            survey,
            questions,
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
            title: &self.survey.title,
            intro: &self.survey.intro,
            thank_you: &self.survey.thank_you,
            questions: self.questions,
            values: self.values,
            answers: self.answers,
            errors: self.errors,
            notice,
            answered_before: false,
            seen_as: SeenAs::Unknown,
            autosave: None,
        }
    }
}
