//! The home dashboard's figures: open surveys, the satisfaction baseline across recent
//! releases, and engagement of the communities.
use super::stats::{Comparison, Estimate, Verdict};
use serde::{Deserialize, Serialize};

/// The baseline's rolling window unless `BASELINE_WINDOW_DAYS` sets another.
pub const WINDOW_DAYS: i64 = 365;
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
    /// Pooled over the releases in the window whose surveys have all closed (each answer
    /// weighs the same).
    pub csat: Option<Pooled>,
    pub nps: Option<Pooled>,
    pub ces: Option<Pooled>,
    /// The releases in the window, the newest first (by the day they shipped): those
    /// still being surveyed ("so far") and those whose surveys have all closed.
    pub releases: Vec<ReleaseScore>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Pooled {
    pub estimate: Estimate,
    pub answers: i64,
    /// Closed releases with at least one answer to this kind of question.
    pub releases: i64,
}

/// A survey about a release: (id, title).
pub type SurveyRef = (String, String);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReleaseScore {
    pub release_id: String,
    pub release: String,
    /// When it shipped (YYYY-MM-DD), as the team recorded it.
    pub released_on: Option<String>,
    /// Where it stands in time: the day it shipped, else when its first survey opened.
    pub dated: i64,
    /// When its last survey closed; None while one is still open.
    pub closed_at: Option<i64>,
    /// Still being surveyed: shown with its interval, not yet labelled.
    pub so_far: bool,
    pub surveys: Vec<SurveyRef>,
    pub csat: Option<Scored>,
    pub nps: Option<Scored>,
    pub ces: Option<Scored>,
}

/// A release's score with its interval and where it stands against the baseline of
/// the other releases in the window (None when there are no others to compare with).
/// A release still being surveyed is compared with the whole baseline, and its
/// comparison is shown as provisional.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Scored {
    pub estimate: Estimate,
    pub answers: i64,
    pub against_others: Option<Comparison>,
}

/// A share of communities with its 95% Wilson interval (no finite population correction:
/// it reads the share as a community's propensity to take part).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
pub struct Share {
    /// Communities with at least one completed response in the period, of `invited`.
    pub engaged: i64,
    /// Communities sent at least one invitation in the period.
    pub invited: i64,
    /// None when no community was invited.
    pub estimate: Option<Estimate>,
}

/// The overview's engagement: over the window, overall and per tier (the communities
/// page adds the quarters and who is at risk).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Engagement {
    pub overall: Share,
    /// (tier, share), in the tiers' order.
    pub by_tier: Vec<(String, Share)>,
}
