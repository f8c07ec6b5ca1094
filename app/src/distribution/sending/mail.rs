//! The invitation email: the team's wording with placeholders, rendered into a plain-text
//! and an HTML version. Values are placed as text: the HTML layout escapes every one of
//! them, so a name or a survey title can never become markup. Pure: no I/O.
use crate::error::FieldError;
use crate::languages::model::Language;
use crate::languages::words::Words;
use crate::surveys::question::{Question, QuestionKind};
use minijinja::{context, AutoEscape, Environment, UndefinedBehavior, Value};
use serde::Serialize;

/// The subject used when a survey has no wording of its own.
pub const DEFAULT_SUBJECT: &str = "{{ feature }}: how is it working for you?";
/// The body used when a survey has no wording of its own.
pub const DEFAULT_BODY: &str = "Hello {{ name }},

We recently released {{ feature }} and would like to know how it is working for you. It takes under a minute.

{{ survey_link }}

Thank you for helping us build the right thing.";

/// The reminder's subject when a survey has no wording of its own.
pub const DEFAULT_REMINDER_SUBJECT: &str = "A minute for {{ feature }}? Your answer still counts";
/// The reminder's body when a survey has no wording of its own.
pub const DEFAULT_REMINDER_BODY: &str = "Hello {{ name }},

A few days ago we asked how {{ feature }} is working for you. If you have a minute, your answer helps us decide what to build next.

{{ survey_link }}

Thank you!";

/// The placeholders a subject or body may use.
pub const PLACEHOLDERS: [&str; 6] = [
    "name",
    "community",
    "feature",
    "survey_title",
    "survey_link",
    "unsubscribe_link",
];

const HTML_LAYOUT: &str = include_str!("../../../templates/invitation.html");
const TEXT_LAYOUT: &str = include_str!("../../../templates/invitation.txt");
const SUBJECT_MAX_CHARS: usize = 200;

/// A survey's email wording; empty fields fall back to the defaults.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MailWording {
    pub subject: String,
    pub body: String,
}

impl MailWording {
    /// An invitation's wording: the survey's own, or the built-in invitation wording.
    pub fn invitation(subject: &str, body: &str) -> Self {
        Self {
            subject: non_empty(subject, DEFAULT_SUBJECT).to_string(),
            body: non_empty(body, DEFAULT_BODY).to_string(),
        }
    }

    /// A reminder's wording: the survey's own, or the built-in reminder wording.
    pub fn reminder(subject: &str, body: &str) -> Self {
        Self {
            subject: non_empty(subject, DEFAULT_REMINDER_SUBJECT).to_string(),
            body: non_empty(body, DEFAULT_REMINDER_BODY).to_string(),
        }
    }

    fn subject(&self) -> &str {
        non_empty(&self.subject, DEFAULT_SUBJECT)
    }

    fn body(&self) -> &str {
        non_empty(&self.body, DEFAULT_BODY)
    }
}

fn non_empty<'a>(text: &'a str, default: &'a str) -> &'a str {
    if text.trim().is_empty() {
        default
    } else {
        text
    }
}

/// What the placeholders stand for in one person's message.
#[derive(Debug, Clone, Serialize)]
pub struct MailValues {
    pub name: String,
    pub community: String,
    pub feature: String,
    pub survey_title: String,
    pub survey_link: String,
    pub unsubscribe_link: String,
}

/// The first question's scale as links, when it is a scored question: one click opens
/// the survey with that answer selected (stored only when the person sends it).
#[derive(Debug, Clone, Serialize)]
pub struct OneClick {
    pub prompt: String,
    pub points: Vec<OneClickPoint>,
    pub legend: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct OneClickPoint {
    pub value: i64,
    pub label: String,
    #[serde(serialize_with = "serialize_url")]
    pub url: String,
}

fn serialize_url<S: serde::Serializer>(url: &str, serializer: S) -> Result<S::Ok, S::Error> {
    url_value(url).serialize(serializer)
}

/// A link for an `href`. minijinja's HTML escaping also writes `/` as `&#x2f;`, which is
/// valid but trips some mail clients' link handling; links are escaped here for the
/// characters that matter in a quoted attribute, and marked safe.
fn url_value(url: &str) -> Value {
    let escaped = url
        .replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    Value::from_safe_string(escaped)
}

/// The query parameter a one-click link carries: the first question's pre-selected answer.
pub const ONE_CLICK_PARAM: &str = "answer";

impl OneClick {
    /// The scale of `first` as links to `survey_link`, if it is a scored question.
    pub fn for_question(first: &Question, survey_link: &str) -> Option<Self> {
        Self::for_question_in(first, survey_link, &Words::new(Language::ENGLISH))
    }

