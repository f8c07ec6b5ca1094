//! Answers as a person submits them: parsed against the survey's questions, with follow-up
//! questions shown or hidden by the earlier answers, all on the server.
use crate::surveys::question::{Question, QuestionKind};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// One answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum AnswerValue {
    /// A point on a scale (CSAT, NPS, CES, rating).
    Score(i64),
    /// Chosen options by position, and the text of "Other" when it was chosen.
    Choices {
        selected: Vec<usize>,
        other: Option<String>,
    },
    Text(String),
}

/// Answers by question id.
pub type Answers = BTreeMap<String, AnswerValue>;

/// The value a form sends for the "Other" choice.
pub const OTHER: &str = "other";
/// The longest "Other: ___" text.
pub const OTHER_TEXT_MAX: usize = 200;

/// The form field that carries a question's answer.
pub fn field_name(question_id: &str) -> String {
    format!("q_{question_id}")
}

/// The form field that carries a choice question's "Other" text.
pub fn other_field_name(question_id: &str) -> String {
    format!("q_{question_id}_other")
}

/// The hidden field naming each question a page showed, so a required follow-up the person
/// has not seen yet is asked for rather than reported as missing.
pub const SHOWN_FIELD: &str = "shown";

/// What a submitted form says, question by question.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Submission {
    /// Valid answers to the questions that are visible given those answers.
    pub answers: Answers,
    /// Problems by question id; each says itself in English (`Display`) or in the page's
    /// language (`responses::language`).
    pub errors: BTreeMap<String, Problem>,
    /// Required follow-ups that these answers reveal and the page had not shown yet.
    pub pending: Vec<String>,
}

impl Submission {
    /// Whether every visible required question has an answer.
    pub fn is_complete(&self) -> bool {
        self.errors.is_empty() && self.pending.is_empty()
    }
}

/// Why an answer was not taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// A required scale left empty.
    ChooseFromScale {
        low: i64,
        high: i64,
    },
    /// A value that is not a point of the scale.
    NotOnScale {
        low: i64,
        high: i64,
    },
    /// A required choice left empty.
    ChooseAnOption,
    /// A value that names no option.
    NotAnOption,
    /// "Other" chosen with nothing written next to it.
    WriteOther,
    /// A required text left empty.
    WriteAnAnswer,
    TooLong {
        max: usize,
        chars: usize,
    },
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::ChooseFromScale { low, high } => {
                write!(f, "Choose an answer from {low} to {high}.")
            }
            Self::NotOnScale { low, high } => {
                write!(f, "Choose one of the answers from {low} to {high}.")
            }
            Self::ChooseAnOption => f.write_str("Choose at least one option."),
            Self::NotAnOption => f.write_str("Choose one of the options shown."),
            Self::WriteOther => f.write_str("Write your answer next to “Other”."),
            Self::WriteAnAnswer => f.write_str("Write an answer."),
            Self::TooLong { max, chars } => {
                write!(f, "Keep it under {max} characters (it has {chars}).")
            }
        }
    }
}

/// Whether a question is asked, given the answers to the questions before it.
pub fn is_visible(question: &Question, answers: &Answers) -> bool {
    match &question.show_if {
        None => true,
        Some(rule) => matches!(
            answers.get(&rule.question_id),
            Some(AnswerValue::Score(s)) if (rule.min..=rule.max).contains(s)
        ),
    }
}

/// Reads a submitted form against the survey's questions.
pub fn parse_answers(questions: &[Question], form: &[(String, String)]) -> Submission {
    let shown: BTreeSet<&str> = values(form, SHOWN_FIELD).collect();
    let mut submission = Submission::default();
    for question in questions {
        if !is_visible(question, &submission.answers) {
            continue;
        }
        let id = question.question_id.clone();
        match parse_one(question, form) {
            Ok(Some(value)) => {
                submission.answers.insert(id, value);
            }
            Ok(None) if !question.required => {}
            Ok(None) if question.show_if.is_some() && !shown.contains(id.as_str()) => {
                submission.pending.push(id)
            }
            Ok(None) => {
                submission.errors.insert(id, missing_message(question));
            }
            Err(message) => {
                submission.errors.insert(id, message);
            }
        }
    }
    submission
}

