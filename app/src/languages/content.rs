//! A survey's texts as a person reads them in one language: each translated text where
//! the translation has it, the default language's where it does not.
use super::model::{Language, Translation};
use crate::surveys::question::Question;

/// The texts a respondent page shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SurveyTexts {
    pub title: String,
    pub intro: String,
    pub thank_you: String,
    pub questions: Vec<Question>,
}

impl SurveyTexts {
    /// These texts with `translation`'s laid over them. Options are translated by
    /// position; a translated option list may be shorter than the question's.
    pub fn translated(mut self, translation: &Translation) -> Self {
        over(&mut self.title, &translation.title);
        over(&mut self.intro, &translation.intro);
        over(&mut self.thank_you, &translation.thank_you);
        for q in &mut self.questions {
            let Some(t) = translation.questions.get(&q.question_id) else {
                continue;
            };
            over(&mut q.prompt, &t.prompt);
            over(&mut q.help, &t.help);
            for (option, translated) in q.options.iter_mut().zip(&t.options) {
                over(option, translated);
            }
        }
        self
    }
}

fn over(text: &mut String, translated: &str) {
    if !translated.trim().is_empty() {
        *text = translated.to_string();
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

    /// A page in one language, with no switcher.
    pub fn only(language: Language) -> Self {
        Self {
            language,
            switch: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::languages::model::QuestionText;
    use crate::surveys::question::QuestionKind;

    #[test]
    fn a_missing_translation_falls_back_to_the_default_text_by_text() {
        let texts = SurveyTexts {
            title: "Dashboards".into(),
            intro: "Two minutes.".into(),
            thank_you: String::new(),
            questions: vec![Question::new("q1".into(), 1, QuestionKind::SingleChoice)],
        };
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
        let read = texts.translated(&translation);
        assert_eq!(read.title, "Übersichten");
        assert_eq!(read.intro, "Two minutes.");
        assert_eq!(
            read.questions[0].prompt,
            "Which of these describes you best?"
        );
        assert_eq!(read.questions[0].options, ["Erste Option", "Second option"]);
    }

    #[test]
    fn the_switcher_links_every_offered_language_and_only_when_there_are_several() {
        let (en, de) = (Language::ENGLISH, Language::parse("de").unwrap());
        let page = PageLanguage::new(de, &[en, de], "/s/abc?embed=1");
        assert_eq!(page.switch[0].1, "/s/abc?embed=1&lang=en");
        assert!(PageLanguage::new(en, &[en], "/s/abc").switch.is_empty());
    }
}
