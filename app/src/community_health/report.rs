//! The quarterly report's use case: one calendar quarter of the team's time zone, its
//! baseline and releases, its engagement against the quarter before, and the communities
//! at risk as they stood at its end.
use super::health::{self, Scope};
use super::model::QuarterlyReport;
use crate::error::{AppError, AppResult};
use crate::monitoring::baseline;
use crate::monitoring::baseline_db::{fetch_community_tiers, fetch_tier_names};
use crate::monitoring::engagement::engagement_over;
use std::collections::HashMap;

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
    // The baseline alone: the overview's open surveys and engagement are not in the report.
    let mut baseline = baseline::baseline(scope.db, until - scope.window_days * 86_400).await?;
    baseline.releases.retain(|r| match r.closed_at {
        Some(closed) => closed >= from && closed < until,
        None => so_far,
    });
    // The quarter and the one before, from one pass over the invitations.
    let mut periods = vec![(from, until)];
    periods.extend(quarters.get(at + 1).map(|q| (q.1, q.2)));
    let tier_of: HashMap<String, String> =
        fetch_community_tiers(scope.db).await?.into_iter().collect();
    let tiers = fetch_tier_names(scope.db).await?;
    let mut shares = engagement_over(scope.db, &periods, &tier_of, &tiers)
        .await?
        .into_iter();
    let (engagement, engagement_by_tier) = shares.next().unwrap_or_default();
    let previous = quarters
        .get(at + 1)
        .zip(shares.next())
        .map(|(q, (share, _))| (q.0.clone(), share));
    let at_risk = health::at_risk(at_end).await?;
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