fn values<'a>(form: &'a [(String, String)], name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    form.iter()
        .filter(move |(k, _)| k == name)
        .map(|(_, v)| v.trim())
}

fn parse_one(
    question: &Question,
    form: &[(String, String)],
) -> Result<Option<AnswerValue>, Problem> {
    let name = field_name(&question.question_id);
    let last = values(form, &name).filter(|v| !v.is_empty()).last();
    match question.kind {
        kind if kind.scale().is_some() => parse_score(question, last),
        QuestionKind::SingleChoice => parse_choices(question, last.into_iter().collect(), form),
        QuestionKind::MultipleChoice => {
            let picked = values(form, &name).filter(|v| !v.is_empty()).collect();
            parse_choices(question, picked, form)
        }
        _ => parse_text(question, last),
    }
}

fn parse_score(question: &Question, value: Option<&str>) -> Result<Option<AnswerValue>, Problem> {
    let Some(scale) = question.kind.scale() else {
        return Ok(None);
    };
    let Some(value) = value else {
        return Ok(None);
    };
    match value.parse::<i64>() {
        Ok(score) if scale.contains(score) => Ok(Some(AnswerValue::Score(score))),
        _ => Err(Problem::NotOnScale {
            low: scale.low,
            high: scale.high,
        }),
    }
}

fn parse_choices(
    question: &Question,
    picked: Vec<&str>,
    form: &[(String, String)],
) -> Result<Option<AnswerValue>, Problem> {
    let mut selected = Vec::new();
    let mut other = None;
    for value in picked {
        if value == OTHER && question.allow_other {
            let name = other_field_name(&question.question_id);
            let text = values(form, &name).last().unwrap_or_default();
            other = Some(checked_text(text, OTHER_TEXT_MAX)?.ok_or(Problem::WriteOther)?);
            continue;
        }
        match value.parse::<usize>() {
            Ok(index) if index < question.options.len() => {
                if !selected.contains(&index) {
                    selected.push(index);
                }
            }
            _ => return Err(Problem::NotAnOption),
        }
    }
    selected.sort_unstable();
    if selected.is_empty() && other.is_none() {
        return Ok(None);
    }
    Ok(Some(AnswerValue::Choices { selected, other }))
}

fn parse_text(question: &Question, value: Option<&str>) -> Result<Option<AnswerValue>, Problem> {
    let max = question
        .kind
        .max_text()
        .unwrap_or(crate::surveys::question::SHORT_TEXT_MAX);
    Ok(checked_text(value.unwrap_or_default(), max)?.map(AnswerValue::Text))
}

/// Trimmed text within `max` characters; `None` when empty.
fn checked_text(text: &str, max: usize) -> Result<Option<String>, Problem> {
    let text = text.trim();
    let chars = text.chars().count();
    if chars > max {
        return Err(Problem::TooLong { max, chars });
    }
    Ok((!text.is_empty()).then(|| text.to_string()))
}

