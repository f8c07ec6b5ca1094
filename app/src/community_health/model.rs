//! What the community pages show: engagement as a measured share with its interval, the
//! communities at risk with their reasons in words, and one community over time.
pub use crate::monitoring::baseline_model::Share;
use crate::monitoring::stats::{Comparison, Estimate};
use serde::{Deserialize, Serialize};

/// Length of the periods the at-risk rules compare: the last 91 days and the 91 before.
pub const PERIOD_DAYS: i64 = 91;

/// Engagement in one calendar quarter of the team's time zone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuarterShare {
    /// "2026 Q3".
    pub label: String,
    /// The quarter's first moment, and the moment it ends (or now, while it runs).
    pub from: i64,
    pub until: i64,
    /// The quarter is still running: its share is "so far".
    pub so_far: bool,
    pub share: Share,
}

/// The response rate of one tier in the surveys about one release.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TierRate {
    pub tier: String,
    pub delivered: i64,
    /// None when a survey's counts for the tier are not shown (an anonymous survey that
    /// reached fewer people than the small-group minimum in it).
    pub completed: Option<i64>,
    pub rate: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReleaseRates {
    pub release: String,
    /// When the first invitation of its surveys went out.
    pub first_sent: i64,
    /// One of its surveys is still open: its rates are still rising.
    pub so_far: bool,
    pub tiers: Vec<TierRate>,
}

/// The engagement KPI: over the window, per tier, per quarter, and the response rate per
/// tier over releases.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Engagement {
    pub window_days: i64,
    pub overall: Share,
    /// (tier, share), in the tiers' order.
    pub by_tier: Vec<(String, Share)>,
    /// Oldest first; the last is the current quarter so far.
    pub by_quarter: Vec<QuarterShare>,
    /// Newest release first.
    pub rates_by_release: Vec<ReleaseRates>,
}

/// Why a community is at risk, each said in words on the page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Reason {
    /// Answered none of its last two closed surveys (titles, newest first).
    SilentSurveys(Vec<String>),
    /// Invited in each of the last two periods and answered in neither.
    SilentPeriods,
    /// Its score in the window is below the baseline of everyone else's answers with a
    /// distinguishable difference: (kind label, its score, its answers, the others').
    BelowBaseline {
        label: String,
        own: Estimate,
        answers: i64,
        others: Estimate,
    },
    /// Its response rate fell by more than the latest period's half-width:
    /// (earlier rate, latest rate with its interval).
    Falling { earlier: f64, latest: Estimate },
}

impl Reason {
    /// Heavier reasons first: silence says more about a renewal than a dip in a score.
    pub fn weight(&self) -> u8 {
        match self {
            Reason::SilentSurveys(_) => 4,
            Reason::SilentPeriods => 3,
            Reason::BelowBaseline { .. } => 2,
            Reason::Falling { .. } => 1,
        }
    }

    /// The reason in a sentence, as the page, the CSV and the digest say it.
    pub fn words(&self) -> String {
        match self {
            Reason::SilentSurveys(titles) => format!(
                "Answered none of its last {} surveys ({}).",
                titles.len(),
                titles.join("; ")
            ),
            Reason::SilentPeriods => format!(
                "Invited in each of the last two periods of {PERIOD_DAYS} days and answered in neither."
            ),
            Reason::BelowBaseline {
                label,
                own,
                answers,
                others,
            } => format!(
                "{label} {:.0} over its last year ({} answers, 95% interval {:.0} to {:.0}), below the {:.0} of everyone else's answers in the same surveys: a difference larger than chance at 95%.",
                own.value, answers, own.low, own.high, others.value
            ),
            Reason::Falling { earlier, latest } => format!(
                "Response rate fell from {earlier:.0}% to {:.0}% between the two last periods of {PERIOD_DAYS} days, more than the latest rate's ±{:.0} points.",
                latest.value,
                latest.half_width()
            ),
        }
    }

    /// A short machine name for the API and the CSV.
    pub fn code(&self) -> &'static str {
        match self {
            Reason::SilentSurveys(_) => "silent_surveys",
            Reason::SilentPeriods => "silent_periods",
            Reason::BelowBaseline { .. } => "below_baseline",
            Reason::Falling { .. } => "falling_rate",
        }
    }
}

