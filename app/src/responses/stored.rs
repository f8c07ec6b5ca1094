//! Stored answers turned back into the form values that would have produced them, so a
//! person who comes back sees their answers exactly as they left them.
use super::answers::{field_name, other_field_name, AnswerValue, Answers, OTHER};
use super::db::StoredAnswer;
use crate::surveys::question::{Question, QuestionKind};

/// Form values and parsed answers of a stored response.
pub fn to_form(
    questions: &[Question],
    stored: Vec<StoredAnswer>,
) -> (Vec<(String, String)>, Answers) {
    let mut values = Vec::new();
    let mut answers = Answers::new();
    for (question_id, score, choices, text) in stored {
        let Some(question) = questions.iter().find(|q| q.question_id == question_id) else {
            continue;
        };
        let Some(value) = value_of(question.kind, score, choices, text) else {
            continue;
        };
        push_values(&mut values, &question_id, &value);
        answers.insert(question_id, value);
    }
    (values, answers)
}

fn value_of(
    kind: QuestionKind,
    score: Option<i64>,
    choices: Option<String>,
    text: Option<String>,
) -> Option<AnswerValue> {
    if kind.scale().is_some() {
        return score.map(AnswerValue::Score);
    }
    if kind.has_options() {
        let selected = choices
            .and_then(|c| serde_json::from_str(&c).ok())
            .unwrap_or_default();
        return Some(AnswerValue::Choices {
            selected,
            other: text,
        });
    }
    text.map(AnswerValue::Text)
}

/// The name/value pairs a form submits for one answer.
pub fn push_values(values: &mut Vec<(String, String)>, question_id: &str, value: &AnswerValue) {
    let name = field_name(question_id);
    match value {
        AnswerValue::Score(s) => values.push((name, s.to_string())),
        AnswerValue::Text(t) => values.push((name, t.clone())),
        AnswerValue::Choices { selected, other } => {
            values.extend(selected.iter().map(|i| (name.clone(), i.to_string())));
            if let Some(text) = other {
                values.push((name, OTHER.to_string()));
                values.push((other_field_name(question_id), text.clone()));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::responses::answers::parse_answers;

    #[test]
    fn stored_answers_become_the_form_that_parses_back_to_them() {
        let mut choice = Question::new("c".into(), 2, QuestionKind::MultipleChoice);
        choice.allow_other = true;
        let questions = vec![
            Question::new("s".into(), 1, QuestionKind::Nps),
            choice,
            Question::new("t".into(), 3, QuestionKind::LongText),
        ];
        let stored = vec![
            ("s".to_string(), Some(9), None, None),
            (
                "c".to_string(),
                None,
                Some("[0,1]".to_string()),
                Some("Slack".to_string()),
            ),
            (
                "t".to_string(),
                None,
                None,
                Some("More exports".to_string()),
            ),
        ];
        let (values, answers) = to_form(&questions, stored);
        assert_eq!(parse_answers(&questions, &values).answers, answers);
        assert_eq!(
            answers["c"],
            AnswerValue::Choices {
                selected: vec![0, 1],
                other: Some("Slack".into())
            }
        );
    }
}
