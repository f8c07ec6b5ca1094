//! Languages: the ones a survey can be written in, a survey's own list, and one language's
//! translation of its texts.
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A language Soundings knows: its code (an ISO 639-1 primary subtag, as BCP 47 writes it),
/// its name in itself, its name in English, and whether it is written right to left.
struct Known {
    code: &'static str,
    native: &'static str,
    english: &'static str,
    rtl: bool,
}

const fn known(code: &'static str, native: &'static str, english: &'static str) -> Known {
    Known {
        code,
        native,
        english,
        rtl: false,
    }
}

const fn rtl(code: &'static str, native: &'static str, english: &'static str) -> Known {
    Known {
        code,
        native,
        english,
        rtl: true,
    }
}

/// The languages a survey can be written in. A survey's own texts can be in any of them;
/// the respondent pages' own words (buttons, errors) ship in those of `UI_LANGUAGES`.
const KNOWN: &[Known] = &[
    known("en", "English", "English"),
    known("de", "Deutsch", "German"),
    known("fr", "Français", "French"),
    known("es", "Español", "Spanish"),
    known("it", "Italiano", "Italian"),
    known("nl", "Nederlands", "Dutch"),
    known("pt", "Português", "Portuguese"),
    known("pl", "Polski", "Polish"),
    known("sv", "Svenska", "Swedish"),
    known("da", "Dansk", "Danish"),
    known("nb", "Norsk bokmål", "Norwegian Bokmål"),
    known("fi", "Suomi", "Finnish"),
    known("cs", "Čeština", "Czech"),
    known("tr", "Türkçe", "Turkish"),
    known("uk", "Українська", "Ukrainian"),
    known("ja", "日本語", "Japanese"),
    known("zh", "中文", "Chinese"),
    known("ko", "한국어", "Korean"),
    rtl("ar", "العربية", "Arabic"),
    rtl("he", "עברית", "Hebrew"),
    rtl("fa", "فارسی", "Persian"),
];

/// The languages whose respondent-page words ship with Soundings (`app/locales/`); the
/// others show those words in English.
pub const UI_LANGUAGES: [&str; 5] = ["en", "de", "fr", "es", "ar"];

/// A language Soundings knows, by its code (`de`). Parsed from what people write: a code in
/// any case, with or without a region (`de-AT`, `pt_BR`), or the English name (`German`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Language(&'static str);

impl Language {
    pub const ENGLISH: Self = Self("en");

    pub fn parse(input: &str) -> Result<Self, String> {
        let text = input.trim();
        let primary = text
            .split(['-', '_'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        // Tags browsers still send for languages listed under another code: Norwegian
        // (`no`, and Nynorsk readers read Bokmål) and Hebrew's old code.
        let primary = match primary.as_str() {
            "no" | "nn" => "nb".to_string(),
            "iw" => "he".to_string(),
            _ => primary,
        };
        KNOWN
            .iter()
            .find(|k| k.code == primary || k.english.eq_ignore_ascii_case(text))
            .map(|k| Self(k.code))
            .ok_or_else(|| {
                format!(
                    "“{text}” is not a language Soundings knows; use a code such as de, fr or es."
                )
            })
    }

    /// Every language a survey can be written in, in the catalogue's order.
    pub fn all() -> impl Iterator<Item = Self> {
        KNOWN.iter().map(|k| Self(k.code))
    }

    pub fn code(self) -> &'static str {
        self.0
    }

    fn known(self) -> &'static Known {
        KNOWN.iter().find(|k| k.code == self.0).unwrap_or(&KNOWN[0])
    }

