//! Server functions of monitoring.
use super::model::Results;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{auth::model::Role, server::guard, surveys::api::parse_survey_id};

/// A survey's results: rate, scores with their precision and verdict, breakdowns.
#[server(prefix = "/fn", endpoint = "get_results")]
pub async fn get_results(survey_id: String) -> Result<Results, AppError> {
    guard::respond(async move {
        let (state, _) = guard::require_role(Role::Viewer).await?;
        let survey_id = parse_survey_id(&survey_id)?;
        super::summary::load(&state.db, &survey_id).await
    })
    .await
}
