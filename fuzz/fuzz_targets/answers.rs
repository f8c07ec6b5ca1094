//! Any form body sent to a survey with every kind of question: the parser never panics,
//! keeps only scores on their question's scale and choices among its options, and reports
//! a problem for every question it could not take.
#![no_main]
use app::responses::{parse_answers, AnswerValue};
use app::surveys::question::{Question, QuestionKind};
use libfuzzer_sys::fuzz_target;

const KINDS: [QuestionKind; 8] = [
    QuestionKind::Csat,
    QuestionKind::Nps,
    QuestionKind::Ces,
    QuestionKind::Rating,
    QuestionKind::SingleChoice,
    QuestionKind::MultipleChoice,
    QuestionKind::ShortText,
    QuestionKind::LongText,
];

fuzz_target!(|bytes: &[u8]| {
    let questions: Vec<Question> = KINDS
        .iter()
        .enumerate()
        .map(|(i, kind)| {
            let mut q = Question::new(format!("q{i}"), i as i64 + 1, *kind);
            q.allow_other = *kind == QuestionKind::MultipleChoice;
            q
        })
        .collect();
    let text = String::from_utf8_lossy(bytes);
    let form: Vec<(String, String)> = text
        .split('&')
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (name.to_string(), value.to_string())
        })
        .collect();
    let submission = parse_answers(&questions, &form);
    for question in &questions {
        match submission.answers.get(&question.question_id) {
            Some(AnswerValue::Score(score)) => {
                let scale = question.kind.scale().expect("scores only on scales");
                assert!(scale.contains(*score), "{score} off the scale");
            }
            Some(AnswerValue::Choices { selected, .. }) => {
                assert!(selected.iter().all(|&i| i < question.options.len()));
            }
            _ => {}
        }
    }
});
