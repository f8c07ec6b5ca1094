//! Questions: their kinds, scales, options and follow-up conditions.
use serde::{Deserialize, Serialize};
use std::str::FromStr;

/// The kinds of question a survey can ask.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    /// Customer satisfaction, 1-5.
    Csat,
    /// Net Promoter Score, 0-10.
    Nps,
    /// Customer effort ("... made it easy to ..."), 1-7.
    Ces,
    /// A plain 1-5 rating.
    Rating,
    SingleChoice,
    MultipleChoice,
    ShortText,
    LongText,
}

/// A numeric scale and the words at its points (some scales label only the ends).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scale {
    pub low: i64,
    pub high: i64,
    pub labels: &'static [(i64, &'static str)],
}

impl Scale {
    pub fn points(&self) -> impl Iterator<Item = (i64, Option<&'static str>)> + '_ {
        (self.low..=self.high).map(|v| {
            (
                v,
                self.labels.iter().find(|(p, _)| *p == v).map(|(_, l)| *l),
            )
        })
    }

    pub fn contains(&self, value: i64) -> bool {
        (self.low..=self.high).contains(&value)
    }
}

const CSAT: Scale = Scale {
    low: 1,
    high: 5,
    labels: &[
        (1, "Very unsatisfied"),
        (2, "Unsatisfied"),
        (3, "Neutral"),
        (4, "Satisfied"),
        (5, "Very satisfied"),
    ],
};
const NPS: Scale = Scale {
    low: 0,
    high: 10,
    labels: &[(0, "Not at all likely"), (10, "Extremely likely")],
};
const CES: Scale = Scale {
    low: 1,
    high: 7,
    labels: &[
        (1, "Strongly disagree"),
        (2, "Disagree"),
        (3, "Somewhat disagree"),
        (4, "Neither agree nor disagree"),
        (5, "Somewhat agree"),
        (6, "Agree"),
        (7, "Strongly agree"),
    ],
};
const RATING: Scale = Scale {
    low: 1,
    high: 5,
    labels: &[(1, "Poor"), (5, "Excellent")],
};

/// The longest answer a short-text question takes.
pub const SHORT_TEXT_MAX: usize = 200;
/// The longest answer a long-text question takes.
pub const LONG_TEXT_MAX: usize = 5000;

impl QuestionKind {
    pub const ALL: [QuestionKind; 8] = [
        Self::Csat,
        Self::Nps,
        Self::Ces,
        Self::Rating,
        Self::SingleChoice,
        Self::MultipleChoice,
        Self::ShortText,
        Self::LongText,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Csat => "csat",
            Self::Nps => "nps",
            Self::Ces => "ces",
            Self::Rating => "rating",
            Self::SingleChoice => "single_choice",
            Self::MultipleChoice => "multiple_choice",
            Self::ShortText => "short_text",
            Self::LongText => "long_text",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Csat => "Satisfaction (CSAT, 1-5)",
            Self::Nps => "Recommendation (NPS, 0-10)",
            Self::Ces => "Effort (CES, 1-7)",
            Self::Rating => "Rating (1-5)",
            Self::SingleChoice => "Single choice",
            Self::MultipleChoice => "Multiple choice",
            Self::ShortText => "Short text",
            Self::LongText => "Long text",
        }
    }

    /// The numeric scale of scored kinds.
    pub fn scale(self) -> Option<Scale> {
        match self {
            Self::Csat => Some(CSAT),
            Self::Nps => Some(NPS),
            Self::Ces => Some(CES),
            Self::Rating => Some(RATING),
            _ => None,
        }
    }

    pub fn has_options(self) -> bool {
        matches!(self, Self::SingleChoice | Self::MultipleChoice)
    }

    /// The longest text answer, for the text kinds.
    pub fn max_text(self) -> Option<usize> {
        match self {
            Self::ShortText => Some(SHORT_TEXT_MAX),
            Self::LongText => Some(LONG_TEXT_MAX),
            _ => None,
        }
    }

    /// The wording a new question of this kind starts with.
    pub fn default_prompt(self) -> &'static str {
        match self {
            Self::Csat => "How satisfied are you with this feature?",
            Self::Nps => "How likely are you to recommend us to a colleague?",
            Self::Ces => "The new feature made it easy to get my work done.",
            Self::Rating => "How would you rate this feature?",
            Self::SingleChoice => "Which of these describes you best?",
            Self::MultipleChoice => "What do you use this feature for?",
            Self::ShortText => "In a few words, what is it missing?",
            Self::LongText => "What would make it better for you?",
        }
    }
}

impl FromStr for QuestionKind {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| format!("“{s}” is not a question type."))
    }
}

/// Shows a question only when an earlier scored answer lies within `min..=max`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShowIf {
    pub question_id: String,
    pub min: i64,
    pub max: i64,
}

/// One question of a survey.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    pub question_id: String,
    pub position: i64,
    pub kind: QuestionKind,
    pub prompt: String,
    pub help: String,
    pub required: bool,
    /// The choices of single- and multiple-choice questions, in order.
    pub options: Vec<String>,
    /// Whether a choice question also offers "Other: ___".
    pub allow_other: bool,
    pub show_if: Option<ShowIf>,
}

impl Question {
    /// A question of `kind` with its default wording.
    pub fn new(question_id: String, position: i64, kind: QuestionKind) -> Self {
        let options = if kind.has_options() {
            vec!["First option".to_string(), "Second option".to_string()]
        } else {
            Vec::new()
        };
        Self {
            question_id,
            position,
            kind,
            prompt: kind.default_prompt().to_string(),
            help: String::new(),
            required: kind.scale().is_some(),
            options,
            allow_other: false,
            show_if: None,
        }
    }
}

/// A survey this long starts to cost answers; the builder says so.
pub const WARN_ABOVE_QUESTIONS: usize = 5;
/// The most questions a survey may have.
pub const MAX_QUESTIONS: usize = 15;
/// The most options a choice question may offer.
pub const MAX_OPTIONS: usize = 20;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_scored_kind_has_the_scale_product_md_defines() {
        let range = |k: QuestionKind| k.scale().map(|s| (s.low, s.high));
        assert_eq!(range(QuestionKind::Csat), Some((1, 5)));
        assert_eq!(range(QuestionKind::Nps), Some((0, 10)));
        assert_eq!(range(QuestionKind::Ces), Some((1, 7)));
        assert_eq!(range(QuestionKind::Rating), Some((1, 5)));
        assert_eq!(range(QuestionKind::ShortText), None);
    }

    #[test]
    fn nps_labels_only_its_ends() {
        let points: Vec<_> = QuestionKind::Nps.scale().unwrap().points().collect();
        assert_eq!(points.len(), 11);
        assert_eq!(points[0], (0, Some("Not at all likely")));
        assert_eq!(points[5], (5, None));
        assert_eq!(points[10], (10, Some("Extremely likely")));
    }

    #[test]
    fn kinds_round_trip_through_their_names() {
        for kind in QuestionKind::ALL {
            assert_eq!(kind.as_str().parse::<QuestionKind>(), Ok(kind));
        }
        assert!("essay".parse::<QuestionKind>().is_err());
    }

    #[test]
    fn a_new_choice_question_starts_with_two_options() {
        let q = Question::new("q".into(), 1, QuestionKind::MultipleChoice);
        assert_eq!(q.options.len(), 2);
        assert!(!q.required);
        assert!(Question::new("q".into(), 1, QuestionKind::Csat).required);
    }
}
