//! A survey's texts as a person reads them in one language: each translated text where
//! the translation has it, the default language's where it does not.
use super::model::{Language, QuestionText, Translation};
use crate::surveys::question::Question;
use std::collections::BTreeSet;

/// The texts a respondent page shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SurveyTexts {
    pub title: String,
    pub intro: String,
    pub thank_you: String,
    pub questions: Vec<Question>,
    /// The texts still in the default language on a translated page.
    pub fallback: Fallback,
}

/// Which texts of a translated page are still in the survey's default language (named as
/// `TextPair::key` names them), so the page marks them with their own `lang` and `dir`:
/// a screen reader then reads them in their language, and an English question on an
/// Arabic page keeps its question mark at its end.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fallback {
    pub language: Option<Language>,
    pub keys: BTreeSet<String>,
}

impl Fallback {
    /// The `lang` of the text `key`, when it differs from the page's.
    pub fn lang(&self, key: &str) -> Option<&'static str> {
        self.of(key).map(Language::code)
    }

    /// The `dir` of the text `key`, when it differs from the page's.
    pub fn dir(&self, key: &str) -> Option<&'static str> {
        self.of(key).map(Language::direction)
    }

    fn of(&self, key: &str) -> Option<Language> {
        self.language.filter(|_| self.keys.contains(key))
    }
}

impl SurveyTexts {
    /// Texts as the survey's default language has them.
    pub fn new(title: String, intro: String, thank_you: String, questions: Vec<Question>) -> Self {
        Self {
            title,
            intro,
            thank_you,
            questions,
            fallback: Fallback::default(),
        }
    }

    /// These texts (in `default`) with `translation`'s laid over them; what the
    /// translation lacks stays, and is noted in `fallback`. Options are translated by
    /// position; a translated option list may be shorter than the question's.
    pub fn translated(mut self, translation: &Translation, default: Language) -> Self {
        let mut kept = BTreeSet::new();
        // A text is shown translated only when it was translated from the default's text
        // as it is now (`Translation::sources`); otherwise the default's shows, marked.
        let mut over = |key: String, text: &mut String, translated: &str| match translation
            .current(&key, translated, text)
        {
            Some(current) => *text = current.to_string(),
            None if !text.trim().is_empty() => {
                kept.insert(key);
            }
            None => {}
        };
        over("title".into(), &mut self.title, &translation.title);
        over("intro".into(), &mut self.intro, &translation.intro);
        over(
            "thank_you".into(),
            &mut self.thank_you,
            &translation.thank_you,
        );
        let none = QuestionText::default();
        for q in &mut self.questions {
            let t = translation.questions.get(&q.question_id).unwrap_or(&none);
            let id = q.question_id.clone();
            over(format!("q.{id}.prompt"), &mut q.prompt, &t.prompt);
            over(format!("q.{id}.help"), &mut q.help, &t.help);
            for (i, option) in q.options.iter_mut().enumerate() {
                let translated = t.options.get(i).map(String::as_str).unwrap_or_default();
                over(format!("q.{id}.option.{i}"), option, translated);
            }
        }
        self.fallback = Fallback {
            language: Some(default),
            keys: kept,
        };
        self
    }
}

/// The page's language and the links to the survey's other languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageLanguage {
    pub language: Language,
    /// Each language the survey offers with the address of the page in it; empty when the
    /// survey offers one.
    pub switch: Vec<(Language, String)>,
}

impl PageLanguage {
    /// A page in `language`, whose other languages are at `address?lang=…` (or `&lang=`
    /// when the address has a query already).
    pub fn new(language: Language, offered: &[Language], address: &str) -> Self {
        let join = if address.contains('?') { '&' } else { '?' };
        let switch = match offered.len() {
            0 | 1 => Vec::new(),
            _ => offered
                .iter()
                .map(|l| (*l, format!("{address}{join}lang={}", l.code())))
                .collect(),
        };
        Self { language, switch }
    }

    /// `address` carrying the page's language when the survey offers several, so that a
    /// form posts, and a redirect lands, in the language the person reads.
    pub fn keep(&self, address: &str) -> String {
        if self.switch.is_empty() {
            return address.to_string();
        }
        let join = if address.contains('?') { '&' } else { '?' };
        format!("{address}{join}lang={}", self.language.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::languages::model::QuestionText;
    use crate::surveys::question::QuestionKind;

    #[test]
    fn a_missing_translation_falls_back_to_the_default_text_by_text() {
        let texts = SurveyTexts::new(
            "Dashboards".into(),
            "Two minutes.".into(),
            String::new(),
            vec![Question::new("q1".into(), 1, QuestionKind::SingleChoice)],
        );
        let mut translation = Translation {
            title: "Übersichten".into(),
            intro: "  ".into(),
            ..Translation::default()
        };
        translation.questions.insert(
            "q1".into(),
            QuestionText {
                prompt: String::new(),
                help: String::new(),
                options: vec!["Erste Option".into()],
            },
        );
        // What each was translated from, as saving records it.
        translation.sources = [("title", "Dashboards"), ("q.q1.option.0", "First option")]
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .into();
        let read = texts.clone().translated(&translation, Language::ENGLISH);
        assert_eq!(read.title, "Übersichten");
        assert_eq!(read.intro, "Two minutes.");
        assert_eq!(
            read.questions[0].prompt,
            "Which of these describes you best?"
        );
        assert_eq!(read.questions[0].options, ["Erste Option", "Second option"]);
        // Each text left in English is marked so; the empty thank-you is not a text.
        let kept: Vec<&str> = read.fallback.keys.iter().map(String::as_str).collect();
        assert_eq!(kept, ["intro", "q.q1.option.1", "q.q1.prompt"]);
        assert_eq!(read.fallback.lang("intro"), Some("en"));
        assert_eq!(read.fallback.dir("title"), None);
        // Translated from another title than the survey's now: the survey's shows.
        translation
            .sources
            .insert("title".into(), "Old dashboards".into());
        let stale = texts.translated(&translation, Language::ENGLISH);
        assert_eq!(stale.title, "Dashboards");
        assert_eq!(stale.fallback.lang("title"), Some("en"));
    }

    #[test]
    fn the_switcher_links_every_offered_language_and_only_when_there_are_several() {
        let (en, de) = (Language::ENGLISH, Language::parse("de").unwrap());
        let page = PageLanguage::new(de, &[en, de], "/s/abc?embed=1");
        assert_eq!(page.switch[0].1, "/s/abc?embed=1&lang=en");
        assert!(PageLanguage::new(en, &[en], "/s/abc").switch.is_empty());
        assert_eq!(page.keep("/s/abc?saved=1"), "/s/abc?saved=1&lang=de");
        assert_eq!(
            PageLanguage::new(en, &[en], "/s/abc").keep("/s/abc"),
            "/s/abc"
        );
    }
}