    /// Its name in itself, as a language switcher shows it (`Deutsch`).
    pub fn native_name(self) -> &'static str {
        self.known().native
    }

    /// Its name in English, as the team's pages show it (`German`).
    pub fn english_name(self) -> &'static str {
        self.known().english
    }

    /// How the team's pages name it: `German (Deutsch)`, or just `English`.
    pub fn label(self) -> String {
        let known = self.known();
        match known.native == known.english {
            true => known.english.to_string(),
            false => format!("{} ({})", known.english, known.native),
        }
    }

    /// `rtl` or `ltr`, for `<html dir>`.
    pub fn direction(self) -> &'static str {
        if self.known().rtl {
            "rtl"
        } else {
            "ltr"
        }
    }

    /// Whether the respondent pages' own words ship in this language.
    pub fn has_ui_words(self) -> bool {
        UI_LANGUAGES.contains(&self.0)
    }
}

impl std::fmt::Display for Language {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

impl Serialize for Language {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.0)
    }
}

impl<'de> Deserialize<'de> for Language {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// The most languages one survey offers.
pub const MAX_LANGUAGES: usize = 8;

/// A survey's languages: the one its own texts are written in, then the translations it
/// offers, in the order the editor added them. Stored as codes separated by spaces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveyLanguages(Vec<Language>);

impl SurveyLanguages {
    /// The list from its stored form; unknown codes (none are written) are skipped, and an
    /// empty list is English.
    pub fn from_stored(stored: &str) -> Self {
        let mut list: Vec<Language> = Vec::new();
        for language in stored
            .split_whitespace()
            .filter_map(|c| Language::parse(c).ok())
        {
            if !list.contains(&language) {
                list.push(language);
            }
        }
        if list.is_empty() {
            list.push(Language::ENGLISH);
        }
        Self(list)
    }

    /// A list as an editor or the API gives it: the default first, no repeats, at most
    /// `MAX_LANGUAGES`.
    pub fn parse(default: &str, others: &[String]) -> Result<Self, String> {
        let mut list = vec![Language::parse(default)?];
        for code in others {
            let language = Language::parse(code)?;
            if list.contains(&language) {
                return Err(format!(
                    "{} is listed twice; list each language once.",
                    language.english_name()
                ));
            }
            list.push(language);
        }
        if list.len() > MAX_LANGUAGES {
            return Err(format!(
                "A survey offers at most {MAX_LANGUAGES} languages (this list has {}).",
                list.len()
            ));
        }
        Ok(Self(list))
    }

    pub fn to_stored(&self) -> String {
        self.0
            .iter()
            .map(|l| l.code())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The language the survey's own texts are written in.
    pub fn default_language(&self) -> Language {
        self.0[0]
    }

    /// The translations it offers, without the default.
    pub fn translations(&self) -> &[Language] {
        &self.0[1..]
    }

    pub fn all(&self) -> &[Language] {
        &self.0
    }

    pub fn offers(&self, language: Language) -> bool {
        self.0.contains(&language)
    }
}

/// One question's texts in another language; an empty text falls back to the default's.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct QuestionText {
    #[serde(default)]
    pub prompt: String,
    #[serde(default)]
    pub help: String,
    /// The options in the question's order.
    #[serde(default)]
    pub options: Vec<String>,
}

/// One email's wording in another language; an empty text falls back to the default's.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct EmailText {
    #[serde(default)]
    pub subject: String,
    #[serde(default)]
    pub body: String,
}

/// A survey's texts in one of its other languages. Whatever is empty or absent is shown
/// in the survey's default language.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Translation {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub intro: String,
    #[serde(default)]
    pub thank_you: String,
    /// By question id.
    #[serde(default)]
    pub questions: BTreeMap<String, QuestionText>,
    /// By email kind: `invitation`, `reminder`.
    #[serde(default)]
    pub emails: BTreeMap<String, EmailText>,
    /// The default language's text each text was translated from, by field
    /// (`q.{id}.option.2`), as the server records it on saving. A text whose original has
    /// changed since (reworded, or an option moved) counts as missing until it is
    /// translated again: shown, it could say something else, or name another option.
    #[serde(default)]
    pub sources: BTreeMap<String, String>,
}

