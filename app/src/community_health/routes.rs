//! The at-risk list as a CSV download, outside the Leptos router.
use super::model::RiskFilter;
use crate::server::AppState;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new().route("/communities/at-risk.csv", get(at_risk_csv))
}

#[derive(serde::Deserialize, Default)]
struct Filters {
    #[serde(default)]
    tier: String,
    #[serde(default)]
    owner: String,
}

/// `GET /communities/at-risk.csv?tier=...&owner=...`: the list the page shows, as a file.
async fn at_risk_csv(
    State(state): State<AppState>,
    headers: http::HeaderMap,
    query: Result<Query<Filters>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let result: crate::error::AppResult<Vec<u8>> = async {
        crate::server::guard::require_role_in(&state, &headers, crate::auth::model::Role::Viewer)
            .await?;
        let Query(filters) = query.map_err(|_| crate::error::AppError::BadRequest)?;
        let filter = RiskFilter {
            tier: filters.tier,
            owner: filters.owner,
        };
        let health = super::health::load(super::scope(&state), &filter).await?;
        let zone = state.config.time_zone.for_pages(state.clock.now());
        super::health::at_risk_csv(&health.at_risk, &zone)
    }
    .await;
    match result {
        Ok(body) => (
            [
                (http::header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (
                    http::header::CONTENT_DISPOSITION,
                    "attachment; filename=\"at-risk-communities.csv\"",
                ),
                (http::header::CACHE_CONTROL, "no-store"),
            ],
            body,
        )
            .into_response(),
        Err(error) => {
            let status = http::StatusCode::from_u16(error.status())
                .unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
            (status, error.to_string()).into_response()
        }
    }
}
