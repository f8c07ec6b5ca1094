//! `/surveys/{id}/sending`: how a survey sends (both emails' wording, the reminder
//! schedule, the target precision, the sending window and the From name), read and changed in one call.
//! An adapter over `distribution::sending::settings`.
use super::auth::Caller;
use super::error::{ApiResult, ErrorBody};
use super::extract::ApiJson;
use crate::auth::model::Role;
use crate::distribution::sending::settings::{self, SendingChange, SendingSettings};
use crate::distribution::sending::window;
use crate::error::{keep_fields, AppError, FieldError};
use crate::ids::SurveyId;
use crate::server::AppState;
use axum::extract::{Path, State};
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WordingJson {
    /// May hold {{ name }}, {{ community }}, {{ feature }}, {{ survey_title }}.
    #[schema(max_length = 200)]
    pub subject: String,
    /// Must hold {{ survey_link }}; may hold {{ unsubscribe_link }} and the subject's.
    #[schema(max_length = 5000)]
    pub body: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SendingOut {
    pub invitation: WordingJson,
    pub reminder: WordingJson,
    /// Days after the invitation; empty: no automatic reminders.
    pub reminder_days: Vec<i64>,
    pub target_points: i64,
    pub stop_reminders_at_target: bool,
    /// e.g. "Tue-Thu 09:00-17:00" in each recipient's community's time zone; "any time";
    /// null follows the team's default.
    pub sending_window: Option<String>,
    /// The window mail actually follows.
    pub effective_window: String,
    /// The From name of the invitations and reminders, e.g. "Maya from the Product team";
    /// empty: MAIL_FROM's own name. The address is always MAIL_FROM's.
    pub sender_name: String,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SendingIn {
    pub invitation: Option<WordingJson>,
    pub reminder: Option<WordingJson>,
    #[schema(max_items = 3)]
    pub reminder_days: Option<Vec<i64>>,
    #[schema(minimum = 1, maximum = 50)]
    pub target_points: Option<i64>,
    pub stop_reminders_at_target: Option<bool>,
    /// A window such as "Tue-Thu 09:00-17:00", "any time", or "" to follow the team's
    /// default.
    #[schema(max_length = 60)]
    pub sending_window: Option<String>,
    /// A From name on one line without @, <, > or quotes; "" for MAIL_FROM's own.
    #[schema(max_length = 80)]
    pub sender_name: Option<String>,
}

fn out(s: SendingSettings, state: &AppState) -> SendingOut {
    let team = window::describe(state.config.default_window);
    let own = window::shown(s.sending_window.as_deref());
    SendingOut {
        invitation: WordingJson {
            subject: s.invitation.subject,
            body: s.invitation.body,
        },
        reminder: WordingJson {
            subject: s.reminder.subject,
            body: s.reminder.body,
        },
        reminder_days: s.reminder_days,
        target_points: s.target_points,
        stop_reminders_at_target: s.stop_reminders_at_target,
        effective_window: own.clone().unwrap_or(team),
        sending_window: own,
        sender_name: s.sender_name,
    }
}

/// How the survey sends.
#[utoipa::path(get, path = "/surveys/{survey_id}/sending", tag = "sending", params(("survey_id" = String, Path, format = Uuid)),
    responses((status = 200, body = SendingOut), (status = 401, body = ErrorBody), (status = 429, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn read(
    State(state): State<AppState>,
    caller: Caller,
    Path(survey_id): Path<String>,
) -> ApiResult<Json<SendingOut>> {
    caller.require(Role::Viewer)?;
    let survey_id = SurveyId::parse(&survey_id)?;
    let current = settings::load(&state.db, &survey_id).await?;
    Ok(Json(out(current, &state)))
}

/// Change how the survey sends: each field given is changed, the others kept; every
/// problem is reported at once and nothing is changed then.
#[utoipa::path(put, path = "/surveys/{survey_id}/sending", tag = "sending", params(("survey_id" = String, Path, format = Uuid)),
    request_body = SendingIn,
    responses((status = 200, body = SendingOut), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 429, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 413, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path(survey_id): Path<String>,
    ApiJson(body): ApiJson<SendingIn>,
) -> ApiResult<Json<SendingOut>> {
    caller.require(Role::Editor)?;
    let survey_id = SurveyId::parse(&survey_id)?;
    let current = settings::load(&state.db, &survey_id).await?;
    let mut errors = Vec::new();
    let wording = |prefix: &str, w: &WordingJson| {
        settings::parse_wording(&w.subject, &w.body).map_err(|e| match e {
            AppError::Validation(fields) => AppError::Validation(
                fields
                    .into_iter()
                    .map(|f| {
                        FieldError::new(
                            &format!("{prefix}.{}", f.field.trim_start_matches("email_")),
                            f.message,
                        )
                    })
                    .collect(),
            ),
            other => other,
        })
    };
    let change = SendingChange {
        invitation: body
            .invitation
            .as_ref()
            .and_then(|w| keep_fields(&mut errors, wording("invitation", w))),
        reminder: body
            .reminder
            .as_ref()
            .and_then(|w| keep_fields(&mut errors, wording("reminder", w))),
        reminder_days: body.reminder_days.as_ref().and_then(|days| {
            let text = days
                .iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(",");
            keep_fields(
                &mut errors,
                settings::parse_reminder_days("reminder_days", &text),
            )
        }),
        target: match (body.target_points, body.stop_reminders_at_target) {
            (None, None) => None,
            (points, stop) => keep_fields(
                &mut errors,
                settings::parse_target("target_points", points.unwrap_or(current.target_points)),
            )
            .map(|points| (points, stop.unwrap_or(current.stop_reminders_at_target))),
        },
        sending_window: body.sending_window.as_deref().and_then(|text| {
            keep_fields(&mut errors, settings::parse_window("sending_window", text))
        }),
        sender_name: body.sender_name.as_deref().and_then(|text| {
            keep_fields(
                &mut errors,
                settings::parse_sender_name("sender_name", text),
            )
        }),
    };
    if !errors.is_empty() {
        return Err(AppError::Validation(errors).into());
    }
    settings::change(
        &state.db,
        &survey_id,
        &change,
        &caller.actor(),
        state.clock.now(),
    )
    .await?;
    state.mail_wakeup.notify_one();
    state.results.forget(&survey_id);
    let changed = settings::load(&state.db, &survey_id).await?;
    Ok(Json(out(changed, &state)))
}