/// A community on the at-risk list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AtRisk {
    pub community_id: String,
    pub name: String,
    pub tier: String,
    /// The team member who looks after it (their email), if one is set.
    pub owner: Option<String>,
    /// YYYY-MM-DD, if the team recorded one.
    pub renews_on: Option<String>,
    /// The latest day a member completed an identified survey.
    pub last_answered: Option<i64>,
    /// Heaviest first.
    pub reasons: Vec<Reason>,
}

/// The at-risk list's filters, as the page's form and the API's query take them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RiskFilter {
    /// A tier's name; empty for all.
    pub tier: String,
    /// A team member's email; "none" for communities nobody looks after; empty for all.
    pub owner: String,
}

impl RiskFilter {
    pub fn keeps(&self, row: &AtRisk) -> bool {
        let tier = self.tier.is_empty() || self.tier.eq_ignore_ascii_case(&row.tier);
        let owner = match self.owner.as_str() {
            "" => true,
            "none" => row.owner.is_none(),
            email => row
                .owner
                .as_deref()
                .is_some_and(|o| o.eq_ignore_ascii_case(email)),
        };
        tier && owner
    }
}

/// The community list page: the KPI, and who is at risk.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Health {
    pub engagement: Engagement,
    pub at_risk: Vec<AtRisk>,
    /// Every community, for the directory below the list: (id, name, tier).
    pub communities: Vec<(String, String, String)>,
    /// Tier names and team members' emails, for the filter's choices.
    pub tiers: Vec<String>,
    pub owners: Vec<String>,
    pub small_group: i64,
}

/// One survey as one community saw it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommunitySurvey {
    pub survey_id: String,
    pub title: String,
    pub release: Option<String>,
    pub anonymous: bool,
    pub closed: bool,
    /// When its first invitation reached the community.
    pub first_sent: i64,
    pub delivered: i64,
    /// None when the survey's results do not show it (anonymous and a small group).
    pub completed: Option<i64>,
    pub rate: Option<f64>,
    /// The survey's headline label ("CSAT: share answering 4 or 5"), if it has one.
    pub headline_label: Option<String>,
    /// The community's headline score, when its group is large enough to be shown.
    pub score: Option<f64>,
    /// The baseline of that kind of score, to read the community's against.
    pub baseline: Option<f64>,
}

/// One community's page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommunityHealth {
    pub community_id: String,
    pub name: String,
    pub tier: String,
    /// Its own time zone, or empty for the team's.
    pub time_zone: String,
    pub owner: Option<String>,
    pub renews_on: Option<String>,
    /// (name, email, role) of its contacts; empty for viewers, who see only the count.
    pub contacts: Vec<(String, String, String)>,
    pub contact_count: i64,
    pub last_answered: Option<i64>,
    /// Newest first.
    pub surveys: Vec<CommunitySurvey>,
    /// Why it is at risk, if it is.
    pub reasons: Vec<Reason>,
    /// The community's own score in the window against everyone else's, per kind:
    /// (label, own, answers, others, comparison).
    pub against_baseline: Vec<(String, Estimate, i64, Estimate, Option<Comparison>)>,
    pub small_group: i64,
    pub window_days: i64,
    /// Team members' emails, for the owner field.
    pub members: Vec<String>,
}

/// The quarterly report for leadership: the baseline, the releases against it,
/// engagement and the communities at risk, for one calendar quarter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuarterlyReport {
    /// "2026 Q3".
    pub quarter: String,
    pub from: i64,
    /// The quarter's end, or now while it runs.
    pub until: i64,
    pub so_far: bool,
    /// The quarters a reader may choose, newest first.
    pub choices: Vec<String>,
    pub window_days: i64,
    /// The baseline over the window ending with the quarter, and the releases whose
    /// surveys closed in the quarter (or are still open, in the current one).
    pub baseline: crate::monitoring::baseline_model::Baseline,
    pub engagement: Share,
    pub engagement_by_tier: Vec<(String, Share)>,
    /// The quarter before, to read the change against.
    pub previous: Option<(String, Share)>,
    pub at_risk: Vec<AtRisk>,
    pub small_group: i64,
    /// When the report was made.
    pub made_at: i64,
}

/// A team member's weekly digest, as the communities page shows it to them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DigestSetting {
    pub on: bool,
    /// Where it goes: the member's own address.
    pub email: String,
    /// When the next digest is due (the first one's Monday, for a member who just opted in).
    pub next_at: i64,
    /// The team's time zone, in which "Monday 08:00" is meant.
    pub zone: String,
}
