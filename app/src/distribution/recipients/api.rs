//! The recipients table's server function.
use super::model::RecipientPage;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::model::RecipientQuery,
    crate::{auth::model::Role, ids::SurveyId, server::guard},
};

/// One page of a survey's recipients, narrowed by the search and filters given (each
/// empty for any); viewers see them without who opened or answered.
#[server(prefix = "/fn", endpoint = "list_recipients", output = crate::ui::wire::Postcard)]
pub async fn list_recipients(
    survey_id: String,
    search: Option<String>,
    status: Option<String>,
    community: Option<String>,
    tier: Option<String>,
    after: Option<String>,
) -> Result<RecipientPage, AppError> {
    guard::respond(async move {
        let (state, user) = guard::require_role(Role::Viewer).await?;
        let survey_id = SurveyId::parse(&survey_id)?;
        let query = RecipientQuery {
            search: search.unwrap_or_default(),
            status: status.unwrap_or_default(),
            community: community.unwrap_or_default(),
            tier: tier.unwrap_or_default(),
            after: after.unwrap_or_default(),
        };
        super::list::page(&state.db, &survey_id, &query, user.role).await
    })
    .await
}
