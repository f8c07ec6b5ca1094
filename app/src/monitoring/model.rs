//! What the results page shows, computed on the server from aggregates.
use super::stats::{Estimate, Verdict};
use crate::surveys::question::QuestionKind;
use serde::{Deserialize, Serialize};

/// The target half-width a survey may set, in points.
pub const TARGET_POINTS: std::ops::RangeInclusive<i64> = 1..=50;
/// A breakdown row with fewer completed answers shows no score, so no single person's
/// answer can be read off it. `SMALL_GROUP_MIN` changes it (2 at least).
pub const SMALL_GROUP: i64 = 3;
/// An anonymous survey's results appear once this many answers are in, then move only in
/// steps of this many: watching the page answer by answer never isolates one.
/// `ANONYMOUS_MIN_ANSWERS` changes it (3 at least).
pub const ANONYMOUS_STEP: i64 = 5;

/// The thresholds that keep people from being singled out, from the configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Protection {
    /// Fewest answers a breakdown row needs to show its score.
    pub small_group: i64,
    /// An anonymous survey's results move in steps of this many answers.
    pub anonymous_step: i64,
}

/// One survey's results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Results {
    pub survey_id: String,
    pub title: String,
    pub anonymous: bool,
    /// Fewest answers a breakdown row needs to show its score.
    pub small_group: i64,
    /// Anonymous surveys: the step their results move in.
    pub anonymous_step: i64,
    /// Anonymous surveys: complete answers held back until a step is full.
    pub held_back: i64,
    pub rate: Rate,
    pub target_points: i64,
    /// Automatic reminders stop once every score is actionable.
    pub stop_reminders_at_target: bool,
    pub scores: Vec<QuestionScore>,
    pub by_tier: Vec<GroupRow>,
    pub by_community: Vec<GroupRow>,
    /// Per tier: communities with at least one completed answer, of those invited.
    pub coverage: Vec<Coverage>,
    pub timeline: Timeline,
    /// Who could still answer, for personal follow-up; None in an anonymous survey, where
    /// the list would point at who answered.
    pub non_responders: Option<Vec<NonResponder>>,
    /// Completed answers through the anonymous public link: outside every rate and score,
    /// as nobody knows how many people saw that link.
    pub public_link_answers: i64,
    /// The response rate of people an earlier survey's closing message had reached, beside
    /// everyone else's; None when it reached nobody this survey reached, or (anonymous)
    /// when either group is under the small-group minimum.
    pub heard_back: Option<crate::distribution::close_the_loop::model::HeardBack>,
    /// The response rate of each channel, when the survey was also shown in the team's
    /// product; None otherwise, or (anonymous) when a channel reached fewer people than
    /// the small-group minimum.
    pub channels: Option<Channels>,
    /// Answers and the headline score in each of the survey's languages; None when it
    /// offers one language.
    pub languages: Option<ByLanguage>,
    /// The headline beside its community-weighted and re-weighted readings; None in an
    /// anonymous survey (no score by group) or without a scored question.
    pub fair: Option<Fair>,
}

/// A survey's answers by the language they were given in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ByLanguage {
    /// False in an anonymous survey: its answers keep no language (a language few people
    /// speak would say whose they are), so there are no rows.
    pub kept: bool,
    /// What the rows' score measures ("CSAT: answers of 4 or 5"); None without a scored
    /// question.
    pub headline_label: Option<String>,
    pub rows: Vec<LanguageRow>,
}

/// One language's row: hidden figures are None (small-group rule).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LanguageRow {
    /// `German (Deutsch)`; `Not recorded` for answers given before languages were kept.
    pub language: String,
    pub completed: Option<i64>,
    pub score: Option<f64>,
}

/// Each channel's (reached, completed through it): email delivered and completed through
/// the emailed link; the panel shown and completed in it. A person reached both ways
/// counts in both rows' reached, and in the completed of the one they answered through.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Channels {
    pub email: (i64, i64),
    pub in_product: (i64, i64),
}

