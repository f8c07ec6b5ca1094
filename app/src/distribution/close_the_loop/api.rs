//! The Watch step's server function for the closing message: an adapter over `use_cases`.
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::use_cases,
    crate::{auth::model::Role, ids::SurveyId, server::guard},
};

/// Saves the closing message (`send` empty) or saves and sends it (`send` = "1"), to the
/// people who asked and, with `non_respondents` = "1", to those who did not answer.
/// Returns how many messages were queued.
#[server(prefix = "/fn", endpoint = "set_closing_message", output = crate::ui::wire::Postcard)]
pub async fn set_closing_message(
    survey_id: String,
    loop_subject: String,
    loop_body: String,
    non_respondents: Option<String>,
    send: Option<String>,
) -> Result<u64, AppError> {
    guard::respond(async move {
        let (state, user) = guard::require_role(Role::Editor).await?;
        let survey_id = SurveyId::parse(&survey_id)?;
        let wording = use_cases::parse_wording(&loop_subject, &loop_body)?;
        if send.as_deref() != Some("1") {
            use_cases::save(&state.db, &survey_id, &wording, &user.actor()).await?;
            return Ok(0);
        }
        let everyone = non_respondents.as_deref() == Some("1");
        let now = state.clock.now();
        let queued = use_cases::send(
            &state.db,
            &survey_id,
            &wording,
            everyone,
            &user.actor(),
            now,
        )
        .await?;
        state.mail_wakeup.notify_one();
        Ok(queued)
    })
    .await
}
