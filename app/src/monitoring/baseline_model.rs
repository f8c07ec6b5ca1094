//! The home dashboard's figures: open surveys, the satisfaction baseline across recent
//! releases, and engagement of the communities.
use super::stats::{Comparison, Estimate, Verdict};
use serde::{Deserialize, Serialize};

/// The baseline's rolling window unless `BASELINE_WINDOW_DAYS` sets another.
pub const WINDOW_DAYS: i64 = 365;
/// A "quarter" of the engagement trend: 91 days counted back from today.
pub const QUARTER_DAYS: i64 = 91;
/// The response rate expected of an open survey when no closed survey gives a history.
pub const DEFAULT_EXPECTED_RATE: f64 = 30.0;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    /// The rolling window of the baseline, expected rate and engagement, in days.
    pub window_days: i64,
    pub open: Vec<OpenSurvey>,
    pub baseline: Baseline,
    pub engagement: Engagement,
    /// The rate an open survey is measured against: the mean final rate of the closed
    /// surveys in the window, or `DEFAULT_EXPECTED_RATE` without any.
    pub expected_rate: f64,
    pub expected_from_history: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OpenSurvey {
    pub survey_id: String,
    pub title: String,
    pub delivered: i64,
    pub completed: i64,
    pub rate: Option<f64>,
    /// The first scored question's verdict, if the survey has one.
    pub verdict: Option<Verdict>,
    /// People "remind now" would reach.
    pub remindable: i64,
    /// Below the expected rate two days or more after its first invitation went out.
    pub needs_attention: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Baseline {
    /// Pooled over the window's closed release surveys (each answer weighs the same).
    pub csat: Option<Pooled>,
    pub nps: Option<Pooled>,
    /// Closed release surveys in the window, newest first.
    pub releases: Vec<ReleaseScore>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Pooled {
    pub estimate: Estimate,
    pub answers: i64,
    pub surveys: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReleaseScore {
    pub survey_id: String,
    pub title: String,
    pub release: String,
    pub closed_at: i64,
    pub csat: Option<Scored>,
    pub nps: Option<Scored>,
}

/// A release's score with its interval and where it stands against the baseline of
/// the other releases in the window (None when there are no others to compare with).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Scored {
    pub estimate: Estimate,
    pub answers: i64,
    pub against_others: Option<Comparison>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Engagement {
    /// Communities with at least one completed response in the window, of all.
    pub engaged: i64,
    pub communities: i64,
    /// (tier, engaged, communities).
    pub by_tier: Vec<(String, i64, i64)>,
    /// Engaged communities per quarter, oldest first: (quarters ago, engaged).
    pub trend: Vec<(i64, i64)>,
}
