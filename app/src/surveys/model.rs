//! Survey types shared by the server and the browser.
use serde::{Deserialize, Serialize};
use std::str::FromStr;

pub use super::question::{Question, QuestionKind, ShowIf};

/// Where a survey is in its life: built, answerable, or finished.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SurveyStatus {
    Draft,
    Open,
    Closed,
}

impl SurveyStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Open => "open",
            Self::Closed => "closed",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Draft => "Draft",
            Self::Open => "Open",
            Self::Closed => "Closed",
        }
    }
}

impl FromStr for SurveyStatus {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "draft" => Ok(Self::Draft),
            "open" => Ok(Self::Open),
            "closed" => Ok(Self::Closed),
            other => Err(format!("unknown survey status {other}")),
        }
    }
}

/// Whether answers are linked to the person who gave them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Anonymity {
    /// Answers are stored with the invitation they came through.
    Identified,
    /// The ledger records that a person completed; the answers carry no link to them, no
    /// token and no time finer than the day.
    Anonymous,
}

impl Anonymity {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Identified => "identified",
            Self::Anonymous => "anonymous",
        }
    }
}

impl FromStr for Anonymity {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "identified" => Ok(Self::Identified),
            "anonymous" => Ok(Self::Anonymous),
            other => Err(format!("“{other}” is not an anonymity mode.")),
        }
    }
}

/// A feature release that surveys ask about; several surveys may share one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Release {
    pub release_id: String,
    pub name: String,
    /// ISO date, e.g. `2026-11-20`.
    pub released_on: Option<String>,
    pub link: Option<String>,
    pub description: String,
}

/// A line of the survey list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveySummary {
    pub survey_id: String,
    pub title: String,
    pub status: SurveyStatus,
    pub created_at: i64,
    pub invited: i64,
    pub completed: i64,
}

/// The survey page's three steps, each at its own address (`/surveys/{id}/build`, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Step {
    /// Settings, questions and the preview.
    Build,
    /// Recipients, the wording of both emails, reminders and the public link.
    Send,
    /// The funnel, who is invited and how far each got, and the way to the results.
    Watch,
}

impl Step {
    pub const ALL: [Self; 3] = [Self::Build, Self::Send, Self::Watch];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Build => "build",
            Self::Send => "send",
            Self::Watch => "watch",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Build => "Build",
            Self::Send => "Send",
            Self::Watch => "Watch",
        }
    }

    /// The step a survey's own address opens on, the one it is in: a draft is still
    /// being built, an open survey with no one invited yet is to be sent, and the rest
    /// are being watched.
    pub fn current(status: SurveyStatus, invited: i64) -> Self {
        match status {
            SurveyStatus::Draft => Self::Build,
            SurveyStatus::Open if invited == 0 => Self::Send,
            SurveyStatus::Open | SurveyStatus::Closed => Self::Watch,
        }
    }
}

/// Everything the survey page and the builder show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveyDetail {
    pub summary: SurveySummary,
    pub intro: String,
    pub thank_you: String,
    pub anonymity: Anonymity,
    pub closes_at: Option<i64>,
    pub release: Option<Release>,
    pub questions: Vec<Question>,
    /// Responses stored so far; once there is one, the questions' structure is fixed.
    pub responses: i64,
    pub public_link: PublicLink,
    pub funnel: crate::distribution::model::Funnel,
    /// The survey's panel inside the team's own product (its secret for editors only).
    pub in_product: crate::distribution::in_product::model::InProduct,
    /// What the team heard and is doing, for the people who asked, once it has closed.
    pub closing: crate::distribution::close_the_loop::model::ClosingMessage,
    /// The invitation's and the reminder's wording, with previews.
    pub emails: Vec<crate::distribution::model::EmailWording>,
    pub schedule: Schedule,
    /// The survey's languages, its default first, with what each translation lacks.
    pub languages: Vec<crate::languages::card::LanguageStatus>,
}

/// When the survey opens, sends and closes by itself, in the team's time zone: each time
/// as a form holds it (`2026-12-10T17:00`, empty when unset) and as people read it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schedule {
    pub time_zone: String,
    pub opens_at: ScheduledTime,
    pub send_at: ScheduledTime,
    pub closes_at: ScheduledTime,
    /// The survey's own sending window as the form holds it ("" follows the team's).
    pub window: String,
    /// The team's default window, in words ("any time" when there is none).
    pub default_window: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduledTime {
    /// For `<input type="datetime-local">`.
    pub input: String,
    /// `Thu 10 Dec 2026, 17:00 (Europe/Berlin)`.
    pub text: Option<String>,
}

/// The survey's anonymous public link and what came through it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicLink {
    /// The whole address, when the link is on.
    pub url: Option<String>,
    pub responses: i64,
    /// Answers one client address may send through it per hour.
    pub limit_per_hour: u32,
}

/// A survey title: present and short enough to read in an inbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SurveyTitle(String);

impl SurveyTitle {
    pub const MAX_CHARS: usize = 120;

    pub fn parse(input: &str) -> Result<Self, String> {
        parse_text(input, Self::MAX_CHARS, "Give the survey a title.").map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn parse_text(input: &str, max: usize, empty: &str) -> Result<String, String> {
    let text = input.trim();
    if text.is_empty() {
        return Err(empty.to_string());
    }
    let chars = text.chars().count();
    if chars > max {
        return Err(format!("Keep it under {max} characters (it has {chars})."));
    }
    if text.chars().any(|c| c.is_control()) {
        return Err("Remove the line breaks and control characters.".to_string());
    }
    Ok(text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_survey_opens_on_the_step_it_is_in() {
        assert_eq!(Step::current(SurveyStatus::Draft, 0), Step::Build);
        assert_eq!(Step::current(SurveyStatus::Draft, 12), Step::Build);
        assert_eq!(Step::current(SurveyStatus::Open, 0), Step::Send);
        assert_eq!(Step::current(SurveyStatus::Open, 12), Step::Watch);
        assert_eq!(Step::current(SurveyStatus::Closed, 0), Step::Watch);
    }

    #[test]
    fn a_title_is_trimmed_and_must_not_be_empty() {
        assert_eq!(
            SurveyTitle::parse("  Dashboards v2 ").unwrap().as_str(),
            "Dashboards v2"
        );
        assert_eq!(
            SurveyTitle::parse("   ").unwrap_err(),
            "Give the survey a title."
        );
    }

    #[test]
    fn statuses_round_trip_through_their_names() {
        for status in [
            SurveyStatus::Draft,
            SurveyStatus::Open,
            SurveyStatus::Closed,
        ] {
            assert_eq!(status.as_str().parse::<SurveyStatus>(), Ok(status));
        }
    }
}
