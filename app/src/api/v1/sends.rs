//! `/surveys/{id}/sends` and `/surveys/{id}/reminders`: invite contacts chosen by tier,
//! community and tag, with the same unsubscribe and quiet-period rules as the survey
//! page, and queue their emails; or remind everyone who has not answered. Adapters over
//! `distribution::sending::use_cases`.
use super::auth::Caller;
use super::error::{ApiResult, ErrorBody};
use super::extract::{ApiJson, ApiQuery};
use crate::auth::model::Role;
use crate::distribution::sending::use_cases::{self as sending, Recipients, SendOut};
use crate::ids::SurveyId;
use crate::server::AppState;
use axum::extract::{Path, State};
use axum::Json;
use http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Serialize, ToSchema)]
pub struct RemindOut {
    pub queued: u64,
}

/// Invite contacts by tier, community and tag, and queue their invitation emails.
#[utoipa::path(post, path = "/surveys/{survey_id}/sends", tag = "sending", params(("survey_id" = String, Path, format = Uuid)), request_body = Recipients,
    responses((status = 202, body = SendOut), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 429, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 413, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn send(
    State(state): State<AppState>,
    caller: Caller,
    Path(survey_id): Path<String>,
    ApiJson(recipients): ApiJson<Recipients>,
) -> ApiResult<(StatusCode, Json<SendOut>)> {
    caller.require(Role::Editor)?;
    let survey_id = SurveyId::parse(&survey_id)?;
    let out = sending::send_to_selection(
        &state.db,
        &state.config,
        &survey_id,
        &recipients,
        &caller.actor(),
        state.clock.now(),
    )
    .await?;
    state.mail_wakeup.notify_one();
    Ok((StatusCode::ACCEPTED, Json(out)))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RemindParams {
    /// Send now, ignoring the survey's sending window.
    #[serde(default)]
    pub ignore_window: bool,
}

/// Remind everyone sent the invitation who has not answered.
#[utoipa::path(post, path = "/surveys/{survey_id}/reminders", tag = "sending", params(("survey_id" = String, Path, format = Uuid), RemindParams),
    responses((status = 202, body = RemindOut), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 429, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn remind(
    State(state): State<AppState>,
    caller: Caller,
    Path(survey_id): Path<String>,
    ApiQuery(params): ApiQuery<RemindParams>,
) -> ApiResult<(StatusCode, Json<RemindOut>)> {
    caller.require(Role::Editor)?;
    let survey_id = SurveyId::parse(&survey_id)?;
    let now = state.clock.now();
    let queued = sending::remind_now(
        &state.db,
        &survey_id,
        params.ignore_window,
        &caller.actor(),
        now,
    )
    .await?;
    state.mail_wakeup.notify_one();
    Ok((StatusCode::ACCEPTED, Json(RemindOut { queued })))
}
