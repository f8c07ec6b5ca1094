//! `/release-surveys`: the whole release flow in one call, for a release pipeline:
//! create the survey from a template, open it, and send it to the chosen tiers, in one
//! transaction (`distribution::sending::release_flow`).
use super::auth::Caller;
use super::error::{ApiResult, ErrorBody};
use super::extract::ApiJson;
use super::surveys::{found, within, SurveyOut};
use crate::auth::model::Role;
use crate::distribution::sending::release_flow::start_release_survey;
use crate::distribution::sending::use_cases::{Recipients, SendOut};
use crate::server::AppState;
use crate::surveys::lifecycle::NewFromTemplate;
use crate::surveys::templates::Template;
use axum::extract::State;
use axum::Json;
use http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReleaseSurvey {
    /// The release's name, e.g. "Storage 2.0" (created if new).
    #[schema(
        min_length = 1,
        max_length = 120,
        pattern = r"^[^\u0000-\u001f\u007f-\u009f]*[^\s\u0000-\u001f\u007f-\u009f][^\u0000-\u001f\u007f-\u009f]*$"
    )]
    pub release: String,
    /// feature_satisfaction when absent.
    pub template: Option<Template>,
    /// Defaults to the release's name.
    #[schema(
        min_length = 1,
        max_length = 120,
        pattern = r"^[^\u0000-\u001f\u007f-\u009f]*[^\s\u0000-\u001f\u007f-\u009f][^\u0000-\u001f\u007f-\u009f]*$"
    )]
    pub title: Option<String>,
    #[serde(default)]
    pub recipients: Recipients,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReleaseSurveyOut {
    pub survey: SurveyOut,
    pub invited: i64,
    pub queued: u64,
}

/// The whole release flow: create a survey from a template, open it and send it.
#[utoipa::path(post, path = "/release-surveys", tag = "sending", request_body = ReleaseSurvey,
    responses((status = 201, body = ReleaseSurveyOut), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 429, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 413, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn release_survey(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<ReleaseSurvey>,
) -> ApiResult<(StatusCode, Json<ReleaseSurveyOut>)> {
    caller.require(Role::Editor)?;
    if body.release.trim().is_empty() {
        return Err(super::error::ApiError::field(
            "release",
            "Name the release the survey asks about.",
        ));
    }
    within("release", &body.release, 120)?;
    within("title", body.title.as_deref().unwrap_or_default(), 120)?;
    let title = body.title.clone().unwrap_or_else(|| body.release.clone());
    let template = body
        .template
        .unwrap_or(Template::FeatureSatisfaction)
        .as_str();
    let new = NewFromTemplate::parse(&title, template, Some(&body.release))?;
    let (survey_id, SendOut { invited, queued }) = start_release_survey(
        &state.db,
        &state.config,
        &new,
        &body.recipients,
        caller.created_by.as_deref(),
        &caller.token_id,
        state.clock.now(),
    )
    .await?;
    state.mail_wakeup.notify_one();
    let survey = found(&state.db, &survey_id).await?;
    Ok((
        StatusCode::CREATED,
        Json(ReleaseSurveyOut {
            survey,
            invited,
            queued,
        }),
    ))
}
