use crate::surveys::model::Question;
use std::collections::BTreeMap;

/// Scores by question id, as submitted.
pub type Answers = BTreeMap<String, i64>;

/// The form field that carries a question's answer.
pub fn field_name(question_id: &str) -> String {
    format!("q_{question_id}")
}

/// Reads a submitted form against the survey's questions. Returns the valid answers and,
/// per question, what is wrong; the caller keeps both so the page can show the person
/// their own answers next to each problem.
pub fn parse_answers(
    questions: &[Question],
    form: &[(String, String)],
) -> (Answers, BTreeMap<String, String>) {
    let mut answers = Answers::new();
    let mut errors = BTreeMap::new();
    for question in questions {
        let name = field_name(&question.question_id);
        let submitted = form
            .iter()
            .rev()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.trim());
        let scale = question.kind.scale();
        let (low, high) = (scale[0].0, scale[scale.len() - 1].0);
        match submitted.filter(|v| !v.is_empty()) {
            None if question.required => {
                errors.insert(
                    question.question_id.clone(),
                    format!("Choose an answer from {low} to {high}."),
                );
            }
            None => {}
            Some(value) => match value.parse::<i64>() {
                Ok(score) if (low..=high).contains(&score) => {
                    answers.insert(question.question_id.clone(), score);
                }
                _ => {
                    errors.insert(
                        question.question_id.clone(),
                        format!("Choose one of the answers from {low} to {high}."),
                    );
                }
            },
        }
    }
    (answers, errors)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::surveys::model::QuestionKind;

    fn csat(id: &str, required: bool) -> Question {
        Question {
            question_id: id.into(),
            position: 1,
            kind: QuestionKind::Csat,
            prompt: "How satisfied are you?".into(),
            required,
        }
    }

    fn form(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn a_score_within_the_scale_is_accepted() {
        let (answers, errors) = parse_answers(&[csat("a", true)], &form(&[("q_a", "4")]));
        assert_eq!(answers.get("a"), Some(&4));
        assert!(errors.is_empty());
    }

    #[test]
    fn a_missing_required_answer_is_named_next_to_its_question() {
        let (answers, errors) = parse_answers(&[csat("a", true), csat("b", false)], &form(&[]));
        assert!(answers.is_empty());
        assert_eq!(
            errors.get("a").map(String::as_str),
            Some("Choose an answer from 1 to 5.")
        );
        assert!(!errors.contains_key("b"));
    }

    #[test]
    fn scores_outside_the_scale_or_not_numbers_are_refused() {
        for bad in ["0", "6", "five", "4.5"] {
            let (answers, errors) = parse_answers(&[csat("a", true)], &form(&[("q_a", bad)]));
            assert!(answers.is_empty(), "{bad}");
            assert!(errors.contains_key("a"), "{bad}");
        }
    }

    #[test]
    fn answers_to_unknown_questions_are_ignored() {
        let (answers, errors) =
            parse_answers(&[csat("a", true)], &form(&[("q_a", "5"), ("q_zz", "1")]));
        assert_eq!(answers.len(), 1);
        assert!(errors.is_empty());
    }
}