/// One text the default language has, and the same text in a translation (empty when
/// missing), named as a form field names it: `title`, `q.{id}.prompt`, `q.{id}.option.2`,
/// `email.invitation.subject`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextPair {
    pub key: String,
    /// What the editor reads next to the field ("Question 2", "Option 3 of question 2").
    pub label: String,
    pub source: String,
    pub translated: String,
    /// Long texts get a text area.
    pub long: bool,
    /// The most characters the text may have, as the default's own limit.
    pub max: usize,
    /// Translated from an original that has changed since: shown as missing.
    pub outdated: bool,
}

impl TextPair {
    /// Whether the page shows the default's text here: none translated, or outdated.
    pub fn missing(&self) -> bool {
        self.translated.trim().is_empty() || self.outdated
    }
}

/// Everything the default language says, which a translation should say too.
#[derive(Debug, Clone, Default)]
pub struct SourceTexts {
    pub title: String,
    pub intro: String,
    pub thank_you: String,
    pub questions: Vec<crate::surveys::question::Question>,
    /// Each email's wording as it is sent (the survey's own, or the built-in one) by kind
    /// (`invitation`, `reminder`): subject, body.
    pub emails: Vec<(&'static str, String, String)>,
}

impl SourceTexts {
    /// Each text next to its translation, in the order the survey shows them. Empty source
    /// texts (no intro, no help) need no translation and are left out.
    pub fn pairs(&self, translation: &Translation) -> Vec<TextPair> {
        let mut pairs = Vec::new();
        let mut push = |key: String, label: String, source: &str, translated: &str, max| {
            if !source.trim().is_empty() {
                let outdated = !translated.trim().is_empty()
                    && translation.sources.get(&key).map(String::as_str) != Some(source);
                pairs.push(TextPair {
                    key,
                    label,
                    source: source.to_string(),
                    translated: translated.to_string(),
                    long: max > 300,
                    max,
                    outdated,
                });
            }
        };
        let t = translation;
        push("title".into(), "Title".into(), &self.title, &t.title, 120);
        push(
            "intro".into(),
            "Introduction".into(),
            &self.intro,
            &t.intro,
            1000,
        );
        let thanks = "Thank-you message".into();
        push(
            "thank_you".into(),
            thanks,
            &self.thank_you,
            &t.thank_you,
            500,
        );
        let none = QuestionText::default();
        for (n, q) in self.questions.iter().enumerate() {
            let t = translation.questions.get(&q.question_id).unwrap_or(&none);
            let (id, number) = (&q.question_id, n + 1);
            let prompt = format!("Question {number}");
            push(format!("q.{id}.prompt"), prompt, &q.prompt, &t.prompt, 300);
            let help = format!("Help text of question {number}");
            push(format!("q.{id}.help"), help, &q.help, &t.help, 300);
            for (i, option) in q.options.iter().enumerate() {
                let translated = t.options.get(i).map(String::as_str).unwrap_or_default();
                let label = format!("Option {} of question {number}", i + 1);
                push(format!("q.{id}.option.{i}"), label, option, translated, 120);
            }
        }
        let none = EmailText::default();
        for (kind, subject, body) in &self.emails {
            let t = translation.emails.get(*kind).unwrap_or(&none);
            let name = if *kind == "invitation" {
                "Invitation"
            } else {
                "Reminder"
            };
            let label = format!("{name} subject");
            push(
                format!("email.{kind}.subject"),
                label,
                subject,
                &t.subject,
                200,
            );
            let label = format!("{name} text");
            push(format!("email.{kind}.body"), label, body, &t.body, 5000);
        }
        pairs
    }

    /// What is wrong with a translation's texts, by field (`TextPair::key`): each no longer
    /// than its default's limit, and one line where the default's is one line.
    pub fn problems(&self, translation: &Translation) -> Vec<(String, String)> {
        self.pairs(translation)
            .into_iter()
            .filter_map(|pair| {
                let chars = pair.translated.chars().count();
                let max = pair.max;
                if chars > max {
                    return Some((
                        pair.key,
                        format!("Keep it under {max} characters (it has {chars})."),
                    ));
                }
                let broken = pair
                    .translated
                    .chars()
                    .any(|c| c.is_control() && (!pair.long || c != '\n' && c != '\r'));
                broken.then(|| {
                    (
                        pair.key,
                        "Remove the line breaks and control characters.".to_string(),
                    )
                })
            })
            .collect()
    }

