//! Checks what an editor writes into a question before it is stored.
use super::question::{Question, ShowIf, MAX_OPTIONS};
use crate::error::FieldError;

/// The longest help text under a question.
pub const HELP_MAX: usize = 300;
/// The longest option label.
pub const OPTION_MAX: usize = 120;

/// An editor's changes to one question, as the builder's form sends them.
#[derive(Debug, Clone, Default)]
pub struct QuestionEdit {
    pub prompt: String,
    pub help: String,
    pub required: bool,
    /// One option per line.
    pub options: String,
    pub allow_other: bool,
    /// Empty for "always shown".
    pub show_if_question_id: String,
    pub show_if_min: Option<i64>,
    pub show_if_max: Option<i64>,
}

/// Applies an edit to `question`, checked against the questions before it. With responses
/// already in, only wording may change: the number of options and "Other" stay as they are.
pub fn apply_edit(
    question: &Question,
    earlier: &[Question],
    edit: QuestionEdit,
    has_responses: bool,
) -> Result<Question, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut field = |name: &str, result: Result<String, String>| {
        result
            .map_err(|m| errors.push(FieldError::new(name, m)))
            .unwrap_or_default()
    };
    let prompt = field(
        "prompt",
        text(&edit.prompt, 300, Some("Write the question.")),
    );
    let help = field("help", text(&edit.help, HELP_MAX, None));
    let options = if question.kind.has_options() {
        parse_options(&edit.options)
            .map_err(|m| errors.push(FieldError::new("options", m)))
            .unwrap_or_default()
    } else {
        Vec::new()
    };
    if has_responses
        && question.kind.has_options()
        && (options.len() != question.options.len() || edit.allow_other != question.allow_other)
    {
        errors.push(FieldError::new(
            "options",
            "This survey has responses, so its options can be reworded but not added, removed or reordered.",
        ));
    }
    let show_if = parse_show_if(&edit, earlier)
        .map_err(|m| errors.push(FieldError::new("show_if", m)))
        .unwrap_or_default();
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Question {
        prompt,
        help,
        required: edit.required,
        options,
        allow_other: question.kind.has_options() && edit.allow_other,
        show_if,
        ..question.clone()
    })
}

fn text(input: &str, max: usize, empty: Option<&str>) -> Result<String, String> {
    let text = input.trim();
    if text.is_empty() {
        return empty.map_or(Ok(String::new()), |m| Err(m.to_string()));
    }
    let chars = text.chars().count();
    if chars > max {
        return Err(format!("Keep it under {max} characters (it has {chars})."));
    }
    Ok(text.to_string())
}

/// One option per line; blank lines are ignored, duplicates refused.
pub fn parse_options(input: &str) -> Result<Vec<String>, String> {
    let options: Vec<String> = input
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect();
    if options.len() < 2 {
        return Err("Give at least two options, one per line.".into());
    }
    if options.len() > MAX_OPTIONS {
        return Err(format!(
            "Keep it to {MAX_OPTIONS} options at most (there are {}).",
            options.len()
        ));
    }
    if let Some(long) = options.iter().find(|o| o.chars().count() > OPTION_MAX) {
        return Err(format!(
            "Keep each option under {OPTION_MAX} characters (“{}…” is longer).",
            long.chars().take(30).collect::<String>()
        ));
    }
    for (i, option) in options.iter().enumerate() {
        if options[..i].iter().any(|o| o.eq_ignore_ascii_case(option)) {
            return Err(format!("“{option}” is listed twice."));
        }
    }
    Ok(options)
}

fn parse_show_if(edit: &QuestionEdit, earlier: &[Question]) -> Result<Option<ShowIf>, String> {
    let id = edit.show_if_question_id.trim();
    if id.is_empty() {
        return Ok(None);
    }
    let Some(scale) = earlier
        .iter()
        .find(|q| q.question_id == id)
        .and_then(|q| q.kind.scale())
    else {
        return Err("A follow-up can only depend on a scored question asked before it.".into());
    };
    let (min, max) = (
        edit.show_if_min.unwrap_or(scale.low),
        edit.show_if_max.unwrap_or(scale.high),
    );
    if !scale.contains(min) || !scale.contains(max) || min > max {
        return Err(format!(
            "Choose a range within {} to {}, lowest first.",
            scale.low, scale.high
        ));
    }
    Ok(Some(ShowIf {
        question_id: id.to_string(),
        min,
        max,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::surveys::question::QuestionKind;

    fn edit(prompt: &str) -> QuestionEdit {
        QuestionEdit {
            prompt: prompt.into(),
            options: "A\nB".into(),
            ..Default::default()
        }
    }

    #[test]
    fn wording_help_and_required_are_applied() {
        let q = Question::new("q".into(), 1, QuestionKind::Csat);
        let mut e = edit("  How was it?  ");
        e.help = "Think of last week.".into();
        let updated = apply_edit(&q, &[], e, false).unwrap();
        assert_eq!(updated.prompt, "How was it?");
        assert_eq!(updated.help, "Think of last week.");
        assert!(!updated.required);
        assert_eq!(updated.kind, QuestionKind::Csat);
    }

    #[test]
    fn options_need_two_distinct_lines() {
        assert_eq!(
            parse_options("One").unwrap_err(),
            "Give at least two options, one per line."
        );
        assert_eq!(parse_options("One\n\n two \n").unwrap(), ["One", "two"]);
        assert_eq!(
            parse_options("Yes\nyes").unwrap_err(),
            "“yes” is listed twice."
        );
        assert!(parse_options(&(0..21).map(|i| format!("o{i}\n")).collect::<String>()).is_err());
    }

    #[test]
    fn with_responses_options_may_be_reworded_but_not_added() {
        let q = Question::new("q".into(), 1, QuestionKind::SingleChoice);
        assert!(apply_edit(&q, &[], edit("Which?"), true).is_ok());
        let mut more = edit("Which?");
        more.options = "A\nB\nC".into();
        let errors = apply_edit(&q, &[], more, true).unwrap_err();
        assert_eq!(errors[0].field, "options");
    }

    #[test]
    fn a_follow_up_must_depend_on_an_earlier_scored_question_within_its_scale() {
        let csat = Question::new("csat".into(), 1, QuestionKind::Csat);
        let text = Question::new("text".into(), 2, QuestionKind::ShortText);
        let q = Question::new("q".into(), 3, QuestionKind::LongText);
        let mut e = edit("Why?");
        e.show_if_question_id = "csat".into();
        e.show_if_max = Some(3);
        let updated = apply_edit(&q, &[csat.clone(), text.clone()], e.clone(), false).unwrap();
        assert_eq!(
            updated.show_if,
            Some(ShowIf {
                question_id: "csat".into(),
                min: 1,
                max: 3
            })
        );
        e.show_if_max = Some(9);
        assert!(apply_edit(&q, std::slice::from_ref(&csat), e.clone(), false).is_err());
        e.show_if_question_id = "text".into();
        assert!(apply_edit(&q, &[csat, text], e, false).is_err());
    }
}
