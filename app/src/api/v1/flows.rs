//! `/release-surveys`: the whole release flow in one call, for a release pipeline:
//! create the survey from a template, open it, and send it to the chosen tiers, in one
//! transaction (`distribution::sending::release_flow`).
use super::auth::Caller;
use super::error::{ApiError, ApiResult, ErrorBody};
use super::extract::ApiJson;
use super::surveys::{found, within, SurveyOut};
use crate::auth::model::Role;
use crate::distribution::sending::release_flow::{start_release_survey, Idempotency};
use crate::distribution::sending::use_cases::{LeftOutCounts, Recipients, SendOut};
use crate::server::AppState;
use crate::surveys::lifecycle::NewFromTemplate;
use crate::surveys::templates::Template;
use axum::extract::State;
use axum::Json;
use http::{HeaderMap, HeaderValue, StatusCode};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Serialize, Deserialize, ToSchema)]
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
    /// The day the release shipped (YYYY-MM-DD): the overview plots releases by it.
    #[schema(format = Date, pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    pub released_on: Option<String>,
    #[serde(default)]
    pub recipients: Recipients,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReleaseSurveyOut {
    pub survey: SurveyOut,
    pub invited: i64,
    pub queued: u64,
    /// Contacts the selection matched but left out, by reason.
    pub left_out: LeftOutCounts,
}

/// The longest `Idempotency-Key` taken.
const MAX_KEY: usize = 200;

/// The whole release flow: create a survey from a template, open it and send it, in one
/// transaction. With an `Idempotency-Key` header, a retry with the same key (by the same
/// token) returns the survey the first call made, with `Idempotent-Replayed: true`.
#[utoipa::path(post, path = "/release-surveys", tag = "sending", request_body = ReleaseSurvey,
    params(("Idempotency-Key" = Option<String>, Header, description = "Any unique string of at most 200 characters, e.g. the release's pipeline run id.")),
    responses((status = 201, body = ReleaseSurveyOut), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 429, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 413, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn release_survey(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    ApiJson(body): ApiJson<ReleaseSurvey>,
) -> ApiResult<(StatusCode, HeaderMap, Json<ReleaseSurveyOut>)> {
    caller.require(Role::Editor)?;
    let key = idempotency_key(&headers)?;
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
    let new = NewFromTemplate::parse(&title, template, Some(&body.release))?
        .released_on(body.released_on.as_deref())?;
    let idempotency = key.map(|key| Idempotency {
        caller: &caller.token_id,
        key,
        fingerprint: fingerprint(&body),
    });
    let started = start_release_survey(
        &state.db,
        &state.config,
        &new,
        &body.recipients,
        idempotency.as_ref(),
        caller.created_by.as_deref(),
        &caller.actor(),
        state.clock.now(),
    )
    .await?;
    state.mail_wakeup.notify_one();
    let survey = found(&state.db, &started.survey_id).await?;
    let mut out_headers = HeaderMap::new();
    if started.replayed {
        out_headers.insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    let SendOut {
        invited,
        queued,
        left_out,
    } = started.sent;
    Ok((
        StatusCode::CREATED,
        out_headers,
        Json(ReleaseSurveyOut {
            survey,
            invited,
            queued,
            left_out,
        }),
    ))
}

/// The `Idempotency-Key` header, when given: printable ASCII, at most 200 characters.
fn idempotency_key(headers: &HeaderMap) -> ApiResult<Option<&str>> {
    let Some(value) = headers.get("idempotency-key") else {
        return Ok(None);
    };
    match value.to_str().map(str::trim) {
        Ok(key) if !key.is_empty() && key.len() <= MAX_KEY => Ok(Some(key)),
        _ => Err(ApiError::field(
            "Idempotency-Key",
            format!("Give a key of 1 to {MAX_KEY} printable ASCII characters."),
        )),
    }
}

/// A hash of the request's content, so a key reused for another request is caught.
fn fingerprint(body: &ReleaseSurvey) -> String {
    use sha2::{Digest, Sha256};
    let text = serde_json::to_string(body).unwrap_or_default();
    format!("{:x}", Sha256::digest(text.as_bytes()))
}
