//! `/surveys/{id}/closing-message`: what the team heard and is doing, for the people who
//! asked, once the survey has closed. An adapter over `distribution::close_the_loop`.
use super::auth::Caller;
use super::error::{ApiResult, ErrorBody};
use super::extract::ApiJson;
use crate::auth::model::Role;
use crate::distribution::close_the_loop::model::ClosingMessage;
use crate::distribution::close_the_loop::use_cases;
use crate::ids::SurveyId;
use crate::server::AppState;
use axum::extract::{Path, State};
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClosingIn {
    /// Empty: "What we heard about {{ feature }}".
    #[schema(max_length = 200)]
    pub subject: String,
    /// What you heard and what you are doing; may use {{ name }}, {{ feature }},
    /// {{ survey_title }}, {{ community }}.
    #[schema(max_length = 5000)]
    pub body: String,
    /// Send it now (once, only after the survey closed); false only saves it.
    #[serde(default)]
    pub send: bool,
    /// Also to the people reached who did not answer (never in an anonymous survey).
    #[serde(default)]
    pub non_respondents: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ClosingSent {
    /// Messages queued by this call.
    pub queued: u64,
    pub message: ClosingMessage,
}

/// The survey's closing message and who it would reach.
#[utoipa::path(get, path = "/surveys/{survey_id}/closing-message", tag = "sending", params(("survey_id" = String, Path, format = Uuid)),
    responses((status = 200, body = ClosingMessage), (status = 401, body = ErrorBody), (status = 429, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn read(
    State(state): State<AppState>,
    caller: Caller,
    Path(survey_id): Path<String>,
) -> ApiResult<Json<ClosingMessage>> {
    caller.require(Role::Viewer)?;
    let survey_id = SurveyId::parse(&survey_id)?;
    Ok(Json(use_cases::load(&state.db, &survey_id).await?))
}

/// Save the closing message, or save and send it (`send`): once, after the survey has
/// closed, to the respondents who asked and, with `non_respondents`, to those who did not
/// answer.
#[utoipa::path(put, path = "/surveys/{survey_id}/closing-message", tag = "sending", params(("survey_id" = String, Path, format = Uuid)),
    request_body = ClosingIn,
    responses((status = 200, body = ClosingSent), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 429, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 413, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path(survey_id): Path<String>,
    ApiJson(body): ApiJson<ClosingIn>,
) -> ApiResult<Json<ClosingSent>> {
    caller.require(Role::Editor)?;
    let survey_id = SurveyId::parse(&survey_id)?;
    let wording = use_cases::parse_wording(&body.subject, &body.body)?;
    let queued = if body.send {
        let now = state.clock.now();
        let by = &caller.actor();
        let queued = use_cases::send(
            &state.db,
            &survey_id,
            &wording,
            body.non_respondents,
            by,
            now,
        )
        .await?;
        state.mail_wakeup.notify_one();
        queued
    } else {
        use_cases::save(&state.db, &survey_id, &wording, &caller.actor()).await?;
        0
    };
    let message = use_cases::load(&state.db, &survey_id).await?;
    Ok(Json(ClosingSent { queued, message }))
}
