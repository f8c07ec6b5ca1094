//! `/surveys/{id}/responses`: completed and started responses with their answers, oldest
//! first, a page at a time. Anonymous surveys' responses name no one.
use super::auth::Caller;
use super::error::{ApiResult, ErrorBody};
use super::extract::ApiQuery;
use super::page::{self, PageParams};
use super::surveys::found;
use crate::auth::model::Role;
use crate::db::Db;
use crate::ids::SurveyId;
use crate::server::AppState;
use axum::extract::{Path, State};
use axum::Json;
use serde::Serialize;
use std::collections::HashMap;
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct AnswerOut {
    pub question_id: String,
    pub score: Option<i64>,
    pub text: Option<String>,
    /// Choice questions: the chosen options, as 0-based positions in the question's
    /// `options` (GET /surveys/{survey_id} lists them); an "Other" answer is in `text`.
    pub choices: Vec<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ResponseOut {
    pub id: String,
    pub completed: bool,
    /// Seconds since the Unix epoch (anonymous responses keep only the day).
    pub submitted_at: i64,
    pub updated_at: i64,
    /// Who answered, in identified surveys; absent in anonymous ones and public-link answers.
    pub respondent: Option<String>,
    pub answers: Vec<AnswerOut>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ResponsePage {
    pub items: Vec<ResponseOut>,
    pub next_cursor: Option<String>,
}

type ResponseRow = (String, i64, i64, i64, Option<String>);

async fn fetch_responses(
    db: &Db,
    survey_id: &str,
    after: (i64, String),
    limit: i64,
) -> sqlx::Result<Vec<ResponseRow>> {
    sqlx::query_as(
        "SELECT r.response_id, CAST(r.completed AS BIGINT), r.submitted_at, r.updated_at, \
         CASE WHEN s.anonymity = 'anonymous' THEN NULL ELSE c.email END \
         FROM responses r JOIN surveys s ON s.survey_id = r.survey_id \
         LEFT JOIN invitations i ON i.invitation_id = r.invitation_id \
         LEFT JOIN contacts c ON c.contact_id = i.contact_id AND c.erased_at IS NULL \
         WHERE r.survey_id = $1 AND r.held = 0 AND (r.submitted_at > $2 OR (r.submitted_at = $2 AND r.response_id > $3)) \
         ORDER BY r.submitted_at, r.response_id LIMIT $4",
    )
    .bind(survey_id)
    .bind(after.0)
    .bind(after.1)
    .bind(limit)
    .fetch_all(db)
    .await
}

type AnswerRow = (String, String, Option<i64>, Option<String>, Option<String>);

/// The answers of responses submitted in `[from, to]`, grouped by response.
async fn fetch_answers(
    db: &Db,
    survey_id: &str,
    from: i64,
    to: i64,
) -> sqlx::Result<HashMap<String, Vec<AnswerOut>>> {
    let rows: Vec<AnswerRow> = sqlx::query_as(
        "SELECT a.response_id, a.question_id, CAST(a.score AS BIGINT), a.text_value, a.choices \
         FROM answers a JOIN responses r ON r.response_id = a.response_id \
         JOIN questions q ON q.question_id = a.question_id \
         WHERE r.survey_id = $1 AND r.held = 0 AND r.submitted_at >= $2 AND r.submitted_at <= $3 \
         ORDER BY q.position",
    )
    .bind(survey_id)
    .bind(from)
    .bind(to)
    .fetch_all(db)
    .await?;
    let mut answers: HashMap<String, Vec<AnswerOut>> = HashMap::new();
    for (response_id, question_id, score, text, choices) in rows {
        let choices = choices
            .and_then(|c| serde_json::from_str::<Vec<i64>>(&c).ok())
            .unwrap_or_default();
        answers.entry(response_id).or_default().push(AnswerOut {
            question_id,
            score,
            text,
            choices,
        });
    }
    Ok(answers)
}

/// A survey's responses with their answers, oldest first. Editors and admins only: in an
/// identified survey each names its person, and viewers read the protected aggregates.
#[utoipa::path(get, path = "/surveys/{survey_id}/responses", tag = "results", params(("survey_id" = String, Path, format = Uuid), PageParams),
    responses((status = 200, body = ResponsePage), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 429, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Path(survey_id): Path<String>,
    ApiQuery(params): ApiQuery<PageParams>,
) -> ApiResult<Json<ResponsePage>> {
    caller.require(Role::Editor)?;
    let survey_id = SurveyId::parse(&survey_id)?;
    found(&state.db, &survey_id).await?;
    let limit = params.limit()?;
    let after = params.after_timed()?.unwrap_or((i64::MIN, String::new()));
    let rows = fetch_responses(&state.db, &survey_id, after, limit + 1).await?;
    let (rows, next_cursor) = page::split(rows, limit, |r| page::timed_key(r.2, &r.0));
    let (from, to) = (
        rows.first().map_or(0, |r| r.2),
        rows.last().map_or(0, |r| r.2),
    );
    let mut answers = fetch_answers(&state.db, &survey_id, from, to).await?;
    let items = rows
        .into_iter()
        .map(
            |(id, completed, submitted_at, updated_at, respondent)| ResponseOut {
                answers: answers.remove(&id).unwrap_or_default(),
                id,
                completed: completed != 0,
                submitted_at,
                updated_at,
                respondent,
            },
        )
        .collect();
    Ok(Json(ResponsePage { items, next_cursor }))
}
