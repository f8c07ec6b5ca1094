//! `/surveys/{id}/in-product`: the survey's panel inside the team's own product, read and
//! changed. An adapter over `distribution::in_product::use_cases`.
use super::auth::Caller;
use super::error::{ApiResult, ErrorBody};
use super::extract::ApiJson;
use crate::auth::model::Role;
use crate::distribution::in_product::model::{
    parse_origin_list, parse_snooze_days, snippets, InProduct,
};
use crate::distribution::in_product::use_cases::{self, ChannelChange, Switch};
use crate::error::{keep_fields, AppError, FieldError};
use crate::ids::SurveyId;
use crate::server::AppState;
use axum::extract::{Path, State};
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct InProductOut {
    /// Whether the panel can be shown.
    pub on: bool,
    /// The snippet's survey key; null while off.
    pub key: Option<String>,
    /// The secret the team's server signs each user's address with (HMAC-SHA256, hex);
    /// only for editor tokens, null otherwise or while off.
    pub secret: Option<String>,
    /// Origins that may show the panel, e.g. https://app.example.com.
    pub origins: Vec<String>,
    /// Days a closed panel stays away from that person.
    pub snooze_days: i64,
    /// The script tag to put on the product's pages (with {{email}} and {{signature}}
    /// filled in per user); null while off.
    pub script_snippet: Option<String>,
    /// People the panel was shown to.
    pub shown: i64,
    /// People who closed it without completing; null in an anonymous survey shown to fewer
    /// people than the small-group minimum.
    pub dismissed: Option<i64>,
    /// Responses completed in the panel; null as `dismissed`.
    pub completed: Option<i64>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InProductIn {
    /// "on" (keeps the current key and secret), "renew" (new ones; the old snippet stops
    /// working) or "off".
    #[schema(pattern = "^(on|renew|off)$")]
    pub switch: Option<String>,
    /// Replaces the list; at most 10, each scheme://host[:port].
    #[schema(max_items = 10)]
    pub origins: Option<Vec<String>>,
    #[schema(minimum = 1, maximum = 365)]
    pub snooze_days: Option<i64>,
}

fn out(channel: InProduct) -> InProductOut {
    InProductOut {
        on: channel.key.is_some(),
        script_snippet: channel
            .key
            .as_deref()
            .map(|key| snippets(&channel.base_url, key).script),
        key: channel.key,
        secret: channel.secret,
        origins: channel.origins,
        snooze_days: channel.snooze_days,
        shown: channel.counts.shown,
        dismissed: (!channel.counts.hidden).then_some(channel.counts.dismissed),
        completed: (!channel.counts.hidden).then_some(channel.counts.completed),
    }
}

/// The survey's in-product panel and what it did.
#[utoipa::path(get, path = "/surveys/{survey_id}/in-product", tag = "sending", params(("survey_id" = String, Path, format = Uuid)),
    responses((status = 200, body = InProductOut), (status = 401, body = ErrorBody), (status = 429, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn read(
    State(state): State<AppState>,
    caller: Caller,
    Path(survey_id): Path<String>,
) -> ApiResult<Json<InProductOut>> {
    caller.require(Role::Viewer)?;
    let survey_id = SurveyId::parse(&survey_id)?;
    let reveal = caller.require(Role::Editor).is_ok();
    let channel = use_cases::load(&state.db, &state.config, &survey_id, reveal).await?;
    Ok(Json(out(channel)))
}

/// Turn the panel on or off, renew its key and secret, or set its origins and snooze:
/// each field given is changed, the others kept; every problem is reported at once and
/// nothing is changed then.
#[utoipa::path(put, path = "/surveys/{survey_id}/in-product", tag = "sending", params(("survey_id" = String, Path, format = Uuid)),
    request_body = InProductIn,
    responses((status = 200, body = InProductOut), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 429, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 413, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path(survey_id): Path<String>,
    ApiJson(body): ApiJson<InProductIn>,
) -> ApiResult<Json<InProductOut>> {
    caller.require(Role::Editor)?;
    let survey_id = SurveyId::parse(&survey_id)?;
    let mut errors: Vec<FieldError> = Vec::new();
    let change = ChannelChange {
        switch: body
            .switch
            .as_deref()
            .and_then(|text| keep_fields(&mut errors, Switch::parse(text))),
        origins: body.origins.as_ref().and_then(|list| {
            let items: Vec<&str> = list.iter().map(String::as_str).collect();
            keep_fields(&mut errors, parse_origin_list("origins", &items))
        }),
        snooze_days: body
            .snooze_days
            .and_then(|days| keep_fields(&mut errors, parse_snooze_days("snooze_days", days))),
    };
    if !errors.is_empty() {
        return Err(AppError::Validation(errors).into());
    }
    let now = state.clock.now();
    use_cases::change(&state.db, &survey_id, &change, &caller.actor(), now).await?;
    let channel = use_cases::load(&state.db, &state.config, &survey_id, true).await?;
    Ok(Json(out(channel)))
}
