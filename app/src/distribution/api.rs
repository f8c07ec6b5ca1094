//! Server functions of distribution: sending a survey's invitations and reading the
//! development mailbox.
use super::model::{MailSummary, MailView};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::{mailbox_db, reminders, sending},
    crate::{auth::model::Role, ids::SurveyId, server::guard, surveys::db as survey_db},
};

/// Queues the invitation email of every recipient who has not been sent one; returns
/// how many were queued. The outbox worker sends them; this request sends nothing.
#[server(prefix = "/fn", endpoint = "send_invitations")]
pub async fn send_invitations(survey_id: String) -> Result<u64, AppError> {
    guard::respond(async move {
        let (state, user) = guard::require_role(Role::Editor).await?;
        let survey_id = SurveyId::parse(&survey_id)?;
        let queued =
            sending::queue_chosen(&state.db, &survey_id, &user.user_id, state.clock.now()).await?;
        state.mail_wakeup.notify_one();
        Ok(queued)
    })
    .await
}

/// Queues a reminder now for everyone who was sent the invitation and has not answered;
/// returns how many.
#[server(prefix = "/fn", endpoint = "remind_now")]
pub async fn remind_now(survey_id: String) -> Result<u64, AppError> {
    guard::respond(async move {
        let (state, user) = guard::require_role(Role::Editor).await?;
        let survey_id = SurveyId::parse(&survey_id)?;
        let queued =
            sending::remind_now(&state.db, &survey_id, &user.user_id, state.clock.now()).await?;
        state.mail_wakeup.notify_one();
        Ok(queued)
    })
    .await
}

/// Sets the survey's reminder schedule, e.g. "3, 7" (days after the invitation).
#[server(prefix = "/fn", endpoint = "set_reminder_schedule")]
pub async fn set_reminder_schedule(survey_id: String, days: String) -> Result<(), AppError> {
    guard::respond(async move {
        let (state, _) = guard::require_role(Role::Editor).await?;
        let survey_id = SurveyId::parse(&survey_id)?;
        survey_db::fetch_survey_status(&state.db, &survey_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let days = reminders::parse_schedule(&days).map_err(|m| AppError::field("days", m))?;
        reminders::update_schedule(&state.db, &survey_id, &days).await?;
        Ok(())
    })
    .await
}

/// The newest 200 messages of the development mailbox.
#[server(prefix = "/fn", endpoint = "list_mail")]
pub async fn list_mail() -> Result<Vec<MailSummary>, AppError> {
    guard::respond(async {
        let (state, _) = guard::require_role(Role::Viewer).await?;
        Ok(mailbox_db::fetch_mails(&state.db, 200).await?)
    })
    .await
}

#[server(prefix = "/fn", endpoint = "get_mail")]
pub async fn get_mail(mail_id: String) -> Result<MailView, AppError> {
    guard::respond(async move {
        let (state, _) = guard::require_role(Role::Viewer).await?;
        mailbox_db::fetch_mail(&state.db, &mail_id)
            .await?
            .ok_or(AppError::NotFound)
    })
    .await
}