    /// How many texts a translation still lacks (none, or outdated).
    pub fn missing(&self, translation: &Translation) -> usize {
        self.pairs(translation)
            .iter()
            .filter(|p| p.missing())
            .count()
    }

    /// The translation as it is stored: only texts of the default's (no unknown question,
    /// option or email), each with the original it was translated from.
    pub fn stored(&self, translation: &Translation) -> Translation {
        let pairs = self.pairs(translation);
        let kept: Vec<(String, String)> = pairs
            .iter()
            .filter(|p| !p.translated.trim().is_empty())
            .map(|p| (p.key.clone(), p.translated.clone()))
            .collect();
        let mut stored = Translation::from_fields(&kept);
        stored.sources = pairs
            .into_iter()
            .filter(|p| !p.translated.trim().is_empty())
            .map(|p| (p.key, p.source))
            .collect();
        stored
    }
}

impl Translation {
    /// The translation a form's fields describe (named as `TextPair::key`); unknown names
    /// are ignored, and texts are trimmed.
    pub fn from_fields(fields: &[(String, String)]) -> Self {
        let mut t = Self::default();
        for (key, value) in fields {
            let value = value.trim().to_string();
            let parts: Vec<&str> = key.split('.').collect();
            match parts.as_slice() {
                ["title"] => t.title = value,
                ["intro"] => t.intro = value,
                ["thank_you"] => t.thank_you = value,
                ["q", id, "prompt"] => t.question(id).prompt = value,
                ["q", id, "help"] => t.question(id).help = value,
                ["q", id, "option", i] => {
                    if let Ok(i) = i.parse::<usize>() {
                        if i < crate::surveys::question::MAX_OPTIONS {
                            let options = &mut t.question(id).options;
                            if options.len() <= i {
                                options.resize(i + 1, String::new());
                            }
                            options[i] = value;
                        }
                    }
                }
                ["email", kind @ ("invitation" | "reminder"), part @ ("subject" | "body")] => {
                    let email = t.emails.entry(kind.to_string()).or_default();
                    match *part {
                        "subject" => email.subject = value,
                        _ => email.body = value,
                    }
                }
                _ => {}
            }
        }
        t
    }

    /// The same texts for copies of the questions, `ids` mapping each old id to its new one;
    /// texts of questions not copied are dropped.
    pub fn with_question_ids(&self, ids: &std::collections::HashMap<String, String>) -> Self {
        let questions = self
            .questions
            .iter()
            .filter_map(|(id, texts)| Some((ids.get(id)?.clone(), texts.clone())))
            .collect();
        // `q.{id}.prompt` and the like follow their question; other fields stay.
        let sources = self
            .sources
            .iter()
            .filter_map(|(key, source)| match key.strip_prefix("q.") {
                None => Some((key.clone(), source.clone())),
                Some(rest) => {
                    let (id, field) = rest.split_once('.')?;
                    Some((format!("q.{}.{field}", ids.get(id)?), source.clone()))
                }
            })
            .collect();
        Self {
            questions,
            sources,
            ..self.clone()
        }
    }

