//! The at-risk list as a CSV download, outside the Leptos router.
use super::model::RiskFilter;
use crate::server::AppState;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/communities/at-risk.csv", get(at_risk_csv))
        .route("/reports/quarterly.html", get(quarterly_html))
        .route(
            "/digest/stop/{member}/{token}",
            get(super::digest_stop::show).post(super::digest_stop::submit),
        )
}

/// The design system, report and print rules included, inlined: the file is read offline.
const REPORT_CSS: &str = include_str!("../../../style/main.css");

#[derive(serde::Deserialize, Default)]
struct QuarterQuery {
    #[serde(default)]
    quarter: String,
}

/// `GET /reports/quarterly.html?quarter=2026%20Q3`: the report as one self-contained HTML
/// file (styles inlined, no script, no outside reference) to attach to an email.
async fn quarterly_html(
    State(state): State<AppState>,
    headers: http::HeaderMap,
    query: Result<Query<QuarterQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let result: crate::error::AppResult<(String, String)> = async {
        crate::server::guard::require_role_in(&state, &headers, crate::auth::model::Role::Viewer)
            .await?;
        let Query(query) = query.map_err(|_| crate::error::AppError::BadRequest)?;
        let report = super::report::quarterly(super::scope(&state), &query.quarter).await?;
        let zone = state.config.time_zone.for_pages(state.clock.now());
        let file = format!("soundings-{}.html", report.quarter.replace(' ', "-"));
        Ok((file, standalone(report, zone)))
    }
    .await;
    match result {
        Ok((file, body)) => crate::server::edge::attachment(
            Ok(body.into_bytes()),
            "text/html; charset=utf-8",
            &file,
        ),
        Err(error) => crate::server::edge::attachment(Err(error), "text/html; charset=utf-8", ""),
    }
}

fn standalone(report: super::model::QuarterlyReport, zone: crate::ui::TeamZone) -> String {
    use leptos::prelude::*;
    let title = format!("Soundings quarterly report, {}", report.quarter);
    let owner = Owner::new();
    owner.with(|| {
        provide_context(zone);
        view! {
            <!DOCTYPE html>
            <html lang="en">
                <head>
                    <meta charset="utf-8"/>
                    <meta name="viewport" content="width=device-width, initial-scale=1"/>
                    <title>{title}</title>
                    <style>{REPORT_CSS}</style>
                </head>
                <body class="report-file">
                    <main class="container">
                        <super::report_view::ReportBody report/>
                    </main>
                </body>
            </html>
        }
        .to_html()
    })
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
    crate::server::edge::attachment(result, "text/csv; charset=utf-8", "at-risk-communities.csv")
}
