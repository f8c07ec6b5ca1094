//! The team's own tiers (added and renamed), and changing a community's name or tier.
//! A tier is never deleted here: past results are broken down by it.
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    crate::distribution::contacts::{db, directory},
    crate::{auth::model::Role, server::guard},
};

/// Adds a tier (empty `tier_id`) or renames one.
#[server(prefix = "/fn", endpoint = "save_tier", output = crate::ui::wire::Postcard)]
pub async fn save_tier(tier_id: String, name: String) -> Result<(), AppError> {
    guard::respond(async move {
        let (state, user) = guard::require_role(Role::Editor).await?;
        let edit = directory::TierEdit {
            id: (!tier_id.is_empty()).then_some(tier_id),
            name,
            refuse_existing: true,
        };
        // The form shows one message, beside the name.
        let field = |_: usize, name: &str| match name {
            "id" => directory::GONE.to_string(),
            _ => "tier_name".to_string(),
        };
        directory::save_tiers(&state.db, &[edit], &field, state.clock.now())
            .await
            .map_err(directory::gone_as_not_found)?;
        tracing::info!(by = user.user_id, "tier saved");
        Ok(())
    })
    .await
}

/// Renames a community or moves it to another tier or time zone.
#[server(prefix = "/fn", endpoint = "update_community", output = crate::ui::wire::Postcard)]
pub async fn update_community(
    community_id: String,
    name: String,
    tier_id: String,
    #[server(default)] time_zone: String,
) -> Result<(), AppError> {
    guard::respond(async move {
        let (state, user) = guard::require_role(Role::Editor).await?;
        let tiers = db::fetch_tiers(&state.db).await?;
        let Some(tier) = tiers.into_iter().find(|t| t.tier_id == tier_id) else {
            return Err(AppError::field(
                "community_tier",
                "Choose one of the tiers.",
            ));
        };
        let edit = directory::CommunityEdit::Change {
            id: community_id,
            name,
            tier: Some(tier.name),
            time_zone: Some(time_zone),
        };
        let field = |_: usize, name: &str| match name {
            "id" => directory::GONE.to_string(),
            other => format!("community_{other}"),
        };
        directory::save_communities(&state.db, &[edit], &field, state.clock.now())
            .await
            .map_err(directory::gone_as_not_found)?;
        tracing::info!(by = user.user_id, "community changed");
        Ok(())
    })
    .await
}