/// The response rate and the counts behind it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Rate {
    /// Invitations that reached their person: the mail server accepted the email and it
    /// did not bounce, or the survey's panel was shown to them in the team's product.
    pub delivered: i64,
    /// Delivered invitations whose person completed the survey.
    pub completed: i64,
    /// Delivered, not completed, still subscribed: who could still answer.
    pub remaining: i64,
    /// completed / delivered in percent; None before anything is delivered.
    pub percent: Option<f64>,
}

impl Rate {
    pub fn new(delivered: i64, completed: i64, remaining: i64) -> Self {
        let percent = (delivered > 0).then(|| 100.0 * completed as f64 / delivered as f64);
        Self {
            delivered,
            completed,
            remaining,
            percent,
        }
    }
}

/// A scored question's headline with its precision, mean and distribution.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuestionScore {
    pub question_id: String,
    pub prompt: String,
    pub kind: QuestionKind,
    pub answered: i64,
    /// What the headline measures, e.g. "CSAT: answers of 4 or 5".
    pub headline_label: String,
    pub headline: Option<Estimate>,
    pub verdict: Verdict,
    pub mean: Option<Estimate>,
    /// NPS only: promoters, passives and detractors in percent.
    pub nps_groups: Option<(f64, f64, f64)>,
    /// (score, answers) for every point of the scale, zeros included.
    pub distribution: Vec<(i64, i64)>,
}

/// A breakdown row (a tier or a community).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupRow {
    pub name: String,
    /// The community's tier; empty on tier rows.
    pub tier: String,
    pub invited: i64,
    pub delivered: i64,
    /// None in an anonymous survey when the row reached fewer people than the small-group
    /// minimum (or would give such a row away by subtraction): it would say who answered.
    pub completed: Option<i64>,
    pub rate: Option<f64>,
    /// The first scored question's headline; None for small groups and anonymous surveys.
    pub score: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Coverage {
    pub tier: String,
    /// Communities counted: in an anonymous survey only those whose counts are shown.
    pub communities: i64,
    pub with_answers: i64,
    /// Anonymous surveys: communities of the tier too small to say whether they answered.
    pub not_shown: i64,
}

/// Cumulative completions over time, with the mail that went out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Timeline {
    /// 3600 (hours) for a survey younger than three days, else 86400 (days).
    pub bucket_secs: i64,
    /// (bucket start, completions so far), oldest first.
    pub points: Vec<(i64, i64)>,
    pub events: Vec<MailEvent>,
}

/// Invitations or reminders sent within one bucket.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MailEvent {
    pub at: i64,
    pub reminder: bool,
    pub messages: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NonResponder {
    pub name: String,
    pub email: String,
    pub community: Option<String>,
    pub reminders: i64,
}

/// The most non-responders listed on the page.
pub const NON_RESPONDERS_SHOWN: i64 = 200;

/// The headline score set beside fairer readings of it: each community counted once, and
/// the respondents weighted to the invited mix of tiers (PRODUCT.md's definitions).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fair {
    /// "CSAT", "CES (5-7)", "NPS" or "Share 4-5", with its unit ("%" or "").
    pub label: String,
    pub unit: String,
    /// The person-weighted headline as the score card shows it.
    pub plain: Estimate,
    /// The mean of each community's own score, over communities with at least the
    /// small-group minimum of answers, with mean ± 1.96 s / sqrt(m).
    pub community_weighted: Option<Estimate>,
    /// How many communities it averages.
    pub communities: i64,
    /// Why it is not shown, when it is not.
    pub community_weighted_note: Option<String>,
    /// Post-stratified by tier to the shares of delivered invitations.
    pub reweighted: Option<f64>,
    pub reweighted_note: Option<String>,
    /// What the readings say together, in words.
    pub findings: Vec<String>,
    /// Who was invited against who answered, by tier and by community size.
    pub mix: Vec<MixRow>,
}

/// One group's share of the people the survey reached and of those who completed it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MixRow {
    /// "Tier" or "Community size".
    pub by: String,
    pub group: String,
    pub invited_share: f64,
    pub respondent_share: f64,
}