    /// Like `for_question`, with the scale's words in `words`' language.
    pub fn for_question_in(first: &Question, survey_link: &str, words: &Words) -> Option<Self> {
        let scale = first.kind.scale()?;
        let kind = first.kind.as_str();
        let word = |value: i64, english: &str| {
            words
                .find(&format!("scale-{kind}-{value}"))
                .unwrap_or_else(|| english.to_string())
        };
        let points: Vec<OneClickPoint> = scale
            .points()
            .map(|(value, label)| OneClickPoint {
                value,
                label: label.map(|l| word(value, l)).unwrap_or_default(),
                url: format!("{survey_link}?{ONE_CLICK_PARAM}={value}"),
            })
            .collect();
        let legend = match first.kind {
            QuestionKind::Csat | QuestionKind::Ces => {
                let (low, high) = (scale.points().next()?, scale.points().last()?);
                let (low_word, high_word) = (word(low.0, low.1?), word(high.0, high.1?));
                format!("{} = {low_word}, {} = {high_word}", low.0, high.0)
            }
            _ => scale
                .labels
                .iter()
                .map(|(v, l)| format!("{v} = {}", word(*v, l)))
                .collect::<Vec<_>>()
                .join(", "),
        };
        Some(Self {
            prompt: first.prompt.clone(),
            points,
            legend,
        })
    }
}

/// A message ready to be put in an envelope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedMail {
    pub subject: String,
    pub text: String,
    pub html: String,
}

#[derive(Serialize)]
struct Paragraph {
    /// A paragraph holding only the survey link becomes a button in the HTML version.
    button: bool,
    lines: Vec<String>,
}

/// The templates' environment: an unknown placeholder is an error, and templates named
/// `*.html` escape every value they place (the digest's layouts use it too).
pub(crate) fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    // An unknown placeholder is an error the editor sees, not a silent blank in 500 emails.
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_auto_escape_callback(|name| {
        if name.ends_with(".html") {
            AutoEscape::Html
        } else {
            AutoEscape::None
        }
    });
    env
}

/// Renders one person's message, its own words in English.
pub fn render(
    wording: &MailWording,
    values: &MailValues,
    one_click: Option<&OneClick>,
) -> Result<RenderedMail, String> {
    render_in(Language::ENGLISH, wording, values, one_click)
}

/// Renders one person's message in `language`: the layout's own words (the button, the
/// footer, the unsubscribe line) in it, and `<html lang dir>` as it says.
pub fn render_in(
    language: Language,
    wording: &MailWording,
    values: &MailValues,
    one_click: Option<&OneClick>,
) -> Result<RenderedMail, String> {
    let env = environment();
    let words = Words::new(language);
    let subject = one_line(
        &env.render_str(wording.subject(), values)
            .map_err(describe)?,
    );
    let body = env.render_str(wording.body(), values).map_err(describe)?;
    let footer = words.with_texts("mail-footer", &[("feature", &values.feature)]);
    let unsubscribe = words.get("mail-unsubscribe");
    let one_click_text = words.get("mail-one-click-text");
    let text = env
        .render_str(
            TEXT_LAYOUT,
            context! { body => body.trim(), one_click, footer, unsubscribe, one_click_text,
            unsubscribe_link => values.unsubscribe_link },
        )
        .map_err(describe)?;
    let html = env
        .template_from_named_str("invitation.html", HTML_LAYOUT)
        .and_then(|t| {
            t.render(context! {
                subject, one_click, footer, unsubscribe,
                lang => language.code(), dir => language.direction(),
                answer_button => words.get("mail-answer-button"),
                one_click_hint => words.get("mail-one-click-hint"),
                paragraphs => paragraphs(&body, &values.survey_link),
                survey_link => url_value(&values.survey_link),
                unsubscribe_link => url_value(&values.unsubscribe_link),
            })
        })
        .map_err(describe)?;
    Ok(RenderedMail {
        subject,
        text,
        html,
    })
}

