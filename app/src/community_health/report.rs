//! The quarterly report's use case: one calendar quarter of the team's time zone, its
//! baseline and releases, its engagement against the quarter before, and the communities
//! at risk as they stood at its end.
use super::health::{self, Scope};
use super::model::{QuarterlyReport, RiskFilter};
use crate::error::{AppError, AppResult};
use crate::monitoring::baseline::{self, Window};

/// Quarters a reader may choose from: the current one and the seven before it.
pub const CHOICES: usize = 8;

/// The report for `quarter` ("2026 Q3"); empty for the last complete quarter.
pub async fn quarterly(scope: Scope<'_>, quarter: &str) -> AppResult<QuarterlyReport> {
    let mut quarters = scope.zone.quarters(scope.now, CHOICES);
    quarters.reverse();
    let choices: Vec<String> = quarters.iter().map(|q| q.0.clone()).collect();
    let wanted = quarter.trim();
    let at = if wanted.is_empty() {
        1.min(quarters.len().saturating_sub(1))
    } else {
        quarters
            .iter()
            .position(|q| q.0.eq_ignore_ascii_case(wanted))
            .ok_or_else(|| {
                AppError::field(
                    "quarter",
                    format!(
                        "Choose one of the last {CHOICES} quarters, written like {}.",
                        choices.first().map(String::as_str).unwrap_or("2026 Q3")
                    ),
                )
            })?
    };
    let (label, from, end) = quarters.get(at).cloned().ok_or(AppError::NotFound)?;
    let until = end.min(scope.now);
    let so_far = end > scope.now;
    let at_end = Scope {
        now: until,
        ..scope
    };
    let dashboard = baseline::load(
        scope.db,
        Window {
            now: until,
            days: scope.window_days,
        },
    )
    .await?;
    let mut baseline = dashboard.baseline;
    baseline.releases.retain(|r| match r.closed_at {
        Some(closed) => closed >= from && closed < until,
        None => so_far,
    });
    let (engagement, engagement_by_tier) =
        crate::monitoring::engagement::engagement_in(scope.db, from, until).await?;
    let previous = match quarters.get(at + 1) {
        Some((label, from, until)) => Some((
            label.clone(),
            crate::monitoring::engagement::engagement_in(scope.db, *from, *until)
                .await?
                .0,
        )),
        None => None,
    };
    let at_risk = health::load(at_end, &RiskFilter::default()).await?.at_risk;
    Ok(QuarterlyReport {
        quarter: label,
        from,
        until,
        so_far,
        choices,
        window_days: scope.window_days,
        baseline,
        engagement,
        engagement_by_tier,
        previous,
        at_risk,
        small_group: scope.protection.small_group,
        made_at: scope.now,
    })
}
