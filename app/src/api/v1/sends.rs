//! `/surveys/{id}/sends` and `/surveys/{id}/reminders`: invite contacts chosen by tier,
//! community and tag, with the same unsubscribe and quiet-period rules as the survey
//! page, and queue their emails; or remind everyone who has not answered.
use super::auth::Caller;
use super::error::{ApiError, ApiResult, ErrorBody};
use super::extract::ApiJson;
use crate::auth::model::Role;
use crate::db::{now, Db};
use crate::distribution::choose_db::{plan_selection, Selection};
use crate::distribution::{handlers::new_invitations, reminders, send_db};
use crate::error::AppError;
use crate::ids::SurveyId;
use crate::server::{AppState, Config};
use crate::surveys::db::fetch_survey_status;
use crate::surveys::model::SurveyStatus;
use axum::extract::{Path, State};
use axum::Json;
use http::StatusCode;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use utoipa::ToSchema;

/// Who to invite: contacts in any of `tiers` (names or ids; all tiers when empty), in
/// `community` and with `tag` when given.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Recipients {
    #[serde(default)]
    pub tiers: Vec<String>,
    pub community: Option<String>,
    pub tag: Option<String>,
    /// Also invite contacts surveyed within the quiet period.
    #[serde(default)]
    pub include_recently_surveyed: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SendOut {
    /// Contacts given a personal link by this call.
    pub invited: i64,
    /// Invitation emails queued by this call (the outbox sends them).
    pub queued: u64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RemindOut {
    pub queued: u64,
}

async fn resolve(db: &Db, sql: &str, value: &str, field: &str, what: &str) -> ApiResult<String> {
    let found: Option<String> = sqlx::query_scalar(sql)
        .bind(value.trim())
        .fetch_optional(db)
        .await?;
    found.ok_or_else(|| {
        ApiError::field(
            field,
            format!("There is no {what} called “{}”.", value.trim()),
        )
    })
}

/// The UI's selections for these recipients: one per tier.
async fn selections(db: &Db, recipients: &Recipients) -> ApiResult<Vec<Selection>> {
    let community = match recipients
        .community
        .as_deref()
        .filter(|c| !c.trim().is_empty())
    {
        Some(c) => resolve(
            db,
            "SELECT community_id FROM communities WHERE community_id = $1 OR name_key = LOWER($1)",
            c,
            "community",
            "community",
        )
        .await?,
        None => String::new(),
    };
    let mut tiers = Vec::new();
    for tier in &recipients.tiers {
        tiers.push(
            resolve(
                db,
                "SELECT tier_id FROM tiers WHERE tier_id = $1 OR LOWER(name) = LOWER($1)",
                tier,
                "tiers",
                "tier",
            )
            .await?,
        );
    }
    if tiers.is_empty() {
        tiers.push(String::new());
    }
    let override_quiet = recipients
        .include_recently_surveyed
        .then(|| "on".to_string());
    Ok(tiers
        .into_iter()
        .map(|tier| Selection {
            tier,
            community: community.clone(),
            tag: recipients.tag.clone().unwrap_or_default(),
            override_quiet: override_quiet.clone(),
        })
        .collect())
}

/// Invites the recipients and queues the survey's unsent invitations, in one transaction;
/// the caller wakes the outbox worker if it runs in this process.
pub async fn invite_and_queue(
    db: &Db,
    config: &Config,
    survey_id: &str,
    recipients: &Recipients,
) -> ApiResult<SendOut> {
    match fetch_survey_status(db, survey_id).await? {
        None => return Err(AppError::NotFound.into()),
        Some(SurveyStatus::Open) => {}
        Some(_) => {
            return Err(AppError::Conflict(
                "Only an open survey sends invitations: open it first.".into(),
            )
            .into())
        }
    }
    let quiet_since = now() - config.quiet_period_days * 86_400;
    let mut contacts = BTreeSet::new();
    for selection in selections(db, recipients).await? {
        let (_, ids) = plan_selection(db, survey_id, &selection, quiet_since).await?;
        contacts.extend(ids);
    }
    let now = now();
    let mut tx = db.begin_write().await?;
    let rows = new_invitations(config, &contacts);
    let written = send_db::invite_and_queue(&mut tx, survey_id, &rows, now).await?;
    let (invited, queued) = (written.invited, written.queued);
    tx.commit().await?;
    tracing::info!(
        survey_id = %survey_id,
        invited,
        queued,
        "invitations queued for a selection"
    );
    Ok(SendOut { invited, queued })
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
    let out = invite_and_queue(&state.db, &state.config, &survey_id, &recipients).await?;
    state.mail_wakeup.notify_one();
    Ok((StatusCode::ACCEPTED, Json(out)))
}

/// Remind everyone sent the invitation who has not answered.
#[utoipa::path(post, path = "/surveys/{survey_id}/reminders", tag = "sending", params(("survey_id" = String, Path, format = Uuid)),
    responses((status = 202, body = RemindOut), (status = 401, body = ErrorBody), (status = 429, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn remind(
    State(state): State<AppState>,
    caller: Caller,
    Path(survey_id): Path<String>,
) -> ApiResult<(StatusCode, Json<RemindOut>)> {
    caller.require(Role::Editor)?;
    let survey_id = SurveyId::parse(&survey_id)?;
    match fetch_survey_status(&state.db, &survey_id).await? {
        None => return Err(AppError::NotFound.into()),
        Some(SurveyStatus::Open) => {}
        Some(_) => {
            return Err(AppError::Conflict("Only an open survey sends reminders.".into()).into())
        }
    }
    let mut tx = state.db.begin_write().await?;
    let queued = reminders::queue_reminders(&mut tx, &survey_id, now(), None, 0).await?;
    tx.commit().await?;
    state.mail_wakeup.notify_one();
    Ok((StatusCode::ACCEPTED, Json(RemindOut { queued })))
}
