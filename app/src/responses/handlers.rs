//! `GET` and `POST /s/{token}`: show a person their survey and record their answers.
use super::{db, page, parse_answers};
use crate::error::AppResult;
use crate::server::token::{SecretToken, LINK_TOKEN_BYTES};
use crate::server::{new_id, now, AppState};
use crate::surveys::{db as survey_db, model::SurveyStatus};
use axum::extract::rejection::FormRejection;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Form;
use http::{header, HeaderValue, StatusCode};
use serde::Deserialize;

/// The respondent's pages load nothing but the stylesheet, and the token in their address
/// must never travel to another site in a `Referer`.
const RESPONDENT_CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self'; \
     form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

#[derive(Deserialize)]
pub struct ShowQuery {
    saved: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Query(query): Query<ShowQuery>,
) -> Response {
    let saved = query.saved.is_some();
    respond(
        load(&state, &token).await.map(|found| (found, saved)),
        |(found, saved)| async move {
            let Some(invitation) = found else {
                return Ok(not_found());
            };
            if let Some(page) = unavailable(&invitation) {
                return Ok(page);
            }
            db::update_invitation_opened(&state.db, &invitation.invitation_id, now()).await?;
            let questions = survey_db::fetch_questions(&state.db, &invitation.survey_id).await?;
            let values: super::Answers = db::fetch_scores(&state.db, &invitation.invitation_id)
                .await?
                .into_iter()
                .collect();
            let answered = saved || !values.is_empty();
            let form = page::FormPage {
                token: &token,
                title: &invitation.title,
                questions: &questions,
                values: &values,
                errors: &Default::default(),
                saved,
                answered_before: answered,
            };
            Ok(ok_page(StatusCode::OK, form.render()))
        },
    )
    .await
}

pub async fn submit(
    State(state): State<AppState>,
    Path(token): Path<String>,
    form: Result<Form<Vec<(String, String)>>, FormRejection>,
) -> Response {
    let fields = form.map(|Form(f)| f).unwrap_or_default();
    respond(load(&state, &token).await, |found| async move {
        let Some(invitation) = found else {
            return Ok(not_found());
        };
        if let Some(page) = unavailable(&invitation) {
            return Ok(page);
        }
        let questions = survey_db::fetch_questions(&state.db, &invitation.survey_id).await?;
        let (answers, errors) = parse_answers(&questions, &fields);
        if !errors.is_empty() {
            let form = page::FormPage {
                token: &token,
                title: &invitation.title,
                questions: &questions,
                values: &answers,
                errors: &errors,
                saved: false,
                answered_before: false,
            };
            return Ok(ok_page(StatusCode::UNPROCESSABLE_ENTITY, form.render()));
        }
        let now = now();
        let mut tx = state.db.begin().await?;
        let response_id = db::upsert_response(
            &mut tx,
            &new_id(),
            &invitation.survey_id,
            &invitation.invitation_id,
            now,
        )
        .await?;
        for (question_id, score) in &answers {
            db::upsert_score(&mut *tx, &response_id, question_id, *score).await?;
        }
        db::update_invitation_completed(&mut *tx, &invitation.invitation_id, now).await?;
        tx.commit().await?;
        let mut response = Redirect::to(&format!("/s/{token}?saved=1")).into_response();
        harden(&mut response);
        Ok(response)
    })
    .await
}

/// The invitation behind a token; malformed and unknown tokens look the same from outside.
async fn load(state: &AppState, token: &str) -> AppResult<Option<db::Invitation>> {
    let Some(token) = SecretToken::parse(token, LINK_TOKEN_BYTES) else {
        return Ok(None);
    };
    Ok(db::fetch_invitation_by_token(&state.db, token.hash().as_str()).await?)
}

async fn respond<T, F, Fut>(loaded: AppResult<T>, then: F) -> Response
where
    F: FnOnce(T) -> Fut,
    Fut: std::future::Future<Output = AppResult<Response>>,
{
    let result = match loaded {
        Ok(value) => then(value).await,
        Err(error) => Err(error),
    };
    result.unwrap_or_else(|error| {
        let status =
            StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        ok_page(
            status,
            page::message("Something went wrong", &error.to_string()),
        )
    })
}

fn unavailable(invitation: &db::Invitation) -> Option<Response> {
    let text = match invitation.status {
        SurveyStatus::Open => return None,
        SurveyStatus::Draft => "This survey isn't open yet. Please try your link again later.",
        SurveyStatus::Closed => {
            "This survey has closed and no longer takes answers. Thank you for your interest."
        }
    };
    Some(ok_page(
        StatusCode::OK,
        page::message(&invitation.title, text),
    ))
}

fn not_found() -> Response {
    ok_page(
        StatusCode::NOT_FOUND,
        page::message(
            "This link doesn't work",
            "It may be incomplete or no longer valid. If you were invited to a survey, \
             ask the person who sent it for a new link.",
        ),
    )
}

fn ok_page(status: StatusCode, html: String) -> Response {
    let mut response = (status, Html(html)).into_response();
    harden(&mut response);
    response
}

fn harden(response: &mut Response) {
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(RESPONDENT_CSP),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
}
