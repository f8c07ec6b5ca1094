//! `/surveys`: list (cursor pages), create from a template, read, open and close (a full
//! definition is `definitions`).
use super::auth::Caller;
use super::error::{ApiError, ApiResult, ErrorBody};
use super::extract::{ApiJson, ApiQuery};
use super::page::{self, PageParams};
use crate::auth::model::Role;
use crate::db::Db;
use crate::ids::SurveyId;
use crate::server::AppState;
use crate::surveys::lifecycle::{self, NewFromTemplate};
use crate::surveys::templates::Template;
use axum::extract::{Path, State};
use axum::Json;
use http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct SurveyOut {
    pub id: String,
    pub title: String,
    /// draft, open or closed.
    pub status: String,
    pub release: Option<String>,
    pub anonymous: bool,
    /// Seconds since the Unix epoch.
    pub created_at: i64,
    pub invited: i64,
    pub completed: i64,
    /// When a draft opens by itself (seconds since the Unix epoch), if scheduled.
    pub opens_at: Option<i64>,
    /// When the chosen recipients' invitations are queued, if scheduled.
    pub send_at: Option<i64>,
    /// When the survey closes by itself, if set.
    pub closes_at: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct QuestionOut {
    pub id: String,
    pub position: i64,
    /// csat, nps, ces, rating, single_choice, multiple_choice, short_text or long_text.
    pub kind: String,
    pub prompt: String,
    pub help: String,
    pub required: bool,
    pub options: Vec<String>,
    pub allow_other: bool,
    /// Asked only when the answer to an earlier scored question is within min..=max.
    pub show_if: Option<ShowIfOut>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ShowIfOut {
    pub question_id: String,
    pub min: i64,
    pub max: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SurveyDetailOut {
    pub survey: SurveyOut,
    pub questions: Vec<QuestionOut>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SurveyPage {
    pub items: Vec<SurveyOut>,
    /// Pass as `cursor` for the next page; absent on the last.
    pub next_cursor: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSurvey {
    #[schema(
        min_length = 1,
        max_length = 120,
        pattern = r"^[^\u0000-\u001f\u007f-\u009f]*[^\s\u0000-\u001f\u007f-\u009f][^\u0000-\u001f\u007f-\u009f]*$"
    )]
    pub title: String,
    pub template: Template,
    /// The release the survey asks about (created if new; empty means none).
    #[schema(max_length = 120, pattern = r"^[^\u0000-\u001f\u007f-\u009f]*$")]
    pub release: Option<String>,
    /// The day the release shipped (YYYY-MM-DD); needs `release`.
    #[schema(format = Date, pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    pub released_on: Option<String>,
}

/// Refuses a text longer than the schema allows before any trimming, so the document
/// and the server agree on every length.
pub fn within(field: &str, text: &str, max: usize) -> ApiResult<()> {
    if text.chars().count() > max {
        return Err(ApiError::field(
            field,
            format!("Keep it to {max} characters."),
        ));
    }
    Ok(())
}

type SurveyRow = (
    String,
    String,
    String,
    Option<String>,
    String,
    i64,
    i64,
    i64,
    Option<i64>,
    Option<i64>,
    Option<i64>,
);

const SURVEY_COLUMNS: &str = "SELECT s.survey_id, s.title, s.status, r.name, s.anonymity, s.created_at, \
     (SELECT COUNT(*) FROM invitations i WHERE i.survey_id = s.survey_id), \
     (SELECT COUNT(*) FROM invitations i WHERE i.survey_id = s.survey_id AND i.completed_at IS NOT NULL), \
     s.opens_at, s.send_at, s.closes_at \
     FROM surveys s LEFT JOIN releases r ON r.release_id = s.release_id";

fn survey_out(row: SurveyRow) -> SurveyOut {
    let (id, title, status, release, anonymity, created_at, invited, completed) =
        (row.0, row.1, row.2, row.3, row.4, row.5, row.6, row.7);
    SurveyOut {
        id,
        title,
        status,
        release,
        anonymous: anonymity == "anonymous",
        created_at,
        invited,
        completed,
        opens_at: row.8,
        send_at: row.9,
        closes_at: row.10,
    }
}

/// Newest first, after the cursor's (created_at, id) when one is given.
async fn fetch_page(
    db: &Db,
    after: Option<(i64, String)>,
    limit: i64,
) -> sqlx::Result<Vec<SurveyOut>> {
    let (at, id) = after.unwrap_or((i64::MAX, String::new()));
    let rows: Vec<SurveyRow> = sqlx::query_as(&format!(
        "{SURVEY_COLUMNS} WHERE ($2 = '' OR s.created_at < $1 OR (s.created_at = $1 AND s.survey_id < $2)) \
         ORDER BY s.created_at DESC, s.survey_id DESC LIMIT $3"
    ))
    .bind(at)
    .bind(id)
    .bind(limit)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(survey_out).collect())
}

pub async fn fetch_survey(db: &Db, survey_id: &str) -> sqlx::Result<Option<SurveyOut>> {
    let row: Option<SurveyRow> =
        sqlx::query_as(&format!("{SURVEY_COLUMNS} WHERE s.survey_id = $1"))
            .bind(survey_id)
            .fetch_optional(db)
            .await?;
    Ok(row.map(survey_out))
}

/// List surveys, newest first, a page at a time.
#[utoipa::path(get, path = "/surveys", tag = "surveys", params(PageParams),
    responses((status = 200, body = SurveyPage), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 429, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(params): ApiQuery<PageParams>,
) -> ApiResult<Json<SurveyPage>> {
    caller.require(Role::Viewer)?;
    let limit = params.limit()?;
    let after = match params.after_timed()? {
        Some((at, id)) => Some((
            at,
            SurveyId::parse(&id)
                .map_err(|_| ApiError::bad_request("The cursor is not one this API gave out."))?
                .into(),
        )),
        None => None,
    };
    let items = fetch_page(&state.db, after, limit + 1).await?;
    let (items, next_cursor) = page::split(items, limit, |s| page::timed_key(s.created_at, &s.id));
    Ok(Json(SurveyPage { items, next_cursor }))
}

/// Create a draft survey from a template, optionally about a release.
#[utoipa::path(post, path = "/surveys", tag = "surveys", request_body = NewSurvey,
    responses((status = 201, body = SurveyOut), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 429, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 413, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<NewSurvey>,
) -> ApiResult<(StatusCode, Json<SurveyOut>)> {
    caller.require(Role::Editor)?;
    within("title", &body.title, 120)?;
    within("release", body.release.as_deref().unwrap_or_default(), 120)?;
    let new = NewFromTemplate::parse(&body.title, body.template.as_str(), body.release.as_deref())?
        .released_on(body.released_on.as_deref())?;
    let survey_id = lifecycle::create_from_template(
        &state.db,
        &new,
        caller.created_by.as_deref(),
        &caller.actor(),
        state.clock.now(),
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(found(&state.db, &survey_id).await?),
    ))
}

/// The survey, or 404.
pub async fn found(db: &Db, survey_id: &str) -> ApiResult<SurveyOut> {
    fetch_survey(db, survey_id)
        .await?
        .ok_or_else(|| crate::error::AppError::NotFound.into())
}

/// Read a survey with its questions.
#[utoipa::path(get, path = "/surveys/{survey_id}", tag = "surveys", params(("survey_id" = String, Path, format = Uuid)),
    responses((status = 200, body = SurveyDetailOut), (status = 401, body = ErrorBody), (status = 429, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn read(
    State(state): State<AppState>,
    caller: Caller,
    Path(survey_id): Path<String>,
) -> ApiResult<Json<SurveyDetailOut>> {
    caller.require(Role::Viewer)?;
    let survey_id = SurveyId::parse(&survey_id)?;
    Ok(Json(detail(&state.db, &survey_id).await?))
}

/// The survey with its questions, or 404.
pub async fn detail(db: &Db, survey_id: &str) -> ApiResult<SurveyDetailOut> {
    let survey = found(db, survey_id).await?;
    let questions = crate::surveys::db::fetch_questions(db, survey_id)
        .await?
        .into_iter()
        .map(|q| QuestionOut {
            id: q.question_id,
            position: q.position,
            kind: q.kind.as_str().to_string(),
            prompt: q.prompt,
            help: q.help,
            required: q.required,
            options: q.options,
            allow_other: q.allow_other,
            show_if: q.show_if.map(|s| ShowIfOut {
                question_id: s.question_id,
                min: s.min,
                max: s.max,
            }),
        })
        .collect();
    Ok(SurveyDetailOut { survey, questions })
}

/// Open a draft survey: its links start working.
#[utoipa::path(post, path = "/surveys/{survey_id}/open", tag = "surveys", params(("survey_id" = String, Path, format = Uuid)),
    responses((status = 200, body = SurveyOut), (status = 401, body = ErrorBody), (status = 429, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn open(
    State(state): State<AppState>,
    caller: Caller,
    Path(survey_id): Path<String>,
) -> ApiResult<Json<SurveyOut>> {
    caller.require(Role::Editor)?;
    let survey_id = SurveyId::parse(&survey_id)?;
    lifecycle::open(&state.db, &survey_id, &caller.actor(), state.clock.now()).await?;
    Ok(Json(found(&state.db, &survey_id).await?))
}

/// Close an open survey: no more answers are taken.
#[utoipa::path(post, path = "/surveys/{survey_id}/close", tag = "surveys", params(("survey_id" = String, Path, format = Uuid)),
    responses((status = 200, body = SurveyOut), (status = 401, body = ErrorBody), (status = 429, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn close(
    State(state): State<AppState>,
    caller: Caller,
    Path(survey_id): Path<String>,
) -> ApiResult<Json<SurveyOut>> {
    caller.require(Role::Editor)?;
    let survey_id = SurveyId::parse(&survey_id)?;
    lifecycle::close(&state.db, &survey_id, &caller.actor(), state.clock.now()).await?;
    Ok(Json(found(&state.db, &survey_id).await?))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Reopening {
    /// When it closes again: RFC 3339 (`2026-12-10T16:00:00Z`) or a local date and time
    /// in the team's time zone (`2026-12-10T17:00`). Absent: until closed by hand.
    #[schema(max_length = 40)]
    pub closes_at: Option<String>,
}

/// Reopen a closed survey, optionally until a new closing time; its links work again.
#[utoipa::path(post, path = "/surveys/{survey_id}/reopen", tag = "surveys", params(("survey_id" = String, Path, format = Uuid)),
    request_body = Reopening,
    responses((status = 200, body = SurveyOut), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 429, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 413, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn reopen(
    State(state): State<AppState>,
    caller: Caller,
    Path(survey_id): Path<String>,
    ApiJson(body): ApiJson<Reopening>,
) -> ApiResult<Json<SurveyOut>> {
    caller.require(Role::Editor)?;
    let survey_id = SurveyId::parse(&survey_id)?;
    let text = body.closes_at.as_deref().unwrap_or_default();
    within("closes_at", text, 40)?;
    let closes_at = match text.trim() {
        "" => None,
        text => Some(
            state
                .config
                .time_zone
                .parse_api(text)
                .map_err(|message| ApiError::field("closes_at", message))?,
        ),
    };
    let now = state.clock.now();
    lifecycle::reopen(&state.db, &survey_id, closes_at, &caller.actor(), now).await?;
    Ok(Json(found(&state.db, &survey_id).await?))
}

/// Copy a survey as a draft for the next release: questions, follow-ups, both emails'
/// wording, reminder schedule, target precision and sending window; no release,
/// schedule, recipients or answers.
#[utoipa::path(post, path = "/surveys/{survey_id}/duplicate", tag = "surveys", params(("survey_id" = String, Path, format = Uuid)),
    responses((status = 201, body = SurveyOut), (status = 401, body = ErrorBody), (status = 429, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn duplicate(
    State(state): State<AppState>,
    caller: Caller,
    Path(survey_id): Path<String>,
) -> ApiResult<(StatusCode, Json<SurveyOut>)> {
    caller.require(Role::Editor)?;
    let survey_id = SurveyId::parse(&survey_id)?;
    let by = caller.created_by.as_deref();
    let now = state.clock.now();
    let copy = lifecycle::duplicate(&state.db, &survey_id, by, &caller.actor(), now).await?;
    Ok((StatusCode::CREATED, Json(found(&state.db, &copy).await?)))
}