/// Checks a survey's wording before it is saved: it must render with sample values.
pub fn check_wording(wording: &MailWording) -> Result<(), Vec<FieldError>> {
    let env = environment();
    let sample = sample_values();
    let mut errors = Vec::new();
    for (field, text, max) in [
        ("email_subject", wording.subject(), SUBJECT_MAX_CHARS),
        ("email_body", wording.body(), 5000),
    ] {
        let chars = text.chars().count();
        if chars > max {
            errors.push(FieldError::new(
                field,
                format!("Keep it under {max} characters (it has {chars})."),
            ));
        } else if let Err(error) = env.render_str(text, &sample) {
            errors.push(FieldError::new(field, describe(error)));
        }
    }
    if !wording.body().contains("survey_link") {
        errors.push(FieldError::new(
            "email_body",
            "Put {{ survey_link }} in the message, so people can reach the survey.",
        ));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// Values for previews and checks.
pub fn sample_values() -> MailValues {
    MailValues {
        name: "Ada Lovelace".into(),
        community: "Analytical Engines Ltd".into(),
        feature: "New storage options".into(),
        survey_title: "New storage options".into(),
        survey_link: "https://surveys.example.org/s/EXAMPLE".into(),
        unsubscribe_link: "https://surveys.example.org/u/EXAMPLE".into(),
    }
}

fn paragraphs(body: &str, survey_link: &str) -> Vec<Paragraph> {
    body.replace("\r\n", "\n")
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| Paragraph {
            button: p == survey_link,
            lines: p.lines().map(|l| l.trim_end().to_string()).collect(),
        })
        .collect()
}

/// A header value on one line: line breaks become spaces (lettre encodes the rest).
fn one_line(text: &str) -> String {
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    line.chars().take(SUBJECT_MAX_CHARS).collect()
}

/// A template error as a sentence for the editor.
fn describe(error: minijinja::Error) -> String {
    match error.kind() {
        minijinja::ErrorKind::UndefinedError => format!(
            "A placeholder isn't known. Use only: {}.",
            PLACEHOLDERS
                .iter()
                .map(|p| format!("{{{{ {p} }}}}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        minijinja::ErrorKind::SyntaxError => format!(
            "The placeholders can't be read ({}). Write them as {{{{ name }}}}.",
            error.detail().unwrap_or("syntax error")
        ),
        _ => "The wording can't be used as it is; check its placeholders.".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values() -> MailValues {
        MailValues {
            name: "Ada <script>alert(1)</script>".into(),
            ..sample_values()
        }
    }

    fn csat() -> Question {
        let mut q = Question::new("q1".into(), 1, QuestionKind::Csat);
        q.prompt = "How satisfied are you?".into();
        q
    }

    #[test]
    fn the_default_wording_names_the_person_the_feature_and_the_link() {
        let mail = render(&MailWording::default(), &sample_values(), None).unwrap();
        assert_eq!(
            mail.subject,
            "New storage options: how is it working for you?"
        );
        assert!(mail.text.starts_with("Hello Ada Lovelace,"));
        assert!(mail.text.contains("https://surveys.example.org/s/EXAMPLE"));
        assert!(mail
            .text
            .contains("Unsubscribe from these surveys: https://surveys.example.org/u/EXAMPLE"));
        assert!(mail
            .html
            .contains("href=\"https://surveys.example.org/s/EXAMPLE\""));
        assert!(mail.html.contains(">Answer the survey</a>"));
    }

    #[test]
    fn markup_in_a_value_is_escaped_in_html_and_kept_as_text_in_plain_text() {
        let mail = render(&MailWording::default(), &values(), None).unwrap();
        assert!(!mail.html.contains("<script>"));
        assert!(mail.html.contains("Ada &lt;script&gt;"));
        assert!(mail.text.contains("Ada <script>alert(1)</script>"));
    }

    #[test]
    fn a_subject_with_line_breaks_becomes_one_line() {
        let wording = MailWording {
            subject: "Hi {{ name }}\r\nBcc: victim@example.org".into(),
            body: String::new(),
        };
        let mail = render(&wording, &sample_values(), None).unwrap();
        assert_eq!(mail.subject, "Hi Ada Lovelace Bcc: victim@example.org");
    }

    #[test]
    fn a_scored_first_question_becomes_one_click_links_in_both_versions() {
        let one_click = OneClick::for_question(&csat(), "https://x.example/s/T").unwrap();
        assert_eq!(one_click.points.len(), 5);
        assert_eq!(one_click.points[3].url, "https://x.example/s/T?answer=4");
        assert_eq!(one_click.legend, "1 = Very unsatisfied, 5 = Very satisfied");
        let mail = render(&MailWording::default(), &sample_values(), Some(&one_click)).unwrap();
        assert!(mail
            .text
            .contains("  4 (Satisfied): https://x.example/s/T?answer=4"));
        assert!(mail
            .html
            .contains("href=\"https://x.example/s/T?answer=4\""));
        let text = Question::new("t".into(), 1, QuestionKind::ShortText);
        assert!(OneClick::for_question(&text, "https://x.example/s/T").is_none());
    }

    #[test]
    fn unknown_placeholders_and_broken_syntax_are_refused_with_sentences() {
        let unknown = MailWording {
            subject: "{{ nmae }}".into(),
            body: String::new(),
        };
        let errors = check_wording(&unknown).unwrap_err();
        assert_eq!(errors[0].field, "email_subject");
        assert!(
            errors[0].message.contains("{{ survey_link }}"),
            "{}",
            errors[0].message
        );
        let broken = MailWording {
            subject: String::new(),
            body: "Hello {{ name".into(),
        };
        let errors = check_wording(&broken).unwrap_err();
        assert_eq!(errors[0].field, "email_body");
        assert!(errors[0]
            .message
            .starts_with("The placeholders can't be read"));
        assert!(check_wording(&MailWording::default()).is_ok());
    }

    #[test]
    fn a_body_without_the_survey_link_is_refused() {
        let wording = MailWording {
            subject: String::new(),
            body: "Hello {{ name }}".into(),
        };
        let errors = check_wording(&wording).unwrap_err();
        assert!(errors[0].message.contains("{{ survey_link }}"));
    }
}
