//! The surveys a new survey can start from.
use super::question::{Question, QuestionKind, ShowIf};
use serde::{Deserialize, Serialize};

/// A starting point for a new survey.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Template {
    FeatureSatisfaction,
    RelationshipNps,
    Effort,
    Blank,
}

impl Template {
    pub const ALL: [Template; 4] = [
        Self::FeatureSatisfaction,
        Self::RelationshipNps,
        Self::Effort,
        Self::Blank,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::FeatureSatisfaction => "feature_satisfaction",
            Self::RelationshipNps => "relationship_nps",
            Self::Effort => "effort",
            Self::Blank => "blank",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::FeatureSatisfaction => "Feature release satisfaction",
            Self::RelationshipNps => "Relationship NPS",
            Self::Effort => "Effort (CES)",
            Self::Blank => "Blank",
        }
    }

    pub fn description(self) -> &'static str {
        match self {
            Self::FeatureSatisfaction => {
                "CSAT, “what would make it better?” for low scores, an optional comment"
            }
            Self::RelationshipNps => "Likelihood to recommend, and the main reason for the score",
            Self::Effort => "How easy the feature made the job, and what got in the way",
            Self::Blank => "Start with one satisfaction question and build from there",
        }
    }

    /// The questions this template starts with; `id` makes each new question's id.
    pub fn questions(self, mut id: impl FnMut() -> String) -> Vec<Question> {
        let first_kind = match self {
            Self::RelationshipNps => QuestionKind::Nps,
            Self::Effort => QuestionKind::Ces,
            _ => QuestionKind::Csat,
        };
        let first = Question::new(id(), 1, first_kind);
        let follow_up = |id: String, prompt: &str, min: i64, max: i64, of: &Question| {
            let mut q = Question::new(id, 2, QuestionKind::LongText);
            q.prompt = prompt.into();
            q.show_if = Some(ShowIf {
                question_id: of.question_id.clone(),
                min,
                max,
            });
            q
        };
        let mut questions = match self {
            Self::Blank => vec![],
            Self::FeatureSatisfaction => {
                vec![follow_up(id(), "What would make it better?", 1, 3, &first)]
            }
            Self::RelationshipNps => {
                let mut reason = Question::new(id(), 2, QuestionKind::LongText);
                reason.prompt = "What is the main reason for your score?".into();
                vec![reason]
            }
            Self::Effort => vec![follow_up(id(), "What got in the way?", 1, 4, &first)],
        };
        if self == Self::FeatureSatisfaction {
            let mut comment = Question::new(id(), 3, QuestionKind::LongText);
            comment.prompt = "Anything else you would like to tell us?".into();
            questions.push(comment);
        }
        let mut all = vec![first];
        all.append(&mut questions);
        all
    }
}

impl std::str::FromStr for Template {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|t| t.as_str() == s)
            .ok_or_else(|| format!("“{s}” is not a template."))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids() -> impl FnMut() -> String {
        let mut n = 0;
        move || {
            n += 1;
            format!("q{n}")
        }
    }

    #[test]
    fn feature_satisfaction_asks_what_would_make_it_better_only_for_low_scores() {
        let questions = Template::FeatureSatisfaction.questions(ids());
        let kinds: Vec<_> = questions.iter().map(|q| q.kind).collect();
        assert_eq!(
            kinds,
            [
                QuestionKind::Csat,
                QuestionKind::LongText,
                QuestionKind::LongText
            ]
        );
        let rule = questions[1].show_if.as_ref().unwrap();
        assert_eq!(
            (rule.question_id.as_str(), rule.min, rule.max),
            ("q1", 1, 3)
        );
        assert!(questions[2].show_if.is_none() && !questions[2].required);
        assert_eq!(
            questions.iter().map(|q| q.position).collect::<Vec<_>>(),
            [1, 2, 3]
        );
    }

    #[test]
    fn every_template_starts_with_a_scored_question() {
        for template in Template::ALL {
            let questions = template.questions(ids());
            assert!(questions[0].kind.scale().is_some(), "{template:?}");
            assert_eq!(template.as_str().parse::<Template>(), Ok(template));
        }
    }
}
