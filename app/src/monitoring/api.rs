//! Server functions of monitoring.
use super::model::Results;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{auth::model::Role, ids::SurveyId, server::guard};

/// A survey's results: rate, scores with their precision and verdict, breakdowns.
#[server(prefix = "/fn", endpoint = "get_results", output = crate::ui::wire::Postcard)]
pub async fn get_results(survey_id: String) -> Result<Results, AppError> {
    guard::respond(async move {
        let (state, user) = guard::require_role(Role::Viewer).await?;
        let survey_id = SurveyId::parse(&survey_id)?;
        let protection = state.config.protection();
        // Days on the chart start at the team's midnight.
        let detail = super::summary::Detail::Page {
            utc_offset: state.config.time_zone.offset_at(state.clock.now()),
        };
        let mut results = state
            .results
            .get(state.db.reads(), &survey_id, protection, detail)
            .await?;
        // Viewers see the protected aggregates only: the people not on the list of who
        // could still answer are the people who answered.
        if !user.role.includes(Role::Editor) {
            results.non_responders = None;
        }
        Ok(results)
    })
    .await
}

/// Sets the survey's target precision (half-width in points) and whether automatic
/// reminders stop once every score reaches it.
#[server(prefix = "/fn", endpoint = "set_precision_target", output = crate::ui::wire::Postcard)]
pub async fn set_precision_target(
    survey_id: String,
    target_points: String,
    stop_reminders: Option<String>,
) -> Result<(), AppError> {
    guard::respond(async move {
        let (state, user) = guard::require_role(Role::Editor).await?;
        let survey_id = SurveyId::parse(&survey_id)?;
        use crate::distribution::sending::settings;
        // Not a number is the same refusal as out of range.
        let points = target_points.trim().parse::<i64>().unwrap_or(0);
        let target = settings::parse_target("target_points", points)?;
        let stop = stop_reminders.is_some();
        let change = settings::SendingChange {
            target: Some((target, stop)),
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
        state.results.forget(&survey_id);
        tracing::info!(
            survey_id = %survey_id,
            by = user.user_id,
            target,
            stop,
            "precision target set"
        );
        Ok(())
    })
    .await
}