    /// The translated text of field `key`, if there is one and it was translated from
    /// `source`, the default's text as it is now.
    pub fn current<'a>(&self, key: &str, text: &'a str, source: &str) -> Option<&'a str> {
        let fresh = self.sources.get(key).map(String::as_str) == Some(source);
        (fresh && !source.trim().is_empty() && !text.trim().is_empty()).then_some(text)
    }

    fn question(&mut self, id: &str) -> &mut QuestionText {
        self.questions.entry(id.to_string()).or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::surveys::question::{Question, QuestionKind};

    #[test]
    fn a_language_is_read_from_a_code_in_any_case_with_a_region_or_from_its_english_name() {
        for input in ["de", "DE", "de-AT", "de_CH", " German "] {
            assert_eq!(Language::parse(input).unwrap().code(), "de", "{input}");
        }
        for (tag, code) in [("no", "nb"), ("nn-NO", "nb"), ("iw", "he")] {
            assert_eq!(Language::parse(tag).unwrap().code(), code, "{tag}");
        }
        assert!(Language::parse("xx").unwrap_err().contains("“xx”"));
        assert!(Language::parse("").is_err());
    }

    #[test]
    fn arabic_hebrew_and_persian_are_written_right_to_left() {
        for code in ["ar", "he", "fa"] {
            assert_eq!(Language::parse(code).unwrap().direction(), "rtl");
        }
        assert_eq!(Language::ENGLISH.direction(), "ltr");
    }

    #[test]
    fn a_survey_lists_its_default_first_and_each_language_once() {
        let list = SurveyLanguages::parse("de", &["fr".into(), "ar".into()]).unwrap();
        assert_eq!(list.to_stored(), "de fr ar");
        assert_eq!(list.default_language().code(), "de");
        assert_eq!(list.translations().len(), 2);
        assert!(SurveyLanguages::parse("de", &["DE".into()]).is_err());
        let many: Vec<String> = Language::all()
            .skip(1)
            .take(8)
            .map(|l| l.to_string())
            .collect();
        assert!(SurveyLanguages::parse("en", &many)
            .unwrap_err()
            .contains("at most 8"));
        assert_eq!(SurveyLanguages::from_stored("").to_stored(), "en");
        assert_eq!(
            SurveyLanguages::from_stored("fr xx fr es").to_stored(),
            "fr es"
        );
    }

    #[test]
    fn a_translation_lacks_every_text_the_default_has_and_it_has_not() {
        let mut q = Question::new("q1".into(), 1, QuestionKind::SingleChoice);
        q.help = "Pick one.".into();
        let source = SourceTexts {
            title: "Dashboards".into(),
            intro: String::new(),
            thank_you: "Thanks!".into(),
            questions: vec![q],
            emails: vec![(
                "invitation",
                "Tell us".into(),
                "Hello {{ survey_link }}".into(),
            )],
        };
        // title, thank-you, prompt, help, two options, subject, body; no intro.
        assert_eq!(source.missing(&Translation::default()), 8);
        let t = Translation::from_fields(&[
            ("title".into(), "Übersichten".into()),
            ("q.q1.prompt".into(), "Was beschreibt Sie?".into()),
            ("q.q1.option.1".into(), "Zweite".into()),
            ("email.invitation.subject".into(), "Sagen Sie es uns".into()),
            ("q.q1.option.99".into(), "ignored".into()),
            ("nonsense".into(), "ignored".into()),
        ]);
        assert_eq!(
            t.questions["q1"].options,
            vec!["".to_string(), "Zweite".to_string()]
        );
        // Not saved yet: no original recorded, so every translated text reads as outdated.
        assert_eq!(source.missing(&t), 8);
        let stored = source.stored(&t);
        assert_eq!(source.missing(&stored), 4);
        assert!(!stored.questions["q1"].options.is_empty());
        // The original of option 2 changes: its translation is outdated again.
        let mut moved = source.clone();
        moved.questions[0].options.swap(0, 1);
        assert_eq!(moved.missing(&stored), 5);
        assert!(moved
            .pairs(&stored)
            .iter()
            .any(|p| p.key == "q.q1.option.1" && p.outdated));
        let keys: Vec<String> = source.pairs(&t).into_iter().map(|p| p.key).collect();
        assert_eq!(keys[0], "title");
        assert!(keys.contains(&"q.q1.option.1".to_string()));
        assert!(!keys.contains(&"intro".to_string()));
    }
}
