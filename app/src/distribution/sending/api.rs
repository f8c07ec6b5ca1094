//! Server functions of sending: queue the chosen recipients' invitations, remind now, and
//! the reminder schedule and the sending window. Adapters over `use_cases` and `settings`.
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    crate::distribution::sending::{settings, use_cases as sending},
    crate::{auth::model::Role, ids::SurveyId, server::guard},
};

/// Queues the invitation email of every recipient who has not been sent one; returns
/// how many were queued. The outbox worker sends them; this request sends nothing.
#[server(prefix = "/fn", endpoint = "send_invitations", output = crate::ui::wire::Postcard)]
pub async fn send_invitations(
    survey_id: String,
    #[server(default)] ignore_window: Option<String>,
) -> Result<u64, AppError> {
    guard::respond(async move {
        let (state, user) = guard::require_role(Role::Editor).await?;
        let survey_id = SurveyId::parse(&survey_id)?;
        let urgent = ignore_window.is_some();
        let now = state.clock.now();
        let queued =
            sending::queue_chosen(&state.db, &survey_id, urgent, &user.actor(), now).await?;
        state.mail_wakeup.notify_one();
        Ok(queued)
    })
    .await
}

/// Queues a reminder now for everyone who was sent the invitation and has not answered;
/// returns how many.
#[server(prefix = "/fn", endpoint = "remind_now", output = crate::ui::wire::Postcard)]
pub async fn remind_now(
    survey_id: String,
    #[server(default)] ignore_window: Option<String>,
) -> Result<u64, AppError> {
    guard::respond(async move {
        let (state, user) = guard::require_role(Role::Editor).await?;
        let survey_id = SurveyId::parse(&survey_id)?;
        let urgent = ignore_window.is_some();
        let now = state.clock.now();
        let queued = sending::remind_now(&state.db, &survey_id, urgent, &user.actor(), now).await?;
        state.mail_wakeup.notify_one();
        Ok(queued)
    })
    .await
}

/// Sets the survey's reminder schedule, e.g. "3, 7" (days after the invitation).
#[server(prefix = "/fn", endpoint = "set_reminder_schedule", output = crate::ui::wire::Postcard)]
pub async fn set_reminder_schedule(survey_id: String, days: String) -> Result<(), AppError> {
    guard::respond(async move {
        let (state, user) = guard::require_role(Role::Editor).await?;
        let survey_id = SurveyId::parse(&survey_id)?;
        let change = settings::SendingChange {
            reminder_days: Some(settings::parse_reminder_days("days", &days)?),
            ..Default::default()
        };
        settings::change(
            &state.db,
            &survey_id,
            &change,
            &user.actor(),
            state.clock.now(),
        )
        .await
    })
    .await
}

/// Sets when the survey's mail may leave: a window such as "Tue-Thu 09:00-17:00", "any
/// time", or empty to follow the team's default. Returns it as the form shows it (empty
/// for the default, "any time", or the window's canonical text).
#[server(prefix = "/fn", endpoint = "set_sending_window", output = crate::ui::wire::Postcard)]
pub async fn set_sending_window(
    survey_id: String,
    sending_window: String,
) -> Result<String, AppError> {
    guard::respond(async move {
        let (state, user) = guard::require_role(Role::Editor).await?;
        let survey_id = SurveyId::parse(&survey_id)?;
        let stored = settings::parse_window("sending_window", &sending_window)?;
        let change = settings::SendingChange {
            sending_window: Some(stored.clone()),
            ..Default::default()
        };
        settings::change(
            &state.db,
            &survey_id,
            &change,
            &user.actor(),
            state.clock.now(),
        )
        .await?;
        state.mail_wakeup.notify_one();
        Ok(crate::distribution::sending::window::shown(stored.as_deref()).unwrap_or_default())
    })
    .await
}