fn missing_message(question: &Question) -> Problem {
    match question.kind.scale() {
        Some(scale) => Problem::ChooseFromScale {
            low: scale.low,
            high: scale.high,
        },
        None if question.kind.has_options() => Problem::ChooseAnOption,
        None => Problem::WriteAnAnswer,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::surveys::question::ShowIf;

    fn question(id: &str, kind: QuestionKind, required: bool) -> Question {
        let mut q = Question::new(id.into(), 1, kind);
        q.required = required;
        q
    }

    fn form(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn each_scale_accepts_its_own_range_only() {
        for (kind, good, bad) in [
            (QuestionKind::Csat, "5", "6"),
            (QuestionKind::Nps, "0", "11"),
            (QuestionKind::Ces, "7", "0"),
            (QuestionKind::Rating, "1", "-1"),
        ] {
            let q = [question("a", kind, true)];
            let ok = parse_answers(&q, &form(&[("q_a", good)]));
            assert!(ok.is_complete(), "{kind:?} {good}");
            let refused = parse_answers(&q, &form(&[("q_a", bad)]));
            assert!(refused.errors.contains_key("a"), "{kind:?} {bad}");
            let wrong_type = parse_answers(&q, &form(&[("q_a", "four")]));
            assert!(wrong_type.errors.contains_key("a"), "{kind:?}");
        }
    }

    #[test]
    fn a_missing_required_answer_is_named_and_an_optional_one_is_not() {
        let q = [
            question("a", QuestionKind::Nps, true),
            question("b", QuestionKind::ShortText, false),
        ];
        let s = parse_answers(&q, &form(&[]));
        assert_eq!(
            s.errors.get("a").map(ToString::to_string).as_deref(),
            Some("Choose an answer from 0 to 10.")
        );
        assert!(!s.errors.contains_key("b"));
    }

    #[test]
    fn a_single_choice_takes_one_listed_option_or_other_with_text() {
        let mut q = question("a", QuestionKind::SingleChoice, true);
        q.allow_other = true;
        let q = [q];
        let one = parse_answers(&q, &form(&[("q_a", "1")]));
        assert_eq!(
            one.answers["a"],
            AnswerValue::Choices {
                selected: vec![1],
                other: None
            }
        );
        let other = parse_answers(&q, &form(&[("q_a", "other"), ("q_a_other", " Slack ")]));
        assert_eq!(
            other.answers["a"],
            AnswerValue::Choices {
                selected: vec![],
                other: Some("Slack".into())
            }
        );
        let empty_other = parse_answers(&q, &form(&[("q_a", "other"), ("q_a_other", " ")]));
        assert_eq!(
            empty_other.errors["a"].to_string(),
            "Write your answer next to “Other”."
        );
        let unknown = parse_answers(&q, &form(&[("q_a", "7")]));
        assert_eq!(
            unknown.errors["a"].to_string(),
            "Choose one of the options shown."
        );
    }

    #[test]
    fn a_multiple_choice_keeps_each_option_once_in_order() {
        let q = [question("a", QuestionKind::MultipleChoice, false)];
        let s = parse_answers(&q, &form(&[("q_a", "1"), ("q_a", "0"), ("q_a", "1")]));
        assert_eq!(
            s.answers["a"],
            AnswerValue::Choices {
                selected: vec![0, 1],
                other: None
            }
        );
        let no_other = parse_answers(&q, &form(&[("q_a", "other"), ("q_a_other", "x")]));
        assert!(
            no_other.errors.contains_key("a"),
            "Other is refused where it is not offered"
        );
    }

    #[test]
    fn over_long_text_is_refused_with_its_length() {
        let q = [
            question("a", QuestionKind::ShortText, true),
            question("b", QuestionKind::LongText, false),
        ];
        let long = "x".repeat(201);
        let s = parse_answers(&q, &form(&[("q_a", &long), ("q_b", &"y".repeat(5000))]));
        assert_eq!(
            s.errors["a"].to_string(),
            "Keep it under 200 characters (it has 201)."
        );
        assert!(s.answers.contains_key("b"));
        let blank = parse_answers(&q, &form(&[("q_a", "   ")]));
        assert_eq!(blank.errors["a"].to_string(), "Write an answer.");
    }

    fn with_follow_up(required: bool) -> Vec<Question> {
        let mut follow = question("b", QuestionKind::LongText, required);
        follow.show_if = Some(ShowIf {
            question_id: "a".into(),
            min: 1,
            max: 3,
        });
        vec![question("a", QuestionKind::Csat, true), follow]
    }

    #[test]
    fn a_follow_up_is_asked_only_when_the_earlier_score_is_in_its_range() {
        let q = with_follow_up(false);
        let low = parse_answers(&q, &form(&[("q_a", "2"), ("q_b", "More export formats")]));
        assert_eq!(low.answers.len(), 2);
        let high = parse_answers(&q, &form(&[("q_a", "5"), ("q_b", "ignored")]));
        assert_eq!(
            high.answers.len(),
            1,
            "a hidden question's answer is dropped"
        );
        assert!(is_visible(&q[1], &low.answers) && !is_visible(&q[1], &high.answers));
    }

    #[test]
    fn a_required_follow_up_not_yet_shown_is_pending_not_an_error() {
        let q = with_follow_up(true);
        let s = parse_answers(&q, &form(&[("shown", "a"), ("q_a", "1")]));
        assert!(s.errors.is_empty());
        assert_eq!(s.pending, ["b"]);
        assert!(!s.is_complete());
        let shown = parse_answers(&q, &form(&[("shown", "a"), ("shown", "b"), ("q_a", "1")]));
        assert_eq!(shown.errors["b"].to_string(), "Write an answer.");
    }
}
