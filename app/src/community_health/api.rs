//! Server functions of community health: thin doors onto `health`.
use super::model::{CommunityHealth, DigestSetting, Health, QuarterlyReport};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::health::{self, Scope},
    super::model::RiskFilter,
    crate::{auth::model::Role, server::guard, server::AppState},
};

/// The figures are read over the baseline's window, in the team's time zone.
#[cfg(feature = "ssr")]
pub fn scope(state: &AppState) -> Scope<'_> {
    Scope {
        db: state.db.reads(),
        results: &state.results,
        protection: state.config.protection(),
        zone: &state.config.time_zone,
        now: state.clock.now(),
        window_days: state.config.baseline_window_days,
    }
}

/// Engagement, the at-risk list narrowed by tier and owner, and every community.
#[server(prefix = "/fn", endpoint = "get_health", output = crate::ui::wire::Postcard)]
pub async fn get_health(tier: Option<String>, owner: Option<String>) -> Result<Health, AppError> {
    guard::respond(async move {
        let (state, _) = guard::require_role(Role::Viewer).await?;
        let filter = RiskFilter {
            tier: tier.unwrap_or_default(),
            owner: owner.unwrap_or_default(),
        };
        health::load(scope(&state), &filter).await
    })
    .await
}

/// One community's page; its people are listed for editors only.
#[server(prefix = "/fn", endpoint = "get_community", output = crate::ui::wire::Postcard)]
pub async fn get_community(community_id: String) -> Result<CommunityHealth, AppError> {
    guard::respond(async move {
        let (state, user) = guard::require_role(Role::Viewer).await?;
        let with_contacts = user.role.includes(Role::Editor);
        health::community(scope(&state), community_id.trim(), with_contacts).await
    })
    .await
}

/// Who on the team looks after a community, and when its membership renews.
#[server(prefix = "/fn", endpoint = "set_community_care", output = crate::ui::wire::Postcard)]
pub async fn set_community_care(
    community_id: String,
    owner: String,
    renews_on: String,
) -> Result<(), AppError> {
    guard::respond(async move {
        let (state, user) = guard::require_role(Role::Editor).await?;
        health::set_care(&state.db, community_id.trim(), &owner, &renews_on).await?;
        tracing::info!(community_id, by = user.user_id, "community care set");
        Ok(())
    })
    .await
}

/// The quarterly report for a chosen quarter ("2026 Q3"; empty for the last complete one).
#[server(prefix = "/fn", endpoint = "get_quarterly_report", output = crate::ui::wire::Postcard)]
pub async fn get_quarterly_report(quarter: Option<String>) -> Result<QuarterlyReport, AppError> {
    guard::respond(async move {
        let (state, _) = guard::require_role(Role::Viewer).await?;
        super::report::quarterly(scope(&state), quarter.as_deref().unwrap_or_default()).await
    })
    .await
}

/// The signed-in member's own weekly digest: whether it is on, where it goes and when.
#[server(prefix = "/fn", endpoint = "get_weekly_digest", output = crate::ui::wire::Postcard)]
pub async fn get_weekly_digest() -> Result<DigestSetting, AppError> {
    guard::respond(async move {
        let (state, user) = guard::require_role(Role::Viewer).await?;
        let now = state.clock.now();
        super::digest::setting(&state.db, &state.config.time_zone, &user.user_id, now).await
    })
    .await
}

/// Turns the signed-in member's own weekly digest on (`on=true`) or off. It takes no
/// member: nobody can subscribe someone else.
#[server(prefix = "/fn", endpoint = "set_weekly_digest", output = crate::ui::wire::Postcard)]
pub async fn set_weekly_digest(on: String) -> Result<bool, AppError> {
    guard::respond(async move {
        let (state, user) = guard::require_role(Role::Viewer).await?;
        let on = match on.trim() {
            "true" | "on" => true,
            "false" | "off" => false,
            _ => return Err(AppError::field("on", "Choose on or off.")),
        };
        super::digest::choose(&state.db, &user.user_id, on, state.clock.now()).await?;
        tracing::info!(by = user.user_id, on, "weekly digest chosen");
        Ok(on)
    })
    .await
}
